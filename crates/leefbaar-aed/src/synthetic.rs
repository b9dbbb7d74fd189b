//! A SYNTHETIC AED register: seeded, at plausible sites, calibrated to published counts and
//! coverage figures. No open register exists (the Red Cross register closed in 2020 and the
//! alert system's data is closed), so the Drenthe demo runs on one of these; it is labelled
//! SYNTHETIC wherever it appears.
//!
//! # How AEDs are placed
//! AEDs day and night hang outside where someone took the initiative: a village association, a
//! sports club, a shop. Such initiatives follow people, and they follow the gaps less than an
//! optimiser would. The generator draws AEDs one at a time among candidate sites (village
//! centres, schools, the centres of populated grid parts) with a probability proportional to
//!
//! `β(municipality) · P · (U / P)^α`,
//!
//! `P` the persons within the coverage distance of the site, `U` those of them not yet within
//! reach of an AED drawn before. `α = 0` places AEDs where people are, regardless of the AEDs
//! already there; a large `α` fills gaps almost like the greedy optimiser. `α` is calibrated so
//! that the whole province's uncovered share matches its target, and `β` of each municipality
//! with a target of its own so that its share matches (all other municipalities have `β = 1`).
//! The draws use one stream of random numbers for every trial value, so a parameter's effect
//! is smooth and bisection finds it.
//!
//! AEDs with opening hours hang inside schools (school hours), sports halls (evenings and
//! Saturday), shops and offices (shop hours) and community centres (daytime): drawn among the
//! schools for the first and among the other sites in proportion to `P` for the rest, never
//! calibrated.
//!
//! Because the register is calibrated to the published figures, reproducing them tests the
//! generator, not the coverage method: what the demo shows about Drenthe is the size of real
//! numbers, not a finding. The one comparison not calibrated is which municipality comes out
//! best.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::nearby::PointIndex;
use crate::population::Resident;
use leefbaar_network::Wgs84Point;

/// The seed of the committed Drenthe register.
pub const SEED: u64 = 20_190_401;

/// What kind of place a candidate site is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SiteKind {
    /// The centre of a CBS population centre (*kern*).
    VillageCentre,
    /// A school.
    School,
    /// The centre of a populated part of a grid cell (a hamlet or a street of a town).
    PlaceCentre,
}

impl SiteKind {
    /// The kind as written in the register's `site` column.
    pub fn as_str(self) -> &'static str {
        match self {
            SiteKind::VillageCentre => "village_centre",
            SiteKind::School => "school",
            SiteKind::PlaceCentre => "place_centre",
        }
    }
}

/// A place an AED could hang.
#[derive(Debug, Clone, PartialEq)]
pub struct Site {
    /// Where.
    pub point: Wgs84Point,
    /// What.
    pub kind: SiteKind,
    /// Its municipality (index into the caller's list).
    pub group: usize,
}

/// What the register should reproduce.
#[derive(Debug, Clone, PartialEq)]
pub struct Targets {
    /// AEDs in all (published: about 700 in Drenthe, 2019).
    pub aeds: usize,
    /// AEDs available day and night (about 500); the rest have opening hours and hang inside.
    pub aeds_day_and_night: usize,
    /// The coverage distance, straight line (the alert system's 500 m).
    pub within_m: f64,
    /// Share of all residents without an AED day and night within the distance (about a fifth).
    pub uncovered: f64,
    /// Municipalities (group index) with a published share of their own (De Wolden and
    /// Borger-Odoorn: about a third).
    pub group_uncovered: Vec<(usize, f64)>,
}

/// An AED of the register.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntheticAed {
    /// Where.
    pub point: Wgs84Point,
    /// The site it hangs at.
    pub site: usize,
    /// Inside a building.
    pub indoor: bool,
    /// `24/7`, or hours in the OSM `opening_hours` syntax.
    pub opening_hours: &'static str,
    /// The host in words (`outdoor cabinet`, `school`, `sports hall` …).
    pub host: &'static str,
}

/// The calibrated parameters and what they reproduce.
#[derive(Debug, Clone, PartialEq)]
pub struct Calibration {
    /// `α`.
    pub alpha: f64,
    /// `β` per group with a target, in the order of [`Targets::group_uncovered`].
    pub betas: Vec<f64>,
    /// The register's uncovered share for the whole population.
    pub uncovered: f64,
    /// Per group, its uncovered share (groups without residents: `None`).
    pub group_uncovered: Vec<Option<f64>>,
}

/// A generated register.
#[derive(Debug, Clone, PartialEq)]
pub struct Register {
    /// The AEDs day and night first, then those with opening hours, each in order drawn.
    pub aeds: Vec<SyntheticAed>,
    /// How it was calibrated.
    pub calibration: Calibration,
}

