//! The generated text of a sheet, from its numbers: direction words and comparisons follow the
//! signs and sizes of the values, numbers follow the language's notation.

use crate::format::{format_number, signed};
use crate::{FactsheetData, Lang};

/// The sheet's short text: the population change over five years against the province, the
/// share aged 65+ against the province and the Netherlands, and the projection when present.
pub fn summary(data: &FactsheetData) -> String {
    let lang = data.lang;
    let name = &data.name;
    let mut sentences = Vec::new();
    if let Some(change) = data.figure("inhabitants_change_5y") {
        let from = change.year.saturating_sub(5);
        let to = change.year;
        let a = round1(change.value);
        let pct = |v: f64| format!("{} %", format_number(v.abs(), 1, lang));
        let mut sentence = match (lang, a.total_cmp(&0.0)) {
            (Lang::Nl, std::cmp::Ordering::Less) => format!(
                "De bevolking van {name} daalde tussen {from} en {to} met {}",
                pct(a)
            ),
            (Lang::Nl, std::cmp::Ordering::Greater) => format!(
                "De bevolking van {name} groeide tussen {from} en {to} met {}",
                pct(a)
            ),
            (Lang::Nl, std::cmp::Ordering::Equal) => {
                format!("De bevolking van {name} bleef tussen {from} en {to} gelijk")
            }
            (Lang::En, std::cmp::Ordering::Less) => format!(
                "The population of {name} fell by {} between {from} and {to}",
                pct(a)
            ),
            (Lang::En, std::cmp::Ordering::Greater) => format!(
                "The population of {name} grew by {} between {from} and {to}",
                pct(a)
            ),
            (Lang::En, std::cmp::Ordering::Equal) => {
                format!("The population of {name} stayed the same between {from} and {to}")
            }
        };
        if let (Some(p), Some(province)) = (change.province, &data.province) {
            let p = round1(p);
            let p_text = format!("{} %", signed(p, 1, lang));
            let same_sign = (a < 0.0 && p < 0.0) || (a > 0.0 && p > 0.0);
            let clause = if a == p {
                match lang {
                    Lang::Nl => format!(", evenveel als {province} ({p_text})"),
                    Lang::En => format!(", as much as {province} ({p_text})"),
                }
            } else if same_sign {
                let faster = a.abs() > p.abs();
                match (lang, faster) {
                    (Lang::Nl, true) => format!(", sneller dan {province} ({p_text})"),
                    (Lang::Nl, false) => format!(", minder snel dan {province} ({p_text})"),
                    (Lang::En, true) => format!(", faster than {province} ({p_text})"),
                    (Lang::En, false) => format!(", more slowly than {province} ({p_text})"),
                }
            } else {
                let verb = match (lang, p.total_cmp(&0.0)) {
                    (Lang::Nl, std::cmp::Ordering::Less) => "daalde",
                    (Lang::Nl, std::cmp::Ordering::Greater) => "groeide",
                    (Lang::Nl, std::cmp::Ordering::Equal) => "gelijk bleef",
                    (Lang::En, std::cmp::Ordering::Less) => "fell",
                    (Lang::En, std::cmp::Ordering::Greater) => "grew",
                    (Lang::En, std::cmp::Ordering::Equal) => "stayed the same",
                };
                match lang {
                    Lang::Nl if p == 0.0 => {
                        format!(", terwijl de bevolking van {province} {verb} ({p_text})")
                    }
                    Lang::Nl => format!(", terwijl de bevolking van {province} {verb} ({p_text})"),
                    Lang::En => format!(", while the population of {province} {verb} ({p_text})"),
                }
            };
            sentence.push_str(&clause);
        }
        sentence.push('.');
        sentences.push(sentence);
    }
    if let Some(old) = data.figure("share_65_plus") {
        let v = format!("{} %", format_number(old.value, 1, lang));
        let mut parts = Vec::new();
        if let (Some(p), Some(province)) = (old.province, &data.province) {
            parts.push(format!("{province} {} %", format_number(p, 1, lang)));
        }
        if let Some(c) = old.country {
            parts.push(format!("{} {} %", data.country, format_number(c, 1, lang)));
        }
        let compare = if parts.is_empty() {
            String::new()
        } else {
            format!(" ({})", parts.join(", "))
        };
        sentences.push(match lang {
            Lang::Nl => format!(
                "In {} was {v} van de inwoners 65 jaar of ouder{compare}.",
                old.year
            ),
            Lang::En => format!(
                "In {}, {v} of the inhabitants were aged 65 or over{compare}.",
                old.year
            ),
        });
    }
    if let Some(projection) = data.figure("projected_inhabitants_change_20y") {
        let v = round1(projection.value);
        let pct = format!("{} %", format_number(v.abs(), 1, lang));
        sentences.push(match (lang, v.total_cmp(&0.0)) {
            (Lang::Nl, std::cmp::Ordering::Less) => format!(
                "Volgens de prognose daalt het aantal inwoners tussen 2020 en 2040 met {pct}."
            ),
            (Lang::Nl, std::cmp::Ordering::Greater) => format!(
                "Volgens de prognose groeit het aantal inwoners tussen 2020 en 2040 met {pct}."
            ),
            (Lang::Nl, std::cmp::Ordering::Equal) => {
                "Volgens de prognose blijft het aantal inwoners tussen 2020 en 2040 gelijk."
                    .to_owned()
            }
            (Lang::En, std::cmp::Ordering::Less) => format!(
                "The projection expects the population to fall by {pct} between 2020 and 2040."
            ),
            (Lang::En, std::cmp::Ordering::Greater) => format!(
                "The projection expects the population to grow by {pct} between 2020 and 2040."
            ),
            (Lang::En, std::cmp::Ordering::Equal) => {
                "The projection expects the population to stay the same between 2020 and 2040."
                    .to_owned()
            }
        });
    }
    sentences.join(" ")
}

