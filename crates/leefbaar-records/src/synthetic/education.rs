//! SYNTHETIC group-8 pupils in Drenthe's real regular primary schools: a school advice, a test
//! advice and a definitive advice, the level they start secondary school at, and their level
//! in year 3.
//!
//! How it is built, year by year:
//! 1. Pupils go to the real schools of the frame (`data/records/drenthe_primary_schools_2019.csv`)
//!    in proportion to each school's real number of pupils.
//! 2. Each pupil gets a latent school ability, standard normal around a school mean that is
//!    lowered by the school's real CBS disadvantage score: `mean = -(score / pupils) / 10`.
//!    The CBS score of a school is the sum over its pupils of their expected shortfall on the
//!    final test, in test points, given their parents' education and circumstances; one
//!    standard deviation of pupils' final-test scores is about 10 points, so score per pupil
//!    ÷ 10 is the expected shortfall in standard deviations. The rule is monotone and chosen
//!    by that reasoning, not fitted: the advice margins below are met by quotas whatever the
//!    shifts are, so the shifts only move advices between schools.
//! 3. Each advice is the pupil's rank on ability plus its own noise (the three advices agree
//!    mostly, not always), cut into the advice levels at the published Drenthe shares of
//!    that advice (quotas per year).
//! 4. The start level in year 1 is below, at or above the definitive advice for exactly the
//!    published shares of pupils (chosen at random among those who can be below or above),
//!    one level away; with a double advice, a share of the pupils at their advice start at
//!    the lower level. The year-3 level is placed against the *original* school advice the
//!    same way, with the Inspectorate's shares.
//!
//! Assumptions where nothing is published (constants below, stated as such): how the vmbo
//! advices split over vmbo-b, vmbo-b/k, vmbo-k and vmbo-gt; how the double advices split
//! within the remainder of the school and test advices; the noise of each advice.

use super::{Rng, SYNTHETIC, SyntheticFile, apportion, whole};
use crate::synthetic::targets::Targets;
use std::fmt::Write as _;

/// A school of the frame.
#[derive(Debug, Clone, PartialEq)]
pub struct School {
    /// DUO BRIN number and location (`00DX00`).
    pub id: String,
    /// CBS municipality code.
    pub municipality: String,
    /// Pupils on 1 October 2019 (DUO).
    pub pupils: u32,
    /// CBS disadvantage score 2019 (0 below the threshold).
    pub disadvantage_score: f64,
}

/// Parses `drenthe_primary_schools_2019.csv` (`school_id,municipality_code,pupils,disadvantage_score`).
pub fn parse_school_frame(csv_text: &str) -> Result<Vec<School>, String> {
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let mut schools = Vec::new();
    for (k, record) in reader.records().enumerate() {
        let line = k + 2;
        let record = record.map_err(|e| format!("line {line}: {e}"))?;
        let number = |field: usize, name: &str| {
            record[field].parse::<f64>().map_err(|_| {
                format!(
                    "line {line}, field `{name}`: expected a number, found `{}`",
                    &record[field]
                )
            })
        };
        schools.push(School {
            id: record[0].to_owned(),
            municipality: record[1].to_owned(),
            pupils: u32::try_from(whole(number(2, "pupils")?))
                .map_err(|e| format!("line {line}, field `pupils`: {e}"))?,
            disadvantage_score: number(3, "disadvantage_score")?,
        });
    }
    Ok(schools)
}

/// What to generate.
#[derive(Debug, Clone, PartialEq)]
pub struct EducationParams {
    /// The seed.
    pub seed: u64,
    /// Group-8 pupils per school year ("bijna 5.300" definitive advices in Drenthe, 2018-19).
    pub pupils_per_year: usize,
    /// The first school year (2015 for 2015-2016).
    pub first_year: u16,
    /// The number of school years.
    pub years: u16,
}

impl Default for EducationParams {
    fn default() -> EducationParams {
        EducationParams {
            seed: 1,
            pupils_per_year: 5_300,
            first_year: 2015,
            years: 5,
        }
    }
}

/// The advice codes of `education.toml`, in its order, with their low and high level.
const ADVICES: [(&str, u8, u8); 8] = [
    ("vmbo-b", 1, 1),
    ("vmbo-b/k", 1, 2),
    ("vmbo-k", 2, 2),
    ("vmbo-gt", 3, 3),
    ("vmbo-gt/havo", 3, 4),
    ("havo", 4, 4),
    ("havo/vwo", 4, 5),
    ("vwo", 5, 5),
];

/// The level codes of `education.toml`, level 1 first.
const LEVELS: [&str; 5] = ["vmbo-b", "vmbo-k", "vmbo-gt", "havo", "vwo"];

/// ASSUMPTION (no published split): how a vmbo advice divides over vmbo-b, vmbo-b/k, vmbo-k
/// and vmbo-gt, roughly as the national vmbo streams are sized.
const VMBO_SPLIT: [f64; 4] = [0.18, 0.10, 0.24, 0.48];

