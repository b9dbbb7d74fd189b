//! The input files of reach: population points (origins) and facilities, as CSV, read into the
//! engine's [`Origin`]s and [`Facility`]s with the names of their areas and facilities. Every
//! bad record is reported with its file, line and field.

use std::collections::BTreeMap;
use std::path::Path;

use leefbaar_ingest::GridSpec;
use leefbaar_model::{AreaCode, AreaLevel};
use leefbaar_network::{Facility, Origin, Wgs84Point};

use super::dasymetric;
use crate::error::{MonitorError, record};

/// The origins and facilities of a reach computation, with the names of the origins' areas.
#[derive(Debug, Clone, Default)]
pub struct ReachInputs {
    /// Population points.
    pub origins: Vec<Origin>,
    /// Facilities of every kind.
    pub facilities: Vec<Facility>,
    /// Names of the areas the origins lie in (neighbourhoods of the bundled map have none and
    /// are named by their code).
    pub names: BTreeMap<AreaCode, String>,
    /// Names of the facilities by (kind, id).
    pub facility_names: BTreeMap<(String, String), String>,
    /// The ground a grid part stands for (its share of its 1 km² cell, in m²), by origin id;
    /// centroids have none.
    pub ground_m2: BTreeMap<String, f64>,
}

/// Reads a CSV into records of `columns`, with their line numbers; a missing column is an
/// error on line 1.
pub(crate) fn read_csv(
    path: &Path,
    columns: &[&str],
) -> Result<Vec<(u64, Vec<String>)>, MonitorError> {
    read_csv_optional(path, columns, &[])
}

/// [`read_csv`] with `optional` columns after the required ones in each record, empty where the
/// file lacks them.
fn read_csv_optional(
    path: &Path,
    columns: &[&str],
    optional: &[&str],
) -> Result<Vec<(u64, Vec<String>)>, MonitorError> {
    let text = fs_err::read(path)?;
    let mut reader = csv::Reader::from_reader(text.as_slice());
    let headers = reader
        .headers()
        .map_err(|e| record(path, 1, None, e.to_string()))?
        .clone();
    let position = |column: &str| headers.iter().position(|h| h == column);
    let positions: Vec<Option<usize>> = columns
        .iter()
        .map(|column| {
            position(column)
                .map(Some)
                .ok_or_else(|| record(path, 1, Some(column), "the column is missing"))
        })
        .chain(optional.iter().map(|column| Ok(position(column))))
        .collect::<Result<_, _>>()?;
    let mut rows = Vec::new();
    for result in reader.records() {
        let row = result.map_err(|e| {
            let line = e.position().map_or(0, csv::Position::line);
            record(path, line, None, e.to_string())
        })?;
        let line = row.position().map_or(0, csv::Position::line);
        rows.push((
            line,
            positions
                .iter()
                .map(|p| p.and_then(|p| row.get(p)).unwrap_or("").trim().to_owned())
                .collect(),
        ));
    }
    Ok(rows)
}

pub(crate) fn number(path: &Path, line: u64, field: &str, text: &str) -> Result<f64, MonitorError> {
    text.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| {
            record(
                path,
                line,
                Some(field),
                format!("expected a number, found `{text}`"),
            )
        })
}

fn persons(path: &Path, line: u64, text: &str) -> Result<f64, MonitorError> {
    let persons = number(path, line, "persons", text)?;
    if persons < 0.0 {
        return Err(record(
            path,
            line,
            Some("persons"),
            format!("expected a count of 0 or more, found `{text}`"),
        ));
    }
    Ok(persons)
}

pub(crate) fn code(
    path: &Path,
    line: u64,
    field: &str,
    text: &str,
    level: AreaLevel,
) -> Result<AreaCode, MonitorError> {
    AreaCode::parse(text)
        .ok()
        .filter(|code| code.level() == level)
        .ok_or_else(|| {
            record(
                path,
                line,
                Some(field),
                format!("expected a CBS {level} code, found `{text}`"),
            )
        })
}

pub(crate) fn point(
    path: &Path,
    line: u64,
    lon: &str,
    lat: &str,
) -> Result<Wgs84Point, MonitorError> {
    let point = Wgs84Point::new(
        number(path, line, "lon", lon)?,
        number(path, line, "lat", lat)?,
    );
    if point.is_valid() {
        Ok(point)
    } else {
        Err(record(
            path,
            line,
            Some("lon"),
            format!("expected a point in WGS84 degrees, found {lon},{lat}"),
        ))
    }
}