/// Rounds to the one decimal the text shows, so that words and numbers agree.
fn round1(value: f64) -> f64 {
    let r = (value * 10.0).round() / 10.0;
    if r == 0.0 { 0.0 } else { r }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{KeyFigure, Theme};

    fn sheet(lang: Lang, area: f64, province: f64) -> FactsheetData {
        FactsheetData {
            code: "GM0114".to_owned(),
            name: "Emmen".to_owned(),
            level: "gemeente".to_owned(),
            province: Some("Drenthe".to_owned()),
            country: "Nederland".to_owned(),
            theme: Theme::Leefbaarheid,
            year: 2024,
            lang,
            date: "2026-01-01".to_owned(),
            key_figures: vec![KeyFigure {
                indicator: "inhabitants_change_5y".to_owned(),
                label: String::new(),
                unit: "%".to_owned(),
                decimals: 1,
                year: 2024,
                value: area,
                province: Some(province),
                country: None,
            }],
            charts: Vec::new(),
            sources: Vec::new(),
            notes: Vec::new(),
        }
    }

    #[test]
    fn direction_words_follow_the_signs() {
        assert_eq!(
            summary(&sheet(Lang::Nl, -1.2, -0.3)),
            "De bevolking van Emmen daalde tussen 2019 en 2024 met 1,2 %, sneller dan Drenthe (\u{2212}0,3 %)."
        );
        assert_eq!(
            summary(&sheet(Lang::En, -1.2, -0.3)),
            "The population of Emmen fell by 1.2 % between 2019 and 2024, faster than Drenthe (\u{2212}0.3 %)."
        );
        assert_eq!(
            summary(&sheet(Lang::Nl, -0.2, 0.5)),
            "De bevolking van Emmen daalde tussen 2019 en 2024 met 0,2 %, terwijl de bevolking van Drenthe groeide (+0,5 %)."
        );
        assert_eq!(
            summary(&sheet(Lang::En, 0.01, 0.4)),
            "The population of Emmen stayed the same between 2019 and 2024, while the population of Drenthe grew (+0.4 %)."
        );
    }
}
