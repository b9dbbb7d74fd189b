//! What a manifest declares beyond tables and areas: the bundle's identity, the province it
//! monitors, its own indicator catalogue, and the inputs of the monitors that compute rather
//! than read (reach of facilities, the population projection, the citizens' panel).
//!
//! These sections are data like the rest of the manifest, so a bundle for another province or
//! with another facility kind is an edit of the manifest, not of code. This module only reads
//! and checks them and resolves their paths against the manifest's folder; the monitors
//! (`leefbaar-monitor`) give them meaning.
//!
//! ```toml
//! [bundle]
//! id = "drenthe"
//! name = "Drenthe"
//! version = "2024.1"
//! province = "PV22"
//! catalogue = "catalogue.toml"          # optional: the bundle's own indicators
//!
//! [reach]
//! year = 2024
//! origins = "reach_origins_pc4_2021/origins_pc4_2021.csv"
//! [[reach.kind]]
//! id = "primary_school"
//! file = "facilities/primary_school.csv"
//! profile = "bicycle"
//! thresholds_m = [1000, 3000, 5000]
//! thresholds_min = [5, 10]                # optional: travel time on the profile
//!
//! [projection]
//! inputs = "../projection"
//! [[projection.region]]
//! id = "oost-drenthe"
//! name = "Oost-Drenthe"
//! members = ["GM1680", "GM1681", "GM0109", "GM0114"]
//!
//! [survey]
//! schema = "../survey/burgerpanel_2018_schema.toml"
//! panel = "../survey/burgerpanel_2018_synthetic.csv"
//! margins = "../survey/population_2019_adults.csv"
//!
//! [typology]                             # needs [projection]
//! file = "cbs_gebieden_in_nederland_gemeenten/gebieden_in_nederland_gemeenten.csv"
//! columns = { area = "Code_1", name = "Naam_2", province = "Code_26", province_name = "Naam_27", urbanity = "Code_52" }
//! from_year = 2024
//! to_year = 2040
//! [[typology.degree]]
//! id = "urban"
//! name = { nl = "stedelijk", en = "urban" }
//! urbanity = [1, 2]
//! ```

use std::path::{Path, PathBuf};

use leefbaar_model::{AreaCode, AreaLevel, LocalizedText, Year};
use serde::Deserialize;

use crate::error::ImportError;

/// The travel profiles a reach kind may name; the reach engine (`leefbaar-network`) has the
/// same three, and a test there keeps the lists equal.
pub const PROFILES: [&str; 3] = ["car", "bicycle", "foot"];

/// The monitor sections of a manifest, checked, with paths resolved against its folder.
#[derive(Debug, Clone, PartialEq)]
pub struct BundleSpec {
    /// A short stable id, e.g. `drenthe`.
    pub id: String,
    /// The bundle's name for people.
    pub name: String,
    /// The bundle's own version, recorded in the store with every import.
    pub version: String,
    /// The province the monitor is about (its map, profiles and comparisons).
    pub province: AreaCode,
    /// The bundle's own indicator catalogue, which extends the built-in one.
    pub catalogue: Option<PathBuf>,
    /// Reach of facilities, when the bundle has facilities and population points.
    pub reach: Option<ReachSpec>,
    /// The population projection, when the bundle has its inputs.
    pub projection: Option<ProjectionSpec>,
    /// The citizens' panel, when the bundle has one.
    pub survey: Option<SurveySpec>,
    /// AED coverage (Hartveilig), when the bundle has an AED register.
    pub aed: Option<AedSpec>,
    /// Hospital closures in minutes, when the bundle has population points with ages for them.
    pub hospitals: Option<HospitalsSpec>,
    /// The national typology (projected change × degree of urbanisation), when declared.
    pub typology: Option<TypologySpec>,
    /// Open school data (DUO) per school and municipality, and the krimpcheck, when declared.
    pub schools: Option<SchoolsSpec>,
}

