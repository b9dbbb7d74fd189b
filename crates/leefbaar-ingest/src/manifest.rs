//! The manifest: which files make up a bundle, how to read them and how their columns map to
//! Leefbaar's base variables, so that adding a year or a column is an edit of data, not code.
//!
//! A manifest is TOML (see `data/drenthe/manifest.toml` for a commented example):
//!
//! - `[bundle]`: the bundle's id, name, version and the province it monitors; `[reach]`,
//!   `[projection]`, `[survey]` and `[aed]`: the inputs of the monitors that compute (see
//!   [`crate::BundleSpec`]).
//! - `[country]`: the code, name and years of the country area.
//! - `[[source]]`: one file each, with its publisher's table title, licence and attribution;
//!   how to read it as a table (`area`, `year_column` or `year`, `skip_areas`, ...) and/or as
//!   boundaries (`[source.boundaries]`); and its facts (`[[source.fact]]`).
//! - `[[areas]]`: which table defines the areas of a level, with name and parent columns.
//! - `[[postcodes]]`: postcode tables (see [`crate::PostcodeSpec`]).
//! - `[[places]]`: towns and villages with a point, for map labels (see [`crate::PlaceSpec`]).
//! - `[lineage]`: which municipalities merged into which, so series survive mergers (see
//!   [`crate::Lineage`]).
//!
//! A fact is `variable = "..."` with a `formula` of column names and numbers joined by `*` and
//! `/` (`"0_15 / 100 * aantal_inwoners"`), an optional `fallback` formula used where the first
//! has no value, or `sum` (a formula) over the rows of an area with an optional `where` range on
//! a column (`{ column = "leeftijd", min = 65 }`). A formula of one column (times numbers, such
//! as a unit conversion) is [`Method::Published`]; anything built from several columns is
//! [`Method::Reconstructed`], because it carries the rounding of the published percentages and
//! means it was computed from.
//!
//! # Fields for sources that arrive by manifest alone
//!
//! A new source (CBS statistics per postcode, the Leefbaarometer) should need a manifest entry
//! and a catalogue entry, not code. These fields cover what such tables do differently:
//!
//! - **`area_prefix`** (`[[source]]`, text): the area column holds the code without its level
//!   prefix, and the code is `area_prefix` followed by the column's text: `area = "pc4"`,
//!   `area_prefix = "PC"` reads `9401` as the postcode area `PC9401`. A whole number written with
//!   a decimal point (`9401.0`) counts as its digits. A text that does not make a CBS code is
//!   reported with file, line and field.
//! - **`code_prefix`** (`[source.boundaries]`, text): the same for a boundary file; its code
//!   property may then also be a JSON number (`"postcode": 9401.0` with `code_prefix = "PC"`
//!   is `PC9401`). Without it a code property must be a string holding the whole code.
//! - **`missing_symbols`** (`[[source]]`, table of text → reason): further cell texts of number
//!   columns that stand for a missing value, with their [`MissingReason`] (`not_collected`,
//!   `unknown` or `secret`), checked before CBS's own symbols. `{ "" = "secret" }` where a
//!   copy's documentation says its blanks are CBS's secrecy code `-99997`; `{ "#N/A" =
//!   "unknown" }` for a spreadsheet's "no value". Without it an empty cell is
//!   [`MissingReason::NotCollected`] and any other text that is no number is an error.
//! - **`skip_unknown_areas`** (`[[source]]`, boolean, default `false`): rows whose area the
//!   bundle does not declare are left out rather than refused, for a table on an older division
//!   of which only the codes that still exist are wanted (the Leefbaarometer's districts of
//!   2016). Without it such a row is an error naming its line.
//! - **`year`** (`[[source.fact]]`, number): the fact's own year, in place of the row's, for a
//!   table with one column per year (`formula = "kl02"`, `year = 2002`). Not allowed in a source
//!   with `year_column`; a source without `year` or `year_column` needs it on every fact.
//! - **`additive`** (`[[source.fact]]`, boolean, default `true`): `false` for a published value
//!   that does not add up over areas (a score, a class). The lineage does not sum it into merged
//!   municipalities (a merged municipality has no value for the years before it existed), and its
//!   years do not extend the years its area exists in (the Leefbaarometer gives 2002–2016 on the
//!   municipalities of 2016, some of which did not exist in 2012). A variable must be declared
//!   the same way in every fact, and the catalogue must declare it `additive = false` too (the
//!   importer in `leefbaar-monitor` checks). [`Bundle::non_additive`] lists these variables.
//! - **`[[areas]] name`** may be a template of text and `{column}`s instead of one column:
//!   `name = "{pc4} {place}"` names a postcode area `9401 Assen`. Runs of spaces left by empty
//!   cells are closed up; an unbalanced brace is a manifest error.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use leefbaar_model::{
    Area, AreaCode, AreaLevel, CellValue, Fact, Method, MissingReason, Place, Postcode, Source,
    SourceRow, Year,
};
use serde::Deserialize;

use crate::boundary::{BoundarySpec, Crs, read_boundaries, read_properties_table};
use crate::bundle_spec::{
    BundleSpec, RawAed, RawBundle, RawHospitals, RawProjection, RawReach, RawSchools, RawSections,
    RawSurvey, RawTypology,
};
use crate::error::{ImportError, Position, Problem, Problems};
use crate::lineage::{Lineage, LineageSpec};
use crate::place::{PlaceSpec, read_places};
use crate::postcode::{PostcodeSpec, read_postcodes};
use crate::table::{Convention, MAX_INPUT_BYTES, Table, TableSpec, YearSource, read_cbs_table};

