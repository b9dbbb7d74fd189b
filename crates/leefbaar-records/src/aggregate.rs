//! From valid records to figures per area and year: counts, shares of a code, transition
//! matrices and linked shares, every one protected by the shared disclosure control
//! (`leefbaar_survey`'s [`NestedPartition`](leefbaar_survey::NestedPartition)) before it
//! leaves the crate.
//!
//! # What the protection covers
//! Each figure is protected with everything it publishes: every level of the area tree, its
//! margin (column shares over all rows, with the area's n) and its rows (with their n). Then
//! the figures of one record kind and year are protected **jointly** (`joint.rs`): every count
//! any of them implies (cells as share × n, row and margin n's, totals at every area level) is
//! a sum over the same records per leaf area × every variable the figures read (a comparison
//! read as the two fields it compares, through their declared levels), and cells are withheld
//! until no withheld value somebody is in follows from the shown ones across figures. So
//! advice × start level next to advice × below/at/above, a share table next to a matrix on the
//! same field, or two matrices sharing their area totals give nothing away together (the joint
//! attack tests); each figure's own system is checked first, so a figure published beside
//! others withholds at least what it withholds alone. What stays open: figures of one kind
//! requested in *separate* calls are not protected together (ask for everything a page shows
//! in one call), and figures of different kinds (pupils and schools) are taken as independent.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use leefbaar_model::{AreaCode, Year};
use leefbaar_survey::{DisclosureRule, Published, protect_difference};

use crate::area::AreaTree;
use crate::error::AggregateError;
use crate::import::{Records, Value};
use crate::joint::{Axis, JointFigure, Var, protect_jointly};
use crate::protect::{Counts, ProtectedCell, protect_counts, protect_matrix, protect_shares};
use crate::schema::{COMPARISON_CODES, FieldType, Kind, Label, Schema};

/// A figure to compute from the records of one kind, per area and year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FigureSpec {
    /// Its id (becomes the indicator id of the observations).
    pub id: String,
    /// The record kind counted.
    pub kind: String,
    /// What is computed.
    pub figure: Figure,
}

/// What a figure computes. Fields are paths: a code field of the kind (`definitive_advice`),
/// one of its comparisons (`start_vs_advice`), or a code field of a linked record
/// (`father.low_income`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Figure {
    /// The number of records.
    Count,
    /// The share of each code of a field, among the records where it is given.
    Shares {
        /// The field.
        field: String,
    },
    /// A transition matrix: for each code of `rows`, the shares of the codes of `columns`,
    /// among the records where both are given; with the column shares over all rows as the
    /// margin. A *linked share* is a matrix whose columns go through a link: rows
    /// `low_income`, columns `father.low_income` give the share of poor fathers among the
    /// poor young adults (row `yes`) and among all of them (the margin).
    Matrix {
        /// The field whose codes are the rows.
        rows: String,
        /// The field whose codes are the columns.
        columns: String,
    },
}

/// A code as a row or column of a figure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeLabel {
    /// The code.
    pub code: String,
    /// Its label.
    pub label: Label,
}

/// What a figure's values are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// A number of persons.
    Persons,
    /// A share between 0 and 1 (of the row's persons, or the area's for a margin).
    Share,
}

/// One published value: the caller turns it into an observation (value, n, suppression
/// reason) as it is, deciding nothing.
#[derive(Debug, Clone, PartialEq)]
pub struct FigureCell {
    /// The area.
    pub area: AreaCode,
    /// The year, when the kind has one.
    pub year: Option<Year>,
    /// The row of a matrix; `None` for a margin and for counts and shares.
    pub row: Option<usize>,
    /// The column (0 for a count).
    pub column: usize,
    /// The value with its n, or why it is withheld.
    pub value: Published<f64>,
}

/// One computed figure: labels and every cell for every area and year.
#[derive(Debug, Clone, PartialEq)]
pub struct FigureTable {
    /// The figure's id.
    pub id: String,
    /// The record kind.
    pub kind: String,
    /// The unit of the cells.
    pub unit: Unit,
    /// The rows of a matrix (empty otherwise).
    pub rows: Vec<CodeLabel>,
    /// The columns (one, `count`, for a count).
    pub columns: Vec<CodeLabel>,
    /// Every cell, by year, area (tree order), row (margin first) and column.
    pub cells: Vec<FigureCell>,
}

