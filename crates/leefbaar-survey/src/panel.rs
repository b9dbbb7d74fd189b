//! Respondent-level data: import from CSV against a [`Schema`], all or nothing.

use std::collections::HashSet;
use std::io::Read;

use leefbaar_model::AreaCode;

use crate::schema::FIXED_COLUMNS;
use crate::{ImportError, ImportProblem, QuestionKind, Schema};

/// One respondent's answer to one question.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// Not answered, or not asked (an empty cell).
    Missing,
    /// A number question's answer.
    Number(f64),
    /// A single-choice answer: the index into the question's options.
    Choice(usize),
    /// A multiple-choice answer: the indices of the chosen options, ascending.
    Choices(Vec<usize>),
}

/// One respondent with background variables and answers.
#[derive(Debug, Clone, PartialEq)]
pub struct Respondent {
    /// The respondent id, unique in the file.
    pub id: String,
    /// Where the respondent lives (normally a municipality, `GM....`).
    pub area: AreaCode,
    /// Index into [`Schema::age_groups`].
    pub age_group: usize,
    /// Index into [`Schema::sexes`].
    pub sex: usize,
    /// The design weight (inverse inclusion probability); 1 when the file has none.
    pub design_weight: f64,
    /// One answer per question, in schema order.
    pub answers: Vec<Answer>,
}

/// The respondents of one survey with the schema they answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Panel {
    /// The questionnaire.
    pub schema: Schema,
    /// The respondents, in file order.
    pub respondents: Vec<Respondent>,
}

impl Panel {
    /// Reads respondents from CSV; `file` names the input in errors.
    ///
    /// The header has `respondent_id`, `area_code`, `age_group`, `sex`, optionally
    /// `design_weight`, and one column per question (any order). Empty answer cells are
    /// [`Answer::Missing`]; multiple-choice cells list codes separated by `|`. Every problem in
    /// the file is collected and returned together; no respondent is returned if there is any.
    pub fn from_csv(schema: Schema, file: &str, reader: impl Read) -> Result<Panel, ImportError> {
        let mut problems = Vec::new();
        let mut csv_reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .trim(csv::Trim::All)
            .from_reader(reader);
        let fail = |problems: Vec<ImportProblem>| ImportError::Rows {
            file: file.to_owned(),
            problems,
        };
        let header: Vec<String> = match csv_reader.headers() {
            Ok(header) => header.iter().map(str::to_owned).collect(),
            Err(error) => {
                return Err(fail(vec![ImportProblem {
                    line: 1,
                    field: String::new(),
                    message: format!("cannot read the header: {error}"),
                }]));
            }
        };
        let column = |name: &str| header.iter().position(|h| h == name);
        for name in &header {
            let known =
                FIXED_COLUMNS.contains(&name.as_str()) || schema.question_index(name).is_some();
            if !known {
                problems.push(ImportProblem {
                    line: 1,
                    field: name.clone(),
                    message: "unknown column (not a fixed column nor a question in the schema)"
                        .to_owned(),
                });
            }
        }
        let mut required: Vec<&str> = FIXED_COLUMNS[..4].to_vec();
        required.extend(schema.questions.iter().map(|q| q.id.as_str()));
        for name in required {
            if column(name).is_none() {
                problems.push(ImportProblem {
                    line: 1,
                    field: name.to_owned(),
                    message: "required column is missing".to_owned(),
                });
            }
        }
        if !problems.is_empty() {
            return Err(fail(problems));
        }
        let index_of = |name: &str| column(name).expect("checked above");
        let id_column = index_of("respondent_id");
        let area_column = index_of("area_code");
        let age_column = index_of("age_group");
        let sex_column = index_of("sex");
        let weight_column = column("design_weight");
        let question_columns: Vec<usize> =
            schema.questions.iter().map(|q| index_of(&q.id)).collect();

        let mut seen_ids = HashSet::new();
        let mut respondents = Vec::new();
        for (record_index, record) in csv_reader.records().enumerate() {
            let line = record_index as u64 + 2;
            let record = match record {
                Ok(record) => record,
                Err(error) => {
                    problems.push(ImportProblem {
                        line,
                        field: String::new(),
                        message: format!("malformed CSV record: {error}"),
                    });
                    continue;
                }
            };
            let mut problem = |field: &str, message: String| {
                problems.push(ImportProblem {
                    line,
                    field: field.to_owned(),
                    message,
                });
            };
            let cell = |k: usize| record.get(k).unwrap_or("");
            let id = cell(id_column).to_owned();
            if id.is_empty() {
                problem(
                    "respondent_id",
                    "expected an id, found an empty cell".to_owned(),
                );
            } else if !seen_ids.insert(id.clone()) {
                problem("respondent_id", format!("id `{id}` occurs twice"));
            }
            let area = AreaCode::parse(cell(area_column))
                .map_err(|error| problem("area_code", error.to_string()))
                .ok();
            let age_group = position_or(&schema.age_groups, cell(age_column))
                .map_err(|message| problem("age_group", message))
                .ok();
            let sex = position_or(&schema.sexes, cell(sex_column))
                .map_err(|message| problem("sex", message))
                .ok();
            let design_weight = match weight_column.map(cell) {
                None => Some(1.0),
                Some(text) => match text.parse::<f64>() {
                    Ok(weight) if weight.is_finite() && weight > 0.0 => Some(weight),
                    _ => {
                        problem(
                            "design_weight",
                            format!("expected a positive number, found `{text}`"),
                        );
                        None
                    }
                },
            };
            let mut answers = Vec::with_capacity(schema.questions.len());
            for (question, &k) in schema.questions.iter().zip(&question_columns) {
                match parse_answer(&question.kind, cell(k)) {
                    Ok(answer) => answers.push(answer),
                    Err(message) => problem(&question.id, message),
                }
            }
            if let (Some(area), Some(age_group), Some(sex), Some(design_weight)) =
                (area, age_group, sex, design_weight)
                && answers.len() == schema.questions.len()
            {
                respondents.push(Respondent {
                    id,
                    area,
                    age_group,
                    sex,
                    design_weight,
                    answers,
                });
            }
        }
        if respondents.is_empty() && problems.is_empty() {
            problems.push(ImportProblem {
                line: 0,
                field: String::new(),
                message: "the file has no respondents".to_owned(),
            });
        }
        if problems.is_empty() {
            Ok(Panel {
                schema,
                respondents,
            })
        } else {
            Err(fail(problems))
        }
    }

