//! The planner's loop (issue 15): pins hold, a re-plan with `--keep` changes few names,
//! and `lungang check` verifies both independently of the planner.

mod common;

use std::path::Path;

use calamine::{open_workbook, Data, Reader, Xlsx};
use common::bin::{code, lungang, text};

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// (teacher, host, kind) of each row of a plan's assignments.csv.
fn assignments(dir: &Path) -> Vec<(String, String, String)> {
    let text = std::fs::read_to_string(dir.join("assignments.csv")).unwrap();
    text.lines()
        .skip(1)
        .map(|l| {
            let c: Vec<&str> = l.split(',').collect();
            (c[0].into(), c[3].into(), c[4].into())
        })
        .collect()
}

fn summary(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("summary.json")).unwrap()).unwrap()
}

fn copy_dataset(from: &str, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, to.join(p.file_name().unwrap())).unwrap();
    }
}

/// Issue 15's measure: plan data/xiji, pin one 支教 teacher `stay` in the dataset's
/// pins.csv, re-plan with --keep. The new list differs in that name and in at most two
/// others (one replacement the reciprocal rules need, measured: one), the summary lists
/// them, the report counts them, and the checker agrees with the plan.
#[test]
fn xiji_replan_after_one_refusal_changes_few_names() {
    let tmp = tempfile::tempdir().unwrap();
    let (first, second, data) = (
        tmp.path().join("first"),
        tmp.path().join("second"),
        tmp.path().join("xiji"),
    );
    let out = lungang(&["plan", "data/xiji", "--out", s(&first), "--threads", "2"]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert!(summary(&first).get("changes").is_none());
    let (refused, host, _) = assignments(&first)
        .into_iter()
        .find(|a| a.2 == "support")
        .expect("a support move");
    copy_dataset("data/xiji", &data);
    std::fs::write(
        data.join("pins.csv"),
        format!("teacher,action,school,note\n{refused},stay,,家庭原因\n"),
    )
    .unwrap();
    let out = lungang(&[
        "plan",
        s(&data),
        "--keep",
        s(&first),
        "--out",
        s(&second),
        "--threads",
        "2",
    ]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert!(assignments(&second).iter().all(|a| a.0 != refused));
    let sum = summary(&second);
    let changes = sum["changes"].as_array().expect("changes listed");
    let home = changes
        .iter()
        .find(|c| c["teacher"] == refused.as_str())
        .expect("the refused teacher is a change");
    assert_eq!(home["before"], host.as_str());
    assert!(
        (2..=3).contains(&changes.len()),
        "{} changes: {changes:?}",
        changes.len()
    );
    assert_eq!(sum["terms"]["change"], 200.0 * changes.len() as f64);
    let report = std::fs::read_to_string(second.join("report.html")).unwrap();
    let count = format!("与原方案相比，{} 名教师的安排有变动", changes.len());
    assert!(report.contains(&count) && report.contains("家庭原因"));
    let chk = lungang(&["check", s(&data), s(&second), "--keep", s(&first)]);
    assert_eq!(code(&chk), 0, "{}", text(&chk));
    // The same decision written in plan.xlsx (交流名单, 指定 = 留任) and read back.
    let (book, third) = (tmp.path().join("edited.xlsx"), tmp.path().join("third"));
    edit_list(&first.join("plan.xlsx"), &book, &refused, "留任");
    let out = lungang(&[
        "plan",
        "data/xiji",
        "--pins",
        s(&book),
        "--keep",
        s(&first),
        "--out",
        s(&third),
        "--threads",
        "2",
    ]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert_eq!(summary(&third)["changes"], sum["changes"]);
    let chk = lungang(&[
        "check",
        "data/xiji",
        s(&third),
        "--pins",
        s(&book),
        "--keep",
        s(&first),
    ]);
    assert_eq!(code(&chk), 0, "{}", text(&chk));
    // Without the kept plan the checker cannot account for the changes.
    let chk = lungang(&["check", s(&data), s(&second)]);
    assert_ne!(code(&chk), 0);
    assert!(text(&chk).contains("C-CHANGES"), "{}", text(&chk));
}

/// A `move` pin given with --pins overrides willingness (T05 is unwilling); the checker
/// accepts it with the same pins and refuses it without them, and refuses a plan that
/// does not hold a pin.
#[test]
fn a_pinned_move_overrides_willingness_and_the_checker_knows_it() {
    let tmp = tempfile::tempdir().unwrap();
    let (pins, other, plan) = (
        tmp.path().join("p.csv"),
        tmp.path().join("q.csv"),
        tmp.path().join("plan"),
    );
    std::fs::write(
        &pins,
        "teacher,action,school,note\nT05,move,S02,校长会议决定\n",
    )
    .unwrap();
    std::fs::write(&other, "teacher,action\nT05,stay\n").unwrap();
    let out = lungang(&["plan", "data/tiny", "--pins", s(&pins), "--out", s(&plan)]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    let t05 = assignments(&plan).into_iter().find(|a| a.0 == "T05");
    assert_eq!(
        t05.map(|a| (a.1, a.2)),
        Some(("S02".into(), "support".into()))
    );
    let ok = lungang(&["check", "data/tiny", s(&plan), "--pins", s(&pins)]);
    assert_eq!(code(&ok), 0, "{}", text(&ok));
    let bare = lungang(&["check", "data/tiny", s(&plan)]);
    assert!(text(&bare).contains("C-MOVE"), "{}", text(&bare));
    let unheld = lungang(&["check", "data/tiny", s(&plan), "--pins", s(&other)]);
    assert!(
        text(&unheld).contains("C-PIN  T05 is pinned `stay`"),
        "{}",
        text(&unheld)
    );
}

/// A pin the structure forbids stops `plan` with exit 2 and the file, line and column.
#[test]
fn a_forbidden_pin_is_an_input_error_with_its_place() {
    let tmp = tempfile::tempdir().unwrap();
    let pins = tmp.path().join("p.csv");
    // S04 is the core of another community than T05's.
    std::fs::write(&pins, "teacher,action,school\nT01,stay,\nT05,move,S04\n").unwrap();
    let out = lungang(&[
        "plan",
        "data/tiny",
        "--pins",
        s(&pins),
        "--out",
        s(&tmp.path().join("o")),
    ]);
    assert_eq!(code(&out), 2, "{}", text(&out));
    // Both at once: T01's term is under way (LOCKED), T05's host is not in its community.
    for at in ["2:2", "3:3"] {
        let want = format!("{}:{at}: E0702", pins.display());
        assert!(text(&out).contains(&want), "{}", text(&out));
    }
    assert!(!tmp.path().join("o").exists());
}

/// What a planner does in Excel, by script: plan.xlsx read with calamine and written again
/// with rust_xlsxwriter, every sheet as it was but `word` in the column 指定 of
/// `teacher`'s row of 交流名单.
fn edit_list(book: &Path, out: &Path, teacher: &str, word: &str) {
    let mut wb: Xlsx<_> = open_workbook(book).expect("plan.xlsx");
    let mut new = rust_xlsxwriter::Workbook::new();
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).expect("a sheet");
        let ws = new.add_worksheet();
        ws.set_name(&name).unwrap();
        let pin_col =
            (0..range.width()).find(|&c| range.get((0, c)) == Some(&Data::String("指定".into())));
        for (r, row) in range.rows().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                match cell {
                    Data::Float(x) => ws.write_number(r as u32, c as u16, *x),
                    Data::Int(x) => ws.write_number(r as u32, c as u16, *x as f64),
                    Data::Empty => continue,
                    other => ws.write_string(r as u32, c as u16, other.to_string()),
                }
                .unwrap();
            }
            if let (Some(c), Some(Data::String(id))) = (pin_col, row.first()) {
                if id == teacher {
                    ws.write_string(r as u32, c as u16, word).unwrap();
                }
            }
        }
    }
    new.save(out).unwrap();
}

