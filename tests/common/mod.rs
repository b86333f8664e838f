//! Shared by the planner tests: solve, write, and have the independent checker read the
//! written plan back — every plan a test produces goes through `check`.
#![allow(dead_code)]

pub mod bin;

use std::path::{Path, PathBuf};

use lungang::domain::{Dataset, DatasetBuilder, Mode, SchoolKind, Stages, TeacherSpec};
use lungang::generate::{generate, GenerateOptions};
use lungang::model::SolverSettings;
use lungang::plan::{solve, Plan, Solved};
use lungang::report::write_plan;

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
    let tmp = write_and_check(ds, &plan);
    (*plan, tmp)
}

/// Writes `plan` into a temp folder and asserts the checker passes it.
pub fn write_and_check(ds: &Dataset, plan: &Plan) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("plan");
    write_plan(&dir, ds, plan, false).expect("plan written");
    let report = lungang::check::check_plan(ds, &dir);
    assert!(
        report.is_ok(),
        "checker rejects the plan:\n{}",
        report.render()
    );
    tmp
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

/// A copy of data/tiny in a temp folder (`tmp/T`), to break.
pub fn tiny_copy() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let t = tmp.path().join("T");
    std::fs::create_dir(&t).unwrap();
    for e in std::fs::read_dir(repo("data/tiny")).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, t.join(p.file_name().unwrap())).unwrap();
    }
    (tmp, t)
}

/// Appends `text` to a file.
pub fn append(path: &Path, text: &str) {
    let mut s = std::fs::read_to_string(path).unwrap();
    s.push_str(text);
    std::fs::write(path, s).unwrap();
}

/// Replaces the first `from` of a file by `to` (which must be there).
pub fn replace(path: &Path, from: &str, to: &str) {
    let s = std::fs::read_to_string(path).unwrap();
    assert!(s.contains(from), "{} has no {from:?}", path.display());
    std::fs::write(path, s.replacen(from, to, 1)).unwrap();
}

/// What the binary did, and how long it took.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub seconds: f64,
}

/// Runs `lungang ARGS` in `dir`, English, in at most 200 MB of data memory (a run that
/// needs more aborts, which no test accepts) and asserts it took under 10 s: the bounds
/// issue 17 sets every hostile input.
pub fn lungang_bounded(dir: &Path, args: &[&str]) -> Run {
    let started = std::time::Instant::now();
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg("ulimit -d 204800 && exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_lungang"))
        .args(args)
        .current_dir(dir)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "C")
        .output()
        .expect("binary runs");
    let seconds = started.elapsed().as_secs_f64();
    let run = Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        seconds,
    };
    assert!(
        seconds < 10.0,
        "lungang {args:?} took {seconds:.1} s:\n{}",
        run.stderr
    );
    assert!(
        run.code != 101 && run.code != -1 && !run.stderr.contains("panicked"),
        "lungang {args:?} crashed (exit {}):\n{}",
        run.code,
        run.stderr
    );
    run
}