/// Hosts of AEDs with opening hours: (host, hours, share of those AEDs, at schools).
const HOSTS: [(&str, &str, f64, bool); 4] = [
    ("school", "Mo-Fr 08:00-17:00", 0.30, true),
    (
        "sports hall",
        "Mo-Fr 18:00-23:00; Sa 09:00-17:00",
        0.25,
        false,
    ),
    ("shop or office", "Mo-Sa 09:00-18:00", 0.30, false),
    ("community centre", "Mo-Fr 09:00-22:00", 0.15, false),
];

/// The residents each site covers and the sites covering each resident.
struct Cover {
    sets: Vec<Vec<usize>>,
    sites_of: Vec<Vec<usize>>,
    persons_near: Vec<f64>,
}

impl Cover {
    fn new(residents: &[Resident], sites: &[Site], within_m: f64) -> Cover {
        let points: Vec<Wgs84Point> = residents.iter().map(|r| r.point).collect();
        let index = PointIndex::new(&points, within_m);
        let sets: Vec<Vec<usize>> = sites
            .iter()
            .map(|site| {
                index
                    .within(site.point, within_m)
                    .into_iter()
                    .map(|(i, _)| i)
                    .collect()
            })
            .collect();
        let mut sites_of = vec![Vec::new(); residents.len()];
        for (s, set) in sets.iter().enumerate() {
            for &r in set {
                sites_of[r].push(s);
            }
        }
        let persons_near = sets
            .iter()
            .map(|set| set.iter().map(|&i| residents[i].persons).sum())
            .collect();
        Cover {
            sets,
            sites_of,
            persons_near,
        }
    }
}

/// The sites of AEDs day and night drawn with `alpha` and `beta` per group, one per uniform of
/// `draws`; and which residents they cover.
fn draw_day_and_night(
    residents: &[Resident],
    sites: &[Site],
    cover: &Cover,
    alpha: f64,
    beta: &[f64],
    draws: &[f64],
) -> (Vec<usize>, Vec<bool>) {
    let mut covered = vec![false; residents.len()];
    let mut uncovered_near = cover.persons_near.clone();
    let mut chosen = Vec::with_capacity(draws.len());
    let largest = cover.persons_near.iter().copied().fold(1.0, f64::max);
    let weight = |s: usize, uncovered: f64| {
        if uncovered > 1e-9 {
            // Relative to the largest possible, so high powers stay finite.
            beta[sites[s].group] * (uncovered / largest).powf(alpha)
        } else {
            0.0
        }
    };
    let mut weights: Vec<f64> = (0..sites.len())
        .map(|s| weight(s, uncovered_near[s]))
        .collect();
    let mut changed = Vec::new();
    for &u in draws {
        let Some(s) = pick(&weights, u) else { break };
        chosen.push(s);
        for &r in &cover.sets[s] {
            if !covered[r] {
                covered[r] = true;
                for &t in &cover.sites_of[r] {
                    uncovered_near[t] -= residents[r].persons;
                    changed.push(t);
                }
            }
        }
        // Only the sites that lost residents change weight.
        changed.sort_unstable();
        changed.dedup();
        for &t in &changed {
            weights[t] = weight(t, uncovered_near[t]);
        }
        changed.clear();
    }
    (chosen, covered)
}

/// `count` AEDs with opening hours, inside: among the schools for the school share, among the
/// other sites in proportion to the persons near them for the rest.
#[expect(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "a share of a count is a small non-negative whole number"
)]
fn part_time(
    sites: &[Site],
    cover: &Cover,
    count: usize,
    rng: &mut ChaCha8Rng,
) -> Vec<SyntheticAed> {
    let schools: Vec<f64> = sites
        .iter()
        .zip(&cover.persons_near)
        .map(|(site, near)| {
            if site.kind == SiteKind::School {
                near.max(1.0)
            } else {
                0.0
            }
        })
        .collect();
    let others: Vec<f64> = sites
        .iter()
        .zip(&cover.persons_near)
        .map(|(site, near)| {
            if site.kind == SiteKind::School {
                0.0
            } else {
                *near
            }
        })
        .collect();
    let mut aeds = Vec::with_capacity(count);
    let mut assigned = 0;
    for (i, (host, hours, share, at_school)) in HOSTS.iter().enumerate() {
        // The last host takes the rounding remainder, so the count is exact.
        let n = if i + 1 == HOSTS.len() {
            count - assigned
        } else {
            ((count as f64) * share).round() as usize
        };
        assigned += n;
        let weights = if *at_school { &schools } else { &others };
        for _ in 0..n {
            let Some(site) = pick(weights, rng.random::<f64>()) else {
                break;
            };
            aeds.push(SyntheticAed {
                point: sites[site].point,
                site,
                indoor: true,
                opening_hours: hours,
                host,
            });
        }
    }
    aeds
}

/// The index whose cumulative weight first exceeds `u` × the total.
fn pick(weights: &[f64], u: f64) -> Option<usize> {
    let total: f64 = weights.iter().sum();
    if total <= 0.0 {
        return None;
    }
    let target = u * total;
    let mut sum = 0.0;
    for (i, w) in weights.iter().enumerate() {
        sum += w;
        if sum > target && *w > 0.0 {
            return Some(i);
        }
    }
    weights.iter().rposition(|w| *w > 0.0)
}

