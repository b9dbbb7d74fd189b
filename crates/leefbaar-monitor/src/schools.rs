//! The education monitor's open data (issue 16): DUO's *open onderwijsdata* per school location
//! from the bundle's `[schools]` (primary final-test scores per test provider, CBS disadvantage
//! scores, mean home–school distance; secondary pupils by level and year of study, exam
//! candidates and passed over ten school years, early school leavers), joined to the bundle's
//! school facilities by their code (BRIN + two-digit location), summed into base-variable facts
//! per municipality (from which the catalogue recomputes every mean and share at every level),
//! and the *krimpcheck*: each secondary location's pupils carried forward with its
//! municipality's projected 12–17-year-olds, and the first year it falls below the bundle's
//! size threshold.
//!
//! DUO's `<5` (a count of one to four it withholds) and a mean it did not publish are missing
//! values with their reason (`MissingReason::Secret`), never numbers; a municipality's sum
//! with such a part is missing too. The method is `docs/methods/schools.md`.

use std::collections::{BTreeMap, BTreeSet};

use leefbaar_ingest::SchoolsSpec;
use leefbaar_model::{Area, AreaCode, AreaLevel, CellValue, Fact, Method, Source, SourceRow, Year};
use leefbaar_network::Wgs84Point;
use leefbaar_store::{ObservationFilter, Store, StoreError};

use crate::error::{MonitorError, record};
use crate::reach::inputs::{point, read_csv};

pub mod krimpcheck;
pub mod read;

pub use krimpcheck::{Krimpcheck, KrimpcheckLocation, KrimpcheckParams, ProjectedPupils};

/// The final-test providers of DUO's file (column prefixes). Their scales differ (CET 501–550,
/// IEP about 50–100, Route 8 about 100–300), so scores are only ever combined within one.
pub const TEST_PROVIDERS: [&str; 5] = ["CET", "IEP", "ROUTE8", "DIA", "AMN"];

/// Which of the bundle's DUO files a record comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DuoFile {
    /// Primary final-test scores per provider.
    FinalTest,
    /// CBS disadvantage scores.
    Disadvantage,
    /// Mean home–school distance.
    Distance,
    /// Secondary pupils by level and year of study.
    Pupils,
    /// Exam candidates and passed.
    Exams,
    /// Early school leavers.
    EarlyLeavers,
}

impl DuoFile {
    /// Every file, in reading order.
    pub const ALL: [DuoFile; 6] = [
        DuoFile::FinalTest,
        DuoFile::Disadvantage,
        DuoFile::Distance,
        DuoFile::Pupils,
        DuoFile::Exams,
        DuoFile::EarlyLeavers,
    ];

    /// A stable id (`final_test`).
    pub fn as_str(self) -> &'static str {
        match self {
            DuoFile::FinalTest => "final_test",
            DuoFile::Disadvantage => "disadvantage",
            DuoFile::Distance => "distance",
            DuoFile::Pupils => "pupils",
            DuoFile::Exams => "exams",
            DuoFile::EarlyLeavers => "early_leavers",
        }
    }

    /// Whether the file is about primary (or about secondary) schools.
    pub fn primary(self) -> bool {
        matches!(
            self,
            DuoFile::FinalTest | DuoFile::Disadvantage | DuoFile::Distance
        )
    }

    fn path(self, spec: &SchoolsSpec) -> &std::path::Path {
        match self {
            DuoFile::FinalTest => &spec.final_test,
            DuoFile::Disadvantage => &spec.disadvantage,
            DuoFile::Distance => &spec.distance,
            DuoFile::Pupils => &spec.pupils,
            DuoFile::Exams => &spec.exams,
            DuoFile::EarlyLeavers => &spec.early_leavers,
        }
    }
}

/// One provider's final test at a location.
#[derive(Debug, Clone, PartialEq)]
pub struct FinalTest {
    /// The provider (`CET`, `IEP`, `ROUTE8`, `DIA`, `AMN`).
    pub provider: String,
    /// Pupils who took its test.
    pub tested: u64,
    /// Their mean score on the provider's own scale; missing (secret) where DUO published no
    /// mean (fewer than five pupils).
    pub mean: CellValue,
}

/// CBS's disadvantage score of a primary location (1 October 2019).
#[derive(Debug, Clone, PartialEq)]
pub struct Disadvantage {
    /// Funded pupils.
    pub pupils: u64,
    /// The score above the threshold (OCW's funding score; 0 below the threshold).
    pub score: CellValue,
    /// The score without threshold: the sum of the pupils' expected disadvantage.
    pub score_without_threshold: CellValue,
}

