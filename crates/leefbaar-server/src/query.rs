//! The query parameters of every API route as types, from which the `OpenAPI` document
//! (`routes/openapi.rs`) takes each parameter's name, type, enum, pattern, bounds and required
//! flag, and from which [`crate::params::Params::of`] takes the names a route accepts.
//!
//! The handlers still read the raw pairs through `Params` (so that every bad parameter is
//! reported at once, by name); these types are the single list of what they read. The allowed
//! words and bounds are the same constants the handlers check against, so the document and the
//! checks cannot disagree. Values that depend on the served data (indicator ids, themes,
//! facility kinds, survey questions) are filled in per server by `routes::openapi`.

use utoipa::IntoParams;
use utoipa::openapi::Required;
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{Object, ObjectBuilder, Type};

// The bounds the handlers enforce, here so that the document and the handlers read one value.

/// The most white spots one request lists; the Drenthe bundle has a few thousand places.
pub(crate) const MAX_SPOTS: usize = 100_000;

/// The most rows one request returns; the whole Drenthe store is far below it.
pub(crate) const MAX_ROWS: usize = 100_000;

/// The most search results one request lists.
pub(crate) const MAX_LIMIT: usize = 50;

/// Longer queries are not names: the longest Dutch municipality name has 30 characters.
pub(crate) const MAX_QUERY_CHARS: usize = 100;

/// A unit struct whose `IntoParams` lists the given parameters: name, `required` or
/// `optional`, the function that builds its schema, and its doc comment as the description.
macro_rules! parameters {
    ($(#[$meta:meta])* $name:ident in $place:ident {
        $($(#[doc = $doc:literal])* $param:ident: $required:ident $schema:ident,)*
    }) => {
        $(#[$meta])*
        pub(crate) struct $name;
        impl IntoParams for $name {
            fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
                vec![$(parameter(
                    stringify!($param),
                    ParameterIn::$place,
                    stringify!($required) == "required",
                    concat!($($doc, "\n"),*),
                    $schema(),
                )),*]
            }
        }
    };
}

fn parameter(
    name: &str,
    place: ParameterIn,
    required: bool,
    description: &str,
    schema: Object,
) -> Parameter {
    let lines: Vec<&str> = description.lines().map(str::trim).collect();
    ParameterBuilder::new()
        .name(name)
        .parameter_in(place)
        .required(if required {
            Required::True
        } else {
            Required::False
        })
        .description(Some(lines.join(" ").trim().to_owned()))
        .schema(Some(schema))
        .build()
}

/// One CBS area code: `NL01`, `PV22`, `GM0106`, `WK010600`, `BU01060000`, `PC9401`
/// (what `AreaCode::parse` accepts).
pub(crate) const AREA_CODE: &str = "(NL|PV)[0-9]{2}|(GM|PC)[0-9]{4}|WK[0-9]{6}|BU[0-9]{8}";

/// The area levels `AreaLevel`'s parser accepts under their API names.
pub(crate) const LEVELS: &[&str] = &[
    "country",
    "province",
    "municipality",
    "district",
    "neighbourhood",
    "postcode",
];
/// `format=`: a JSON envelope or a CSV download.
pub(crate) const FORMATS: &[&str] = &["json", "csv"];
pub(crate) const LANGUAGES: &[&str] = &["nl", "en"];
pub(crate) const BOOLEANS: &[&str] = &["true", "false"];
/// `ages=` of a projection: five-year groups or single years.
pub(crate) const AGE_GROUPS: &[&str] = &["5", "single"];
/// `bubble=` of the similar municipalities: how the typology's bubble orders them.
pub(crate) const BUBBLE_RULES: &[&str] = &["report", "prefer", "only"];
/// `table=` of the typology's CSV: one row per municipality or per area and bubble.
pub(crate) const TYPOLOGY_TABLES: &[&str] = &["municipalities", "shares"];

/// The most similar municipalities one request asks for.
pub(crate) const MAX_SIMILAR: usize = 50;
/// How many areas `/compare` compares, at least and at most.
pub(crate) const COMPARED_AREAS: (usize, usize) = (2, 10);
/// The largest `min` of white spots, in residents.
pub(crate) const MAX_MIN_RESIDENTS: f64 = 1_000_000.0;

/// A string schema that allows exactly `words`.
pub(crate) fn one_of(words: &[&str]) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(words.iter().copied()))
}

/// A string that matches `pattern` completely.
fn matching(pattern: &str) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some(format!("^(?:{pattern})$")))
}

/// A comma-separated list of `item`s.
pub(crate) fn list_of(item: &str) -> String {
    format!("(?:{item})(?:,(?:{item}))*")
}

