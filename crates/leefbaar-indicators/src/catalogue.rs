//! The indicator catalogue: base variables and indicators declared in TOML, parsed and validated.
//!
//! Indicators are declared, not coded (DESIGN §3): adding a share or a rate is a catalogue
//! edit. The shipped catalogue (`catalogue.toml` next to `Cargo.toml`) is embedded as
//! [`DEFAULT_CATALOGUE`] and parsed once by [`default_catalogue`].
//!
//! Validation reports every broken rule at once (STYLE §5), each with its line, the indicator
//! and the field, so a catalogue author fixes a file in one round.

use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

use leefbaar_model::{
    FactsheetChart, FactsheetUse, IndicatorDef, IndicatorKind, LocalizedText, Unit,
};
use serde::Deserialize;
use toml::Spanned;

use crate::error::{CatalogueError, CatalogueProblem};

#[cfg(test)]
mod tests;

/// The shipped catalogue's text.
pub const DEFAULT_CATALOGUE: &str = include_str!("../catalogue.toml");

/// The shipped catalogue, parsed on first use.
///
/// A test parses the same text, so this cannot fail in a released build.
pub fn default_catalogue() -> &'static Catalogue {
    static CATALOGUE: LazyLock<Catalogue> = LazyLock::new(|| {
        parse_catalogue(DEFAULT_CATALOGUE).expect("the shipped catalogue is valid (tested)")
    });
    &CATALOGUE
}

/// A base variable: a count or total produced by the importer, from which indicators are
/// computed.
#[derive(Debug, Clone, PartialEq)]
pub struct BaseVariable {
    /// Stable id, e.g. `inhabitants_65_plus`; the `variable` of a [`Fact`](leefbaar_model::Fact).
    pub id: String,
    /// The unit of the values. Distance totals are person-kilometres, declared as `km`.
    pub unit: Unit,
    /// What is counted.
    pub description: LocalizedText,
    /// Whether values add up over areas: counts and totals do, so provinces are sums of their
    /// municipalities; a published score or class does not (`additive = false`), and only a
    /// `published` indicator may show it.
    pub additive: bool,
}

/// A source table indicators refer to by id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogueSource {
    /// Stable id, e.g. `kwb_gemeenten_2012_2024`; equals [`Source::id`](leefbaar_model::Source).
    pub id: String,
    /// One line on what the table is.
    pub description: String,
}

/// A validated catalogue: every reference resolves, ids are unique, units fit kinds, and
/// change/index indicators form no cycle.
#[derive(Debug, Clone, PartialEq)]
pub struct Catalogue {
    sources: Vec<CatalogueSource>,
    variables: Vec<BaseVariable>,
    indicators: Vec<IndicatorDef>,
}

impl Catalogue {
    /// The declared sources, in file order.
    pub fn sources(&self) -> &[CatalogueSource] {
        &self.sources
    }

    /// The base variables, in file order.
    pub fn variables(&self) -> &[BaseVariable] {
        &self.variables
    }

    /// The base variable with this id.
    pub fn variable(&self, id: &str) -> Option<&BaseVariable> {
        self.variables.iter().find(|variable| variable.id == id)
    }

    /// The indicators, in file order.
    pub fn indicators(&self) -> &[IndicatorDef] {
        &self.indicators
    }

    /// The indicator with this id.
    pub fn indicator(&self, id: &str) -> Option<&IndicatorDef> {
        self.indicators.iter().find(|indicator| indicator.id == id)
    }

    /// The indicators grouped by theme (themes sorted, catalogue order within a theme); for
    /// menus and docs.
    pub fn themes(&self) -> BTreeMap<&str, Vec<&IndicatorDef>> {
        let mut themes: BTreeMap<&str, Vec<&IndicatorDef>> = BTreeMap::new();
        for indicator in &self.indicators {
            themes
                .entry(indicator.theme.as_str())
                .or_default()
                .push(indicator);
        }
        themes
    }

    /// The base variables an indicator is computed from, following change and index indicators
    /// to the indicator they transform. Empty for an unknown id.
    pub fn variables_of(&self, id: &str) -> Vec<&str> {
        let mut current = self.indicator(id);
        // A valid catalogue has no cycles, so this chain ends; the bound guards the invariant.
        for _ in 0..=self.indicators.len() {
            let Some(indicator) = current else {
                return Vec::new();
            };
            match &indicator.kind {
                IndicatorKind::Count { variable }
                | IndicatorKind::Sum { variable }
                | IndicatorKind::Published { variable } => {
                    return vec![variable.as_str()];
                }
                IndicatorKind::Share {
                    numerator,
                    denominator,
                }
                | IndicatorKind::Rate {
                    numerator,
                    denominator,
                    ..
                } => return vec![numerator.as_str(), denominator.as_str()],
                IndicatorKind::Mean { total, count } => {
                    return vec![total.as_str(), count.as_str()];
                }
                IndicatorKind::Change { of, .. } | IndicatorKind::Index { of, .. } => {
                    current = self.indicator(of);
                }
            }
        }
        Vec::new()
    }