/// Everything a manifest declares, read and checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Bundle {
    /// Every declared source, in manifest order; `imported_at` is left empty for the caller,
    /// since the library reads no clock.
    pub sources: Vec<Source>,
    /// The country, provinces, municipalities, districts and neighbourhoods, sorted by level
    /// and code.
    pub areas: Vec<Area>,
    /// The base-variable values, in manifest order (source, fact, row), then the figures of
    /// merged municipalities for the years before they existed (see [`crate::Lineage`]).
    pub facts: Vec<Fact>,
    /// Four-digit postcode areas, by postcode; where two `[[postcodes]]` files list the same
    /// postcode, the first file wins.
    pub postcodes: Vec<Postcode>,
    /// Named places (towns, villages), by municipality and name.
    pub places: Vec<Place>,
    /// The bundle's identity, province and monitor inputs.
    pub spec: BundleSpec,
    /// Every file the manifest names (sources, lineage, postcode tables), in its order, so a
    /// caller can fingerprint what was imported.
    pub files: Vec<PathBuf>,
    /// The variables the manifest declares `additive = false` (published scores and classes),
    /// sorted: the lineage leaves them alone and they do not extend their areas' years. The
    /// catalogue must say the same of them (the importer checks).
    pub non_additive: Vec<String>,
}

/// How far loading has got, for a progress bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    /// Steps finished.
    pub done: usize,
    /// Steps in all.
    pub total: usize,
    /// What the next step is, e.g. `reading kwb_gemeenten_2012_2024`.
    pub label: String,
}

/// Loads the bundle a manifest declares; paths in it are relative to the manifest.
pub fn load_manifest(path: &Path) -> Result<Bundle, ImportError> {
    load_manifest_with_progress(path, &mut |_| {})
}

/// Like [`load_manifest`], calling `progress` before each step and once when done.
pub fn load_manifest_with_progress(
    path: &Path,
    progress: &mut dyn FnMut(Progress),
) -> Result<Bundle, ImportError> {
    let manifest = parse_manifest(path)?;
    let base = path.parent().unwrap_or(Path::new("."));
    let outline = manifest.outline(path, base)?;
    Loader::new(path, base, manifest, outline)?.run(progress)
}

/// Checks a manifest without stopping at the first bad file: every table, boundary file and
/// lineage file is read on its own (and every listed-only file must exist), and each one that
/// fails gives its error, with all its problems. When all of them read, the bundle is loaded
/// as [`load_manifest`] loads it (areas, facts, postcodes, places), whose first error is then
/// the one reported. A manifest that cannot be parsed gives that error alone.
pub fn check_manifest(path: &Path) -> Result<Bundle, Vec<ImportError>> {
    let manifest = parse_manifest(path).map_err(|error| vec![error])?;
    let base = path.parent().unwrap_or(Path::new("."));
    let outline = manifest.outline(path, base).map_err(|error| vec![error])?;
    let loader = Loader::new(path, base, manifest, outline).map_err(|error| vec![error])?;
    let errors = loader.read_each_file();
    if !errors.is_empty() {
        return Err(errors);
    }
    loader.run(&mut |_| {}).map_err(|error| vec![error])
}

/// Reads a manifest's `[bundle]` and monitor sections and the files it names, without reading
/// any table: what a server needs to prepare its monitors, and to tell whether the bundle on
/// disk is the one imported.
pub fn read_bundle_spec(path: &Path) -> Result<(BundleSpec, Vec<PathBuf>), ImportError> {
    let base = path.parent().unwrap_or(Path::new("."));
    parse_manifest(path)?.outline(path, base)
}

fn parse_manifest(path: &Path) -> Result<ManifestFile, ImportError> {
    let text =
        String::from_utf8(crate::table::read_limited(path, MAX_INPUT_BYTES)?).map_err(|_| {
            ImportError::Manifest {
                file: path.to_owned(),
                message: "expected UTF-8 text".to_owned(),
            }
        })?;
    toml::from_str(&text).map_err(|error| ImportError::Manifest {
        file: path.to_owned(),
        message: error.to_string().trim_end().to_owned(),
    })
}