/// A PC4 area of an origins CSV: its code as written and its centroid origin.
struct Pc4Origin {
    pc4: String,
    centroid: Origin,
}

/// Reads a grid cells CSV (`grd_id, x_laea, y_laea, persons`) into persons by cell id. A cell
/// whose corner is not on the 1 km grid, whose id is not its corner's, with a negative count
/// or listed twice is an error naming the line and field.
fn read_grid_cells(path: &Path) -> Result<BTreeMap<String, f64>, MonitorError> {
    let mut cells = BTreeMap::new();
    let mut lines: BTreeMap<String, u64> = BTreeMap::new();
    for (line, row) in read_csv(path, &["grd_id", "x_laea", "y_laea", "persons"])? {
        let mut corner = [0_i64; 2];
        for (i, field) in ["x_laea", "y_laea"].into_iter().enumerate() {
            corner[i] = row[i + 1]
                .parse::<i64>()
                .ok()
                .filter(|v| v.rem_euclid(1000) == 0)
                .ok_or_else(|| {
                    record(
                        path,
                        line,
                        Some(field),
                        format!(
                            "expected a corner of the 1 km grid (EPSG:3035 metres, a multiple of 1000), found `{}`",
                            row[i + 1]
                        ),
                    )
                })?;
        }
        let expected = format!("CRS3035RES1000mN{}E{}", corner[1], corner[0]);
        if row[0] != expected {
            return Err(record(
                path,
                line,
                Some("grd_id"),
                format!(
                    "expected `{expected}` (the cell of x_laea, y_laea), found `{}`",
                    row[0]
                ),
            ));
        }
        let persons = persons(path, line, &row[3])?;
        if let Some(first) = lines.insert(row[0].clone(), line) {
            return Err(record(
                path,
                line,
                Some("grd_id"),
                format!(
                    "the cell `{}` is listed twice (first on line {first})",
                    row[0]
                ),
            ));
        }
        cells.insert(row[0].clone(), persons);
    }
    Ok(cells)
}

impl ReachInputs {
    /// Adds the origins of an origins CSV (`pc4, persons, province, municipality,
    /// municipality_name, district, district_name, lon, lat`): each lies in its province,
    /// municipality and district (the caller names the province).
    pub fn add_origins(&mut self, path: &Path) -> Result<(), MonitorError> {
        for row in self.read_pc4_origins(path)? {
            self.origins.push(row.centroid);
        }
        Ok(())
    }

    /// Reads an origins CSV into one centroid origin per PC4 area (in its province,
    /// municipality, district and postcode area), naming its areas.
    fn read_pc4_origins(&mut self, path: &Path) -> Result<Vec<Pc4Origin>, MonitorError> {
        let columns = [
            "pc4",
            "persons",
            "province",
            "municipality",
            "municipality_name",
            "district",
            "district_name",
            "lon",
            "lat",
        ];
        let mut rows = Vec::new();
        // `place` (optional, last) names the postcode area.
        for (line, row) in read_csv_optional(path, &columns, &["place"])? {
            let postcode = code(
                path,
                line,
                "pc4",
                &format!("PC{}", row[0]),
                AreaLevel::Postcode,
            )?;
            let persons = persons(path, line, &row[1])?;
            let province = code(path, line, "province", &row[2], AreaLevel::Province)?;
            let municipality = code(path, line, "municipality", &row[3], AreaLevel::Municipality)?;
            let district = code(path, line, "district", &row[5], AreaLevel::District)?;
            self.names.insert(municipality.clone(), row[4].clone());
            self.names.insert(district.clone(), row[6].clone());
            // Named as the store names postcode areas: the number and its place, where given.
            let name = match row[9].as_str() {
                "" => row[0].clone(),
                place => format!("{} {place}", row[0]),
            };
            self.names.insert(postcode.clone(), name);
            rows.push(Pc4Origin {
                pc4: row[0].clone(),
                centroid: Origin {
                    id: format!("PC4 {}", row[0]),
                    point: point(path, line, &row[7], &row[8])?,
                    persons,
                    areas: vec![province, municipality, district, postcode],
                },
            });
        }
        Ok(rows)
    }