    /// The indicators in an order where every change or index comes after the indicator it
    /// transforms: first all direct kinds, then derived ones by depth.
    pub(crate) fn evaluation_order(&self) -> Vec<&IndicatorDef> {
        let depth = |indicator: &IndicatorDef| {
            let mut depth = 0usize;
            let mut current = indicator;
            while let IndicatorKind::Change { of, .. } | IndicatorKind::Index { of, .. } =
                &current.kind
            {
                match self.indicator(of) {
                    Some(next) if depth <= self.indicators.len() => {
                        depth += 1;
                        current = next;
                    }
                    _ => break,
                }
            }
            depth
        };
        let mut order: Vec<&IndicatorDef> = self.indicators.iter().collect();
        order.sort_by_key(|indicator| depth(indicator));
        order
    }
}

// The raw shape of the file. `deny_unknown_fields` makes a misspelt key an error rather than
// a silently ignored line (STYLE §4: unknown config keys are reported).

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCatalogue {
    #[serde(default)]
    source: Vec<RawSource>,
    #[serde(default)]
    variable: Vec<RawVariable>,
    #[serde(default)]
    indicator: Vec<RawIndicator>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    id: Spanned<String>,
    description: String,
    /// In an extension: replace the base catalogue's source of this id on purpose.
    replace: Option<Spanned<bool>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawText {
    nl: String,
    en: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVariable {
    id: Spanned<String>,
    unit: Spanned<String>,
    additive: Spanned<bool>,
    description: RawText,
    /// In an extension: replace the base catalogue's variable of this id on purpose.
    replace: Option<Spanned<bool>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIndicator {
    id: Spanned<String>,
    kind: Spanned<String>,
    variable: Option<Spanned<String>>,
    numerator: Option<Spanned<String>>,
    denominator: Option<Spanned<String>>,
    per: Option<Spanned<f64>>,
    total: Option<Spanned<String>>,
    count: Option<Spanned<String>>,
    of: Option<Spanned<String>>,
    years: Option<Spanned<u16>>,
    relative: Option<Spanned<bool>>,
    base_year: Option<Spanned<u16>>,
    unit: Spanned<String>,
    decimals: Spanned<u8>,
    theme: String,
    source: Spanned<String>,
    name: RawText,
    description: RawText,
    /// Whether and how fact sheets show the indicator.
    factsheet: Option<Spanned<RawFactsheet>>,
    /// In an extension: replace the base catalogue's indicator of this id on purpose.
    replace: Option<Spanned<bool>>,
}

/// `factsheet = { tile = 3 }`, `factsheet = { chart = "reach", label = { nl = "…", en = "…" } }`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFactsheet {
    tile: Option<Spanned<u16>>,
    latest: Option<Spanned<bool>>,
    chart: Option<Spanned<String>>,
    label: Option<RawText>,
    ranking: Option<Spanned<u16>>,
    sheet: Option<Spanned<String>>,
}

/// Every kind with the parameter fields it uses.
const KIND_FIELDS: [(&str, &[&str]); 8] = [
    ("count", &["variable"]),
    ("sum", &["variable"]),
    ("share", &["numerator", "denominator"]),
    ("rate", &["numerator", "denominator", "per"]),
    ("mean", &["total", "count"]),
    ("change", &["of", "years", "relative"]),
    ("index", &["of", "base_year"]),
    ("published", &["variable"]),
];

/// The most decimals an indicator may ask for; more would show only noise.
const MAX_DECIMALS: u8 = 6;

/// Parses and validates a catalogue.
///
/// Returns [`CatalogueError::Syntax`] for text that is not a catalogue-shaped TOML document,
/// and [`CatalogueError::Invalid`] with every problem found otherwise: bad or duplicate ids,
/// unknown variable, indicator or source references, units that are unknown or do not fit the
/// kind, missing or superfluous kind parameters, empty texts, and cycles among change and index
/// indicators.
pub fn parse_catalogue(text: &str) -> Result<Catalogue, CatalogueError> {
    parse(None, "catalogue", text)
}

impl Catalogue {
    /// This catalogue with the sources, variables and indicators of `text` added: an
    /// extension in the same format (a bundle's own catalogue, or entries generated from a
    /// manifest), whose errors name `file`.
    ///
    /// An extension may refer to anything of this catalogue. It may not declare an id this
    /// catalogue already has, unless the entry says `replace = true`: then it takes the old
    /// entry's place (so a bundle overrides a built-in definition deliberately, never by a
    /// typo). New entries come after this catalogue's, in the extension's order.
    pub fn extend(&self, file: &str, text: &str) -> Result<Catalogue, CatalogueError> {
        parse(Some(self), file, text)
    }
}

fn parse(base: Option<&Catalogue>, file: &str, text: &str) -> Result<Catalogue, CatalogueError> {
    let raw: RawCatalogue = toml::from_str(text).map_err(|error| CatalogueError::Syntax {
        file: file.to_owned(),
        line: error.span().map_or(1, |span| line_of(text, span.start)),
        message: error.message().trim_end_matches('\n').to_owned(),
    })?;
    let mut validator = Validator {
        text,
        base,
        problems: Vec::new(),
    };
    let catalogue = validator.validate(raw);
    if validator.problems.is_empty() {
        Ok(catalogue)
    } else {
        let mut problems = validator.problems;
        problems.sort_by_key(CatalogueProblem::line);
        Err(CatalogueError::Invalid {
            file: file.to_owned(),
            problems,
        })
    }
}

/// Puts `additions` into `base`: an addition with a base entry's id takes its place, the
/// others follow in their order.
fn merge<T: Clone>(base: &[T], additions: Vec<T>, id: impl Fn(&T) -> &str) -> Vec<T> {
    let mut merged: Vec<T> = base.to_vec();
    for addition in additions {
        match merged.iter().position(|entry| id(entry) == id(&addition)) {
            Some(index) => merged[index] = addition,
            None => merged.push(addition),
        }
    }
    merged
}

/// The 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset).unwrap_or(text).matches('\n').count() + 1
}

fn is_valid_id(id: &str) -> bool {
    let mut bytes = id.bytes();
    bytes.next().is_some_and(|first| first.is_ascii_lowercase())
        && bytes.all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'_')
}

