//! Seeded SYNTHETIC records for the three person-level monitors, calibrated to published
//! figures (the margins are the inputs; nothing is tuned to what tests later compare with).
//!
//! Every generator takes its frame (schools, populations) as values, so it does no IO, and
//! returns CSV text per record kind with a `synthetic` column that says `SYNTHETIC` on every
//! record; the schemas in `data/records/` say so in their description.
//!
//! Margins are reproduced by *quotas*, not by independent draws: within each year the number
//! of pupils with each advice, or the number of poor young adults, is fixed by the target
//! share (largest remainder), and the seed decides only *who*. So a margin is met to within
//! one person per stratum, whatever the seed, and the calibration tests can compare to the
//! published figures at their rounding.

pub mod education;
pub mod literacy;
pub mod poverty;
pub mod targets;

pub use targets::{Target, Targets};

use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{RngCore, SeedableRng};

/// The label every synthetic record carries in its `synthetic` column.
pub const SYNTHETIC: &str = "SYNTHETIC";

/// The records of one kind as CSV text, ready for [`crate::Records::import`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntheticFile {
    /// The record kind.
    pub kind: String,
    /// A file name for it (`pupils.csv`).
    pub name: String,
    /// The CSV text, header first, a `synthetic` column on every line.
    pub csv: String,
}

/// A deterministic random source: ChaCha8 with our own conversions, so the output does not
/// depend on how a `rand` version maps bits to floats.
pub(crate) struct Rng(ChaCha8Rng);

impl Rng {
    pub(crate) fn new(seed: u64) -> Rng {
        Rng(ChaCha8Rng::seed_from_u64(seed))
    }

    /// Uniform in [0, 1).
    pub(crate) fn uniform(&mut self) -> f64 {
        // 53 random bits -> [0, 1).
        (self.0.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Standard normal, by Box–Muller.
    pub(crate) fn normal(&mut self) -> f64 {
        let u = 1.0 - self.uniform();
        let v = self.uniform();
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }

    /// A uniform index below `n`.
    pub(crate) fn below(&mut self, n: usize) -> usize {
        whole((self.uniform() * n as f64).floor()).min(n.saturating_sub(1))
    }

    /// Shuffles in place (Fisher–Yates).
    pub(crate) fn shuffle<T>(&mut self, items: &mut [T]) {
        for k in (1..items.len()).rev() {
            items.swap(k, self.below(k + 1));
        }
    }
}

/// A whole number of persons from a non-negative, already rounded or floored number.
#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // non-negative and far below 2^52
pub(crate) fn whole(x: f64) -> usize {
    x.max(0.0) as usize
}

/// Whole numbers proportional to `weights` that add up to `total` (largest remainder, ties to
/// the earlier weight).
pub(crate) fn apportion(total: usize, weights: &[f64]) -> Vec<usize> {
    let sum: f64 = weights.iter().sum();
    if sum <= 0.0 {
        return vec![0; weights.len()];
    }
    let exact: Vec<f64> = weights.iter().map(|w| w / sum * total as f64).collect();
    let mut counts: Vec<usize> = exact.iter().map(|x| whole(x.floor())).collect();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|&a, &b| {
        (exact[b] - exact[b].floor())
            .total_cmp(&(exact[a] - exact[a].floor()))
            .then(a.cmp(&b))
    });
    let missing = total - counts.iter().sum::<usize>();
    for &k in order.iter().take(missing) {
        counts[k] += 1;
    }
    counts
}

/// Picks exactly `round(share × eligible.len())` of the eligible items, at random.
pub(crate) fn quota(rng: &mut Rng, eligible: &mut Vec<usize>, share: f64) -> Vec<usize> {
    let wanted = whole((share * eligible.len() as f64).round()).min(eligible.len());
    rng.shuffle(eligible);
    eligible.truncate(wanted);
    std::mem::take(eligible)
}

/// Persons per municipality and age from the CBS table `bevolking_leeftijd_gemeente`
/// (`gemeentecode,gemeentenaam,leeftijd,aantal`), summed over `ages` for the given
/// municipalities, in their order.
pub fn population_by_age(
    csv_text: &str,
    municipalities: &[&str],
    ages: std::ops::RangeInclusive<u32>,
) -> Result<Vec<u64>, String> {
    let mut totals = vec![0u64; municipalities.len()];
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    for (k, record) in reader.records().enumerate() {
        let record = record.map_err(|e| format!("line {}: {e}", k + 2))?;
        let Some(m) = municipalities.iter().position(|&m| m == &record[0]) else {
            continue;
        };
        let age: u32 = record[2].parse().map_err(|_| {
            format!(
                "line {}, field `leeftijd`: expected an age, found `{}`",
                k + 2,
                &record[2]
            )
        })?;
        let count: u64 = record[3].parse().map_err(|_| {
            format!(
                "line {}, field `aantal`: expected a count, found `{}`",
                k + 2,
                &record[3]
            )
        })?;
        if ages.contains(&age) {
            totals[m] += count;
        }
    }
    Ok(totals)
}

/// The twelve municipalities of Drenthe (CBS codes, 2020) with their names.
pub const DRENTHE: [(&str, &str); 12] = [
    ("GM0106", "Assen"),
    ("GM0109", "Coevorden"),
    ("GM0114", "Emmen"),
    ("GM0118", "Hoogeveen"),
    ("GM0119", "Meppel"),
    ("GM1680", "Aa en Hunze"),
    ("GM1681", "Borger-Odoorn"),
    ("GM1690", "De Wolden"),
    ("GM1699", "Noordenveld"),
    ("GM1701", "Westerveld"),
    ("GM1730", "Tynaarlo"),
    ("GM1731", "Midden-Drenthe"),
];

/// What the Drenthe generators are made from, as text the caller has read: the files in
/// `data/records/` and the bundled CBS population by age.
#[derive(Debug, Clone, Copy)]
pub struct DrentheInputs<'a> {
    /// `drenthe_primary_schools_2019.csv`.
    pub school_frame: &'a str,
    /// `published_targets.csv`.
    pub targets: &'a str,
    /// `bevolking_leeftijd_gemeente_2020-01-01.csv` (CBS population by municipality and age).
    pub population: &'a str,
}

