//! The input files of reach: population points (origins) and facilities, as CSV, read into the
//! engine's [`Origin`]s and [`Facility`]s with the names of their areas and facilities. Every
//! bad record is reported with its file, line and field.

use std::collections::BTreeMap;
use std::path::Path;

use leefbaar_model::{AreaCode, AreaLevel};
use leefbaar_network::{Facility, Origin, Wgs84Point};

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
}

/// Reads a CSV into records of `columns`, with their line numbers; a missing column is an
/// error on line 1.
fn read_csv(path: &Path, columns: &[&str]) -> Result<Vec<(u64, Vec<String>)>, MonitorError> {
    let text = fs_err::read(path)?;
    let mut reader = csv::Reader::from_reader(text.as_slice());
    let headers = reader
        .headers()
        .map_err(|e| record(path, 1, None, e.to_string()))?
        .clone();
    let positions: Vec<usize> = columns
        .iter()
        .map(|column| {
            headers
                .iter()
                .position(|h| h == *column)
                .ok_or_else(|| record(path, 1, Some(column), "the column is missing"))
        })
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
                .map(|&p| row.get(p).unwrap_or("").trim().to_owned())
                .collect(),
        ));
    }
    Ok(rows)
}

fn number(path: &Path, line: u64, field: &str, text: &str) -> Result<f64, MonitorError> {
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

fn code(
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

fn point(path: &Path, line: u64, lon: &str, lat: &str) -> Result<Wgs84Point, MonitorError> {
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

impl ReachInputs {
    /// Adds the origins of an origins CSV (`pc4, persons, province, municipality,
    /// municipality_name, district, district_name, lon, lat`): each lies in its province,
    /// municipality and district (the caller names the province).
    pub fn add_origins(&mut self, path: &Path) -> Result<(), MonitorError> {
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
        for (line, row) in read_csv(path, &columns)? {
            let persons = persons(path, line, &row[1])?;
            let province = code(path, line, "province", &row[2], AreaLevel::Province)?;
            let municipality = code(path, line, "municipality", &row[3], AreaLevel::Municipality)?;
            let district = code(path, line, "district", &row[5], AreaLevel::District)?;
            self.names.insert(municipality.clone(), row[4].clone());
            self.names.insert(district.clone(), row[6].clone());
            self.origins.push(Origin {
                id: format!("PC4 {}", row[0]),
                point: point(path, line, &row[7], &row[8])?,
                persons,
                areas: vec![province, municipality, district],
            });
        }
        Ok(())
    }

    /// Adds the origins of a neighbourhood origins CSV (`pc4, persons, neighbourhood, lon,
    /// lat`): each counts for its neighbourhood only.
    ///
    /// Municipalities and districts keep the PC4 points of [`ReachInputs::add_origins`]: a
    /// split by area spreads people evenly over a PC4 area, farmland included, which moves
    /// them away from village schools (Assen's mean distance to a primary school would rise
    /// from 0.74 to 1.13 km); within one neighbourhood that bias is much smaller than the gain
    /// of having a point in every neighbourhood at all.
    pub fn add_neighbourhood_origins(&mut self, path: &Path) -> Result<(), MonitorError> {
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
}