    /// Adds origins where people live within each PC4 area: the parts of the grid's cells in
    /// the PC4 areas of `origins` (an origins CSV as [`ReachInputs::add_origins`] reads), each
    /// PC4's persons shared out over its parts in proportion to the grid's persons in them
    /// ([`dasymetric::share_out`]). A PC4 area without grid persons keeps its centroid.
    /// Returns the number of parts placed and of PC4 areas kept as a centroid.
    ///
    /// The cells CSV has `grd_id, x_laea, y_laea, persons` (INSPIRE 1 km cells of EPSG:3035),
    /// the parts CSV `grd_id, pc4, share, lon, lat` (the part's share of its cell's area and
    /// its centre) and optionally `neighbourhood` (the BU code the part lies in, or empty): a
    /// part with one counts for that neighbourhood too, so neighbourhoods aggregate from the
    /// same origins as municipalities, districts and postcode areas.
    pub fn add_grid_origins(
        &mut self,
        origins: &Path,
        grid: &GridSpec,
    ) -> Result<(usize, usize), MonitorError> {
        let pc4s = self.read_pc4_origins(origins)?;
        let cells = read_grid_cells(&grid.cells)?;
        let index: BTreeMap<&str, usize> = pc4s
            .iter()
            .enumerate()
            .map(|(i, row)| (row.pc4.as_str(), i))
            .collect();
        let path = &grid.parts;
        let mut parts = Vec::new();
        let mut points = Vec::new();
        let mut seen: BTreeMap<(String, String, Option<AreaCode>), u64> = BTreeMap::new();
        // `neighbourhood` (optional, last) is empty where the part lies in no neighbourhood
        // polygon.
        for (line, row) in read_csv_optional(
            path,
            &["grd_id", "pc4", "share", "lon", "lat"],
            &["neighbourhood"],
        )? {
            let neighbourhood = match row[5].as_str() {
                "" => None,
                text => Some(code(
                    path,
                    line,
                    "neighbourhood",
                    text,
                    AreaLevel::Neighbourhood,
                )?),
            };
            let Some(&cell_persons) = cells.get(&row[0]) else {
                return Err(record(
                    path,
                    line,
                    Some("grd_id"),
                    format!(
                        "expected a cell of {}, found `{}`",
                        grid.cells.display(),
                        row[0]
                    ),
                ));
            };
            let Some(&area) = index.get(row[1].as_str()) else {
                return Err(record(
                    path,
                    line,
                    Some("pc4"),
                    format!(
                        "expected a PC4 area of {}, found `{}`",
                        origins.display(),
                        row[1]
                    ),
                ));
            };
            let share = number(path, line, "share", &row[2])?;
            if !(share > 0.0 && share <= 1.0) {
                return Err(record(
                    path,
                    line,
                    Some("share"),
                    format!(
                        "expected a share of the cell above 0 and at most 1, found `{}`",
                        row[2]
                    ),
                ));
            }
            if let Some(first) = seen.insert(
                (row[0].clone(), row[1].clone(), neighbourhood.clone()),
                line,
            ) {
                let within = neighbourhood
                    .as_ref()
                    .map_or_else(String::new, |n| format!(" and {n}"));
                return Err(record(
                    path,
                    line,
                    Some("pc4"),
                    format!(
                        "the part of cell `{}` in PC4 {}{within} is listed twice (first on line {first})",
                        row[0], row[1]
                    ),
                ));
            }
            parts.push(dasymetric::Part {
                area,
                weight: cell_persons * share,
            });
            points.push((
                row[0].clone(),
                neighbourhood,
                point(path, line, &row[3], &row[4])?,
                share,
            ));
        }
        let totals: Vec<f64> = pc4s.iter().map(|row| row.centroid.persons).collect();
        let (persons, unplaced) = dasymetric::share_out(&totals, &parts);
        let mut placed = 0;
        for ((part, (cell, neighbourhood, point, share)), persons) in
            parts.iter().zip(points).zip(persons)
        {
            if persons > 0.0 {
                let pc4 = &pc4s[part.area];
                let mut areas = pc4.centroid.areas.clone();
                let mut id = format!("{cell} PC4 {}", pc4.pc4);
                if let Some(neighbourhood) = neighbourhood {
                    id = format!("{id} {neighbourhood}");
                    // The bundled neighbourhood map has no names: they are named by their code.
                    self.names
                        .insert(neighbourhood.clone(), neighbourhood.to_string());
                    areas.push(neighbourhood);
                }
                // The grid's cells are squares of an equal-area projection (EPSG:3035).
                self.ground_m2.insert(id.clone(), share * 1_000_000.0);
                self.origins.push(Origin {
                    id,
                    point,
                    persons,
                    areas,
                });
                placed += 1;
            }
        }
        for &a in &unplaced {
            self.origins.push(pc4s[a].centroid.clone());
        }
        Ok((placed, unplaced.len()))
    }

