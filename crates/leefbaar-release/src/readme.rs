//! The release's README (what it is, which import, every source with its licence, the
//! synthetic parts, the method notes, the suggested citation) and its licence note.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use leefbaar_model::{AreaLevel, BundleImport, IndicatorDef, Method, MissingReason, Source};

use crate::CHECKSUMS_FILE;
use crate::notes::{METHOD_NOTES, NoteFile};

/// What the README and the licence note say, gathered once.
pub(crate) struct ReleaseFacts<'a> {
    pub id: &'a str,
    pub import: &'a BundleImport,
    pub indicators: &'a [IndicatorDef],
    pub sources: &'a [Source],
    pub notes: &'a [NoteFile],
    /// The levels with a boundary file and how many areas each has.
    pub levels: &'a [(AreaLevel, usize)],
    pub url: Option<&'a str>,
}

impl ReleaseFacts<'_> {
    /// The day of the import (`2026-12-07`), the release's date.
    fn date(&self) -> &str {
        self.import
            .imported_at
            .get(..10)
            .unwrap_or(&self.import.imported_at)
    }

    /// The sources that are synthetic (made up by a seeded generator, not observed), by their
    /// own description: their id, table, licence or attribution says so.
    fn synthetic_sources(&self) -> Vec<&Source> {
        self.sources
            .iter()
            .filter(|source| {
                [
                    &source.id,
                    &source.table,
                    &source.licence,
                    &source.attribution,
                ]
                .iter()
                .any(|text| text.to_lowercase().contains("synthetic"))
            })
            .collect()
    }
}

/// The licence and attribution most sources share (ties: the first in alphabetical order):
/// what the short citation names; the README lists the others.
fn most_common<'a>(values: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for value in values {
        *counts.entry(value).or_default() += 1;
    }
    let most = counts.values().copied().max()?;
    counts
        .into_iter()
        .find(|(_, count)| *count == most)
        .map(|(value, _)| value)
}

/// `Leefbaar Drenthe, release drenthe-2024.1-78911f15 (2026-12-07), URL, CC BY 4.0, Bron: CBS
/// and other sources (see README.md)`.
pub(crate) fn citation(facts: &ReleaseFacts<'_>) -> String {
    let mut citation = format!(
        "Leefbaar {}, release {} ({})",
        facts.import.bundle_name,
        facts.id,
        facts.date()
    );
    if let Some(url) = facts.url {
        let _ = write!(citation, ", {url}");
    }
    let licence = most_common(facts.sources.iter().map(|s| s.licence.as_str()));
    let attribution = most_common(facts.sources.iter().map(|s| s.attribution.as_str()));
    if let Some(licence) = licence {
        let _ = write!(citation, ", {licence}");
    }
    if let Some(attribution) = attribution {
        let _ = write!(citation, ", {attribution}");
    }
    let others = facts.sources.iter().any(|s| {
        Some(s.licence.as_str()) != licence || Some(s.attribution.as_str()) != attribution
    });
    if others {
        citation.push_str(" and other sources (see README.md)");
    }
    citation
}

