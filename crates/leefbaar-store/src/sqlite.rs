//! [`SqliteStore`]: the [`Store`] on an embedded SQLite file.
//!
//! SQLite because Leefbaar ships as one binary next to one data file, with no server to run.
//! The file is opened in WAL mode so that the server's readers never block an import and an
//! import never blocks them; see [`crate::SqliteReadPool`] for the readers.
//!
//! Every query is parameterised. Filters with lists (`codes IN (…)`) build SQL text with one
//! `?` per element, never with the values themselves.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::time::Duration;

use leefbaar_model::{
    Area, AreaCode, BundleImport, IndicatorDef, Method, MissingReason, Observation, Place,
    Postcode, Source, Year,
};
use rusqlite::{
    Connection, OpenFlags, OptionalExtension, Transaction, TransactionBehavior, params,
};

use crate::rules;
use crate::{AreaFilter, ImportBatch, ImportSummary, ObservationFilter, Store, StoreError};

mod migrate;
#[cfg(test)]
mod tests;

use crate::codec::{self, Columns, FactsheetColumns, KindColumns};
use crate::query::{self, Cap, Dialect, Parameter};

/// How long a connection waits for another's lock before giving up with `SQLITE_BUSY`.
///
/// An import holds the write lock for its whole transaction (under a second for the
/// benchmark's 112,000 observations); readers in WAL mode never wait for it, so this bounds
/// only a second writer waiting for the first.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Prepared statements kept per connection. Filter queries differ in their SQL text by which
/// filters are set and by list lengths, so the cache is larger than rusqlite's default of 16.
const STATEMENT_CACHE_CAPACITY: usize = 64;

