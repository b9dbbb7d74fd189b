//! Sources: the files observations are read from, with their licence.

/// An imported file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// Stable identifier (`kwb_gemeenten_2012_2024`).
    pub id: String,
    /// The file name as bundled or given on import.
    pub file: String,
    /// The publisher's table or dataset, e.g. `CBS Kerncijfers wijken en buurten 2024 (85984NED)`.
    pub table: String,
    /// The licence, e.g. `CC BY 4.0`.
    pub licence: String,
    /// The attribution users must show, e.g. `Bron: CBS`.
    pub attribution: String,
    /// When it was imported (RFC 3339, UTC).
    pub imported_at: String,
}
