//! The synthetic county generator (issue 2, items 5 and 7): one seed gives the same bytes,
//! the committed sample datasets are the generator's output, sizes match the options, and
//! everything it writes loads without an error.

use std::collections::BTreeMap;
use std::path::Path;

use lungang::generate::{generate, preset, County, GenerateOptions};

/// Every file of a folder, by name.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        out.insert(
            e.file_name().to_string_lossy().into_owned(),
            std::fs::read(e.path()).unwrap(),
        );
    }
    out
}

fn written(c: &County) -> (tempfile::TempDir, BTreeMap<String, Vec<u8>>) {
    let dir = tempfile::tempdir().unwrap();
    c.write(dir.path()).unwrap();
    let f = files(dir.path());
    (dir, f)
}

fn opts(schools: usize, teachers: usize, seed: u64) -> GenerateOptions {
    GenerateOptions {
        schools,
        teachers,
        seed,
        communities: None,
    }
}

#[test]
fn same_seed_gives_byte_identical_files() {
    let o = opts(60, 1500, 42);
    let (_a, a) = written(&generate(&o));
    let (_b, b) = written(&generate(&o));
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        [
            "communities.csv",
            "demand.csv",
            "ledger.csv",
            "policy.toml",
            "schools.csv",
            "teachers.csv"
        ]
    );
    for (name, bytes) in &a {
        assert!(b[name] == *bytes, "{name} differs between two runs");
    }
}

#[test]
fn different_seeds_give_different_counties() {
    let (_a, a) = written(&generate(&opts(60, 1500, 1)));
    let (_b, b) = written(&generate(&opts(60, 1500, 2)));
    for name in ["schools.csv", "teachers.csv", "demand.csv", "ledger.csv"] {
        assert_ne!(a[name], b[name], "{name} is the same for seeds 1 and 2");
    }
}

/// data/xinjian and data/xiji are exactly what `preset` writes (their README.md aside).
#[test]
fn presets_regenerate_the_committed_data() {
    for name in ["xinjian", "xiji"] {
        let (_d, fresh) = written(&preset(name).unwrap());
        let committed = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("data")
            .join(name);
        for (file, bytes) in &fresh {
            let old = std::fs::read(committed.join(file))
                .unwrap_or_else(|e| panic!("data/{name}/{file}: {e}"));
            assert!(
                old == *bytes,
                "data/{name}/{file} differs from the generator's output: \
                 run `lungang generate --preset {name} --out data/{name}`"
            );
        }
    }
    assert!(preset("nowhere").is_none());
}

/// Schools and teachers are exact; communities never exceed the request.
#[test]
fn sizes_match_the_options() {
    for (s, t, k) in [
        (250, 8000, None),
        (45, 2000, Some(9)),
        (12, 150, None),
        (5, 3, Some(1)),
    ] {
        let c = generate(&GenerateOptions {
            schools: s,
            teachers: t,
            seed: 7,
            communities: k,
        });
        assert_eq!(c.schools.len(), s);
        assert_eq!(c.teachers.len(), t);
        if let Some(k) = k {
            assert!(c.communities.len() <= k);
        }
    }
    let c = generate(&opts(250, 8000, 3));
    assert!(c.communities.len() >= 20, "{}", c.communities.len());
}

/// The presets keep the plans' structure: 9 and 11 communities, real names.
#[test]
fn presets_keep_the_real_communities() {
    let xj = preset("xinjian").unwrap();
    assert_eq!(xj.communities.len(), 9);
    assert_eq!(xj.schools.len(), 45);
    assert!(xj.communities.iter().all(|c| c.mode == "tight"));
    assert!(xj
        .schools
        .iter()
        .all(|s| s.name.starts_with("新建区") || s.name.starts_with("新建经开区")));
    let xi = preset("xiji").unwrap();
    assert_eq!(xi.communities.len(), 11);
    assert_eq!(xi.schools.len(), 54);
    for c in [&xj, &xi] {
        assert!(
            (1500..=2500).contains(&c.teachers.len()),
            "{}",
            c.teachers.len()
        );
    }
}

/// Every generated county and both presets load with no error diagnostic, nor a warning.
#[test]
fn generated_counties_load_clean() {
    let mut counties: Vec<(String, County)> = ["xinjian", "xiji"]
        .iter()
        .map(|n| (n.to_string(), preset(n).unwrap()))
        .collect();
    for (s, t, seed) in [(250, 8000, 1), (40, 1200, 2), (12, 150, 3), (5, 3, 4)] {
        counties.push((format!("{s}/{t}/{seed}"), generate(&opts(s, t, seed))));
    }
    for (name, c) in counties {
        let dir = tempfile::tempdir().unwrap();
        c.write(dir.path()).unwrap();
        match lungang::input::load_dataset(dir.path(), None) {
            Ok(loaded) => {
                assert!(
                    loaded.warnings.is_empty(),
                    "{name} loads with warnings: {:#?}",
                    loaded.warnings
                );
                let d = &loaded.dataset;
                assert_eq!(d.schools.len(), c.schools.len(), "{name}");
                assert_eq!(d.teachers.len(), c.teachers.len(), "{name}");
                assert_eq!(d.communities.len(), c.communities.len(), "{name}");
                assert_eq!(d.ledger.len(), c.ledger.len(), "{name}");
                assert_eq!(d.policy.plan_year, 2025, "{name}");
            }
            Err(e) => panic!("{name} does not load: {:#?}", e.diagnostics),
        }
    }
}

/// `near_pairs` only skips pairs no two-stop trip can join: every home's trips are the
/// same as when every pair is tried (and there are two-stop trips to compare).
#[test]
fn the_near_pairs_filter_changes_no_trip() {
    let dir = tempfile::tempdir().unwrap();
    generate(&opts(40, 900, 5)).write(dir.path()).unwrap();
    let ds = lungang::input::load_dataset(dir.path(), None)
        .unwrap()
        .dataset;
    let (near, all) = (
        ds.near_pairs(),
        lungang::domain::Near::all(ds.schools.len()),
    );
    let mut two_stop = 0;
    for t in ds.teacher_ixs() {
        let te = ds.teacher(t);
        let k = ds.itinerant_subjects(ds.qualified(t));
        if k.is_empty() {
            continue;
        }
        let cands = ds.stop_candidates(te.home, te.stage, &k);
        let fast = ds.trips_from(te.home, &cands, &near);
        assert_eq!(fast, ds.trips_from(te.home, &cands, &all));
        two_stop += fast.iter().filter(|j| j.stops.len() == 2).count();
    }
    assert!(two_stop > 0, "the county has two-stop trips to compare");
}
