//! Broken inputs, one folder per defect under tests/data/broken/, each with an
//! `expect.txt` listing every diagnostic it must yield as `FILE:LINE:COLUMN: CODE`
//! (exactly these, in this order). Every code of docs/errors.md is covered. A folder
//! holding `book.xlsx` is read as that workbook; one holding `scenarios.toml` is read,
//! then its scenarios applied to the folder's dataset (`lungang whatif`).

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
        let full = diagnostics_of(&dir);
        let got = located(&full);
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

/// The dataset of a broken folder: its workbook if it has one, else the folder.
fn source(dir: &Path) -> PathBuf {
    let book = dir.join("book.xlsx");
    if book.exists() {
        book
    } else {
        dir.to_path_buf()
    }
}

/// Every diagnostic of a broken folder: its dataset's, then its scenarios file's.
fn diagnostics_of(dir: &Path) -> Vec<Diagnostic> {
    let loaded = match load_dataset(&source(dir), None) {
        Ok(l) => l,
        Err(e) => return e.diagnostics,
    };
    let mut all = loaded.warnings;
    let Ok(text) = std::fs::read_to_string(dir.join("scenarios.toml")) else {
        return all;
    };
    let policy = std::fs::read_to_string(dir.join("policy.toml")).unwrap_or_default();
    match lungang::scenario::parse(&text, "scenarios.toml") {
        Err(d) => all.extend(d),
        Ok(file) => {
            for sc in &file.scenario {
                if let Err(d) = lungang::scenario::apply(&loaded.dataset, &policy, sc) {
                    all.extend(d);
                }
            }
        }
    }
    all
}

#[test]
fn a_folder_with_an_error_never_loads() {
    for dir in broken_folders() {
        let expect = std::fs::read_to_string(dir.join("expect.txt")).unwrap();
        // The scenarios file's errors are not the dataset's.
        let has_error = expect
            .lines()
            .any(|l| l.contains(": E") && !l.starts_with("scenarios.toml"));
        assert_eq!(
            load_dataset(&source(&dir), None).is_err(),
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

/// A copy of a broken folder with some files replaced.
fn variant(name: &str, files: &[(&str, &str)]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let src = root().join("tests/data/broken").join(name);
    for e in std::fs::read_dir(&src).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, tmp.path().join(p.file_name().unwrap())).unwrap();
    }
    for (f, text) in files {
        std::fs::write(tmp.path().join(f), text).unwrap();
    }
    tmp
}

/// E0309 counts itinerant stops only when the model could use them.
#[test]
fn itinerant_distances_are_needed_only_when_trips_are_possible() {
    let base = "itinerant_stop_without_distance";
    let fine: [(&str, &str); 4] = [
        // Trips off.
        ("policy.toml", "[itinerant]\nmax_days = 0\n"),
        // Music is not itinerant.
        ("policy.toml", "[itinerant]\nsubjects = [\"体育\"]\n"),
        // S4 is in no community, S2 is in C1.
        ("policy.toml", "[itinerant]\nscope = \"community\"\n"),
        // The distance is given (in the other direction).
        (
            "distances.csv",
            "from,to,km,minutes\nS1,S2,15,25\nS4,S2,7,12\n",
        ),
    ];
    for (file, text) in fine {
        let dir = variant(base, &[(file, text)]);
        let r = load_dataset(dir.path(), None);
        assert!(r.is_ok(), "{file}: {text}: {}", r.unwrap_err());
    }
    // No demand for music at S4: no stop there.
    let demand =
        "school,subject,periods\nS1,语文,30\nS2,音乐,8\nS3,数学,20\nS2,美术,6\nS4,音乐,0\n";
    assert!(load_dataset(variant(base, &[("demand.csv", demand)]).path(), None).is_ok());
    // The music teacher exempt: no trips.
    let dir = variant(base, &[]);
    let teachers = std::fs::read_to_string(dir.path().join("teachers.csv")).unwrap();
    let teachers = teachers.replace("14,active,unknown", "14,exempt,unknown");
    std::fs::write(dir.path().join("teachers.csv"), teachers).unwrap();
    assert!(load_dataset(dir.path(), None).is_ok());
}

/// Any prefix of any file (cut mid-row, mid-character, mid-quote) gives diagnostics or a
/// dataset, never a panic; and every error names a place inside the folder.
#[test]
fn truncated_files_never_panic() {
    let src = root().join("tests/data/broken/many_problems");
    for entry in std::fs::read_dir(&src).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name == "expect.txt" {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        for cut in 0..bytes.len() {
            let dir = variant("many_problems", &[]);
            std::fs::write(dir.path().join(&name), &bytes[..cut]).unwrap();
            if let Err(e) = load_dataset(dir.path(), None) {
                assert!(e.diagnostics.iter().all(|d| d.line >= 1 && d.column >= 1));
                let mut sorted = e.diagnostics.clone();
                sorted.sort();
                assert_eq!(sorted, e.diagnostics);
            }
        }
    }
}