/// A [`Store`] on one SQLite connection.
///
/// It can move between threads (`Send`) but serves one at a time (not `Sync`); a server
/// shares a [`crate::SqliteReadPool`] instead.
pub struct SqliteStore {
    connection: Connection,
    path: PathBuf,
    /// Note texts by id, as read. Observations name their note by id, and a few hundred notes
    /// serve hundreds of thousands of rows; a lookup here costs less than SQLite joining
    /// `notes` for every row. Never stale: committed notes are neither changed nor deleted,
    /// and `AUTOINCREMENT` never gives a deleted note's id to another text.
    notes: RefCell<HashMap<i64, String>>,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl SqliteStore {
    /// Decodes the rows of an observation query one at a time into `each`, until it breaks.
    fn read_observations(
        &self,
        query: &query::ObservationQuery,
        each: &mut dyn FnMut(Observation) -> ControlFlow<()>,
    ) -> Result<(), StoreError> {
        let mut statement = self.connection.prepare_cached(&query.sql)?;
        let mut rows = statement.query(rusqlite::params_from_iter(&query.parameters))?;
        let mut notes = self.notes.borrow_mut();
        // Rows of one indicator mostly share their note, and hashing the id for every row
        // cost 6% of a 1,600-row query; a run of one note is served by comparing ids.
        let mut previous: Option<(i64, String)> = None;
        while let Some(row) = rows.next()? {
            let note_id: i64 = row.get(codec::OBSERVATION_NOTE_ID)?;
            let note = match &previous {
                Some((id, note)) if *id == note_id => note.clone(),
                _ => {
                    let note = if let Some(note) = notes.get(&note_id) {
                        note.clone()
                    } else {
                        let note = self.note(note_id)?;
                        notes.insert(note_id, note.clone());
                        note
                    };
                    previous = Some((note_id, note.clone()));
                    note
                }
            };
            if each(codec::observation(row, note)?).is_break() {
                break;
            }
        }
        Ok(())
    }

    /// The schema version this build reads and writes (`PRAGMA user_version`).
    pub const SCHEMA_VERSION: i64 = migrate::SCHEMA_VERSION;

    /// Opens the database at `path` for reading and writing, creating the file and its
    /// directory if needed and migrating it to [`SqliteStore::SCHEMA_VERSION`].
    pub fn open(path: impl AsRef<Path>) -> Result<SqliteStore, StoreError> {
        let path = path.as_ref();
        if let Some(directory) = path.parent().filter(|dir| !dir.as_os_str().is_empty()) {
            fs_err::create_dir_all(directory)?;
        }
        let open_error = |source| StoreError::Open {
            path: path.to_owned(),
            source,
        };
        let connection = Connection::open(path).map_err(open_error)?;
        connection.busy_timeout(BUSY_TIMEOUT).map_err(open_error)?;
        // WAL is a property of the file and persists; setting it on every open is harmless.
        connection
            .pragma_update_and_check(None, "journal_mode", "wal", |row| row.get::<_, String>(0))
            .map_err(open_error)?;
        // In WAL mode NORMAL loses at most the last transactions on power loss, never the file;
        // imports are repeatable, so durability of the last one is not worth an fsync each.
        connection
            .pragma_update(None, "synchronous", "NORMAL")
            .map_err(open_error)?;
        SqliteStore::finish_opening(connection, path)
    }

    /// Opens an existing database for reading only. It must already have this build's schema
    /// ([`StoreError::SchemaTooOld`] otherwise: a read-only connection cannot migrate).
    pub fn open_read_only(path: impl AsRef<Path>) -> Result<SqliteStore, StoreError> {
        let path = path.as_ref();
        let open_error = |source| StoreError::Open {
            path: path.to_owned(),
            source,
        };
        // NO_MUTEX: a connection serves one thread at a time (the pool sees to that), so
        // SQLite's own per-connection locking would be pure overhead.
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let connection = Connection::open_with_flags(path, flags).map_err(open_error)?;
        connection.busy_timeout(BUSY_TIMEOUT).map_err(open_error)?;
        migrate::check(&connection, path)?;
        connection.set_prepared_statement_cache_capacity(STATEMENT_CACHE_CAPACITY);
        Ok(SqliteStore {
            connection,
            path: path.to_owned(),
            notes: RefCell::default(),
        })
    }

    /// A new, empty database in memory, for tests and one-off computations.
    pub fn open_in_memory() -> Result<SqliteStore, StoreError> {
        let path = Path::new(":memory:");
        let connection = Connection::open_in_memory().map_err(|source| StoreError::Open {
            path: path.to_owned(),
            source,
        })?;
        SqliteStore::finish_opening(connection, path)
    }

    fn finish_opening(mut connection: Connection, path: &Path) -> Result<SqliteStore, StoreError> {
        // Migrations run with foreign keys off (SQLite's procedure for rebuilding a table
        // others refer to) and check the references themselves. The bundled SQLite switches
        // them on by default, so they are switched off explicitly first.
        connection
            .pragma_update(None, "foreign_keys", "OFF")
            .map_err(|source| StoreError::Open {
                path: path.to_owned(),
                source,
            })?;
        migrate::migrate(&mut connection, path)?;
        // Off by default in SQLite, per connection; without it the REFERENCES clauses are
        // documentation only.
        connection
            .pragma_update(None, "foreign_keys", "ON")
            .map_err(|source| StoreError::Open {
                path: path.to_owned(),
                source,
            })?;
        connection.set_prepared_statement_cache_capacity(STATEMENT_CACHE_CAPACITY);
        Ok(SqliteStore {
            connection,
            path: path.to_owned(),
            notes: RefCell::default(),
        })
    }

    /// The database file (`:memory:` for an in-memory store).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The schema version recorded in the file.
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        Ok(migrate::version(&self.connection)?)
    }

    /// The text of note `id`, read from `notes`.
    fn note(&self, id: i64) -> Result<String, StoreError> {
        self.connection
            .prepare_cached("SELECT text FROM notes WHERE id = ?1")?
            .query_row([id], |row| row.get(0))
            .optional()?
            // `note_id` is no foreign key (see 0003_notes.sql), so this is checked here.
            .ok_or_else(|| StoreError::Corrupt {
                what: "observation",
                detail: format!("note {id} is not in `notes`"),
            })
    }

