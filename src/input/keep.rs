//! The plan kept by `plan --keep DIR` (MODEL.md "Pins"): each teacher's full-time place in
//! Y as that plan's assignments.csv gives it, home for a teacher it does not list.

use std::collections::BTreeMap;
use std::path::Path;

use super::table::{diag, opt, req, Cells, Column, Table};
use super::{count_dropped, finish, read_text, Diagnostic, Dropped, LoadError};
use crate::domain::{Dataset, Kept};
use crate::limits::MAX_FILE_BYTES;

pub const ASSIGNMENTS: &str = "assignments.csv";

/// The columns of docs/outputs.md's assignments.csv; only teacher and host are read.
const COLUMNS: &[Column] = &[
    req("teacher", "教师编号"),
    opt("name", "姓名"),
    opt("home", "派出学校"),
    req("host", "接收学校"),
    opt("kind", "类型"),
    opt("start_year", "开始学年"),
    opt("end_year", "结束学年"),
    opt("why", "原因"),
];

/// Per teacher of `ds`, where the plan in `dir` has them in Y. A teacher the dataset no
/// longer has is skipped with a warning (W0701); an unknown school is an error.
pub fn load_kept(ds: &Dataset, dir: &Path) -> Result<(Vec<Kept>, Vec<Diagnostic>), LoadError> {
    let mut d = Vec::new();
    let mut dropped = Dropped::new();
    let mut kept: Vec<Kept> = ds.teachers.iter().map(|t| Kept::At(t.home)).collect();
    let teachers: BTreeMap<&str, usize> = (ds.teachers.iter().enumerate())
        .map(|(i, t)| (t.id.as_str(), i))
        .collect();
    let schools: BTreeMap<&str, usize> = (ds.schools.iter().enumerate())
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    let file = dir.join(ASSIGNMENTS).display().to_string();
    let table = read_text(&dir.join(ASSIGNMENTS), &file, true, MAX_FILE_BYTES, &mut d)
        .and_then(|text| Table::parse(&file, &text, COLUMNS, &mut d));
    for row in table
        .iter()
        .flat_map(|t| t.rows.iter().map(move |r| (t, r)))
    {
        let mut c = Cells {
            table: row.0,
            row: row.1,
            diags: &mut d,
        };
        let (Some(t), Some(h)) = (c.required("teacher"), c.required("host")) else {
            continue;
        };
        let Some(&host) = schools.get(h.v.as_str()) else {
            let msg = format!("unknown school `{}`", h.v);
            d.push(diag(
                &file,
                h.line,
                h.col,
                "E0301",
                msg,
                "a school id of schools.csv",
            ));
            continue;
        };
        match teachers.get(t.v.as_str()) {
            Some(&i) => kept[i] = Kept::At(crate::domain::SchoolIx(host as u32)),
            None => d.push(diag(
                &file,
                t.line,
                t.col,
                "W0701",
                format!(
                    "teacher `{}` of the kept plan is not in the dataset; ignored",
                    t.v
                ),
                "a teacher id of teachers.csv",
            )),
        }
    }
    if let Some(t) = &table {
        count_dropped(&mut dropped, t);
    }
    finish(kept, d, &dropped)
}

/// Sets each teacher's kept place.
pub fn apply(ds: &mut Dataset, kept: Vec<Kept>) {
    for (te, k) in ds.teachers.iter_mut().zip(kept) {
        te.kept = k;
    }
}
