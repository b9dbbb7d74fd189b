-- 0001_initial: the PostgreSQL schema, equal in meaning to the SQLite schema after its
-- migration 0007 (see ../../migrations/ for why each table and column is there).
--
-- Three rules keep the two backends' answers byte-identical:
-- * every text column is COLLATE "C", so ORDER BY sorts by code point as SQLite does, whatever
--   the database's default collation;
-- * integers are BIGINT and reals DOUBLE PRECISION, the types SQLite hands back;
-- * flags are 0/1 integers as in SQLite, so one decoder (`codec.rs`) reads both.

CREATE TABLE sources (
    id TEXT COLLATE "C" PRIMARY KEY,
    file TEXT COLLATE "C" NOT NULL,
    table_title TEXT COLLATE "C" NOT NULL,
    licence TEXT COLLATE "C" NOT NULL,
    attribution TEXT COLLATE "C" NOT NULL,
    imported_at TEXT COLLATE "C" NOT NULL
);

CREATE TABLE areas (
    code TEXT COLLATE "C" PRIMARY KEY,
    level TEXT COLLATE "C" NOT NULL
        CHECK (level IN ('country', 'province', 'municipality', 'district', 'neighbourhood',
            'postcode')),
    name TEXT COLLATE "C" NOT NULL,
    parent TEXT COLLATE "C",
    first_year BIGINT NOT NULL,
    last_year BIGINT NOT NULL,
    geometry TEXT COLLATE "C"
);

CREATE INDEX areas_by_parent ON areas (parent, code);
CREATE INDEX areas_by_level ON areas (level, code);

CREATE TABLE indicators (
    id TEXT COLLATE "C" PRIMARY KEY,
    position BIGINT NOT NULL,
    name_nl TEXT COLLATE "C" NOT NULL,
    name_en TEXT COLLATE "C" NOT NULL,
    description_nl TEXT COLLATE "C" NOT NULL,
    description_en TEXT COLLATE "C" NOT NULL,
    theme TEXT COLLATE "C" NOT NULL,
    unit TEXT COLLATE "C" NOT NULL,
    kind TEXT COLLATE "C" NOT NULL,
    variable TEXT COLLATE "C",
    numerator TEXT COLLATE "C",
    denominator TEXT COLLATE "C",
    per DOUBLE PRECISION,
    total TEXT COLLATE "C",
    count_variable TEXT COLLATE "C",
    of_indicator TEXT COLLATE "C",
    years BIGINT,
    relative BIGINT CHECK (relative IN (0, 1)),
    base_year BIGINT,
    decimals BIGINT NOT NULL,
    source TEXT COLLATE "C" NOT NULL,
    factsheet_tile BIGINT CHECK (factsheet_tile >= 1),
    factsheet_latest BIGINT NOT NULL DEFAULT 0 CHECK (factsheet_latest IN (0, 1)),
    factsheet_chart TEXT COLLATE "C",
    factsheet_label_nl TEXT COLLATE "C",
    factsheet_label_en TEXT COLLATE "C",
    factsheet_ranking BIGINT CHECK (factsheet_ranking >= 1),
    factsheet_sheet TEXT COLLATE "C"
);

CREATE INDEX indicators_by_position ON indicators (position, id);

-- Notes are only ever added, and an id never names another text (see 0003_notes.sql).
CREATE TABLE notes (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    text TEXT COLLATE "C" NOT NULL UNIQUE
);

CREATE TABLE observations (
    indicator TEXT COLLATE "C" NOT NULL REFERENCES indicators (id),
    area TEXT COLLATE "C" NOT NULL REFERENCES areas (code),
    year BIGINT NOT NULL,
    value DOUBLE PRECISION,
    missing_reason TEXT COLLATE "C",
    method TEXT COLLATE "C",
    parts BIGINT NOT NULL,
    note_id BIGINT NOT NULL,
    source_rows TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (indicator, area, year),
    CHECK ((value IS NULL) <> (missing_reason IS NULL))
);

CREATE INDEX observations_by_area ON observations (area, indicator, year);

CREATE TABLE postcodes (
    pc4 BIGINT PRIMARY KEY CHECK (pc4 BETWEEN 1000 AND 9999),
    place TEXT COLLATE "C" NOT NULL,
    municipality TEXT COLLATE "C" NOT NULL,
    district TEXT COLLATE "C",
    lon DOUBLE PRECISION,
    lat DOUBLE PRECISION,
    CHECK ((lon IS NULL) = (lat IS NULL))
);

CREATE TABLE imports (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    bundle_id TEXT COLLATE "C" NOT NULL,
    bundle_name TEXT COLLATE "C" NOT NULL,
    bundle_version TEXT COLLATE "C" NOT NULL,
    manifest TEXT COLLATE "C" NOT NULL,
    digest TEXT COLLATE "C" NOT NULL,
    province TEXT COLLATE "C" NOT NULL,
    settings TEXT COLLATE "C" NOT NULL,
    imported_at TEXT COLLATE "C" NOT NULL
);

CREATE TABLE places (
    municipality TEXT COLLATE "C" NOT NULL,
    name TEXT COLLATE "C" NOT NULL,
    lon DOUBLE PRECISION NOT NULL,
    lat DOUBLE PRECISION NOT NULL,
    population BIGINT CHECK (population >= 0),
    PRIMARY KEY (municipality, name)
);
