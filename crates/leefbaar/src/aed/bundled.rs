//! `leefbaar aed coverage|white-spots|placement` on a bundle: its `[aed]` register and
//! responders on its reach population points, by straight line (the alert system's
//! convention).

use std::path::Path;

use anyhow::Context as _;
use leefbaar_model::{AreaCode, AreaLevel};
use leefbaar_monitor::aed::{AedMonitor, PlacementReport, rules};
use leefbaar_monitor::reach::{ReachMonitor, ReachOptions};
use leefbaar_server::wire::aed::PlacementWire;

use super::{CoverageArgs, PlacementArgs, WhiteSpotArgs};
use crate::global::GlobalArgs;
use crate::paths;

/// The bundle's AED monitor, and the reach monitor whose population points it stands on (it
/// names their areas).
fn prepare(
    global: &GlobalArgs,
    bundle: Option<&Path>,
) -> anyhow::Result<(AedMonitor, ReachMonitor)> {
    let chosen = crate::bundle::choose(bundle, &paths::store(global))?;
    let Some(aed_spec) = &chosen.spec.aed else {
        anyhow::bail!(
            "the bundle {} declares no [aed]: no AED register (give an extract with --osm instead)",
            chosen.manifest.display()
        );
    };
    let reach_spec = chosen
        .spec
        .reach
        .as_ref()
        .context("the bundle's [aed] needs its [reach] population points")?;
    // AED coverage is by straight line; reach's road network is not needed.
    let reach = ReachMonitor::prepare(
        reach_spec,
        (&chosen.province, &chosen.province_name),
        &ReachOptions {
            network: None,
            profile: None,
            cache_dir: paths::data_dir(global.data_dir.as_deref()),
        },
    )
    .context("preparing the population points")?;
    let aed = AedMonitor::prepare(aed_spec, &reach).context("preparing AED coverage")?;
    Ok((aed, reach))
}

fn rule_index(rule: &str) -> anyhow::Result<usize> {
    rules().iter().position(|r| *r == rule).with_context(|| {
        format!(
            "--rule must be one of {}, found `{rule}`",
            rules().join(", ")
        )
    })
}

fn area_code(text: Option<&str>) -> anyhow::Result<Option<AreaCode>> {
    text.map(|t| {
        t.parse::<AreaCode>()
            .map_err(|_| anyhow::anyhow!("--area must be an area code such as GM1690, found `{t}`"))
    })
    .transpose()
}

fn notice(aed: &AedMonitor) {
    if let Some(notice) = &aed.spec().synthetic_notice {
        println!("NOTE: {notice}");
    }
}

fn percent(part: f64, whole: f64) -> String {
    if whole > 0.0 {
        format!("{:.1}", 100.0 * part / whole)
    } else {
        "–".to_owned()
    }
}

/// `leefbaar aed coverage` on a bundle.
pub fn coverage(global: &GlobalArgs, args: &CoverageArgs) -> anyhow::Result<()> {
    let level: AreaLevel = args.level.parse().map_err(|_| {
        anyhow::anyhow!("--level must be municipality, district, neighbourhood or postcode")
    })?;
    let (aed, reach) = prepare(global, args.source.bundle.as_deref())?;
    let rows = aed.coverage(level);
    let name = |code: &AreaCode| reach.area_name(code).unwrap_or("").to_owned();
    if args.json {
        let json = serde_json::json!({
            "synthetic_notice": aed.spec().synthetic_notice,
            "within_m": aed.spec().within_m,
            "method": "straight line",
            "rules": rules(),
            "areas": rows.iter().map(|row| serde_json::json!({
                "code": row.area.to_string(),
                "name": name(&row.area),
                "persons": row.persons.round(),
                "covered": rules().iter().zip(&row.covered)
                    .map(|(rule, c)| ((*rule).to_owned(), serde_json::json!(c.round())))
                    .collect::<serde_json::Map<_, _>>(),
            })).collect::<Vec<_>>(),
        });
        println!("{}", serde_json::to_string_pretty(&json)?);
        return Ok(());
    }
    notice(&aed);
    println!(
        "Residents with an AED within {} m (straight line) available at each moment, % — {} AEDs in the register",
        aed.spec().within_m,
        aed.aeds().len()
    );
    println!(
        "{:<8} {:<24} {:>9} {:>7} {:>7} {:>7} {:>7} {:>7} {:>10}",
        "code", "name", "residents", "24/7", "day", "evening", "night", "weekend", "without 24/7"
    );
    let mut total = (0.0, vec![0.0; rules().len()]);
    for row in &rows {
        total.0 += row.persons;
        for (t, c) in total.1.iter_mut().zip(&row.covered) {
            *t += c;
        }
        print_row(
            row.area.as_str(),
            &name(&row.area),
            row.persons,
            &row.covered,
        );
    }
    if level == AreaLevel::Municipality {
        print_row("", "together", total.0, &total.1);
    }
    println!(
        "24/7: available every hour of a week; day and evening: a Tuesday at 10:00 and 20:00; night: 03:00; weekend: Saturday 14:00 — by opening_hours"
    );
    Ok(())
}

fn print_row(code: &str, name: &str, persons: f64, covered: &[f64]) {
    let shares: Vec<String> = covered.iter().map(|c| percent(*c, persons)).collect();
    println!(
        "{:<8} {:<24} {:>9.0} {:>7} {:>7} {:>7} {:>7} {:>7} {:>10}",
        code,
        name,
        persons,
        shares[0],
        shares[1],
        shares[2],
        shares[3],
        shares[4],
        percent(persons - covered[0], persons)
    );
}

