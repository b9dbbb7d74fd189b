//! Numbers in Dutch and English notation.

use crate::Lang;

/// Formats a number with a fixed number of decimals, grouping thousands: `12.345,6` in Dutch,
/// `12,345.6` in English; negative numbers take a true minus sign (U+2212).
pub fn format_number(value: f64, decimals: u8, lang: Lang) -> String {
    let text = format!("{:.*}", usize::from(decimals), value.abs());
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let (group, point) = match lang {
        Lang::Nl => ('.', ','),
        Lang::En => (',', '.'),
    };
    let mut out = String::new();
    let rounded_zero = text.chars().all(|c| c == '0' || c == '.');
    if value < 0.0 && !rounded_zero {
        out.push('\u{2212}');
    }
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 && int.len() > 4 {
            out.push(group);
        }
        out.push(c);
    }
    if !frac.is_empty() {
        out.push(point);
        out.push_str(frac);
    }
    out
}

/// A signed number: `+1,2` or `−1,2`.
pub(crate) fn signed(value: f64, decimals: u8, lang: Lang) -> String {
    let text = format_number(value, decimals, lang);
    if text.starts_with('\u{2212}') || text.chars().all(|c| matches!(c, '0' | ',' | '.')) {
        text
    } else {
        format!("+{text}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notation_follows_the_language() {
        assert_eq!(format_number(107_123.4, 1, Lang::Nl), "107.123,4");
        assert_eq!(format_number(107_123.4, 1, Lang::En), "107,123.4");
        assert_eq!(format_number(-1.25, 1, Lang::Nl), "\u{2212}1,2");
        assert_eq!(format_number(1234.0, 0, Lang::Nl), "1234");
        assert_eq!(format_number(-0.01, 1, Lang::En), "0.0");
        assert_eq!(signed(0.3, 1, Lang::Nl), "+0,3");
    }
}