/// The SYNTHETIC records of all three monitors for Drenthe: group-8 pupils of `years` school
/// years from 2015 (with their schools), young adults of 2016 with their parents, literacy
/// participants of `years` years from 2019 (with the target groups). Per monitor (`education`,
/// `poverty`, `literacy`) its files, for `leefbaar records synthesize` and the example.
pub fn drenthe(
    inputs: &DrentheInputs<'_>,
    seed: u64,
    pupils_per_year: usize,
    years: u16,
) -> Result<Vec<(&'static str, Vec<SyntheticFile>)>, String> {
    let targets = Targets::parse(inputs.targets)?;
    let schools = education::parse_school_frame(inputs.school_frame)?;
    let params = education::EducationParams {
        seed,
        pupils_per_year,
        first_year: 2015,
        years,
    };
    let pupils = education::generate(&schools, &targets, &params)?;
    let codes: Vec<&str> = DRENTHE.iter().map(|m| m.0).collect();
    let young = population_by_age(inputs.population, &codes, 22..=26)?;
    let poverty = poverty::generate(
        &codes.iter().copied().zip(young).collect::<Vec<_>>(),
        &targets,
        2016,
        seed,
    )?;
    let adults = population_by_age(inputs.population, &codes, 16..=200)?;
    let groups = literacy::target_groups(
        &codes.iter().copied().zip(adults).collect::<Vec<_>>(),
        &targets,
    )?;
    let mut literacy = literacy::generate(&groups, 2019, years, seed);
    literacy.push(SyntheticFile {
        kind: String::new(),
        name: "target_groups.csv".to_owned(),
        csv: literacy::target_groups_csv(&groups),
    });
    Ok(vec![
        ("education", pupils),
        ("poverty", poverty),
        ("literacy", literacy),
    ])
}
