-- 0005_postcode_areas_and_places: four-digit postcode areas become an area level of their own
-- (CBS publishes statistics and reach per PC4), and places (towns, villages) are stored for
-- map labels.
--
-- SQLite cannot change a CHECK in place, so `areas` is rebuilt as its documentation describes
-- (create, copy, drop, rename); the migration runs with foreign keys off and is checked with
-- `PRAGMA foreign_key_check` before it commits (see `sqlite/migrate.rs`). Only the list of
-- levels changes.
CREATE TABLE areas_0005 (
    code TEXT PRIMARY KEY NOT NULL,
    -- Derived from the code, stored so that observations can be filtered by level in SQL.
    level TEXT NOT NULL
        CHECK (level IN ('country', 'province', 'municipality', 'district', 'neighbourhood',
            'postcode')),
    name TEXT NOT NULL,
    -- Not a foreign key: an import may bring districts without their municipality.
    parent TEXT,
    first_year INTEGER NOT NULL,
    last_year INTEGER NOT NULL,
    geometry TEXT
) STRICT;

INSERT INTO areas_0005 (code, level, name, parent, first_year, last_year, geometry)
SELECT code, level, name, parent, first_year, last_year, geometry FROM areas ORDER BY code;

DROP TABLE areas;
ALTER TABLE areas_0005 RENAME TO areas;

CREATE INDEX areas_by_parent ON areas (parent, code);
CREATE INDEX areas_by_level ON areas (level, code);

-- Places are replaced by (municipality, name): a village name is unique within a municipality.
CREATE TABLE places (
    municipality TEXT NOT NULL,
    name TEXT NOT NULL,
    lon REAL NOT NULL,
    lat REAL NOT NULL,
    population INTEGER CHECK (population >= 0),
    PRIMARY KEY (municipality, name)
) STRICT;
