//! Plan folders: the solver's settings, the files of a plan and how they are written.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use lungang::domain::Dataset;
use lungang::model::{SolveStatus, SolverSettings};
use lungang::plan::{self, Solved};
use lungang::report::Lang;
use lungang::{folder, report};

use super::exit;

pub fn settings(time_limit: f64, gap: f64, threads: Option<u32>) -> SolverSettings {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    // More threads than cores only slow HiGHS down (100000 ran past any time limit).
    let threads = threads.map_or(cores, |t| (t as usize).min(cores));
    SolverSettings::new(time_limit, gap, threads)
}

/// The files and folders a run reads: its output may not be, hold or lie inside them.
pub fn inputs(datasets: &[PathBuf], policy: &Option<PathBuf>, more: &[&PathBuf]) -> Vec<PathBuf> {
    let mut all: Vec<PathBuf> = datasets.to_vec();
    all.extend(policy.iter().cloned());
    all.extend(more.iter().map(|p| p.to_path_buf()));
    all
}

/// The summary.json of a plan folder's files, as written.
pub fn summary_of(files: &Files) -> Result<String> {
    let (_, bytes) = files
        .iter()
        .find(|(name, _)| *name == "summary.json")
        .context("a plan folder has summary.json")?;
    Ok(String::from_utf8_lossy(bytes).trim_end().to_string())
}

/// A plan folder's files, by name.
pub type Files = Vec<(&'static str, Vec<u8>)>;

/// Settings for plans solved side by side: the pool's threads run one plan each, so each
/// HiGHS gets one thread rather than every plan asking for all the cores.
pub fn one_thread_each(set: &SolverSettings) -> SolverSettings {
    SolverSettings {
        threads: 1,
        ..set.clone()
    }
}

pub fn pool(set: &SolverSettings) -> Result<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(set.threads)
        .build()
        .context("starting the solver threads")
}

/// The files of a plan folder and the exit code its outcome asks for.
pub fn plan_output(
    ds: &Dataset,
    solved: &Solved,
    strict: bool,
    report_lang: Lang,
    lang: Lang,
) -> Result<(Files, u8)> {
    Ok(match solved {
        Solved::NoPlan { bound, seconds } => {
            let summary = serde_json::json!({
                "status": "none", "objective": null, "bound": bound, "gap": null,
                "seconds": seconds,
            });
            let text = serde_json::to_string_pretty(&summary)? + "\n";
            eprintln!(
                "{}",
                lang.pick(
                    "时限内未找到方案，只写入 summary.json",
                    "no plan found within the time limit; only summary.json is written"
                )
            );
            (vec![("summary.json", text.into_bytes())], exit::NO_PLAN)
        }
        Solved::Plan(p) => {
            let code = if p.solve.status == SolveStatus::Feasible {
                exit::FEASIBLE
            } else if strict && p.broken_rules().next().is_some() {
                exit::RULES_BROKEN
            } else {
                exit::OK
            };
            let mut files = plan::plan_files(ds, p);
            files.extend(report::files::report_files(ds, p, report_lang));
            (files, code)
        }
    })
}

/// Distinct output folder names for several datasets (their folder names).
pub fn folder_names(datasets: &[PathBuf]) -> Result<Vec<String>> {
    let names: Vec<String> = datasets
        .iter()
        .map(|d| {
            d.canonicalize()
                .ok()
                .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
                .unwrap_or_else(|| d.display().to_string().replace(['/', '\\'], "_"))
        })
        .collect();
    let mut seen = std::collections::BTreeSet::new();
    for n in &names {
        anyhow::ensure!(
            seen.insert(n),
            "two datasets are named {n}: give folders distinct names"
        );
    }
    Ok(names)
}

/// Writes files under `dir` (paths may have one sub-folder), whole or not at all.
pub fn write_tree(
    dir: &Path,
    files: &[(String, Vec<u8>)],
    force: bool,
    inputs: &[PathBuf],
) -> Result<()> {
    let flat: Vec<(&str, Vec<u8>)> = files.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
    folder::write(dir, &flat, force, inputs)?;
    Ok(())
}