impl FigureTable {
    /// The cell of an area, year, row and column.
    pub fn cell(
        &self,
        area: &str,
        year: Option<Year>,
        row: Option<usize>,
        column: usize,
    ) -> Option<&FigureCell> {
        self.cells.iter().find(|c| {
            c.area.as_str() == area && c.year == year && c.row == row && c.column == column
        })
    }
}

/// The published difference of two cells (a change between years, a gap between areas):
/// withheld whenever either is, through the shared `protect_difference`, and based on the
/// smaller of their n.
pub fn difference(
    first: &FigureCell,
    second: &FigureCell,
    rule: &DisclosureRule,
) -> Published<f64> {
    let value = match (first.value.value(), second.value.value()) {
        (Some(a), Some(b)) => Published::estimate(
            a - b,
            first
                .value
                .n()
                .unwrap_or(0)
                .min(second.value.n().unwrap_or(0)),
            rule,
        ),
        _ => Published::suppressed(leefbaar_survey::Suppression::Secondary),
    };
    protect_difference(value, &first.value, &second.value)
}

/// A resolved path to a code.
enum Path {
    Own(usize),
    Comparison {
        field: usize,
        against: usize,
        ranges: Vec<(u8, u8)>,
        against_ranges: Vec<(u8, u8)>,
    },
    Linked {
        link: usize,
        kind: usize,
        inner: Box<Path>,
    },
}

impl Path {
    fn resolve(
        schema: &Schema,
        kind_index: usize,
        path: &str,
        figure: &str,
    ) -> Result<(Path, Vec<CodeLabel>), AggregateError> {
        let kind = &schema.kinds[kind_index];
        let not_code = |link| AggregateError::NotACodeField {
            figure: figure.to_owned(),
            kind: kind.name.clone(),
            path: path.to_owned(),
            link,
        };
        if let Some((link, rest)) = path.split_once('.') {
            let column = kind.field_index(link).ok_or_else(|| not_code(true))?;
            let FieldType::Link(target) = &kind.fields[column].field_type else {
                return Err(not_code(true));
            };
            let target = schema.kind_index(target).expect("checked by the schema");
            let (inner, labels) =
                Path::resolve(schema, target, rest, figure).map_err(|_| not_code(true))?;
            return Ok((
                Path::Linked {
                    link: column,
                    kind: target,
                    inner: Box::new(inner),
                },
                labels,
            ));
        }
        if let Some(comparison) = kind.comparisons.iter().find(|c| c.name == path) {
            let ranges = |name: &str| {
                code_list(schema, kind, name)
                    .codes
                    .iter()
                    .map(|c| c.level_range().expect("checked by the schema"))
                    .collect()
            };
            let labels = COMPARISON_CODES
                .iter()
                .zip([("lager", "below"), ("gelijk", "at"), ("hoger", "above")])
                .map(|(code, (nl, en))| CodeLabel {
                    code: (*code).to_owned(),
                    label: Label {
                        nl: nl.to_owned(),
                        en: en.to_owned(),
                    },
                })
                .collect();
            return Ok((
                Path::Comparison {
                    field: kind
                        .field_index(&comparison.field)
                        .expect("checked by the schema"),
                    against: kind
                        .field_index(&comparison.against)
                        .expect("checked by the schema"),
                    ranges: ranges(&comparison.field),
                    against_ranges: ranges(&comparison.against),
                },
                labels,
            ));
        }
        let column = kind.field_index(path).ok_or_else(|| not_code(false))?;
        let FieldType::Code(list) = &kind.fields[column].field_type else {
            return Err(not_code(false));
        };
        let labels = schema.code_lists[list]
            .codes
            .iter()
            .map(|c| CodeLabel {
                code: c.code.clone(),
                label: Label {
                    nl: c.nl.clone(),
                    en: c.en.clone(),
                },
            })
            .collect();
        Ok((Path::Own(column), labels))
    }

