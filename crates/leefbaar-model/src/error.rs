//! Errors for parsing model values from text (area codes, levels, units, reasons).

/// A string that does not parse into a model type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ModelError {
    /// The text is not a CBS area code of a known level.
    #[error(
        "`{found}` is not a CBS area code (expected NL01, PV + 2 digits, GM + 4, WK + 6, BU + 8 or PC + 4 digits)"
    )]
    BadAreaCode {
        /// The text that was offered.
        found: String,
    },
    /// The text names no area level.
    #[error(
        "`{found}` is not an area level (expected country, province, municipality, district, neighbourhood or postcode)"
    )]
    BadAreaLevel {
        /// The text that was offered.
        found: String,
    },
    /// The year is outside the range Leefbaar handles.
    #[error("`{found}` is not a year between 1900 and 2200")]
    BadYear {
        /// The text that was offered.
        found: String,
    },
    /// The text names no unit.
    #[error("`{found}` is not a unit (expected one of: {expected})")]
    BadUnit {
        /// The text that was offered.
        found: String,
        /// The accepted spellings.
        expected: &'static str,
    },
    /// The text names no missing-value reason.
    #[error("`{found}` is not a missing-value reason (expected one of: {expected})")]
    BadMissingReason {
        /// The text that was offered.
        found: String,
        /// The accepted spellings.
        expected: &'static str,
    },
    /// The text names no method.
    #[error("`{found}` is not a method (expected one of: {expected})")]
    BadMethod {
        /// The text that was offered.
        found: String,
        /// The accepted spellings.
        expected: &'static str,
    },
    /// The text names no fact-sheet chart.
    #[error("`{found}` is not a fact-sheet chart (expected one of: {expected})")]
    BadFactsheetChart {
        /// The text that was offered.
        found: String,
        /// The accepted spellings.
        expected: &'static str,
    },
}
