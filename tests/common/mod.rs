//! Shared by the planner tests: solve, write, and have the independent checker read the
//! written plan back — every plan a test produces goes through `check`.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use lungang::domain::{Dataset, DatasetBuilder, Mode, SchoolKind, Stages, TeacherSpec};
use lungang::generate::{generate, GenerateOptions};
use lungang::model::SolverSettings;
use lungang::plan::{solve, write_plan, Plan, Solved};

pub fn settings() -> SolverSettings {
    SolverSettings::new(120.0, 0.0, 1)
}

pub fn load(dir: &Path) -> Dataset {
    match lungang::input::load_dataset(dir, None) {
        Ok(l) => l.dataset,
        Err(e) => panic!("{} does not load:\n{e}", dir.display()),
    }
}

/// Solves `ds`, writes the plan into a temp folder, and asserts the checker passes it.
pub fn plan_and_check(ds: &Dataset, set: &SolverSettings) -> (Plan, tempfile::TempDir) {
    let (solved, _) = solve(ds, set).expect("solver runs");
    let Solved::Plan(plan) = solved else {
        panic!("no plan found")
    };
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("plan");
    write_plan(&dir, ds, &plan, false).expect("plan written");
    let report = lungang::check::check_plan(ds, &dir);
    assert!(
        report.is_ok(),
        "checker rejects the plan:\n{}",
        report.render()
    );
    (*plan, tmp)
}

pub fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// A generated county (`lungang generate`), written into `dir` and read back.
pub fn county(
    schools: usize,
    teachers: usize,
    seed: u64,
    communities: Option<usize>,
    dir: &Path,
) -> Dataset {
    generate(&GenerateOptions {
        schools,
        teachers,
        seed,
        communities,
        profile: Default::default(),
    })
    .write(dir)
    .expect("county written");
    load(dir)
}

/// Ten 语文 teachers at a tight core, one of them backbone, and a member short of 16
/// periods: the optimum sends the backbone teacher, at 50 + 0.2·20 − 20 (promotion)
/// − 5 (due) = 29.
pub fn one_backbone_county() -> Dataset {
    let mut b = DatasetBuilder::new()
        .school("S1", SchoolKind::Urban, Stages::PRIMARY, Some("C1"))
        .school("S2", SchoolKind::Rural, Stages::PRIMARY, Some("C1"))
        .community("C1", Mode::Tight, &["S1"])
        .demand("S1", "语文", 144)
        .demand("S2", "语文", 16)
        .distance("S1", "S2", 20.0, 30.0);
    for i in 0..10 {
        let mut t = TeacherSpec::new(&format!("T{i:02}"), "S1", "语文");
        t.backbone = i == 3;
        b = b.teacher(t);
    }
    b.build()
}
