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

/// One import of a bundle into a store: which bundle (and which version of its files), how it
/// was imported, and when. The server prepares its live models (reach, projection, panel) from
/// the latest one, so what it computes on request comes from the data it serves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundleImport {
    /// The bundle's id (`drenthe`).
    pub bundle_id: String,
    /// The bundle's name for people.
    pub bundle_name: String,
    /// The bundle's own version.
    pub bundle_version: String,
    /// The manifest's path, absolute, as it was imported.
    pub manifest: String,
    /// A fingerprint (SHA-256, hex) of the manifest and every file it names, to tell whether
    /// the bundle on disk is still the one imported.
    pub digest: String,
    /// The province the monitor is about.
    pub province: crate::AreaCode,
    /// The import's settings (which monitors, which road network), as text the importer wrote
    /// and reads back; opaque to the store.
    pub settings: String,
    /// When (RFC 3339, UTC).
    pub imported_at: String,
}
