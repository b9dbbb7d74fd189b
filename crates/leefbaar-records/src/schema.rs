//! The schema of a set of person records (TOML): code lists with nl/en labels, record kinds
//! with their fields, which field is the id, the area and the year, links between records,
//! comparisons of ordered codes (below / at / above) and order rules between dates.
//!
//! Every error names the schema file, the line and the field, so an analyst editing the file
//! by hand finds the mistake without reading this code.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use crate::error::SchemaError;

/// A label in both languages of the monitor.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Label {
    /// Dutch.
    pub nl: String,
    /// English.
    pub en: String,
}

/// One code of a code list.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Code {
    /// The code as it appears in the records (`havo/vwo`).
    pub code: String,
    /// Dutch label.
    pub nl: String,
    /// English label.
    pub en: String,
    /// The positions this code spans on the list's declared order, for comparisons: `[4]` for
    /// havo, `[4, 5]` for the double advice havo/vwo. Empty when the list is not ordered.
    #[serde(default)]
    pub levels: Vec<u8>,
}

impl Code {
    /// The lowest and highest level this code spans, if the list is ordered.
    pub fn level_range(&self) -> Option<(u8, u8)> {
        Some((*self.levels.iter().min()?, *self.levels.iter().max()?))
    }
}

/// A list of codes with labels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeList {
    /// Its name in the schema.
    pub name: String,
    /// Its label.
    pub label: Label,
    /// The codes, in declared order (the order figures list them in).
    pub codes: Vec<Code>,
}

impl CodeList {
    /// The index of a code.
    pub fn position(&self, code: &str) -> Option<usize> {
        self.codes.iter().position(|c| c.code == code)
    }
}

/// What a field holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldType {
    /// The record's id, unique within its kind.
    Id,
    /// A code from the named code list.
    Code(String),
    /// A whole number.
    Integer,
    /// A date, `YYYY-MM-DD`.
    Date,
    /// A year, `YYYY`.
    Year,
    /// A CBS area code of a leaf of the area tree (a municipality, `GM0106`).
    Area,
    /// The id of a record of the named kind (the same kind or another).
    Link(String),
}

/// A field of a record kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// The column name in the CSV.
    pub name: String,
    /// What it holds.
    pub field_type: FieldType,
    /// Whether an empty value is allowed.
    pub optional: bool,
}

/// A derived code field: where a field's code lies relative to another's on their shared
/// declared order of levels: `below`, `at` or `above`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comparison {
    /// The name of the derived field (usable in figures like any code field).
    pub name: String,
    /// The field compared (the start level).
    pub field: String,
    /// The field it is compared against (the advice).
    pub against: String,
    /// Its label.
    pub label: Label,
}

/// The codes of every comparison, in this order.
pub const COMPARISON_CODES: [&str; 3] = ["below", "at", "above"];

/// A declared order between two date (or year, or integer) fields of a kind: `earlier` must
/// not come after `later` when both are given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderRule {
    /// The field that comes first.
    pub earlier: String,
    /// The field that must not precede it.
    pub later: String,
}

/// A record kind: pupils, persons, participants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kind {
    /// Its name.
    pub name: String,
    /// Its label.
    pub label: Label,
    /// Its fields, in name order.
    pub fields: Vec<Field>,
    /// The id field.
    pub id: String,
    /// The area field (a leaf of the area tree).
    pub area: String,
    /// The year field, if figures of this kind are per year.
    pub year: Option<String>,
    /// Derived below / at / above fields.
    pub comparisons: Vec<Comparison>,
    /// Order rules checked on import.
    pub order: Vec<OrderRule>,
}

impl Kind {
    /// The index of a field.
    pub fn field_index(&self, name: &str) -> Option<usize> {
        self.fields.iter().position(|f| f.name == name)
    }
}