/// The education monitor's open data (DUO's *open onderwijsdata* and CBS's disadvantage
/// scores, in DUO's own column names) and the krimpcheck's settings. The schools are joined to
/// the facilities of reach kinds by their code (BRIN + two-digit location), so `[schools]`
/// needs `[reach]`; the krimpcheck needs `[projection]`.
#[derive(Debug, Clone, PartialEq)]
pub struct SchoolsSpec {
    /// The year of the pupil counts (1 October), which the krimpcheck carries forward.
    pub year: Year,
    /// Every location's municipality (CSV: `vestigingscode, naam, gemeentecode, bepaald_uit`).
    pub locations: PathBuf,
    /// Primary final-test scores per location and test provider.
    pub final_test: PathBuf,
    /// CBS disadvantage scores per primary location.
    pub disadvantage: PathBuf,
    /// Mean home–school distance per primary location.
    pub distance: PathBuf,
    /// Secondary pupils per location by education type and year of study.
    pub pupils: PathBuf,
    /// Secondary exam candidates and passed per location, programme and school year.
    pub exams: PathBuf,
    /// Early school leavers per secondary location.
    pub early_leavers: PathBuf,
    /// The year of the early-school-leaver counts.
    pub early_leavers_year: Year,
    /// The reach kinds whose facilities the schools are joined to, with their files.
    pub join: Vec<(String, PathBuf)>,
    /// The krimpcheck's size threshold: a secondary location projected below this many pupils
    /// is reported with the first year it is.
    pub min_pupils: u32,
    /// The last year of the krimpcheck.
    pub horizon: Year,
    /// Pupil forecasts a user supplies (CSV: `vestigingscode, jaar, leerlingen`), shown beside
    /// the krimpcheck's own.
    pub forecast: Option<PathBuf>,
    /// The folder of the data, as the manifest gives it (the source's file).
    pub file: String,
    /// The data's source: id, table, licence and attribution.
    pub source: CareSource,
}

/// The national typology: every municipality of a division classed by its projected change
/// between two years (the projection's classes) and its degree of urbanisation (groups of a
/// published urbanity code). Needs `[projection]`.
#[derive(Debug, Clone, PartialEq)]
pub struct TypologySpec {
    /// The table of municipalities with their province and urbanity code.
    pub file: PathBuf,
    /// The same file as the manifest gives it (relative to the manifest).
    pub file_as_given: String,
    /// The table's columns.
    pub columns: TypologyColumns,
    /// The first year of the projected change (the division's year).
    pub from_year: Year,
    /// The last year of the projected change.
    pub to_year: Year,
    /// The degrees of urbanisation, from most to least urban; every urbanity code the table
    /// may hold is in exactly one.
    pub degrees: Vec<DegreeSpec>,
}

/// The columns of the typology's table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypologyColumns {
    /// The municipality code.
    pub area: String,
    /// The municipality's name.
    pub name: String,
    /// The province code.
    pub province: String,
    /// The province's name.
    pub province_name: String,
    /// The urbanity code (a whole number).
    pub urbanity: String,
}

/// One degree of urbanisation: the urbanity codes it groups.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DegreeSpec {
    /// A stable id (`urban`).
    pub id: String,
    /// Its name.
    pub name: LocalizedText,
    /// The urbanity codes it groups.
    pub codes: Vec<u8>,
}

/// The inputs and settings of the hospital monitor: who is beyond which time from the nearest
/// open hospital, by car and from the emergency call. Hospitals and ambulance posts are reach
/// kinds, so `[hospitals]` needs `[reach]`.
///
/// # Units
/// Minutes.
#[derive(Debug, Clone, PartialEq)]
pub struct HospitalsSpec {
    /// The year of the population.
    pub year: Year,
    /// Population points (CSV: `pc4, place, province, municipality, municipality_name, persons,
    /// persons_75_plus, lon, lat`).
    pub origins: PathBuf,
    /// The reach kind whose facilities are the hospitals.
    pub hospital_kind: String,
    /// Its facility file.
    pub hospitals: PathBuf,
    /// The reach kind whose facilities are the ambulance posts.
    pub ambulance_kind: String,
    /// Its facility file.
    pub ambulance_posts: PathBuf,
    /// Car-time thresholds, ascending (30 and 45).
    pub thresholds_min: Vec<f64>,
    /// Thresholds of the time from the call to arrival at hospital, ascending (45).
    pub call_thresholds_min: Vec<f64>,
    /// From the call to the ambulance leaving its post.
    pub dispatch_min: f64,
    /// Time with the patient before the drive to hospital.
    pub on_scene_min: f64,
}

/// The inputs and settings of AED coverage (Hartveilig). Residents are the reach monitor's
/// population points, so `[aed]` needs `[reach]`.
#[derive(Debug, Clone, PartialEq)]
pub struct AedSpec {
    /// The year the register describes.
    pub year: Year,
    /// The register (CSV: `id, lon, lat, indoor, opening_hours, access, registered`).
    pub register: PathBuf,
    /// Citizen responders per postcode area (CSV: `pc4, responders`), if known.
    pub responders: Option<PathBuf>,
    /// The coverage distance in metres (the alert system's 500 m), or the distance a responder
    /// covers there and back in the manifest's `minutes` at its `speed_m_per_s`.
    pub within_m: f64,
    /// The radius around an AED within which responders are counted, in metres (2,000).
    pub responder_radius_m: f64,
    /// The responders an AED should have within that radius (60 in rural areas).
    pub responders_per_aed: f64,
    /// The source record of the AED figures (id, table, licence, attribution, description).
    pub source: ReachSource,
    /// Present when the register is synthetic: what every output then says about it.
    pub synthetic_notice: Option<String>,
}