/// The mean distance between pupils' homes and a primary location.
#[derive(Debug, Clone, PartialEq)]
pub struct Distance {
    /// DUO's kind of school (`Bo` regular primary, `Sbo` special primary, `So`, `Vso`).
    pub kind: String,
    /// The mean distance.
    ///
    /// # Units
    /// Metres.
    pub mean_m: f64,
    /// The pupils counted.
    pub pupils: u64,
}

/// Pupils of a secondary location (1 October).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SecondaryPupils {
    /// All pupils, every level and year of study.
    pub total: u64,
    /// Pupils in year 3.
    pub year3: u64,
    /// Of whom at havo or vwo.
    pub year3_havo_vwo: u64,
}

/// Exam results of a secondary location in one school year, summed over its programmes.
#[derive(Debug, Clone, PartialEq)]
pub struct ExamYear {
    /// The year the school year ends in (2015 for 2014–15).
    pub year: Year,
    /// Candidates; missing (secret) when a programme's count is DUO's `<5`.
    pub candidates: CellValue,
    /// Passed; missing (secret) likewise.
    pub passed: CellValue,
    /// Programmes whose candidates or passed DUO withheld (`<5`).
    pub suppressed_programmes: usize,
    /// Candidates of the programmes whose counts are both published.
    pub published_candidates: u64,
    /// Passed of the programmes whose counts are both published.
    pub published_passed: u64,
}

/// Early school leavers of a secondary location.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EarlyLeavers {
    /// Pupils.
    pub pupils: u64,
    /// Of whom left school early.
    pub leavers: u64,
}

/// A school location with everything the DUO files say about it.
#[derive(Debug, Clone, PartialEq)]
pub struct School {
    /// BRIN + two-digit location (`00DI01`).
    pub code: String,
    /// Its name (DUO's).
    pub name: String,
    /// Its municipality.
    pub municipality: AreaCode,
    /// Where it is, from the facility it was joined to.
    pub point: Option<Wgs84Point>,
    /// The reach kinds whose facilities have its code.
    pub facility_kinds: Vec<String>,
    /// The DUO files that name it.
    pub files: Vec<DuoFile>,
    /// Final tests, one per provider with tested pupils.
    pub final_test: Vec<FinalTest>,
    /// The disadvantage score.
    pub disadvantage: Option<Disadvantage>,
    /// The home–school distance, one per kind of school DUO lists under the code (a special
    /// school can be `So` and `Vso` at one location).
    pub distances: Vec<Distance>,
    /// Secondary pupils.
    pub pupils: Option<SecondaryPupils>,
    /// Exam results per school year.
    pub exams: Vec<ExamYear>,
    /// Early school leavers.
    pub early_leavers: Option<EarlyLeavers>,
}

impl School {
    /// Whether a primary-school file names it.
    pub fn is_primary(&self) -> bool {
        self.files.iter().any(|f| f.primary())
    }

    /// Whether a secondary-school file names it.
    pub fn is_secondary(&self) -> bool {
        self.files.iter().any(|f| !f.primary())
    }
}

/// How the locations of one DUO file join the bundle's facilities.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileJoin {
    /// The file.
    pub file: DuoFile,
    /// Locations it names.
    pub locations: usize,
    /// Of which a facility of a joined kind has the code.
    pub matched: usize,
    /// The others: code and name.
    pub unmatched: Vec<(String, String)>,
}

/// The join of the DUO files to the bundle's school facilities.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JoinReport {
    /// The reach kinds joined to.
    pub kinds: Vec<String>,
    /// Per file.
    pub files: Vec<FileJoin>,
    /// Locations in any file.
    pub locations: usize,
    /// Of which matched.
    pub matched: usize,
}

/// The bundle's school data, read and joined.
#[derive(Debug, Clone, PartialEq)]
pub struct Schools {
    /// Every location any DUO file names, by code.
    pub schools: Vec<School>,
    /// The join to the facilities.
    pub join: JoinReport,
    /// The year of the pupil counts.
    pub year: Year,
    /// The year of the early-school-leaver counts.
    pub early_leavers_year: Year,
}

