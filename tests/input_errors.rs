//! Broken inputs, one folder per defect under tests/data/broken/, each with an
//! `expect.txt` listing every diagnostic it must yield as `FILE:LINE:COLUMN: CODE`
//! (exactly these, in this order). Every code of docs/errors.md is covered.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use lungang::input::{load_dataset, Diagnostic};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn located(d: &[Diagnostic]) -> Vec<String> {
    d.iter()
        .map(|d| format!("{}:{}:{}: {}", d.file, d.line, d.column, d.code))
        .collect()
}

fn broken_folders() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root().join("tests/data/broken"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

/// Codes documented in docs/errors.md (headings `### E0101 …`).
fn documented_codes() -> BTreeSet<String> {
    let text = std::fs::read_to_string(root().join("docs/errors.md")).unwrap();
    text.lines()
        .filter_map(|l| l.strip_prefix("### "))
        .filter_map(|l| l.split_whitespace().next())
        .map(str::to_owned)
        .collect()
}

#[test]
fn every_broken_folder_yields_exactly_its_expected_diagnostics() {
    let mut failures = Vec::new();
    let mut covered = BTreeSet::new();
    for dir in broken_folders() {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let expect: Vec<String> = std::fs::read_to_string(dir.join("expect.txt"))
            .unwrap_or_else(|_| panic!("{name}: no expect.txt"))
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect();
        let (got, full) = match load_dataset(&dir, None) {
            Ok(l) => (located(&l.warnings), l.warnings),
            Err(e) => (located(&e.diagnostics), e.diagnostics),
        };
        if got != expect {
            let full: Vec<String> = full.iter().map(ToString::to_string).collect();
            failures.push(format!(
                "{name}:\n  expected {expect:?}\n  got      {got:?}\n  {}",
                full.join("\n  ")
            ));
        }
        // Every message says what was expected.
        for d in &full {
            assert!(
                !d.message.is_empty() && !d.expected.is_empty(),
                "{name}: {d}"
            );
        }
        covered.extend(full.iter().map(|d| d.code.to_owned()));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let documented = documented_codes();
    let untested: Vec<_> = documented.difference(&covered).collect();
    assert!(
        untested.is_empty(),
        "codes without a broken folder: {untested:?}"
    );
    let undocumented: Vec<_> = covered.difference(&documented).collect();
    assert!(
        undocumented.is_empty(),
        "codes missing from docs/errors.md: {undocumented:?}"
    );
}

#[test]
fn a_folder_with_an_error_never_loads() {
    for dir in broken_folders() {
        let expect = std::fs::read_to_string(dir.join("expect.txt")).unwrap();
        let has_error = expect.contains(": E");
        assert_eq!(
            load_dataset(&dir, None).is_err(),
            has_error,
            "{}",
            dir.display()
        );
    }
}

#[test]
fn diagnostics_print_as_file_line_column_code_message_expected() {
    let dir = root().join("tests/data/broken/ledger_overlap");
    let e = load_dataset(&dir, None).unwrap_err();
    let text = e.to_string();
    assert_eq!(text.lines().count(), e.diagnostics.len());
    assert!(
        text.starts_with("ledger.csv:3:4: E0403 teacher `T1`: ")
            && text.ends_with("(expected start_year > 2024)"),
        "{text}"
    );
}

#[test]
fn policy_override_is_used_and_named_by_its_path() {
    let twin = root().join("tests/data/encodings/english_utf8");
    let bad = root().join("tests/data/broken/policy_share_above_one/policy.toml");
    let e = load_dataset(&twin, Some(&bad)).unwrap_err();
    assert_eq!(e.diagnostics.len(), 1);
    assert_eq!(e.diagnostics[0].file, bad.display().to_string());
    assert_eq!(e.diagnostics[0].code, "E0504");

    let missing = root().join("tests/data/no_such_policy.toml");
    let e = load_dataset(&twin, Some(&missing)).unwrap_err();
    assert_eq!(
        located(&e.diagnostics),
        [format!("{}:1:1: E0101", missing.display())]
    );
}

#[test]
fn missing_policy_means_defaults() {
    let dir = root().join("tests/data/broken/unknown_column");
    let loaded = load_dataset(&dir, None).unwrap();
    assert_eq!(loaded.dataset.policy, lungang::domain::Policy::default());
}
