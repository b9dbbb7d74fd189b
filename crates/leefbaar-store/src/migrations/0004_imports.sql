-- 0004_imports: which bundle every import came from.
--
-- The server prepares its live models (reach scenarios, the projection, the citizens' panel)
-- from the bundle of the latest import, so it can tell when the files on disk are no longer
-- the ones imported. One row per import, never updated: the history of a store.
CREATE TABLE imports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    bundle_id TEXT NOT NULL,
    bundle_name TEXT NOT NULL,
    bundle_version TEXT NOT NULL,
    -- The manifest's absolute path when imported.
    manifest TEXT NOT NULL,
    -- SHA-256 (hex) of the manifest and every file it names.
    digest TEXT NOT NULL,
    province TEXT NOT NULL,
    -- The importer's settings, as text it writes and reads back.
    settings TEXT NOT NULL,
    -- RFC 3339, UTC.
    imported_at TEXT NOT NULL
) STRICT;