impl Schools {
    /// Reads every DUO file of `spec` and joins it to the facilities of its `join` kinds.
    ///
    /// # Errors
    /// A malformed file, or a location the locations file does not place in a municipality,
    /// is an error naming the file, line and field.
    pub fn read(spec: &SchoolsSpec) -> Result<Schools, MonitorError> {
        let mut builder = Builder {
            places: read::locations(&spec.locations)?,
            schools: BTreeMap::new(),
            names: BTreeMap::new(),
        };
        for r in read::final_test(&spec.final_test)? {
            builder
                .entry(spec, DuoFile::FinalTest, r.line, &r.code, &r.name)?
                .final_test = r.value;
        }
        for r in read::disadvantage(&spec.disadvantage)? {
            builder
                .entry(spec, DuoFile::Disadvantage, r.line, &r.code, &r.name)?
                .disadvantage = Some(r.value);
        }
        for r in read::distance(&spec.distance)? {
            builder
                .entry(spec, DuoFile::Distance, r.line, &r.code, &r.name)?
                .distances
                .push(r.value);
        }
        for r in read::pupils(&spec.pupils)? {
            builder
                .entry(spec, DuoFile::Pupils, r.line, &r.code, &r.name)?
                .pupils = Some(r.value);
        }
        for r in read::exams(&spec.exams)? {
            builder
                .entry(spec, DuoFile::Exams, r.line, &r.code, &r.name)?
                .exams = r.value;
        }
        for r in read::early_leavers(&spec.early_leavers)? {
            builder
                .entry(spec, DuoFile::EarlyLeavers, r.line, &r.code, &r.name)?
                .early_leavers = Some(r.value);
        }

        let Builder {
            mut schools,
            mut names,
            ..
        } = builder;
        // The join: a location matches when a facility of a joined kind has its code.
        let mut facilities: BTreeMap<String, (Wgs84Point, Vec<String>)> = BTreeMap::new();
        for (kind, file) in &spec.join {
            for (line, row) in read_csv(file, &["id", "lon", "lat"])? {
                let at = point(file, line, &row[1], &row[2])?;
                facilities
                    .entry(row[0].clone())
                    .or_insert_with(|| (at, Vec::new()))
                    .1
                    .push(kind.clone());
            }
        }
        for school in schools.values_mut() {
            if let Some((at, kinds)) = facilities.get(&school.code) {
                school.point = Some(*at);
                school.facility_kinds.clone_from(kinds);
            }
            school.files.sort();
        }
        let files = DuoFile::ALL
            .iter()
            .map(|&file| {
                let named = names.remove(&file).unwrap_or_default();
                let unmatched: Vec<(String, String)> = named
                    .iter()
                    .filter(|(code, _)| !facilities.contains_key(*code))
                    .map(|(code, name)| (code.clone(), name.clone()))
                    .collect();
                FileJoin {
                    file,
                    locations: named.len(),
                    matched: named.len() - unmatched.len(),
                    unmatched,
                }
            })
            .collect();
        let schools: Vec<School> = schools.into_values().collect();
        let matched = schools.iter().filter(|s| s.point.is_some()).count();
        Ok(Schools {
            join: JoinReport {
                kinds: spec.join.iter().map(|(kind, _)| kind.clone()).collect(),
                files,
                locations: schools.len(),
                matched,
            },
            schools,
            year: spec.year,
            early_leavers_year: spec.early_leavers_year,
        })
    }

    /// The school with this code.
    pub fn school(&self, code: &str) -> Option<&School> {
        self.schools
            .binary_search_by(|s| s.code.as_str().cmp(code))
            .ok()
            .map(|i| &self.schools[i])
    }