impl ManifestFile {
    /// The monitor sections, checked, and every file the manifest names (sources, lineage,
    /// postcode tables), resolved against `base`.
    fn outline(&self, path: &Path, base: &Path) -> Result<(BundleSpec, Vec<PathBuf>), ImportError> {
        let spec = RawSections {
            bundle: self.bundle.clone(),
            reach: self.reach.clone(),
            projection: self.projection.clone(),
            survey: self.survey.clone(),
            aed: self.aed.clone(),
            typology: self.typology.clone(),
            hospitals: self.hospitals.clone(),
            schools: self.schools.clone(),
        }
        .check(path, base)?;
        let mut files: Vec<PathBuf> = Vec::new();
        let named = self
            .sources
            .iter()
            .map(|source| &source.file)
            .chain(self.lineage.iter().map(|lineage| &lineage.file))
            .chain(self.postcodes.iter().map(|postcodes| &postcodes.file))
            .chain(self.places.iter().map(|places| &places.file))
            .chain(self.typology.iter().map(|typology| &typology.file));
        for file in named {
            let file = base.join(file);
            if !files.contains(&file) {
                files.push(file);
            }
        }
        Ok((spec, files))
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ManifestFile {
    bundle: RawBundle,
    reach: Option<RawReach>,
    projection: Option<RawProjection>,
    survey: Option<RawSurvey>,
    aed: Option<RawAed>,
    typology: Option<RawTypology>,
    hospitals: Option<RawHospitals>,
    schools: Option<RawSchools>,
    country: CountrySpec,
    #[serde(rename = "source")]
    sources: Vec<SourceSpec>,
    #[serde(default)]
    areas: Vec<AreaSpec>,
    #[serde(default)]
    postcodes: Vec<PostcodeSpec>,
    #[serde(default)]
    places: Vec<PlaceSpec>,
    #[serde(default)]
    lineage: Option<LineageSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CountrySpec {
    code: String,
    name: String,
    years: [u16; 2],
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Format {
    #[default]
    Csv,
    Geojson,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceSpec {
    id: String,
    file: String,
    table: String,
    licence: String,
    attribution: String,
    #[serde(default)]
    format: Format,
    convention: Option<Convention>,
    /// The area-code column; a source without one is not read as a table.
    area: Option<String>,
    /// Put in front of the area column's text to make the code (`PC` + `9401`).
    area_prefix: Option<String>,
    /// Further cell texts that stand for a missing value, with the reason's name.
    #[serde(default)]
    missing_symbols: BTreeMap<String, String>,
    /// Leave out rows whose area the bundle does not declare, rather than refusing them.
    #[serde(default)]
    skip_unknown_areas: bool,
    year_column: Option<String>,
    year: Option<u16>,
    #[serde(default)]
    key_columns: Vec<String>,
    #[serde(default)]
    skip_areas: Vec<String>,
    #[serde(default)]
    levels: Vec<String>,
    #[serde(default)]
    skip_empty_years: bool,
    boundaries: Option<BoundarySection>,
    #[serde(default, rename = "fact")]
    facts: Vec<FactSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BoundarySection {
    code: String,
    code_prefix: Option<String>,
    name: Option<String>,
    crs: Option<Crs>,
    years: [u16; 2],
}

impl BoundarySection {
    /// How to read the boundaries (years checked in [`Loader::new`]).
    fn spec(&self) -> BoundarySpec {
        BoundarySpec {
            code_property: self.code.clone(),
            code_prefix: self.code_prefix.clone(),
            name_property: self.name.clone(),
            crs: self.crs,
            years: (year(self.years[0]), year(self.years[1])),
            max_bytes: MAX_INPUT_BYTES,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FactSpec {
    variable: String,
    formula: Option<String>,
    fallback: Option<String>,
    sum: Option<String>,
    #[serde(rename = "where")]
    filter: Option<RangeFilter>,
    method: Option<String>,
    /// The fact's own year, for tables with one column per year (`kl02`, `kl08`, ...).
    year: Option<u16>,
    /// `false` for a published value that does not add up over areas (a score, a class).
    additive: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RangeFilter {
    column: String,
    min: Option<f64>,
    max: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AreaSpec {
    source: String,
    /// A text column holding the code; the table's area column if absent.
    code: Option<String>,
    name: Option<String>,
    parent: Option<ParentSpec>,
    years: Option<[u16; 2]>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ParentSpec {
    source: String,
    column: String,
}

/// A parsed formula: terms joined by `*` and `/`, the first multiplied into 1.
#[derive(Debug, Clone, PartialEq)]
struct Formula {
    terms: Vec<(Operator, Term)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Operator {
    Times,
    Divide,
}

#[derive(Debug, Clone, PartialEq)]
enum Term {
    Number(f64),
    Column(String),
}

impl Formula {
    fn parse(text: &str) -> Result<Formula, String> {
        let mut terms = Vec::new();
        let mut operator = Operator::Times;
        let mut expect_term = true;
        for token in text.split_whitespace() {
            if expect_term {
                if matches!(token, "*" | "/") {
                    return Err(format!("expected a column or number, found `{token}`"));
                }
                // A number is anything Rust reads as one; CBS column names such as `0_15` or
                // `65plus` are not, so they stay columns.
                let term = match token.parse::<f64>() {
                    Ok(number) if number.is_finite() => Term::Number(number),
                    _ => Term::Column(token.to_owned()),
                };
                terms.push((operator, term));
            } else {
                operator = match token {
                    "*" => Operator::Times,
                    "/" => Operator::Divide,
                    _ => return Err(format!("expected `*` or `/`, found `{token}`")),
                };
            }
            expect_term = !expect_term;
        }
        if terms.is_empty() || expect_term {
            return Err(format!(
                "expected a formula such as `a / 100 * b`, found `{text}`"
            ));
        }
        Ok(Formula { terms })
    }

    fn columns(&self) -> impl Iterator<Item = &str> {
        self.terms.iter().filter_map(|(_, term)| match term {
            Term::Column(column) => Some(column.as_str()),
            Term::Number(_) => None,
        })
    }

    /// One column, scaled by numbers only: the published figure in another unit.
    fn method(&self) -> Method {
        if self.columns().count() == 1
            && self.terms.iter().all(|(operator, term)| {
                *operator == Operator::Times || matches!(term, Term::Number(_))
            })
        {
            Method::Published
        } else {
            Method::Reconstructed
        }
    }

    /// The value on a row; a missing input gives its reason, a zero divisor `NotApplicable`.
    fn evaluate(&self, table: &Table, row: &crate::table::Row) -> CellValue {
        let mut value = 1.0;
        for (operator, term) in &self.terms {
            let operand = match term {
                Term::Number(number) => *number,
                Term::Column(column) => match table.number(row, column) {
                    Some(CellValue::Value(number)) => number,
                    Some(CellValue::Missing(reason)) => return CellValue::Missing(reason),
                    None => return CellValue::Missing(MissingReason::NotCollected),
                },
            };
            match operator {
                Operator::Times => value *= operand,
                Operator::Divide if operand == 0.0 => {
                    return CellValue::Missing(MissingReason::NotApplicable);
                }
                Operator::Divide => value /= operand,
            }
        }
        CellValue::Value(value)
    }
}

/// An area as seen in a table: name, the year of that name, first and last year.
type Seen = (String, Option<Year>, Option<Year>, Option<Year>);

/// A fact rule as checked at load time.
struct FactRule {
    variable: String,
    kind: FactKind,
    method: Option<Method>,
    /// The fact's own year, which takes the place of the row's.
    year: Option<Year>,
}

enum FactKind {
    PerRow {
        formula: Formula,
        fallback: Option<Formula>,
    },
    Sum {
        formula: Formula,
        filter: Option<RangeFilter>,
    },
}

struct Loader<'m> {
    manifest_path: &'m Path,
    base: &'m Path,
    manifest: ManifestFile,
    spec: BundleSpec,
    files: Vec<PathBuf>,
    rules: Vec<Vec<FactRule>>,
    /// Variables declared `additive = false`, sorted.
    non_additive: Vec<String>,
    tables: HashMap<String, Table>,
}

impl<'m> Loader<'m> {
    /// Checks what can be checked without reading data: formulas, years, references.
    fn new(
        manifest_path: &'m Path,
        base: &'m Path,
        manifest: ManifestFile,
        (spec, files): (BundleSpec, Vec<PathBuf>),
    ) -> Result<Loader<'m>, ImportError> {
        let bad = |message: String| ImportError::Manifest {
            file: manifest_path.to_owned(),
            message,
        };
        let mut ids = HashSet::new();
        let mut rules = Vec::new();
        // Variable → (additive, the first source declaring it), to refuse a contradiction.
        let mut non_additive: HashMap<String, (bool, String)> = HashMap::new();
        for source in &manifest.sources {
            if !ids.insert(source.id.as_str()) {
                return Err(bad(format!("source `{}` is declared twice", source.id)));
            }
            if source.year.is_some() && source.year_column.is_some() {
                return Err(bad(format!(
                    "source `{}`: give `year` or `year_column`, not both",
                    source.id
                )));
            }
            if let Some(year) = source.year {
                Year::new(year).map_err(|error| bad(format!("source `{}`: {error}", source.id)))?;
            }
            for level in &source.levels {
                level
                    .parse::<AreaLevel>()
                    .map_err(|error| bad(format!("source `{}`: {error}", source.id)))?;
            }
            if !source.facts.is_empty() && source.area.is_none() {
                return Err(bad(format!(
                    "source `{}` has facts, so it needs `area`",
                    source.id
                )));
            }
            for (symbol, reason) in &source.missing_symbols {
                if missing_symbol_reason(reason).is_none() {
                    return Err(bad(format!(
                        "source `{}`, field `missing_symbols`, symbol `{symbol}`: expected the reason `not_collected`, `unknown` or `secret`, found `{reason}`",
                        source.id
                    )));
                }
            }
            if source.area_prefix.is_some() && source.area.is_none() {
                return Err(bad(format!(
                    "source `{}`: `area_prefix` needs `area`",
                    source.id
                )));
            }
            let mut source_rules = Vec::new();
            for fact in &source.facts {
                let at = |message: String| {
                    bad(format!(
                        "source `{}`, fact `{}`: {message}",
                        source.id, fact.variable
                    ))
                };
                let parse = |text: &str| Formula::parse(text).map_err(at);
                let kind = match (&fact.formula, &fact.sum) {
                    (Some(formula), None) if fact.filter.is_none() => FactKind::PerRow {
                        formula: parse(formula)?,
                        fallback: fact.fallback.as_deref().map(parse).transpose()?,
                    },
                    (None, Some(sum)) if fact.fallback.is_none() => FactKind::Sum {
                        formula: parse(sum)?,
                        filter: fact.filter.as_ref().map(|filter| RangeFilter {
                            column: filter.column.clone(),
                            min: filter.min,
                            max: filter.max,
                        }),
                    },
                    _ => {
                        return Err(at(
                            "expected either `formula` (with an optional `fallback`) or `sum` (with an optional `where`)"
                                .to_owned(),
                        ));
                    }
                };
                let method = fact
                    .method
                    .as_deref()
                    .map(str::parse::<Method>)
                    .transpose()
                    .map_err(|error| at(error.to_string()))?;
                let fact_year = match (fact.year, source.year, &source.year_column) {
                    (Some(_), _, Some(_)) => {
                        return Err(at(
                            "give the fact a `year` only in a source without `year_column`"
                                .to_owned(),
                        ));
                    }
                    (None, None, None) => {
                        return Err(at(
                            "no year: give the source `year` or `year_column`, or the fact `year`"
                                .to_owned(),
                        ));
                    }
                    (Some(year), ..) => {
                        Some(Year::new(year).map_err(|error| at(format!("`year`: {error}")))?)
                    }
                    (None, ..) => None,
                };
                let additive = fact.additive.unwrap_or(true);
                match non_additive.get(fact.variable.as_str()) {
                    Some(&(first_additive, ref first_source)) if first_additive != additive => {
                        return Err(at(format!(
                            "`additive = {additive}` here but `additive = {first_additive}` in source `{first_source}`: a variable either adds up over areas or not"
                        )));
                    }
                    Some(_) => {}
                    None => {
                        non_additive.insert(fact.variable.clone(), (additive, source.id.clone()));
                    }
                }
                source_rules.push(FactRule {
                    variable: fact.variable.clone(),
                    kind,
                    method,
                    year: fact_year,
                });
            }
            rules.push(source_rules);
        }
        let known = |id: &str| manifest.sources.iter().any(|source| source.id == id);
        for area in &manifest.areas {
            for id in std::iter::once(&area.source).chain(area.parent.as_ref().map(|p| &p.source)) {
                if !known(id) {
                    return Err(bad(format!("areas: no source `{id}` is declared")));
                }
            }
            if let Some(name) = &area.name {
                NameTemplate::parse(name).map_err(|message| {
                    bad(format!("areas of `{}`, `name`: {message}", area.source))
                })?;
            }
        }
        let mut non_additive: Vec<String> = non_additive
            .into_iter()
            .filter(|(_, (additive, _))| !additive)
            .map(|(variable, _)| variable)
            .collect();
        non_additive.sort();
        for years in manifest
            .areas
            .iter()
            .filter_map(|area| area.years)
            .chain(std::iter::once(manifest.country.years))
            .chain(
                manifest
                    .sources
                    .iter()
                    .filter_map(|s| s.boundaries.as_ref().map(|b| b.years)),
            )
        {
            for year in years {
                Year::new(year).map_err(|error| bad(error.to_string()))?;
            }
        }
        AreaCode::parse(&manifest.country.code)
            .map_err(|error| bad(format!("country: {error}")))?;
        Ok(Loader {
            manifest_path,
            base,
            manifest,
            spec,
            files,
            rules,
            non_additive,
            tables: HashMap::new(),
        })
    }

    fn run(mut self, progress: &mut dyn FnMut(Progress)) -> Result<Bundle, ImportError> {
        let n_reads = self
            .manifest
            .sources
            .iter()
            .map(|source| {
                usize::from(source.area.is_some()) + usize::from(source.boundaries.is_some())
            })
            .sum::<usize>();
        let total = n_reads + 2;
        let mut done = 0;
        let mut step = |label: String, progress: &mut dyn FnMut(Progress)| {
            progress(Progress { done, total, label });
            done += 1;
        };

        for index in 0..self.manifest.sources.len() {
            let source = &self.manifest.sources[index];
            if source.area.is_none() {
                continue;
            }
            step(format!("reading {}", source.id), progress);
            let spec = self.table_spec(index);
            let path = self.base.join(&source.file);
            let table = match source.format {
                Format::Csv => read_cbs_table(&path, &spec)?,
                Format::Geojson => read_properties_table(&path, &spec)?,
            };
            self.tables.insert(source.id.clone(), table);
        }

        step("building areas".to_owned(), progress);
        let mut areas = self.areas_from_tables()?;
        for source in &self.manifest.sources {
            let Some(boundaries) = &source.boundaries else {
                continue;
            };
            step(format!("reading boundaries {}", source.id), progress);
            let path = self.base.join(&source.file);
            let spec = boundaries.spec();
            let mut problems = Problems::new();
            for (index, area) in read_boundaries(&path, &spec)?.into_iter().enumerate() {
                match areas.get_mut(&area.code) {
                    Some(existing) if existing.geometry_geojson.is_some() => {
                        problems.push(Problem {
                            position: Position::Feature {
                                index,
                                code: Some(area.code.to_string()),
                            },
                            field: Some(boundaries.code.clone()),
                            found: "a second boundary".to_owned(),
                            expected: "one boundary per area over all sources".to_owned(),
                        });
                    }
                    Some(existing) => existing.geometry_geojson = area.geometry_geojson,
                    None => {
                        areas.insert(area.code.clone(), area);
                    }
                }
            }
            problems.into_result(&path.display().to_string())?;
        }

        step("computing facts".to_owned(), progress);
        let facts = self.facts(&areas)?;
        progress(Progress {
            done: total,
            total,
            label: "done".to_owned(),
        });

        // A parent derived from a code need not exist: the 2019 neighbourhood map has districts
        // that were renumbered by 2024 (Borger-Odoorn). A dangling parent would break every
        // roll-up that follows it, so it is dropped and the area rolls up nowhere.
        let codes: HashSet<AreaCode> = areas.keys().cloned().collect();
        for area in areas.values_mut() {
            if area
                .parent
                .as_ref()
                .is_some_and(|parent| !codes.contains(parent))
            {
                area.parent = None;
            }
        }
        // An area exists at least in every year a source has figures for it: the 2020 age
        // table lists municipalities that merged before the next KWB edition, and leaving them
        // out of 2020 would make the Netherlands' 2020 total short by their inhabitants.
        // A published score is different: the Leefbaarometer gives 2002–2016 on the
        // municipalities of 2016, and a municipality formed in 2014 that "existed" in 2012 would
        // leave its predecessors' 2012 totals incomplete. Such values are in no total, so the
        // years of their areas are left to the counts.
        let is_additive = |variable: &str| {
            self.non_additive
                .binary_search_by(|v| v.as_str().cmp(variable))
                .is_err()
        };
        for fact in facts.iter().filter(|fact| is_additive(&fact.variable)) {
            if let Some(area) = areas.get_mut(&fact.area) {
                area.first_year = area.first_year.min(fact.year);
                area.last_year = area.last_year.max(fact.year);
            }
        }
        let mut areas: Vec<Area> = areas.into_values().collect();
        let mut facts = facts;
        if let Some(spec) = &self.manifest.lineage {
            let lineage = Lineage::read(&self.base.join(&spec.file))?;
            for (code, parent) in lineage.successor_parents(&areas, spec.target_year) {
                if let Some(area) = areas.iter_mut().find(|area| area.code == code) {
                    area.parent = Some(parent);
                }
            }
            // Scores and classes of merged-away municipalities cannot be summed into their
            // successor (nor averaged without the publisher's weights): the lineage sees counts
            // only.
            let redistricted = if self.non_additive.is_empty() {
                lineage.redistrict(&areas, &facts, spec.target_year)
            } else {
                let counts: Vec<Fact> = facts
                    .iter()
                    .filter(|fact| is_additive(&fact.variable))
                    .cloned()
                    .collect();
                lineage.redistrict(&areas, &counts, spec.target_year)
            };
            facts.extend(redistricted);
        }
        areas.sort_by(|a, b| (a.level(), &a.code).cmp(&(b.level(), &b.code)));
        let sources = self
            .manifest
            .sources
            .iter()
            .map(|source| Source {
                id: source.id.clone(),
                file: source.file.clone(),
                table: source.table.clone(),
                licence: source.licence.clone(),
                attribution: source.attribution.clone(),
                imported_at: String::new(),
            })
            .collect();
        let postcodes = self.postcodes(&areas)?;
        let known: BTreeSet<AreaCode> = areas.iter().map(|area| area.code.clone()).collect();
        let mut places = Vec::new();
        for spec in &self.manifest.places {
            places.extend(read_places(&self.base.join(&spec.file), spec, &known)?);
        }
        Ok(Bundle {
            sources,
            areas,
            facts,
            postcodes,
            places,
            spec: self.spec,
            files: self.files,
            non_additive: self.non_additive,
        })
    }

    fn postcodes(&self, areas: &[Area]) -> Result<Vec<Postcode>, ImportError> {
        let known: std::collections::BTreeSet<AreaCode> =
            areas.iter().map(|area| area.code.clone()).collect();
        let mut postcodes: BTreeMap<u16, Postcode> = BTreeMap::new();
        for spec in &self.manifest.postcodes {
            for postcode in read_postcodes(&self.base.join(&spec.file), spec, &known)? {
                postcodes.entry(postcode.pc4).or_insert(postcode);
            }
        }
        Ok(postcodes.into_values().collect())
    }

    /// Reads every table, boundary and lineage file on its own, and checks that every other
    /// file the manifest names exists: the error of each file that fails, in manifest order.
    fn read_each_file(&self) -> Vec<ImportError> {
        let mut errors = Vec::new();
        for (index, source) in self.manifest.sources.iter().enumerate() {
            let path = self.base.join(&source.file);
            if source.area.is_some() {
                let spec = self.table_spec(index);
                let read = match source.format {
                    Format::Csv => read_cbs_table(&path, &spec).map(drop),
                    Format::Geojson => read_properties_table(&path, &spec).map(drop),
                };
                errors.extend(read.err());
            }
            if let Some(boundaries) = &source.boundaries {
                errors.extend(read_boundaries(&path, &boundaries.spec()).err());
            }
            if source.area.is_none() && source.boundaries.is_none() {
                errors.extend(fs_err::metadata(&path).err().map(ImportError::Io));
            }
        }
        if let Some(spec) = &self.manifest.lineage {
            errors.extend(Lineage::read(&self.base.join(&spec.file)).err());
        }
        // Postcodes and places are checked against the areas, so only when everything reads.
        let later = (self.manifest.postcodes.iter().map(|spec| &spec.file))
            .chain(self.manifest.places.iter().map(|spec| &spec.file));
        for file in later {
            errors.extend(
                fs_err::metadata(self.base.join(file))
                    .err()
                    .map(ImportError::Io),
            );
        }
        errors
    }

    /// The table spec of a source: its declared reading options plus every column its facts
    /// and the area declarations use, so a missing column is caught at the header.
    fn table_spec(&self, index: usize) -> TableSpec {
        let source = &self.manifest.sources[index];
        let mut number_columns: Vec<String> = Vec::new();
        let mut text_columns: Vec<String> = Vec::new();
        let add = |list: &mut Vec<String>, column: &str| {
            if !list.iter().any(|c| c == column) {
                list.push(column.to_owned());
            }
        };
        for rule in &self.rules[index] {
            let formulas: Vec<&Formula> = match &rule.kind {
                FactKind::PerRow { formula, fallback } => {
                    std::iter::once(formula).chain(fallback.as_ref()).collect()
                }
                FactKind::Sum { formula, filter } => {
                    if let Some(filter) = filter {
                        add(&mut text_columns, &filter.column);
                    }
                    vec![formula]
                }
            };
            for column in formulas.into_iter().flat_map(Formula::columns) {
                add(&mut number_columns, column);
            }
        }
        for area in &self.manifest.areas {
            if area.source == source.id {
                if let Some(column) = &area.code {
                    add(&mut text_columns, column);
                }
                if let Some(Ok(template)) = area.name.as_deref().map(NameTemplate::parse) {
                    for column in template.columns() {
                        add(&mut text_columns, column);
                    }
                }
            }
            if let Some(parent) = area.parent.as_ref().filter(|p| p.source == source.id) {
                add(&mut text_columns, &parent.column);
            }
        }
        TableSpec {
            convention: source.convention,
            area_column: source.area.clone().unwrap_or_default(),
            area_prefix: source.area_prefix.clone(),
            missing_symbols: source
                .missing_symbols
                .iter()
                .filter_map(|(symbol, reason)| {
                    Some((symbol.clone(), missing_symbol_reason(reason)?))
                })
                .collect(),
            year: match (&source.year_column, source.year) {
                (Some(column), _) => YearSource::Column(column.clone()),
                (None, Some(fixed)) => YearSource::Fixed(year(fixed)),
                (None, None) => YearSource::None,
            },
            number_columns,
            text_columns,
            key_columns: source.key_columns.clone(),
            skip_areas: source.skip_areas.clone(),
            levels: source
                .levels
                .iter()
                .filter_map(|level| level.parse().ok())
                .collect(),
            max_bytes: MAX_INPUT_BYTES,
        }
    }

    fn table(&self, id: &str) -> Result<&Table, ImportError> {
        self.tables.get(id).ok_or_else(|| ImportError::Manifest {
            file: self.manifest_path.to_owned(),
            message: format!("source `{id}` is used for areas, so it needs an `area` column"),
        })
    }

    fn areas_from_tables(&self) -> Result<BTreeMap<AreaCode, Area>, ImportError> {
        let country = &self.manifest.country;
        let country_code = AreaCode::parse(&country.code).expect("checked in Loader::new");
        let country_years = (year(country.years[0]), year(country.years[1]));
        let mut areas = BTreeMap::new();
        areas.insert(
            country_code.clone(),
            Area {
                code: country_code.clone(),
                name: country.name.clone(),
                parent: None,
                first_year: country_years.0,
                last_year: country_years.1,
                geometry_geojson: None,
            },
        );
        for spec in &self.manifest.areas {
            let table = self.table(&spec.source)?;
            let mut problems = Problems::new();
            let parents = match &spec.parent {
                Some(parent) => Some(self.parent_lookup(parent)?),
                None => None,
            };
            let mut found: BTreeMap<AreaCode, Seen> = BTreeMap::new();
            for row in &table.rows {
                let code = match &spec.code {
                    None => row.area.clone(),
                    Some(column) => {
                        let text = table.text(row, column).unwrap_or_default();
                        let Ok(code) = AreaCode::parse(text) else {
                            problems.push(Problem::at_line(
                                row.line,
                                Some(column),
                                "a CBS area code",
                                text,
                            ));
                            continue;
                        };
                        code
                    }
                };
                let name = spec
                    .name
                    .as_deref()
                    .and_then(|name| NameTemplate::parse(name).ok())
                    .map(|template| template.render(table, row))
                    .filter(|name| !name.is_empty())
                    .unwrap_or_else(|| code.as_str().to_owned());
                let entry = found
                    .entry(code)
                    .or_insert_with(|| (name.clone(), row.year, row.year, row.year));
                // The latest year's name wins: municipalities are known by their current name.
                if row.year >= entry.1 {
                    entry.0 = name;
                    entry.1 = row.year;
                }
                entry.2 = entry.2.min(row.year);
                entry.3 = entry.3.max(row.year);
            }
            problems.into_result(&table.file)?;
            for (code, (name, _, first, last)) in found {
                let (first_year, last_year) = match (spec.years, first, last) {
                    (Some([from, to]), ..) => (year(from), year(to)),
                    (None, Some(first), Some(last)) => (first, last),
                    _ => country_years,
                };
                let parent = match (&parents, code.level()) {
                    (Some(parents), _) => parents.get(&code).cloned(),
                    (None, AreaLevel::Province) => Some(country_code.clone()),
                    (None, AreaLevel::District) => code.municipality(),
                    (None, AreaLevel::Neighbourhood) => code.district(),
                    (None, _) => None,
                };
                areas.insert(
                    code.clone(),
                    Area {
                        code,
                        name,
                        parent,
                        first_year,
                        last_year,
                        geometry_geojson: None,
                    },
                );
            }
        }
        Ok(areas)
    }

    /// Area → parent code, from a classification table such as Gebieden in Nederland.
    fn parent_lookup(
        &self,
        parent: &ParentSpec,
    ) -> Result<HashMap<AreaCode, AreaCode>, ImportError> {
        let table = self.table(&parent.source)?;
        let mut problems = Problems::new();
        let mut lookup = HashMap::new();
        for row in &table.rows {
            let text = table.text(row, &parent.column).unwrap_or_default();
            match AreaCode::parse(text) {
                Ok(code) => {
                    lookup.insert(row.area.clone(), code);
                }
                Err(_) => problems.push(Problem::at_line(
                    row.line,
                    Some(&parent.column),
                    "a CBS area code",
                    text,
                )),
            }
        }
        problems.into_result(&table.file).map(|()| lookup)
    }

    fn facts(&self, areas: &BTreeMap<AreaCode, Area>) -> Result<Vec<Fact>, ImportError> {
        let mut all_facts = Vec::new();
        // (area, year, variable) → (source, line), to refuse a second value for the same cell.
        let mut seen: HashMap<(AreaCode, Year, String), (String, u64)> = HashMap::new();
        for (index, source) in self.manifest.sources.iter().enumerate() {
            let Some(table) = self.tables.get(&source.id) else {
                continue;
            };
            let mut facts = Vec::new();
            for rule in &self.rules[index] {
                let mut rule_facts = match &rule.kind {
                    FactKind::PerRow { formula, fallback } => {
                        per_row_facts(&source.id, table, rule, formula, fallback.as_ref())
                    }
                    FactKind::Sum { formula, filter } => {
                        summed_facts(&source.id, table, rule, formula, filter.as_ref())
                    }
                };
                if source.skip_empty_years {
                    // A column CBS did not publish in a year is absent, not missing per area:
                    // emitting thousands of `NotCollected` facts would only hide real gaps.
                    let years_with_data: HashSet<Year> = rule_facts
                        .iter()
                        .filter(|fact| {
                            fact.value != CellValue::Missing(MissingReason::NotCollected)
                        })
                        .map(|fact| fact.year)
                        .collect();
                    rule_facts.retain(|fact| years_with_data.contains(&fact.year));
                }
                facts.extend(rule_facts);
            }
            if source.skip_unknown_areas {
                // A table on an older division (the Leefbaarometer's districts of 2016): only
                // the codes the bundle still has are wanted.
                facts.retain(|fact| areas.contains_key(&fact.area));
            }
            let mut problems = Problems::new();
            for fact in &facts {
                let line = fact.rows.first().map_or(0, |row| row.line);
                if !areas.contains_key(&fact.area) {
                    problems.push(Problem::at_line(
                        line,
                        Some(&fact.variable),
                        "an area declared in the manifest's areas or boundaries",
                        fact.area.to_string(),
                    ));
                }
                let key = (fact.area.clone(), fact.year, fact.variable.clone());
                if let Some((first_source, first_line)) = seen.get(&key) {
                    problems.push(Problem::at_line(
                        line,
                        Some(&fact.variable),
                        format!(
                            "one value per area, year and variable (already given by `{first_source}` line {first_line})"
                        ),
                        format!("{} {}", fact.area, fact.year),
                    ));
                } else {
                    seen.insert(key, (source.id.clone(), line));
                }
            }
            problems.into_result(&table.file)?;
            all_facts.extend(facts);
        }
        Ok(all_facts)
    }
}

fn per_row_facts(
    source: &str,
    table: &Table,
    rule: &FactRule,
    formula: &Formula,
    fallback: Option<&Formula>,
) -> Vec<Fact> {
    table
        .rows
        .iter()
        .filter_map(|row| {
            let year = rule.year.or(row.year)?;
            let mut value = formula.evaluate(table, row);
            let mut method = formula.method();
            if let (CellValue::Missing(_), Some(fallback)) = (value, fallback)
                && let CellValue::Value(number) = fallback.evaluate(table, row)
            {
                value = CellValue::Value(number);
                method = fallback.method();
            }
            Some(Fact {
                area: row.area.clone(),
                year,
                variable: rule.variable.clone(),
                value,
                method: rule.method.unwrap_or(method),
                rows: vec![SourceRow {
                    source: source.to_owned(),
                    line: row.line,
                }],
            })
        })
        .collect()
}

fn summed_facts(
    source: &str,
    table: &Table,
    rule: &FactRule,
    formula: &Formula,
    filter: Option<&RangeFilter>,
) -> Vec<Fact> {
    let mut order: Vec<(AreaCode, Year)> = Vec::new();
    let mut sums: HashMap<(AreaCode, Year), (CellValue, Vec<SourceRow>)> = HashMap::new();
    for row in &table.rows {
        let Some(year) = rule.year.or(row.year) else {
            continue;
        };
        if let Some(filter) = filter {
            let Some(number) = table
                .text(row, &filter.column)
                .and_then(|text| text.parse::<f64>().ok())
            else {
                continue;
            };
            if filter.min.is_some_and(|min| number < min)
                || filter.max.is_some_and(|max| number > max)
            {
                continue;
            }
        }
        let key = (row.area.clone(), year);
        let entry = sums.entry(key.clone()).or_insert_with(|| {
            order.push(key);
            (CellValue::Value(0.0), Vec::new())
        });
        entry.0 = match (entry.0, formula.evaluate(table, row)) {
            (CellValue::Value(sum), CellValue::Value(value)) => CellValue::Value(sum + value),
            (CellValue::Missing(reason), _) | (_, CellValue::Missing(reason)) => {
                CellValue::Missing(reason)
            }
        };
        entry.1.push(SourceRow {
            source: source.to_owned(),
            line: row.line,
        });
    }
    order
        .into_iter()
        .map(|key| {
            let (value, rows) = sums
                .remove(&key)
                .unwrap_or((CellValue::Value(0.0), Vec::new()));
            Fact {
                area: key.0,
                year: key.1,
                variable: rule.variable.clone(),
                value,
                method: rule.method.unwrap_or(formula.method()),
                rows,
            }
        })
        .collect()
}

/// The reason a missing-value symbol stands for, as the manifest's `missing_symbols` names it.
fn missing_symbol_reason(text: &str) -> Option<MissingReason> {
    match text {
        "not_collected" => Some(MissingReason::NotCollected),
        "unknown" => Some(MissingReason::Unknown),
        "secret" => Some(MissingReason::Secret),
        _ => None,
    }
}

/// An area's name: one column (`gemeentenaam`), or a template of text and `{column}`s
/// (`"{pc4} {place}"` gives `9401 Assen`).
#[derive(Debug, Clone, PartialEq, Eq)]
enum NameTemplate {
    Column(String),
    Pieces(Vec<NamePiece>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum NamePiece {
    Text(String),
    Column(String),
}

impl NameTemplate {
    fn parse(text: &str) -> Result<NameTemplate, String> {
        if !text.contains(['{', '}']) {
            return Ok(NameTemplate::Column(text.to_owned()));
        }
        let mut pieces = Vec::new();
        let mut rest = text;
        while !rest.is_empty() {
            match rest.find(['{', '}']) {
                Some(at) if rest[at..].starts_with('}') => {
                    return Err(format!("a `}}` without its `{{` in `{text}`"));
                }
                Some(at) => {
                    if at > 0 {
                        pieces.push(NamePiece::Text(rest[..at].to_owned()));
                    }
                    let after = &rest[at + 1..];
                    let Some(end) = after.find('}') else {
                        return Err(format!("a `{{` without its `}}` in `{text}`"));
                    };
                    let column = after[..end].trim();
                    if column.is_empty() || column.contains('{') {
                        return Err(format!(
                            "expected a column name between `{{` and `}}` in `{text}`"
                        ));
                    }
                    pieces.push(NamePiece::Column(column.to_owned()));
                    rest = &after[end + 1..];
                }
                None => {
                    pieces.push(NamePiece::Text(rest.to_owned()));
                    rest = "";
                }
            }
        }
        Ok(NameTemplate::Pieces(pieces))
    }

    fn columns(&self) -> Vec<&str> {
        match self {
            NameTemplate::Column(column) => vec![column.as_str()],
            NameTemplate::Pieces(pieces) => pieces
                .iter()
                .filter_map(|piece| match piece {
                    NamePiece::Column(column) => Some(column.as_str()),
                    NamePiece::Text(_) => None,
                })
                .collect(),
        }
    }

    /// The name on a row; a whole number written with a decimal point (`9401.0`) is written
    /// as its digits, and runs of spaces left by empty cells are closed up.
    fn render(&self, table: &Table, row: &crate::table::Row) -> String {
        let cell = |column: &str| {
            crate::table::whole_number_digits(table.text(row, column).unwrap_or_default())
                .to_owned()
        };
        match self {
            NameTemplate::Column(column) => table.text(row, column).unwrap_or_default().to_owned(),
            NameTemplate::Pieces(pieces) => {
                let text: String = pieces
                    .iter()
                    .map(|piece| match piece {
                        NamePiece::Text(text) => text.clone(),
                        NamePiece::Column(column) => cell(column),
                    })
                    .collect();
                text.split_whitespace().collect::<Vec<_>>().join(" ")
            }
        }
    }
}

/// A year already checked in [`Loader::new`].
fn year(number: u16) -> Year {
    Year::new(number).expect("years are checked when the manifest is loaded")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cbs_column_names_that_start_with_digits_stay_columns() {
        let formula = Formula::parse("0_15 / 100 * aantal_inwoners").unwrap();
        assert_eq!(
            formula.columns().collect::<Vec<_>>(),
            ["0_15", "aantal_inwoners"]
        );
        assert_eq!(formula.method(), Method::Reconstructed);
        assert_eq!(
            Formula::parse("65plus").unwrap().method(),
            Method::Published
        );
    }

    #[test]
    fn a_unit_conversion_is_still_published_but_a_division_by_a_column_is_not() {
        assert_eq!(
            Formula::parse("opp_land / 100").unwrap().method(),
            Method::Published
        );
        assert_eq!(
            Formula::parse("aantal_inwoners / bevolkingsdichtheid")
                .unwrap()
                .method(),
            Method::Reconstructed
        );
    }

    #[test]
    fn formulas_with_dangling_or_doubled_operators_are_rejected() {
        for text in ["", "a *", "* a", "a * / b", "a b"] {
            assert!(Formula::parse(text).is_err(), "{text}");
        }
    }
}
