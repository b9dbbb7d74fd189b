//! [`PgStore`]: the [`Store`] on a PostgreSQL database, for a service with several `serve`
//! instances over one shared database.
//!
//! It answers every read exactly as [`crate::SqliteStore`] does (the contract tests run the
//! same assertions against both, and the API snapshots are byte-identical): the schema has the
//! same columns with `COLLATE "C"` text and SQLite's integer and real types (see
//! `postgres/migrations/0001_initial.sql`), rows are decoded by the shared `codec`, and the
//! filtered queries come from the shared `query` module.
//!
//! An import is one transaction, as in SQLite; imports are serialised by an advisory lock, and
//! the observations (the only large table) travel by `COPY` into a temporary table and are
//! upserted from there in one statement.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::ops::ControlFlow;

use leefbaar_model::{
    Area, AreaCode, BundleImport, IndicatorDef, Method, MissingReason, Observation, Place,
    Postcode, Source, Year,
};
use postgres::types::ToSql;
use postgres::{Client, GenericClient, NoTls, Row, Statement, Transaction};

use crate::codec::{self, Columns, FactsheetColumns, KindColumns};
use crate::query::{self, Cap, Dialect, Parameter};
use crate::rules;
use crate::{AreaFilter, ImportBatch, ImportSummary, ObservationFilter, Store, StoreError};

mod migrate;
mod pool;
#[cfg(test)]
pub(crate) mod tests;
mod watch;

pub use pool::PgReadPool;

/// The advisory lock every import holds for its transaction, so that two imports into one
/// database follow each other as they do in SQLite (whose write lock allows one writer).
const IMPORT_LOCK: i64 = 0x4c45_4546_0001;

/// A [`Store`] on one PostgreSQL connection.
///
/// Like [`crate::SqliteStore`] it serves one thread at a time; a server shares a
/// [`PgReadPool`].
pub struct PgStore {
    client: RefCell<Client>,
    /// The URL as given, kept to reconnect; never printed (it may hold a password).
    url: String,
    read_only: bool,
    location: String,
    /// Prepared statements by SQL text: each costs a round trip to prepare, and the server
    /// asks the same few questions all day.
    statements: RefCell<HashMap<String, Statement>>,
    /// Note texts by id, as read (see `SqliteStore::notes`: notes never change once written).
    notes: RefCell<HashMap<i64, String>>,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore")
            .field("location", &self.location)
            .finish_non_exhaustive()
    }
}

/// `url` without its password, for messages and logs.
pub(crate) fn describe(url: &str) -> String {
    match url.parse::<postgres::Config>() {
        Ok(config) => {
            let mut text = String::from("postgres://");
            if let Some(user) = config.get_user() {
                let _ = write!(text, "{user}@");
            }
            let hosts: Vec<String> = config
                .get_hosts()
                .iter()
                .map(|host| match host {
                    postgres::config::Host::Tcp(name) => name.clone(),
                    postgres::config::Host::Unix(path) => path.display().to_string(),
                })
                .collect();
            text.push_str(&hosts.join(","));
            if let Some(port) = config.get_ports().first() {
                let _ = write!(text, ":{port}");
            }
            let _ = write!(text, "/{}", config.get_dbname().unwrap_or_default());
            text
        }
        Err(_) => "postgres://(unreadable URL)".to_owned(),
    }
}

impl PgStore {
    /// The schema version this build reads and writes (the `leefbaar_schema` table).
    pub const SCHEMA_VERSION: i64 = migrate::SCHEMA_VERSION;

    /// Connects to the database at `url` (`postgres://user@host:port/db`, any form
    /// `tokio_postgres::Config` reads) and migrates it to [`PgStore::SCHEMA_VERSION`].
    pub fn connect(url: &str) -> Result<PgStore, StoreError> {
        let mut store = PgStore::connect_unchecked(url, false)?;
        migrate::migrate(store.client.get_mut(), &store.location)?;
        Ok(store)
    }

