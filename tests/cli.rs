//! End-to-end: the real `lungang` binary on the bundled datasets, in temp folders.

mod common;

use std::path::Path;
use std::process::Command;

use common::bin::{code, lungang, lungang_in, text};

/// Every file of a plan folder, summary.json without its wall-clock `seconds` line.
fn plan_bytes(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .expect("plan folder")
        .map(|e| {
            let p = e.expect("entry").path();
            let mut bytes = std::fs::read(&p).expect("readable");
            if p.ends_with("summary.json") {
                let s = String::from_utf8(bytes).expect("utf-8");
                bytes = s
                    .lines()
                    .filter(|l| !l.trim_start().starts_with("\"seconds\""))
                    .collect::<Vec<_>>()
                    .join("\n")
                    .into_bytes();
            }
            (p.file_name().unwrap().to_string_lossy().into_owned(), bytes)
        })
        .collect();
    files.sort();
    files
}

/// Plans a bundled dataset, proves it optimal within the default gap, has `check` accept
/// it, and plans it again with another thread count: the files must be the same bytes.
fn plan_bundled(name: &str) {
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("a");
    let b = tmp.path().join("b");
    let data = format!("data/{name}");
    let out = lungang(&[
        "plan",
        &data,
        "--out",
        a.to_str().unwrap(),
        "--threads",
        "2",
    ]);
    assert_eq!(code(&out), 0, "plan {name}:\n{}", text(&out));
    assert!(text(&out).contains("status optimal"), "{}", text(&out));
    let chk = lungang(&["check", &data, a.to_str().unwrap()]);
    assert_eq!(code(&chk), 0, "check {name}:\n{}", text(&chk));
    let out = lungang(&[
        "plan",
        &data,
        "--out",
        b.to_str().unwrap(),
        "--threads",
        "1",
    ]);
    assert_eq!(code(&out), 0, "second plan {name}:\n{}", text(&out));
    assert!(
        plan_bytes(&a) == plan_bytes(&b),
        "{name}: plans differ between --threads 2 and 1"
    );
}

#[test]
fn xinjian_plans_optimal_checked_and_identical_whatever_the_threads() {
    plan_bundled("xinjian");
}

#[test]
fn xiji_plans_optimal_checked_and_identical_whatever_the_threads() {
    plan_bundled("xiji");
}

#[test]
fn validate_summarises_a_bundled_dataset() {
    let out = lungang(&["validate", "data/xinjian"]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    let t = text(&out);
    for needle in [
        "schools",
        "communities",
        "locked",
        "ending",
        "cooldown",
        "exempt",
        "音乐",
    ] {
        assert!(t.contains(needle), "validate output lacks {needle}:\n{t}");
    }
    // 音体美 come first among the unmet subjects.
    let music = t.find("音乐").unwrap();
    let chinese = t.rfind("语文").unwrap();
    assert!(music < chinese, "{t}");
    let json = lungang(&["validate", "data/xinjian", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    assert_eq!(v["schools"], 45);
}

#[test]
fn invalid_data_exits_2_and_names_every_problem() {
    let out = lungang(&["validate", "tests/data/broken/duplicate_teacher_id"]);
    assert_eq!(code(&out), 2, "{}", text(&out));
    assert!(text(&out).contains("teachers.csv:"), "{}", text(&out));
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("p");
    let out = lungang(&[
        "plan",
        "tests/data/broken/duplicate_teacher_id",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 2);
    assert!(!dir.exists(), "nothing is planned from invalid data");
}

#[test]
fn an_existing_plan_is_never_overwritten_silently() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("p");
    let d = dir.to_str().unwrap();
    assert_eq!(
        code(&lungang(&["plan", "data/tiny", "--out", d, "--quiet"])),
        0
    );
    let again = lungang(&["plan", "data/tiny", "--out", d]);
    assert_eq!(code(&again), 1, "{}", text(&again));
    assert!(text(&again).contains("--force"));
    assert_eq!(
        code(&lungang(&[
            "plan",
            "data/tiny",
            "--out",
            d,
            "--force",
            "--quiet"
        ])),
        0
    );
    assert_eq!(code(&lungang(&["check", "data/tiny", d])), 0);
    // No temp folders left beside it.
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
    assert_eq!(leftovers.len(), 1);
}

#[test]
fn strict_fails_when_a_rule_cannot_hold() {
    let tmp = tempfile::tempdir().unwrap();
    let data = "tests/data/rules/core_share_unreachable";
    let loose = tmp.path().join("loose");
    let out = lungang(&["plan", data, "--out", loose.to_str().unwrap()]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert!(
        text(&out).contains("core_share"),
        "the broken rule is named:\n{}",
        text(&out)
    );
    let strict = tmp.path().join("strict");
    let out = lungang(&["plan", data, "--out", strict.to_str().unwrap(), "--strict"]);
    assert_eq!(code(&out), 5, "{}", text(&out));
    assert!(
        strict.join("summary.json").exists(),
        "the violating plan is still written"
    );
}

#[test]
fn a_time_limited_run_reports_its_status_and_writes_its_best_plan() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("p");
    let out = lungang(&[
        "plan",
        "data/xiji",
        "--out",
        dir.to_str().unwrap(),
        "--time-limit",
        "2",
    ]);
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("summary.json")).unwrap()).unwrap();
    match code(&out) {
        3 => {
            assert_eq!(summary["status"], "feasible");
            assert!(dir.join("assignments.csv").exists());
            assert_eq!(
                code(&lungang(&["check", "data/xiji", dir.to_str().unwrap()])),
                0
            );
        }
        4 => assert_eq!(summary["status"], "none"),
        other => panic!("exit {other} after 2 s:\n{}", text(&out)),
    }
}

#[test]
fn whatif_returns_scenarios_in_file_order_whatever_the_threads() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("s.toml");
    std::fs::write(
        &file,
        r#"
[[scenario]]
name = "outflow 15%"
[[scenario.change]]
kind = "policy"
key = "rotation.max_outflow_share"
value = 0.15

[[scenario]]
name = "hire 2 music teachers at S03"
[[scenario.change]]
kind = "add_teachers"
school = "S03"
subject = "音乐"
count = 2

[[scenario]]
name = "T02 exempt"
[[scenario.change]]
kind = "exempt"
teachers = ["T02"]
"#,
    )
    .unwrap();
    let mut tables = Vec::new();
    for threads in ["1", "2"] {
        let out = tmp.path().join(format!("w{threads}"));
        let o = lungang(&[
            "whatif",
            "data/tiny",
            "--scenarios",
            file.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--threads",
            threads,
        ]);
        assert_eq!(code(&o), 0, "{}", text(&o));
        let csv = std::fs::read_to_string(out.join("comparison.csv")).unwrap();
        let names: Vec<&str> = csv
            .lines()
            .skip(1)
            .map(|l| l.split(',').next().unwrap())
            .collect();
        assert_eq!(
            names,
            [
                "base",
                "outflow 15%",
                "hire 2 music teachers at S03",
                "T02 exempt"
            ]
        );
        // Each variant's plan is written, and the base one is the plain plan.
        let base = out.join("00-base");
        assert_eq!(
            code(&lungang(&["check", "data/tiny", base.to_str().unwrap()])),
            0
        );
        // The comparison page has a row and a link per scenario, each to a written report.
        let page = std::fs::read_to_string(out.join("comparison.html")).unwrap();
        assert_eq!(page.matches("<tr class=\"scenario\">").count(), 4);
        for folder in ["00-base", "01-outflow 15%", "03-T02 exempt"] {
            assert!(
                page.contains(&format!("href=\"{folder}/report.html\"")),
                "{folder}"
            );
            assert!(out.join(folder).join("report.html").is_file(), "{folder}");
        }
        tables.push(csv);
    }
    assert_eq!(tables[0], tables[1]);
}

