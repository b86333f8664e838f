//! The independent checker on a hand-made plan of `tests/data/check` (3 schools of one
//! tight community, 7 teachers, one LOCKED and one ENDING): the correct plan passes with
//! its hand-computed objective, and each broken variant is caught with its code.
//!
//! The hand computation of `tests/data/check/plan` (Y = 2025, MODEL.md's default weights):
//! - unmet: S1 语文 4 + S2 数学 12 + S2 音乐 2 = 18 periods × 1000 = 18000 (S3's 4 periods
//!   of 音乐 are T7's 2 at home and T2's 2 on Tuesday's trip);
//! - non_main_subject: T7 teaches 2 periods of 音乐 (main 体育) × 2 = 4;
//! - rotation: T1 support S1→S3 (20 km): 50 + 0.2·20 − 20 (needs rural) − 5 (due) − 15
//!   (willing) = 14; T3 learning S2→S1 (10 km): 50 + 2 − 5 (due) = 47; total 61;
//! - itinerant_km: T2's Tuesday S1→S2→S3→S1 (10 + 8 + 20 km; both orders take 70 minutes
//!   and 38 km, so the smaller id S2 goes first) and Thursday S1→S2→S1 (20 km): 0.5 · 58 = 29;
//! - extension: T5's ENDING term at S1 extended: −30;
//! - violation: S3 has housing 0 and takes T1: shortfall 1 × 100000 = 100000.
//!
//! Objective 18000 + 4 + 61 + 29 − 30 + 100000 = 118064.

use std::path::{Path, PathBuf};

use lungang::check::{check_plan, codes, CheckReport};
use lungang::domain::{Dataset, Willing};
use lungang::input::load_dataset;

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/check")
}

fn dataset() -> Dataset {
    match load_dataset(&data_dir(), None) {
        Ok(l) => l.dataset,
        Err(e) => panic!("tests/data/check does not load: {:?}", e.diagnostics),
    }
}

/// A fresh copy of the correct plan folder.
fn plan_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(data_dir().join("plan")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
    }
    dir
}