/// A records schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schema {
    /// Its id.
    pub id: String,
    /// What the records are (a SYNTHETIC schema says so here).
    pub description: String,
    /// The code lists by name.
    pub code_lists: BTreeMap<String, CodeList>,
    /// The record kinds, in name order.
    pub kinds: Vec<Kind>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSchema {
    id: String,
    description: String,
    #[serde(default)]
    codes: BTreeMap<String, Spanned<RawCodeList>>,
    kinds: BTreeMap<String, Spanned<RawKind>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCodeList {
    label: Label,
    values: Vec<Code>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKind {
    label: Label,
    id: Spanned<String>,
    area: Spanned<String>,
    year: Option<Spanned<String>>,
    fields: BTreeMap<String, Spanned<RawField>>,
    #[serde(default)]
    comparisons: Vec<Spanned<RawComparison>>,
    #[serde(default)]
    order: Vec<Spanned<RawOrder>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawField {
    #[serde(rename = "type")]
    field_type: Option<String>,
    code: Option<String>,
    link: Option<String>,
    #[serde(default)]
    optional: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawComparison {
    name: String,
    field: String,
    against: String,
    label: Label,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOrder {
    earlier: String,
    later: String,
}

/// Builds schema errors with lines from byte spans.
struct Locator<'a> {
    file: &'a str,
    text: &'a str,
}

impl Locator<'_> {
    fn line(&self, span: &Range<usize>) -> usize {
        let end = span.start.min(self.text.len());
        self.text[..end].matches('\n').count() + 1
    }

    fn error(&self, span: &Range<usize>, field: &str, message: String) -> SchemaError {
        SchemaError {
            file: self.file.to_owned(),
            line: self.line(span),
            field: Some(field.to_owned()),
            message,
        }
    }
}

impl Schema {
    /// Parses and checks a schema; `file` names it in errors.
    pub fn from_toml(file: &str, text: &str) -> Result<Schema, SchemaError> {
        let at = Locator { file, text };
        let raw: RawSchema = toml::from_str(text).map_err(|e| SchemaError {
            file: file.to_owned(),
            line: e.span().map_or(1, |span| at.line(&span)),
            field: None,
            message: e.message().trim_end_matches('.').to_owned(),
        })?;
        let mut code_lists = BTreeMap::new();
        for (name, list) in raw.codes {
            let span = list.span();
            let list = list.into_inner();
            let mut seen = std::collections::BTreeSet::new();
            for code in &list.values {
                if !seen.insert(code.code.clone()) {
                    return Err(at.error(
                        &span,
                        &name,
                        format!("code `{}` is listed twice", code.code),
                    ));
                }
            }
            if list.values.is_empty() {
                return Err(at.error(&span, &name, "a code list needs codes".to_owned()));
            }
            let ordered = list.values.iter().filter(|c| !c.levels.is_empty()).count();
            if ordered != 0 && ordered != list.values.len() {
                return Err(at.error(
                    &span,
                    &name,
                    "either every code has `levels` or none has".to_owned(),
                ));
            }
            code_lists.insert(
                name.clone(),
                CodeList {
                    name,
                    label: list.label,
                    codes: list.values,
                },
            );
        }
        let kind_names: Vec<String> = raw.kinds.keys().cloned().collect();
        let mut kinds = Vec::new();
        for (name, kind) in raw.kinds {
            let kind_span = kind.span();
            let kind = kind.into_inner();
            let mut fields = Vec::new();
            for (field_name, spec) in &kind.fields {
                let span = spec.span();
                let spec = spec.get_ref();
                let field_type = match (spec.field_type.as_deref(), &spec.code, &spec.link) {
                    (Some("id"), None, None) => FieldType::Id,
                    (Some("integer"), None, None) => FieldType::Integer,
                    (Some("date"), None, None) => FieldType::Date,
                    (Some("year"), None, None) => FieldType::Year,
                    (Some("area"), None, None) => FieldType::Area,
                    (None | Some("code"), Some(list), None) => {
                        if !code_lists.contains_key(list) {
                            return Err(at.error(
                                &span,
                                field_name,
                                format!(
                                    "no code list `{list}` (the schema has {})",
                                    names(code_lists.keys())
                                ),
                            ));
                        }
                        FieldType::Code(list.clone())
                    }
                    (None | Some("link"), None, Some(target)) => {
                        if !kind_names.contains(target) {
                            return Err(at.error(
                                &span,
                                field_name,
                                format!("a link to kind `{target}`, which the schema does not have (it has {})", names(kind_names.iter())),
                            ));
                        }
                        FieldType::Link(target.clone())
                    }
                    (other, _, _) => {
                        return Err(at.error(
                            &span,
                            field_name,
                            format!(
                                "expected `type` one of id, integer, date, year, area, or `code = \"list\"`, or `link = \"kind\"`, found {}",
                                other.map_or("neither".to_owned(), |t| format!("`{t}`"))
                            ),
                        ));
                    }
                };
                fields.push(Field {
                    name: field_name.clone(),
                    field_type,
                    optional: spec.optional,
                });
            }
            let find = |wanted: &Spanned<String>, role: &str, expected: FieldType| match fields
                .iter()
                .find(|f| &f.name == wanted.get_ref())
            {
                Some(f) if f.field_type == expected && !f.optional => Ok(wanted.get_ref().clone()),
                Some(_) => Err(at.error(
                    &wanted.span(),
                    wanted.get_ref(),
                    format!("the {role} field must be a required field of type {expected:?}")
                        .to_lowercase(),
                )),
                None => Err(at.error(
                    &wanted.span(),
                    wanted.get_ref(),
                    format!("the {role} field is not among the fields of `{name}`"),
                )),
            };
            let id = find(&kind.id, "id", FieldType::Id)?;
            let area = find(&kind.area, "area", FieldType::Area)?;
            let year = kind
                .year
                .as_ref()
                .map(|year| find(year, "year", FieldType::Year))
                .transpose()?;
            if let Some(extra) = fields.iter().find(|f| {
                matches!(f.field_type, FieldType::Id | FieldType::Area)
                    && f.name != id
                    && f.name != area
            }) {
                return Err(at.error(
                    &kind_span,
                    &extra.name,
                    "a kind has one id field and one area field".to_owned(),
                ));
            }
            let mut comparisons = Vec::new();
            for comparison in &kind.comparisons {
                let span = comparison.span();
                let comparison = comparison.get_ref();
                for part in [&comparison.field, &comparison.against] {
                    let ordered =
                        fields
                            .iter()
                            .find(|f| &f.name == part)
                            .and_then(|f| match &f.field_type {
                                FieldType::Code(list) => {
                                    Some(code_lists[list].codes[0].levels.is_empty())
                                }
                                _ => None,
                            });
                    if ordered != Some(false) {
                        return Err(at.error(
                            &span,
                            part,
                            "a comparison needs two code fields whose codes declare `levels`"
                                .to_owned(),
                        ));
                    }
                }
                if fields.iter().any(|f| f.name == comparison.name)
                    || comparisons
                        .iter()
                        .any(|c: &Comparison| c.name == comparison.name)
                {
                    return Err(at.error(
                        &span,
                        &comparison.name,
                        "a comparison needs a name no field has".to_owned(),
                    ));
                }
                comparisons.push(Comparison {
                    name: comparison.name.clone(),
                    field: comparison.field.clone(),
                    against: comparison.against.clone(),
                    label: comparison.label.clone(),
                });
            }
            let mut order = Vec::new();
            for rule in &kind.order {
                let span = rule.span();
                let rule = rule.get_ref();
                for part in [&rule.earlier, &rule.later] {
                    let orderable = fields.iter().find(|f| &f.name == part).is_some_and(|f| {
                        matches!(
                            f.field_type,
                            FieldType::Date | FieldType::Year | FieldType::Integer
                        )
                    });
                    if !orderable {
                        return Err(at.error(
                            &span,
                            part,
                            "an order rule needs two date, year or integer fields of the kind"
                                .to_owned(),
                        ));
                    }
                }
                let same_type = |a: &str, b: &str| {
                    let t = |n: &str| {
                        fields
                            .iter()
                            .find(|f| f.name == n)
                            .map(|f| f.field_type.clone())
                    };
                    t(a) == t(b)
                };
                if !same_type(&rule.earlier, &rule.later) {
                    return Err(at.error(
                        &span,
                        &rule.later,
                        format!(
                            "`{}` and `{}` are of different types",
                            rule.earlier, rule.later
                        ),
                    ));
                }
                order.push(OrderRule {
                    earlier: rule.earlier.clone(),
                    later: rule.later.clone(),
                });
            }
            kinds.push(Kind {
                name,
                label: kind.label,
                fields,
                id,
                area,
                year,
                comparisons,
                order,
            });
        }
        Ok(Schema {
            id: raw.id,
            description: raw.description,
            code_lists,
            kinds,
        })
    }

    /// A record kind by name.
    pub fn kind(&self, name: &str) -> Option<&Kind> {
        self.kinds.iter().find(|k| k.name == name)
    }

    /// The index of a kind.
    pub fn kind_index(&self, name: &str) -> Option<usize> {
        self.kinds.iter().position(|k| k.name == name)
    }
}

fn names<'a>(names: impl Iterator<Item = &'a String>) -> String {
    let list: Vec<&str> = names.map(String::as_str).collect();
    if list.is_empty() {
        "none".to_owned()
    } else {
        list.join(", ")
    }
}
