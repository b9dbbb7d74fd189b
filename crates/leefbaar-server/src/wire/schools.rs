//! School data and the krimpcheck on the wire: points in WGS84 degrees (six decimals), distances
//! in metres (whole), scores to two decimals, pupils as whole numbers (the krimpcheck's
//! projected pupils rounded only here). A missing value is `null` with its reason beside it
//! (`secret` for DUO's `<5` and for a mean DUO did not publish), never a number.

use leefbaar_model::CellValue;
use leefbaar_monitor::schools::{
    FileJoin, JoinReport, Krimpcheck, KrimpcheckLocation, School, SchoolsMonitor,
};
use serde::Serialize;

use super::round;

/// A value, or `null` with the reason it is missing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CellWire {
    /// The number, or `null`.
    pub value: Option<f64>,
    /// Why it is missing (`secret`: DUO withheld it), or `null`.
    pub missing: Option<&'static str>,
}

impl CellWire {
    fn of(value: CellValue, decimals: i32) -> CellWire {
        CellWire {
            value: value.value().map(|v| round(v, decimals)),
            missing: value
                .missing_reason()
                .map(leefbaar_model::MissingReason::as_str),
        }
    }
}

/// One provider's final test.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FinalTestWire {
    /// `CET`, `IEP`, `ROUTE8`, `DIA` or `AMN`; scales differ, so never compare across them.
    pub provider: String,
    /// Pupils tested.
    pub tested: u64,
    /// Mean score on the provider's own scale.
    pub mean: CellWire,
}

/// One school year's exams.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExamWire {
    /// The year the school year ends in (2015 for 2014–15).
    pub year: u16,
    /// Candidates.
    pub candidates: CellWire,
    /// Passed.
    pub passed: CellWire,
    /// Passed ÷ candidates in percent, from the counts; `null` when either is.
    pub pass_rate: Option<f64>,
    /// Programmes whose counts DUO withheld (`<5`).
    pub suppressed_programmes: usize,
}

/// A school location.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SchoolWire {
    /// BRIN + two-digit location.
    pub code: String,
    /// DUO's name.
    pub name: String,
    /// CBS municipality code.
    pub municipality: String,
    /// Longitude (WGS84), from the joined facility; `null` when none matched.
    pub lon: Option<f64>,
    /// Latitude.
    pub lat: Option<f64>,
    /// The reach kinds whose facilities have its code.
    pub facility_kinds: Vec<String>,
    /// The DUO files that name it (`final_test`, `disadvantage`, `distance`, `pupils`, `exams`,
    /// `early_leavers`).
    pub files: Vec<&'static str>,
    /// Final tests per provider (2018–19).
    pub final_test: Vec<FinalTestWire>,
    /// CBS disadvantage score without threshold (2019).
    pub disadvantage_score: Option<CellWire>,
    /// Funded pupils of that score.
    pub disadvantage_pupils: Option<u64>,
    /// Mean home–school distance in metres (2019–20), per kind of school DUO lists.
    pub distance_m: Vec<DistanceWire>,
    /// Secondary pupils (1 October 2019).
    pub pupils: Option<u64>,
    /// Pupils in year 3.
    pub pupils_year3: Option<u64>,
    /// Share of year-3 pupils at havo or vwo, percent.
    pub share_year3_havo_vwo: Option<f64>,
    /// Exams per school year.
    pub exams: Vec<ExamWire>,
    /// Early school leavers (2015): leavers and pupils.
    pub early_leavers: Option<[u64; 2]>,
}

/// A mean home–school distance.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DistanceWire {
    /// DUO's kind of school (`Bo`, `Sbo`, `So`, `Vso`).
    pub kind: String,
    /// Metres.
    pub metres: f64,
    /// Pupils.
    pub pupils: u64,
}

fn percent(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| round(100.0 * part as f64 / whole as f64, 1))
}

