//! The files of the plan folder that a bureau meeting hands round: the report and the
//! workbook, written beside the CSV files.

use std::path::Path;

use crate::domain::Dataset;
use crate::plan::{plan_files, write_folder, Plan, WriteError};

pub use super::html::report_html;
pub use super::lang::Lang;
pub use super::xlsx::plan_xlsx;

/// `report.html` and `plan.xlsx`, by file name.
pub fn report_files(ds: &Dataset, plan: &Plan, lang: Lang) -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("report.html", report_html(ds, plan, lang).into_bytes()),
        ("plan.xlsx", plan_xlsx(ds, plan)),
    ]
}

/// Writes the whole plan folder, report.html (中文) and plan.xlsx included, as `plan` does.
pub fn write_plan(dir: &Path, ds: &Dataset, plan: &Plan, force: bool) -> Result<(), WriteError> {
    let mut files = plan_files(ds, plan);
    files.extend(report_files(ds, plan, Lang::Zh));
    write_folder(dir, &files, force)
}