/// The README.
pub(crate) fn readme(facts: &ReleaseFacts<'_>, citation: &str) -> String {
    let import = facts.import;
    let mut out = String::new();
    let w = &mut out;
    let _ = writeln!(
        w,
        "# Leefbaar {}: data release {}\n",
        import.bundle_name, facts.id
    );
    let _ = writeln!(
        w,
        "A frozen copy of everything the Leefbaar API serves publicly from one import of the \
         bundle `{}`: every indicator for every area and year, the area boundaries, the \
         indicator catalogue, the sources with their licences and notes, and the method \
         notes. Written again from the same import, every file is byte for byte the same, so \
         a number in a report can be traced back to this release by its name.\n",
        import.bundle_id
    );
    let _ = writeln!(w, "- Release: `{}`", facts.id);
    let _ = writeln!(
        w,
        "- Date: {} (the time of the import it comes from: `{}`)",
        facts.date(),
        import.imported_at
    );
    let _ = writeln!(
        w,
        "- Bundle: `{}` ({}), version `{}`",
        import.bundle_id, import.bundle_name, import.bundle_version
    );
    let _ = writeln!(
        w,
        "- Bundle fingerprint (SHA-256 of its manifest and every file it names): `{}`",
        import.digest
    );
    let _ = writeln!(w, "- Monitored province: `{}`", import.province);
    let _ = writeln!(
        w,
        "- {} indicators, {} sources\n",
        facts.indicators.len(),
        facts.sources.len()
    );

    let _ = writeln!(w, "## Suggested citation\n\n> {citation}\n");
    let _ = writeln!(
        w,
        "Show the attribution of every source a figure comes from (the `source` of its \
         indicator in `catalogue.csv`, listed under *Sources and licences* below).\n"
    );

    synthetic_section(w, facts);
    files_section(w, facts);
    sources_section(w, facts);

    let _ = writeln!(w, "## Method notes\n");
    let _ = writeln!(
        w,
        "How Leefbaar computes: every share, rate and mean is recomputed at each level from its \
         summed numerator and denominator (never averaged); only municipalities are summed into \
         provinces and the country; a missing value keeps its reason. An indicator's `formula` \
         is in the catalogue, each value's `method` and `note` in its row. The longer notes:\n"
    );
    for (name, text) in METHOD_NOTES {
        let title = text
            .lines()
            .find_map(|line| line.strip_prefix("# "))
            .unwrap_or(name);
        let _ = writeln!(w, "- [`methods/{name}`](methods/{name}): {title}");
    }
    let _ = writeln!(w, "\n## Checking the files\n");
    let _ = writeln!(
        w,
        "`{CHECKSUMS_FILE}` lists the SHA-256 of every other file; check them with\n\n    sha256sum -c {CHECKSUMS_FILE}"
    );
    out
}

fn synthetic_section(w: &mut String, facts: &ReleaseFacts<'_>) {
    let synthetic = facts.synthetic_sources();
    if synthetic.is_empty() {
        return;
    }
    let _ = writeln!(w, "## SYNTHETIC parts\n");
    let _ = writeln!(
        w,
        "These sources are SYNTHETIC: made by a seeded generator where no open data exist. \
         Figures computed from them describe no real objects; use them to try the method, \
         never as facts.\n"
    );
    for source in synthetic {
        let indicators: Vec<&str> = facts
            .indicators
            .iter()
            .filter(|def| def.source == source.id)
            .map(|def| def.id.as_str())
            .collect();
        let _ = write!(w, "- **SYNTHETIC** `{}`: {}", source.id, source.table);
        if let Some(note) = NoteFile::of(facts.notes, &source.id) {
            let _ = write!(w, " ([{}]({}))", note.path, note.path);
        }
        if !indicators.is_empty() {
            let _ = write!(w, ". Indicators: `{}`", indicators.join("`, `"));
        }
        let _ = writeln!(w);
    }
    let _ = writeln!(w);
}