/// Replaces `from` by `to` in one plan file (the text must be there).
fn edit(dir: &Path, file: &str, from: &str, to: &str) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} does not contain {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

fn teacher(ds: &Dataset, id: &str) -> usize {
    ds.teachers.iter().position(|t| t.id == id).unwrap()
}

fn run(ds: &Dataset, dir: &Path) -> CheckReport {
    check_plan(ds, dir)
}

#[test]
fn the_correct_plan_passes_with_the_hand_computed_objective() {
    let ds = dataset();
    let report = run(&ds, &data_dir().join("plan"));
    assert!(report.is_ok(), "{}", report.render());
    assert!(
        (report.objective_derived - 118064.0).abs() < 1e-9,
        "{}",
        report.render()
    );
    assert_eq!(report.objective_written, Some(118064.0));
    let terms: Vec<(&str, f64)> = report
        .terms_derived
        .iter()
        .map(|(k, v)| (k.as_str(), *v))
        .collect();
    assert_eq!(
        terms,
        vec![
            ("extension", -30.0),
            ("itinerant_km", 29.0),
            ("non_main_subject", 4.0),
            ("rotation", 61.0),
            ("unmet", 18000.0),
            ("violation", 100000.0),
        ]
    );
    let broken: Vec<(&str, &str)> = report
        .rules_derived
        .iter()
        .filter(|r| r.shortfall > 0.0)
        .map(|r| (r.rule, r.scope.as_str()))
        .collect();
    assert_eq!(broken, vec![("housing", "S3")]);
    assert_eq!(report.rules_derived.len(), 10);
    let text = report.render();
    assert!(
        text.contains("housing at S3: required 0, reached 1, shortfall 1"),
        "{text}"
    );
    assert!(text.ends_with("ok: the plan agrees with the dataset and MODEL.md\n"));
}

#[test]
fn a_column_after_the_contracts_is_accepted() {
    // lungang writes `why` last in assignments.csv; a plan with it passes as without it.
    let ds = dataset();
    let dir = plan_copy();
    let path = dir.path().join("assignments.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    let widened: String = text
        .lines()
        .enumerate()
        .map(|(i, l)| format!("{l},{}\n", if i == 0 { "why" } else { "a reason" }))
        .collect();
    std::fs::write(&path, widened).unwrap();
    let report = run(&ds, dir.path());
    assert!(report.is_ok(), "{}", report.render());
}

#[test]
fn checking_twice_gives_the_same_report() {
    let ds = dataset();
    let dir = plan_copy();
    edit(dir.path(), "teaching.csv", "T5,S1,语文,16", "T5,S1,语文,18");
    edit(
        dir.path(),
        "summary.json",
        "\"objective\": 118064",
        "\"objective\": 1",
    );
    let a = run(&ds, dir.path());
    let b = run(&ds, dir.path());
    assert_eq!(a, b);
    let mut sorted = a.violations.clone();
    sorted.sort();
    assert_eq!(a.violations, sorted);
}

type Breaker = fn(&mut Dataset, &Path);

/// One broken variant per violation family: (name, how it is broken, the code expected).
const BROKEN: &[(&str, Breaker, &str)] = &[
    (
        "missing_routes_file",
        |_, d| std::fs::remove_file(d.join("routes.csv")).unwrap(),
        codes::FILE,
    ),
    (
        "unparsable_periods",
        |_, d| edit(d, "teaching.csv", "T3,S1,数学,10", "T3,S1,数学,ten"),
        codes::FILE,
    ),
    (
        "wrong_header",
        |_, d| edit(d, "coverage.csv", "unmet_before", "before"),
        codes::FILE,
    ),
    (
        // Columns after the contract's (lungang's `why`) are accepted, but a row still
        // has as many fields as its header.
        "row_wider_than_header",
        |_, d| {
            edit(
                d,
                "assignments.csv",
                "support,2025,2025\n",
                "support,2025,2025,x\n",
            )
        },
        codes::FILE,
    ),
    (
        "not_json",
        |_, d| edit(d, "summary.json", "{", "["),
        codes::FILE,
    ),
    (
        "unknown_teacher",
        |_, d| edit(d, "teaching.csv", "T6,S3,数学,14", "T9,S3,数学,14"),
        codes::ID,
    ),
    (
        "unsorted_teaching",
        |_, d| {
            edit(
                d,
                "teaching.csv",
                "T6,S3,数学,14\nT7,S3,体育,10",
                "T7,S3,体育,10\nT6,S3,数学,14",
            )
        },
        codes::SORT,
    ),
    (
        "status_none",
        |_, d| edit(d, "summary.json", "\"optimal\"", "\"none\""),
        codes::SUMMARY,
    ),
    (
        "wrong_gap",
        |_, d| edit(d, "summary.json", "\"gap\": 0", "\"gap\": 0.5"),
        codes::SUMMARY,
    ),
    (
        "wrong_name",
        |_, d| edit(d, "assignments.csv", "T1,赵一", "T1,赵二"),
        codes::ASSIGN,
    ),
    (
        "teacher_listed_twice",
        |_, d| {
            edit(
                d,
                "assignments.csv",
                "T3,孙三",
                "T1,赵一,S1,S2,support,2025,2025\nT3,孙三",
            )
        },
        codes::ASSIGN_DUP,
    ),
    (
        "support_written_as_learning",
        |_, d| edit(d, "assignments.csv", "S3,support", "S3,learning"),
        codes::KIND,
    ),
    (
        "ineligible_move_in_cooldown",
        |_, d| {
            edit(
                d,
                "assignments.csv",
                "\n",
                "\nT7,郑七,S3,S1,learning,2025,2025\n",
            );
            edit(d, "teaching.csv", "T7,S3,体育,10\nT7,S3,音乐,2\n", "");
        },
        codes::MOVE,
    ),
    (
        "learning_move_over_age_limit",
        |ds, _| {
            let t = teacher(ds, "T3");
            ds.teachers[t].birth_year = 1970
        },
        codes::MOVE,
    ),
    (
        "extension_with_wrong_start",
        |_, d| edit(d, "assignments.csv", "extension,2024", "extension,2023"),
        codes::EXTEND,
    ),
    (
        "extension_of_a_free_teacher",
        |ds, _| {
            ds.ledger
                .retain(|e| ds.teachers[e.teacher.0 as usize].id != "T5")
        },
        codes::EXTEND,
    ),
    (
        "locked_teacher_not_listed",
        |_, d| {
            edit(
                d,
                "assignments.csv",
                "T4,李四,S1,S2,continuing,2025,2025\n",
                "",
            )
        },
        codes::LOCKED,
    ),
    (
        "exempt_teacher_travels",
        |_, d| {
            edit(
                d,
                "routes.csv",
                "T2,4,2,S1,0,10,20\n",
                "T2,4,2,S1,0,10,20\nT6,2,1,S1,2,20,35\nT6,2,2,S3,0,20,35\n",
            )
        },
        codes::EXEMPT,
    ),
    (
        "periods_of_zero",
        |_, d| edit(d, "teaching.csv", "T3,S1,数学,10", "T3,S1,数学,0"),
        codes::TEACH,
    ),
    (
        "unqualified_subject",
        |_, d| edit(d, "teaching.csv", "T3,S1,数学,10", "T3,S1,语文,10"),
        codes::QUALIFIED,
    ),
    (
        "no_demand_for_subject",
        |_, d| {
            edit(
                d,
                "teaching.csv",
                "T6,S3,数学,14",
                "T6,S3,数学,14\nT6,S3,英语,1",
            )
        },
        codes::DEMAND,
    ),
    (
        "over_capacity_at_host",
        |_, d| edit(d, "teaching.csv", "T5,S1,语文,16", "T5,S1,语文,18"),
        codes::FULLTIME,
    ),
    (
        "over_capacity",
        |_, d| edit(d, "teaching.csv", "T2,S1,音乐,8", "T2,S1,音乐,12"),
        codes::LOAD,
    ),
    (
        "mover_teaches_at_home",
        |_, d| {
            edit(
                d,
                "teaching.csv",
                "T1,S3,语文,16",
                "T1,S1,语文,4\nT1,S3,语文,12",
            )
        },
        codes::AWAY,
    ),
    (
        "trip_teaching_of_a_non_itinerant_subject",
        |ds, _| {
            ds.policy.itinerant.subjects.retain(|s| s != "音乐");
            ds.policy.itinerant.subjects.push("语文".into());
            let t2 = teacher(ds, "T2");
            let yuwen = ds.subject_ix("语文").unwrap();
            ds.teachers[t2].extra_subjects = vec![yuwen];
        },
        codes::TRIP_SUBJECT,
    ),
    (
        "teaching_at_a_stop_not_visited",
        |_, d| edit(d, "teaching.csv", "T2,S3,音乐,2", "T2,S3,音乐,3"),
        codes::TRIP_PERIODS,
    ),
    (
        "route_without_row_home",
        |_, d| edit(d, "routes.csv", "T2,4,2,S1,0,10,20\n", ""),
        codes::ROUTE_FORM,
    ),
    (
        "two_trips_on_one_weekday",
        |_, d| {
            edit(
                d,
                "routes.csv",
                "T2,4,1,S2,2,10,20\nT2,4,2",
                "T2,2,1,S2,2,10,20\nT2,2,2",
            )
        },
        codes::DAY,
    ),
    (
        "too_many_days",
        |ds, _| ds.policy.itinerant.max_days = 1,
        codes::DAYS,
    ),
    (
        "unwilling_traveller",
        |ds, _| {
            let t = teacher(ds, "T2");
            ds.teachers[t].willing = Willing::No
        },
        codes::TRAVELER,
    ),
    (
        "stop_outside_community_scope",
        |ds, _| {
            ds.policy.itinerant.scope = lungang::domain::Scope::Community;
            let s3 = ds.schools.iter().position(|s| s.id == "S3").unwrap();
            ds.schools[s3].community = None;
            let c = &mut ds.communities[0];
            c.members.retain(|&m| m.0 as usize != s3);
        },
        codes::STOP,
    ),
    (
        "trip_over_the_minutes_limit",
        |ds, _| ds.policy.itinerant.max_minutes_day = 60.0,
        codes::MINUTES,
    ),
    (
        "leg_between_stops_too_long",
        |ds, _| ds.policy.itinerant.max_minutes_between = 10.0,
        codes::MINUTES,
    ),
    (
        "two_stops_in_the_other_order",
        |_, d| {
            edit(
                d,
                "routes.csv",
                "T2,2,1,S2,2,10,20\nT2,2,2,S3,2,8,15\nT2,2,3,S1,0,20,35",
                "T2,2,1,S3,2,20,35\nT2,2,2,S2,2,8,15\nT2,2,3,S1,0,10,20",
            )
        },
        codes::ORDER,
    ),
    (
        "too_many_periods_at_a_half_day_stop",
        |ds, _| ds.policy.itinerant.periods_half_day = 1,
        codes::STOP_PERIODS,
    ),
    (
        "wrong_leg_km",
        |_, d| edit(d, "routes.csv", "T2,4,2,S1,0,10,20", "T2,4,2,S1,0,11,20"),
        codes::LEG,
    ),
    (
        "a_trip_on_saturday",
        |_, d| {
            edit(
                d,
                "routes.csv",
                "T2,4,1,S2,2,10,20\nT2,4,2",
                "T2,6,1,S2,2,10,20\nT2,6,2",
            )
        },
        codes::ROUTE_FORM,
    ),
    (
        "a_stop_of_one_period",
        |_, d| {
            edit(d, "routes.csv", "T2,2,1,S2,2,10,20", "T2,2,1,S2,1,10,20");
            edit(d, "routes.csv", "T2,4,1,S2,2,10,20", "T2,4,1,S2,3,10,20");
        },
        codes::STOP_MIN,
    ),
    (
        "wrong_covered",
        |_, d| edit(d, "coverage.csv", "S2,英语,10,10,0,0", "S2,英语,10,9,1,0"),
        codes::COVER,
    ),
    (
        "missing_coverage_row",
        |_, d| edit(d, "coverage.csv", "S3,音乐,4,4,0,0\n", ""),
        codes::COVER,
    ),
    (
        "wrong_unmet_before",
        |_, d| edit(d, "coverage.csv", "S2,音乐,6,4,2,6", "S2,音乐,6,4,2,5"),
        codes::UNMET_BEFORE,
    ),
    (
        "unmet_before_above_demand",
        |_, d| edit(d, "coverage.csv", "S3,音乐,4,4,0,0", "S3,音乐,4,4,0,5"),
        codes::UNMET_BEFORE,
    ),
    (
        "ledger_extension_not_closed",
        |_, d| {
            edit(
                d,
                "ledger.csv",
                "T5,S3,S1,2024,2025,no",
                "T5,S3,S1,2024,2024,yes",
            )
        },
        codes::LEDGER,
    ),
    (
        "ledger_without_new_move",
        |_, d| edit(d, "ledger.csv", "T3,S2,S1,2025,2025,no\n", ""),
        codes::LEDGER,
    ),
    (
        "rule_with_wrong_required",
        |_, d| edit(d, "summary.json", "\"required\": 0.4", "\"required\": 1"),
        codes::RULE,
    ),
    (
        "missing_rule",
        |_, d| {
            edit(d, "summary.json", "{\"rule\": \"due_share\", \"scope\": \"S1\", \"required\": 1, \"reached\": 2, \"shortfall\": 0, \"ok\": true, \"why\": \"\"},\n", "")
        },
        codes::RULE,
    ),
    (
        "summary_hides_a_broken_rule",
        |_, d| {
            edit(
                d,
                "summary.json",
                "\"shortfall\": 1, \"ok\": false",
                "\"shortfall\": 1, \"ok\": true",
            )
        },
        codes::RULE_HIDDEN,
    ),
    (
        "wrong_objective",
        |_, d| {
            edit(
                d,
                "summary.json",
                "\"objective\": 118064",
                "\"objective\": 118000",
            )
        },
        codes::OBJECTIVE,
    ),
    (
        "wrong_term",
        |_, d| edit(d, "summary.json", "\"rotation\": 61", "\"rotation\": 60"),
        codes::TERM,
    ),
    (
        "wrong_count",
        |_, d| edit(d, "summary.json", "\"trip_days\": 2", "\"trip_days\": 3"),
        codes::COUNTS,
    ),
];

#[test]
fn each_broken_plan_is_caught_with_its_code() {
    let base = dataset();
    let mut failures = Vec::new();
    for (name, breaker, code) in BROKEN {
        let mut ds = base.clone();
        let dir = plan_copy();
        breaker(&mut ds, dir.path());
        let report = run(&ds, dir.path());
        if std::env::var_os("CHECK_SHOW").is_some() {
            eprintln!("== {name}\n{}", report.render());
        }
        if !report.codes().contains(code) {
            failures.push(format!(
                "{name}: expected {code}, got:\n{}",
                report.render()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn an_over_capacity_teacher_reads_as_a_sentence() {
    let ds = dataset();
    let dir = plan_copy();
    edit(dir.path(), "teaching.csv", "T2,S1,音乐,8", "T2,S1,音乐,12");
    let report = run(&ds, dir.path());
    let load: Vec<&str> = report
        .violations
        .iter()
        .filter(|v| v.code == codes::LOAD)
        .map(|v| v.sentence.as_str())
        .collect();
    assert_eq!(
        load,
        vec!["T2 teaches 18 periods a week in all but its capacity is 16"]
    );
    assert!(!report.is_ok());
}

#[test]
fn a_missing_stop_names_the_teacher_subject_and_school() {
    let ds = dataset();
    let dir = plan_copy();
    edit(
        dir.path(),
        "routes.csv",
        "T2,2,1,S2,2,10,20\nT2,2,2,S3,2,8,15\nT2,2,3,S1,0,20,35",
        "T2,2,1,S2,2,10,20\nT2,2,2,S1,0,10,20",
    );
    let report = run(&ds, dir.path());
    let text = report.render();
    assert!(
        text.contains(
            "C-TRIP-PERIODS  T2 teaches 音乐 at S3 (2 periods) but none of its trips stops there"
        ),
        "{text}"
    );
}

#[test]
fn a_file_error_names_file_and_line() {
    let ds = dataset();
    let dir = plan_copy();
    edit(
        dir.path(),
        "teaching.csv",
        "T3,S1,数学,10",
        "T3,S1,数学,ten",
    );
    let report = run(&ds, dir.path());
    let file: Vec<&str> = report
        .violations
        .iter()
        .filter(|v| v.code == codes::FILE)
        .map(|v| v.sentence.as_str())
        .collect();
    assert_eq!(
        file,
        vec!["teaching.csv:6: periods `ten` is not an integer"]
    );
}

#[test]
fn an_empty_folder_is_a_list_of_missing_files_not_a_panic() {
    let ds = dataset();
    let dir = tempfile::tempdir().unwrap();
    let report = run(&ds, dir.path());
    assert!(!report.is_ok());
    for f in [
        "assignments.csv",
        "teaching.csv",
        "routes.csv",
        "coverage.csv",
        "ledger.csv",
        "summary.json",
    ] {
        assert!(
            report.violations.iter().any(|v| v.code == codes::FILE
                && v.sentence == format!("{f} is missing from the plan folder")),
            "{f}: {}",
            report.render()
        );
    }
    // The LOCKED teacher is still required, from the dataset alone.
    assert!(report.codes().contains(&codes::LOCKED));
}

#[test]
fn garbage_bytes_do_not_panic() {
    let ds = dataset();
    let dir = plan_copy();
    std::fs::write(
        dir.path().join("routes.csv"),
        [0xffu8, 0xfe, 0x00, b'\n', b'"'],
    )
    .unwrap();
    std::fs::write(
        dir.path().join("teaching.csv"),
        "teacher,school,subject,periods\n\"T1,S3",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("summary.json"),
        "{\"status\": 3, \"rules\": [1, 2]}",
    )
    .unwrap();
    let report = run(&ds, dir.path());
    assert!(report.codes().contains(&codes::FILE), "{}", report.render());
    assert!(
        report.codes().contains(&codes::SUMMARY),
        "{}",
        report.render()
    );
}

/// Checks any plan folder by hand:
/// `CHECK_DATASET=data/xinjian CHECK_PLAN=out cargo test --release --test check adhoc -- --ignored --nocapture`
#[test]
#[ignore]
fn adhoc_check_of_a_plan_folder() {
    let (Some(data), Some(plan)) = (
        std::env::var_os("CHECK_DATASET"),
        std::env::var_os("CHECK_PLAN"),
    ) else {
        return;
    };
    let ds = match load_dataset(Path::new(&data), None) {
        Ok(l) => l.dataset,
        Err(e) => panic!("{:?}", e.diagnostics),
    };
    let start = std::time::Instant::now();
    let report = check_plan(&ds, Path::new(&plan));
    eprintln!("{}({:?})", report.render(), start.elapsed());
}

/// Writes the fixture's report.html and plan.xlsx: the checker asks for both, and checks
/// the workbook's sheets and row counts against the CSV files and that the page names
/// every teacher serving away. Run once when the fixture's plan changes:
/// `cargo test --release --test check write_the_fixture_reports -- --ignored`.
#[test]
#[ignore]
fn write_the_fixture_reports() {
    let dir = data_dir().join("plan");
    let rows = |f: &str| {
        std::fs::read_to_string(dir.join(f))
            .unwrap()
            .lines()
            .count()
            - 1
    };
    let summary = std::fs::read_to_string(dir.join("summary.json")).unwrap();
    let rules = summary.matches("\"rule\"").count();
    let counts = [
        rows("assignments.csv"),
        rows("routes.csv"),
        rows("coverage.csv"),
        rules,
        rows("ledger.csv"),
    ];
    let mut book = rust_xlsxwriter::Workbook::new();
    // Sheets after the first five have no CSV file to count against: a header alone.
    let counts = counts.into_iter().chain(std::iter::repeat(0));
    for (name, n) in lungang::report::xlsx::SHEETS.iter().zip(counts) {
        let ws = book.add_worksheet();
        ws.set_name(*name).unwrap();
        ws.write_string(0, 0, "hand-made fixture").unwrap();
        for r in 1..=n as u32 {
            ws.write_number(r, 0, r as f64).unwrap();
        }
    }
    book.save(dir.join("plan.xlsx")).unwrap();
    let ids: Vec<String> = std::fs::read_to_string(dir.join("assignments.csv"))
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap().to_string())
        .collect();
    let page = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>hand-made fixture</title></head>\n<body><p>Serving away: {}</p></body>\n</html>\n",
        ids.join(", ")
    );
    std::fs::write(dir.join("report.html"), page).unwrap();
}
