//! `leefbaar import`: read a bundle, compute every indicator, write all of it in one store
//! transaction. A bad file stops the import before anything is written.

use std::path::Path;

use anyhow::Context as _;
use leefbaar_store::{ImportBatch, ImportSummary, SqliteStore, Store as _};

use crate::cli::{GlobalArgs, ImportArgs};
use crate::{paths, progress};

pub fn run(global: &GlobalArgs, args: &ImportArgs) -> anyhow::Result<()> {
    let store_path = paths::data_dir(global.data_dir.as_deref()).join(paths::STORE_FILE);
    let summary = import_bundle(
        &args.manifest,
        args.catalogue.as_deref(),
        args.projection.as_deref(),
        (!args.reach.no_reach).then_some(&args.reach.network),
        &store_path,
        global.no_progress,
    )?;
    println!(
        "imported {} sources, {} areas, {} indicators, {} observations into {}",
        summary.sources,
        summary.areas,
        summary.indicators,
        summary.observations,
        store_path.display()
    );
    Ok(())
}

/// Reads, computes and writes; returns what was written.
pub fn import_bundle(
    manifest: &Path,
    catalogue_path: Option<&Path>,
    projection_dir: Option<&Path>,
    reach: Option<&crate::reach::NetworkArgs>,
    store_path: &Path,
    no_progress: bool,
) -> anyhow::Result<ImportSummary> {
    let catalogue_text = match catalogue_path {
        Some(path) => fs_err::read_to_string(path)?,
        None => leefbaar_indicators::DEFAULT_CATALOGUE.to_owned(),
    };
    let catalogue = leefbaar_indicators::parse_catalogue(&catalogue_text).with_context(|| {
        format!(
            "reading the indicator catalogue {}",
            catalogue_path.map_or("(built in)".to_owned(), |p| p.display().to_string())
        )
    })?;

    let bar = progress::steps(1, no_progress);
    let mut bundle = leefbaar_ingest::load_manifest_with_progress(manifest, &mut |step| {
        bar.set_length(step.total as u64 + 2);
        bar.set_position(step.done as u64);
        bar.set_message(step.label);
    })
    .with_context(|| format!("importing {}", manifest.display()))?;
    let imported_at = now_rfc3339();
    for source in &mut bundle.sources {
        source.imported_at.clone_from(&imported_at);
    }

    bar.set_message("computing indicators");
    bar.inc(1);
    let mut computed = leefbaar_indicators::compute(&catalogue, &bundle.areas, &bundle.facts);
    if let Some(dir) = projection_dir {
        bar.set_message("projecting the population to 2040");
        // The stored indicators use the variants only; intervals are for `leefbaar project`.
        let projection = crate::project::run(dir, 2040, 20, &[])?;
        let facts = crate::project::facts(&projection);
        // The projection keeps the 2020 division of municipalities for every year, so it is
        // aggregated over areas that exist in its years, separately from the observed series
        // (whose division changes with mergers).
        let mut areas = projection_areas(&bundle.areas, &facts);
        extend_area_years(&mut areas, &facts);
        let projected = leefbaar_indicators::compute(&catalogue, &areas, &facts);
        computed.observations.extend(projected.observations);
        computed.findings.extend(projected.findings);
        bundle.sources.push(leefbaar_model::Source {
            id: crate::project::SOURCE_ID.to_owned(),
            file: dir.display().to_string(),
            table: "Leefbaar cohort-component projection from 1 January 2020 (CBS population, UN WPP 2024 rates, residual migration)".to_owned(),
            licence: "CC BY 4.0".to_owned(),
            attribution: "Bron: CBS, UN WPP 2024; bewerking Leefbaar".to_owned(),
            imported_at: imported_at.clone(),
        });
    }
    if let Some(network) = reach {
        // Reach is computed from the bundle's facilities and population points, over its own
        // facts (Drenthe's municipalities and districts, one year), like the projection.
        let dir = match manifest.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        if crate::reach::has_inputs(dir) {
            bar.set_message("computing reach of facilities");
            let cache_dir = store_path.parent().unwrap_or(Path::new("."));
            let model = crate::reach::prepare(dir, network, cache_dir)?;
            if !model.model().findings().is_empty() {
                tracing::warn!(
                    "reach: {} population points or facilities lie farther than 5 km from any road of the network and are left out (is the network the right region?)",
                    model.model().findings().len()
                );
            }
            let facts = crate::reach::facts(&model);
            // The neighbourhood map is 2019's, the newest bundled; reach is computed on it
            // for the reach year, so those neighbourhoods are stored as existing then too.
            let reached_neighbourhoods: std::collections::HashSet<&leefbaar_model::AreaCode> =
                facts
                    .iter()
                    .filter(|fact| fact.area.level() == leefbaar_model::AreaLevel::Neighbourhood)
                    .map(|fact| &fact.area)
                    .collect();
            let reach_year =
                leefbaar_model::Year::new(crate::reach::YEAR).expect("a year in range");
            for area in bundle
                .areas
                .iter_mut()
                .filter(|area| reached_neighbourhoods.contains(&area.code))
            {
                area.last_year = area.last_year.max(reach_year);
            }
            let mut reached = leefbaar_indicators::compute(&catalogue, &bundle.areas, &facts);
            crate::reach::annotate(&mut reached, model.note());
            computed.observations.extend(reached.observations);
            computed.findings.extend(reached.findings);
            bundle.sources.push(crate::reach::source(
                dir,
                network.network.is_some(),
                &imported_at,
            ));
        } else {
            tracing::info!(
                "{} has no facilities/ and reach_origins_pc4_2021/: no reach indicators",
                dir.display()
            );
        }
    }
    if !computed.findings.is_empty() {
        tracing::info!(
            findings = computed.findings.len(),
            "indicator computation noted odd-but-legal data (missing parts, zero denominators); they are recorded as missing values with their reason"
        );
        for finding in computed.findings.iter().take(5) {
            tracing::debug!("{finding}");
        }
    }

    bar.set_message("writing the store");
    bar.inc(1);
    let batch = ImportBatch {
        sources: bundle.sources,
        areas: bundle.areas,
        indicators: catalogue.indicators().to_vec(),
        observations: computed.observations,
        postcodes: bundle.postcodes,
    };
    let mut store = SqliteStore::open(store_path)
        .with_context(|| format!("opening the store {}", store_path.display()))?;
    let summary = store
        .import(&batch)
        .with_context(|| format!("writing {} into the store", manifest.display()))?;
    bar.finish_and_clear();
    Ok(summary)
}

