//! `lungang whatif`: variants of a county (a scenarios file) planned in parallel and
//! compared.

use std::path::{Path, PathBuf};

use anyhow::Result;
use lungang::domain::Dataset;
use lungang::model::SolverSettings;
use lungang::plan::{self, Solved};
use lungang::report::Lang;
use lungang::{input, limits, scenario};

use super::args::RunArgs;
use super::load::{problems, read_text};
use super::output;
use super::progress::progress;
use super::{exit, load, say};

pub fn whatif(
    dataset: &PathBuf,
    scenarios: &PathBuf,
    run: &RunArgs,
    report_lang: Lang,
    lang: Lang,
) -> Result<u8> {
    let quiet = run.quiet || run.json;
    let Some(ds) = load::load(dataset, run.policy.as_deref(), run.json, lang) else {
        return Ok(exit::INVALID_DATA);
    };
    // A workbook's policy.toml stands beside it.
    let folder = if dataset.is_file() {
        dataset.parent().unwrap_or(Path::new(".")).to_path_buf()
    } else {
        dataset.clone()
    };
    let policy_path = run
        .policy
        .clone()
        .unwrap_or_else(|| folder.join("policy.toml"));
    // Read as the dataset's loading read it (size, encoding): it loaded, so it reads.
    let policy_text = read_text(&policy_path, limits::MAX_TEXT_BYTES).unwrap_or_default();
    let shown = scenarios.display().to_string();
    let variants = match scenario_variants(&ds, &policy_text, scenarios) {
        Ok(v) => v,
        Err(d) => {
            problems(&d, d.len(), &shown, run.json, lang);
            return Ok(exit::INVALID_DATA);
        }
    };
    let set = output::settings(run.time_limit, run.gap, run.threads);
    let started = std::time::Instant::now();
    let results = solve_each(&variants, &set, quiet, lang)?;
    let wall = started.elapsed().as_secs_f64();
    let written = Written {
        dataset,
        scenarios,
        wall,
    };
    write_comparison(&ds, &variants, results, &written, run, (report_lang, lang))?;
    Ok(exit::OK)
}

/// Where a comparison came from and how long it took.
struct Written<'a> {
    dataset: &'a PathBuf,
    scenarios: &'a PathBuf,
    wall: f64,
}

/// Each variant's plan folder, comparison.csv and comparison.html, written whole; the
/// table (or the rows as JSON) on stdout.
fn write_comparison(
    ds: &Dataset,
    variants: &[(String, Dataset)],
    results: Vec<Result<(Solved, f64)>>,
    written: &Written,
    run: &RunArgs,
    (report_lang, lang): (Lang, Lang),
) -> Result<()> {
    let quiet = run.quiet || run.json;
    let mut tree = Vec::new();
    let mut rows = Vec::new();
    let mut folders = Vec::new();
    let mut sum = 0.0;
    for (i, ((name, d), r)) in variants.iter().zip(results).enumerate() {
        let (solved, secs) = r?;
        sum += secs;
        let folder = format!("{i:02}-{}", name.replace(['/', '\\'], "_"));
        let (files, _) = output::plan_output(d, &solved, false, report_lang, lang)?;
        tree.extend(files.into_iter().map(|(f, b)| (format!("{folder}/{f}"), b)));
        rows.push(scenario::Row::new(name, d, &solved));
        folders.push(folder);
    }
    let table = scenario::comparison(ds, &rows, lang == Lang::Zh);
    let page = lungang::scenario::comparison_html(&rows, &folders, &table.subjects, report_lang);
    tree.push(("comparison.csv".into(), table.csv.into_bytes()));
    tree.push(("comparison.html".into(), page.into_bytes()));
    let inputs = output::inputs(
        std::slice::from_ref(written.dataset),
        &run.policy,
        &[written.scenarios],
    );
    output::write_tree(&run.out, &tree, run.force, &inputs)?;
    if run.json {
        println!("{}", serde_json::to_string_pretty(&rows)?);
    } else if !quiet {
        print!("{}", table.text);
        let (n, out, wall) = (rows.len(), run.out.display(), written.wall);
        println!(
            "{}",
            say(
                lang,
                format!("{n} 个方案，用时 {wall:.1} 秒（求解合计 {sum:.1} 秒），已写入 {out}"),
                format!("{n} plans in {wall:.1} s wall ({sum:.1} s of solving); written to {out}"),
            )
        );
    }
    Ok(())
}

/// Each variant planned on a thread of its own, with its solve's seconds.
fn solve_each(
    variants: &[(String, Dataset)],
    set: &SolverSettings,
    quiet: bool,
    lang: Lang,
) -> Result<Vec<Result<(Solved, f64)>>> {
    let pool = output::pool(set)?;
    let one = output::one_thread_each(set);
    let bar = progress(variants.len(), quiet, lang.pick("个方案", "scenarios"));
    let results = pool.install(|| {
        use rayon::prelude::*;
        variants
            .par_iter()
            .map(|(_, d)| {
                let t = std::time::Instant::now();
                let r = plan::solve(d, &one).map(|(s, _)| (s, t.elapsed().as_secs_f64()));
                bar.inc(1);
                Ok(r?)
            })
            .collect()
    });
    bar.finish_and_clear();
    Ok(results)
}

/// The county as it is (`base`) and each scenario of the file applied to it, or every
/// problem of the file.
fn scenario_variants(
    ds: &Dataset,
    policy_text: &str,
    path: &Path,
) -> std::result::Result<Vec<(String, Dataset)>, Vec<input::Diagnostic>> {
    let shown = path.display().to_string();
    let text = read_text(path, limits::MAX_TEXT_BYTES).map_err(|why| {
        vec![input::table::diag(
            &shown,
            1,
            1,
            "E0101",
            why,
            "a readable scenarios file",
        )]
    })?;
    let file = scenario::parse(&text, &shown)?;
    let mut variants = vec![("base".to_string(), ds.clone())];
    let mut problems = Vec::new();
    for sc in &file.scenario {
        match scenario::apply(ds, policy_text, sc) {
            Ok(d) => variants.push((sc.name.clone(), d)),
            Err(d) => problems.extend(d),
        }
    }
    if problems.is_empty() {
        Ok(variants)
    } else {
        problems.sort();
        Err(problems)
    }
}
