//! Fuzzing each loader with proptest (issue 17): CSV tables, policy.toml, the workbook
//! and the scenarios file, on arbitrary bytes and on data/tiny's own files mutated (flips,
//! hostile tokens, cuts, repeats), so that inputs get past the first check. Every input
//! must give a dataset or located, sorted, bounded diagnostics — never a panic — and the
//! process must stay under 200 MB.
//!
//! Ignored in `cargo test`; each runs for `LUNGANG_FUZZ_SECS` seconds (default 10), in
//! rounds of 64 cases with seeds fixed by the round, so a failure is reproduced by its
//! round and shrunk by proptest. docs/reliability.md records the 10-minute runs:
//!
//!     LUNGANG_FUZZ_SECS=600 nice cargo test --release --test fuzz_loaders fuzz_csv_tables \
//!         -- --ignored --nocapture --test-threads 1

mod common;

use std::path::Path;
use std::time::Instant;

use lungang::input::{load_dataset, Diagnostic};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseResult, TestRng, TestRunner};

/// Runs `test` on `strategy` for the configured seconds; reports cases and peak memory.
fn fuzz<S: Strategy>(name: &str, strategy: S, test: impl Fn(S::Value) -> TestCaseResult) {
    let secs: u64 = std::env::var("LUNGANG_FUZZ_SECS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10);
    let started = Instant::now();
    let (mut round, mut cases) = (0u64, 0u64);
    while started.elapsed().as_secs() < secs {
        let mut seed = [0u8; 32];
        seed[..8].copy_from_slice(&round.to_le_bytes());
        let config = Config {
            cases: 64,
            failure_persistence: None,
            ..Config::default()
        };
        let mut runner =
            TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &seed));
        if let Err(e) = runner.run(&strategy, &test) {
            panic!("{name}, round {round}: {e}");
        }
        round += 1;
        cases += 64;
    }
    let peak = peak_mb();
    eprintln!(
        "{name}: {cases} cases in {:.0} s, peak {peak:.0} MB",
        started.elapsed().as_secs_f64()
    );
    assert!(peak < 200.0, "{name}: peak {peak:.0} MB");
}

/// The process's peak resident memory (VmHWM), in MB; 0 where /proc is not there.
fn peak_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

/// Pieces that break parsers: quotes, separators, line ends, formula signs, control
/// characters, numbers at the edge of every range, 中文 and GBK, TOML and XML syntax.
const TOKENS: &[&str] = &[
    "\"",
    ",",
    "\n",
    "\r\n",
    "\r",
    "\"\"",
    ";",
    "；",
    "、",
    "=",
    "+",
    "-",
    "@",
    "\u{0}",
    "\t",
    " ",
    "1e308",
    "-1e308",
    "NaN",
    "inf",
    "-0",
    "0",
    "1",
    "10001",
    "99999999999999999999",
    "4294967296",
    "2200",
    "1899",
    "12.5",
    "语 文",
    "语文",
    "音乐",
    "S01",
    "T01",
    "C1",
    "\u{FEFF}",
    "\u{FFFD}",
    "\u{D1}\u{A7}",
    "是",
    "否",
    "yes",
    "nine_year",
    "九年一贯制",
    "[",
    "]",
    "[[",
    "]]",
    "{",
    "}",
    "= {",
    "'",
    "'''",
    "\"\"\"",
    "#",
    ".",
    "[weights]",
    "unmet = 1e15",
    "[rotation.core_min_share]",
    "kind = \"close_school\"",
    "count = 10000",
    "<",
    ">",
    "&",
    "&#0;",
    "<c r=\"XFD1048576\"><v>1</v></c>",
    "<row r=\"99999999\">",
    "t=\"s\"",
    "<v>999999999</v>",
    "<dimension ref=\"A1:XFD1048576\"/>",
    "</sheetData>",
    "<![CDATA[",
];

/// One edit of a seed: (where, what, with what).
type Edit = (u32, u8, u8);

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    prop::collection::vec((any::<u32>(), 0u8..6, any::<u8>()), 1..12)
}

