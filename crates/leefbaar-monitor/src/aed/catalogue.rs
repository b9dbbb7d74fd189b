//! The catalogue entries of AED coverage, generated from the manifest's `[aed]` section (its
//! distance and responder thresholds are part of the names and descriptions). The entries flag
//! the Hartveilig fact sheet's figures (`factsheet = { sheet = "hartveilig", … }`): six tiles,
//! the coverage chart by moment of the week and the ranking of the share without a 24/7 AED.

use std::fmt::Write as _;

use leefbaar_ingest::AedSpec;

/// Residents of the population points: the denominator of the coverage shares.
pub const PERSONS_VARIABLE: &str = "aed_persons";
/// Residents without an AED available day and night within the distance.
pub const UNCOVERED_247_VARIABLE: &str = "aed_uncovered_24_7";
/// Public AEDs of the register.
pub const COUNT_VARIABLE: &str = "aed_count";
/// Public AEDs available day and night.
pub const COUNT_247_VARIABLE: &str = "aed_count_24_7";
/// Public AEDs inside a building (or of unknown placement).
pub const COUNT_INDOOR_VARIABLE: &str = "aed_count_indoor";
/// Public AEDs with at least the aimed-for responders within the responder radius.
pub const COUNT_RESPONDED_VARIABLE: &str = "aed_count_responded";
/// Registered citizen responders.
pub const RESPONDERS_VARIABLE: &str = "aed_responders";

/// The base variable of the residents covered under `rule` (`24_7`, `day` …).
pub fn covered_variable(rule: &str) -> String {
    format!("aed_covered_{rule}")
}

/// The indicator of the share of residents covered under `rule`.
pub fn covered_indicator(rule: &str) -> String {
    format!("aed_share_covered_{rule}")
}

/// The base variable of the residents covered under `rule` over the foot network.
pub fn foot_covered_variable(rule: &str) -> String {
    format!("aed_covered_foot_{rule}")
}

/// Residents without an AED available day and night within the distance over the foot network.
pub const UNCOVERED_FOOT_247_VARIABLE: &str = "aed_uncovered_foot_24_7";

/// The indicator of the share of residents without a 24/7 AED within the distance.
pub const UNCOVERED_INDICATOR: &str = "aed_share_uncovered_24_7";

/// A rule in words: when the counted AEDs are available.
fn rule_words(rule: &str) -> (&'static str, &'static str) {
    match rule {
        "24_7" => ("dag en nacht (24/7)", "day and night (24/7)"),
        "day" => ("op een werkdag om 10.00 uur", "on a weekday at 10:00"),
        "evening" => ("op een werkdag om 20.00 uur", "on a weekday at 20:00"),
        "night" => ("'s nachts om 03.00 uur", "at night at 03:00"),
        _ => ("op zaterdag om 14.00 uur", "on Saturday at 14:00"),
    }
}

/// A rule's short label as a bar of the fact sheet's coverage chart.
fn rule_label(rule: &str) -> (&'static str, &'static str) {
    match rule {
        "24_7" => ("24/7", "24/7"),
        "day" => ("Werkdag 10.00", "Weekday 10:00"),
        "evening" => ("Werkdag 20.00", "Weekday 20:00"),
        "night" => ("Nacht 03.00", "Night 03:00"),
        _ => ("Zaterdag 14.00", "Saturday 14:00"),
    }
}

/// The fact-sheet tile of a coverage share, by rule: the day and the night, the moments that
/// differ most.
fn rule_tile(rule: &str) -> Option<u16> {
    match rule {
        "day" => Some(2),
        "night" => Some(3),
        _ => None,
    }
}

/// The Hartveilig fact sheet's use of an indicator (the catalogue's `factsheet` line): coverage
/// is a model output for the register's year, so tiles and the chart take the latest year.
fn on_sheet(fields: &str) -> String {
    format!("factsheet = {{ sheet = \"hartveilig\", {fields} }}\n")
}

fn quoted(text: &str) -> String {
    toml::Value::String(text.to_owned()).to_string()
}

