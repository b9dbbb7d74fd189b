//! Persons by single year of age and sex, the table every projection step reads and writes.

use std::fmt;

/// The number of single-year age classes Leefbaar projects: 0, 1, …, 99 and the open class 100+.
pub const N_AGES: usize = 101;

/// A sex, as CBS registers it (men, women).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Sex {
    /// Men (*mannen*).
    Male,
    /// Women (*vrouwen*).
    Female,
}

impl Sex {
    /// Both sexes, men first.
    pub const BOTH: [Sex; 2] = [Sex::Male, Sex::Female];

    /// The stable identifier used in CSV inputs: `male` or `female`.
    pub fn as_str(self) -> &'static str {
        match self {
            Sex::Male => "male",
            Sex::Female => "female",
        }
    }

    /// Parses `male`/`female` (also `m`/`f`, `man`/`vrouw`, any case).
    pub fn parse(text: &str) -> Option<Sex> {
        match text.trim().to_ascii_lowercase().as_str() {
            "male" | "m" | "man" | "mannen" => Some(Sex::Male),
            "female" | "f" | "v" | "vrouw" | "vrouwen" => Some(Sex::Female),
            _ => None,
        }
    }
}

impl fmt::Display for Sex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A pair of values, one per sex.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct BySex<T> {
    /// The value for men.
    pub male: T,
    /// The value for women.
    pub female: T,
}

impl<T> BySex<T> {
    /// The value for `sex`.
    pub fn of(&self, sex: Sex) -> &T {
        match sex {
            Sex::Male => &self.male,
            Sex::Female => &self.female,
        }
    }

    /// The value for `sex`, mutably.
    pub fn of_mut(&mut self, sex: Sex) -> &mut T {
        match sex {
            Sex::Male => &mut self.male,
            Sex::Female => &mut self.female,
        }
    }
}

/// Persons (or migrants, or any count) by single year of age and sex.
///
/// Ages run `0..n_ages`; the last age is an open class ("100 and older" when `n_ages` is
/// [`N_AGES`]). Counts are `f64` because projected cohorts are expected values, not integers.
#[derive(Debug, Clone, PartialEq)]
pub struct AgeSexTable {
    male: Vec<f64>,
    female: Vec<f64>,
}

impl AgeSexTable {
    /// A table of zeros with `n_ages` ages (the last open).
    pub fn zeros(n_ages: usize) -> AgeSexTable {
        AgeSexTable {
            male: vec![0.0; n_ages],
            female: vec![0.0; n_ages],
        }
    }

    /// A table from counts per age for men and for women; `None` when the lengths differ or
    /// there are fewer than two ages (a closed and an open class).
    pub fn from_counts(male: Vec<f64>, female: Vec<f64>) -> Option<AgeSexTable> {
        (male.len() == female.len() && male.len() >= 2).then_some(AgeSexTable { male, female })
    }

    /// The number of age classes, the last one open.
    pub fn n_ages(&self) -> usize {
        self.male.len()
    }

    /// Counts by age for one sex.
    pub fn counts(&self, sex: Sex) -> &[f64] {
        match sex {
            Sex::Male => &self.male,
            Sex::Female => &self.female,
        }
    }

    /// Counts by age for one sex, mutably.
    pub fn counts_mut(&mut self, sex: Sex) -> &mut [f64] {
        match sex {
            Sex::Male => &mut self.male,
            Sex::Female => &mut self.female,
        }
    }

    /// The count for one sex and age.
    pub fn get(&self, sex: Sex, age: usize) -> f64 {
        self.counts(sex)[age]
    }

    /// Both sexes at one age.
    pub fn both_sexes(&self, age: usize) -> f64 {
        self.male[age] + self.female[age]
    }

    /// The total over both sexes and all ages.
    pub fn total(&self) -> f64 {
        self.male.iter().sum::<f64>() + self.female.iter().sum::<f64>()
    }

    /// The total over both sexes of ages `from..=to` (clamped to the table).
    pub fn total_between(&self, from: usize, to: usize) -> f64 {
        let last = to.min(self.n_ages() - 1);
        if from > last {
            return 0.0;
        }
        self.male[from..=last].iter().sum::<f64>() + self.female[from..=last].iter().sum::<f64>()
    }

    /// Adds `other` cell by cell (same shape required).
    pub fn add(&mut self, other: &AgeSexTable) {
        assert_eq!(self.n_ages(), other.n_ages(), "tables of different shape");
        for sex in Sex::BOTH {
            for (mine, theirs) in self.counts_mut(sex).iter_mut().zip(other.counts(sex)) {
                *mine += theirs;
            }
        }
    }

    /// Multiplies every cell by `factor`.
    pub fn scale(&mut self, factor: f64) {
        for sex in Sex::BOTH {
            for value in self.counts_mut(sex) {
                *value *= factor;
            }
        }
    }
}
