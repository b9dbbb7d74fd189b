//! Writes the SYNTHETIC AED register and responders of the Drenthe demo
//! (`data/drenthe/aed_synthetic_2019/`), calibrated to the published figures beside them, and
//! prints what the calibration reproduces. See `leefbaar_monitor::aed::synthetic`.
//!
//! ```text
//! cargo run --release -p leefbaar-monitor --example generate_aed_register [-- data/drenthe/manifest.toml]
//! ```

use std::path::PathBuf;

use leefbaar_monitor::aed::synthetic::{FOLDER, REGISTER_FILE, RESPONDERS_FILE, generate};
use leefbaar_monitor::reach::{ReachMonitor, ReachOptions};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let manifest = std::env::args().nth(1).map_or_else(
        || PathBuf::from("data/drenthe/manifest.toml"),
        PathBuf::from,
    );
    let (bundle, _) = leefbaar_ingest::read_bundle_spec(&manifest)?;
    let spec = bundle.reach.ok_or("the bundle has no [reach] section")?;
    let province = bundle.province.clone();
    let reach = ReachMonitor::prepare(&spec, (&province, "Drenthe"), &ReachOptions::default())?;
    let folder = manifest
        .parent()
        .unwrap_or(std::path::Path::new("."))
        .join(FOLDER);
    let generated = generate(&reach, &folder)?;
    fs_err::write(folder.join(REGISTER_FILE), &generated.register)?;
    fs_err::write(folder.join(RESPONDERS_FILE), &generated.responders)?;
    let c = &generated.calibration;
    println!("alpha {:.3}, betas {:?}", c.alpha, c.betas);
    println!(
        "Drenthe: {:.1} % without an AED day and night within 500 m",
        c.uncovered * 100.0
    );
    for ((code, name), share) in generated.municipalities.iter().zip(&c.group_uncovered) {
        if let Some(share) = share {
            println!("{code} {name:<20} {:.1} %", share * 100.0);
        }
    }
    Ok(())
}