    /// The raw connection, for tests that must write what the API cannot (corrupt rows).
    #[cfg(test)]
    pub(crate) fn connection_for_tests(&self) -> &Connection {
        &self.connection
    }
}

/// Fails with [`StoreError::UnknownReference`] for the first (by id) area or indicator an
/// observation names that is neither in the batch nor in the store.
fn check_references(transaction: &Transaction<'_>, batch: &ImportBatch) -> Result<(), StoreError> {
    let (other_areas, other_indicators) = rules::references_outside(batch);
    let checks = [
        (
            "area",
            "SELECT EXISTS (SELECT 1 FROM areas WHERE code = ?1)",
            other_areas,
        ),
        (
            "indicator",
            "SELECT EXISTS (SELECT 1 FROM indicators WHERE id = ?1)",
            other_indicators,
        ),
    ];
    for (what, sql, ids) in checks {
        let mut exists = transaction.prepare_cached(sql)?;
        for id in ids {
            if !exists.query_row([id], |row| row.get::<_, bool>(0))? {
                return Err(StoreError::UnknownReference {
                    what,
                    id: id.to_owned(),
                });
            }
        }
    }
    Ok(())
}

/// The catalogue position of each indicator in the batch ([`rules::positions`]).
fn indicator_positions(
    transaction: &Transaction<'_>,
    batch: &ImportBatch,
) -> Result<Vec<i64>, StoreError> {
    let mut statement = transaction.prepare_cached("SELECT id, position FROM indicators")?;
    let stored: HashMap<String, i64> = statement
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<Result<_, _>>()?;
    Ok(rules::positions(&stored, batch))
}

fn write_sources(transaction: &Transaction<'_>, sources: &[Source]) -> Result<(), StoreError> {
    let mut upsert = transaction.prepare_cached(query::UPSERT_SOURCE)?;
    for source in sources {
        upsert.execute(params![
            source.id,
            source.file,
            source.table,
            source.licence,
            source.attribution,
            source.imported_at
        ])?;
    }
    Ok(())
}

fn write_areas(transaction: &Transaction<'_>, areas: &[Area]) -> Result<(), StoreError> {
    // An upsert, not INSERT OR REPLACE: REPLACE deletes the old row first, which the foreign
    // keys from observations forbid.
    let mut upsert = transaction.prepare_cached(query::UPSERT_AREA)?;
    for area in areas {
        upsert.execute(params![
            area.code.as_str(),
            area.level().as_str(),
            area.name,
            area.parent.as_ref().map(AreaCode::as_str),
            area.first_year.get(),
            area.last_year.get(),
            area.geometry_geojson,
        ])?;
    }
    Ok(())
}

fn write_postcodes(
    transaction: &Transaction<'_>,
    postcodes: &[Postcode],
) -> Result<(), StoreError> {
    let mut upsert = transaction.prepare_cached(query::UPSERT_POSTCODE)?;
    for postcode in postcodes {
        upsert.execute(params![
            postcode.pc4,
            postcode.place,
            postcode.municipality.as_str(),
            postcode.district.as_ref().map(AreaCode::as_str),
            postcode.point.map(|p| p.0),
            postcode.point.map(|p| p.1),
        ])?;
    }
    Ok(())
}