/// plan.xlsx's sheet 人工指定 holds the plan's pins, and `--pins plan.xlsx` reads them
/// back; a word the reader does not know in 指定 is an error naming the sheet, row and
/// column.
#[test]
fn plan_xlsx_round_trip_keeps_the_pins_and_names_bad_cells() {
    let tmp = tempfile::tempdir().unwrap();
    let (pins, first, second) = (
        tmp.path().join("p.csv"),
        tmp.path().join("first"),
        tmp.path().join("second"),
    );
    std::fs::write(
        &pins,
        "teacher,action,school,note\nT05,move,S02,校长会议决定\n",
    )
    .unwrap();
    let out = lungang(&["plan", "data/tiny", "--pins", s(&pins), "--out", s(&first)]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    let mut wb: Xlsx<_> = open_workbook(first.join("plan.xlsx")).unwrap();
    let sheet = wb.worksheet_range("人工指定").unwrap();
    assert_eq!(
        sheet.get((1, 1)).map(|d| d.to_string()),
        Some("交流".into())
    );
    let out = lungang(&[
        "plan",
        "data/tiny",
        "--pins",
        s(&first.join("plan.xlsx")),
        "--out",
        s(&second),
    ]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    let t05 = assignments(&second).into_iter().find(|a| a.0 == "T05");
    assert_eq!(t05.map(|a| a.1), Some("S02".into()));
    let (bad, third) = (tmp.path().join("bad.xlsx"), tmp.path().join("third"));
    edit_list(&first.join("plan.xlsx"), &bad, "T05", "也许");
    let out = lungang(&["plan", "data/tiny", "--pins", s(&bad), "--out", s(&third)]);
    assert_eq!(code(&out), 2, "{}", text(&out));
    let (row, col) = list_cell(&first.join("plan.xlsx"), "T05", "指定");
    let want = format!("bad.xlsx[交流名单]:{row}:{col}: E0205");
    assert!(text(&out).contains(&want), "{want}\n{}", text(&out));
}

/// The 1-based row of `teacher` and column of `header` in plan.xlsx's 交流名单 (its rows
/// are grouped by community, not in assignments.csv's order).
fn list_cell(book: &Path, teacher: &str, header: &str) -> (usize, usize) {
    let mut wb: Xlsx<_> = open_workbook(book).expect("plan.xlsx");
    let range = wb.worksheet_range("交流名单").expect("交流名单");
    let col = (0..range.width())
        .find(|&c| range.get((0, c)) == Some(&Data::String(header.into())))
        .expect("the column");
    let row = (0..range.height())
        .find(|&r| range.get((r, 0)) == Some(&Data::String(teacher.into())))
        .expect("the teacher's row");
    (row + 1, col + 1)
}
