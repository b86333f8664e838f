//! Issue 17, classes 2, 5, 7, 11 and 12: the command line on hostile data and numbers.
//! Each test is the issue's reproduction on a copy of data/tiny (T), run by the binary in
//! at most 200 MB and 10 s (`common::lungang_bounded`).

mod common;

use std::path::Path;

use common::{append, lungang_bounded, replace, tiny_copy};

/// Plans T into `out`, then has `check` read it back: both must succeed.
fn plans_and_checks(dir: &Path) {
    let r = lungang_bounded(dir, &["plan", "T", "--out", "out", "--quiet"]);
    assert_eq!(r.code, 0, "plan: {}", r.stderr);
    let c = lungang_bounded(dir, &["check", "T", "out"]);
    assert_eq!(c.code, 0, "check: {}{}", c.stdout, c.stderr);
}

#[test]
fn a_school_in_no_community_without_demand_plans() {
    let (tmp, t) = tiny_copy();
    append(&t.join("schools.csv"), "S06,新校,rural,primary,,\n");
    plans_and_checks(tmp.path());
}

#[test]
fn a_school_with_teachers_and_no_demand_plans() {
    let (tmp, t) = tiny_copy();
    append(&t.join("schools.csv"), "S06,新校,rural,primary,,\n");
    append(
        &t.join("teachers.csv"),
        "T20,某某,S06,语文,,F,1990,2012,2015,,no,0,,active,unknown\n",
    );
    plans_and_checks(tmp.path());
}

#[test]
fn a_demand_row_of_zero_plans() {
    let (tmp, t) = tiny_copy();
    append(&t.join("schools.csv"), "S06,新校,rural,primary,,\n");
    append(&t.join("demand.csv"), "S06,语文,0\n");
    plans_and_checks(tmp.path());
}

#[test]
fn a_county_without_teachers_or_demand_plans_empty() {
    let (tmp, t) = tiny_copy();
    for f in ["communities.csv", "distances.csv", "ledger.csv"] {
        std::fs::remove_file(t.join(f)).unwrap();
    }
    std::fs::write(
        t.join("schools.csv"),
        "id,name,kind,stage\nS1,A,rural,primary\n",
    )
    .unwrap();
    let header = "id,name,school,subject,gender,birth_year,hire_year,school_since\n";
    std::fs::write(t.join("teachers.csv"), header).unwrap();
    std::fs::write(t.join("demand.csv"), "school,subject,periods\n").unwrap();
    let v = lungang_bounded(tmp.path(), &["validate", "T"]);
    assert_eq!(v.code, 0, "{}", v.stderr);
    assert!(v.stderr.contains("teachers.csv:1:1: W0102"), "{}", v.stderr);
    plans_and_checks(tmp.path());
}

