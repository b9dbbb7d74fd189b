//! `leefbaar aed coverage|placement --osm`: AED coverage on an OpenStreetMap extract — which
//! homes (the extract's addresses) have a public AED within walking distance over the foot
//! network, counting the AEDs available day and night and those available at the reference
//! moments by their `opening_hours`; and, for placement, where N new AEDs available day and night
//! would cover the most homes that have none at night (greedy with interchange local search).

use std::path::Path;

use anyhow::Context as _;
use leefbaar_aed::availability::{available_at, reference_moments};
use leefbaar_aed::coverage;
use leefbaar_aed::placement::{coverage_sets, place};
use leefbaar_aed::registration::{Aed, read_osm, read_register};
use leefbaar_network::{Profile, Wgs84Point, address_points};

use super::SourceArgs;
use crate::global::GlobalArgs;
use crate::paths;

fn parse_bbox(text: &str) -> anyhow::Result<[f64; 4]> {
    let values: Vec<f64> = text
        .split(',')
        .map(|v| v.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|_| {
            anyhow::anyhow!("--bbox must be four numbers lon1,lat1,lon2,lat2, found `{text}`")
        })?;
    let [a, b, c, d] = values.as_slice() else {
        anyhow::bail!("--bbox must be four numbers lon1,lat1,lon2,lat2, found `{text}`");
    };
    Ok([a.min(*c), b.min(*d), a.max(*c), b.max(*d)])
}

/// Coverage of the extract `pbf`'s homes, and with `place` > 0 that many new sites.
pub fn coverage(
    global: &GlobalArgs,
    pbf: &Path,
    args: &SourceArgs,
    place_n: usize,
    json: bool,
) -> anyhow::Result<()> {
    let within = args.within_m()?;
    let cache_dir = paths::data_dir(global.data_dir.as_deref());
    fs_err::create_dir_all(&cache_dir)?;
    let (network, _) = leefbaar_network::cache::prepare(
        pbf,
        Profile::Foot,
        &cache_dir.join("network-foot-aed.leefnet"),
    )
    .with_context(|| format!("reading the foot network of {}", pbf.display()))?;
    let (mut aeds, findings) = read_osm(pbf)?;
    if let Some(register) = &args.register {
        aeds.extend(read_register(register)?);
    }
    let bbox = args.bbox.as_deref().map(parse_bbox).transpose()?;
    let homes: Vec<Wgs84Point> = address_points(pbf)?
        .into_iter()
        .map(|a| a.point)
        .filter(|p| {
            bbox.is_none_or(|[a, b, c, d]| (a..=c).contains(&p.lon) && (b..=d).contains(&p.lat))
        })
        .collect();
    if homes.is_empty() {
        anyhow::bail!(
            "{} has no addresses (addr:housenumber) in the area asked for: no homes to cover",
            pbf.display()
        );
    }
    let moments = reference_moments();
    let result = coverage::coverage(&network, &homes, &aeds, within, &moments)?;
    let picks = if place_n > 0 {
        let night = moments[2].at;
        let available: Vec<Wgs84Point> = aeds
            .iter()
            .filter(|a| available_at(a, night))
            .map(|a| a.point)
            .collect();
        let mut covered = vec![false; homes.len()];
        for set in coverage_sets(&network, &homes, &available, within)? {
            for h in set {
                covered[h] = true;
            }
        }
        let sets = coverage_sets(&network, &homes, &homes, within)?;
        place(&sets, &vec![1.0; homes.len()], &covered, place_n, true)
            .sites
            .into_iter()
            .map(|site| (homes[site.site], site.gain))
            .collect()
    } else {
        Vec::new()
    };
    if json {
        let json = serde_json::json!({
            "osm": pbf.display().to_string(),
            "aeds": aeds.len(),
            "aeds_public": aeds.iter().filter(|a| a.public).count(),
            "homes": homes.len(),
            "within_m": within,
            "coverage": result.iter().map(|c| serde_json::json!({
                "rule": c.rule, "aeds": c.aeds, "homes_placed": c.homes_placed,
                "homes_covered": c.homes_covered, "share": c.share(),
            })).collect::<Vec<_>>(),
            "new_sites": picks.iter().map(|(p, gain)| serde_json::json!({
                "lon": p.lon, "lat": p.lat, "homes_added": gain,
            })).collect::<Vec<_>>(),
            "findings": findings.iter().map(ToString::to_string).collect::<Vec<_>>(),
        });
        println!("{}", serde_json::to_string_pretty(&json)?);
        return Ok(());
    }
    print_table(pbf, within, &aeds, homes.len(), &result, &picks);
    for finding in &findings {
        println!("note: {finding}");
    }
    Ok(())
}

fn print_table(
    pbf: &Path,
    within: f64,
    aeds: &[Aed],
    homes: usize,
    result: &[leefbaar_aed::coverage::Coverage],
    picks: &[(Wgs84Point, f64)],
) {
    println!(
        "{} AEDs ({} public) and {homes} homes (addresses) of {}; covered = a counted AED within {:.0} m on foot",
        aeds.len(),
        aeds.iter().filter(|a| a.public).count(),
        pbf.display(),
        within
    );
    println!(
        "  {:<8} {:>5} {:>8} {:>8} {:>7}",
        "counted", "AEDs", "placed", "covered", "share"
    );
    for c in result {
        println!(
            "  {:<8} {:>5} {:>8} {:>8} {:>6}%",
            c.rule,
            c.aeds,
            c.homes_placed,
            c.homes_covered,
            c.share()
                .map_or_else(|| "–".to_owned(), |s| format!("{:.1}", s * 100.0))
        );
    }
    println!(
        "24/7: available every hour of a week; day, evening, night: a Tuesday at 10:00 and 20:00 and the night after at 03:00, by opening_hours; an AED without stated hours counts day and night when outdoors (indoor=no) and never otherwise"
    );
    for (i, (point, gain)) in picks.iter().enumerate() {
        println!(
            "new AED {} at {:.6},{:.6}: {gain:.0} more homes covered at night",
            i + 1,
            point.lon,
            point.lat
        );
    }
}
