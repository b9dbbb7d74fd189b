//! Areas: CBS region codes, the level they denote, and the years an area exists.

use std::fmt;
use std::str::FromStr;

use crate::ModelError;

/// The statistical year of a figure.
///
/// CBS population counts refer to 1 January of the year; KWB editions are named by that year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Year(u16);

impl Year {
    /// The first and last year Leefbaar accepts; anything outside is a typo.
    pub const RANGE: std::ops::RangeInclusive<u16> = 1900..=2200;

    /// A year, if it lies in [`Year::RANGE`].
    pub fn new(year: u16) -> Result<Year, ModelError> {
        if Self::RANGE.contains(&year) {
            Ok(Year(year))
        } else {
            Err(ModelError::BadYear {
                found: year.to_string(),
            })
        }
    }

    /// The year as a number.
    pub fn get(self) -> u16 {
        self.0
    }

    /// The year `n` years earlier, if still in range.
    pub fn minus(self, n: u16) -> Option<Year> {
        self.0.checked_sub(n).and_then(|y| Year::new(y).ok())
    }
}

impl fmt::Display for Year {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl FromStr for Year {
    type Err = ModelError;
    fn from_str(text: &str) -> Result<Year, ModelError> {
        let bad = || ModelError::BadYear {
            found: text.to_owned(),
        };
        let number: u16 = text.trim().parse().map_err(|_| bad())?;
        Year::new(number).map_err(|_| bad())
    }
}

/// The level of an area in the CBS hierarchy, from coarse to fine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AreaLevel {
    /// The Netherlands (`NL01`).
    Country,
    /// A province (`PV22` is Drenthe).
    Province,
    /// A municipality, *gemeente* (`GM0106` is Assen).
    Municipality,
    /// A district, *wijk* (`WK010600`).
    District,
    /// A neighbourhood, *buurt* (`BU01060000`).
    Neighbourhood,
    /// A four-digit postcode area, *PC4* (`PC9401`), under its municipality: CBS publishes
    /// statistics and *Nabijheid* per postcode, and people look themselves up by it. Listed
    /// after the neighbourhood because it is not part of the district/neighbourhood hierarchy.
    Postcode,
}

impl AreaLevel {
    /// All levels, coarse to fine, postcode areas last.
    pub const ALL: [AreaLevel; 6] = [
        AreaLevel::Country,
        AreaLevel::Province,
        AreaLevel::Municipality,
        AreaLevel::District,
        AreaLevel::Neighbourhood,
        AreaLevel::Postcode,
    ];

    /// The stable English identifier used in the API, the store and the CLI.
    pub fn as_str(self) -> &'static str {
        match self {
            AreaLevel::Country => "country",
            AreaLevel::Province => "province",
            AreaLevel::Municipality => "municipality",
            AreaLevel::District => "district",
            AreaLevel::Neighbourhood => "neighbourhood",
            AreaLevel::Postcode => "postcode",
        }
    }

    /// The Dutch name CBS uses for the level.
    pub fn dutch_name(self) -> &'static str {
        match self {
            AreaLevel::Country => "land",
            AreaLevel::Province => "provincie",
            AreaLevel::Municipality => "gemeente",
            AreaLevel::District => "wijk",
            AreaLevel::Neighbourhood => "buurt",
            AreaLevel::Postcode => "postcodegebied",
        }
    }
}

impl fmt::Display for AreaLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for AreaLevel {
    type Err = ModelError;
    /// Accepts the English identifiers and the Dutch CBS names (`gemeente`, `wijk`, ...).
    fn from_str(text: &str) -> Result<AreaLevel, ModelError> {
        let lower = text.trim().to_ascii_lowercase();
        AreaLevel::ALL
            .into_iter()
            .find(|level| level.as_str() == lower || level.dutch_name() == lower)
            .ok_or_else(|| ModelError::BadAreaLevel {
                found: text.to_owned(),
            })
    }
}

/// A CBS region code, validated: the prefix fixes the level and the digits their count. A
/// postcode area is written `PC` and its four digits (`PC9401`), the way CBS labels PC4 rows.
///
/// CBS pads codes with spaces in some exports (`"GM1680    "`); parsing trims them.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AreaCode(String);

impl AreaCode {
    /// The code of the Netherlands as a whole, as CBS writes it in KWB tables.
    pub const NETHERLANDS: &'static str = "NL01";

    /// Parses and validates a code such as `GM0106`.
    pub fn parse(text: &str) -> Result<AreaCode, ModelError> {
        let code = text.trim();
        let bad = || ModelError::BadAreaCode {
            found: text.to_owned(),
        };
        let (prefix, digits) = code.split_at_checked(2).ok_or_else(bad)?;
        let expected_digits = match prefix {
            "NL" | "PV" => 2,
            "GM" | "PC" => 4,
            "WK" => 6,
            "BU" => 8,
            _ => return Err(bad()),
        };
        if digits.len() != expected_digits || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        Ok(AreaCode(code.to_owned()))
    }