fn area_code() -> Object {
    matching(AREA_CODE).build()
}
fn area_codes() -> Object {
    matching(&list_of(AREA_CODE)).build()
}
/// `/compare`: 2 to 10 codes.
fn compared_areas() -> Object {
    let (min, max) = COMPARED_AREAS;
    matching(&format!(
        "(?:{AREA_CODE})(?:,(?:{AREA_CODE})){{{},{}}}",
        min - 1,
        max - 1
    ))
    .build()
}
fn level() -> Object {
    one_of(LEVELS).build()
}
fn format() -> Object {
    one_of(FORMATS).build()
}
fn language() -> Object {
    one_of(LANGUAGES).build()
}
fn boolean() -> Object {
    one_of(BOOLEANS).build()
}
fn age_groups() -> Object {
    one_of(AGE_GROUPS).build()
}
fn bubble_rule() -> Object {
    one_of(BUBBLE_RULES).build()
}
fn typology_table() -> Object {
    one_of(TYPOLOGY_TABLES).build()
}
fn rule() -> Object {
    one_of(&leefbaar_monitor::aed::rules()).build()
}
fn year() -> Object {
    let range = leefbaar_model::Year::RANGE;
    ObjectBuilder::new()
        .schema_type(Type::Integer)
        .minimum(Some(f64::from(*range.start())))
        .maximum(Some(f64::from(*range.end())))
        .build()
}
/// A free word whose allowed values the served data decides (filled in by `routes::openapi`).
fn word() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .min_length(Some(1))
        .build()
}
/// A whole number from 1 to `max`.
fn positive(max: usize) -> Object {
    ObjectBuilder::new()
        .schema_type(Type::Integer)
        .minimum(Some(1.0))
        .maximum(Some(max as f64))
        .build()
}
fn similar_count() -> Object {
    positive(MAX_SIMILAR)
}
fn row_limit() -> Object {
    positive(MAX_ROWS)
}
fn hit_limit() -> Object {
    positive(MAX_LIMIT)
}
fn spot_limit() -> Object {
    positive(MAX_SPOTS)
}
fn new_aeds() -> Object {
    positive(leefbaar_monitor::aed::MAX_NEW_AEDS)
}
fn residents() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::Number)
        .minimum(Some(0.0))
        .maximum(Some(MAX_MIN_RESIDENTS))
        .build()
}
fn municipality_code() -> Object {
    matching("GM[0-9]{4}").build()
}
/// A point `lon,lat` in WGS84 degrees.
fn point() -> Object {
    let number = r"-?[0-9]{1,3}(?:\.[0-9]{1,8})?";
    matching(&format!("{number},{number}")).build()
}
fn search_text() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .min_length(Some(1))
        .max_length(Some(MAX_QUERY_CHARS))
        // Not only blanks: a blank query is no query.
        .pattern(Some(r"\S"))
        .build()
}

parameters! {
    /// `GET /api/v1/areas`.
    AreasQuery in Query {
        /// Only areas of this level.
        level: optional level,
        /// Only areas whose parent is this CBS code, e.g. PV22.
        parent: optional area_code,
        /// Only areas that exist in this year.
        year: optional year,
        /// Comma-separated CBS codes.
        code: optional area_codes,
    }
}

parameters! {
    /// `GET /api/v1/boundaries`.
    BoundariesQuery in Query {
        /// The level of the areas whose boundaries to return.
        level: required level,
        /// Only areas whose parent is this CBS code, e.g. PV22.
        parent: optional area_code,
        /// Only areas that exist in this year.
        year: optional year,
    }
}

parameters! {
    /// The path of `/areas/{code}`, `/areas/{code}/profile`.
    AreaPath in Path {
        /// A CBS area code, e.g. GM0106.
        code: required area_code,
    }
}

parameters! {
    /// The path of `/areas/{code}/similar`.
    MunicipalityPath in Path {
        /// A CBS municipality code, e.g. GM0106.
        code: required municipality_code,
    }
}

parameters! {
    /// `GET /api/v1/areas/{code}/profile`.
    ProfileQuery in Query {
        /// Comma-separated indicator ids (default: all).
        indicator: optional word,
        /// The language of names and descriptions.
        lang: optional language,
    }
}

parameters! {
    /// `GET /api/v1/areas/{code}/similar`.
    SimilarQuery in Query {
        /// How many municipalities (default 10).
        n: optional similar_count,
        /// The typology's bubble (projected change × degree of urbanisation): report (default:
        /// by distance, each with its bubble), prefer (the same bubble first) or only (the same
        /// bubble only).
        bubble: optional bubble_rule,
    }
}

parameters! {
    /// `GET /api/v1/indicators`.
    IndicatorsQuery in Query {
        /// Only the indicators of this theme.
        theme: optional word,
    }
}

parameters! {
    /// The path of `/indicators/{id}`.
    IndicatorPath in Path {
        /// An indicator id from /api/v1/indicators.
        id: required word,
    }
}

parameters! {
    /// `GET /api/v1/observations`.
    ObservationsQuery in Query {
        /// Comma-separated indicator ids.
        indicator: optional word,
        /// Comma-separated CBS codes.
        area: optional area_codes,
        /// Only areas of this level.
        level: optional level,
        /// Only areas whose parent is this CBS code.
        parent: optional area_code,
        /// One year (not with `year_from`/`year_to`).
        year: optional year,
        /// The first year (at most `year_to`).
        year_from: optional year,
        /// The last year.
        year_to: optional year,
        /// json (default) or csv.
        format: optional format,
        /// At most this many rows.
        limit: optional row_limit,
    }
}