fn files_section(w: &mut String, facts: &ReleaseFacts<'_>) {
    let _ = writeln!(w, "## Files\n");
    let _ = writeln!(w, "| file | what |\n|---|---|");
    let _ = writeln!(
        w,
        "| `indicators/{{id}}.csv` | one file per indicator of the catalogue: one row per area and year, with the columns of the API's CSV download (`/api/v1/observations?format=csv`) |"
    );
    let _ = writeln!(
        w,
        "| `indicators/{{id}}.parquet` | the same rows and columns as Parquet (`value` a nullable double, `year` int32, `parts` int64, the rest UTF-8 strings) |"
    );
    for (level, count) in facts.levels {
        let _ = writeln!(
            w,
            "| `boundaries/{}.geojson` | {count} {} boundaries, GeoJSON in WGS84 (EPSG:4326), properties `code`, `name`, `level`, `parent`, `first_year`, `last_year` |",
            level.as_str(),
            level.as_str()
        );
    }
    let _ = writeln!(
        w,
        "| `catalogue.json`, `catalogue.csv` | the indicator definitions: id, names (nl, en), description, theme, unit, kind, formula, decimals, source |"
    );
    let _ = writeln!(
        w,
        "| `sources.csv` | every source: id, file, table, licence, attribution, import time, its notes in this release |"
    );
    if !facts.notes.is_empty() {
        let _ = writeln!(
            w,
            "| `sources/*.md` | the bundle's notes on its sources (`SOURCE.md`), copied unchanged |"
        );
    }
    let _ = writeln!(w, "| `methods/*.md` | Leefbaar's method notes |");
    let _ = writeln!(w, "| `LICENSE` | the licences the data are under |");
    let _ = writeln!(w, "| `{CHECKSUMS_FILE}` | SHA-256 of every other file |\n");

    let _ = writeln!(w, "Columns of the indicator tables:\n");
    let reasons: Vec<&str> = MissingReason::ALL.iter().map(|r| r.as_str()).collect();
    let methods: Vec<&str> = Method::ALL.iter().map(|m| m.as_str()).collect();
    for (column, what) in [
        (
            "area",
            "CBS area code (`GM0106`, `WK010600`, `BU01060000`, `PV22`, `NL01`)",
        ),
        ("area_name", "the area's name"),
        (
            "level",
            "country, province, municipality, district, neighbourhood or postcode",
        ),
        (
            "year",
            "the statistical year (CBS reference date 1 January)",
        ),
        ("indicator", "the indicator id (`catalogue.csv`)"),
        (
            "value",
            "the number; empty when there is none (never 0 for missing)",
        ),
        (
            "method",
            &format!("how the value was obtained: {}", methods.join(", ")),
        ),
        ("note", "the formula or a sentence on the method"),
        (
            "source_rows",
            "the source lines read (`source:line` or `source:first-last`, `;`-separated)",
        ),
        ("parts", "the number of areas summed, for aggregates"),
    ] {
        let _ = writeln!(w, "- `{column}`: {what}");
        if column == "value" {
            let _ = writeln!(
                w,
                "- `missing`: why there is no value, when there is none: {} (`suppressed`: withheld by disclosure control, fewer than 10 persons)",
                reasons.join(", ")
            );
        }
    }
    let _ = writeln!(w);
}

fn sources_section(w: &mut String, facts: &ReleaseFacts<'_>) {
    let _ = writeln!(w, "## Sources and licences\n");
    if facts.notes.is_empty() {
        let _ = writeln!(
            w,
            "The bundle's own notes (`SOURCE.md`) were not on disk when this release was written; `sources.csv` has each source's licence and attribution.\n"
        );
    }
    for source in facts.sources {
        let _ = writeln!(w, "### `{}`\n", source.id);
        let _ = writeln!(w, "- Table: {}", source.table);
        let _ = writeln!(w, "- File in the bundle: `{}`", source.file);
        let _ = writeln!(w, "- Licence: {}", source.licence);
        let _ = writeln!(w, "- Attribution: {}", source.attribution);
        if let Some(note) = NoteFile::of(facts.notes, &source.id) {
            let _ = writeln!(
                w,
                "- Notes: [{}]({}) ({})",
                note.path, note.path, note.title
            );
        }
        let indicators = facts
            .indicators
            .iter()
            .filter(|def| def.source == source.id)
            .count();
        let _ = writeln!(w, "- Indicators citing it as their source: {indicators}\n");
    }
}

/// The licence note: the data are under their sources' licences.
pub(crate) fn licence(facts: &ReleaseFacts<'_>) -> String {
    let mut by_licence: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for source in facts.sources {
        by_licence
            .entry(source.licence.as_str())
            .or_default()
            .insert(source.id.as_str());
    }
    let mut out = String::new();
    let w = &mut out;
    let _ = writeln!(w, "Licences of Leefbaar data release {}\n", facts.id);
    let _ = writeln!(
        w,
        "The figures in this release are read or computed from the sources below and are \
         published under their licences: reuse them on those terms and show each source's \
         attribution (README.md, sources.csv). A figure computed from several sources is under \
         the terms of each of them.\n"
    );
    for (licence, ids) in &by_licence {
        let _ = writeln!(w, "{licence}");
        for id in ids {
            let _ = writeln!(w, "    {id}");
        }
        let _ = writeln!(w);
    }
    let _ = writeln!(
        w,
        "The software that wrote this release, Leefbaar {}, is licensed under the EUPL-1.2.",
        env!("CARGO_PKG_VERSION")
    );
    out
}