/// ASSUMPTION: the share of pupils at a double advice who start at its lower level ("with a
/// double advice Drenthe pupils more often start at the lower level").
const DOUBLE_LOWER: f64 = 0.6;

/// ASSUMPTION: the noise of each advice around the latent ability (standard deviations): the
/// school and definitive advices agree closely, the test less.
const NOISE: [f64; 3] = [0.30, 0.55, 0.25];

/// Shares per advice code from the published shares of vmbo, havo and vwo, with the rest going
/// to the double advices vmbo-gt/havo and havo/vwo in the ratio `gt_havo : havo_vwo`.
fn advice_shares(vmbo: f64, havo: f64, vwo: f64, gt_havo: f64, havo_vwo: f64) -> [f64; 8] {
    let rest = (1.0 - vmbo - havo - vwo).max(0.0);
    let doubles = gt_havo + havo_vwo;
    [
        vmbo * VMBO_SPLIT[0],
        vmbo * VMBO_SPLIT[1],
        vmbo * VMBO_SPLIT[2],
        vmbo * VMBO_SPLIT[3],
        rest * gt_havo / doubles,
        havo,
        rest * havo_vwo / doubles,
        vwo,
    ]
}

/// Cuts pupils ranked by `score` into the advice codes at `shares` (quotas).
fn by_rank(scores: &[f64], shares: &[f64; 8]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[a].total_cmp(&scores[b]));
    let sizes = apportion(scores.len(), shares);
    let mut advice = vec![0; scores.len()];
    let mut at = 0;
    for (code, &size) in sizes.iter().enumerate() {
        for &pupil in &order[at..at + size] {
            advice[pupil] = code;
        }
        at += size;
    }
    advice
}

/// A level below, at or above an advice for exactly the given shares of all pupils; with a
/// double advice a pupil at it starts at the lower level with [`DOUBLE_LOWER`].
fn place(rng: &mut Rng, advice: &[usize], below: f64, above: f64) -> Vec<u8> {
    let n = advice.len();
    let mut level = vec![0u8; n];
    let mut eligible: Vec<usize> = (0..n).filter(|&p| ADVICES[advice[p]].1 > 1).collect();
    rng.shuffle(&mut eligible);
    let n_below = whole((below * n as f64).round()).min(eligible.len());
    for &p in &eligible[..n_below] {
        level[p] = ADVICES[advice[p]].1 - 1;
    }
    let mut eligible: Vec<usize> = (0..n)
        .filter(|&p| level[p] == 0 && ADVICES[advice[p]].2 < 5)
        .collect();
    rng.shuffle(&mut eligible);
    let n_above = whole((above * n as f64).round()).min(eligible.len());
    for &p in &eligible[..n_above] {
        level[p] = ADVICES[advice[p]].2 + 1;
    }
    let mut doubles: Vec<usize> = (0..n)
        .filter(|&p| level[p] == 0 && ADVICES[advice[p]].1 < ADVICES[advice[p]].2)
        .collect();
    rng.shuffle(&mut doubles);
    let n_lower = whole((DOUBLE_LOWER * doubles.len() as f64).round());
    for (k, &p) in doubles.iter().enumerate() {
        let (low, high) = (ADVICES[advice[p]].1, ADVICES[advice[p]].2);
        level[p] = if k < n_lower { low } else { high };
    }
    for p in 0..n {
        if level[p] == 0 {
            level[p] = ADVICES[advice[p]].1;
        }
    }
    level
}

