-- 0003_notes: observations refer to their note by id instead of repeating its text.
--
-- A note is the formula or remark shared by every observation of one indicator (and method),
-- so a store holds a few hundred distinct notes over hundreds of thousands of observations;
-- in the Drenthe demo the repeated text was 12 MB of a 39 MB file.
--
-- Notes are only ever added: an import that replaces an observation's note leaves the old one
-- in place (an orphan costs a few dozen bytes, and finding orphans means reading every
-- observation).
--
-- `note_id` is deliberately not a foreign key. Ids come only from the store's own interning in
-- `write_observations`, and the check cost a quarter of the import time in the benchmark
-- (450 against 620 ms for 112,000 rows); a reader that finds no note for an id reports the row
-- as corrupt. Deleting notes would also need an index on `note_id`, which would cost more
-- than the text it replaces.

-- AUTOINCREMENT so that an id, once given, never names another text even if notes are deleted
-- by hand: readers cache note texts by id for the life of their connection.
CREATE TABLE notes (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    text TEXT NOT NULL UNIQUE
) STRICT;

INSERT INTO notes (text) SELECT DISTINCT note FROM observations ORDER BY note;

-- SQLite cannot change a column in place, so the table is rebuilt as its documentation
-- describes (create, copy, drop, rename); nothing refers to `observations`, so dropping it
-- with foreign keys on deletes nothing else. Only the `note` column changes; the key, the
-- CHECK and WITHOUT ROWID are those of 0001_initial, for the reasons given there.
CREATE TABLE observations_0003 (
    indicator TEXT NOT NULL REFERENCES indicators (id),
    area TEXT NOT NULL REFERENCES areas (code),
    year INTEGER NOT NULL,
    value REAL,
    missing_reason TEXT,
    method TEXT,
    -- The number of areas summed, for aggregates (0 otherwise).
    parts INTEGER NOT NULL,
    note_id INTEGER NOT NULL,
    -- `source:line` pairs joined by `;`, e.g. `kwb_gemeenten_2012_2024:2310;kwb_2024:17`.
    source_rows TEXT NOT NULL,
    PRIMARY KEY (indicator, area, year),
    -- A cell is a number or a reason, never both and never neither.
    CHECK ((value IS NULL) <> (missing_reason IS NULL))
) STRICT, WITHOUT ROWID;

INSERT INTO observations_0003 (indicator, area, year, value, missing_reason, method, parts,
    note_id, source_rows)
SELECT o.indicator, o.area, o.year, o.value, o.missing_reason, o.method, o.parts, n.id,
    o.source_rows
FROM observations AS o JOIN notes AS n ON n.text = o.note
ORDER BY o.indicator, o.area, o.year;

DROP TABLE observations;
ALTER TABLE observations_0003 RENAME TO observations;

-- "Every indicator of one area" (fact sheets); also serves the foreign key on `area`.
CREATE INDEX observations_by_area ON observations (area, indicator, year);