/// `seed` with `edits` applied in turn; positions wrap to its length.
fn mutate(seed: &[u8], edits: &[Edit]) -> Vec<u8> {
    let mut b = seed.to_vec();
    for &(pos, kind, arg) in edits {
        let at = pos as usize % (b.len() + 1);
        let end = (at + arg as usize).min(b.len());
        match kind {
            0 if at < b.len() => b[at] ^= arg | 1,
            1 => {
                let t = TOKENS[arg as usize % TOKENS.len()].as_bytes();
                b.splice(at..at, t.iter().copied());
            }
            2 => {
                b.drain(at..end);
            }
            3 => {
                // A repeated stretch: rows, cells or keys twice.
                let piece = b[at..(at + 4 * arg as usize).min(b.len())].to_vec();
                b.splice(at..at, piece);
            }
            4 => b.truncate(at),
            _ => b.insert(at, arg),
        }
    }
    b
}

/// Either arbitrary bytes or a mutated seed.
fn bytes_from(seed: Vec<u8>) -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        1 => prop::collection::vec(any::<u8>(), 0..2048),
        4 => edits().prop_map(move |e| mutate(&seed, &e)),
    ]
}

/// What every load must give: a dataset, or diagnostics that are located, sorted and at
/// most 100 per file plus the lines counting the rest.
fn sound(result: Result<lungang::input::Loaded, lungang::input::LoadError>) -> TestCaseResult {
    let d: Vec<Diagnostic> = match result {
        Ok(l) => l.warnings,
        Err(e) => {
            prop_assert!(e.diagnostics.iter().any(Diagnostic::is_error));
            e.diagnostics
        }
    };
    let mut per_file = std::collections::BTreeMap::<&str, usize>::new();
    for x in &d {
        prop_assert!(x.line >= 1 && x.column >= 1, "{x}");
        prop_assert!(!x.message.is_empty() && !x.expected.is_empty(), "{x}");
        *per_file.entry(x.file.as_str()).or_default() += 1;
    }
    prop_assert!(per_file.values().all(|&n| n <= 102), "{per_file:?}");
    Ok(())
}

const TABLES: [&str; 6] = [
    "schools.csv",
    "communities.csv",
    "teachers.csv",
    "demand.csv",
    "distances.csv",
    "ledger.csv",
];

fn tiny(file: &str) -> Vec<u8> {
    std::fs::read(common::repo("data/tiny").join(file)).unwrap()
}

#[test]
#[ignore]
fn fuzz_csv_tables() {
    let (_tmp, t) = common::tiny_copy();
    let strategy = (0..TABLES.len()).prop_flat_map(|i| (Just(i), bytes_from(tiny(TABLES[i]))));
    fuzz("CSV tables", strategy, |(i, bytes)| {
        std::fs::write(t.join(TABLES[i]), &bytes).unwrap();
        let r = sound(load_dataset(&t, None));
        std::fs::write(t.join(TABLES[i]), tiny(TABLES[i])).unwrap();
        r
    });
}

#[test]
#[ignore]
fn fuzz_policy_toml() {
    let (_tmp, t) = common::tiny_copy();
    let mut seed = tiny("policy.toml");
    seed.extend_from_slice(b"\n[travel]\nroad_factor = 1.3\n[weights]\nunmet = 1000\nunmet_subject = { \"\xE9\x9F\xB3\xE4\xB9\x90\" = 2 }\n");
    fuzz("policy.toml", bytes_from(seed), |bytes| {
        std::fs::write(t.join("policy.toml"), &bytes).unwrap();
        sound(load_dataset(&t, None))
    });
}