fn write_indicators(
    transaction: &Transaction<'_>,
    indicators: &[IndicatorDef],
    positions: &[i64],
) -> Result<(), StoreError> {
    let mut upsert = transaction.prepare_cached(query::UPSERT_INDICATOR)?;
    for (indicator, position) in indicators.iter().zip(positions) {
        let kind = KindColumns::of(&indicator.kind);
        let factsheet = FactsheetColumns::of(indicator.factsheet.as_ref());
        upsert.execute(params![
            indicator.id,
            position,
            indicator.name.nl,
            indicator.name.en,
            indicator.description.nl,
            indicator.description.en,
            indicator.theme,
            indicator.unit.as_str(),
            kind.kind,
            kind.variable,
            kind.numerator,
            kind.denominator,
            kind.per,
            kind.total,
            kind.count_variable,
            kind.of_indicator,
            kind.years,
            kind.relative,
            kind.base_year,
            indicator.decimals,
            indicator.source,
            factsheet.tile,
            factsheet.latest,
            factsheet.chart,
            factsheet.label_nl,
            factsheet.label_en,
            factsheet.ranking,
            factsheet.sheet,
        ])?;
    }
    Ok(())
}

/// The ids of note texts within one import, adding the texts the store does not have yet.
///
/// A batch repeats a few hundred notes over all its observations, so each text is looked up in
/// SQLite once and then found in the map.
struct NoteIds<'batch> {
    ids: HashMap<&'batch str, i64>,
}

impl<'batch> NoteIds<'batch> {
    fn new() -> NoteIds<'batch> {
        NoteIds {
            ids: HashMap::new(),
        }
    }

    fn id(&mut self, transaction: &Transaction<'_>, note: &'batch str) -> rusqlite::Result<i64> {
        if let Some(&id) = self.ids.get(note) {
            return Ok(id);
        }
        let mut find = transaction.prepare_cached("SELECT id FROM notes WHERE text = ?1")?;
        let id = match find.query_row([note], |row| row.get(0)).optional()? {
            Some(id) => id,
            None => transaction
                .prepare_cached("INSERT INTO notes (text) VALUES (?1) RETURNING id")?
                .query_row([note], |row| row.get(0))?,
        };
        self.ids.insert(note, id);
        Ok(id)
    }
}

fn write_observations(
    transaction: &Transaction<'_>,
    observations: &[Observation],
) -> Result<(), StoreError> {
    let mut upsert = transaction.prepare_cached(
        "INSERT INTO observations (indicator, area, year, value, missing_reason, method, parts,
             note_id, source_rows)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT (indicator, area, year) DO UPDATE SET
             value = excluded.value, missing_reason = excluded.missing_reason,
             method = excluded.method, parts = excluded.parts, note_id = excluded.note_id,
             source_rows = excluded.source_rows",
    )?;
    let mut note_ids = NoteIds::new();
    for observation in observations {
        let provenance = &observation.provenance;
        upsert.execute(params![
            observation.indicator,
            observation.area.as_str(),
            observation.year.get(),
            observation.value.value(),
            observation
                .value
                .missing_reason()
                .map(MissingReason::as_str),
            provenance.method.map(Method::as_str),
            provenance.parts,
            note_ids.id(transaction, &provenance.note)?,
            codec::encode_source_rows(&provenance.rows),
        ])?;
    }
    Ok(())
}

impl rusqlite::ToSql for Parameter {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        match self {
            Parameter::Text(text) => text.to_sql(),
            Parameter::Integer(number) => number.to_sql(),
        }
    }
}

impl Columns for rusqlite::Row<'_> {
    // Text is borrowed from SQLite's buffer: most text columns are parsed at once, so copying
    // each into a `String` first would only add an allocation per column and row.
    fn text(&self, index: usize) -> Result<&str, StoreError> {
        self.get_ref(index)?
            .as_str()
            .map_err(|error| codec::corrupt("text column", error))
    }

    fn optional_text(&self, index: usize) -> Result<Option<&str>, StoreError> {
        self.get_ref(index)?
            .as_str_or_null()
            .map_err(|error| codec::corrupt("text column", error))
    }

    fn optional_integer(&self, index: usize) -> Result<Option<i64>, StoreError> {
        Ok(self.get(index)?)
    }

    fn optional_real(&self, index: usize) -> Result<Option<f64>, StoreError> {
        Ok(self.get(index)?)
    }
}

impl Store for SqliteStore {
    fn answers_in_process(&self) -> bool {
        true
    }