    /// The code of the Netherlands.
    pub fn netherlands() -> AreaCode {
        AreaCode(Self::NETHERLANDS.to_owned())
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The level the code denotes.
    pub fn level(&self) -> AreaLevel {
        match &self.0[..2] {
            "NL" => AreaLevel::Country,
            "PV" => AreaLevel::Province,
            "GM" => AreaLevel::Municipality,
            "WK" => AreaLevel::District,
            "PC" => AreaLevel::Postcode,
            _ => AreaLevel::Neighbourhood,
        }
    }

    /// The municipality a district or neighbourhood lies in (itself for a municipality).
    ///
    /// CBS builds district and neighbourhood codes from the municipality's four digits, so
    /// this needs no lookup table. Countries and provinces have none.
    pub fn municipality(&self) -> Option<AreaCode> {
        match self.level() {
            AreaLevel::Municipality => Some(self.clone()),
            AreaLevel::District | AreaLevel::Neighbourhood => {
                Some(AreaCode(format!("GM{}", &self.0[2..6])))
            }
            AreaLevel::Country | AreaLevel::Province | AreaLevel::Postcode => None,
        }
    }

    /// The district a neighbourhood lies in, derived from its code.
    pub fn district(&self) -> Option<AreaCode> {
        match self.level() {
            AreaLevel::District => Some(self.clone()),
            AreaLevel::Neighbourhood => Some(AreaCode(format!("WK{}", &self.0[2..8]))),
            _ => None,
        }
    }
}

impl fmt::Display for AreaCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for AreaCode {
    type Err = ModelError;
    fn from_str(text: &str) -> Result<AreaCode, ModelError> {
        AreaCode::parse(text)
    }
}

/// A named area of one level, with its parent and the years it exists.
///
/// Municipal mergers end an area (`last_year`) and start another; the lineage between them is
/// kept separately so series can be rebuilt for today's municipality.
#[derive(Debug, Clone, PartialEq)]
pub struct Area {
    /// The CBS code.
    pub code: AreaCode,
    /// The official name (Dutch; CBS publishes no English names).
    pub name: String,
    /// The area one level up (province for a municipality, municipality for a district).
    pub parent: Option<AreaCode>,
    /// The first statistical year in which the area exists in the data.
    pub first_year: Year,
    /// The last statistical year in which the area exists in the data.
    pub last_year: Year,
    /// The boundary as a GeoJSON geometry object in WGS84 (EPSG:4326), if known.
    pub geometry_geojson: Option<String>,
}

impl Area {
    /// The level of the area, from its code.
    pub fn level(&self) -> AreaLevel {
        self.code.level()
    }

    /// Whether the area exists in `year`.
    pub fn exists_in(&self, year: Year) -> bool {
        self.first_year <= year && year <= self.last_year
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_of_every_level_parse_and_know_their_level() {
        let cases = [
            ("NL01", AreaLevel::Country),
            ("PV22", AreaLevel::Province),
            ("GM0106", AreaLevel::Municipality),
            ("WK010600", AreaLevel::District),
            ("BU01060000", AreaLevel::Neighbourhood),
            ("PC9401", AreaLevel::Postcode),
        ];
        for (text, level) in cases {
            assert_eq!(AreaCode::parse(text).unwrap().level(), level, "{text}");
        }
    }

    #[test]
    fn padded_codes_from_cbs_exports_are_trimmed() {
        assert_eq!(AreaCode::parse("GM1680    ").unwrap().as_str(), "GM1680");
    }

    #[test]
    fn malformed_codes_are_rejected_with_the_text_found() {
        for text in [
            "", "GM106", "GM01060", "XX0106", "WK0106A0", "gm0106", "BU0106", "PC940",
        ] {
            let error = AreaCode::parse(text).unwrap_err();
            assert!(error.to_string().contains(&format!("`{text}`")), "{error}");
        }
    }

    #[test]
    fn neighbourhood_knows_its_district_and_municipality() {
        let buurt = AreaCode::parse("BU01185003").unwrap();
        assert_eq!(buurt.district().unwrap().as_str(), "WK011850");
        assert_eq!(buurt.municipality().unwrap().as_str(), "GM0118");
    }

    #[test]
    fn levels_parse_from_english_and_dutch() {
        assert_eq!(
            "gemeente".parse::<AreaLevel>().unwrap(),
            AreaLevel::Municipality
        );
        assert_eq!(
            "District".parse::<AreaLevel>().unwrap(),
            AreaLevel::District
        );
        assert!("county".parse::<AreaLevel>().is_err());
    }

    #[test]
    fn years_outside_the_range_are_rejected() {
        assert!("2024".parse::<Year>().is_ok());
        assert!("1812".parse::<Year>().is_err());
        assert!("20x4".parse::<Year>().is_err());
    }
}