#[test]
fn threads_beyond_the_cores_are_capped() {
    let (tmp, _t) = tiny_copy();
    let args = [
        "plan",
        "T",
        "--out",
        "out",
        "--threads",
        "100000",
        "--quiet",
    ];
    let r = lungang_bounded(tmp.path(), &args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let zero = lungang_bounded(tmp.path(), &["plan", "T", "--out", "o", "--threads", "0"]);
    assert_eq!(zero.code, 1, "{}", zero.stderr);
}

#[test]
fn time_limit_nan_or_negative_is_refused() {
    let (tmp, _t) = tiny_copy();
    for bad in ["NaN", "inf", "-1", "0"] {
        let r = lungang_bounded(
            tmp.path(),
            &["plan", "T", "--out", "o", "--time-limit", bad],
        );
        assert_eq!(r.code, 1, "{bad}: {}", r.stderr);
        assert!(r.stderr.contains("expected seconds in (0,"), "{}", r.stderr);
    }
    assert!(!tmp.path().join("o").exists());
}

#[test]
fn gap_of_two_is_refused_not_called_optimal() {
    let (tmp, _t) = tiny_copy();
    for bad in ["2", "1", "-0.1", "NaN"] {
        let r = lungang_bounded(tmp.path(), &["plan", "T", "--out", "o", "--gap", bad]);
        assert_eq!(r.code, 1, "{bad}: {}", r.stderr);
        assert!(r.stderr.contains("[0, 1)"), "{}", r.stderr);
    }
}

#[test]
fn usage_errors_exit_1_not_the_invalid_data_code() {
    let (tmp, _t) = tiny_copy();
    for args in [
        &["plan", "T", "--out", "o", "--bogus"][..],
        &["plan", "T"],
        &["frobnicate"],
    ] {
        let r = lungang_bounded(tmp.path(), args);
        assert_eq!(r.code, 1, "{args:?}: {}", r.stderr);
    }
    assert_eq!(lungang_bounded(tmp.path(), &["--help"]).code, 0);
}

#[test]
fn generate_zero_schools_is_refused() {
    let (tmp, _t) = tiny_copy();
    for (s, t) in [("0", "10"), ("3", "0"), ("3", "100000000")] {
        let r = lungang_bounded(
            tmp.path(),
            &["generate", "--schools", s, "--teachers", t, "--out", "g"],
        );
        assert_eq!(r.code, 1, "{s} {t}: {}", r.stderr);
    }
    assert!(!tmp.path().join("g").exists());
}

#[test]
fn check_of_a_plan_folder_that_does_not_exist_says_not_found() {
    let (tmp, _t) = tiny_copy();
    let r = lungang_bounded(tmp.path(), &["check", "T", "nowhere"]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr.contains("plan folder nowhere not found"),
        "{}",
        r.stderr
    );
    assert!(!r.stdout.contains("violation"), "{}", r.stdout);
}

/// A plan of T in `out`, then `edit` applied to it: check must fail with `needle`.
fn check_fails_after(edit: impl Fn(&Path), needle: &str) {
    let (tmp, _t) = tiny_copy();
    let r = lungang_bounded(tmp.path(), &["plan", "T", "--out", "out", "--quiet"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    edit(&tmp.path().join("out"));
    let c = lungang_bounded(tmp.path(), &["check", "T", "out"]);
    assert_eq!(c.code, 6, "{}", c.stdout);
    assert!(c.stdout.contains(needle), "{needle}:\n{}", c.stdout);
}

#[test]
fn check_of_a_junk_plan_xlsx_fails() {
    check_fails_after(
        |out| std::fs::write(out.join("plan.xlsx"), "junk").unwrap(),
        "C-FILE  plan.xlsx: not an .xlsx workbook",
    );
}

#[test]
fn check_of_a_plan_without_report_html_fails() {
    check_fails_after(
        |out| std::fs::remove_file(out.join("report.html")).unwrap(),
        "C-FILE  report.html is missing from the plan folder",
    );
}

#[test]
fn check_of_crlf_in_teaching_csv_fails() {
    check_fails_after(
        |out| {
            let p = out.join("teaching.csv");
            let s = std::fs::read_to_string(&p).unwrap().replace('\n', "\r\n");
            std::fs::write(p, s).unwrap();
        },
        "C-FILE  teaching.csv:1: a line ends with \\r",
    );
}

#[test]
fn check_of_a_plan_xlsx_short_of_rows_fails() {
    check_fails_after(
        |out| {
            let mut book = rust_xlsxwriter::Workbook::new();
            for name in lungang::report::xlsx::SHEETS {
                book.add_worksheet().set_name(name).unwrap();
            }
            book.save(out.join("plan.xlsx")).unwrap();
        },
        "C-REPORT  plan.xlsx[交流名单] has 0 rows under its header, assignments.csv 3",
    );
}

const SCENARIO: &str = "[[scenario]]\nname = \"hire\"\n[[scenario.change]]\nkind = \"add_teachers\"\nschool = \"S02\"\nsubject = \"音乐\"\n";

#[test]
fn whatif_scenario_errors_name_file_and_line_and_exit_2() {
    let (tmp, _t) = tiny_copy();
    let s = tmp.path().join("s.toml");
    std::fs::write(&s, format!("{SCENARIO}count = 100000000\n")).unwrap();
    let r = lungang_bounded(
        tmp.path(),
        &["whatif", "T", "--scenarios", "s.toml", "--out", "o"],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr
            .starts_with("s.toml:7:9: E0603 `count` = 100000000 is out of range"),
        "{}",
        r.stderr
    );
    replace(&s, "S02", "S99");
    replace(&s, "100000000", "2");
    let r = lungang_bounded(
        tmp.path(),
        &["whatif", "T", "--scenarios", "s.toml", "--out", "o"],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr
            .starts_with("s.toml:5:10: E0602 unknown school `S99`"),
        "{}",
        r.stderr
    );
    assert!(!tmp.path().join("o").exists());
}
