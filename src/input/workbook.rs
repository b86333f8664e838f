//! A dataset as one Excel workbook: sheets named like the CSV files (schools / 学校, …)
//! are turned into CSV text with their rows on the same line numbers, so that the one
//! CSV reader and every check apply unchanged, and diagnostics are renamed to the sheet.

use std::collections::BTreeMap;
use std::path::Path;

use calamine::{open_workbook_auto, Data, Reader};

use super::table::diag;
use super::validate::{COMMUNITIES, DEMAND, DISTANCES, LEDGER, REQUESTS, SCHOOLS, TEACHERS};
use super::Diagnostic;

/// Sheet names (compared without case and surrounding spaces) for each dataset file.
const SHEETS: [(&str, [&str; 2]); 9] = [
    (SCHOOLS, ["schools", "学校"]),
    (COMMUNITIES, ["communities", "共同体"]),
    (TEACHERS, ["teachers", "教师"]),
    (DEMAND, ["demand", "课时需求"]),
    (DISTANCES, ["distances", "距离"]),
    (LEDGER, ["ledger", "台账"]),
    (REQUESTS, ["requests", "需求申请"]),
    (super::pins::PINS, ["pins", "人工指定"]),
    (super::pins::LIST, ["交流名单", "exchange list"]),
];

/// The workbook's sheets as CSV text, by the dataset file they stand for, with the
/// name each diagnostic should carry (`BOOK.xlsx[sheet]`).
pub struct Workbook {
    pub tables: BTreeMap<&'static str, (String, String)>,
}

impl Workbook {
    pub fn read(path: &Path, d: &mut Vec<Diagnostic>) -> Option<Workbook> {
        let book_name = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        let mut book = match open_workbook_auto(path) {
            Ok(b) => b,
            Err(e) => {
                d.push(diag(
                    &book_name,
                    1,
                    1,
                    "E0101",
                    format!("cannot read the workbook: {e}"),
                    "an .xlsx workbook",
                ));
                return None;
            }
        };
        let mut tables = BTreeMap::new();
        for sheet in book.sheet_names().to_vec() {
            let key = sheet.trim().to_lowercase();
            let Some((file, _)) = SHEETS
                .iter()
                .find(|(_, names)| names.contains(&key.as_str()))
            else {
                continue;
            };
            let Ok(range) = book.worksheet_range(&sheet) else {
                continue;
            };
            let (row0, col0) = range.start().unwrap_or((0, 0));
            let mut w = csv::WriterBuilder::new()
                .flexible(true)
                .from_writer(Vec::new());
            let mut text = String::new();
            // Blank lines for the rows above the data keep line numbers = sheet rows.
            for _ in 0..row0 {
                text.push('\n');
            }
            for row in range.rows() {
                let cells: Vec<String> = std::iter::repeat_n(String::new(), col0 as usize)
                    .chain(row.iter().map(cell_text))
                    .collect();
                // Writing into memory cannot fail.
                w.write_record(&cells).expect("in-memory csv");
            }
            let body =
                String::from_utf8(w.into_inner().expect("in-memory csv")).unwrap_or_default();
            text.push_str(&body);
            tables.insert(*file, (format!("{book_name}[{sheet}]"), text));
        }
        Some(Workbook { tables })
    }

    /// Diagnostics name the sheet instead of the CSV file it stands for.
    pub fn rename(&self, d: &mut [Diagnostic]) {
        for x in d {
            if let Some((name, _)) = self.tables.get(x.file.as_str()) {
                x.file = name.clone();
            }
        }
    }
}

/// A cell as the text a CSV file would hold: whole numbers without ".0".
fn cell_text(c: &Data) -> String {
    match c {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        other => other.to_string(),
    }
}