    /// Connects for reading only: the database must already have this build's schema, and the
    /// session refuses every write (`default_transaction_read_only`).
    pub fn connect_read_only(url: &str) -> Result<PgStore, StoreError> {
        let mut store = PgStore::connect_unchecked(url, true)?;
        migrate::check(store.client.get_mut(), &store.location)?;
        Ok(store)
    }

    fn connect_unchecked(url: &str, read_only: bool) -> Result<PgStore, StoreError> {
        let location = describe(url);
        Ok(PgStore {
            client: RefCell::new(open_client(url, &location, read_only)?),
            url: url.to_owned(),
            read_only,
            location,
            statements: RefCell::default(),
            notes: RefCell::default(),
        })
    }

    /// Creates `schema` in the database at `url` (dropping a schema of that name first) and
    /// returns a URL whose sessions work in it: a way to keep several stores, or a test's
    /// throw-away store, in one database. `schema` must be a plain identifier.
    pub fn create_schema(url: &str, schema: &str) -> Result<String, StoreError> {
        if schema.is_empty()
            || !schema
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            return Err(StoreError::Unstorable {
                what: "schema",
                id: schema.to_owned(),
                reason: "a schema name is lower-case letters, digits and `_` only",
            });
        }
        let location = describe(url);
        let mut client = open_client(url, &location, false)?;
        client.batch_execute(&format!(
            "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"
        ))?;
        let joiner = if url.contains('?') { '&' } else { '?' };
        Ok(format!("{url}{joiner}options=-csearch_path%3D{schema}"))
    }

    /// The database, without its password.
    pub fn location(&self) -> &str {
        &self.location
    }

    /// The schema version recorded in the database.
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        migrate::version(&mut self.client.borrow_mut())
    }

    /// Runs `sql` with `parameters` through a cached prepared statement.
    fn query(&self, sql: &str, parameters: &[&(dyn ToSql + Sync)]) -> Result<Vec<Row>, StoreError> {
        let mut client = self.open_client()?;
        let statement = self.statement(&mut client, sql)?;
        Ok(client.query(&statement, parameters)?)
    }

    /// The connection, replaced first when it was closed: a pooled connection outlives a
    /// database restart, and would otherwise fail every request it serves from then on.
    fn open_client(&self) -> Result<std::cell::RefMut<'_, Client>, StoreError> {
        let mut client = self.client.borrow_mut();
        if client.is_closed() {
            *client = open_client(&self.url, &self.location, self.read_only)?;
            self.statements.borrow_mut().clear();
        }
        Ok(client)
    }

    /// `sql` prepared on `client`, from the cache when it was prepared before.
    fn statement(&self, client: &mut Client, sql: &str) -> Result<Statement, StoreError> {
        let mut statements = self.statements.borrow_mut();
        if let Some(statement) = statements.get(sql) {
            return Ok(statement.clone());
        }
        let statement = client.prepare(sql)?;
        statements.insert(sql.to_owned(), statement.clone());
        Ok(statement)
    }

    /// A note's text, from this connection's cache or read through `client`: the connection
    /// itself, or the transaction a row cursor holds it in (`each_observation`).
    fn cached_note(&self, client: &mut impl GenericClient, id: i64) -> Result<String, StoreError> {
        if let Some(note) = self.notes.borrow().get(&id) {
            return Ok(note.clone());
        }
        let rows = client.query("SELECT text FROM notes WHERE id = $1", &[&id])?;
        let note = match rows.first() {
            Some(row) => row.string(0)?,
            None => {
                return Err(StoreError::Corrupt {
                    what: "observation",
                    detail: format!("note {id} is not in `notes`"),
                });
            }
        };
        self.notes.borrow_mut().insert(id, note.clone());
        Ok(note)
    }

    /// Runs `sql` on the raw connection, for tests that must write what the API cannot.
    #[cfg(test)]
    pub(crate) fn execute_for_tests(&self, sql: &str) -> Result<u64, postgres::Error> {
        self.client.borrow_mut().execute(sql, &[])
    }
}

