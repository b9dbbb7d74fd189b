//! Regenerates the committed survey data: the adult population margins derived from the CBS
//! tables bundled in `data/drenthe/`, the SYNTHETIC panel's schema, and the SYNTHETIC panel
//! itself.
//!
//! ```text
//! cargo run -p leefbaar-survey --example generate_burgerpanel
//! ```
//!
//! Reads `data/drenthe/cbs_kwb_gemeenten_2012_2024/` and
//! `data/drenthe/cbs_gebieden_in_nederland_gemeenten/`, writes `data/survey/`. Tests check that
//! the committed files equal what this writes.

use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let drenthe = root.join("data/drenthe");
    let kwb = fs_err::read_to_string(
        drenthe.join("cbs_kwb_gemeenten_2012_2024/kwb_gemeenten_2012_2024.csv"),
    )?;
    let gebieden = fs_err::read_to_string(
        drenthe.join("cbs_gebieden_in_nederland_gemeenten/gebieden_in_nederland_gemeenten.csv"),
    )?;
    let cells =
        leefbaar_survey::population_from_kwb(&kwb, &gebieden, 2019, &["PV20", "PV21", "PV22"])?;
    let out = root.join("data/survey");
    fs_err::create_dir_all(&out)?;
    fs_err::write(
        out.join("population_2019_adults.csv"),
        leefbaar_survey::population_csv(&cells),
    )?;
    fs_err::write(
        out.join("burgerpanel_2018_schema.toml"),
        leefbaar_survey::synthetic::BURGERPANEL_SCHEMA,
    )?;
    let panel = leefbaar_survey::synthetic::burgerpanel_2018(&cells)
        .map_err(|e| format!("seed {}: {e}", leefbaar_survey::synthetic::SEED))?;
    fs_err::write(out.join("burgerpanel_2018_synthetic.csv"), panel)?;
    eprintln!("wrote {}", out.display());
    Ok(())
}