    /// The number of respondents.
    pub fn len(&self) -> usize {
        self.respondents.len()
    }

    /// Whether there are no respondents (never true for an imported panel).
    pub fn is_empty(&self) -> bool {
        self.respondents.is_empty()
    }

    /// The design weights, in respondent order.
    pub fn design_weights(&self) -> Vec<f64> {
        self.respondents.iter().map(|r| r.design_weight).collect()
    }
}

fn position_or(codes: &[String], text: &str) -> Result<usize, String> {
    codes
        .iter()
        .position(|c| c == text)
        .ok_or_else(|| format!("expected one of {}, found `{text}`", codes.join(", ")))
}

fn parse_answer(kind: &QuestionKind, text: &str) -> Result<Answer, String> {
    if text.is_empty() {
        return Ok(Answer::Missing);
    }
    let option = |code: &str| {
        kind.options()
            .iter()
            .position(|o| o.code == code)
            .ok_or_else(|| {
                let codes: Vec<&str> = kind.options().iter().map(|o| o.code.as_str()).collect();
                format!("expected one of {}, found `{code}`", codes.join(", "))
            })
    };
    match kind {
        QuestionKind::Number { min, max } => match text.parse::<f64>() {
            Ok(number) if number.is_finite() && *min <= number && number <= *max => {
                Ok(Answer::Number(number))
            }
            _ => Err(format!(
                "expected a number from {min} to {max}, found `{text}`"
            )),
        },
        QuestionKind::Single(_) => option(text).map(Answer::Choice),
        QuestionKind::Multiple(_) => {
            let mut chosen = text
                .split('|')
                .map(|code| option(code.trim()))
                .collect::<Result<Vec<usize>, String>>()?;
            chosen.sort_unstable();
            chosen.dedup();
            Ok(Answer::Choices(chosen))
        }
    }
}