/// A connection to `url`; a read-only one refuses every write in its session.
fn open_client(url: &str, location: &str, read_only: bool) -> Result<Client, StoreError> {
    let connect_error = |source| StoreError::Connect {
        location: location.to_owned(),
        source,
    };
    let config: postgres::Config = url.parse().map_err(connect_error)?;
    let mut client = config.connect(NoTls).map_err(connect_error)?;
    if read_only {
        client.batch_execute("SET default_transaction_read_only = on")?;
    }
    Ok(client)
}

impl Columns for Row {
    fn text(&self, index: usize) -> Result<&str, StoreError> {
        Ok(self.try_get(index)?)
    }

    fn optional_text(&self, index: usize) -> Result<Option<&str>, StoreError> {
        Ok(self.try_get(index)?)
    }

    fn optional_integer(&self, index: usize) -> Result<Option<i64>, StoreError> {
        Ok(self.try_get(index)?)
    }

    fn optional_real(&self, index: usize) -> Result<Option<f64>, StoreError> {
        Ok(self.try_get(index)?)
    }
}

/// The parameters as the client takes them.
fn bound(parameters: &[Parameter]) -> Vec<&(dyn ToSql + Sync)> {
    parameters
        .iter()
        .map(|parameter| match parameter {
            Parameter::Text(text) => text as &(dyn ToSql + Sync),
            Parameter::Integer(number) => number as &(dyn ToSql + Sync),
        })
        .collect()
}

fn wide(number: impl Into<i64>) -> i64 {
    number.into()
}

fn year_number(year: Year) -> i64 {
    i64::from(year.get())
}

fn check_references(
    transaction: &mut Transaction<'_>,
    batch: &ImportBatch,
) -> Result<(), StoreError> {
    let (other_areas, other_indicators) = rules::references_outside(batch);
    let checks = [
        (
            "area",
            "SELECT EXISTS (SELECT 1 FROM areas WHERE code = $1)",
            other_areas,
        ),
        (
            "indicator",
            "SELECT EXISTS (SELECT 1 FROM indicators WHERE id = $1)",
            other_indicators,
        ),
    ];
    for (what, sql, ids) in checks {
        if ids.is_empty() {
            continue;
        }
        let exists = transaction.prepare(sql)?;
        for id in ids {
            let found: bool = transaction.query_one(&exists, &[&id])?.try_get(0)?;
            if !found {
                return Err(StoreError::UnknownReference {
                    what,
                    id: id.to_owned(),
                });
            }
        }
    }
    Ok(())
}

fn indicator_positions(
    transaction: &mut Transaction<'_>,
    batch: &ImportBatch,
) -> Result<Vec<i64>, StoreError> {
    let stored: HashMap<String, i64> = transaction
        .query("SELECT id, position FROM indicators", &[])?
        .iter()
        .map(|row| Ok((row.try_get(0)?, row.try_get(1)?)))
        .collect::<Result<_, postgres::Error>>()?;
    Ok(rules::positions(&stored, batch))
}

fn write_sources(transaction: &mut Transaction<'_>, sources: &[Source]) -> Result<(), StoreError> {
    let upsert = transaction.prepare(query::UPSERT_SOURCE)?;
    for source in sources {
        transaction.execute(
            &upsert,
            &[
                &source.id,
                &source.file,
                &source.table,
                &source.licence,
                &source.attribution,
                &source.imported_at,
            ],
        )?;
    }
    Ok(())
}

fn write_areas(transaction: &mut Transaction<'_>, areas: &[Area]) -> Result<(), StoreError> {
    let upsert = transaction.prepare(query::UPSERT_AREA)?;
    for area in areas {
        transaction.execute(
            &upsert,
            &[
                &area.code.as_str(),
                &area.level().as_str(),
                &area.name,
                &area.parent.as_ref().map(AreaCode::as_str),
                &year_number(area.first_year),
                &year_number(area.last_year),
                &area.geometry_geojson,
            ],
        )?;
    }
    Ok(())
}