struct Validator<'a> {
    text: &'a str,
    /// The catalogue an extension adds to; `None` for a catalogue of its own.
    base: Option<&'a Catalogue>,
    problems: Vec<CatalogueProblem>,
}

/// An indicator after the first pass, with the lines needed by the cross-reference pass.
#[derive(Clone)]
struct Parsed {
    def: IndicatorDef,
    unit_line: usize,
    of_line: usize,
    source_line: usize,
    unit_ok: bool,
    /// References to base variables: field, id, line.
    variable_refs: Vec<(&'static str, String, usize)>,
    /// The line of `factsheet.chart` (0 without one, or for a base entry).
    chart_line: usize,
}

impl Parsed {
    /// A base catalogue's indicator, valid already; its lines are unknown here (0).
    fn from_base(def: &IndicatorDef) -> Parsed {
        let variable_refs = match &def.kind {
            IndicatorKind::Count { variable }
            | IndicatorKind::Sum { variable }
            | IndicatorKind::Published { variable } => vec![("variable", variable.clone(), 0)],
            IndicatorKind::Share {
                numerator,
                denominator,
            }
            | IndicatorKind::Rate {
                numerator,
                denominator,
                ..
            } => vec![
                ("numerator", numerator.clone(), 0),
                ("denominator", denominator.clone(), 0),
            ],
            IndicatorKind::Mean { total, count } => {
                vec![("total", total.clone(), 0), ("count", count.clone(), 0)]
            }
            IndicatorKind::Change { .. } | IndicatorKind::Index { .. } => Vec::new(),
        };
        Parsed {
            def: def.clone(),
            unit_line: 0,
            of_line: 0,
            source_line: 0,
            unit_ok: true,
            variable_refs,
            chart_line: 0,
        }
    }
}

impl Validator<'_> {
    fn line<T>(&self, spanned: &Spanned<T>) -> usize {
        line_of(self.text, spanned.span().start)
    }

