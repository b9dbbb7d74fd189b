//! Four-digit postcode areas (PC4), so that people can find their area by postcode.

use crate::AreaCode;

/// A Dutch four-digit postcode area and the areas it lies in.
///
/// A PC4 area can cross a municipal or district border; it is assigned to one municipality
/// and, where known, to the district its population point lies in, so the lookup answers
/// "where is most of this postcode", not "every area it touches".
#[derive(Debug, Clone, PartialEq)]
pub struct Postcode {
    /// The four digits, 1000–9999.
    pub pc4: u16,
    /// The main place name of the postcode area.
    pub place: String,
    /// The municipality it is assigned to.
    pub municipality: AreaCode,
    /// The district its population point lies in, if known.
    pub district: Option<AreaCode>,
    /// Its population point (longitude, latitude in WGS84), if known.
    pub point: Option<(f64, f64)>,
}

impl Postcode {
    /// The four digits of a postcode as people type it: `9401`, `9401 AB`, `9401ab`, ` 9401-AB`.
    ///
    /// `None` unless the text is four digits (the first not zero) optionally followed by two
    /// letters; a full six-character postcode is reduced to its PC4 area.
    pub fn parse_pc4(text: &str) -> Option<u16> {
        let compact: String = text
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect();
        let (digits, letters) = compact.split_at_checked(4)?;
        if !digits.bytes().all(|b| b.is_ascii_digit())
            || digits.starts_with('0')
            || !(letters.is_empty()
                || (letters.len() == 2 && letters.bytes().all(|b| b.is_ascii_alphabetic())))
        {
            return None;
        }
        digits.parse().ok()
    }
}

#[cfg(test)]
mod tests {
    use super::Postcode;

    #[test]
    fn postcodes_are_read_as_people_type_them() {
        for text in ["9401", "9401 AB", "9401ab", " 9401-AB ", "9401\tAB"] {
            assert_eq!(Postcode::parse_pc4(text), Some(9401), "{text:?}");
        }
        for text in [
            "", "940", "0401", "94011", "9401 A", "9401 ABC", "94O1", "Assen", "9401 1A",
        ] {
            assert_eq!(Postcode::parse_pc4(text), None, "{text:?}");
        }
    }
}
