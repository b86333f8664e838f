//! The files of the plan folder that a bureau meeting hands round: the report and the
//! workbook, written beside the CSV files.

use crate::domain::Dataset;
use crate::plan::Plan;

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