parameters! {
    /// `GET /api/v1/compare`.
    CompareQuery in Query {
        /// 2 to 10 comma-separated CBS codes.
        area: required compared_areas,
        /// One indicator id.
        indicator: required word,
    }
}

parameters! {
    /// `GET /api/v1/search`.
    SearchQuery in Query {
        /// A name, an area code or a postcode (9401, 9401 AB).
        q: required search_text,
        /// At most this many areas (default 10).
        limit: optional hit_limit,
    }
}

parameters! {
    /// `GET /api/v1/places`.
    PlacesQuery in Query {
        /// Only places in the municipalities of this area, e.g. PV22.
        parent: optional area_code,
    }
}

parameters! {
    /// `GET /api/v1/survey/estimates`.
    EstimatesQuery in Query {
        /// A question id from /api/v1/survey, e.g. rating.
        question: required word,
        /// A grouping: province, municipality, age_group, sex or a single-choice question id.
        by: optional word,
    }
}

parameters! {
    /// `GET /api/v1/survey/difference`.
    DifferenceQuery in Query {
        /// A question id, e.g. rating.
        question: required word,
        /// A grouping: province, municipality, age_group, sex or a single-choice question id.
        by: required word,
        /// The first group, e.g. PV20.
        a: required word,
        /// The second group, e.g. PV22.
        b: required word,
    }
}

parameters! {
    /// `GET /api/v1/facilities`.
    FacilitiesQuery in Query {
        /// Only facilities of this kind (default: all).
        kind: optional word,
    }
}

parameters! {
    /// `GET /api/v1/reach/scenario`.
    ScenarioQuery in Query {
        /// The facility kind, e.g. primary_school.
        kind: required word,
        /// Comma-separated facility ids of that kind (from /api/v1/facilities).
        close: optional word,
        /// A new facility at lon,lat (WGS84), e.g. 6.56,52.99.
        open: optional point,
        /// Only areas of this level.
        level: optional level,
    }
}

parameters! {
    /// `GET /api/v1/care/hospitals/scenario`.
    HospitalScenarioQuery in Query {
        /// Comma-separated hospital ids to close (from /api/v1/care/hospitals), e.g. ZH36,ZH73;
        /// none gives the baseline.
        close: optional word,
    }
}

parameters! {
    /// `GET /api/v1/aed/white-spots` (and `.csv`, which ignores `format`).
    WhiteSpotsQuery in Query {
        /// When an AED counts: 24_7 (default), day, evening, night or weekend.
        rule: optional rule,
        /// Only places in this municipality, district, neighbourhood or postcode area (or the
        /// province: all).
        area: optional area_code,
        /// Only places with at least this many uncovered residents (default 0).
        min: optional residents,
        /// At most this many places.
        limit: optional spot_limit,
        /// json (default) or csv.
        format: optional format,
    }
}

parameters! {
    /// `GET /api/v1/aed/white-spots.csv`.
    WhiteSpotsCsvQuery in Query {
        /// As for /api/v1/aed/white-spots.
        rule: optional rule,
        /// As for /api/v1/aed/white-spots.
        area: optional area_code,
        /// As for /api/v1/aed/white-spots.
        min: optional residents,
        /// As for /api/v1/aed/white-spots.
        limit: optional spot_limit,
    }
}

parameters! {
    /// `GET /api/v1/aed/placement`.
    PlacementQuery in Query {
        /// When an AED counts: 24_7 (default), day, evening, night or weekend.
        rule: optional rule,
        /// New AEDs (default 5).
        k: optional new_aeds,
        /// true: AEDs inside or with opening hours may also move outside.
        relocate: optional boolean,
        /// The municipality (or district, neighbourhood, postcode area) whose residents count.
        area: optional area_code,
    }
}

parameters! {
    /// The path of `/projection/{code}`.
    ProjectionPath in Path {
        /// A municipality code of the monitored province (e.g. GM0114), its province code (PV22)
        /// or a region id of its bundle (e.g. oost-drenthe).
        code: required word,
    }
}

parameters! {
    /// `GET /api/v1/projection/{code}`.
    ProjectionQuery in Query {
        /// Pyramid rows: 5 (five-year groups, 95+ open; default) or single (100+ open).
        ages: optional age_groups,
    }
}

parameters! {
    /// `GET /api/v1/typology`.
    TypologyQuery in Query {
        /// json (default) or csv.
        format: optional format,
        /// The table of the CSV: municipalities (default: one row per municipality) or shares
        /// (one row per area and bubble).
        table: optional typology_table,
    }
}

parameters! {
    /// Routes without query parameters.
    NoQuery in Query {
    }
}

/// The names of `Q`'s parameters, for [`crate::params::Params::of`].
pub(crate) fn names<Q: IntoParams>() -> Vec<String> {
    Q::into_params(|| None)
        .into_iter()
        .map(|parameter| parameter.name)
        .collect()
}
