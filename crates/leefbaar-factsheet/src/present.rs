//! How Leefbaar writes for people: the language, numbers in each language's notation, HTML
//! escaping, the names of area levels, and the words for missing values and methods.
//!
//! The fact sheets and the server's HTML pages (`/gebied/{code}`, `/tabel`, the citizens'
//! panel) both present figures. They used to carry a copy each, and the copies drifted: a fact
//! sheet printed 1234 where a page printed 1.234. This module is the one copy; both surfaces
//! call it, so the same figure reads the same wherever it is shown. It lives in the fact-sheet
//! crate because that crate is pure (no IO) and every surface already depends on it.

use leefbaar_model::{AreaLevel, Method, MissingReason};

use crate::FactsheetError;

/// The language of a sheet or a page: Dutch, the product's default, or English.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    /// Dutch.
    Nl,
    /// English.
    En,
}

impl Lang {
    /// Parses `nl` or `en`.
    pub fn parse(text: &str) -> Result<Lang, FactsheetError> {
        match text {
            "nl" => Ok(Lang::Nl),
            "en" => Ok(Lang::En),
            other => Err(FactsheetError::UnknownLang(other.to_owned())),
        }
    }

    /// The language a page asks for with `?lang=en` among its query pairs (the first `lang`,
    /// trimmed); Dutch for anything else, since a shared link should always open.
    pub fn from_pairs(pairs: &[(String, String)]) -> Lang {
        let lang = pairs
            .iter()
            .find(|(key, _)| key == "lang")
            .map(|(_, value)| value.trim());
        if lang == Some("en") {
            Lang::En
        } else {
            Lang::Nl
        }
    }

    /// The ISO 639-1 code.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }

    /// The other language, for a language switch.
    #[must_use]
    pub fn other(self) -> Lang {
        match self {
            Lang::Nl => Lang::En,
            Lang::En => Lang::Nl,
        }
    }

    /// The Dutch or the English text.
    pub fn pick<'a>(self, nl: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Nl => nl,
            Lang::En => en,
        }
    }

    /// `?lang=en` (or `&amp;lang=en` after other parameters, escaped for an attribute) for
    /// links that keep the language; nothing for Dutch, the default.
    pub fn suffix(self, first: bool) -> &'static str {
        match (self, first) {
            (Lang::Nl, _) => "",
            (Lang::En, true) => "?lang=en",
            (Lang::En, false) => "&amp;lang=en",
        }
    }
}

/// Escapes text for HTML element content and quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A number the way readers of each language write it, with `decimals` decimals (an
/// indicator's own, at most 6): `1.234,5` in Dutch, `1,234.5` in English, thousands always
/// grouped, and a true minus sign (U+2212) unless the value rounds to zero.
pub fn format_number(value: f64, decimals: u8, lang: Lang) -> String {
    let decimals = usize::from(decimals.min(6));
    let text = format!("{:.*}", decimals, value.abs());
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let (group, point) = match lang {
        Lang::Nl => ('.', ','),
        Lang::En => (',', '.'),
    };
    let mut out = String::with_capacity(text.len() + 4);
    let negative = value < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0');
    if negative {
        out.push('\u{2212}');
    }
    for (index, digit) in int.chars().enumerate() {
        if index > 0 && (int.len() - index) % 3 == 0 {
            out.push(group);
        }
        out.push(digit);
    }
    if !frac.is_empty() {
        out.push(point);
        out.push_str(frac);
    }
    out
}

/// A change with its sign: `+1,2` or `−1,2`; a change that rounds to zero has none.
pub fn signed(value: f64, decimals: u8, lang: Lang) -> String {
    let text = format_number(value, decimals, lang);
    if text.starts_with('\u{2212}') || !text.chars().any(|c| c.is_ascii_digit() && c != '0') {
        text
    } else {
        format!("+{text}")
    }
}

/// The text with its first letter in upper case: "Gemeente" before a code.
pub fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// A list in words: "a, b en c" / "a, b and c".
pub fn and_list(items: &[String], lang: Lang) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} {} {last}", rest.join(", "), lang.pick("en", "and")),
    }
}

/// The name of one area of a level: "gemeente", "district".
pub fn level_name(level: AreaLevel, lang: Lang) -> &'static str {
    level_names(level, lang).0
}

/// The name of several areas of a level: "the districts of Assen".
pub fn level_plural(level: AreaLevel, lang: Lang) -> &'static str {
    level_names(level, lang).1
}

fn level_names(level: AreaLevel, lang: Lang) -> (&'static str, &'static str) {
    let (nl, en) = match level {
        AreaLevel::Country => (("land", "landen"), ("country", "countries")),
        AreaLevel::Province => (("provincie", "provincies"), ("province", "provinces")),
        AreaLevel::Municipality => (
            ("gemeente", "gemeenten"),
            ("municipality", "municipalities"),
        ),
        AreaLevel::District => (("wijk", "wijken"), ("district", "districts")),
        AreaLevel::Neighbourhood => (("buurt", "buurten"), ("neighbourhood", "neighbourhoods")),
        AreaLevel::Postcode => (
            ("postcodegebied", "postcodegebieden"),
            ("postcode area", "postcode areas"),
        ),
    };
    match lang {
        Lang::Nl => nl,
        Lang::En => en,
    }
}