impl SchoolWire {
    /// The wire form of `school`.
    pub fn of(school: &School) -> SchoolWire {
        SchoolWire {
            code: school.code.clone(),
            name: school.name.clone(),
            municipality: school.municipality.to_string(),
            lon: school.point.map(|p| round(p.lon, 6)),
            lat: school.point.map(|p| round(p.lat, 6)),
            facility_kinds: school.facility_kinds.clone(),
            files: school.files.iter().map(|f| f.as_str()).collect(),
            final_test: school
                .final_test
                .iter()
                .map(|t| FinalTestWire {
                    provider: t.provider.clone(),
                    tested: t.tested,
                    mean: CellWire::of(t.mean, 2),
                })
                .collect(),
            disadvantage_score: school
                .disadvantage
                .as_ref()
                .map(|d| CellWire::of(d.score_without_threshold, 2)),
            disadvantage_pupils: school.disadvantage.as_ref().map(|d| d.pupils),
            distance_m: school
                .distances
                .iter()
                .map(|d| DistanceWire {
                    kind: d.kind.clone(),
                    metres: d.mean_m.round(),
                    pupils: d.pupils,
                })
                .collect(),
            pupils: school.pupils.map(|p| p.total),
            pupils_year3: school.pupils.map(|p| p.year3),
            share_year3_havo_vwo: school
                .pupils
                .and_then(|p| percent(p.year3_havo_vwo, p.year3)),
            exams: school
                .exams
                .iter()
                .map(|e| ExamWire {
                    year: e.year.get(),
                    candidates: CellWire::of(e.candidates, 0),
                    passed: CellWire::of(e.passed, 0),
                    pass_rate: match (e.candidates.value(), e.passed.value()) {
                        (Some(c), Some(p)) if c > 0.0 => Some(round(100.0 * p / c, 1)),
                        _ => None,
                    },
                    suppressed_programmes: e.suppressed_programmes,
                })
                .collect(),
            early_leavers: school.early_leavers.map(|e| [e.leavers, e.pupils]),
        }
    }
}

/// One DUO file's join to the facilities.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FileJoinWire {
    /// The file (`final_test`, …).
    pub file: &'static str,
    /// Locations it names.
    pub locations: usize,
    /// Of which a facility has the code.
    pub matched: usize,
    /// The others (code and name).
    pub unmatched: Vec<[String; 2]>,
}

impl FileJoinWire {
    fn of(join: &FileJoin) -> FileJoinWire {
        FileJoinWire {
            file: join.file.as_str(),
            locations: join.locations,
            matched: join.matched,
            unmatched: join
                .unmatched
                .iter()
                .map(|(code, name)| [code.clone(), name.clone()])
                .collect(),
        }
    }
}

/// The join report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JoinWire {
    /// The reach kinds joined to.
    pub kinds: Vec<String>,
    /// Locations in any file.
    pub locations: usize,
    /// Of which matched.
    pub matched: usize,
    /// Per file.
    pub files: Vec<FileJoinWire>,
}

impl JoinWire {
    /// The wire form of `join`.
    pub fn of(join: &JoinReport) -> JoinWire {
        JoinWire {
            kinds: join.kinds.clone(),
            locations: join.locations,
            matched: join.matched,
            files: join.files.iter().map(FileJoinWire::of).collect(),
        }
    }
}

/// `GET /api/v1/education/schools`: every location with its values, and the join report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SchoolsWire {
    /// The join of the DUO files to the bundle's school facilities.
    pub join: JoinWire,
    /// The locations, by code.
    pub schools: Vec<SchoolWire>,
}

impl SchoolsWire {
    /// The wire form of the monitor's schools.
    pub fn of(monitor: &SchoolsMonitor) -> SchoolsWire {
        SchoolsWire {
            join: JoinWire::of(&monitor.schools.join),
            schools: monitor.schools.schools.iter().map(SchoolWire::of).collect(),
        }
    }
}

