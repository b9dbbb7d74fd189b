//! Prints the import report of every profile for the `.osm.pbf` files given, to inspect how
//! much of an extract each profile's largest strongly connected component keeps.

use std::path::Path;

use leefbaar_network::{OsmExtract, Profile};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    for path in std::env::args().skip(1) {
        let extract = OsmExtract::read(Path::new(&path))?;
        println!(
            "{path}: {} ways, {} nodes kept for routing",
            extract.ways.len(),
            extract.nodes.len()
        );
        for profile in Profile::ALL {
            let (_, report) = extract.network(profile)?;
            println!("  {report:?}");
        }
    }
    Ok(())
}
