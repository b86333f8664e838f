//! `lungang simulate` end-to-end on tests/data/rules/learning_cycle (2026, the second year
//! of the 2025-2027 跟岗 cycle), two years: 2026 and the cycle's last year 2027.

mod common;

use std::path::Path;
use std::process::Output;

use common::bin::{lungang, text};

/// Every file under `dir` (relative path, bytes), summary.json without its `seconds`.
fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("folder") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
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
            let rel = p.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
            out.push((rel, bytes));
        }
    }
    out.sort();
    out
}

fn simulate(out: &Path, extend_share: &str) -> Output {
    lungang(&[
        "simulate",
        "tests/data/rules/learning_cycle",
        "--years",
        "2",
        "--out",
        out.to_str().unwrap(),
        "--time-limit",
        "30",
        "--threads",
        "1",
        "--extend-share",
        extend_share,
    ])
}

/// 2026 is learning_cycle's hand-worked 100142 (its expect.toml). 2027 is derived from it:
/// P01, P02 and P04 have learned (the 2026 plan's ledger rows), nobody retires (the oldest
/// are a woman of 52 and a man of 57), and NOV, hired in 2026, now has a teaching year.
/// Still to 跟岗 in the cycle's last year: at S02 PRV (cooldown after 2024), P03
/// (unwilling) and NOV, so ⌈3/1⌉ = 3 must go and only NOV can (54); at S03 Q01 and Q02,
/// both unwilling: 2 short. Objective 54 + 4 × 100000 = 400054. The four missed are listed
/// with why; each year's folders pass `check`; a second run writes the same bytes. Nobody
/// asks to extend (`--extend-share 0`), so the hand count holds.
#[test]
fn two_years_reach_the_cycles_end_and_name_who_was_missed() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("sim");
    let o = simulate(&out, "0");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let summary = std::fs::read_to_string(out.join("summary.csv")).unwrap();
    let rows: Vec<Vec<&str>> = summary.lines().map(|l| l.split(',').collect()).collect();
    let col = |name: &str| rows[0].iter().position(|c| *c == name).unwrap();
    let get = |r: usize, name: &str| rows[r][col(name)].to_string();
    assert_eq!(rows.len(), 3, "{summary}");
    assert_eq!(get(1, "year"), "2026");
    assert_eq!(get(1, "objective"), "100142");
    assert_eq!(get(1, "learning"), "3");
    assert_eq!(get(1, "cycle_pending_after"), "4");
    assert_eq!(get(2, "year"), "2027");
    assert_eq!(get(2, "status"), "optimal");
    assert_eq!(get(2, "objective"), "400054");
    assert_eq!(get(2, "learning"), "1");
    assert_eq!(get(2, "cycle_pending_after"), "4");
    for r in 1..=2 {
        assert_eq!(get(r, "check_violations"), "0", "{summary}");
        assert_eq!(
            (get(r, "retired"), get(r, "hired")),
            ("0".into(), "0".into())
        );
    }
    let missed = std::fs::read_to_string(out.join("missed.csv")).unwrap();
    let who: Vec<(&str, &str)> = missed
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[1], f[4])
        })
        .collect();
    assert_eq!(
        who,
        [
            ("PRV", "in cooldown"),
            ("P03", "unwilling"),
            ("Q01", "unwilling"),
            ("Q02", "unwilling")
        ],
        "{missed}"
    );
    // 2027's ledger is 2026's plus the plan's three learners; rural years grew by one.
    let ledger = std::fs::read_to_string(out.join("2027/dataset/ledger.csv")).unwrap();
    assert!(
        ledger.ends_with(
            "P01,S02,S01,2026,2026,no\nP02,S02,S01,2026,2026,no\nP04,S02,S01,2026,2026,no\n"
        ),
        "{ledger}"
    );
    let page = std::fs::read_to_string(out.join("summary.html")).unwrap();
    assert!(
        page.contains("2026—2027学年") && page.contains("2027—2028学年"),
        "{page}"
    );
    assert_eq!(page.matches("<polyline").count(), 9, "one line a series");
    let policy = std::fs::read_to_string(out.join("2027/dataset/policy.toml")).unwrap();
    assert!(policy.starts_with("plan_year = 2027\n"), "{policy}");
    for y in ["2026", "2027"] {
        let o = lungang(&[
            "check",
            out.join(y).join("dataset").to_str().unwrap(),
            out.join(y).join("plan").to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(0), "{y}: {}", text(&o));
    }
    let again = tmp.path().join("again");
    let o = simulate(&again, "0");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(tree(&out) == tree(&again), "a second run differs");
}

/// With `--extend-share 1` every term ending in 2026 asks to extend: 2027's ledger says so
/// for the three learners, and 2027's plan, which may extend them, passes `check`.
#[test]
fn terms_ending_ask_to_extend_at_the_share_given() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("sim");
    let o = simulate(&out, "1");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let ledger = std::fs::read_to_string(out.join("2027/dataset/ledger.csv")).unwrap();
    assert!(
        ledger.ends_with(
            "P01,S02,S01,2026,2026,yes\nP02,S02,S01,2026,2026,yes\nP04,S02,S01,2026,2026,yes\n"
        ),
        "{ledger}"
    );
    let o = lungang(&[
        "check",
        out.join("2027/dataset").to_str().unwrap(),
        out.join("2027/plan").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
}

/// A file is not a dataset folder, and an existing --out is not replaced without --force.
#[test]
fn simulate_refuses_what_it_cannot_do() {
    let tmp = tempfile::tempdir().unwrap();
    let o = lungang(&[
        "simulate",
        "tests/data/rules/learning_cycle/policy.toml",
        "--years",
        "1",
        "--out",
        tmp.path().join("x").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let o = lungang(&[
        "simulate",
        "tests/data/rules/learning_cycle",
        "--years",
        "1",
        "--out",
        tmp.path().to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("--force"), "{}", text(&o));
}
