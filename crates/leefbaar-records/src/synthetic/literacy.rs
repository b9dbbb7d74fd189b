//! SYNTHETIC participants in Drenthe's low-literacy approach, per municipality (its Taalhuis),
//! trajectory and year, and the estimated target group they are a share of.
//!
//! The target group of a municipality is its published prevalence × its residents aged 16+
//! (CBS, 1 January 2020). Where no municipal prevalence is published, every other
//! municipality gets the one rate that makes Drenthe's total the published Drenthe share.
//! No open data on reach exists, so the number of participants per year is an ASSUMPTION,
//! [`REACH`] of the target group, split over trajectories and referrers by further
//! assumptions; the figures computed from these records show the path, not Drenthe's reach.

use super::{Rng, SYNTHETIC, SyntheticFile, Targets, apportion, whole};
use std::fmt::Write as _;

/// ASSUMPTION: the share of the target group taking part in a year.
pub const REACH: f64 = 0.025;

/// ASSUMPTION: the split over the trajectories of `literacy.toml` (language, digital,
/// numeracy, work).
const TRAJECTORIES: [(&str, f64); 4] = [
    ("language", 0.50),
    ("digital", 0.25),
    ("numeracy", 0.15),
    ("work", 0.10),
];

/// ASSUMPTION: the split over referrers (library, municipality, employer, care).
const REFERRALS: [(&str, f64); 4] = [
    ("library", 0.45),
    ("municipality", 0.30),
    ("employer", 0.10),
    ("care", 0.15),
];

/// A municipality's estimated low-literate residents.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetGroup {
    /// CBS municipality code.
    pub municipality: String,
    /// Residents aged 16 and over.
    pub residents_16_plus: u64,
    /// The prevalence used (a share).
    pub prevalence: f64,
    /// Whether the prevalence is the municipality's own published figure.
    pub published: bool,
    /// Estimated low-literate residents.
    pub target_group: u64,
}

/// The target group per municipality from residents aged 16+ (`(code, residents)`).
pub fn target_groups(
    residents: &[(&str, u64)],
    targets: &Targets,
) -> Result<Vec<TargetGroup>, String> {
    let drenthe = targets.share("literacy.prevalence_drenthe")?;
    let own = |code: &str| targets.share(&format!("literacy.prevalence_{code}")).ok();
    let total: u64 = residents.iter().map(|r| r.1).sum();
    let fixed: f64 = residents
        .iter()
        .filter_map(|&(c, n)| own(c).map(|p| p * n as f64))
        .sum();
    let others: u64 = residents
        .iter()
        .filter(|(c, _)| own(c).is_none())
        .map(|r| r.1)
        .sum();
    let rest = (drenthe * total as f64 - fixed) / others as f64;
    Ok(residents
        .iter()
        .map(|&(code, n)| {
            let prevalence = own(code).unwrap_or(rest);
            TargetGroup {
                municipality: code.to_owned(),
                residents_16_plus: n,
                prevalence,
                published: own(code).is_some(),
                target_group: whole((prevalence * n as f64).round()) as u64,
            }
        })
        .collect())
}

/// The target groups as CSV, labelled SYNTHETIC (they are estimates feeding synthetic data).
pub fn target_groups_csv(groups: &[TargetGroup]) -> String {
    let mut csv = String::from(
        "municipality,residents_16_plus,prevalence,published,target_group,synthetic\n",
    );
    for g in groups {
        let _ = writeln!(
            csv,
            "{},{},{:.4},{},{},{SYNTHETIC}",
            g.municipality, g.residents_16_plus, g.prevalence, g.published, g.target_group
        );
    }
    csv
}

/// Generates participants for `years` starting at `first_year`.
pub fn generate(
    groups: &[TargetGroup],
    first_year: u16,
    years: u16,
    seed: u64,
) -> Vec<SyntheticFile> {
    let mut rng = Rng::new(seed);
    let mut csv = String::from(
        "participant_id,municipality,year,trajectory,referral,start_date,end_date,synthetic\n",
    );
    let trajectory_weights: Vec<f64> = TRAJECTORIES.iter().map(|t| t.1).collect();
    let referral_weights: Vec<f64> = REFERRALS.iter().map(|t| t.1).collect();
    for year in first_year..first_year + years {
        for g in groups {
            let n = whole((REACH * g.target_group as f64).round());
            let mut trajectory: Vec<usize> = apportion(n, &trajectory_weights)
                .iter()
                .enumerate()
                .flat_map(|(k, &m)| std::iter::repeat_n(k, m))
                .collect();
            let mut referral: Vec<usize> = apportion(n, &referral_weights)
                .iter()
                .enumerate()
                .flat_map(|(k, &m)| std::iter::repeat_n(k, m))
                .collect();
            rng.shuffle(&mut trajectory);
            rng.shuffle(&mut referral);
            for p in 0..n {
                let start_month = 1 + rng.below(7);
                let day = 1 + rng.below(28);
                // About one in four is still running at the end of the year: no end date.
                let end = if rng.uniform() < 0.75 {
                    format!("{year}-{:02}-{day:02}", start_month + 1 + rng.below(5))
                } else {
                    String::new()
                };
                let _ = writeln!(
                    csv,
                    "L{year}-{}-{p:05},{},{year},{},{},{year}-{start_month:02}-{day:02},{end},{SYNTHETIC}",
                    g.municipality,
                    g.municipality,
                    TRAJECTORIES[trajectory[p]].0,
                    REFERRALS[referral[p]].0
                );
            }
        }
    }
    vec![SyntheticFile {
        kind: "participant".to_owned(),
        name: "participants.csv".to_owned(),
        csv,
    }]
}