#[test]
fn several_counties_are_planned_into_one_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("plans");
    let o = lungang(&[
        "plan",
        "data/tiny",
        "tests/data/rules/housing",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    for (data, name) in [
        ("data/tiny", "tiny"),
        ("tests/data/rules/housing", "housing"),
    ] {
        let dir = out.join(name);
        assert_eq!(
            code(&lungang(&["check", data, dir.to_str().unwrap()])),
            0,
            "{name}"
        );
    }
}

#[test]
fn json_prints_the_written_summary_and_nothing_else() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("p");
    let out = lungang(&[
        "plan",
        "data/tiny",
        "--out",
        dir.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    let printed: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON");
    let written: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("summary.json")).unwrap()).unwrap();
    assert_eq!(printed, written);
    assert!((printed["objective"].as_f64().unwrap() - 26.5).abs() < 1e-6);
    assert!(out.stderr.is_empty(), "{}", text(&out));
}

#[test]
fn messages_follow_the_locale_unless_lang_says_otherwise() {
    let broken = "tests/data/broken/duplicate_teacher_id";
    let zh = lungang_in("zh_CN.UTF-8", &["validate", broken]);
    assert_eq!(code(&zh), 2);
    let t = text(&zh);
    assert!(
        t.contains("E0304 编号重复：") && t.contains("未做规划"),
        "{t}"
    );
    let en = lungang_in("zh_CN.UTF-8", &["--lang", "en", "validate", broken]);
    let t = text(&en);
    assert!(
        t.contains("E0304 duplicate id") && t.contains("nothing planned"),
        "{t}"
    );
    let summary = lungang_in("C", &["validate", "data/tiny", "--lang", "zh"]);
    let t = text(&summary);
    assert!(
        t.contains("无人交流时每周缺口课时") && t.contains("紧密型"),
        "{t}"
    );
}

#[test]
fn a_plan_piped_to_a_file_shows_no_progress_line() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("p");
    let out = lungang(&["plan", "data/tiny", "--out", dir.to_str().unwrap()]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("best ") && !err.contains('\r'), "{err}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("status optimal"));
}

/// On a terminal (a pseudo-terminal from util-linux's `script`), a solve draws its live
/// line: the best plan, the bound and the gap.
#[test]
fn a_plan_on_a_terminal_shows_its_best_plan_bound_and_gap_as_it_goes() {
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("SKIPPED: util-linux `script` is not installed, so there is no terminal");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let county = tmp.path().join("county");
    let o = lungang(&[
        "generate",
        "--schools",
        "30",
        "--teachers",
        "900",
        "--seed",
        "1",
        "--out",
        county.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    let cmd = format!(
        "{} plan {} --out {} --time-limit 5 --gap 0",
        env!("CARGO_BIN_EXE_lungang"),
        county.display(),
        tmp.path().join("plan").display()
    );
    let out = Command::new("script")
        .args(["-qec", &cmd, "/dev/null"])
        .env("LANG", "C")
        .output()
        .expect("script runs");
    let t = String::from_utf8_lossy(&out.stdout);
    let line = t
        .split(['\r', '\n'])
        .find(|l| l.contains("best ") && l.contains("bound ") && l.contains("gap "));
    assert!(line.is_some(), "no progress line:\n{t}");
    assert!(t.contains("plan written to"), "{t}");
}