    /// The variables the path reads, for the joint check (`joint.rs`): a field of the kind,
    /// the two fields of a comparison, or the field of a linked record; `prefix` holds the
    /// link columns followed so far and `missing` whether one of them may be empty.
    fn axis(&self, schema: &Schema, kind: usize, prefix: &[usize], missing: bool) -> Axis {
        let fields = &schema.kinds[kind].fields;
        let var = |column: usize, codes: usize| Var {
            key: prefix.iter().copied().chain([column]).collect(),
            codes,
            may_miss: missing || fields[column].optional,
        };
        match self {
            Path::Own(column) => {
                let FieldType::Code(list) = &fields[*column].field_type else {
                    unreachable!("resolved to a code field")
                };
                Axis {
                    vars: vec![var(*column, schema.code_lists[list].codes.len())],
                    comparison: None,
                }
            }
            Path::Comparison {
                field,
                against,
                ranges,
                against_ranges,
            } => Axis {
                vars: vec![
                    var(*field, ranges.len()),
                    var(*against, against_ranges.len()),
                ],
                comparison: Some((ranges.clone(), against_ranges.clone())),
            },
            Path::Linked {
                link,
                kind: target,
                inner,
            } => {
                let prefix: Vec<usize> = prefix.iter().copied().chain([*link]).collect();
                inner.axis(schema, *target, &prefix, missing || fields[*link].optional)
            }
        }
    }

    /// The code of a record, if given.
    fn code(&self, records: &Records, kind: usize, row: usize) -> Option<usize> {
        let columns = &records.table(kind).columns;
        match self {
            Path::Own(column) => match columns[*column][row] {
                Value::Code(code) => Some(usize::from(code)),
                _ => None,
            },
            Path::Comparison {
                field,
                against,
                ranges,
                against_ranges,
            } => {
                let (Value::Code(f), Value::Code(a)) =
                    (columns[*field][row], columns[*against][row])
                else {
                    return None;
                };
                let (f_low, f_high) = ranges[usize::from(f)];
                let (a_low, a_high) = against_ranges[usize::from(a)];
                Some(if f_high < a_low {
                    0
                } else if f_low > a_high {
                    2
                } else {
                    1
                })
            }
            Path::Linked { link, kind, inner } => match columns[*link][row] {
                Value::Link(target) => inner.code(records, *kind, target as usize),
                _ => None,
            },
        }
    }
}

fn code_list<'a>(schema: &'a Schema, kind: &Kind, field: &str) -> &'a crate::schema::CodeList {
    let column = kind.field_index(field).expect("checked by the schema");
    let FieldType::Code(list) = &kind.fields[column].field_type else {
        unreachable!("checked by the schema")
    };
    &schema.code_lists[list]
}

impl Records {
    /// Computes and protects the figures, per area of `areas` (each record counted in its
    /// area and every area above it) and per year of the records.
    pub fn figures(
        &self,
        areas: &AreaTree,
        specs: &[FigureSpec],
        rule: &DisclosureRule,
    ) -> Result<Vec<FigureTable>, AggregateError> {
        let prepared: Vec<Prepared<'_>> = specs
            .iter()
            .map(|spec| self.prepare(areas, spec))
            .collect::<Result<_, _>>()?;
        // Each (figure, year) is protected on its own (no figure ties two years or two
        // figures together), so the jobs run on every core, largest tables first: the exact
        // checks dominate the time.
        let mut jobs: Vec<(usize, usize)> = prepared
            .iter()
            .enumerate()
            .flat_map(|(t, p)| (0..p.counts.len()).map(move |y| (t, y)))
            .collect();
        jobs.sort_by_key(|&(t, y)| std::cmp::Reverse((prepared[t].counts[y].size(), t, y)));
        let results: Vec<Mutex<Option<JobResult>>> =
            jobs.iter().map(|_| Mutex::new(None)).collect();
        let next = AtomicUsize::new(0);
        let threads = std::thread::available_parallelism()
            .map_or(1, std::num::NonZero::get)
            .min(jobs.len())
            .max(1);
        std::thread::scope(|scope| {
            for _ in 0..threads {
                scope.spawn(|| {
                    loop {
                        let k = next.fetch_add(1, Ordering::Relaxed);
                        let Some(&(t, y)) = jobs.get(k) else { break };
                        let protected =
                            protect_one(areas, &prepared[t], y, rule).map(|mut cells| {
                                // The figure's own system first, with the structure of its codes
                                // (`joint.rs`): what it withholds here, it withholds beside any
                                // other figure too, so protecting together only adds to it.
                                protect_jointly(
                                    areas,
                                    &mut [JointFigure {
                                        axes: &prepared[t].axes,
                                        counts: &prepared[t].counts[y],
                                        cells: &mut cells,
                                    }],
                                );
                                cells
                            });
                        *results[k].lock().expect("no worker panics holding it") = Some(protected);
                    }
                });
            }
        });
        let mut by_job: Vec<Option<JobResult>> = results
            .into_iter()
            .map(|r| r.into_inner().expect("no worker panics holding it"))
            .collect();
        // The cells of every figure and year, protected one by one.
        let mut protected: Vec<Vec<Vec<ProtectedCell>>> = Vec::new();
        for (t, p) in prepared.iter().enumerate() {
            let mut years = Vec::new();
            for y in 0..p.years.len() {
                let k = jobs
                    .iter()
                    .position(|&job| job == (t, y))
                    .expect("one job per year");
                years.push(by_job[k].take().expect("every job ran")?);
            }
            protected.push(years);
        }
        Records::protect_jointly(areas, &prepared, &mut protected);
        let mut tables = Vec::new();
        for (prepared, protected) in prepared.into_iter().zip(protected) {
            let mut cells = Vec::new();
            for (year, protected) in prepared.years.iter().zip(protected) {
                let year = year.map(|y| Year::new(y).expect("import checks years"));
                cells.extend(
                    protected
                        .into_iter()
                        .map(|(area, row, column, value)| FigureCell {
                            area: areas.code(area).clone(),
                            year,
                            row,
                            column,
                            value,
                        }),
                );
            }
            tables.push(FigureTable {
                id: prepared.spec.id.clone(),
                kind: prepared.spec.kind.clone(),
                unit: prepared.unit,
                rows: prepared.rows,
                columns: prepared.columns,
                cells,
            });
        }
        Ok(tables)
    }