/// The areas of the projection's division: municipalities it projects, with the provinces and
/// the country they roll up into.
fn projection_areas(
    areas: &[leefbaar_model::Area],
    facts: &[leefbaar_model::Fact],
) -> Vec<leefbaar_model::Area> {
    let projected: std::collections::HashSet<&leefbaar_model::AreaCode> =
        facts.iter().map(|fact| &fact.area).collect();
    areas
        .iter()
        .filter(|area| {
            area.level() <= leefbaar_model::AreaLevel::Province || projected.contains(&area.code)
        })
        .cloned()
        .collect()
}

/// Areas exist in every year they have facts for, so the engine sums projected municipalities
/// into Drenthe and the Netherlands for the projection's years too.
fn extend_area_years(areas: &mut [leefbaar_model::Area], facts: &[leefbaar_model::Fact]) {
    let mut spans: std::collections::HashMap<
        &leefbaar_model::AreaCode,
        (leefbaar_model::Year, leefbaar_model::Year),
    > = std::collections::HashMap::new();
    for fact in facts {
        let span = spans.entry(&fact.area).or_insert((fact.year, fact.year));
        span.0 = span.0.min(fact.year);
        span.1 = span.1.max(fact.year);
    }
    for area in areas.iter_mut() {
        if let Some((first, last)) = spans.get(&area.code) {
            area.first_year = area.first_year.min(*first);
            area.last_year = area.last_year.max(*last);
        }
    }
    // The country and the provinces hold whatever their municipalities hold.
    let last = spans.values().map(|span| span.1).max();
    if let Some(last) = last {
        for area in areas.iter_mut() {
            if area.level() <= leefbaar_model::AreaLevel::Province {
                area.last_year = area.last_year.max(last);
            }
        }
    }
}

/// The current time as RFC 3339 UTC, without a date-time dependency for one timestamp.
pub(crate) fn now_rfc3339() -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let days = i64::try_from(seconds / 86_400).unwrap_or(0);
    let rest = seconds % 86_400;
    // Howard Hinnant's civil-from-days algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn timestamps_look_like_rfc3339() {
        let now = super::now_rfc3339();
        assert_eq!(now.len(), 20, "{now}");
        assert!(now.starts_with("20"), "{now}");
        assert!(now.ends_with('Z'), "{now}");
    }
}
