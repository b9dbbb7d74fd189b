//! SYNTHETIC young adults aged 22–26 in each Drenthe municipality (real CBS population sizes,
//! 1 January 2020), each linked to a father and a mother, with a low-income flag on all of them.
//!
//! Calibration (quotas, so margins are met to one person per municipality):
//! - the share of young adults with a low income is the Veenkoloniën figure in the Drenthe
//!   part of the Veenkoloniën (Aa en Hunze, Borger-Odoorn, Emmen; an assumption about which
//!   municipalities the published region stands for) and the national figure elsewhere (no
//!   municipal figure for this age group is published);
//! - among the poor young adults, the published shares of poor fathers and poor mothers;
//! - among all young adults, the published shares of poor fathers and mothers, which fixes
//!   the share among the others: `(all − poor share × among poor) / (1 − poor share)`.
//!
//! Parents live in their child's municipality (an assumption: a child's area is what figures
//! are published by). ASSUMPTION: 4 % of young adults have no known father and 1 % no known
//! mother (links are optional, as in real registers).

use super::{Rng, SYNTHETIC, SyntheticFile, Targets, quota};
use std::fmt::Write as _;

/// The Drenthe part of the Veenkoloniën, as this generator takes it.
pub const VEENKOLONIEN: [&str; 3] = ["GM1680", "GM1681", "GM0114"];

const NO_FATHER: f64 = 0.04;
const NO_MOTHER: f64 = 0.01;

/// Generates the parents and young adults, one year (`year`) of records.
///
/// `young_adults` gives per municipality code the number of residents aged 22–26.
pub fn generate(
    young_adults: &[(&str, u64)],
    targets: &Targets,
    year: u16,
    seed: u64,
) -> Result<Vec<SyntheticFile>, String> {
    let veenkolonien = targets.share("poverty.young_adults_low_income_veenkolonien")?;
    let national = targets.share("poverty.young_adults_low_income_nl")?;
    let father_poor = targets.share("poverty.fathers_of_poor_low_income")?;
    let mother_poor = targets.share("poverty.mothers_of_poor_low_income")?;
    let father_all = targets.share("poverty.fathers_of_all_low_income")?;
    let mother_all = targets.share("poverty.mothers_of_all_low_income")?;
    let mut rng = Rng::new(seed);
    let mut parents = String::from("person_id,municipality,year,low_income,synthetic\n");
    let mut children =
        String::from("person_id,municipality,year,age,low_income,father,mother,synthetic\n");
    for &(municipality, n) in young_adults {
        let n = usize::try_from(n).map_err(|e| e.to_string())?;
        let rate = if VEENKOLONIEN.contains(&municipality) {
            veenkolonien
        } else {
            national
        };
        let mut everyone: Vec<usize> = (0..n).collect();
        let mut poor = vec![false; n];
        for p in quota(&mut rng, &mut everyone, rate) {
            poor[p] = true;
        }
        let has_parent = |rng: &mut Rng, missing: f64| {
            let mut all: Vec<usize> = (0..n).collect();
            let mut has = vec![false; n];
            for p in quota(rng, &mut all, 1.0 - missing) {
                has[p] = true;
            }
            has
        };
        let has_father = has_parent(&mut rng, NO_FATHER);
        let has_mother = has_parent(&mut rng, NO_MOTHER);
        // The share among the others that gives the published share among all.
        let others =
            |all: f64, among_poor: f64| ((all - rate * among_poor) / (1.0 - rate)).max(0.0);
        let parent_poverty = |rng: &mut Rng, has: &[bool], among_poor: f64, among_others: f64| {
            let mut flag = vec![false; n];
            for (group, share) in [(true, among_poor), (false, among_others)] {
                let mut members: Vec<usize> =
                    (0..n).filter(|&p| poor[p] == group && has[p]).collect();
                for p in quota(rng, &mut members, share) {
                    flag[p] = true;
                }
            }
            flag
        };
        let father_flag = parent_poverty(
            &mut rng,
            &has_father,
            father_poor,
            others(father_all, father_poor),
        );
        let mother_flag = parent_poverty(
            &mut rng,
            &has_mother,
            mother_poor,
            others(mother_all, mother_poor),
        );
        let yes_no = |b: bool| if b { "yes" } else { "no" };
        for p in 0..n {
            let id = format!("{municipality}-{year}-{p:05}");
            let mut link = |has: bool, flag: bool, role: &str| {
                if !has {
                    return String::new();
                }
                let parent_id = format!("{id}-{role}");
                let _ = writeln!(
                    parents,
                    "{parent_id},{municipality},{year},{},{SYNTHETIC}",
                    yes_no(flag)
                );
                parent_id
            };
            let father = link(has_father[p], father_flag[p], "f");
            let mother = link(has_mother[p], mother_flag[p], "m");
            let age = 22 + rng.below(5);
            let _ = writeln!(
                children,
                "{id},{municipality},{year},{age},{},{father},{mother},{SYNTHETIC}",
                yes_no(poor[p])
            );
        }
    }
    Ok(vec![
        SyntheticFile {
            kind: "parent".to_owned(),
            name: "parents.csv".to_owned(),
            csv: parents,
        },
        SyntheticFile {
            kind: "young_adult".to_owned(),
            name: "young_adults.csv".to_owned(),
            csv: children,
        },
    ])
}