/// The catalogue extension (in the catalogue's TOML format) declaring the AED source, base
/// variables and indicators of `spec`; with `over_network`, those over the foot network too.
pub fn catalogue_entries(spec: &AedSpec, over_network: bool) -> String {
    let metres = spec.within_m;
    let radius_km = spec.responder_radius_m / 1000.0;
    let aim = spec.responders_per_aed;
    let synthetic_nl = if spec.synthetic_notice.is_some() {
        " SYNTHETISCH register: geen echte AED's."
    } else {
        ""
    };
    let synthetic_en = if spec.synthetic_notice.is_some() {
        " SYNTHETIC register: not real AEDs."
    } else {
        ""
    };
    let how_nl = format!(
        "Hemelsbreed, zoals de landelijke norm van HartslagNu; inwoners gelijk gespreid over een raster van 100 m binnen hun deel van de 1 km-cel.{synthetic_nl}"
    );
    let how_en = format!(
        "Straight line, as in HartslagNu's national convention; residents spread evenly over a 100 m lattice within their part of the 1 km cell.{synthetic_en}"
    );
    let mut out = String::new();
    let source = &spec.source;
    let _ = writeln!(
        out,
        "[[source]]\nid = {}\ndescription = {}\n",
        quoted(&source.id),
        quoted(&source.description)
    );
    let mut variable = |id: &str, unit: &str, nl: String, en: String| {
        let _ = writeln!(
            out,
            "[[variable]]\nid = {}\nunit = {}\nadditive = true\ndescription.nl = {}\ndescription.en = {}\n",
            quoted(id),
            quoted(unit),
            quoted(&nl),
            quoted(&en)
        );
    };
    variable(
        PERSONS_VARIABLE,
        "persons",
        "Inwoners van de herkomstpunten; de noemer van de AED-dekking".to_owned(),
        "Inhabitants of the origin points; the denominator of AED coverage".to_owned(),
    );
    for rule in super::rules() {
        let (nl, en) = rule_words(rule);
        variable(
            &covered_variable(rule),
            "persons",
            format!("Inwoners binnen {metres} m van een AED die {nl} beschikbaar is"),
            format!("Inhabitants within {metres} m of an AED available {en}"),
        );
    }
    variable(
        UNCOVERED_247_VARIABLE,
        "persons",
        format!("Inwoners zonder AED die dag en nacht beschikbaar is binnen {metres} m"),
        format!("Inhabitants without an AED available day and night within {metres} m"),
    );
    if over_network {
        for rule in super::rules() {
            let (nl, en) = rule_words(rule);
            variable(
                &foot_covered_variable(rule),
                "persons",
                format!(
                    "Inwoners binnen {metres} m over het voetpadennet van een AED die {nl} beschikbaar is"
                ),
                format!(
                    "Inhabitants within {metres} m over the foot network of an AED available {en}"
                ),
            );
        }
        variable(
            UNCOVERED_FOOT_247_VARIABLE,
            "persons",
            format!(
                "Inwoners zonder AED die dag en nacht beschikbaar is binnen {metres} m over het voetpadennet"
            ),
            format!(
                "Inhabitants without an AED available day and night within {metres} m over the foot network"
            ),
        );
    }
    variable(
        COUNT_VARIABLE,
        "count",
        "Openbaar toegankelijke AED's".to_owned(),
        "Publicly accessible AEDs".to_owned(),
    );
    variable(
        COUNT_247_VARIABLE,
        "count",
        "AED's die dag en nacht beschikbaar zijn".to_owned(),
        "AEDs available day and night".to_owned(),
    );
    variable(
        COUNT_INDOOR_VARIABLE,
        "count",
        "AED's binnen in een gebouw".to_owned(),
        "AEDs inside a building".to_owned(),
    );
    if spec.responders.is_some() {
        variable(
            RESPONDERS_VARIABLE,
            "persons",
            "Burgerhulpverleners".to_owned(),
            "Citizen responders".to_owned(),
        );
        variable(
            COUNT_RESPONDED_VARIABLE,
            "count",
            format!("AED's met ten minste {aim} burgerhulpverleners binnen {radius_km} km"),
            format!("AEDs with at least {aim} citizen responders within {radius_km} km"),
        );
    }
    let mut indicator = |body: String| {
        let _ = writeln!(
            out,
            "[[indicator]]\n{body}theme = \"health\"\nsource = {}\n",
            quoted(&source.id)
        );
    };
    let text = |id: &str, nl: String, en: String, dnl: String, den: String| {
        format!(
            "id = {}\nname.nl = {}\nname.en = {}\ndescription.nl = {}\ndescription.en = {}\n",
            quoted(id),
            quoted(&nl),
            quoted(&en),
            quoted(&dnl),
            quoted(&den)
        )
    };
    indicator(format!(
        "kind = \"share\"\nnumerator = {}\ndenominator = {}\nunit = \"percent\"\ndecimals = 1\n{}{}",
        quoted(UNCOVERED_247_VARIABLE),
        quoted(PERSONS_VARIABLE),
        on_sheet("tile = 1, latest = true, ranking = 1"),
        text(
            UNCOVERED_INDICATOR,
            format!("Zonder 24/7-AED binnen {metres} m"),
            format!("Without a 24/7 AED within {metres} m"),
            format!(
                "Percentage van de inwoners zonder AED die dag en nacht beschikbaar is binnen {metres} m (de witte vlekken). {how_nl}"
            ),
            format!(
                "Percentage of inhabitants without an AED available day and night within {metres} m (the white spots). {how_en}"
            ),
        )
    ));
    for rule in super::rules() {
        let (nl, en) = rule_words(rule);
        let (label_nl, label_en) = rule_label(rule);
        let tile = rule_tile(rule).map_or(String::new(), |tile| format!("tile = {tile}, "));
        indicator(format!(
            "kind = \"share\"\nnumerator = {}\ndenominator = {}\nunit = \"percent\"\ndecimals = 1\n{}{}",
            quoted(&covered_variable(rule)),
            quoted(PERSONS_VARIABLE),
            on_sheet(&format!(
                "{tile}latest = true, chart = \"aed_coverage\", label = {{ nl = {}, en = {} }}",
                quoted(label_nl),
                quoted(label_en)
            )),
            text(
                &covered_indicator(rule),
                format!("AED binnen {metres} m, {nl}"),
                format!("AED within {metres} m, {en}"),
                format!(
                    "Percentage van de inwoners met een AED binnen {metres} m die {nl} beschikbaar is (naar openingstijden; binnen zonder openingstijden telt niet, buiten zonder openingstijden telt dag en nacht). {how_nl}"
                ),
                format!(
                    "Percentage of inhabitants with an AED within {metres} m that is available {en} (by opening hours; indoors without hours never counts, outdoors without hours counts day and night). {how_en}"
                ),
            )
        ));
    }
    if over_network {
        let foot_nl = "Over het voetpadennet van OpenStreetMap (lopen, vanaf waar de inwoner het net bereikt); inwoners gelijk gespreid over een raster van 100 m binnen hun deel van de 1 km-cel.";
        let foot_en = "Over OpenStreetMap's foot network (walking, from where the inhabitant meets the network); inhabitants spread evenly over a 100 m lattice within their part of the 1 km cell.";
        indicator(format!(
            "kind = \"share\"\nnumerator = {}\ndenominator = {}\nunit = \"percent\"\ndecimals = 1\n{}",
            quoted(UNCOVERED_FOOT_247_VARIABLE),
            quoted(PERSONS_VARIABLE),
            text(
                "aed_share_uncovered_foot_24_7",
                format!("Zonder 24/7-AED binnen {metres} m lopen"),
                format!("Without a 24/7 AED within a {metres} m walk"),
                format!(
                    "Percentage van de inwoners zonder AED die dag en nacht beschikbaar is binnen {metres} m lopen. {foot_nl}{synthetic_nl}"
                ),
                format!(
                    "Percentage of inhabitants without an AED available day and night within a {metres} m walk. {foot_en}{synthetic_en}"
                ),
            )
        ));
        for rule in super::rules() {
            let (nl, en) = rule_words(rule);
            indicator(format!(
                "kind = \"share\"\nnumerator = {}\ndenominator = {}\nunit = \"percent\"\ndecimals = 1\n{}",
                quoted(&foot_covered_variable(rule)),
                quoted(PERSONS_VARIABLE),
                text(
                    &format!("aed_share_covered_foot_{rule}"),
                    format!("AED binnen {metres} m lopen, {nl}"),
                    format!("AED within a {metres} m walk, {en}"),
                    format!(
                        "Percentage van de inwoners met een AED binnen {metres} m lopen die {nl} beschikbaar is. {foot_nl}{synthetic_nl}"
                    ),
                    format!(
                        "Percentage of inhabitants with an AED within a {metres} m walk that is available {en}. {foot_en}{synthetic_en}"
                    ),
                )
            ));
        }
    }
    for (id, variable, nl, en, tile) in [
        ("aed_count", COUNT_VARIABLE, "AED's", "AEDs", Some(4)),
        (
            "aed_count_24_7",
            COUNT_247_VARIABLE,
            "AED's dag en nacht beschikbaar",
            "AEDs available day and night",
            Some(5),
        ),
        (
            "aed_count_indoor",
            COUNT_INDOOR_VARIABLE,
            "AED's binnen een gebouw",
            "AEDs inside a building",
            None,
        ),
    ] {
        indicator(format!(
            "kind = \"count\"\nvariable = {}\nunit = \"count\"\ndecimals = 0\n{}{}",
            quoted(variable),
            tile.map_or(String::new(), |tile: u16| on_sheet(&format!(
                "tile = {tile}, latest = true"
            ))),
            text(
                id,
                nl.to_owned(),
                en.to_owned(),
                format!(
                    "Aantal openbaar toegankelijke AED's in het register ({nl}); een AED telt mee in het gebied van het dichtstbijzijnde herkomstpunt.{synthetic_nl}"
                ),
                format!(
                    "Number of publicly accessible AEDs in the register ({en}); an AED counts in the area of the nearest origin point.{synthetic_en}"
                ),
            )
        ));
    }
    // The number behind the share: the people a new or moved AED could reach.
    indicator(format!(
        "kind = \"count\"\nvariable = {}\nunit = \"persons\"\ndecimals = 0\n{}",
        quoted(UNCOVERED_247_VARIABLE),
        text(
            "aed_persons_uncovered_24_7",
            format!("Inwoners zonder 24/7-AED binnen {metres} m"),
            format!("Inhabitants without a 24/7 AED within {metres} m"),
            format!(
                "Aantal inwoners zonder AED die dag en nacht beschikbaar is binnen {metres} m. {how_nl}"
            ),
            format!(
                "Number of inhabitants without an AED available day and night within {metres} m. {how_en}"
            ),
        )
    ));
    if spec.responders.is_some() {
        indicator(format!(
            "kind = \"share\"\nnumerator = {}\ndenominator = {}\nunit = \"percent\"\ndecimals = 2\n{}{}",
            quoted(RESPONDERS_VARIABLE),
            quoted(PERSONS_VARIABLE),
            on_sheet("tile = 6, latest = true"),
            text(
                "aed_responders_per_100",
                "Burgerhulpverleners per 100 inwoners".to_owned(),
                "Citizen responders per 100 inhabitants".to_owned(),
                format!(
                    "Geregistreerde burgerhulpverleners per 100 inwoners (als percentage van de inwoners); het streven is 1.{synthetic_nl}"
                ),
                format!(
                    "Registered citizen responders per 100 inhabitants (as a percentage of the inhabitants); the aim is 1.{synthetic_en}"
                ),
            )
        ));
        indicator(format!(
            "kind = \"share\"\nnumerator = {}\ndenominator = {}\nunit = \"percent\"\ndecimals = 1\n{}",
            quoted(COUNT_RESPONDED_VARIABLE),
            quoted(COUNT_VARIABLE),
            text(
                "aed_share_responded",
                format!("AED's met {aim}+ burgerhulpverleners binnen {radius_km} km"),
                format!("AEDs with {aim}+ responders within {radius_km} km"),
                format!(
                    "Percentage van de AED's met ten minste {aim} burgerhulpverleners binnen {radius_km} km (hemelsbreed; burgerhulpverleners wonen waar de inwoners van hun postcodegebied wonen): in landelijk gebied zijn er zoveel nodig om er vijf ter plaatse te krijgen.{synthetic_nl}"
                ),
                format!(
                    "Percentage of AEDs with at least {aim} citizen responders within {radius_km} km (straight line; responders live where their postcode area's inhabitants live): in rural areas that many are needed to get five on site.{synthetic_en}"
                ),
            )
        ));
    }
    out
}