    /// Adds the origins of a neighbourhood origins CSV (`pc4, persons, neighbourhood, lon,
    /// lat`): each counts for its neighbourhood only.
    ///
    /// Municipalities, districts and postcode areas keep the points of
    /// [`ReachInputs::add_origins`] or [`ReachInputs::add_grid_origins`]: a split by area
    /// spreads people evenly over a PC4 area, farmland included, which moves them away from
    /// village schools (Assen's mean distance to a primary school would rise from 0.74 to
    /// 1.13 km); within one neighbourhood that bias is much smaller than the gain of having a
    /// point in every neighbourhood at all.
    pub fn add_neighbourhood_origins(&mut self, path: &Path) -> Result<(), MonitorError> {
        // Two sets of people in the same neighbourhoods would count everyone twice.
        if self.origins.iter().any(|origin| {
            origin
                .areas
                .iter()
                .any(|a| a.level() == AreaLevel::Neighbourhood)
        }) {
            return Err(record(
                path,
                1,
                None,
                "the grid's parts already place people in neighbourhoods (their `neighbourhood` column): leave out `neighbourhood_origins`",
            ));
        }
        let columns = ["pc4", "persons", "neighbourhood", "lon", "lat"];
        for (line, row) in read_csv(path, &columns)? {
            let persons = persons(path, line, &row[1])?;
            let neighbourhood = code(
                path,
                line,
                "neighbourhood",
                &row[2],
                AreaLevel::Neighbourhood,
            )?;
            // The bundled neighbourhood map has no names: they are named by their code.
            self.names
                .insert(neighbourhood.clone(), neighbourhood.to_string());
            self.origins.push(Origin {
                id: format!("PC4 {} {neighbourhood}", row[0]),
                point: point(path, line, &row[3], &row[4])?,
                persons,
                areas: vec![neighbourhood],
            });
        }
        Ok(())
    }

    /// Adds the facilities of a facility CSV (`id, name, kind, lon, lat`); every record must
    /// be of `kind`, the manifest's kind for the file.
    pub fn add_facilities(&mut self, path: &Path, kind: &str) -> Result<(), MonitorError> {
        for (line, row) in read_csv(path, &["id", "name", "kind", "lon", "lat"])? {
            if row[0].is_empty() {
                return Err(record(
                    path,
                    line,
                    Some("id"),
                    "expected an id, found nothing",
                ));
            }
            if row[2] != kind {
                return Err(record(
                    path,
                    line,
                    Some("kind"),
                    format!(
                        "expected `{kind}` (the manifest's kind of this file), found `{}`",
                        row[2]
                    ),
                ));
            }
            self.facilities.push(Facility {
                id: row[0].clone(),
                kind: row[2].clone(),
                point: point(path, line, &row[3], &row[4])?,
            });
            // Names are kept apart: the engine's facility has none.
            self.facility_names
                .insert((row[2].clone(), row[0].clone()), row[1].clone());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> std::path::PathBuf {
        let path = dir.path().join(name);
        fs_err::write(&path, text).unwrap();
        path
    }

    #[test]
    fn a_bad_origin_names_its_file_line_and_field() {
        let dir = tempfile::tempdir().unwrap();
        let header =
            "pc4,persons,province,municipality,municipality_name,district,district_name,lon,lat\n";
        let good = "9401,100,PV22,GM0106,Assen,WK010601,Centrum,6.56,52.99\n";
        let cases = [
            (
                "9402,-1,PV22,GM0106,Assen,WK010601,C,6.56,52.99\n",
                "line 3, field `persons`: expected a count of 0 or more, found `-1`",
            ),
            (
                "9402,1,PV22,WK010601,Assen,WK010601,C,6.56,52.99\n",
                "line 3, field `municipality`: expected a CBS municipality code, found `WK010601`",
            ),
            (
                "9402,1,PV22,GM0106,Assen,WK010601,C,six,52.99\n",
                "line 3, field `lon`: expected a number, found `six`",
            ),
            (
                "9402,1,PV22,GM0106,Assen,WK010601,C,6.56,95\n",
                "line 3, field `lon`: expected a point in WGS84 degrees, found 6.56,95",
            ),
        ];
        for (bad, expected) in cases {
            let path = write(&dir, "origins.csv", &format!("{header}{good}{bad}"));
            let error = ReachInputs::default()
                .add_origins(&path)
                .unwrap_err()
                .to_string();
            assert_eq!(error, format!("{}, {expected}", path.display()));
        }
        let path = write(&dir, "origins.csv", "pc4,persons\n9401,1\n");
        let error = ReachInputs::default().add_origins(&path).unwrap_err();
        assert_eq!(
            error.to_string(),
            format!(
                "{}, line 1, field `province`: the column is missing",
                path.display()
            )
        );
    }

    #[test]
    fn a_facility_of_another_kind_than_its_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(
            &dir,
            "hospital.csv",
            "id,name,kind,lon,lat\nZH1,Martini,hospital,6.55,53.2\nX,School,primary_school,6.5,53.1\n",
        );
        let error = ReachInputs::default()
            .add_facilities(&path, "hospital")
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            format!(
                "{}, line 3, field `kind`: expected `hospital` (the manifest's kind of this file), found `primary_school`",
                path.display()
            )
        );
    }