/// The parts of an .xlsx of data/tiny, as written by rust_xlsxwriter.
fn tiny_xlsx_parts() -> Vec<(String, Vec<u8>)> {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("tiny.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    for file in TABLES {
        let text = String::from_utf8(tiny(file)).unwrap();
        let ws = book.add_worksheet();
        ws.set_name(file.trim_end_matches(".csv")).unwrap();
        for (r, line) in text.lines().enumerate() {
            for (c, cell) in line.split(',').enumerate() {
                match cell.parse::<f64>() {
                    Ok(v) if r > 0 => ws.write_number(r as u32, c as u16, v).unwrap(),
                    _ => ws.write_string(r as u32, c as u16, cell).unwrap(),
                };
            }
        }
    }
    book.save(&path).unwrap();
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut part = zip.by_index(i).unwrap();
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut part, &mut bytes).unwrap();
            (part.name().to_string(), bytes)
        })
        .collect()
}

fn zip_of(parts: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    for (name, bytes) in parts {
        zip.start_file(name, options).unwrap();
        std::io::Write::write_all(&mut zip, bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

#[test]
#[ignore]
fn fuzz_xlsx() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("policy.toml"), tiny("policy.toml")).unwrap();
    let book = tmp.path().join("tiny.xlsx");
    let parts = tiny_xlsx_parts();
    let whole = zip_of(&parts);
    // A part's XML mutated and zipped again (most of them), or the zip's bytes mutated.
    let strategy = prop_oneof![
        4 => (0..parts.len(), edits()).prop_map(move |(i, e)| {
            let mut p = parts.clone();
            p[i].1 = mutate(&p[i].1, &e);
            zip_of(&p)
        }),
        1 => bytes_from(whole),
    ];
    fuzz("xlsx", strategy, |bytes| {
        std::fs::write(&book, &bytes).unwrap();
        sound(load_dataset(&book, None))
    });
}

const SCENARIOS: &str = r#"[[scenario]]
name = "hire"
[[scenario.change]]
kind = "add_teachers"
school = "S02"
subject = "音乐"
count = 2
capacity = 16
[[scenario.change]]
kind = "demand"
school = "S03"
subject = "美术"
periods = 4

[[scenario]]
name = "cut and close"
[[scenario.change]]
kind = "remove_teachers"
school = "S01"
subject = "语文"
count = 1
[[scenario.change]]
kind = "close_school"
school = "S03"
into = "S02"
[[scenario.change]]
kind = "exempt"
teachers = ["T06", "T07"]

[[scenario]]
name = "outflow 15%"
[[scenario.change]]
kind = "policy"
key = "rotation.max_outflow_share"
value = 0.15
"#;

#[test]
#[ignore]
fn fuzz_scenarios() {
    let ds = common::load(&common::repo("data/tiny"));
    let policy = String::from_utf8(tiny("policy.toml")).unwrap();
    fuzz(
        "scenarios",
        bytes_from(SCENARIOS.as_bytes().to_vec()),
        |bytes| {
            let text = String::from_utf8_lossy(&bytes);
            let located = |d: &[Diagnostic]| d.iter().all(|x| x.line >= 1 && x.column >= 1);
            match lungang::scenario::parse(&text, "s.toml") {
                Err(d) => prop_assert!(!d.is_empty() && located(&d), "{d:?}"),
                Ok(file) => {
                    for sc in &file.scenario {
                        match lungang::scenario::apply(&ds, &policy, sc) {
                            Err(d) => prop_assert!(!d.is_empty() && located(&d), "{d:?}"),
                            Ok(v) => prop_assert!(v.teachers.len() <= lungang::limits::MAX_ROWS),
                        }
                    }
                }
            }
            Ok(())
        },
    );
}

/// The fuzz targets themselves run: a few seconds each in `cargo test` would be too long,
/// so only the mutation is checked here.
#[test]
fn mutations_stay_in_bounds() {
    let seed = b"id,name\nS1,A\n";
    for kind in 0..6 {
        for pos in [0, 3, 13, 99] {
            let out = mutate(seed, &[(pos, kind, 200)]);
            assert!(out.len() <= seed.len() + 4 * 200 + 64);
        }
    }
    assert_eq!(mutate(seed, &[(3, 4, 0)]), b"id,");
    assert!(Path::new(&common::repo("data/tiny")).is_dir());
}
