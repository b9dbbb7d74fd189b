-- 0001_initial: sources, areas, the indicator catalogue and observations.
--
-- Tables are STRICT so that a value of the wrong type is an error rather than silently kept.
-- Enumerations (level aside) are not CHECKed against their spellings: SQLite cannot alter a
-- CHECK without rebuilding the table, and the model grows variants; the decoder in
-- `sqlite/codec.rs` reports a spelling it does not know as a corrupt row instead.

CREATE TABLE sources (
    id TEXT PRIMARY KEY NOT NULL,
    file TEXT NOT NULL,
    table_title TEXT NOT NULL,
    licence TEXT NOT NULL,
    attribution TEXT NOT NULL,
    -- RFC 3339, UTC, as given by the importer.
    imported_at TEXT NOT NULL
) STRICT;

-- Geometry is the last column: SQLite reads a row's columns in order, so queries that do not
-- ask for the (large) GeoJSON never touch its overflow pages.
CREATE TABLE areas (
    code TEXT PRIMARY KEY NOT NULL,
    -- Derived from the code, stored so that observations can be filtered by level in SQL.
    level TEXT NOT NULL
        CHECK (level IN ('country', 'province', 'municipality', 'district', 'neighbourhood')),
    name TEXT NOT NULL,
    -- Not a foreign key: an import may bring districts without their municipality.
    parent TEXT,
    first_year INTEGER NOT NULL,
    last_year INTEGER NOT NULL,
    geometry TEXT
) STRICT;

-- "All districts of GM0114" and "all municipalities" are the dashboard's main lookups.
CREATE INDEX areas_by_parent ON areas (parent, code);
CREATE INDEX areas_by_level ON areas (level, code);

-- The parameters of an indicator's kind are columns named after the model's fields; a column
-- that does not belong to the row's kind is NULL.
CREATE TABLE indicators (
    id TEXT PRIMARY KEY NOT NULL,
    -- Catalogue order, for menus; see `SqliteStore::import` for how it is assigned.
    position INTEGER NOT NULL,
    name_nl TEXT NOT NULL,
    name_en TEXT NOT NULL,
    description_nl TEXT NOT NULL,
    description_en TEXT NOT NULL,
    theme TEXT NOT NULL,
    unit TEXT NOT NULL,
    kind TEXT NOT NULL,
    -- count, sum
    variable TEXT,
    -- share, rate
    numerator TEXT,
    denominator TEXT,
    -- rate
    per REAL,
    -- mean
    total TEXT,
    count_variable TEXT,
    -- change, index
    of_indicator TEXT,
    -- change
    years INTEGER,
    relative INTEGER CHECK (relative IN (0, 1)),
    -- index
    base_year INTEGER,
    decimals INTEGER NOT NULL,
    source TEXT NOT NULL
) STRICT;

CREATE INDEX indicators_by_position ON indicators (position, id);

-- WITHOUT ROWID: the primary key is the table's only access path and rows are small, so the
-- rows live in the key's b-tree and "one indicator, one area, all years" is one range read.
CREATE TABLE observations (
    indicator TEXT NOT NULL REFERENCES indicators (id),
    area TEXT NOT NULL REFERENCES areas (code),
    year INTEGER NOT NULL,
    value REAL,
    missing_reason TEXT,
    method TEXT,
    -- The number of areas summed, for aggregates (0 otherwise).
    parts INTEGER NOT NULL,
    note TEXT NOT NULL,
    -- `source:line` pairs joined by `;`, e.g. `kwb_gemeenten_2012_2024:2310;kwb_2024:17`.
    source_rows TEXT NOT NULL,
    PRIMARY KEY (indicator, area, year),
    -- A cell is a number or a reason, never both and never neither.
    CHECK ((value IS NULL) <> (missing_reason IS NULL))
) STRICT, WITHOUT ROWID;

-- "Every indicator of one area" (fact sheets); also serves the foreign key on `area`.
CREATE INDEX observations_by_area ON observations (area, indicator, year);
