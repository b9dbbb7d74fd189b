//! What can go wrong when a fact sheet is built or rendered.

/// A fact sheet could not be built or rendered.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FactsheetError {
    /// The theme is not one this crate knows.
    #[error("unknown theme `{0}`; known: leefbaarheid, hartveilig")]
    UnknownTheme(String),
    /// The language is not one this crate knows.
    #[error("unknown language `{0}`; known: nl, en")]
    UnknownLang(String),
    /// The area has no inhabitants in the requested year: nothing to put on a sheet.
    #[error("area {area} has no data for {year}")]
    NoData {
        /// The area code.
        area: String,
        /// The requested year.
        year: u16,
    },
    /// The store has none of the theme's figures for the area (e.g. a Hartveilig sheet from a
    /// bundle without an `[aed]` section).
    #[error("area {area} has no figures of the theme `{theme}`")]
    NoThemeData {
        /// The area code.
        area: String,
        /// The theme id.
        theme: &'static str,
    },
    /// typst could not lay out the sheet.
    #[error("the PDF could not be rendered: {0}")]
    Pdf(String),
}
