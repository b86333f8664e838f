//! Shared by the planner tests: solve, write, and have the independent checker read the
//! written plan back — every plan a test produces goes through `check`.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use lungang::domain::Dataset;
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