    /// Protects the figures of each record kind and year together (`joint.rs`): every
    /// (kind, year) is one system, checked on its own core, since records of different kinds
    /// or years share no count.
    fn protect_jointly(
        areas: &AreaTree,
        prepared: &[Prepared<'_>],
        protected: &mut [Vec<Vec<ProtectedCell>>],
    ) {
        // (kind, year) -> the figures of the kind, with their cells of that year.
        let mut groups: Vec<JointGroup<'_, '_>> = Vec::new();
        for (t, years) in protected.iter_mut().enumerate() {
            for (y, cells) in years.iter_mut().enumerate() {
                let kind = prepared[t].spec.kind.as_str();
                match groups.iter_mut().find(|g| g.0 == kind && g.1 == y) {
                    Some(group) => group.2.push((t, cells)),
                    None => groups.push((kind, y, vec![(t, cells)])),
                }
            }
        }
        // A kind with one figure was checked as a whole already.
        groups.retain(|g| g.2.len() > 1);
        // Largest systems first (taken from the end); one worker per core.
        groups.sort_by_key(|g| g.2.iter().map(|(_, c)| c.len()).sum::<usize>());
        let queue = Mutex::new(groups);
        let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        std::thread::scope(|scope| {
            for _ in 0..threads {
                scope.spawn(|| {
                    loop {
                        let Some((_, y, figures)) =
                            queue.lock().expect("no worker panics holding it").pop()
                        else {
                            break;
                        };
                        let mut joint: Vec<JointFigure<'_>> = figures
                            .into_iter()
                            .map(|(t, cells)| JointFigure {
                                axes: &prepared[t].axes,
                                counts: &prepared[t].counts[y],
                                cells,
                            })
                            .collect();
                        protect_jointly(areas, &mut joint);
                    }
                });
            }
        });
    }

    /// Resolves a figure's fields and counts its records per year, area, row and column.
    fn prepare<'s>(
        &self,
        areas: &AreaTree,
        spec: &'s FigureSpec,
    ) -> Result<Prepared<'s>, AggregateError> {
        let schema = self.schema();
        let kind_index =
            schema
                .kind_index(&spec.kind)
                .ok_or_else(|| AggregateError::UnknownKind {
                    figure: spec.id.clone(),
                    kind: spec.kind.clone(),
                })?;
        let kind = &schema.kinds[kind_index];
        let (row_path, rows, column_path, columns, unit) = match &spec.figure {
            Figure::Count => (
                None,
                Vec::new(),
                None,
                vec![CodeLabel {
                    code: "count".to_owned(),
                    label: Label {
                        nl: "aantal".to_owned(),
                        en: "count".to_owned(),
                    },
                }],
                Unit::Persons,
            ),
            Figure::Shares { field } => {
                let (path, labels) = Path::resolve(schema, kind_index, field, &spec.id)?;
                (None, Vec::new(), Some(path), labels, Unit::Share)
            }
            Figure::Matrix { rows, columns } => {
                let (row_path, row_labels) = Path::resolve(schema, kind_index, rows, &spec.id)?;
                let (column_path, column_labels) =
                    Path::resolve(schema, kind_index, columns, &spec.id)?;
                (
                    Some(row_path),
                    row_labels,
                    Some(column_path),
                    column_labels,
                    Unit::Share,
                )
            }
        };
        let table = self.table(kind_index);
        let area_column = kind.field_index(&kind.area).expect("checked by the schema");
        let year_column = kind
            .year
            .as_ref()
            .map(|y| kind.field_index(y).expect("checked by the schema"));
        let mut years: Vec<Option<u16>> = match year_column {
            Some(column) => table.columns[column]
                .iter()
                .filter_map(|v| match v {
                    Value::Year(y) => Some(Some(*y)),
                    _ => None,
                })
                .collect(),
            None => vec![None],
        };
        years.sort_unstable();
        years.dedup();
        let n_rows = rows.len().max(1);
        let n_columns = columns.len();
        let mut counts: Vec<Counts> = years
            .iter()
            .map(|_| Counts::new(areas.len(), n_rows, n_columns))
            .collect();
        for row in 0..table.len() {
            let Value::Area(area) = table.columns[area_column][row] else {
                unreachable!("the area is required")
            };
            let year = match year_column {
                Some(column) => match table.columns[column][row] {
                    Value::Year(y) => years.binary_search(&Some(y)).expect("collected above"),
                    _ => unreachable!("the year is required"),
                },
                None => 0,
            };
            let r = match &row_path {
                Some(path) => match path.code(self, kind_index, row) {
                    Some(code) => code,
                    None => continue,
                },
                None => 0,
            };
            let c = match &column_path {
                Some(path) => match path.code(self, kind_index, row) {
                    Some(code) => code,
                    None => continue,
                },
                None => 0,
            };
            if (area as usize) >= areas.len() {
                return Err(AggregateError::UnknownArea {
                    area: format!("#{area}"),
                });
            }
            for a in areas.lineage(area as usize) {
                counts[year].add(a, r, c);
            }
        }
        let axes = [&row_path, &column_path]
            .into_iter()
            .flatten()
            .map(|path| path.axis(schema, kind_index, &[], false))
            .collect();
        Ok(Prepared {
            spec,
            axes,
            unit,
            rows,
            columns,
            years,
            counts,
        })
    }
}