/// One year of a location's krimpcheck.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KrimpYearWire {
    /// The year (1 January).
    pub year: u16,
    /// Projected pupils (whole).
    pub pupils: f64,
    /// The municipality's projected 12–17-year-olds, reference year = 100.
    pub index: f64,
    /// The supplied forecast, if any.
    pub forecast: Option<f64>,
}

/// A secondary location's krimpcheck.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KrimpLocationWire {
    /// BRIN + location.
    pub code: String,
    /// Name.
    pub name: String,
    /// CBS municipality code.
    pub municipality: String,
    /// Longitude, when joined to a facility.
    pub lon: Option<f64>,
    /// Latitude.
    pub lat: Option<f64>,
    /// Pupils DUO counted.
    pub pupils_counted: u64,
    /// Projected pupils in the horizon year.
    pub pupils_horizon: Option<f64>,
    /// The first year below the threshold, or `null`.
    pub below_from: Option<u16>,
    /// The first year the supplied forecast is below it, or `null`.
    pub forecast_below_from: Option<u16>,
    /// Every year.
    pub years: Vec<KrimpYearWire>,
}

impl KrimpLocationWire {
    fn of(location: &KrimpcheckLocation) -> KrimpLocationWire {
        KrimpLocationWire {
            code: location.code.clone(),
            name: location.name.clone(),
            municipality: location.municipality.to_string(),
            lon: location.point.map(|p| round(p.lon, 6)),
            lat: location.point.map(|p| round(p.lat, 6)),
            pupils_counted: location.pupils_counted,
            pupils_horizon: location.years.last().map(|y| y.pupils.round()),
            below_from: location.below_from.map(leefbaar_model::Year::get),
            forecast_below_from: location.forecast_below_from.map(leefbaar_model::Year::get),
            years: location
                .years
                .iter()
                .map(|y| KrimpYearWire {
                    year: y.year.get(),
                    pupils: y.pupils.round(),
                    index: round(y.index, 1),
                    forecast: y.forecast.map(f64::round),
                })
                .collect(),
        }
    }
}

/// `GET /api/v1/education/krimpcheck`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KrimpcheckWire {
    /// The threshold: a location projected below it is reported.
    pub min_pupils: u32,
    /// The year of DUO's count (1 October).
    pub counted_year: u16,
    /// The projection's year the count stands for (1 January after it).
    pub reference_year: u16,
    /// The last year.
    pub horizon: u16,
    /// The assumption, in words.
    pub assumption: &'static str,
    /// Whether a user-supplied forecast is shown beside.
    pub with_forecast: bool,
    /// The codes of the locations that fall below the threshold, earliest first.
    pub crossing: Vec<String>,
    /// Every secondary location with counted pupils, by code.
    pub locations: Vec<KrimpLocationWire>,
    /// Locations left out, with why.
    pub left_out: Vec<[String; 2]>,
}

/// The krimpcheck's assumption.
pub const ASSUMPTION: &str = "each location keeps its 2019 share of its own municipality's projected 12–17-year-olds (constant catchment shares); open data do not say where a location's pupils live, so pupils from other municipalities move with the location's municipality";

impl KrimpcheckWire {
    /// The wire form of `check`.
    pub fn of(check: &Krimpcheck) -> KrimpcheckWire {
        KrimpcheckWire {
            min_pupils: check.params.min_pupils,
            counted_year: check.counted_year.get(),
            reference_year: check.params.reference_year.get(),
            horizon: check.params.horizon.get(),
            assumption: ASSUMPTION,
            with_forecast: check.with_forecast,
            crossing: check.crossing().iter().map(|l| l.code.clone()).collect(),
            locations: check.locations.iter().map(KrimpLocationWire::of).collect(),
            left_out: check
                .left_out
                .iter()
                .map(|(code, why)| [code.clone(), why.clone()])
                .collect(),
        }
    }
}
