//! The planner's loop (issue 15): pins hold, a re-plan with `--keep` changes few names,
//! and `lungang check` verifies both independently of the planner.

use std::path::Path;
use std::process::{Command, Output};

fn lungang(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lungang"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "C")
        .output()
        .expect("binary runs")
}

fn code(o: &Output) -> i32 {
    o.status.code().expect("exit code")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

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