    /// Checks ids: well-formed, unique in the text, and, in an extension, either new or
    /// replacing a base entry on purpose (`replace = true`).
    fn check_ids<'i>(
        &mut self,
        item: &'static str,
        ids: impl Iterator<Item = (&'i Spanned<String>, Option<&'i Spanned<bool>>)>,
        in_base: impl Fn(&str) -> bool,
    ) {
        let mut first_lines: HashMap<&str, usize> = HashMap::new();
        for (id, replace) in ids {
            let line = self.line(id);
            if !is_valid_id(id.get_ref()) {
                self.problems.push(CatalogueProblem::BadId {
                    line,
                    item,
                    found: id.get_ref().clone(),
                });
            }
            if let Some(&first_line) = first_lines.get(id.get_ref().as_str()) {
                self.problems.push(CatalogueProblem::DuplicateId {
                    line,
                    item,
                    id: id.get_ref().clone(),
                    first_line,
                });
            } else {
                first_lines.insert(id.get_ref(), line);
            }
            let replaces = replace.is_some_and(|replace| *replace.get_ref());
            match (in_base(id.get_ref()), replaces) {
                (true, false) => self.problems.push(CatalogueProblem::AlreadyDeclared {
                    line,
                    item,
                    id: id.get_ref().clone(),
                }),
                (false, true) => self.problems.push(CatalogueProblem::NothingToReplace {
                    line: replace.map_or(line, |replace| self.line(replace)),
                    item,
                    id: id.get_ref().clone(),
                }),
                _ => {}
            }
        }
    }

    fn validate(&mut self, raw: RawCatalogue) -> Catalogue {
        let base = self.base;
        self.check_ids(
            "source",
            raw.source.iter().map(|s| (&s.id, s.replace.as_ref())),
            |id| base.is_some_and(|base| base.sources.iter().any(|s| s.id == id)),
        );
        self.check_ids(
            "variable",
            raw.variable.iter().map(|v| (&v.id, v.replace.as_ref())),
            |id| base.is_some_and(|base| base.variable(id).is_some()),
        );
        self.check_ids(
            "indicator",
            raw.indicator.iter().map(|i| (&i.id, i.replace.as_ref())),
            |id| base.is_some_and(|base| base.indicator(id).is_some()),
        );

        let sources: Vec<CatalogueSource> = raw
            .source
            .into_iter()
            .map(|source| CatalogueSource {
                id: source.id.into_inner(),
                description: source.description,
            })
            .collect();

        let mut variables = Vec::with_capacity(raw.variable.len());
        for variable in raw.variable {
            let id = variable.id.get_ref().clone();
            let unit = match variable.unit.get_ref().parse::<Unit>() {
                Ok(unit) => unit,
                Err(error) => {
                    self.problems.push(CatalogueProblem::BadUnit {
                        line: self.line(&variable.unit),
                        item: "variable",
                        id: id.clone(),
                        message: error.to_string(),
                    });
                    Unit::Count
                }
            };
            variables.push(BaseVariable {
                id,
                unit,
                description: LocalizedText {
                    nl: variable.description.nl,
                    en: variable.description.en,
                },
                additive: *variable.additive.get_ref(),
            });
        }

        let parsed: Vec<Parsed> = raw
            .indicator
            .into_iter()
            .filter_map(|indicator| self.first_pass(indicator))
            .collect();
        let Some(base) = base else {
            self.cross_check(&parsed, &variables, &sources);
            return Catalogue {
                sources,
                variables,
                indicators: parsed.into_iter().map(|parsed| parsed.def).collect(),
            };
        };
        // An extension is checked against the merged catalogue, so its entries may refer to
        // the base and replaced base entries are checked in their new form; the base's own
        // entries were checked when it was parsed and appear here without lines.
        let sources = merge(&base.sources, sources, |s| s.id.as_str());
        let variables = merge(&base.variables, variables, |v| v.id.as_str());
        let base_parsed: Vec<Parsed> = base.indicators.iter().map(Parsed::from_base).collect();
        let merged = merge(&base_parsed, parsed, |p| p.def.id.as_str());
        self.cross_check(&merged, &variables, &sources);
        Catalogue {
            sources,
            variables,
            indicators: merged.into_iter().map(|parsed| parsed.def).collect(),
        }
    }

    /// Checks one indicator on its own: kind, parameters, unit spelling, decimals, texts.
    fn first_pass(&mut self, raw: RawIndicator) -> Option<Parsed> {
        let id = raw.id.get_ref().clone();
        let id_line = self.line(&raw.id);
        let Some(&(kind, used_fields)) = KIND_FIELDS
            .iter()
            .find(|(kind, _)| *kind == raw.kind.get_ref().as_str())
        else {
            self.problems.push(CatalogueProblem::BadKind {
                line: self.line(&raw.kind),
                indicator: id,
                found: raw.kind.into_inner(),
            });
            return None;
        };

        // Presence of every parameter field, with its line, to check against the kind.
        let present: [(&'static str, Option<usize>); 9] = [
            ("variable", raw.variable.as_ref().map(|v| self.line(v))),
            ("numerator", raw.numerator.as_ref().map(|v| self.line(v))),
            (
                "denominator",
                raw.denominator.as_ref().map(|v| self.line(v)),
            ),
            ("per", raw.per.as_ref().map(|v| self.line(v))),
            ("total", raw.total.as_ref().map(|v| self.line(v))),
            ("count", raw.count.as_ref().map(|v| self.line(v))),
            ("of", raw.of.as_ref().map(|v| self.line(v))),
            ("years", raw.years.as_ref().map(|v| self.line(v))),
            ("relative", raw.relative.as_ref().map(|v| self.line(v))),
        ];
        let present = present
            .into_iter()
            .chain([("base_year", raw.base_year.as_ref().map(|v| self.line(v)))]);
        let mut complete = true;
        for (field, line) in present {
            match (used_fields.contains(&field), line) {
                (true, None) => {
                    complete = false;
                    self.problems.push(CatalogueProblem::MissingField {
                        line: id_line,
                        indicator: id.clone(),
                        kind,
                        field,
                    });
                }
                (false, Some(line)) => self.problems.push(CatalogueProblem::UnexpectedField {
                    line,
                    indicator: id.clone(),
                    kind,
                    field,
                }),
                _ => {}
            }
        }

        let unit_line = self.line(&raw.unit);
        let (unit, unit_ok) = match raw.unit.get_ref().parse::<Unit>() {
            Ok(unit) => (unit, true),
            Err(error) => {
                self.problems.push(CatalogueProblem::BadUnit {
                    line: unit_line,
                    item: "indicator",
                    id: id.clone(),
                    message: error.to_string(),
                });
                (Unit::Count, false)
            }
        };
        if *raw.decimals.get_ref() > MAX_DECIMALS {
            self.problems.push(CatalogueProblem::BadValue {
                line: self.line(&raw.decimals),
                indicator: id.clone(),
                field: "decimals",
                message: format!(
                    "{} decimals is more than the {MAX_DECIMALS} allowed",
                    raw.decimals.get_ref()
                ),
            });
        }
        for (field, text) in [("name", &raw.name), ("description", &raw.description)] {
            for (language, value) in [("nl", &text.nl), ("en", &text.en)] {
                if value.trim().is_empty() {
                    self.problems.push(CatalogueProblem::EmptyText {
                        line: id_line,
                        indicator: id.clone(),
                        field,
                        language,
                    });
                }
            }
        }
        let (factsheet, chart_line) = match raw.factsheet {
            Some(factsheet) => {
                let chart_line = factsheet
                    .get_ref()
                    .chart
                    .as_ref()
                    .map_or(0, |c| self.line(c));
                (self.factsheet(&id, id_line, factsheet), chart_line)
            }
            None => (None, 0),
        };
        if !complete {
            return None;
        }

        let text = |field: &Option<Spanned<String>>| {
            field
                .as_ref()
                .map(|value| value.get_ref().clone())
                .unwrap_or_default()
        };
        let mut variable_refs = Vec::new();
        for (field, value) in [
            ("variable", &raw.variable),
            ("numerator", &raw.numerator),
            ("denominator", &raw.denominator),
            ("total", &raw.total),
            ("count", &raw.count),
        ] {
            if let Some(value) = value
                && used_fields.contains(&field)
            {
                variable_refs.push((field, value.get_ref().clone(), self.line(value)));
            }
        }
        let kind = match kind {
            "count" => IndicatorKind::Count {
                variable: text(&raw.variable),
            },
            "sum" => IndicatorKind::Sum {
                variable: text(&raw.variable),
            },
            "published" => IndicatorKind::Published {
                variable: text(&raw.variable),
            },
            "share" => IndicatorKind::Share {
                numerator: text(&raw.numerator),
                denominator: text(&raw.denominator),
            },
            "rate" => {
                let per = raw.per.as_ref().map_or(1.0, |per| *per.get_ref());
                if !(per.is_finite() && per > 0.0) {
                    self.problems.push(CatalogueProblem::BadValue {
                        line: raw.per.as_ref().map_or(id_line, |per| self.line(per)),
                        indicator: id.clone(),
                        field: "per",
                        message: format!("the multiplier must be a positive number, found {per}"),
                    });
                }
                IndicatorKind::Rate {
                    numerator: text(&raw.numerator),
                    denominator: text(&raw.denominator),
                    per,
                }
            }
            "mean" => IndicatorKind::Mean {
                total: text(&raw.total),
                count: text(&raw.count),
            },
            "change" => {
                let years = raw.years.as_ref().map_or(1, |years| *years.get_ref());
                if years == 0 {
                    self.problems.push(CatalogueProblem::BadValue {
                        line: raw.years.as_ref().map_or(id_line, |years| self.line(years)),
                        indicator: id.clone(),
                        field: "years",
                        message: "a change needs at least 1 year".to_owned(),
                    });
                }
                IndicatorKind::Change {
                    of: text(&raw.of),
                    years,
                    relative: raw
                        .relative
                        .as_ref()
                        .is_some_and(|relative| *relative.get_ref()),
                }
            }
            _ => {
                let base_year = raw.base_year.as_ref().map_or(0, |year| *year.get_ref());
                if leefbaar_model::Year::new(base_year).is_err() {
                    self.problems.push(CatalogueProblem::BadValue {
                        line: raw
                            .base_year
                            .as_ref()
                            .map_or(id_line, |year| self.line(year)),
                        indicator: id.clone(),
                        field: "base_year",
                        message: format!("{base_year} is not a year between 1900 and 2200"),
                    });
                }
                IndicatorKind::Index {
                    of: text(&raw.of),
                    base_year,
                }
            }
        };
        Some(Parsed {
            of_line: raw.of.as_ref().map_or(id_line, |of| self.line(of)),
            source_line: self.line(&raw.source),
            def: IndicatorDef {
                id,
                name: LocalizedText {
                    nl: raw.name.nl,
                    en: raw.name.en,
                },
                description: LocalizedText {
                    nl: raw.description.nl,
                    en: raw.description.en,
                },
                theme: raw.theme,
                unit,
                kind,
                decimals: *raw.decimals.get_ref(),
                source: raw.source.into_inner(),
                factsheet,
            },
            unit_line,
            unit_ok,
            variable_refs,
            chart_line,
        })
    }

    /// Checks an indicator's `factsheet` table: it says something (a tile, a chart or a
    /// ranking), positions count from 1, the chart is one the sheet draws, and a label belongs
    /// to a chart's member and is written in both languages.
    fn factsheet(
        &mut self,
        id: &str,
        id_line: usize,
        raw: Spanned<RawFactsheet>,
    ) -> Option<FactsheetUse> {
        let line = self.line(&raw);
        let raw = raw.into_inner();
        let mut ok = true;
        let mut bad = |problems: &mut Vec<CatalogueProblem>, line, field, message: &str| {
            ok = false;
            problems.push(CatalogueProblem::BadValue {
                line,
                indicator: id.to_owned(),
                field,
                message: message.to_owned(),
            });
        };
        if raw.tile.is_none() && raw.chart.is_none() && raw.ranking.is_none() {
            bad(
                &mut self.problems,
                line,
                "factsheet",
                "says nothing: give a `tile`, a `chart` or a `ranking`",
            );
        }
        for (field, position) in [
            ("factsheet.tile", &raw.tile),
            ("factsheet.ranking", &raw.ranking),
        ] {
            if let Some(position) = position
                && *position.get_ref() == 0
            {
                let line = self.line(position);
                bad(&mut self.problems, line, field, "positions count from 1");
            }
        }
        if let Some(latest) = &raw.latest
            && raw.tile.is_none()
            && raw.chart.is_none()
        {
            let line = self.line(latest);
            bad(
                &mut self.problems,
                line,
                "factsheet.latest",
                "only a tile or a chart takes its value from the latest year; a ranking uses the sheet's",
            );
        }
        let chart = match &raw.chart {
            Some(chart) => match chart.get_ref().parse::<FactsheetChart>() {
                Ok(chart) => Some(chart),
                Err(error) => {
                    let line = self.line(chart);
                    bad(
                        &mut self.problems,
                        line,
                        "factsheet.chart",
                        &error.to_string(),
                    );
                    None
                }
            },
            None => None,
        };
        if let Some(sheet) = &raw.sheet {
            let id = sheet.get_ref();
            if id.is_empty() || !id.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
                let line = self.line(sheet);
                bad(
                    &mut self.problems,
                    line,
                    "factsheet.sheet",
                    "a sheet is a theme id in lowercase letters, such as `hartveilig`",
                );
            }
        }
        if let Some(label) = &raw.label {
            if raw.chart.is_none() {
                bad(
                    &mut self.problems,
                    line,
                    "factsheet.label",
                    "only a chart's member has a label; add a `chart`",
                );
            }
            for (language, value) in [("nl", &label.nl), ("en", &label.en)] {
                if value.trim().is_empty() {
                    ok = false;
                    self.problems.push(CatalogueProblem::EmptyText {
                        line: id_line,
                        indicator: id.to_owned(),
                        field: "factsheet.label",
                        language,
                    });
                }
            }
        }
        ok.then(|| FactsheetUse {
            tile: raw.tile.map(Spanned::into_inner),
            latest: raw.latest.is_some_and(Spanned::into_inner),
            chart,
            label: raw.label.map(|label| LocalizedText {
                nl: label.nl,
                en: label.en,
            }),
            ranking: raw.ranking.map(Spanned::into_inner),
            // The livability sheet is the default, stored as no sheet, so that an entry saying
            // `sheet = "leefbaarheid"` and one saying nothing are the same entry.
            sheet: raw
                .sheet
                .map(Spanned::into_inner)
                .filter(|sheet| sheet != FactsheetUse::DEFAULT_SHEET),
        })
    }

    /// Checks references between items, units against kinds, and cycles.
    fn cross_check(
        &mut self,
        parsed: &[Parsed],
        variables: &[BaseVariable],
        sources: &[CatalogueSource],
    ) {
        let variable_units: HashMap<&str, Unit> = variables
            .iter()
            .map(|variable| (variable.id.as_str(), variable.unit))
            .collect();
        let additive: HashMap<&str, bool> = variables
            .iter()
            .map(|variable| (variable.id.as_str(), variable.additive))
            .collect();
        let indicators: HashMap<&str, &Parsed> = parsed
            .iter()
            .map(|indicator| (indicator.def.id.as_str(), indicator))
            .collect();

        for indicator in parsed {
            let id = &indicator.def.id;
            if !sources
                .iter()
                .any(|source| source.id == indicator.def.source)
            {
                self.problems.push(CatalogueProblem::UnknownSource {
                    line: indicator.source_line,
                    indicator: id.clone(),
                    found: indicator.def.source.clone(),
                });
            }
            let mut references_ok = true;
            let published = matches!(indicator.def.kind, IndicatorKind::Published { .. });
            for (field, found, line) in &indicator.variable_refs {
                let Some(&is_additive) = additive.get(found.as_str()) else {
                    references_ok = false;
                    self.problems.push(CatalogueProblem::UnknownVariable {
                        line: *line,
                        indicator: id.clone(),
                        field,
                        found: found.clone(),
                    });
                    continue;
                };
                // Summing a score or a class, or dividing sums of them, gives a number nobody
                // published and that means nothing; showing a count only where it was
                // published would hide every province total. The kind must fit the variable.
                let message = match (published, is_additive) {
                    (false, false) => Some(format!(
                        "is not additive (`additive = false`), so kind `{}` cannot sum it over areas; show it with kind `published`",
                        indicator.def.kind.as_str()
                    )),
                    (true, true) => Some(
                        "adds up over areas (`additive = true`); kind `published` is for values that do not, such as scores and classes: use kind `count` or `sum`"
                            .to_owned(),
                    ),
                    _ => None,
                };
                if let Some(message) = message {
                    self.problems.push(CatalogueProblem::Additivity {
                        line: *line,
                        indicator: id.clone(),
                        field,
                        variable: found.clone(),
                        message,
                    });
                }
            }
            if let IndicatorKind::Change { of, .. } | IndicatorKind::Index { of, .. } =
                &indicator.def.kind
                && !indicators.contains_key(of.as_str())
            {
                references_ok = false;
                self.problems.push(CatalogueProblem::UnknownIndicator {
                    line: indicator.of_line,
                    indicator: id.clone(),
                    found: of.clone(),
                });
            }
            if references_ok
                && indicator.unit_ok
                && let Err(message) = unit_fits(&indicator.def, &variable_units, &indicators)
            {
                self.problems.push(CatalogueProblem::BadUnit {
                    line: indicator.unit_line,
                    item: "indicator",
                    id: id.clone(),
                    message,
                });
            }
        }
        self.check_cycles(parsed, &indicators);
        self.check_single_charts(parsed);
    }

    /// A chart that draws one indicator over the years has one member: a second is reported
    /// at its `chart` line (an extension replaces the first, with `replace = true`, instead).
    fn check_single_charts(&mut self, parsed: &[Parsed]) {
        let mut members: HashMap<FactsheetChart, &str> = HashMap::new();
        for indicator in parsed {
            let Some(chart) = indicator.def.factsheet.as_ref().and_then(|f| f.chart) else {
                continue;
            };
            if !chart.is_single() {
                continue;
            }
            if let Some(first) = members.get(&chart) {
                self.problems.push(CatalogueProblem::BadValue {
                    line: indicator.chart_line,
                    indicator: indicator.def.id.clone(),
                    field: "factsheet.chart",
                    message: format!(
                        "the chart `{chart}` draws one indicator, and `{first}` is it already"
                    ),
                });
            } else {
                members.insert(chart, &indicator.def.id);
            }
        }
    }

    /// Change and index indicators each point at one indicator, so a cycle is found by walking
    /// that single chain from every indicator; it is reported once, at its first member in
    /// file order.
    fn check_cycles(&mut self, parsed: &[Parsed], indicators: &HashMap<&str, &Parsed>) {
        let target = |indicator: &Parsed| match &indicator.def.kind {
            IndicatorKind::Change { of, .. } | IndicatorKind::Index { of, .. } => {
                indicators.get(of.as_str()).copied()
            }
            _ => None,
        };
        let position: HashMap<&str, usize> = parsed
            .iter()
            .enumerate()
            .map(|(index, indicator)| (indicator.def.id.as_str(), index))
            .collect();
        for (start_index, start) in parsed.iter().enumerate() {
            let mut path = vec![start.def.id.as_str()];
            let mut current = start;
            while let Some(next) = target(current) {
                if next.def.id == start.def.id {
                    // Report the cycle only from its earliest member, so it appears once.
                    let earliest = path.iter().map(|id| position[id]).min();
                    if earliest == Some(start_index) {
                        path.push(start.def.id.as_str());
                        self.problems.push(CatalogueProblem::Cycle {
                            line: start.of_line,
                            indicator: start.def.id.clone(),
                            cycle: path.join(" → "),
                        });
                    }
                    break;
                }
                if path.contains(&next.def.id.as_str()) {
                    // A cycle further along the chain; it is reported from its own members.
                    break;
                }
                path.push(next.def.id.as_str());
                current = next;
            }
        }
    }
}