    const PC4_ORIGINS: &str =
        "pc4,persons,province,municipality,municipality_name,district,district_name,lon,lat
9401,300,PV22,GM0106,Assen,WK010601,Centrum,6.56,52.99
9402,50,PV22,GM0106,Assen,WK010601,Centrum,6.57,53.00
";

    const CELLS: &str = "grd_id,x_laea,y_laea,persons
CRS3035RES1000mN3334000E4093000,4093000,3334000,1000
CRS3035RES1000mN3334000E4094000,4094000,3334000,3000
CRS3035RES1000mN3335000E4094000,4094000,3335000,0
";

    const PARTS: &str = "grd_id,pc4,share,lon,lat
CRS3035RES1000mN3334000E4093000,9401,1,6.55,52.99
CRS3035RES1000mN3334000E4094000,9401,0.5,6.56,52.99
CRS3035RES1000mN3334000E4094000,9402,0.5,6.57,52.99
";

    fn grid_inputs(
        dir: &tempfile::TempDir,
        cells: &str,
        parts: &str,
    ) -> Result<(ReachInputs, (usize, usize)), String> {
        let origins = write(dir, "origins.csv", PC4_ORIGINS);
        let grid = GridSpec {
            cells: write(dir, "cells.csv", cells),
            parts: write(dir, "parts.csv", parts),
        };
        let mut inputs = ReachInputs::default();
        let counts = inputs
            .add_grid_origins(&origins, &grid)
            .map_err(|e| e.to_string())?;
        Ok((inputs, counts))
    }

    #[test]
    fn grid_parts_share_out_each_pc4_s_persons_by_the_grid_s_persons_in_them() {
        let dir = tempfile::tempdir().unwrap();
        let (inputs, counts) = grid_inputs(&dir, CELLS, PARTS).unwrap();
        assert_eq!(counts, (3, 0));
        let persons: Vec<(&str, f64)> = inputs
            .origins
            .iter()
            .map(|o| (o.id.as_str(), o.persons))
            .collect();
        // PC4 9401: grid weights 1000 and 1500, so 300 persons become 120 and 180; 9402 has
        // one part and keeps its 50.
        assert_eq!(
            persons,
            [
                ("CRS3035RES1000mN3334000E4093000 PC4 9401", 120.0),
                ("CRS3035RES1000mN3334000E4094000 PC4 9401", 180.0),
                ("CRS3035RES1000mN3334000E4094000 PC4 9402", 50.0),
            ]
        );
        let postcode = AreaCode::parse("PC9402").unwrap();
        assert!(inputs.origins[2].areas.contains(&postcode));
    }