/// `leefbaar aed white-spots`.
pub fn white_spots(global: &GlobalArgs, args: &WhiteSpotArgs) -> anyhow::Result<()> {
    let rule = rule_index(&args.rule)?;
    let area = area_code(args.area.as_deref())?;
    let (aed, _) = prepare(global, args.bundle.as_deref())?;
    let spots = aed.white_spots(rule, args.min, area.as_ref());
    let code = |c: &Option<AreaCode>| c.as_ref().map_or_else(String::new, ToString::to_string);
    if args.csv {
        let mut out = csv::Writer::from_writer(std::io::stdout().lock());
        out.write_record([
            "place",
            "lon",
            "lat",
            "residents",
            "without_aed",
            "nearest_aed_m",
            "municipality",
            "postcode",
            "neighbourhood",
        ])?;
        for spot in &spots {
            out.write_record([
                spot.id.clone(),
                format!("{:.6}", spot.point.lon),
                format!("{:.6}", spot.point.lat),
                format!("{:.1}", spot.persons),
                format!("{:.1}", spot.uncovered),
                spot.nearest_aed_m
                    .map_or_else(String::new, |d| format!("{d:.0}")),
                code(&spot.municipality),
                code(&spot.postcode),
                code(&spot.neighbourhood),
            ])?;
        }
        out.flush()?;
        return Ok(());
    }
    notice(&aed);
    let total: f64 = spots.iter().map(|s| s.uncovered).sum();
    println!(
        "{} populated places with at least {} residents beyond {} m of an AED available ({}): {:.0} residents",
        spots.len(),
        args.min,
        aed.spec().within_m,
        args.rule,
        total
    );
    println!(
        "{:<44} {:>10} {:>10} {:>8} {:>7} {:>7}",
        "place (grid cell, postcode, neighbourhood)", "lon,lat", "without", "nearest", "gm", ""
    );
    let limit = if args.limit == 0 {
        spots.len()
    } else {
        args.limit
    };
    for spot in spots.iter().take(limit) {
        println!(
            "{:<44} {:>9.4},{:.4} {:>8.0} {:>7} m {:>7}",
            spot.id,
            spot.point.lon,
            spot.point.lat,
            spot.uncovered,
            spot.nearest_aed_m
                .map_or_else(|| ">10000".to_owned(), |d| format!("{d:.0}")),
            code(&spot.municipality),
        );
    }
    if spots.len() > limit {
        println!(
            "… {} more (--limit 0 or --csv for all)",
            spots.len() - limit
        );
    }
    Ok(())
}

/// `leefbaar aed placement` on a bundle.
pub fn placement(global: &GlobalArgs, args: &PlacementArgs) -> anyhow::Result<()> {
    let rule = rule_index(&args.rule)?;
    let area = area_code(args.area.as_deref())?;
    if args.k > leefbaar_monitor::aed::MAX_NEW_AEDS {
        anyhow::bail!(
            "--k must be at most {}, found {}",
            leefbaar_monitor::aed::MAX_NEW_AEDS,
            args.k
        );
    }
    let (aed, _) = prepare(global, args.source.bundle.as_deref())?;
    let started = std::time::Instant::now();
    let report = aed.placement(rule, args.k, args.relocate, area.as_ref());
    let seconds = started.elapsed().as_secs_f64();
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&placement_json(&aed, &report, args.k, args.relocate))?
        );
        return Ok(());
    }
    notice(&aed);
    let of = area.as_ref().map_or_else(
        || "all residents".to_owned(),
        |a| format!("residents of {a}"),
    );
    println!(
        "{} AEDs within {} m ({}), {of}: {:.0} of {:.0} covered now ({} %); {} candidate places; {:.2} s",
        args.rule,
        aed.spec().within_m,
        if args.relocate {
            "new and moved"
        } else {
            "new"
        },
        report.covered_now,
        report.persons,
        percent(report.covered_now, report.persons),
        report.candidates,
        seconds
    );
    if let Some(outside) = report.covered_outside_in_place {
        println!(
            "hanging the {} indoor or part-time AEDs outside where they are: {:.0} covered ({} %)",
            report.moves.len(),
            outside,
            percent(outside, report.persons)
        );
        let moved = report.moves.iter().filter(|m| m.from != m.to).count();
        // What the moves alone cover: the plan without the new sites' gains.
        let with_moves = report.covered_after - report.sites.iter().map(|s| s.gain).sum::<f64>();
        println!(
            "moving {moved} of them elsewhere (the others outside where they are): {with_moves:.0} covered ({} %)",
            percent(with_moves, report.persons)
        );
    }
    for (i, site) in report.sites.iter().enumerate() {
        println!(
            "new AED {:>2} at {:.5},{:.5} ({}): +{:.0} residents (lost without it: {:.0})",
            i + 1,
            site.point.lon,
            site.point.lat,
            site.place_id,
            site.gain,
            site.loss_if_removed
        );
    }
    println!(
        "covered after: {:.0} ({} %); coverage curve (greedy, k = 0…{}): {}",
        report.covered_after,
        percent(report.covered_after, report.persons),
        report.curve.len().saturating_sub(1),
        report
            .curve
            .iter()
            .map(|c| percent(*c, report.persons))
            .collect::<Vec<_>>()
            .join(" ")
    );
    Ok(())
}

/// The API's placement (`/api/v1/aed/placement`), with the bundle's synthetic notice and the
/// coverage distance beside it, as the API's `meta` carries them.
fn placement_json(
    aed: &AedMonitor,
    report: &PlacementReport,
    k: usize,
    relocate: bool,
) -> serde_json::Value {
    let mut json = serde_json::to_value(PlacementWire::of(report, k, relocate))
        .expect("the wire type serialises");
    json["synthetic_notice"] = serde_json::json!(aed.spec().synthetic_notice);
    json["within_m"] = serde_json::json!(aed.spec().within_m);
    json
}
