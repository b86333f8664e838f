//! `lungang simulate`: years planned in turn (docs/simulate.md).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use lungang::domain::Dataset;
use lungang::model::SolverSettings;
use lungang::plan::{self, Solved};
use lungang::report::Lang;
use lungang::simulate as sim;
use lungang::{check, folder, limits};

use super::exit::{self, worse};
use super::load::{load, read_text};
use super::output::{plan_output, pool, write_tree};
use super::say;

/// What `simulate` was asked besides the dataset and the solver's settings.
pub struct Years {
    pub years: u32,
    pub seed: u64,
    pub extend_share: f64,
    pub coverage: Option<lungang::communities::Coverage>,
    pub force: bool,
    pub quiet: bool,
}

/// `lungang simulate`: each year's dataset written, read back (so the plan is of the files
/// a planner would open), planned, written, checked; then the next year derived.
pub fn simulate(
    dataset: &Path,
    out: &Path,
    ask: &Years,
    set: SolverSettings,
    report_lang: Lang,
    lang: Lang,
) -> Result<u8> {
    let Some(First {
        mut ds,
        policy_text,
        cycle_start,
    }) = first_year(dataset, lang)?
    else {
        return Ok(exit::INVALID_DATA);
    };
    fresh_out(out, ask.force, lang)?;
    let pool = pool(&set)?;
    let run = Run {
        inputs: vec![dataset.to_path_buf()],
        ask,
        set: &set,
        pool: &pool,
        langs: (report_lang, lang),
    };
    let (mut rows, mut missed, mut code) = (Vec::new(), Vec::new(), exit::OK);
    let mut check_failed = false;
    for _ in 0..ask.years {
        let y = ds.policy.plan_year;
        let policy = sim::policy_for_year(&policy_text, y, cycle_start);
        let files = match &ask.coverage {
            // Communities grow to the year's share of rural schools (issue 16 item 3).
            Some(coverage) => {
                match grow(&mut ds, coverage, &policy, ask.quiet, report_lang, lang) {
                    Some(files) => files,
                    None => return Ok(worse(code, exit::RULES_BROKEN)),
                }
            }
            None => dataset_files(&ds, &policy),
        };
        match run.year(&ds, &out.join(y.to_string()), &files)? {
            YearEnd::Unread => return Ok(exit::INVALID_DATA),
            YearEnd::NoPlan(c) => {
                code = worse(code, c);
                break;
            }
            YearEnd::Planned(year) => {
                code = worse(code, year.code);
                check_failed |= !year.checked;
                missed.extend(year.missed);
                rows.push(year.row);
                ds = year.next;
            }
        }
    }
    write_summaries(out, &rows, &missed)?;
    // A plan its own check rejects is a bug, and says so above all else.
    Ok(if check_failed {
        exit::CHECK_FAILED
    } else {
        code
    })
}

/// `out` made; one that exists already is refused unless `force` (its files are then
/// replaced as they are written).
fn fresh_out(out: &Path, force: bool, lang: Lang) -> Result<()> {
    if out.exists() && !force {
        anyhow::bail!(
            "{}",
            say(
                lang,
                format!("{} 已存在（--force 可替换）", out.display()),
                format!("{} exists (--force replaces it)", out.display())
            )
        );
    }
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))
}

/// What every year of a run shares.
struct Run<'a> {
    inputs: Vec<PathBuf>,
    ask: &'a Years,
    set: &'a SolverSettings,
    pool: &'a rayon::ThreadPool,
    /// The report's language and the terminal's.
    langs: (Lang, Lang),
}

/// How a year ended.
enum YearEnd {
    /// Its written dataset did not load (its problems printed).
    Unread,
    /// No plan (this exit code): the years stop.
    NoPlan(u8),
    Planned(Box<Year>),
}

/// A year planned: its row, who the cycle missed, next year's dataset, its plan's exit
/// code and whether the plan passed its own check.
struct Year {
    row: sim::YearRow,
    missed: Vec<sim::Missed>,
    next: Dataset,
    code: u8,
    checked: bool,
}

impl Run<'_> {
    /// The year of `ds`: its `files` written under `year_dir` and read back, planned, the
    /// plan written and checked, and the next year derived.
    fn year(&self, ds: &Dataset, year_dir: &Path, files: &[(String, Vec<u8>)]) -> Result<YearEnd> {
        let (report_lang, lang) = self.langs;
        let ask = self.ask;
        write_tree(year_dir, files, ask.force, &self.inputs)?;
        if !reads_back(ds, year_dir, lang)? {
            return Ok(YearEnd::Unread);
        }
        let (solved, _) = self.pool.install(|| plan::solve(ds, self.set))?;
        let (files, code) = plan_output(ds, &solved, false, report_lang, lang)?;
        let plan_dir = year_dir.join("plan");
        folder::write(&plan_dir, &files, ask.force, &self.inputs)?;
        let Solved::Plan(p) = solved else {
            return Ok(YearEnd::NoPlan(code));
        };
        let report = check::check_plan(ds, &plan_dir);
        let mut row = sim::year_row(ds, &p);
        row.check_violations = report.violations.len();
        let y = ds.policy.plan_year;
        let mut rng = sim::year_rng(ask.seed, y);
        let (next, turnover) = sim::next_year(ds, &p, &mut rng, ask.extend_share);
        (row.retired, row.hired) = (turnover.retired.len(), turnover.hired.len());
        if !ask.quiet {
            eprintln!("{}", year_line(y, &row, lang));
        }
        Ok(YearEnd::Planned(Box::new(Year {
            row,
            missed: sim::missed(ds, &p),
            next,
            code,
            checked: report.is_ok(),
        })))
    }
}