/// The figures of one kind (its name) in one year (its index), each with its cells of the year.
type JointGroup<'k, 'c> = (&'k str, usize, Vec<(usize, &'c mut Vec<ProtectedCell>)>);

/// The protected cells of one year of one figure.
type JobResult = Result<Vec<ProtectedCell>, AggregateError>;

/// A figure resolved and counted, waiting for protection.
struct Prepared<'s> {
    spec: &'s FigureSpec,
    /// What the figure reads, for the joint check: none for a count, the columns for shares,
    /// the rows and columns of a matrix.
    axes: Vec<Axis>,
    unit: Unit,
    rows: Vec<CodeLabel>,
    columns: Vec<CodeLabel>,
    years: Vec<Option<u16>>,
    counts: Vec<Counts>,
}

/// Protects one year of one figure.
fn protect_one(
    areas: &AreaTree,
    prepared: &Prepared<'_>,
    year: usize,
    rule: &DisclosureRule,
) -> Result<Vec<ProtectedCell>, AggregateError> {
    let counts = &prepared.counts[year];
    Ok(match &prepared.spec.figure {
        Figure::Count => protect_counts(areas, counts, rule)?
            .into_iter()
            .map(|(area, value)| (area, None, 0, value))
            .collect(),
        Figure::Shares { .. } => protect_shares(areas, counts, rule)?
            .into_iter()
            .enumerate()
            .flat_map(|(area, row)| {
                row.into_iter()
                    .enumerate()
                    .map(move |(c, value)| (area, None, c, value))
            })
            .collect(),
        Figure::Matrix { .. } => protect_matrix(areas, counts, rule)?,
    })
}
