//! The generated text of a sheet, from its numbers: direction words and comparisons follow the
//! signs and sizes of the values, numbers follow the language's notation, and figures the sheet
//! lacks for its area are named with the reason.

use crate::present::{format_number, signed};
use crate::{FactsheetData, KeyFigure, Lang};

/// The sheet's short text: the population change over five years against the province (or,
/// for districts, which have no series, the number of inhabitants and households), the share
/// aged 65+ and the distance to a primary school against the municipality, the province and the
/// Netherlands, the projection when present; on the Hartveilig sheet the share without a 24/7
/// AED, coverage by day and at night and the responders; and what the sheet lacks
/// ([`FactsheetData::gaps`]).
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
    // Without a change over time (districts), the text starts with the area's size.
    let size = data
        .figure("inhabitants")
        .filter(|_| data.figure("inhabitants_change_5y").is_none());
    let size_year = size.map(|people| people.year);
    if let Some(people) = size {
        let n = format_number(people.value, 0, lang);
        let households = data.figure("households").filter(|h| h.year == people.year);
        let year = people.year;
        let of = match (lang, &data.municipality) {
            (Lang::Nl, Some(m)) => format!(", een {} van {m},", data.level),
            (Lang::En, Some(m)) => format!(", a {} of {m},", data.level),
            (_, None) => String::new(),
        };
        let in_households = households.map_or(String::new(), |h| match lang {
            Lang::Nl => format!(" in {} huishoudens", format_number(h.value, 0, lang)),
            Lang::En => format!(" in {} households", format_number(h.value, 0, lang)),
        });
        sentences.push(match lang {
            Lang::Nl => format!("{name}{of} telde in {year} {n} inwoners{in_households}."),
            Lang::En => format!("{name}{of} had {n} inhabitants{in_households} in {year}."),
        });
    }
    if let Some(old) = data.figure("share_65_plus") {
        let v = format!("{} %", format_number(old.value, 1, lang));
        let compare = comparison(data, old, |x| format!("{} %", format_number(x, 1, lang)));
        // After the size sentence of the same year, "of them" instead of the year again.
        let follows_size = size_year == Some(old.year);
        sentences.push(match (lang, follows_size) {
            (Lang::Nl, true) => format!("Daarvan was {v} 65 jaar of ouder{compare}."),
            (Lang::En, true) => format!("Of them, {v} were aged 65 or over{compare}."),
            (Lang::Nl, false) => format!(
                "In {} was {v} van de inwoners 65 jaar of ouder{compare}.",
                old.year
            ),
            (Lang::En, false) => format!(
                "In {}, {v} of the inhabitants were aged 65 or over{compare}.",
                old.year
            ),
        });
    }
    if let Some(reach) = data.figure("reach_distance_primary_school") {
        let km = |x: f64| format!("{} km", format_number(x, 1, lang));
        let compare = comparison(data, reach, km);
        sentences.push(match lang {
            Lang::Nl => format!(
                "De inwoners wonen gemiddeld op {} van de dichtstbijzijnde basisschool{compare}.",
                km(reach.value)
            ),
            Lang::En => format!(
                "Inhabitants live on average {} from the nearest primary school{compare}.",
                km(reach.value)
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
    sentences.extend(hartveilig(data));
    sentences.extend(zorg(data));
    sentences.extend(data.gaps.iter().cloned());
    sentences.join(" ")
}

/// The Hartveilig sheet's sentences: the share without a 24/7 AED against the compared areas,
/// coverage by day and at night, and the responders against their aim.
fn hartveilig(data: &FactsheetData) -> Vec<String> {
    let lang = data.lang;
    let name = &data.name;
    let pct = |x: f64, decimals: u8| format!("{} %", format_number(x, decimals, lang));
    let mut sentences = Vec::new();
    if let Some(uncovered) = data.figure("aed_share_uncovered_24_7") {
        let compare = comparison(data, uncovered, |x| pct(x, 1));
        let v = pct(uncovered.value, 1);
        sentences.push(match lang {
            Lang::Nl => format!(
                "In {name} heeft {v} van de inwoners geen AED binnen bereik die dag en nacht beschikbaar is{compare}."
            ),
            Lang::En => format!(
                "In {name}, {v} of the inhabitants have no AED within reach that is available day and night{compare}."
            ),
        });
    }
    if let (Some(day), Some(night)) = (
        data.figure("aed_share_covered_day"),
        data.figure("aed_share_covered_night"),
    ) {
        let (d, n) = (pct(day.value, 1), pct(night.value, 1));
        sentences.push(match lang {
            Lang::Nl => format!(
                "Op een werkdag om 10.00 uur heeft {d} van de inwoners een beschikbare AED binnen bereik, 's nachts om 03.00 uur {n}."
            ),
            Lang::En => format!(
                "On a weekday at 10:00, {d} of the inhabitants have an available AED within reach; at night at 03:00, {n}."
            ),
        });
    }
    if let Some(responders) = data.figure("aed_responders_per_100") {
        let r = format_number(responders.value, responders.decimals, lang);
        sentences.push(match lang {
            Lang::Nl => {
                format!("Er zijn {r} burgerhulpverleners per 100 inwoners; het streven is 1.")
            }
            Lang::En => {
                format!("There are {r} citizen responders per 100 inhabitants; the aim is 1.")
            }
        });
    }
    sentences
}

/// The care sheet's sentences: the informal-care potential in the projection's last year
/// against its first year on the chart and the compared areas, and the estimated people with
/// dementia with their growth since 2024.
fn zorg(data: &FactsheetData) -> Vec<String> {
    let lang = data.lang;
    let name = &data.name;
    let mut sentences = Vec::new();
    if let Some(potential) = data.figure("informal_care_potential") {
        let show = |x: f64| format_number(x, 1, lang);
        let v = show(potential.value);
        let year = potential.year;
        let compare = comparison(data, potential, show);
        // The chart's first year, for the starting point of the same series.
        let start = data
            .charts
            .iter()
            .find(|chart| chart.id == "chart-informal-care")
            .and_then(|chart| {
                let first = chart.series.first()?.values.first().copied().flatten()?;
                Some((chart.categories.first()?.clone(), first))
            })
            .filter(|(from, _)| *from != year.to_string());
        let since = start.map_or(String::new(), |(from, value)| match lang {
            Lang::Nl => format!(", tegen {} in {from}", show(value)),
            Lang::En => format!(", against {} in {from}", show(value)),
        });
        sentences.push(match lang {
            Lang::Nl => format!(
                "Volgens de prognose zijn er in {name} in {year} {v} inwoners van 50 tot en met 74 jaar per inwoner van 85 jaar of ouder{since}{compare}."
            ),
            Lang::En => format!(
                "According to the projection, {name} will have {v} inhabitants aged 50 to 74 per inhabitant aged 85 or over in {year}{since}{compare}."
            ),
        });
    }
    if let Some(dementia) = data.figure("projected_dementia") {
        let n = format_number(dementia.value, 0, lang);
        let year = dementia.year;
        let index = data
            .figure("projected_dementia_index_2024")
            .filter(|index| index.year == year)
            .map_or(String::new(), |index| {
                // The same words in both languages; only the number's notation differs.
                format!(
                    " (index {}, 2024 = 100)",
                    format_number(index.value, 1, lang)
                )
            });
        sentences.push(match lang {
            Lang::Nl => format!(
                "Bij gelijkblijvende kans op dementie per leeftijd hebben in {year} naar schatting {n} inwoners van {name} dementie{index}."
            ),
            Lang::En => format!(
                "If the risk of dementia at each age stays the same, an estimated {n} inhabitants of {name} will have dementia in {year}{index}."
            ),
        });
    }
    sentences
}

/// The heading and sentence of the notice at the top of a sheet whose figures come from a
/// synthetic source ([`FactsheetData::notice`]), in `lang`.
pub(crate) fn notice_words(lang: Lang) -> (&'static str, &'static str) {
    (
        lang.pick("Let op: synthetische gegevens", "Note: synthetic data"),
        lang.pick(
            "De cijfers op dit blad komen uit een synthetische bron: ze zijn gegenereerd en beschrijven niet de werkelijke situatie.",
            "The figures on this sheet come from a synthetic source: they are generated and do not describe the real situation.",
        ),
    )
}

/// " (Assen 24,9 %, Drenthe 24,9 %, Nederland 20,5 %)": the figure's values for the
/// municipality, the province and the country, or nothing.
fn comparison(data: &FactsheetData, figure: &KeyFigure, show: impl Fn(f64) -> String) -> String {
    let parts: Vec<String> = [
        (figure.municipality, data.municipality.as_deref()),
        (figure.province, data.province.as_deref()),
        (figure.country, Some(data.country.as_str())),
    ]
    .into_iter()
    .filter_map(|(value, name)| Some(format!("{} {}", name?, show(value?))))
    .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!(" ({})", parts.join(", "))
    }
}

/// Rounds to the one decimal the text shows, so that words and numbers agree.
fn round1(value: f64) -> f64 {
    let r = (value * 10.0).round() / 10.0;
    if r == 0.0 { 0.0 } else { r }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Theme;

    fn sheet(lang: Lang, area: f64, province: f64) -> FactsheetData {
        FactsheetData {
            code: "GM0114".to_owned(),
            name: "Emmen".to_owned(),
            level: "gemeente".to_owned(),
            municipality: None,
            province: Some("Drenthe".to_owned()),
            country: "Nederland".to_owned(),
            theme: Theme::Leefbaarheid,
            year: 2024,
            lang,
            date: "2026-01-01".to_owned(),
            notice: None,
            map: None,
            gaps: Vec::new(),
            key_figures: vec![KeyFigure {
                indicator: "inhabitants_change_5y".to_owned(),
                label: String::new(),
                unit: "%".to_owned(),
                decimals: 1,
                year: 2024,
                value: area,
                municipality: None,
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