/// Whether an indicator's unit fits its kind; `Err` says what was expected.
fn unit_fits(
    indicator: &IndicatorDef,
    variable_units: &HashMap<&str, Unit>,
    indicators: &HashMap<&str, &Parsed>,
) -> Result<(), String> {
    let unit = indicator.unit;
    let expected: Vec<Unit> = match &indicator.kind {
        IndicatorKind::Count { variable }
        | IndicatorKind::Sum { variable }
        | IndicatorKind::Published { variable } => vec![variable_units[variable.as_str()]],
        IndicatorKind::Share { .. } | IndicatorKind::Change { relative: true, .. } => {
            vec![Unit::Percent]
        }
        IndicatorKind::Rate {
            numerator,
            denominator,
            per,
        } => {
            let mut units = vec![variable_units[numerator.as_str()]];
            if *per == 1000.0 {
                units.push(Unit::Per1000);
            }
            if variable_units[denominator.as_str()] == Unit::Km2 {
                units.push(Unit::PerKm2);
            }
            // Persons of one group per person of another (the informal-care potential).
            if *per == 1.0
                && variable_units[numerator.as_str()] == Unit::Persons
                && variable_units[denominator.as_str()] == Unit::Persons
            {
                units.push(Unit::PersonsPerPerson);
            }
            units
        }
        IndicatorKind::Mean { total, count } => {
            let mut units = vec![variable_units[total.as_str()]];
            if variable_units[count.as_str()] == Unit::Households {
                units.push(Unit::PersonsPerHousehold);
            }
            units
        }
        IndicatorKind::Change {
            of,
            relative: false,
            ..
        } => {
            let of = indicators[of.as_str()];
            if !of.unit_ok {
                // Already reported on `of` itself; a second message would only echo it.
                return Ok(());
            }
            match of.def.unit {
                Unit::Percent => vec![Unit::PercentagePoints],
                other => vec![other],
            }
        }
        IndicatorKind::Index { .. } => vec![Unit::Index],
    };
    if expected.contains(&unit) {
        Ok(())
    } else {
        let expected: Vec<&str> = expected.iter().map(|unit| unit.as_str()).collect();
        Err(format!(
            "`{unit}` does not fit kind `{}` (expected {})",
            indicator.kind.as_str(),
            expected.join(" or ")
        ))
    }
}