/// The uncovered share of all residents and of each group.
fn uncovered_shares(
    residents: &[Resident],
    resident_group: &[usize],
    groups: usize,
    covered: &[bool],
) -> (f64, Vec<Option<f64>>) {
    let mut all = (0.0, 0.0);
    let mut by_group = vec![(0.0, 0.0); groups];
    for ((resident, &group), &is_covered) in residents.iter().zip(resident_group).zip(covered) {
        let uncovered = if is_covered { 0.0 } else { resident.persons };
        all.0 += uncovered;
        all.1 += resident.persons;
        by_group[group].0 += uncovered;
        by_group[group].1 += resident.persons;
    }
    (
        all.0 / all.1,
        by_group
            .into_iter()
            .map(|(u, p)| (p > 0.0).then(|| u / p))
            .collect(),
    )
}

/// The value in `low..=high` at which the decreasing `f` comes closest to `target`, by
/// bisection: of the values tried, the one whose result is nearest (a register is made of whole
/// AEDs, so `f` moves in steps and may never equal the target).
fn bisect_decreasing(mut low: f64, mut high: f64, target: f64, f: impl Fn(f64) -> f64) -> f64 {
    let mut best = (f64::INFINITY, 0.5 * (low + high));
    for _ in 0..20 {
        let mid = 0.5 * (low + high);
        let value = f(mid);
        if (value - target).abs() < best.0 {
            best = ((value - target).abs(), mid);
        }
        if value > target {
            low = mid;
        } else {
            high = mid;
        }
    }
    best.1
}

/// A register for `residents` (with their municipality, `resident_group`, among `groups`) at
/// `sites`, reproducing `targets`, drawn from `seed`.
pub fn register(
    residents: &[Resident],
    resident_group: &[usize],
    groups: usize,
    sites: &[Site],
    targets: &Targets,
    seed: u64,
) -> Register {
    let cover = Cover::new(residents, sites, targets.within_m);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let draws: Vec<f64> = (0..targets.aeds_day_and_night)
        .map(|_| rng.random::<f64>())
        .collect();
    // Of every parameter set tried, the one farthest from no target by the least.
    let best = std::cell::RefCell::new((f64::INFINITY, 0.0, vec![1.0; groups]));
    let run = |alpha: f64, beta: &[f64]| {
        let (_, covered) = draw_day_and_night(residents, sites, &cover, alpha, beta, &draws);
        let shares = uncovered_shares(residents, resident_group, groups, &covered);
        let error = targets
            .group_uncovered
            .iter()
            .map(|&(g, target)| (shares.1[g].unwrap_or(0.0) - target).abs())
            .fold((shares.0 - targets.uncovered).abs(), f64::max);
        let mut best = best.borrow_mut();
        if error < best.0 {
            *best = (error, alpha, beta.to_vec());
        }
        shares
    };
    let mut beta = vec![1.0; groups];
    // More α fills more gaps, and more β puts more AEDs in a municipality: both lower the
    // uncovered share. α first, then each named municipality's β (on a log scale) and α again,
    // four rounds; the draws share their random numbers, but a register is whole AEDs, so the
    // targets pull on each other a little and the best set tried is kept.
    let mut alpha = bisect_decreasing(0.0, 40.0, targets.uncovered, |a| run(a, &beta).0);
    for _ in 0..4 {
        for &(group, target) in &targets.group_uncovered {
            let log_beta = bisect_decreasing(-8.0, 4.0, target, |b| {
                let mut trial = beta.clone();
                trial[group] = b.exp();
                run(alpha, &trial).1[group].unwrap_or(0.0)
            });
            beta[group] = log_beta.exp();
        }
        alpha = bisect_decreasing(0.0, 40.0, targets.uncovered, |a| run(a, &beta).0);
    }
    let (_, alpha, beta) = best.into_inner();
    let (chosen, covered) = draw_day_and_night(residents, sites, &cover, alpha, &beta, &draws);
    let (uncovered, group_uncovered) =
        uncovered_shares(residents, resident_group, groups, &covered);
    let mut aeds: Vec<SyntheticAed> = chosen
        .into_iter()
        .map(|site| SyntheticAed {
            point: sites[site].point,
            site,
            indoor: false,
            opening_hours: "24/7",
            host: "outdoor cabinet",
        })
        .collect();
    aeds.extend(part_time(
        sites,
        &cover,
        targets.aeds.saturating_sub(targets.aeds_day_and_night),
        &mut rng,
    ));
    Register {
        aeds,
        calibration: Calibration {
            alpha,
            betas: targets
                .group_uncovered
                .iter()
                .map(|(group, _)| beta[*group])
                .collect(),
            uncovered,
            group_uncovered,
        },
    }
}
