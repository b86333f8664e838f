//! `lungang validate`: read and check a dataset, print its summary or every problem.

use std::path::{Path, PathBuf};

use anyhow::Result;
use lungang::report::{self, Lang};

use super::{exit, load, output};

pub fn validate(dataset: &Path, policy: Option<PathBuf>, json: bool, lang: Lang) -> Result<u8> {
    let Some(ds) = load::load(dataset, policy.as_deref(), json, lang) else {
        return Ok(exit::INVALID_DATA);
    };
    let before = lungang::model::unmet_before(&ds, &output::settings(60.0, 1e-4, Some(1)))?;
    let summary = report::DatasetSummary::new(&ds, &before);
    if json {
        println!("{}", serde_json::to_string_pretty(&summary)?);
    } else {
        print!("{}", summary.render(lang));
    }
    Ok(exit::OK)
}
