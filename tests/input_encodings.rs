//! The same dataset written five ways — English headers in UTF-8 with and without a BOM,
//! Chinese headers and enum words in UTF-8, UTF-8 with BOM and GB18030 (GBK) — loads to
//! one `Dataset`.

use std::path::{Path, PathBuf};

use lungang::domain::{Dataset, Stages};
use lungang::input::load_dataset;

fn dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/encodings")
        .join(name)
}

fn load(name: &str) -> Dataset {
    match load_dataset(&dir(name), None) {
        Ok(l) => {
            assert!(l.warnings.is_empty(), "{name}: {:?}", l.warnings);
            l.dataset
        }
        Err(e) => panic!("{name} does not load:\n{e}"),
    }
}

#[test]
fn gbk_file_is_really_not_utf8() {
    let bytes = std::fs::read(dir("chinese_gbk").join("schools.csv")).unwrap();
    assert!(std::str::from_utf8(&bytes).is_err());
    let bom = std::fs::read(dir("chinese_utf8_bom").join("schools.csv")).unwrap();
    assert!(bom.starts_with(b"\xEF\xBB\xBF"));
}

#[test]
fn every_encoding_loads_to_the_english_twin() {
    let twin = load("english_utf8");
    for name in [
        "english_utf8_bom",
        "chinese_utf8",
        "chinese_utf8_bom",
        "chinese_gbk",
    ] {
        assert_eq!(load(name), twin, "{name}");
    }
}

/// The derived invariants of `Dataset` hold on the twin.
#[test]
fn invariants_of_the_loaded_dataset() {
    let d = load("english_utf8");
    assert_eq!(d.subjects, ["书法", "体育", "数学", "美术", "语文", "音乐"]);
    let mut sorted = d.demand.clone();
    sorted.sort_by_key(|x| (x.school, x.subject));
    assert_eq!(d.demand, sorted);
    assert_eq!(d.demand.len(), 6);
    let k = |s: &str| d.subject_ix(s).unwrap();
    // T1: main 语文 repeated in extra is dropped.
    assert_eq!(d.teachers[0].extra_subjects, [k("书法")]);
    // T2: extra sorted by subject order.
    assert_eq!(d.teachers[1].extra_subjects, [k("体育"), k("美术")]);
    // Stage: column wins, else the home school's.
    assert_eq!(d.teachers[1].stage, Stages::JUNIOR);
    assert_eq!(d.teachers[0].stage, Stages::PRIMARY);
    // Members in schools.csv order, core as listed.
    let c1 = &d.communities[0];
    assert_eq!((c1.core.len(), c1.members.len()), (1, 1));
    assert_eq!(d.school(c1.members[0]).id, "S2");
    // Distances: a single direction holds both ways; both given keep their own.
    let s = |id: &str| d.school_ixs().find(|&s| d.school(s).id == id).unwrap();
    assert_eq!(d.distances[&(s("S2"), s("S1"))].km, 15.0);
    assert_eq!(d.distances[&(s("S3"), s("S4"))].km, 8.0);
    assert_eq!(d.distances[&(s("S4"), s("S3"))].km, 9.0);
    assert_eq!(d.distances.len(), 8);
    assert!(d.policy.rotation.reciprocal.paired);
    assert_eq!(d.ledger.len(), 2);
    assert!(d.ledger[1].extend);
}