fn write_indicators(
    transaction: &mut Transaction<'_>,
    indicators: &[IndicatorDef],
    positions: &[i64],
) -> Result<(), StoreError> {
    let upsert = transaction.prepare(query::UPSERT_INDICATOR)?;
    for (indicator, position) in indicators.iter().zip(positions) {
        let kind = KindColumns::of(&indicator.kind);
        let factsheet = FactsheetColumns::of(indicator.factsheet.as_ref());
        transaction.execute(
            &upsert,
            &[
                &indicator.id,
                position,
                &indicator.name.nl,
                &indicator.name.en,
                &indicator.description.nl,
                &indicator.description.en,
                &indicator.theme,
                &indicator.unit.as_str(),
                &kind.kind,
                &kind.variable,
                &kind.numerator,
                &kind.denominator,
                &kind.per,
                &kind.total,
                &kind.count_variable,
                &kind.of_indicator,
                &kind.years.map(wide),
                &kind.relative.map(i64::from),
                &kind.base_year.map(wide),
                &wide(indicator.decimals),
                &indicator.source,
                &factsheet.tile.map(wide),
                &i64::from(factsheet.latest),
                &factsheet.chart,
                &factsheet.label_nl,
                &factsheet.label_en,
                &factsheet.ranking.map(wide),
                &factsheet.sheet,
            ],
        )?;
    }
    Ok(())
}

/// The id of each note text, adding the texts the database does not have yet.
fn note_ids<'batch>(
    transaction: &mut Transaction<'_>,
    observations: &'batch [Observation],
) -> Result<HashMap<&'batch str, i64>, StoreError> {
    let find = transaction.prepare("SELECT id FROM notes WHERE text = $1")?;
    let add = transaction.prepare("INSERT INTO notes (text) VALUES ($1) RETURNING id")?;
    let mut ids = HashMap::new();
    for observation in observations {
        let note = observation.provenance.note.as_str();
        if ids.contains_key(note) {
            continue;
        }
        let id: i64 = match transaction.query_opt(&find, &[&note])? {
            Some(row) => row.try_get(0)?,
            None => transaction.query_one(&add, &[&note])?.try_get(0)?,
        };
        ids.insert(note, id);
    }
    Ok(ids)
}

/// `text` as a field of PostgreSQL's COPY text format.
fn copy_field(out: &mut String, text: &str) {
    for character in text.chars() {
        match character {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            other => out.push(other),
        }
    }
}

fn write_observations(
    transaction: &mut Transaction<'_>,
    observations: &[Observation],
) -> Result<(), StoreError> {
    if observations.is_empty() {
        return Ok(());
    }
    let notes = note_ids(transaction, observations)?;
    // SQLite upserts row by row, so of two rows with one key the later wins; one INSERT …
    // SELECT may not touch a row twice, so the batch keeps only the last of each key first.
    let mut last_of_key: HashMap<(&str, &str, Year), usize> = HashMap::new();
    for (index, observation) in observations.iter().enumerate() {
        last_of_key.insert(
            (
                observation.indicator.as_str(),
                observation.area.as_str(),
                observation.year,
            ),
            index,
        );
    }
    transaction.batch_execute(
        "CREATE TEMPORARY TABLE observations_in (LIKE observations INCLUDING DEFAULTS)
             ON COMMIT DROP",
    )?;
    let mut copy = transaction.copy_in(
        "COPY observations_in (indicator, area, year, value, missing_reason, method, parts,
             note_id, source_rows) FROM STDIN",
    )?;
    let mut line = String::new();
    for (index, observation) in observations.iter().enumerate() {
        let key = (
            observation.indicator.as_str(),
            observation.area.as_str(),
            observation.year,
        );
        if last_of_key.get(&key) != Some(&index) {
            continue;
        }
        line.clear();
        let provenance = &observation.provenance;
        copy_field(&mut line, &observation.indicator);
        line.push('\t');
        copy_field(&mut line, observation.area.as_str());
        let _ = write!(line, "\t{}\t", observation.year.get());
        // Rust prints the shortest text that reads back as the same double, and PostgreSQL
        // reads it correctly rounded: the value arrives bit for bit.
        match observation.value.value() {
            Some(number) => {
                let _ = write!(line, "{number}");
            }
            None => line.push_str("\\N"),
        }
        line.push('\t');
        match observation.value.missing_reason() {
            Some(reason) => copy_field(&mut line, MissingReason::as_str(reason)),
            None => line.push_str("\\N"),
        }
        line.push('\t');
        match provenance.method {
            Some(method) => copy_field(&mut line, Method::as_str(method)),
            None => line.push_str("\\N"),
        }
        let _ = write!(
            line,
            "\t{}\t{}\t",
            provenance.parts,
            notes[provenance.note.as_str()]
        );
        copy_field(&mut line, &codec::encode_source_rows(&provenance.rows));
        line.push('\n');
        copy.write_all(line.as_bytes())?;
    }
    copy.finish()?;
    transaction.batch_execute(
        "INSERT INTO observations (indicator, area, year, value, missing_reason, method, parts,
             note_id, source_rows)
         SELECT indicator, area, year, value, missing_reason, method, parts, note_id,
             source_rows
         FROM observations_in
         ON CONFLICT (indicator, area, year) DO UPDATE SET
             value = excluded.value, missing_reason = excluded.missing_reason,
             method = excluded.method, parts = excluded.parts, note_id = excluded.note_id,
             source_rows = excluded.source_rows",
    )?;
    Ok(())
}