    /// Upserts sources, areas, indicators and observations in one IMMEDIATE transaction.
    ///
    /// Observations must name areas and indicators that are in the batch or already stored;
    /// sources named in indicators and provenance are not checked (derived values name
    /// Leefbaar itself). Counts in the summary are rows written, each upsert counted once.
    fn import(&mut self, batch: &ImportBatch) -> Result<ImportSummary, StoreError> {
        rules::validate(batch)?;
        // IMMEDIATE takes the write lock now: a DEFERRED transaction that reads first could
        // fail with SQLITE_BUSY when it starts writing, without waiting for the busy timeout.
        let transaction = self
            .connection
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        check_references(&transaction, batch)?;
        let positions = indicator_positions(&transaction, batch)?;
        write_sources(&transaction, &batch.sources)?;
        write_areas(&transaction, &batch.areas)?;
        write_indicators(&transaction, &batch.indicators, &positions)?;
        write_observations(&transaction, &batch.observations)?;
        write_postcodes(&transaction, &batch.postcodes)?;
        write_places(&transaction, &batch.places)?;
        if let Some(bundle) = &batch.bundle {
            write_import(&transaction, bundle)?;
        }
        // Dropping the transaction on any `?` above rolls it back.
        transaction.commit()?;
        Ok(ImportSummary {
            sources: batch.sources.len(),
            areas: batch.areas.len(),
            indicators: batch.indicators.len(),
            observations: batch.observations.len(),
            postcodes: batch.postcodes.len(),
            places: batch.places.len(),
        })
    }

    fn areas(&self, filter: &AreaFilter) -> Result<Vec<Area>, StoreError> {
        let (sql, parameters) = query::area_query(filter, Dialect::Sqlite);
        let mut statement = self.connection.prepare_cached(&sql)?;
        let mut rows = statement.query(rusqlite::params_from_iter(parameters))?;
        let mut areas = Vec::new();
        while let Some(row) = rows.next()? {
            areas.push(codec::area(row)?);
        }
        Ok(areas)
    }

    fn indicators(&self) -> Result<Vec<IndicatorDef>, StoreError> {
        let sql = format!(
            "SELECT {} FROM indicators ORDER BY position, id",
            codec::INDICATOR_COLUMNS
        );
        let mut statement = self.connection.prepare_cached(&sql)?;
        let mut rows = statement.query([])?;
        let mut indicators = Vec::new();
        while let Some(row) = rows.next()? {
            indicators.push(codec::indicator(row)?);
        }
        Ok(indicators)
    }

    /// Observations by indicator, area code and year, at most
    /// [`MAX_OBSERVATIONS`](crate::MAX_OBSERVATIONS) of them whatever the filter's limit.
    fn observations(&self, filter: &ObservationFilter) -> Result<Vec<Observation>, StoreError> {
        let query = query::observation_query(filter, Dialect::Sqlite, Cap::Capped);
        let mut observations = Vec::new();
        self.read_observations(&query, &mut |observation| {
            observations.push(observation);
            ControlFlow::Continue(())
        })?;
        query.finish(&mut observations);
        Ok(observations)
    }

    fn each_observation(
        &self,
        filter: &ObservationFilter,
        each: &mut dyn FnMut(Observation) -> ControlFlow<()>,
    ) -> Result<(), StoreError> {
        let query = query::observation_query(filter, Dialect::Sqlite, Cap::Streamed);
        if query.sort_and_limit.is_none() {
            return self.read_observations(&query, each);
        }
        // A parent's children come in the order of the areas, and are few: sorted in memory.
        let mut observations = Vec::new();
        self.read_observations(&query, &mut |observation| {
            observations.push(observation);
            ControlFlow::Continue(())
        })?;
        query.finish(&mut observations);
        for observation in observations {
            if each(observation).is_break() {
                break;
            }
        }
        Ok(())
    }