/// The first year: its dataset, the policy file's text (each year's policy is derived
/// from it) and the learning cycle's start.
struct First {
    ds: Dataset,
    policy_text: String,
    cycle_start: Option<i32>,
}

/// Reads the first year from `dataset`; `None` when its data are invalid (reported).
fn first_year(dataset: &Path, lang: Lang) -> Result<Option<First>> {
    if !dataset.is_dir() {
        anyhow::bail!(
            "{}",
            lang.pick(
                "simulate 只接受数据集文件夹",
                "simulate takes a dataset folder"
            )
        );
    }
    let Some(mut ds) = load(dataset, None, false, lang) else {
        return Ok(None);
    };
    let policy_path = dataset.join("policy.toml");
    let policy_text = if policy_path.is_file() {
        read_text(&policy_path, limits::MAX_TEXT_BYTES).map_err(anyhow::Error::msg)?
    } else {
        String::new()
    };
    // Year one starts a cycle unless the policy anchors one: the years after stay in it.
    let cycle_start = ds.learning_cycle().map(|c| c.start);
    let start = &mut ds.policy.rotation.learning_cycle_start;
    *start = start.or(cycle_start);
    Ok(Some(First {
        ds,
        policy_text,
        cycle_start,
    }))
}

/// The year's dataset files, under dataset/.
fn dataset_files(ds: &Dataset, policy: &str) -> Vec<(String, Vec<u8>)> {
    sim::dataset_files(ds, policy)
        .into_iter()
        .map(|(n, b)| (format!("dataset/{n}"), b))
        .collect()
}

/// The communities grown to `coverage` for the year: `ds` takes them, and the year's
/// files are the dataset's and the communities' map and coverage; `None` (said on
/// stderr) when they cannot be formed.
fn grow(
    ds: &mut Dataset,
    coverage: &lungang::communities::Coverage,
    policy: &str,
    quiet: bool,
    report_lang: Lang,
    lang: Lang,
) -> Option<Vec<(String, Vec<u8>)>> {
    use lungang::communities as cm;
    let y = ds.policy.plan_year;
    let opt = cm::Options {
        coverage: coverage.clone(),
        ..cm::Options::default()
    };
    let formed = match cm::form(ds, &opt) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("{y}: {}", e.message(lang));
            return None;
        }
    };
    if !quiet {
        let (covered, total) = (formed.rural_covered, formed.rural_total);
        eprintln!(
            "{}",
            say(
                lang,
                format!(
                    "{y}—{}学年：农村学校 {covered}/{total} 所在{}中（要求 {} 所）",
                    y + 1,
                    ds.policy.report.community_word,
                    formed.required
                ),
                format!(
                    "{y}: {covered}/{total} rural schools in a community ({} required)",
                    formed.required
                ),
            )
        );
    }
    *ds = formed.dataset.clone();
    let mut files = dataset_files(ds, policy);
    files.extend(
        cm::write::files(&formed, policy, report_lang)
            .into_iter()
            .filter(|(n, _)| n.starts_with("community_"))
            .map(|(n, b)| (format!("communities/{n}"), b)),
    );
    Some(files)
}

/// Whether the year's written dataset reads back as `ds`; false when it does not load
/// (its problems printed); an error naming the files that read back otherwise.
fn reads_back(ds: &Dataset, year_dir: &Path, lang: Lang) -> Result<bool> {
    let y = ds.policy.plan_year;
    let Some(read) = load(&year_dir.join("dataset"), None, false, lang) else {
        return Ok(false);
    };
    if read != *ds {
        let part = [
            ("schools", read.schools != ds.schools),
            ("communities", read.communities != ds.communities),
            ("teachers", read.teachers != ds.teachers),
            ("subjects", read.subjects != ds.subjects),
            ("demand", read.demand != ds.demand),
            ("distances", read.distances != ds.distances),
            ("ledger", read.ledger != ds.ledger),
            ("requests", read.requests != ds.requests),
            ("policy", read.policy != ds.policy),
        ];
        let what: Vec<&str> = part.iter().filter(|p| p.1).map(|p| p.0).collect();
        anyhow::bail!(
            "{y}: the derived dataset does not read back as written ({})",
            what.join(", ")
        );
    }
    Ok(true)
}

/// The year's line on stderr.
fn year_line(y: i32, row: &sim::YearRow, lang: Lang) -> String {
    say(
        lang,
        format!(
            "{y}—{}学年：{}，缺课 {} 节，支教 {} 人、跟岗 {} 人，本周期尚未跟岗 {} 人，核验问题 {} 个",
            y + 1,
            if row.status == "optimal" { "已是最优方案" } else { "方案尚未算完" },
            row.unmet_periods,
            row.support,
            row.learning,
            row.cycle_pending_after,
            row.check_violations
        ),
        format!(
            "{y}: {}, objective {}, unmet {} periods, {} support, {} learning, {} still to learn in the cycle, {} check violations",
            row.status,
            plan::num(row.objective),
            row.unmet_periods,
            row.support,
            row.learning,
            row.cycle_pending_after,
            row.check_violations
        ),
    )
}

/// summary.csv, summary.json, missed.csv and summary.html of the years.
fn write_summaries(out: &Path, rows: &[sim::YearRow], missed: &[sim::Missed]) -> Result<()> {
    let json = serde_json::json!({ "years": rows, "missed": missed.len() });
    let write = |name: &str, bytes: Vec<u8>| {
        let path: PathBuf = out.join(name);
        std::fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))
    };
    write("summary.csv", sim::summary_csv(rows))?;
    write(
        "summary.json",
        (serde_json::to_string_pretty(&json)? + "\n").into_bytes(),
    )?;
    write("missed.csv", sim::missed_csv(missed))?;
    write("summary.html", sim::summary_html(rows))
}