fn write_postcodes(
    transaction: &mut Transaction<'_>,
    postcodes: &[Postcode],
) -> Result<(), StoreError> {
    let upsert = transaction.prepare(query::UPSERT_POSTCODE)?;
    for postcode in postcodes {
        transaction.execute(
            &upsert,
            &[
                &wide(postcode.pc4),
                &postcode.place,
                &postcode.municipality.as_str(),
                &postcode.district.as_ref().map(AreaCode::as_str),
                &postcode.point.map(|p| p.0),
                &postcode.point.map(|p| p.1),
            ],
        )?;
    }
    Ok(())
}

fn write_places(transaction: &mut Transaction<'_>, places: &[Place]) -> Result<(), StoreError> {
    let upsert = transaction.prepare(query::UPSERT_PLACE)?;
    for place in places {
        let population = place
            .population
            .map(i64::try_from)
            .transpose()
            .map_err(|_| StoreError::Unstorable {
                what: "place",
                id: place.name.clone(),
                reason: "a population beyond what the store can hold",
            })?;
        transaction.execute(
            &upsert,
            &[
                &place.municipality.as_str(),
                &place.name,
                &place.point.0,
                &place.point.1,
                &population,
            ],
        )?;
    }
    Ok(())
}

fn write_import(
    transaction: &mut Transaction<'_>,
    bundle: &BundleImport,
) -> Result<(), StoreError> {
    transaction.execute(
        query::INSERT_IMPORT,
        &[
            &bundle.bundle_id,
            &bundle.bundle_name,
            &bundle.bundle_version,
            &bundle.manifest,
            &bundle.digest,
            &bundle.province.as_str(),
            &bundle.settings,
            &bundle.imported_at,
        ],
    )?;
    Ok(())
}