    fn sources(&self) -> Result<Vec<Source>, StoreError> {
        let sql = format!("SELECT {} FROM sources ORDER BY id", codec::SOURCE_COLUMNS);
        let mut statement = self.connection.prepare_cached(&sql)?;
        let mut rows = statement.query([])?;
        let mut sources = Vec::new();
        while let Some(row) = rows.next()? {
            sources.push(codec::source(row)?);
        }
        Ok(sources)
    }

    fn years(&self, indicator: &str) -> Result<Vec<Year>, StoreError> {
        let mut statement = self.connection.prepare_cached(
            "SELECT DISTINCT year FROM observations WHERE indicator = ?1 ORDER BY year",
        )?;
        let mut rows = statement.query([indicator])?;
        let mut years = Vec::new();
        while let Some(row) = rows.next()? {
            years.push(codec::year(row.get(0)?)?);
        }
        Ok(years)
    }

    fn postcode(&self, pc4: u16) -> Result<Option<Postcode>, StoreError> {
        let mut statement = self.connection.prepare_cached(
            "SELECT pc4, place, municipality, district, lon, lat FROM postcodes WHERE pc4 = ?1",
        )?;
        let mut rows = statement.query([pc4])?;
        rows.next()?.map(codec::postcode).transpose()
    }

    fn places(&self, parent: Option<&AreaCode>) -> Result<Vec<Place>, StoreError> {
        let mut statement = self.connection.prepare_cached(
            "SELECT p.municipality, p.name, p.lon, p.lat, p.population FROM places AS p
             LEFT JOIN areas AS a ON a.code = p.municipality
             WHERE ?1 IS NULL OR a.parent = ?1
             ORDER BY p.population IS NULL, p.population DESC, p.name",
        )?;
        let mut rows = statement.query([parent.map(AreaCode::as_str)])?;
        let mut places = Vec::new();
        while let Some(row) = rows.next()? {
            places.push(codec::place(row)?);
        }
        Ok(places)
    }

    fn latest_import(&self) -> Result<Option<BundleImport>, StoreError> {
        let sql = format!(
            "SELECT {} FROM imports ORDER BY id DESC LIMIT 1",
            codec::IMPORT_COLUMNS
        );
        let mut statement = self.connection.prepare_cached(&sql)?;
        let mut rows = statement.query([])?;
        rows.next()?.map(codec::bundle_import).transpose()
    }

    /// The largest row id of `imports`: AUTOINCREMENT never gives an id twice, so a later
    /// import always has a larger key, and SQLite answers `max` of the key from the end of its
    /// b-tree without reading the table.
    fn import_key(&self) -> Result<Option<i64>, StoreError> {
        let mut statement = self
            .connection
            .prepare_cached("SELECT max(id) FROM imports")?;
        Ok(statement.query_row([], |row| row.get::<_, Option<i64>>(0))?)
    }
}

fn write_places(transaction: &Transaction<'_>, places: &[Place]) -> Result<(), StoreError> {
    let mut statement = transaction.prepare_cached(query::UPSERT_PLACE)?;
    for place in places {
        let population = place
            .population
            .map(i64::try_from)
            .transpose()
            .map_err(|_| StoreError::Unstorable {
                what: "place",
                id: place.name.clone(),
                reason: "a population beyond what SQLite can hold",
            })?;
        statement.execute(rusqlite::params![
            place.municipality.as_str(),
            place.name,
            place.point.0,
            place.point.1,
            population,
        ])?;
    }
    Ok(())
}

fn write_import(transaction: &Transaction<'_>, bundle: &BundleImport) -> Result<(), StoreError> {
    transaction.execute(
        query::INSERT_IMPORT,
        rusqlite::params![
            bundle.bundle_id,
            bundle.bundle_name,
            bundle.bundle_version,
            bundle.manifest,
            bundle.digest,
            bundle.province.as_str(),
            bundle.settings,
            bundle.imported_at,
        ],
    )?;
    Ok(())
}
