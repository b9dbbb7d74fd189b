//! Observations: one indicator's value for one area and year, with where it came from.

use std::fmt;
use std::str::FromStr;

use crate::{AreaCode, CellValue, ModelError, Year};

/// How a served value was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// Taken unchanged from the source cell.
    Published,
    /// A count rebuilt from a published percentage × its base, because the source publishes only
    /// the percentage (KWB age groups). Carries the source's rounding.
    Reconstructed,
    /// The sum of the values of the area's parts.
    Aggregated,
    /// A ratio recomputed from aggregated numerator and denominator.
    Recomputed,
    /// Computed from other observations of the same area (change, index).
    Derived,
    /// Computed by a model of the future (the population projection), not observed.
    Projected,
    /// A merged municipality's figure for a year before it existed: the sum of its
    /// predecessors' published figures, so its series runs on today's boundaries.
    Redistricted,
}

impl Method {
    /// All methods.
    pub const ALL: [Method; 7] = [
        Method::Published,
        Method::Reconstructed,
        Method::Aggregated,
        Method::Recomputed,
        Method::Derived,
        Method::Projected,
        Method::Redistricted,
    ];
    const EXPECTED: &'static str =
        "published, reconstructed, aggregated, recomputed, derived, projected, redistricted";

    /// The stable identifier used in the API and the store.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Published => "published",
            Method::Reconstructed => "reconstructed",
            Method::Aggregated => "aggregated",
            Method::Recomputed => "recomputed",
            Method::Derived => "derived",
            Method::Projected => "projected",
            Method::Redistricted => "redistricted",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Method {
    type Err = ModelError;
    fn from_str(text: &str) -> Result<Method, ModelError> {
        Method::ALL
            .into_iter()
            .find(|method| method.as_str() == text)
            .ok_or_else(|| ModelError::BadMethod {
                found: text.to_owned(),
                expected: Self::EXPECTED,
            })
    }
}

/// One row of an imported file.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SourceRow {
    /// The id of the [`Source`](crate::Source) (the imported file).
    pub source: String,
    /// The 1-based line number in that file (the header is line 1).
    pub line: u64,
}

/// Where a value came from and how it was computed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Provenance {
    /// How the value was obtained.
    pub method: Option<Method>,
    /// The source rows read directly; empty for aggregates, whose parts carry their own rows.
    pub rows: Vec<SourceRow>,
    /// The number of areas summed, for aggregates.
    pub parts: u32,
    /// The formula or a sentence on the method, e.g. `100 × Σ inhabitants_65_plus / Σ inhabitants`.
    pub note: String,
}

/// A value of one indicator for one area in one year.
#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    /// The area.
    pub area: AreaCode,
    /// The statistical year.
    pub year: Year,
    /// The indicator id.
    pub indicator: String,
    /// The number, or why there is none.
    pub value: CellValue,
    /// Where it came from.
    pub provenance: Provenance,
}

/// A value of a base variable (a count or total, never a ratio) for one area and year, as read
/// from a source: the raw material indicators are computed from.
#[derive(Debug, Clone, PartialEq)]
pub struct Fact {
    /// The area.
    pub area: AreaCode,
    /// The statistical year.
    pub year: Year,
    /// The base variable id (`inhabitants`, `inhabitants_65_plus`, ...).
    pub variable: String,
    /// The number, or why there is none.
    pub value: CellValue,
    /// [`Method::Published`] or [`Method::Reconstructed`] for figures read from a source,
    /// [`Method::Projected`] for a projection's output.
    pub method: Method,
    /// The source rows it was read from.
    pub rows: Vec<SourceRow>,
}
