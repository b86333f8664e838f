//! `lungang plan`: one county planned and written, or several side by side into one
//! folder.

use std::path::{Path, PathBuf};

use anyhow::Result;
use lungang::domain::Dataset;
use lungang::model::solve::Watch;
use lungang::plan::{self, Solved};
use lungang::report::{self, Lang};

use super::args::{Decided, RunArgs};
use super::output::{self, Files};
use super::progress::{progress, progress_text, solve_line};
use super::{exit, load, say};

/// What `plan` was asked: the counties, whether a broken rule fails it, the planner's
/// decisions and the run's limits.
pub struct Ask {
    pub datasets: Vec<PathBuf>,
    pub strict: bool,
    pub decided: Decided,
    pub run: RunArgs,
}

pub fn plan(ask: Ask, report_lang: Lang, lang: Lang) -> Result<u8> {
    if let [dataset] = &ask.datasets[..] {
        return plan_one(&ask, dataset, report_lang, lang);
    }
    if ask.decided.any() {
        anyhow::bail!(say(
            lang,
            "--pins 和 --keep 只用于单个数据集".into(),
            "--pins and --keep apply to one dataset only".into()
        ));
    }
    plan_many(&ask, report_lang, lang)
}

/// One county, with a live line of the solve and the model's size on stderr.
fn plan_one(ask: &Ask, dataset: &Path, report_lang: Lang, lang: Lang) -> Result<u8> {
    let (run, decided) = (&ask.run, &ask.decided);
    let quiet = run.quiet || run.json;
    let mut set = output::settings(run.time_limit, run.gap, run.threads);
    let pool = output::pool(&set)?;
    let Some(ds) = load::load_decided(dataset, run.policy.as_deref(), decided, run.json, lang)
    else {
        return Ok(exit::INVALID_DATA);
    };
    let line = solve_line(quiet, lang);
    if let Some(bar) = &line {
        let bar = bar.clone();
        set.watch = Some(Watch::new(move |p| bar.set_message(progress_text(p, lang))));
    }
    let (solved, stats) = pool.install(|| plan::solve(&ds, &set))?;
    if let Some(bar) = line {
        bar.finish_and_clear();
    }
    if !quiet {
        eprintln!(
            "{}",
            say(
                lang,
                format!(
                    "计算规模：{} 个待定数（其中 {} 个取整数），{} 个条件",
                    stats.columns, stats.integer_columns, stats.rows
                ),
                format!(
                    "model: {} columns ({} integer), {} rows",
                    stats.columns, stats.integer_columns, stats.rows
                ),
            )
        );
    }
    let (files, code) = output::plan_output(&ds, &solved, ask.strict, report_lang, lang)?;
    let more: Vec<&PathBuf> = decided.pins.iter().chain(&decided.keep).collect();
    let inputs = output::inputs(&ask.datasets, &run.policy, &more);
    lungang::folder::write(&run.out, &files, run.force, &inputs)?;
    if run.json {
        println!("{}", output::summary_of(&files)?);
    } else if !quiet {
        if let Solved::Plan(p) = &solved {
            print!("{}", report::render_plan(p, lang));
        }
        println!("{}", written_to(&run.out, lang, "plan"));
    }
    Ok(code)
}

/// Several counties: under 县管校聘 teachers stay in their county, so each is its own
/// plan; they are solved in parallel and written into one folder, whole.
fn plan_many(ask: &Ask, report_lang: Lang, lang: Lang) -> Result<u8> {
    let (run, datasets) = (&ask.run, &ask.datasets);
    let quiet = run.quiet || run.json;
    let set = output::settings(run.time_limit, run.gap, run.threads);
    let pool = output::pool(&set)?;
    let loaded: Vec<Option<Dataset>> = datasets
        .iter()
        .map(|d| load::load(d, run.policy.as_deref(), run.json, lang))
        .collect();
    if loaded.iter().any(Option::is_none) {
        return Ok(exit::INVALID_DATA);
    }
    let names = output::folder_names(datasets)?;
    let one = output::one_thread_each(&set);
    let bar = progress(loaded.len(), quiet, lang.pick("个县", "counties"));
    let results: Vec<Result<(Files, u8)>> = pool.install(|| {
        use rayon::prelude::*;
        loaded
            .par_iter()
            .map(|ds| {
                let ds = ds.as_ref().expect("checked above");
                let (solved, _) = plan::solve(ds, &one)?;
                bar.inc(1);
                output::plan_output(ds, &solved, ask.strict, report_lang, lang)
            })
            .collect()
    });
    bar.finish_and_clear();
    let mut tree = Vec::new();
    let mut code = exit::OK;
    let mut summaries = serde_json::Map::new();
    for ((name, r), d) in names.iter().zip(results).zip(datasets) {
        let (files, c) = r?;
        if !quiet {
            let d = d.display();
            println!(
                "{}",
                say(lang, format!("{d}：退出码 {c}"), format!("{d}: exit {c}"))
            );
        }
        if run.json {
            summaries.insert(
                name.clone(),
                serde_json::from_str(&output::summary_of(&files)?)?,
            );
        }
        code = exit::worse(code, c);
        tree.extend(files.into_iter().map(|(f, b)| (format!("{name}/{f}"), b)));
    }
    let inputs = output::inputs(datasets, &run.policy, &[]);
    output::write_tree(&run.out, &tree, run.force, &inputs)?;
    if run.json {
        println!("{}", serde_json::to_string_pretty(&summaries)?);
    } else if !quiet {
        println!("{}", written_to(&run.out, lang, "plans"));
    }
    Ok(code)
}

/// "plan(s) written to OUT" in the terminal's language.
fn written_to(out: &Path, lang: Lang, what: &str) -> String {
    let out = out.display();
    say(
        lang,
        format!("方案已写入 {out}"),
        format!("{what} written to {out}"),
    )
}