    /// Base-variable facts per municipality, summed over its locations: the parts from which
    /// the catalogue recomputes every mean and share at every level (see
    /// `docs/methods/schools.md` for each formula). A sum with a missing part is missing with
    /// that part's reason.
    ///
    /// The final-test variables are per provider and count only locations where DUO published
    /// a mean; the distance counts regular primary schools (`Bo`) only.
    ///
    /// `municipalities` are those the files cover (the monitored province's): one without a
    /// location of a kind gets 0 for its variables (it has none of those pupils), so that its
    /// province's sums are formed; a municipality outside them gets nothing, and its province
    /// and country stay without a value.
    pub fn facts(&self, municipalities: &[Area]) -> Vec<Fact> {
        let mut sums: BTreeMap<(AreaCode, Year, String), CellValue> = BTreeMap::new();
        let mut add = |area: &AreaCode, year: Year, variable: String, value: CellValue| {
            let cell = sums
                .entry((area.clone(), year, variable))
                .or_insert(CellValue::Value(0.0));
            *cell = read::add(cell, &value);
        };
        let year = self.year;
        for school in &self.schools {
            let area = &school.municipality;
            for test in &school.final_test {
                if let CellValue::Value(mean) = test.mean {
                    let p = test.provider.to_lowercase();
                    let tested = test.tested as f64;
                    add(
                        area,
                        year,
                        format!("final_test_{p}_tested"),
                        CellValue::Value(tested),
                    );
                    add(
                        area,
                        year,
                        format!("final_test_{p}_score_total"),
                        CellValue::Value(mean * tested),
                    );
                }
            }
            if let Some(d) = &school.disadvantage {
                add(
                    area,
                    year,
                    "disadvantage_pupils".to_owned(),
                    CellValue::Value(d.pupils as f64),
                );
                add(
                    area,
                    year,
                    "disadvantage_score_total".to_owned(),
                    d.score_without_threshold,
                );
            }
            for d in school.distances.iter().filter(|d| d.kind == "Bo") {
                let pupils = d.pupils as f64;
                add(
                    area,
                    year,
                    "school_distance_pupils".to_owned(),
                    CellValue::Value(pupils),
                );
                add(
                    area,
                    year,
                    "school_distance_total_km".to_owned(),
                    CellValue::Value(d.mean_m / 1000.0 * pupils),
                );
            }
            if let Some(p) = &school.pupils {
                add(
                    area,
                    year,
                    "secondary_pupils".to_owned(),
                    CellValue::Value(p.total as f64),
                );
                add(
                    area,
                    year,
                    "pupils_year3".to_owned(),
                    CellValue::Value(p.year3 as f64),
                );
                add(
                    area,
                    year,
                    "pupils_year3_havo_vwo".to_owned(),
                    CellValue::Value(p.year3_havo_vwo as f64),
                );
            }
            for exam in &school.exams {
                add(
                    area,
                    exam.year,
                    "exam_candidates".to_owned(),
                    exam.candidates,
                );
                add(area, exam.year, "exam_passed".to_owned(), exam.passed);
                // The programmes DUO published in full: a rate every year has, of a named part.
                add(
                    area,
                    exam.year,
                    "exam_candidates_published".to_owned(),
                    CellValue::Value(exam.published_candidates as f64),
                );
                add(
                    area,
                    exam.year,
                    "exam_passed_published".to_owned(),
                    CellValue::Value(exam.published_passed as f64),
                );
            }
            if let Some(e) = &school.early_leavers {
                let y = self.early_leavers_year;
                add(
                    area,
                    y,
                    "early_leavers_pupils".to_owned(),
                    CellValue::Value(e.pupils as f64),
                );
                add(
                    area,
                    y,
                    "early_leavers".to_owned(),
                    CellValue::Value(e.leavers as f64),
                );
            }
        }
        let variables: BTreeSet<(Year, String)> = sums
            .keys()
            .map(|(_, year, variable)| (*year, variable.clone()))
            .collect();
        for area in municipalities
            .iter()
            .filter(|a| a.level() == AreaLevel::Municipality)
        {
            for (year, variable) in &variables {
                if area.first_year <= *year && *year <= area.last_year {
                    sums.entry((area.code.clone(), *year, variable.clone()))
                        .or_insert(CellValue::Value(0.0));
                }
            }
        }
        sums.into_iter()
            .map(|((area, year, variable), value)| Fact {
                area,
                year,
                variable,
                value,
                method: Method::Aggregated,
                // Summed over locations (whose lines are in the school endpoint), not one row.
                rows: Vec::<SourceRow>::new(),
            })
            .collect()
    }

    /// The municipalities with a school.
    pub fn municipalities(&self) -> BTreeSet<AreaCode> {
        self.schools
            .iter()
            .map(|s| s.municipality.clone())
            .collect()
    }
}

/// The school data of a bundle with its krimpcheck settings, prepared once for a server or a
/// command; the krimpcheck itself is computed on request from the stored projection.
#[derive(Debug, Clone, PartialEq)]
pub struct SchoolsMonitor {
    /// The schools, read and joined.
    pub schools: Schools,
    /// The krimpcheck's settings.
    pub params: KrimpcheckParams,
    /// The user's pupil forecasts per location, when the bundle names a file.
    pub forecasts: Option<BTreeMap<String, Vec<(Year, f64)>>>,
    /// The data's source (id, table, licence, attribution).
    pub source: leefbaar_ingest::CareSource,
}