/// The inputs and settings of reach.
#[derive(Debug, Clone, PartialEq)]
pub struct ReachSpec {
    /// The statistical year of the reach figures.
    pub year: Year,
    /// Population points of municipalities and districts (CSV: `pc4, persons, province,
    /// municipality, municipality_name, district, district_name, lon, lat`).
    pub origins: PathBuf,
    /// Population points of neighbourhoods (CSV: `pc4, persons, neighbourhood, lon, lat`).
    pub neighbourhood_origins: Option<PathBuf>,
    /// Where within each PC4 area people live: a population grid and its cells cut by PC4
    /// area; with it the origins are the cells' parts, each PC4's persons of `origins` shared
    /// out over its parts in proportion to their grid population (dasymetric).
    pub grid: Option<GridSpec>,
    /// What the origins are, for the indicators' descriptions (e.g. "origins are postcode
    /// areas (PC4, population 2021), which can cover several villages").
    pub origins_note: LocalizedText,
    /// The source record the reach figures carry.
    pub source: ReachSource,
    /// The facility kinds, in the order their indicators are listed.
    pub kinds: Vec<ReachKindSpec>,
}

/// A population grid and its cells cut by PC4 area.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GridSpec {
    /// The cells (CSV: `grd_id, x_laea, y_laea, persons`; INSPIRE 1 km cell ids).
    pub cells: PathBuf,
    /// The cells' parts per PC4 (CSV: `grd_id, pc4, share, lon, lat`).
    pub parts: PathBuf,
}

/// The source record of the reach figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReachSource {
    /// Its id in the store and the catalogue.
    pub id: String,
    /// The facilities' folder, relative to the manifest, as the manifest gives it.
    pub file: String,
    /// The title of what was computed from what.
    pub table: String,
    /// The inputs' licences together.
    pub licence: String,
    /// The inputs' attributions together.
    pub attribution: String,
    /// One line for the catalogue.
    pub description: String,
}

/// One facility kind: its file, travel profile and distance thresholds.
#[derive(Debug, Clone, PartialEq)]
pub struct ReachKindSpec {
    /// A stable id, lowercase with `_` (`primary_school`); part of indicator ids.
    pub id: String,
    /// The facilities (CSV: `id, name, kind, lon, lat`).
    pub file: PathBuf,
    /// The kind in words, singular, without article (`basisschool`, `primary school`).
    pub name: LocalizedText,
    /// Which facilities are counted, for the indicators' descriptions (`basisscholen (DUO,
    /// november 2024)`).
    pub covers: LocalizedText,
    /// The travel profile on a road network: `car`, `bicycle` or `foot`.
    pub profile: String,
    /// Distance thresholds, in metres, ascending.
    pub thresholds_m: Vec<f64>,
    /// Travel-time thresholds on the kind's profile, in whole minutes, ascending (may be
    /// empty).
    pub thresholds_min: Vec<f64>,
}

/// The inputs of the population projection.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectionSpec {
    /// The folder with the projection's tables (`data/projection`).
    pub inputs: PathBuf,
    /// The same folder as the manifest gives it (relative to the manifest), for the source
    /// record.
    pub file: String,
    /// Regions of municipalities classified as a whole, besides the province.
    pub regions: Vec<RegionSpec>,
    /// Care demand from the projection (`[projection.care]`), if the bundle asks for it.
    pub care: Option<CareSpec>,
}

/// What care demand is computed from besides the projected population.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CareSpec {
    /// Dementia prevalence per age band and sex (CSV: `from_age,to_age,male_pct,female_pct`).
    pub dementia_prevalence: PathBuf,
    /// The same file as the manifest gives it (relative to the manifest).
    pub dementia_file: String,
    /// The rates' source: its id (as the catalogue's dementia indicators name it), the table
    /// cited, licence and attribution.
    pub source: CareSource,
}

/// The published study the prevalence rates come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CareSource {
    /// Its id in the store and the catalogue.
    pub id: String,
    /// The study and table cited.
    pub table: String,
    /// Its licence or terms of reuse.
    pub licence: String,
    /// Whom to credit.
    pub attribution: String,
}

