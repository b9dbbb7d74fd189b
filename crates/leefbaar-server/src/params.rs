//! Query-parameter parsing that reports every bad parameter by name with what is allowed.
//!
//! Unknown parameters are rejected rather than ignored: a typo such as `yaer=2024` silently
//! returning all years is worse than a 400 that names the parameters the route knows.

use leefbaar_model::{AreaCode, AreaLevel, Year};

use crate::ApiError;

/// Parsed query parameters of one request, with the errors found so far.
pub(crate) struct Params {
    pairs: Vec<(String, String)>,
    pub errors: Vec<String>,
}

/// The longest accepted value of one parameter; lists of area codes stay far below it.
const MAX_VALUE_LEN: usize = 4096;

impl Params {
    /// The parameters of a route whose query is described by `Q` (see [`crate::query`]): the
    /// names the `OpenAPI` document lists are the names the route accepts.
    pub fn of<Q: utoipa::IntoParams>(pairs: Vec<(String, String)>) -> Params {
        let names = crate::query::names::<Q>();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        Params::new(pairs, &names)
    }

    /// Checks names against `allowed` and rejects repeated, empty or oversized parameters.
    pub fn new(pairs: Vec<(String, String)>, allowed: &[&str]) -> Params {
        let mut errors = Vec::new();
        for (index, (name, value)) in pairs.iter().enumerate() {
            if !allowed.contains(&name.as_str()) {
                let allowed = if allowed.is_empty() {
                    "this route takes no parameters".to_owned()
                } else {
                    format!("allowed: {}", allowed.join(", "))
                };
                errors.push(format!("unknown parameter `{name}` ({allowed})"));
            } else if pairs[..index].iter().any(|(earlier, _)| earlier == name) {
                errors.push(format!(
                    "parameter `{name}` is given more than once; give it once (lists are comma-separated)"
                ));
            }
            // An empty value is a mistake (a form field left blank), not "absent": the document
            // calls it invalid, so the route must say so rather than answer as if it were left out.
            if value.trim().is_empty() {
                errors.push(format!(
                    "parameter `{name}` is empty: leave it out or give a value"
                ));
            }
            if value.len() > MAX_VALUE_LEN {
                errors.push(format!(
                    "parameter `{name}` is longer than {MAX_VALUE_LEN} characters"
                ));
            }
        }
        Params { pairs, errors }
    }

    /// The raw value, if given and non-empty.
    pub fn text(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.trim())
            .filter(|value| !value.is_empty())
    }

    /// A comma-separated list, empty if absent.
    pub fn list(&self, name: &str) -> Vec<String> {
        self.text(name)
            .map(|text| {
                text.split(',')
                    .map(str::trim)
                    .filter(|item| !item.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn year(&mut self, name: &str) -> Option<Year> {
        let text = self.text(name)?.to_owned();
        if let Ok(year) = text.parse::<Year>() {
            Some(year)
        } else {
            self.errors.push(format!(
                "parameter `{name}` must be a year between 1900 and 2200, found `{text}`"
            ));
            None
        }
    }

    /// One of [`crate::query::LEVELS`] (only the API's names, which the document lists).
    pub fn level(&mut self, name: &str) -> Option<AreaLevel> {
        let text = self.text(name)?.to_owned();
        match text.parse::<AreaLevel>() {
            Ok(level) if crate::query::LEVELS.contains(&text.as_str()) => Some(level),
            _ => {
                self.errors.push(format!(
                    "parameter `{name}` must be one of {}, found `{text}`",
                    crate::query::LEVELS.join(", ")
                ));
                None
            }
        }
    }

    pub fn code(&mut self, name: &str) -> Option<AreaCode> {
        let text = self.text(name)?.to_owned();
        self.parse_code(name, &text)
    }

    pub fn codes(&mut self, name: &str) -> Vec<AreaCode> {
        self.list(name)
            .iter()
            .filter_map(|text| self.parse_code(name, text))
            .collect()
    }

    fn parse_code(&mut self, name: &str, text: &str) -> Option<AreaCode> {
        if let Ok(code) = AreaCode::parse(text) {
            Some(code)
        } else {
            self.errors.push(format!(
                "parameter `{name}` must be CBS area codes such as NL01, PV22, GM0106, WK010600 or BU01060000, found `{text}`"
            ));
            None
        }
    }

    /// One of a fixed set of words; `default` when absent.
    pub fn choice(
        &mut self,
        name: &str,
        allowed: &[&'static str],
        default: &'static str,
    ) -> &'static str {
        match self.text(name) {
            None => default,
            Some(text) => {
                if let Some(found) = allowed.iter().find(|choice| **choice == text) {
                    found
                } else {
                    let message = format!(
                        "parameter `{name}` must be one of {}, found `{text}`",
                        allowed.join(", ")
                    );
                    self.errors.push(message);
                    default
                }
            }
        }
    }

    pub fn positive(&mut self, name: &str, max: usize) -> Option<usize> {
        let text = self.text(name)?.to_owned();
        match text.parse::<usize>() {
            Ok(number) if (1..=max).contains(&number) => Some(number),
            _ => {
                self.errors.push(format!(
                    "parameter `{name}` must be a whole number from 1 to {max}, found `{text}`"
                ));
                None
            }
        }
    }

    /// Ends parsing: all errors found become one 400 response.
    pub fn finish(self) -> Result<(), ApiError> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError::BadRequest(self.errors))
        }
    }
}