impl SchoolsMonitor {
    /// Reads the bundle's `[schools]`.
    ///
    /// # Errors
    /// A malformed file, named with its line and field.
    pub fn prepare(spec: &SchoolsSpec) -> Result<SchoolsMonitor, MonitorError> {
        let schools = Schools::read(spec)?;
        let forecasts = spec.forecast.as_deref().map(read::forecasts).transpose()?;
        // DUO counts on 1 October; the projection's years are 1 January, so the count stands
        // for the 1 January after it.
        let reference_year = Year::new(spec.year.get() + 1)
            .map_err(|e| MonitorError::Bundle(format!("[schools], field `year`: {e}")))?;
        Ok(SchoolsMonitor {
            schools,
            params: KrimpcheckParams {
                min_pupils: spec.min_pupils,
                reference_year,
                horizon: spec.horizon,
            },
            forecasts,
            source: spec.source.clone(),
        })
    }

    /// The krimpcheck with the projected 12–17-year-olds `projected`.
    pub fn krimpcheck(&self, projected: &ProjectedPupils) -> Krimpcheck {
        Krimpcheck::compute(
            &self.schools,
            projected,
            self.params,
            self.forecasts.as_ref(),
        )
    }
}

/// The indicator of the projected 12–17-year-olds the krimpcheck carries pupils forward with.
pub const PROJECTED_12_17: &str = "projected_12_17";

/// The projected 12–17-year-olds of the municipalities of `province`, read from the
/// observations a store holds of [`PROJECTED_12_17`] (the import's medium variant).
///
/// # Errors
/// The store's.
pub fn projected_from_store(
    store: &dyn Store,
    province: &AreaCode,
) -> Result<ProjectedPupils, StoreError> {
    let observations = store.observations(&ObservationFilter {
        indicators: vec![PROJECTED_12_17.to_owned()],
        level: Some(AreaLevel::Municipality),
        parent: Some(province.clone()),
        ..ObservationFilter::default()
    })?;
    let mut projected = ProjectedPupils::new();
    for observation in observations {
        if let CellValue::Value(value) = observation.value {
            projected
                .entry(observation.area)
                .or_default()
                .push((observation.year, value));
        }
    }
    Ok(projected)
}

/// The locations read so far, and the names each file gives them.
struct Builder {
    places: BTreeMap<String, (String, AreaCode)>,
    schools: BTreeMap<String, School>,
    names: BTreeMap<DuoFile, BTreeMap<String, String>>,
}

impl Builder {
    /// The school of `code`, named by `file` at `line`; an error when the locations file does
    /// not place it.
    fn entry(
        &mut self,
        spec: &SchoolsSpec,
        file: DuoFile,
        line: u64,
        code: &str,
        name: &str,
    ) -> Result<&mut School, MonitorError> {
        let Some((place_name, municipality)) = self.places.get(code) else {
            return Err(record(
                file.path(spec),
                line,
                None,
                format!(
                    "expected a location of {} (which places every location in its municipality), found `{code}`",
                    spec.locations.display()
                ),
            ));
        };
        let name = if name.is_empty() { place_name } else { name };
        self.names
            .entry(file)
            .or_default()
            .insert(code.to_owned(), name.to_owned());
        let school = self
            .schools
            .entry(code.to_owned())
            .or_insert_with(|| School {
                code: code.to_owned(),
                name: name.to_owned(),
                municipality: municipality.clone(),
                point: None,
                facility_kinds: Vec::new(),
                files: Vec::new(),
                final_test: Vec::new(),
                disadvantage: None,
                distances: Vec::new(),
                pupils: None,
                exams: Vec::new(),
                early_leavers: None,
            });
        if !school.files.contains(&file) {
            school.files.push(file);
        }
        Ok(school)
    }
}

/// The source record of the school data, which the education indicators name.
pub fn source(spec: &SchoolsSpec, imported_at: &str) -> Source {
    Source {
        id: spec.source.id.clone(),
        file: spec.file.clone(),
        table: spec.source.table.clone(),
        licence: spec.source.licence.clone(),
        attribution: spec.source.attribution.clone(),
        imported_at: imported_at.to_owned(),
    }
}