    #[test]
    fn a_part_with_a_neighbourhood_counts_for_it_and_the_older_neighbourhood_points_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        // Cell E4094000 lies half in buurt 01, half in 02 of PC4 9401; one part is in no buurt.
        let parts = "grd_id,pc4,neighbourhood,share,lon,lat
CRS3035RES1000mN3334000E4093000,9401,,1,6.55,52.99
CRS3035RES1000mN3334000E4094000,9401,BU01060001,0.25,6.56,52.99
CRS3035RES1000mN3334000E4094000,9401,BU01060002,0.25,6.565,52.99
CRS3035RES1000mN3334000E4094000,9402,BU01060002,0.5,6.57,52.99
";
        let (mut inputs, counts) = grid_inputs(&dir, CELLS, parts).unwrap();
        assert_eq!(counts, (4, 0));
        let in_neighbourhood = |code: &str| -> f64 {
            let code = AreaCode::parse(code).unwrap();
            inputs
                .origins
                .iter()
                .filter(|o| o.areas.contains(&code))
                .map(|o| o.persons)
                .sum()
        };
        // PC4 9401's 300 persons by grid weight 1000 : 750 : 750; 9402 keeps its 50.
        assert_eq!(in_neighbourhood("BU01060001"), 90.0);
        assert_eq!(in_neighbourhood("BU01060002"), 90.0 + 50.0);
        assert_eq!(in_neighbourhood("PC9401"), 300.0);
        let twice = write(
            &dir,
            "buurt.csv",
            "pc4,persons,neighbourhood,lon,lat\n9401,300,BU01060001,6.55,52.99\n",
        );
        let error = inputs.add_neighbourhood_origins(&twice).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("leave out `neighbourhood_origins`"),
            "{error}"
        );
        let repeated =
            format!("{parts}CRS3035RES1000mN3334000E4094000,9401,BU01060002,0.25,6.565,52.99\n");
        let error = grid_inputs(&dir, CELLS, &repeated).unwrap_err();
        assert!(
            error.ends_with("parts.csv, line 6, field `pc4`: the part of cell `CRS3035RES1000mN3334000E4094000` in PC4 9401 and BU01060002 is listed twice (first on line 4)"),
            "{error}"
        );
    }

    #[test]
    fn a_pc4_without_grid_persons_keeps_its_centroid() {
        let dir = tempfile::tempdir().unwrap();
        let parts = "grd_id,pc4,share,lon,lat
CRS3035RES1000mN3334000E4093000,9401,1,6.55,52.99
CRS3035RES1000mN3335000E4094000,9402,1,6.57,53.0
";
        let (inputs, counts) = grid_inputs(&dir, CELLS, parts).unwrap();
        assert_eq!(counts, (1, 1));
        assert_eq!(inputs.origins[1].id, "PC4 9402");
        assert_eq!(inputs.origins[1].persons, 50.0);
    }

    #[test]
    fn a_bad_grid_cell_or_part_names_its_file_line_and_field() {
        let dir = tempfile::tempdir().unwrap();
        let cell_cases = [
            (
                "CRS3035RES1000mN3334000E4093500,4093500,3334000,10\n",
                "cells.csv, line 5, field `x_laea`: expected a corner of the 1 km grid (EPSG:3035 metres, a multiple of 1000), found `4093500`",
            ),
            (
                "CRS3035RES1000mN3334000E4095000,4096000,3334000,10\n",
                "cells.csv, line 5, field `grd_id`: expected `CRS3035RES1000mN3334000E4096000` (the cell of x_laea, y_laea), found `CRS3035RES1000mN3334000E4095000`",
            ),
            (
                "CRS3035RES1000mN3334000E4095000,4095000,3334000,-3\n",
                "cells.csv, line 5, field `persons`: expected a count of 0 or more, found `-3`",
            ),
            (
                "CRS3035RES1000mN3334000E4093000,4093000,3334000,10\n",
                "cells.csv, line 5, field `grd_id`: the cell `CRS3035RES1000mN3334000E4093000` is listed twice (first on line 2)",
            ),
        ];
        for (bad, expected) in cell_cases {
            let error = grid_inputs(&dir, &format!("{CELLS}{bad}"), PARTS).unwrap_err();
            assert!(error.ends_with(expected), "{error}");
        }
        let part_cases = [
            (
                "CRS3035RES1000mN3000000E4000000,9401,1,6.5,53\n",
                "parts.csv, line 5, field `grd_id`: expected a cell of",
            ),
            (
                "CRS3035RES1000mN3335000E4094000,9999,1,6.5,53\n",
                "parts.csv, line 5, field `pc4`: expected a PC4 area of",
            ),
            (
                "CRS3035RES1000mN3335000E4094000,9401,1.5,6.5,53\n",
                "parts.csv, line 5, field `share`: expected a share of the cell above 0 and at most 1, found `1.5`",
            ),
            (
                "CRS3035RES1000mN3334000E4093000,9401,0.2,6.5,53\n",
                "parts.csv, line 5, field `pc4`: the part of cell `CRS3035RES1000mN3334000E4093000` in PC4 9401 is listed twice (first on line 2)",
            ),
        ];
        for (bad, expected) in part_cases {
            let error = grid_inputs(&dir, CELLS, &format!("{PARTS}{bad}")).unwrap_err();
            assert!(error.contains(expected), "{error}");
        }
    }
}
