-- 0002_postcodes: four-digit postcode areas, for finding an area by postcode.
--
-- Not foreign keys to areas: the importer checks the codes against the bundle, and a later
-- import of areas alone must not be refused because postcodes point at them.
CREATE TABLE postcodes (
    pc4 INTEGER PRIMARY KEY NOT NULL CHECK (pc4 BETWEEN 1000 AND 9999),
    place TEXT NOT NULL,
    municipality TEXT NOT NULL,
    district TEXT,
    lon REAL,
    lat REAL,
    CHECK ((lon IS NULL) = (lat IS NULL))
) STRICT;
