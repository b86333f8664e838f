//! A dataset as one Excel workbook loads to the same dataset as its CSV folder, and its
//! errors name the sheet, row and column.

use std::path::Path;

use lungang::input::load_dataset;
use rust_xlsxwriter::Workbook;

/// Writes each CSV of `dir` as a sheet (named `sheet_names[i]`); numbers as numbers.
fn workbook_of(
    dir: &Path,
    sheets: &[(&str, &str)],
    out: &Path,
    edit: impl Fn(&str, usize, usize, &str) -> String,
) {
    let mut book = Workbook::new();
    for (file, sheet) in sheets {
        let Ok(text) = std::fs::read_to_string(dir.join(file)) else {
            continue;
        };
        let ws = book.add_worksheet();
        ws.set_name(*sheet).unwrap();
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(text.as_bytes());
        for (r, rec) in rdr.records().enumerate() {
            for (c, cell) in rec.unwrap().iter().enumerate() {
                let cell = edit(file, r, c, cell);
                match cell.parse::<f64>() {
                    Ok(v) if r > 0 && !cell.is_empty() => {
                        ws.write_number(r as u32, c as u16, v).unwrap()
                    }
                    _ => ws.write_string(r as u32, c as u16, &cell).unwrap(),
                };
            }
        }
    }
    book.save(out).unwrap();
}

const SHEETS: [(&str, &str); 6] = [
    ("schools.csv", "学校"),
    ("communities.csv", "communities"),
    ("teachers.csv", "教师"),
    ("demand.csv", "课时需求"),
    ("distances.csv", "距离"),
    ("ledger.csv", "台账"),
];

#[test]
fn a_workbook_loads_like_its_csv_folder() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/tiny");
    let tmp = tempfile::tempdir().unwrap();
    let book = tmp.path().join("tiny.xlsx");
    workbook_of(&data, &SHEETS, &book, |_, _, _, c| c.to_string());
    std::fs::copy(data.join("policy.toml"), tmp.path().join("policy.toml")).unwrap();
    let from_csv = load_dataset(&data, None).unwrap().dataset;
    let from_book = load_dataset(&book, None)
        .unwrap_or_else(|e| panic!("{e}"))
        .dataset;
    assert_eq!(from_book, from_csv);
}

#[test]
fn workbook_errors_name_sheet_row_and_column() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/tiny");
    let tmp = tempfile::tempdir().unwrap();
    let book = tmp.path().join("bad.xlsx");
    // Row 3 (sheet row 3), column 8 (birth_year) of the teachers sheet becomes text.
    workbook_of(&data, &SHEETS, &book, |f, r, c, cell| {
        if f == "teachers.csv" && r == 2 && c == 7 {
            "nineteen-eighty".into()
        } else {
            cell.to_string()
        }
    });
    let err = load_dataset(&book, None).expect_err("a bad cell");
    let text = err.to_string();
    assert!(text.contains("bad.xlsx[教师]:3:8:"), "{text}");
    // A missing required sheet is named too.
    let empty = tmp.path().join("empty.xlsx");
    workbook_of(
        &data,
        &[("schools.csv", "schools")],
        &empty,
        |_, _, _, c| c.to_string(),
    );
    let err = load_dataset(&empty, None)
        .expect_err("no teachers sheet")
        .to_string();
    assert!(
        err.contains("teachers.csv:1:1") && err.contains("sheet not found"),
        "{err}"
    );
}
