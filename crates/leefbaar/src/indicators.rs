//! `leefbaar indicators list|show`: the catalogue, readable by people and, with `--json`, by
//! programs; with `--bundle`, a bundle's whole catalogue (built-in, generated for its reach
//! kinds, its own).

use std::io::Write as _;

use anyhow::Context as _;
use leefbaar_model::IndicatorDef;
use serde_json::json;

use crate::cli::{IndicatorsArgs, IndicatorsCommand};

pub fn run(args: &IndicatorsArgs) -> anyhow::Result<()> {
    // With a bundle, its whole catalogue as an import builds it: built-in (or --catalogue),
    // the entries generated for its reach kinds, and its own.
    let catalogue = if let Some(manifest) = &args.bundle {
        let (spec, _) = leefbaar_ingest::read_bundle_spec(manifest)
            .with_context(|| format!("reading {}", manifest.display()))?;
        leefbaar_monitor::catalogue_for(&spec, args.catalogue.as_deref(), spec.reach.is_some())
            .with_context(|| format!("reading the catalogue of {}", manifest.display()))?
    } else {
        let text = match &args.catalogue {
            Some(path) => fs_err::read_to_string(path)?,
            None => leefbaar_indicators::DEFAULT_CATALOGUE.to_owned(),
        };
        leefbaar_indicators::parse_catalogue(&text).context("reading the indicator catalogue")?
    };
    let indicators = catalogue.indicators();
    let mut out = std::io::stdout().lock();
    match &args.command {
        IndicatorsCommand::List { json: true } => {
            let list: Vec<_> = indicators.iter().map(to_json).collect();
            writeln!(out, "{}", serde_json::to_string_pretty(&list)?)?;
        }
        IndicatorsCommand::List { json: false } => {
            let width = indicators.iter().map(|def| def.id.len()).max().unwrap_or(0);
            for def in indicators {
                writeln!(
                    out,
                    "{:<width$} {:<22} {:<7} {}",
                    def.id,
                    def.unit.as_str(),
                    def.kind.as_str(),
                    def.name.en
                )?;
            }
        }
        IndicatorsCommand::Show { id, json } => {
            let def = indicators
                .iter()
                .find(|def| &def.id == id)
                .with_context(|| {
                    format!("no indicator `{id}`; `leefbaar indicators list` shows the ids")
                })?;
            if *json {
                writeln!(out, "{}", serde_json::to_string_pretty(&to_json(def))?)?;
            } else {
                writeln!(out, "{}  ({})", def.id, def.theme)?;
                writeln!(out, "  nl: {}", def.name.nl)?;
                writeln!(out, "  en: {}", def.name.en)?;
                writeln!(
                    out,
                    "  unit: {}   kind: {}   decimals: {}",
                    def.unit,
                    def.kind.as_str(),
                    def.decimals
                )?;
                writeln!(out, "  formula: {}", def.kind.formula())?;
                writeln!(out, "  source: {}", def.source)?;
                writeln!(out, "  definition (nl): {}", def.description.nl)?;
                writeln!(out, "  definition (en): {}", def.description.en)?;
            }
        }
    }
    Ok(())
}

fn to_json(def: &IndicatorDef) -> serde_json::Value {
    json!({
        "id": def.id,
        "name": {"nl": def.name.nl, "en": def.name.en},
        "description": {"nl": def.description.nl, "en": def.description.en},
        "theme": def.theme,
        "unit": def.unit.as_str(),
        "kind": def.kind.as_str(),
        "formula": def.kind.formula(),
        "decimals": def.decimals,
        "source": def.source,
    })
}
