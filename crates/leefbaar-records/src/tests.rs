//! Tests, named as sentences: the schema and the import (`schema_and_import`), the figures and
//! their protection (`figures`), the attack on everything published (`attack`), and the
//! calibration of the synthetic generators to the published figures (`calibration`).

mod attack;
mod calibration;
mod figures;
mod joint;
mod schema_and_import;

use std::path::PathBuf;

use leefbaar_model::AreaCode;

use crate::synthetic::{DRENTHE, SyntheticFile, Targets};
use crate::{AreaTree, RecordFile, Records, Schema};

/// A file of the repository (tests read only committed files, never the source data outside it).
pub(crate) fn repo_file(path: &str) -> String {
    let full = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path);
    fs_err::read_to_string(full).expect("a committed file")
}

pub(crate) fn drenthe_tree() -> AreaTree {
    let municipalities: Vec<AreaCode> = DRENTHE
        .iter()
        .map(|(code, _)| AreaCode::parse(code).unwrap())
        .collect();
    AreaTree::province(&AreaCode::parse("PV22").unwrap(), &municipalities).unwrap()
}

pub(crate) fn schema(name: &str) -> Schema {
    Schema::from_toml(name, &repo_file(&format!("data/records/{name}"))).unwrap()
}

pub(crate) fn targets() -> Targets {
    Targets::parse(&repo_file("data/records/published_targets.csv")).unwrap()
}

pub(crate) fn import(schema: Schema, areas: &AreaTree, files: &[SyntheticFile]) -> Records {
    let files = files
        .iter()
        .map(|f| RecordFile {
            kind: f.kind.clone(),
            name: f.name.clone(),
            reader: f.csv.as_bytes(),
        })
        .collect();
    Records::import(schema, areas, files).unwrap_or_else(|e| panic!("{e}"))
}
