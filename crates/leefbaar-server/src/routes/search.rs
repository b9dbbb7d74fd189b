//! `GET /api/v1/search`: find an area by name, code or postcode, for the dashboard's search
//! box. A postcode (`9401`, `9401 AB`) answers with its postcode area (where the bundle has
//! postcode areas), then its district and municipality; text answers with the areas whose name
//! or code matches, best match first.

use std::collections::BTreeSet;

use axum::Json;
use axum::extract::{Query, State};
use leefbaar_model::{Area, AreaCode, AreaLevel, Postcode};
use serde::Serialize;
use serde_json::Value;

use crate::params::Params;
use crate::query::{MAX_LIMIT, MAX_QUERY_CHARS};
use crate::{ApiError, AppState};

const DEFAULT_LIMIT: usize = 10;

#[derive(Serialize)]
struct Hit {
    code: String,
    name: String,
    level: &'static str,
    parent: Option<String>,
    /// `name`, `code` or `postcode`: what the query matched.
    matched: &'static str,
    postcode: Option<String>,
    place: Option<String>,
}

impl Hit {
    fn new(area: &Area, matched: &'static str, postcode: Option<&Postcode>) -> Hit {
        Hit {
            code: area.code.to_string(),
            name: area.name.clone(),
            level: area.level().as_str(),
            parent: area.parent.as_ref().map(ToString::to_string),
            matched,
            postcode: postcode.map(|p| p.pc4.to_string()),
            place: postcode.map(|p| p.place.clone()),
        }
    }
}

#[utoipa::path(
    get,
    path = "/api/v1/search",
    operation_id = "search",
    params(crate::query::SearchQuery),
    responses(crate::routes::openapi::responses::JsonResponses),
    summary = "Areas by name, CBS code or postcode: a postcode (9401, 9401 AB) gives its postcode area (where the bundle has one), its district and its municipality (matched: postcode, with postcode and place); text gives areas whose name contains it, exact and prefix matches first"
)]
pub(crate) async fn search(
    State(state): State<AppState>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Json<Value>, ApiError> {
    let mut params = Params::of::<crate::query::SearchQuery>(pairs);
    let query = params.text("q").unwrap_or_default().to_owned();
    let limit = params.positive("limit", MAX_LIMIT).unwrap_or(DEFAULT_LIMIT);
    params.finish()?;
    if query.is_empty() {
        return Err(ApiError::bad_parameter(
            "parameter `q` is required: a name, an area code or a postcode such as 9401 or 9401 AB",
        ));
    }
    if query.chars().count() > MAX_QUERY_CHARS {
        return Err(ApiError::bad_parameter(format!(
            "parameter `q` may have at most {MAX_QUERY_CHARS} characters"
        )));
    }
    let hits = match Postcode::parse_pc4(&query) {
        Some(pc4) => {
            let postcode = state.query(move |store| store.postcode(pc4)).await?;
            by_postcode(&state, pc4, postcode.as_ref())
        }
        None => by_name(&state, &query, limit),
    };
    let count = hits.len();
    Ok(super::envelope(&state, hits, count, &BTreeSet::new()))
}

/// The postcode area itself, then the postcode's district and its municipality: what was
/// typed first, then the areas it lies in. A postcode area without a row in the postcode table
/// is still found; a postcode in neither gives nothing.
fn by_postcode(state: &AppState, pc4: u16, postcode: Option<&Postcode>) -> Vec<Hit> {
    let own = AreaCode::parse(&format!("PC{pc4:04}")).ok();
    let containing = postcode
        .into_iter()
        .flat_map(|postcode| postcode.district.iter().chain([&postcode.municipality]));
    own.iter()
        .chain(containing)
        .filter_map(|code| state.area(code))
        .map(|area| Hit::new(area, "postcode", postcode))
        .collect()
}

fn by_name(state: &AppState, query: &str, limit: usize) -> Vec<Hit> {
    let wanted = fold(query);
    let latest = state.snapshot.areas.values().map(|a| a.last_year).max();
    let mut ranked: Vec<((u8, bool, AreaLevel, String), Hit)> = state
        .snapshot
        .areas
        .values()
        .filter_map(|area| {
            let (rank, matched) = if area.code.as_str().eq_ignore_ascii_case(query.trim()) {
                (0, "code")
            } else {
                (name_rank(&fold(&area.name), &wanted)?, "name")
            };
            // Areas merged away sort after current ones with an equally good name.
            let former = Some(area.last_year) != latest;
            let key = (rank, former, area.level(), fold(&area.name));
            Some((key, Hit::new(area, matched, None)))
        })
        .collect();
    ranked.sort_by(|a, b| a.0.cmp(&b.0));
    ranked.into_iter().take(limit).map(|(_, hit)| hit).collect()
}

/// 0 exact, 1 prefix, 2 a word's prefix, 3 anywhere; `None` when it does not occur.
fn name_rank(name: &str, wanted: &str) -> Option<u8> {
    if name == wanted {
        Some(0)
    } else if name.starts_with(wanted) {
        Some(1)
    } else if name
        .match_indices(wanted)
        .any(|(at, _)| !name[..at].ends_with(char::is_alphanumeric))
    {
        Some(2)
    } else if name.contains(wanted) {
        Some(3)
    } else {
        None
    }
}

/// Lower case without diacritics, hyphens as spaces and runs of spaces collapsed, so that
/// `nieuw-amsterdam`, `Nieuw Amsterdam` and `NIEUW  AMSTERDAM` all match, and a name typed
/// without its accents (`Sudwest-Fryslan`) still does.
fn fold(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        let plain = match c {
            'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' => 'a',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ò' | 'ó' | 'ô' | 'ö' | 'õ' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ý' | 'ÿ' => 'y',
            'ç' => 'c',
            'ñ' => 'n',
            '-' | '\'' | '’' | '_' | '.' | ',' | '(' | ')' => ' ',
            c => c,
        };
        if plain == ' ' && (folded.is_empty() || folded.ends_with(' ')) {
            continue;
        }
        folded.push(plain);
    }
    folded.trim_end().to_owned()
}

#[cfg(test)]
mod tests {
    use super::{fold, name_rank};

    #[test]
    fn names_fold_to_plain_lower_case_words() {
        assert_eq!(fold("Nieuw-Amsterdam"), "nieuw amsterdam");
        assert_eq!(fold("  NIEUW  Amsterdam "), "nieuw amsterdam");
        assert_eq!(fold("Súdwest-Fryslân"), "sudwest fryslan");
        assert_eq!(fold("'s-Hertogenbosch"), "s hertogenbosch");
    }

    #[test]
    fn exact_beats_prefix_beats_word_beats_anywhere() {
        assert_eq!(name_rank("emmen", "emmen"), Some(0));
        assert_eq!(name_rank("emmen centrum", "emmen"), Some(1));
        assert_eq!(name_rank("wijk 40 emmen centrum", "emmen"), Some(2));
        assert_eq!(name_rank("nieuw weerdinge", "eerding"), Some(3));
        assert_eq!(name_rank("assen", "emmen"), None);
    }
}
