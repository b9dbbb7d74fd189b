//! A cell's value, or why there is none.

use std::fmt;
use std::str::FromStr;

use crate::ModelError;

/// Why a cell has no number.
///
/// CBS marks missing and secret cells with a symbol (`.`, `x`, `-99997`) or leaves them empty
/// rather than writing 0, so we keep the reason: a secret cell must stay secret in every
/// aggregate, and an uncollected one must not be read as zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MissingReason {
    /// The source has no figure for this cell (empty cell): not collected or not yet published.
    NotCollected,
    /// CBS `.`: unknown, or too unreliable to publish.
    Unknown,
    /// CBS `x` or `-99997`: kept secret by the publisher to protect privacy.
    Secret,
    /// Withheld by Leefbaar's own disclosure control (fewer than 10 persons behind it).
    Suppressed,
    /// The quantity has no meaning here, e.g. a share of a zero total.
    NotApplicable,
    /// An aggregate could not be formed because a part is missing.
    IncompleteParts,
}

impl MissingReason {
    /// All reasons, for documentation and validation.
    pub const ALL: [MissingReason; 6] = [
        MissingReason::NotCollected,
        MissingReason::Unknown,
        MissingReason::Secret,
        MissingReason::Suppressed,
        MissingReason::NotApplicable,
        MissingReason::IncompleteParts,
    ];
    const EXPECTED: &'static str =
        "not_collected, unknown, secret, suppressed, not_applicable, incomplete_parts";

    /// The stable identifier used in the API and the store.
    pub fn as_str(self) -> &'static str {
        match self {
            MissingReason::NotCollected => "not_collected",
            MissingReason::Unknown => "unknown",
            MissingReason::Secret => "secret",
            MissingReason::Suppressed => "suppressed",
            MissingReason::NotApplicable => "not_applicable",
            MissingReason::IncompleteParts => "incomplete_parts",
        }
    }
}

impl fmt::Display for MissingReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for MissingReason {
    type Err = ModelError;
    fn from_str(text: &str) -> Result<MissingReason, ModelError> {
        MissingReason::ALL
            .into_iter()
            .find(|reason| reason.as_str() == text)
            .ok_or_else(|| ModelError::BadMissingReason {
                found: text.to_owned(),
                expected: Self::EXPECTED,
            })
    }
}

/// A number, or the reason there is none.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CellValue {
    /// A finite number.
    Value(f64),
    /// No number, for the given reason.
    Missing(MissingReason),
}

impl CellValue {
    /// The number, if there is one.
    pub fn value(self) -> Option<f64> {
        match self {
            CellValue::Value(number) => Some(number),
            CellValue::Missing(_) => None,
        }
    }

    /// The reason there is no number, if there is none.
    pub fn missing_reason(self) -> Option<MissingReason> {
        match self {
            CellValue::Value(_) => None,
            CellValue::Missing(reason) => Some(reason),
        }
    }
}