/// A region of municipalities.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionSpec {
    /// A stable id for URLs (`oost-drenthe`).
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its municipalities, as codes of the projection's base-year division.
    pub members: Vec<AreaCode>,
}

/// The files of a citizens' panel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurveySpec {
    /// The questionnaire (TOML).
    pub schema: PathBuf,
    /// The respondents (CSV).
    pub panel: PathBuf,
    /// The raking margins (CSV).
    pub margins: PathBuf,
    /// Present when the answers are synthetic: what every output then says about them.
    pub synthetic_notice: Option<String>,
}

/// The raw `[bundle]`, `[reach]`, `[projection]` and `[survey]` tables of a manifest.
#[derive(Debug)]
pub(crate) struct RawSections {
    pub bundle: RawBundle,
    pub reach: Option<RawReach>,
    pub projection: Option<RawProjection>,
    pub survey: Option<RawSurvey>,
    pub aed: Option<RawAed>,
    pub typology: Option<RawTypology>,
    pub hospitals: Option<RawHospitals>,
    pub schools: Option<RawSchools>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSchools {
    year: u16,
    locations: String,
    final_test: String,
    disadvantage: String,
    distance: String,
    pupils: String,
    exams: String,
    early_leavers: String,
    early_leavers_year: u16,
    join: Vec<String>,
    min_pupils: u32,
    horizon: u16,
    forecast: Option<String>,
    file: String,
    source: RawCareSource,
}

impl RawSchools {
    fn check(
        self,
        base: &Path,
        reach: Option<&ReachSpec>,
        projection: bool,
    ) -> Result<SchoolsSpec, String> {
        let year = Year::new(self.year).map_err(|e| format!("[schools], field `year`: {e}"))?;
        let early_leavers_year = Year::new(self.early_leavers_year)
            .map_err(|e| format!("[schools], field `early_leavers_year`: {e}"))?;
        let horizon =
            Year::new(self.horizon).map_err(|e| format!("[schools], field `horizon`: {e}"))?;
        if horizon <= year {
            return Err(format!(
                "[schools], field `horizon`: expected a year after `year` ({year}), found {horizon}"
            ));
        }
        if !projection {
            return Err(
                "[schools] needs [projection]: the krimpcheck carries pupils forward with it"
                    .to_owned(),
            );
        }
        let Some(reach) = reach else {
            return Err(
                "[schools] needs [reach]: its schools are joined to reach kinds' facilities"
                    .to_owned(),
            );
        };
        let join = self
            .join
            .iter()
            .map(|id| {
                reach
                    .kinds
                    .iter()
                    .find(|kind| &kind.id == id)
                    .map(|kind| (id.clone(), kind.file.clone()))
                    .ok_or_else(|| {
                        format!("[schools], field `join`: no [[reach.kind]] with id `{id}`")
                    })
            })
            .collect::<Result<Vec<_>, String>>()?;
        if self.min_pupils == 0 {
            return Err(
                "[schools], field `min_pupils`: expected a number of pupils above 0, found 0"
                    .to_owned(),
            );
        }
        Ok(SchoolsSpec {
            year,
            locations: base.join(self.locations),
            final_test: base.join(self.final_test),
            disadvantage: base.join(self.disadvantage),
            distance: base.join(self.distance),
            pupils: base.join(self.pupils),
            exams: base.join(self.exams),
            early_leavers: base.join(self.early_leavers),
            early_leavers_year,
            join,
            min_pupils: self.min_pupils,
            horizon,
            forecast: self.forecast.map(|file| base.join(file)),
            file: self.file,
            source: CareSource {
                id: self.source.id,
                table: self.source.table,
                licence: self.source.licence,
                attribution: self.source.attribution,
            },
        })
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTypology {
    pub(crate) file: String,
    columns: RawTypologyColumns,
    from_year: u16,
    to_year: u16,
    #[serde(rename = "degree")]
    degrees: Vec<RawDegree>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTypologyColumns {
    area: String,
    name: String,
    province: String,
    province_name: String,
    urbanity: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDegree {
    id: String,
    name: RawText,
    urbanity: Vec<u8>,
}

impl RawTypology {
    fn check(self, base: &Path, has_projection: bool) -> Result<TypologySpec, String> {
        if !has_projection {
            return Err(
                "[typology] needs [projection]: its change classes are the projection's".to_owned(),
            );
        }
        let from_year =
            Year::new(self.from_year).map_err(|e| format!("[typology], field `from_year`: {e}"))?;
        let to_year =
            Year::new(self.to_year).map_err(|e| format!("[typology], field `to_year`: {e}"))?;
        if to_year <= from_year {
            return Err(format!(
                "[typology], field `to_year`: expected a year after `from_year` ({from_year}), found {to_year}"
            ));
        }
        if self.degrees.is_empty() {
            return Err("[typology] declares no `[[typology.degree]]`".to_owned());
        }
        let mut degrees: Vec<DegreeSpec> = Vec::with_capacity(self.degrees.len());
        for degree in self.degrees {
            let at = |field: &str, message: String| {
                format!(
                    "[[typology.degree]] `{}`, field `{field}`: {message}",
                    degree.id
                )
            };
            if !is_id(&degree.id, b'_') {
                return Err(at(
                    "id",
                    "expected lowercase letters, digits and `_`, starting with a letter".to_owned(),
                ));
            }
            if degrees.iter().any(|d| d.id == degree.id) {
                return Err(at("id", "the degree is declared twice".to_owned()));
            }
            if degree.urbanity.is_empty() {
                return Err(at("urbanity", "a degree needs urbanity codes".to_owned()));
            }
            // A code in two degrees would give a municipality two classes.
            if let Some(code) = degree
                .urbanity
                .iter()
                .find(|code| degrees.iter().any(|d| d.codes.contains(code)))
            {
                return Err(at(
                    "urbanity",
                    format!("code {code} is in another degree already"),
                ));
            }
            degrees.push(DegreeSpec {
                id: degree.id,
                name: degree.name.into(),
                codes: degree.urbanity,
            });
        }
        Ok(TypologySpec {
            file: base.join(&self.file),
            file_as_given: self.file,
            columns: TypologyColumns {
                area: self.columns.area,
                name: self.columns.name,
                province: self.columns.province,
                province_name: self.columns.province_name,
                urbanity: self.columns.urbanity,
            },
            from_year,
            to_year,
            degrees,
        })
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawHospitals {
    year: u16,
    origins: String,
    hospital_kind: String,
    ambulance_kind: String,
    thresholds_min: Vec<f64>,
    call_thresholds_min: Vec<f64>,
    dispatch_min: f64,
    on_scene_min: f64,
}

impl RawHospitals {
    fn check(self, base: &Path, reach: Option<&ReachSpec>) -> Result<HospitalsSpec, String> {
        let year = Year::new(self.year).map_err(|e| format!("[hospitals], field `year`: {e}"))?;
        let Some(reach) = reach else {
            return Err(
                "[hospitals] needs [reach]: its hospitals and ambulance posts are reach kinds"
                    .to_owned(),
            );
        };
        let kind_file = |field: &str, id: &str| {
            reach
                .kinds
                .iter()
                .find(|kind| kind.id == id)
                .map(|kind| kind.file.clone())
                .ok_or_else(|| {
                    format!("[hospitals], field `{field}`: no [[reach.kind]] with id `{id}`")
                })
        };
        let hospitals = kind_file("hospital_kind", &self.hospital_kind)?;
        let ambulance_posts = kind_file("ambulance_kind", &self.ambulance_kind)?;
        for (field, values) in [
            ("thresholds_min", &self.thresholds_min),
            ("call_thresholds_min", &self.call_thresholds_min),
        ] {
            let ascending = values.windows(2).all(|pair| pair[0] < pair[1]);
            let valid = values
                .iter()
                .all(|&v| v.is_finite() && v > 0.0 && v <= 600.0 && v.fract() == 0.0);
            if values.is_empty() || !ascending || !valid {
                return Err(format!(
                    "[hospitals], field `{field}`: expected whole minutes from 1 to 600, ascending, found {values:?}"
                ));
            }
        }
        for (field, value) in [
            ("dispatch_min", self.dispatch_min),
            ("on_scene_min", self.on_scene_min),
        ] {
            if !(value.is_finite() && (0.0..=120.0).contains(&value)) {
                return Err(format!(
                    "[hospitals], field `{field}`: expected minutes from 0 to 120, found {value}"
                ));
            }
        }
        Ok(HospitalsSpec {
            year,
            origins: base.join(self.origins),
            hospital_kind: self.hospital_kind,
            hospitals,
            ambulance_kind: self.ambulance_kind,
            ambulance_posts,
            thresholds_min: self.thresholds_min,
            call_thresholds_min: self.call_thresholds_min,
            dispatch_min: self.dispatch_min,
            on_scene_min: self.on_scene_min,
        })
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawAed {
    year: u16,
    register: String,
    responders: Option<String>,
    within_m: Option<f64>,
    minutes: Option<f64>,
    speed_m_per_s: Option<f64>,
    #[serde(default = "default_responder_radius_m")]
    responder_radius_m: f64,
    #[serde(default = "default_responders_per_aed")]
    responders_per_aed: f64,
    source: RawReachSource,
    synthetic_notice: Option<String>,
}

/// The alert system's coverage rule: an AED within 500 m as the crow flies.
const DEFAULT_WITHIN_M: f64 = 500.0;

/// The speed the convention implies: 500 m to the AED and 500 m back to the patient in six
/// minutes (responders' measured speeds are 1.8–3.1 m/s).
const CONVENTION_SPEED_M_PER_S: f64 = 1_000.0 / 360.0;

/// Responders are alerted within 2 km of an AED.
fn default_responder_radius_m() -> f64 {
    2_000.0
}

/// In rural areas 60 responders within 2 km get about 5 to the scene.
fn default_responders_per_aed() -> f64 {
    60.0
}

impl RawAed {
    fn check(self, base: &Path, has_reach: bool) -> Result<AedSpec, String> {
        let year = Year::new(self.year).map_err(|e| format!("[aed], field `year`: {e}"))?;
        if !has_reach {
            return Err(
                "[aed] needs [reach]: its residents are the reach monitor's population points"
                    .to_owned(),
            );
        }
        // A time budget there and back at a speed, or a distance; not both.
        let within_m = match (self.within_m, self.minutes) {
            (Some(_), Some(_)) => {
                return Err(
                    "[aed]: give `within_m` or `minutes` (with `speed_m_per_s`), not both"
                        .to_owned(),
                );
            }
            (Some(metres), None) => metres,
            (None, Some(minutes)) => {
                let speed = self.speed_m_per_s.unwrap_or(CONVENTION_SPEED_M_PER_S);
                if !(0.5..=8.0).contains(&speed) {
                    return Err(format!(
                        "[aed], field `speed_m_per_s`: expected a speed on foot of 0.5 to 8 m/s, found {speed}"
                    ));
                }
                // To the decimetre, so names and descriptions read `500 m`, not `500.00000000000006 m`.
                (minutes * 60.0 * speed / 2.0 * 10.0).round() / 10.0
            }
            (None, None) => DEFAULT_WITHIN_M,
        };
        if self.speed_m_per_s.is_some() && self.minutes.is_none() {
            return Err("[aed], field `speed_m_per_s`: only with `minutes`".to_owned());
        }
        for (field, value) in [
            ("within_m", within_m),
            ("responder_radius_m", self.responder_radius_m),
            ("responders_per_aed", self.responders_per_aed),
        ] {
            if !(value.is_finite() && value > 0.0 && value <= 100_000.0) {
                return Err(format!(
                    "[aed], field `{field}`: expected a positive number up to 100000, found {value}"
                ));
            }
        }
        let source = self.source;
        Ok(AedSpec {
            year,
            register: base.join(self.register),
            responders: self.responders.map(|file| base.join(file)),
            within_m,
            responder_radius_m: self.responder_radius_m,
            responders_per_aed: self.responders_per_aed,
            source: ReachSource {
                id: source.id,
                file: source.file,
                table: source.table,
                licence: source.licence,
                attribution: source.attribution,
                description: source.description,
            },
            synthetic_notice: self.synthetic_notice,
        })
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawBundle {
    id: String,
    name: String,
    version: String,
    province: String,
    catalogue: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawText {
    nl: String,
    en: String,
}

impl From<RawText> for LocalizedText {
    fn from(raw: RawText) -> LocalizedText {
        LocalizedText {
            nl: raw.nl,
            en: raw.en,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawReach {
    year: u16,
    origins: String,
    neighbourhood_origins: Option<String>,
    grid: Option<RawGrid>,
    origins_note: RawText,
    source: RawReachSource,
    #[serde(rename = "kind")]
    kinds: Vec<RawKind>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGrid {
    cells: String,
    parts: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReachSource {
    id: String,
    file: String,
    table: String,
    licence: String,
    attribution: String,
    description: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKind {
    id: String,
    file: String,
    name: RawText,
    covers: RawText,
    profile: String,
    thresholds_m: Vec<f64>,
    #[serde(default)]
    thresholds_min: Vec<f64>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawProjection {
    inputs: String,
    #[serde(default, rename = "region")]
    regions: Vec<RawRegion>,
    care: Option<RawCare>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCare {
    dementia_prevalence: String,
    source: RawCareSource,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCareSource {
    id: String,
    table: String,
    licence: String,
    attribution: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRegion {
    id: String,
    name: String,
    members: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSurvey {
    schema: String,
    panel: String,
    margins: String,
    synthetic_notice: Option<String>,
}

/// A stable id: lowercase ASCII letters, digits and `_` (or `-` for URL ids), starting with a
/// letter.
fn is_id(text: &str, extra: u8) -> bool {
    let mut bytes = text.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_lowercase())
        && bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == extra)
}

impl RawSections {
    /// Checks the sections and resolves their paths against `base`, the manifest's folder.
    pub(crate) fn check(self, manifest: &Path, base: &Path) -> Result<BundleSpec, ImportError> {
        let bad = |message: String| ImportError::Manifest {
            file: manifest.to_owned(),
            message,
        };
        let bundle = self.bundle;
        if !is_id(&bundle.id, b'-') {
            return Err(bad(format!(
                "[bundle], field `id`: expected lowercase letters, digits, `_` or `-`, starting with a letter, found `{}`",
                bundle.id
            )));
        }
        let province = AreaCode::parse(&bundle.province)
            .ok()
            .filter(|code| code.level() == AreaLevel::Province)
            .ok_or_else(|| {
                bad(format!(
                    "[bundle], field `province`: expected a CBS province code such as PV22, found `{}`",
                    bundle.province
                ))
            })?;
        let reach = self
            .reach
            .map(|reach| reach.check(base).map_err(&bad))
            .transpose()?;
        let projection = self
            .projection
            .map(|projection| projection.check(base).map_err(&bad))
            .transpose()?;
        let survey = self.survey.map(|survey| SurveySpec {
            schema: base.join(survey.schema),
            panel: base.join(survey.panel),
            margins: base.join(survey.margins),
            synthetic_notice: survey.synthetic_notice,
        });
        let aed = self
            .aed
            .map(|aed| aed.check(base, reach.is_some()).map_err(&bad))
            .transpose()?;
        let typology = self
            .typology
            .map(|typology| typology.check(base, projection.is_some()).map_err(&bad))
            .transpose()?;
        let hospitals = self
            .hospitals
            .map(|hospitals| hospitals.check(base, reach.as_ref()).map_err(&bad))
            .transpose()?;
        let schools = self
            .schools
            .map(|schools| {
                schools
                    .check(base, reach.as_ref(), projection.is_some())
                    .map_err(&bad)
            })
            .transpose()?;
        Ok(BundleSpec {
            schools,
            aed,
            typology,
            hospitals,
            id: bundle.id,
            name: bundle.name,
            version: bundle.version,
            province,
            catalogue: bundle.catalogue.map(|file| base.join(file)),
            reach,
            projection,
            survey,
        })
    }
}

impl RawReach {
    fn check(self, base: &Path) -> Result<ReachSpec, String> {
        let year = Year::new(self.year).map_err(|e| format!("[reach], field `year`: {e}"))?;
        if self.kinds.is_empty() {
            return Err("[reach] declares no `[[reach.kind]]`".to_owned());
        }
        let mut kinds: Vec<ReachKindSpec> = Vec::with_capacity(self.kinds.len());
        for kind in self.kinds {
            let at = |field: &str, message: String| {
                format!("[[reach.kind]] `{}`, field `{field}`: {message}", kind.id)
            };
            if !is_id(&kind.id, b'_') {
                return Err(at(
                    "id",
                    "expected lowercase letters, digits and `_`, starting with a letter".to_owned(),
                ));
            }
            if kinds.iter().any(|k| k.id == kind.id) {
                return Err(at("id", "the kind is declared twice".to_owned()));
            }
            if !PROFILES.contains(&kind.profile.as_str()) {
                return Err(at(
                    "profile",
                    format!(
                        "expected one of {}, found `{}`",
                        PROFILES.join(", "),
                        kind.profile
                    ),
                ));
            }
            let ascending = kind.thresholds_m.windows(2).all(|w| w[0] < w[1]);
            if kind.thresholds_m.is_empty()
                || !ascending
                || kind
                    .thresholds_m
                    .iter()
                    .any(|t| !(t.is_finite() && *t > 0.0 && t.fract() == 0.0))
            {
                return Err(at(
                    "thresholds_m",
                    format!(
                        "expected whole metres above 0 in ascending order, found {:?}",
                        kind.thresholds_m
                    ),
                ));
            }
            let ascending = kind.thresholds_min.windows(2).all(|w| w[0] < w[1]);
            if !ascending
                || kind
                    .thresholds_min
                    .iter()
                    .any(|t| !(t.is_finite() && *t > 0.0 && t.fract() == 0.0))
            {
                return Err(at(
                    "thresholds_min",
                    format!(
                        "expected whole minutes above 0 in ascending order, found {:?}",
                        kind.thresholds_min
                    ),
                ));
            }
            kinds.push(ReachKindSpec {
                id: kind.id,
                file: base.join(kind.file),
                name: kind.name.into(),
                covers: kind.covers.into(),
                profile: kind.profile,
                thresholds_m: kind.thresholds_m,
                thresholds_min: kind.thresholds_min,
            });
        }
        Ok(ReachSpec {
            year,
            origins: base.join(self.origins),
            neighbourhood_origins: self.neighbourhood_origins.map(|file| base.join(file)),
            grid: self.grid.map(|grid| GridSpec {
                cells: base.join(grid.cells),
                parts: base.join(grid.parts),
            }),
            origins_note: self.origins_note.into(),
            source: ReachSource {
                id: self.source.id,
                file: self.source.file,
                table: self.source.table,
                licence: self.source.licence,
                attribution: self.source.attribution,
                description: self.source.description,
            },
            kinds,
        })
    }
}

impl RawProjection {
    fn check(self, base: &Path) -> Result<ProjectionSpec, String> {
        let mut regions: Vec<RegionSpec> = Vec::with_capacity(self.regions.len());
        for region in self.regions {
            let at = |field: &str, message: String| {
                format!(
                    "[[projection.region]] `{}`, field `{field}`: {message}",
                    region.id
                )
            };
            if !is_id(&region.id, b'-') {
                return Err(at(
                    "id",
                    "expected lowercase letters, digits, `_` or `-`, starting with a letter"
                        .to_owned(),
                ));
            }
            if regions.iter().any(|r| r.id == region.id) {
                return Err(at("id", "the region is declared twice".to_owned()));
            }
            let mut members = Vec::with_capacity(region.members.len());
            for text in &region.members {
                let code = AreaCode::parse(text)
                    .ok()
                    .filter(|code| code.level() == AreaLevel::Municipality)
                    .ok_or_else(|| {
                        at(
                            "members",
                            format!("expected municipality codes such as GM0114, found `{text}`"),
                        )
                    })?;
                members.push(code);
            }
            if members.is_empty() {
                return Err(at("members", "a region needs members".to_owned()));
            }
            regions.push(RegionSpec {
                id: region.id,
                name: region.name,
                members,
            });
        }
        let care = match self.care {
            None => None,
            Some(care) => {
                if !is_id(&care.source.id, b'_') {
                    return Err(format!(
                        "[projection.care.source], field `id`: expected lowercase letters, digits or `_`, starting with a letter, found `{}`",
                        care.source.id
                    ));
                }
                Some(CareSpec {
                    dementia_prevalence: base.join(&care.dementia_prevalence),
                    dementia_file: care.dementia_prevalence,
                    source: CareSource {
                        id: care.source.id,
                        table: care.source.table,
                        licence: care.source.licence,
                        attribution: care.source.attribution,
                    },
                })
            }
        };
        Ok(ProjectionSpec {
            inputs: base.join(&self.inputs),
            file: self.inputs,
            regions,
            care,
        })
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::RawTypology;

    fn typology(degrees: &str) -> RawTypology {
        toml::from_str(&format!(
            r#"
file = "gebieden.csv"
columns = {{ area = "Code_1", name = "Naam_2", province = "Code_26", province_name = "Naam_27", urbanity = "Code_52" }}
from_year = 2024
to_year = 2040
{degrees}
"#
        ))
        .unwrap()
    }

    const THREE: &str = r#"
[[degree]]
id = "urban"
name = { nl = "stedelijk", en = "urban" }
urbanity = [1, 2]
[[degree]]
id = "rural"
name = { nl = "landelijk", en = "rural" }
urbanity = [3, 4, 5]
"#;

    #[test]
    fn a_typology_section_is_read_with_its_degrees_in_order() {
        let spec = typology(THREE).check(Path::new("data"), true).unwrap();
        assert_eq!(spec.file, Path::new("data/gebieden.csv"));
        assert_eq!(spec.columns.urbanity, "Code_52");
        let ids: Vec<&str> = spec.degrees.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["urban", "rural"]);
        assert_eq!(spec.degrees[1].codes, [3, 4, 5]);
    }

    #[test]
    fn a_typology_needs_the_projection() {
        let error = typology(THREE).check(Path::new("."), false).unwrap_err();
        assert_eq!(
            error,
            "[typology] needs [projection]: its change classes are the projection's"
        );
    }

    #[test]
    fn an_urbanity_code_in_two_degrees_is_refused() {
        let twice = THREE.replace("[3, 4, 5]", "[2, 3]");
        let error = typology(&twice).check(Path::new("."), true).unwrap_err();
        assert_eq!(
            error,
            "[[typology.degree]] `rural`, field `urbanity`: code 2 is in another degree already"
        );
    }
}