/// Why a value is missing, in words; `None`: there is no observation at all.
pub fn missing_text(reason: Option<MissingReason>, lang: Lang) -> &'static str {
    let (nl, en) = match reason {
        Some(MissingReason::NotCollected) => ("niet verzameld", "not collected"),
        Some(MissingReason::Secret) => ("geheim", "confidential"),
        Some(MissingReason::Suppressed) => ("onderdrukt", "suppressed"),
        Some(MissingReason::NotApplicable) => ("niet van toepassing", "not applicable"),
        Some(MissingReason::IncompleteParts) => ("onvolledig", "incomplete"),
        Some(MissingReason::Unknown) => ("onbekend", "unknown"),
        None => ("geen gegevens", "no data"),
    };
    lang.pick(nl, en)
}

/// How a value was made, in words; a dash when the observation names no method.
pub fn method_text(method: Option<Method>, lang: Lang) -> &'static str {
    let Some(method) = method else {
        return "—";
    };
    match method {
        Method::Published => lang.pick("gepubliceerd", "published"),
        Method::Reconstructed => lang.pick("gereconstrueerd", "reconstructed"),
        Method::Recomputed => lang.pick("herberekend", "recomputed"),
        Method::Aggregated => lang.pick("opgeteld", "summed"),
        Method::Derived => lang.pick("afgeleid", "derived"),
        Method::Projected => lang.pick("geprojecteerd", "projected"),
        Method::Redistricted => lang.pick(
            "opgeteld uit de voorgangers (huidige indeling)",
            "summed from predecessors (today's boundaries)",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `(value, decimals, language, expected)`.
    const NUMBERS: &[(f64, u8, Lang, &str)] = &[
        (1234.5, 1, Lang::Nl, "1.234,5"),
        (1234.5, 1, Lang::En, "1,234.5"),
        (1234.0, 0, Lang::Nl, "1.234"),
        (999.0, 0, Lang::Nl, "999"),
        (107_123.4, 1, Lang::Nl, "107.123,4"),
        (107_123.4, 1, Lang::En, "107,123.4"),
        (16_730_348.0, 0, Lang::Nl, "16.730.348"),
        (-1.25, 1, Lang::Nl, "\u{2212}1,2"),
        (-12.25, 0, Lang::En, "\u{2212}12"),
        (-0.04, 1, Lang::Nl, "0,0"),
        (-0.01, 1, Lang::En, "0.0"),
        (0.123_456_789, 9, Lang::En, "0.123457"),
    ];

    #[test]
    fn numbers_follow_the_language_and_always_group_thousands() {
        for &(value, decimals, lang, expected) in NUMBERS {
            assert_eq!(
                format_number(value, decimals, lang),
                expected,
                "{value} with {decimals} decimals in {lang:?}"
            );
        }
    }

    #[test]
    fn a_change_shows_its_sign_unless_it_rounds_to_zero() {
        for (value, expected) in [
            (0.3, "+0,3"),
            (-0.3, "\u{2212}0,3"),
            (0.01, "0,0"),
            (1234.0, "+1.234,0"),
        ] {
            assert_eq!(signed(value, 1, Lang::Nl), expected, "{value}");
        }
    }

    #[test]
    fn a_list_joins_its_last_item_with_the_languages_and() {
        let items =
            |list: &[&str]| -> Vec<String> { list.iter().map(|s| (*s).to_owned()).collect() };
        assert_eq!(and_list(&items(&[]), Lang::Nl), "");
        assert_eq!(and_list(&items(&["a"]), Lang::Nl), "a");
        assert_eq!(and_list(&items(&["a", "b", "c"]), Lang::Nl), "a, b en c");
        assert_eq!(and_list(&items(&["a", "b"]), Lang::En), "a and b");
    }

    #[test]
    fn escape_covers_markup_and_quotes() {
        assert_eq!(
            escape(r#"<a href="x">'&"#),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;"
        );
    }

    #[test]
    fn every_level_has_a_name_and_a_plural_in_both_languages() {
        let expected = [
            ("land", "landen", "country", "countries"),
            ("provincie", "provincies", "province", "provinces"),
            ("gemeente", "gemeenten", "municipality", "municipalities"),
            ("wijk", "wijken", "district", "districts"),
            ("buurt", "buurten", "neighbourhood", "neighbourhoods"),
            (
                "postcodegebied",
                "postcodegebieden",
                "postcode area",
                "postcode areas",
            ),
        ];
        for (level, (nl, nl_plural, en, en_plural)) in AreaLevel::ALL.into_iter().zip(expected) {
            assert_eq!(level_name(level, Lang::Nl), nl);
            assert_eq!(level_plural(level, Lang::Nl), nl_plural);
            assert_eq!(level_name(level, Lang::En), en);
            assert_eq!(level_plural(level, Lang::En), en_plural);
            // The Dutch singular is the name the model parses (`--level gemeente`).
            assert_eq!(level_name(level, Lang::Nl), level.dutch_name());
        }
    }

    #[test]
    fn the_language_comes_from_the_first_lang_parameter() {
        let pairs = |list: &[(&str, &str)]| -> Vec<(String, String)> {
            list.iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect()
        };
        assert_eq!(Lang::from_pairs(&pairs(&[("lang", " en ")])), Lang::En);
        assert_eq!(Lang::from_pairs(&pairs(&[("lang", "fr")])), Lang::Nl);
        assert_eq!(Lang::from_pairs(&pairs(&[])), Lang::Nl);
        assert_eq!(Lang::En.suffix(false), "&amp;lang=en");
    }
}
