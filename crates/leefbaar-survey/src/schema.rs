//! The questionnaire: questions, their kinds and answer codes, with Dutch and English labels.
//!
//! Read from TOML; unknown keys are errors, so a typo in a schema is reported rather than
//! silently ignored.

use serde::Deserialize;

use crate::ImportError;

/// A text in Dutch and English.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Label {
    /// Dutch.
    pub nl: String,
    /// English.
    pub en: String,
}

/// One answer option of a choice question.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerOption {
    /// The code as written in the respondent file (`sunny`).
    pub code: String,
    /// Dutch label.
    pub nl: String,
    /// English label.
    pub en: String,
}

/// What kind of answer a question takes.
#[derive(Debug, Clone, PartialEq)]
pub enum QuestionKind {
    /// A number between `min` and `max` inclusive (a rating 1–10).
    Number {
        /// The smallest valid answer.
        min: f64,
        /// The largest valid answer.
        max: f64,
    },
    /// Exactly one of the options.
    Single(Vec<AnswerOption>),
    /// Any subset of the options, written `code|code` in the file.
    Multiple(Vec<AnswerOption>),
}

impl QuestionKind {
    /// The options of a choice question (empty for a number).
    pub fn options(&self) -> &[AnswerOption] {
        match self {
            QuestionKind::Number { .. } => &[],
            QuestionKind::Single(options) | QuestionKind::Multiple(options) => options,
        }
    }

    /// The kind's name in the schema file.
    pub fn as_str(&self) -> &'static str {
        match self {
            QuestionKind::Number { .. } => "number",
            QuestionKind::Single(_) => "single",
            QuestionKind::Multiple(_) => "multiple",
        }
    }
}

/// One question.
#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    /// The id, which is also the column name in the respondent file.
    pub id: String,
    /// The question text.
    pub label: Label,
    /// Its kind and options.
    pub kind: QuestionKind,
}

/// A questionnaire with the background variables every respondent has.
#[derive(Debug, Clone, PartialEq)]
pub struct Schema {
    /// The survey's id (`burgerpanel_2018`).
    pub id: String,
    /// The survey's title.
    pub title: Label,
    /// The age-group codes, in order (`18-44`, `45-64`, `65+`).
    pub age_groups: Vec<String>,
    /// The sex codes (`male`, `female`).
    pub sexes: Vec<String>,
    /// The questions, in column order.
    pub questions: Vec<Question>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSchema {
    id: String,
    title: Label,
    age_groups: Vec<String>,
    sexes: Vec<String>,
    questions: Vec<RawQuestion>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    id: String,
    kind: String,
    label: Label,
    min: Option<f64>,
    max: Option<f64>,
    #[serde(default)]
    answers: Vec<AnswerOption>,
}

/// The columns every respondent file has before the questions.
pub(crate) const FIXED_COLUMNS: [&str; 5] = [
    "respondent_id",
    "area_code",
    "age_group",
    "sex",
    "design_weight",
];

impl Schema {
    /// Parses a schema from TOML text; `file` names it in errors.
    pub fn from_toml(file: &str, text: &str) -> Result<Schema, ImportError> {
        let bad = |message: String| ImportError::Schema {
            file: file.to_owned(),
            message,
        };
        let raw: RawSchema = toml::from_str(text).map_err(|error| bad(error.to_string()))?;
        let mut questions = Vec::with_capacity(raw.questions.len());
        for question in raw.questions {
            let id = question.id;
            if FIXED_COLUMNS.contains(&id.as_str())
                || questions.iter().any(|q: &Question| q.id == id)
            {
                return Err(bad(format!(
                    "question id `{id}` is used twice or is a reserved column"
                )));
            }
            let kind = match question.kind.as_str() {
                "number" => {
                    let (Some(min), Some(max)) = (question.min, question.max) else {
                        return Err(bad(format!(
                            "question `{id}`: a number question needs `min` and `max`"
                        )));
                    };
                    if min > max || !question.answers.is_empty() {
                        return Err(bad(format!(
                            "question `{id}`: needs min <= max and no answers"
                        )));
                    }
                    QuestionKind::Number { min, max }
                }
                "single" | "multiple" => {
                    if question.answers.is_empty()
                        || question.min.is_some()
                        || question.max.is_some()
                    {
                        return Err(bad(format!(
                            "question `{id}`: a choice question needs answers and no min/max"
                        )));
                    }
                    for (k, option) in question.answers.iter().enumerate() {
                        if option.code.is_empty()
                            || option.code.contains('|')
                            || question.answers[..k].iter().any(|o| o.code == option.code)
                        {
                            return Err(bad(format!(
                                "question `{id}`: answer code `{}` is empty, contains `|` or is used twice",
                                option.code
                            )));
                        }
                    }
                    if question.kind == "single" {
                        QuestionKind::Single(question.answers)
                    } else {
                        QuestionKind::Multiple(question.answers)
                    }
                }
                other => {
                    return Err(bad(format!(
                        "question `{id}`: kind `{other}` is not one of number, single, multiple"
                    )));
                }
            };
            questions.push(Question {
                id,
                label: question.label,
                kind,
            });
        }
        if raw.age_groups.is_empty() || raw.sexes.is_empty() {
            return Err(bad("`age_groups` and `sexes` must not be empty".to_owned()));
        }
        Ok(Schema {
            id: raw.id,
            title: raw.title,
            age_groups: raw.age_groups,
            sexes: raw.sexes,
            questions,
        })
    }

    /// The index of a question by id.
    pub fn question_index(&self, id: &str) -> Option<usize> {
        self.questions.iter().position(|q| q.id == id)
    }
}