/// Generates the schools and pupils files.
pub fn generate(
    schools: &[School],
    targets: &Targets,
    params: &EducationParams,
) -> Result<Vec<SyntheticFile>, String> {
    let share = |key: &str| targets.share(key);
    let double_gt_havo = share("education.double_advice_vmbo_havo")?;
    let double_havo_vwo = share("education.double_advice_havo_vwo")?;
    let advice = |prefix: &str| -> Result<[f64; 8], String> {
        Ok(advice_shares(
            share(&format!("{prefix}_vmbo"))?,
            share(&format!("{prefix}_havo"))?,
            share(&format!("{prefix}_vwo"))?,
            double_gt_havo,
            double_havo_vwo,
        ))
    };
    let shares = [
        advice("education.school_advice")?,
        advice("education.test_advice")?,
        advice("education.definitive_advice")?,
    ];
    let (start_below, start_above) = (
        share("education.start_below_advice")?,
        share("education.start_above_advice")?,
    );
    let (year3_below, year3_above) = (
        share("education.year3_below_advice")?,
        share("education.year3_above_advice")?,
    );

    let mut rng = Rng::new(params.seed);
    let weights: Vec<f64> = schools.iter().map(|s| f64::from(s.pupils)).collect();
    let means: Vec<f64> = schools
        .iter()
        .map(|s| {
            if s.pupils == 0 {
                0.0
            } else {
                -(s.disadvantage_score / f64::from(s.pupils)) / 10.0
            }
        })
        .collect();
    let mut school_csv = String::from("school_id,municipality,pupils,synthetic\n");
    for s in schools {
        let _ = writeln!(
            school_csv,
            "{},{},{},{SYNTHETIC}",
            s.id, s.municipality, s.pupils
        );
    }
    let mut pupil_csv =
        String::with_capacity(params.pupils_per_year * usize::from(params.years) * 120);
    pupil_csv.push_str("pupil_id,school,municipality,school_year,school_advice,test_advice,definitive_advice,advice_date,start_date,start_level,year3_level,synthetic\n");
    for year in params.first_year..params.first_year + params.years {
        let sizes = apportion(params.pupils_per_year, &weights);
        let school_of: Vec<usize> = sizes
            .iter()
            .enumerate()
            .flat_map(|(s, &size)| std::iter::repeat_n(s, size))
            .collect();
        let ability: Vec<f64> = school_of.iter().map(|&s| means[s] + rng.normal()).collect();
        let advices: Vec<Vec<usize>> = (0..3)
            .map(|k| {
                let scores: Vec<f64> = ability
                    .iter()
                    .map(|a| a + NOISE[k] * rng.normal())
                    .collect();
                by_rank(&scores, &shares[k])
            })
            .collect();
        let start = place(&mut rng, &advices[2], start_below, start_above);
        let year3 = place(&mut rng, &advices[0], year3_below, year3_above);
        for (p, &s) in school_of.iter().enumerate() {
            // Advices are given by 1 March of group 8, secondary school starts in September.
            let advice_day = 1 + rng.below(28);
            let _ = writeln!(
                pupil_csv,
                "P{year}-{p:06},{},{},{},{},{},{},{}-02-{advice_day:02},{}-09-01,{},{},{SYNTHETIC}",
                schools[s].id,
                schools[s].municipality,
                year,
                ADVICES[advices[0][p]].0,
                ADVICES[advices[1][p]].0,
                ADVICES[advices[2][p]].0,
                year + 1,
                year + 1,
                LEVELS[usize::from(start[p]) - 1],
                LEVELS[usize::from(year3[p]) - 1],
            );
        }
    }
    Ok(vec![
        SyntheticFile {
            kind: "school".to_owned(),
            name: "schools.csv".to_owned(),
            csv: school_csv,
        },
        SyntheticFile {
            kind: "pupil".to_owned(),
            name: "pupils.csv".to_owned(),
            csv: pupil_csv,
        },
    ])
}

/// A SYNTHETIC national-size frame for scale tests: `copies` copies of the Drenthe frame, each
/// copy in made-up municipalities (`GM2000` upwards) under
/// made-up provinces `PV40`…`PV51` (twelve, as the Netherlands has), and the area tree pairs
/// (municipality → province → country) that go with it. Not real areas: only for measuring.
pub fn national_frame(schools: &[School], copies: usize) -> (Vec<School>, Vec<(String, String)>) {
    let municipalities: Vec<&str> = {
        let mut m: Vec<&str> = schools.iter().map(|s| s.municipality.as_str()).collect();
        m.sort_unstable();
        m.dedup();
        m
    };
    let code = |k: usize, m: usize| format!("GM{:04}", 2000 + k * municipalities.len() + m);
    let mut frame = Vec::new();
    let mut pairs = Vec::new();
    for k in 0..copies {
        let province = format!("PV{}", 40 + k % 12);
        for (m, _) in municipalities.iter().enumerate() {
            pairs.push((code(k, m), province.clone()));
        }
        for s in schools {
            let m = municipalities
                .binary_search(&s.municipality.as_str())
                .expect("listed above");
            frame.push(School {
                id: format!("{}-{k}", s.id),
                municipality: code(k, m),
                ..s.clone()
            });
        }
    }
    for p in 0..copies.min(12) {
        pairs.push((format!("PV{}", 40 + p), "NL01".to_owned()));
    }
    (frame, pairs)
}

/// The education monitor's figures over its pupils: the number of pupils, the definitive
/// advice, the seed's table (start level against the definitive advice), the Inspectorate's
/// year-3 position against the original advice, and advice × start level. One list for the
/// measurements (`benches/records.rs`, `examples/synthesize.rs --measure`) so both time the
/// same work.
pub fn figures() -> Vec<crate::FigureSpec> {
    use crate::{Figure, FigureSpec};
    let spec = |id: &str, figure| FigureSpec {
        id: id.to_owned(),
        kind: "pupil".to_owned(),
        figure,
    };
    let matrix = |rows: &str, columns: &str| Figure::Matrix {
        rows: rows.to_owned(),
        columns: columns.to_owned(),
    };
    vec![
        spec("pupils", Figure::Count),
        spec(
            "definitive_advice",
            Figure::Shares {
                field: "definitive_advice".to_owned(),
            },
        ),
        spec(
            "start_vs_advice",
            matrix("definitive_advice", "start_vs_advice"),
        ),
        spec(
            "year3_vs_advice",
            matrix("school_advice", "year3_vs_advice"),
        ),
        spec(
            "advice_by_start_level",
            matrix("definitive_advice", "start_level"),
        ),
    ]
}