impl Store for PgStore {
    fn import(&mut self, batch: &ImportBatch) -> Result<ImportSummary, StoreError> {
        rules::validate(batch)?;
        let client = self.client.get_mut();
        let mut transaction = client.transaction()?;
        transaction.execute("SELECT pg_advisory_xact_lock($1)", &[&IMPORT_LOCK])?;
        check_references(&mut transaction, batch)?;
        let positions = indicator_positions(&mut transaction, batch)?;
        write_sources(&mut transaction, &batch.sources)?;
        write_areas(&mut transaction, &batch.areas)?;
        write_indicators(&mut transaction, &batch.indicators, &positions)?;
        write_observations(&mut transaction, &batch.observations)?;
        write_postcodes(&mut transaction, &batch.postcodes)?;
        write_places(&mut transaction, &batch.places)?;
        if let Some(bundle) = &batch.bundle {
            write_import(&mut transaction, bundle)?;
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
        let (sql, parameters) = query::area_query(filter, Dialect::Postgres);
        self.query(&sql, &bound(&parameters))?
            .iter()
            .map(codec::area)
            .collect()
    }

    fn indicators(&self) -> Result<Vec<IndicatorDef>, StoreError> {
        let sql = format!(
            "SELECT {} FROM indicators ORDER BY position, id",
            codec::INDICATOR_COLUMNS
        );
        self.query(&sql, &[])?
            .iter()
            .map(codec::indicator)
            .collect()
    }

    fn each_observation(
        &self,
        filter: &ObservationFilter,
        each: &mut dyn FnMut(Observation) -> ControlFlow<()>,
    ) -> Result<(), StoreError> {
        /// Rows fetched per round trip: few enough to keep memory flat, many enough that the
        /// round trips do not dominate.
        const BATCH: i32 = 2_000;
        let query = query::observation_query(filter, Dialect::Postgres, Cap::Streamed);
        let mut client = self.open_client()?;
        let statement = self.statement(&mut client, &query.sql)?;
        // A portal (a cursor) lives in a transaction: read only, like the connection.
        let mut transaction = client.transaction()?;
        let portal = transaction.bind(&statement, &bound(&query.parameters))?;
        loop {
            let rows = transaction.query_portal(&portal, BATCH)?;
            for row in &rows {
                let note_id = row.integer(codec::OBSERVATION_NOTE_ID)?;
                let note = self.cached_note(&mut transaction, note_id)?;
                if each(codec::observation(row, note)?).is_break() {
                    return Ok(());
                }
            }
            if rows.len() < usize::try_from(BATCH).unwrap_or(usize::MAX) {
                break;
            }
        }
        transaction.commit()?;
        Ok(())
    }

    fn observations(&self, filter: &ObservationFilter) -> Result<Vec<Observation>, StoreError> {
        let query = query::observation_query(filter, Dialect::Postgres, Cap::Capped);
        let rows = self.query(&query.sql, &bound(&query.parameters))?;
        let mut observations = Vec::with_capacity(rows.len());
        let mut client = self.open_client()?;
        for row in &rows {
            let note_id = row.integer(codec::OBSERVATION_NOTE_ID)?;
            let note = self.cached_note(&mut *client, note_id)?;
            observations.push(codec::observation(row, note)?);
        }
        query.finish(&mut observations);
        Ok(observations)
    }

    fn sources(&self) -> Result<Vec<Source>, StoreError> {
        let sql = format!("SELECT {} FROM sources ORDER BY id", codec::SOURCE_COLUMNS);
        self.query(&sql, &[])?.iter().map(codec::source).collect()
    }

    fn years(&self, indicator: &str) -> Result<Vec<Year>, StoreError> {
        self.query(
            "SELECT DISTINCT year FROM observations WHERE indicator = $1 ORDER BY year",
            &[&indicator],
        )?
        .iter()
        .map(|row| codec::year(row.integer(0)?))
        .collect()
    }

    fn postcode(&self, pc4: u16) -> Result<Option<Postcode>, StoreError> {
        self.query(
            "SELECT pc4, place, municipality, district, lon, lat FROM postcodes WHERE pc4 = $1",
            &[&wide(pc4)],
        )?
        .first()
        .map(codec::postcode)
        .transpose()
    }

    fn places(&self, parent: Option<&AreaCode>) -> Result<Vec<Place>, StoreError> {
        self.query(
            "SELECT p.municipality, p.name, p.lon, p.lat, p.population FROM places AS p
             LEFT JOIN areas AS a ON a.code = p.municipality
             WHERE $1::TEXT IS NULL OR a.parent = $1
             ORDER BY p.population IS NULL, p.population DESC, p.name",
            &[&parent.map(AreaCode::as_str)],
        )?
        .iter()
        .map(codec::place)
        .collect()
    }

    fn import_key(&self) -> Result<Option<i64>, StoreError> {
        self.query("SELECT max(id) FROM imports", &[])?
            .first()
            .map_or(Ok(None), |row| row.optional_integer(0))
    }

    fn latest_import(&self) -> Result<Option<BundleImport>, StoreError> {
        let sql = format!(
            "SELECT {} FROM imports ORDER BY id DESC LIMIT 1",
            codec::IMPORT_COLUMNS
        );
        self.query(&sql, &[])?
            .first()
            .map(codec::bundle_import)
            .transpose()
    }
}
