//! The `lungang` command: arguments, messages and exit codes. Everything else lives in the
//! library.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

use lungang::domain::Dataset;
use lungang::limits::{self, MAX_GENERATE_SCHOOLS, MAX_GENERATE_TEACHERS, MAX_TIME_LIMIT};
use lungang::model::solve::{Progress, Watch};
use lungang::model::{SolveStatus, SolverSettings};
use lungang::plan::{self, Solved};
use lungang::report::Lang;
use lungang::{check, folder, generate, input, report, scenario};

mod help_zh;

/// Exit codes: distinct for each outcome a script may need to tell apart.
mod exit {
    pub const OK: u8 = 0;
    pub const ERROR: u8 = 1;
    pub const INVALID_DATA: u8 = 2;
    pub const FEASIBLE: u8 = 3;
    pub const NO_PLAN: u8 = 4;
    pub const RULES_BROKEN: u8 = 5;
    pub const CHECK_FAILED: u8 = 6;
}

#[derive(Parser)]
#[command(
    name = "lungang",
    version,
    about = "Plans teacher exchange (交流轮岗) in urban-rural school communities"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Language of messages (default: the locale's, 中文 for zh_*) and of report.html
    /// (default 中文).
    #[arg(long, global = true, value_enum)]
    lang: Option<LangArg>,
}

#[derive(Subcommand)]
enum Command {
    /// Read and check a dataset; print its summary or every problem.
    Validate {
        dataset: PathBuf,
        #[arg(long)]
        policy: Option<PathBuf>,
        /// Print the summary (or the problems) as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Optimise next year's plan and write it into --out. With several datasets (one
    /// county each), they are planned in parallel into --out/<dataset folder name>/.
    Plan {
        #[arg(required = true)]
        datasets: Vec<PathBuf>,
        /// Fail (exit 5) when any rule cannot hold.
        #[arg(long)]
        strict: bool,
        #[command(flatten)]
        decided: Decided,
        #[command(flatten)]
        run: RunArgs,
    },
    /// Plan variants of a county (scenarios file) in parallel and compare them.
    Whatif {
        dataset: PathBuf,
        #[arg(long)]
        scenarios: PathBuf,
        #[command(flatten)]
        run: RunArgs,
    },
    /// Check a written plan against its dataset, independently of the planner.
    Check {
        dataset: PathBuf,
        plan: PathBuf,
        #[arg(long)]
        policy: Option<PathBuf>,
        #[command(flatten)]
        decided: Decided,
    },
    /// Plan Y, Y+1, … in turn, each year's dataset derived from the last year's plan
    /// (docs/simulate.md): --out/<year>/dataset, --out/<year>/plan, and a summary.
    Simulate {
        /// A dataset folder (its own policy.toml, if any, is carried from year to year).
        dataset: PathBuf,
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..=20))]
        years: u32,
        #[arg(long)]
        out: PathBuf,
        /// Seeds the new hires' names and genders.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Seconds the solver may take for each year.
        #[arg(long, default_value_t = 60.0, value_parser = time_limit, allow_negative_numbers = true)]
        time_limit: f64,
        #[arg(long, default_value_t = 1e-4, value_parser = gap, allow_negative_numbers = true)]
        gap: f64,
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
        threads: Option<u32>,
        /// Replace year folders an earlier run wrote into --out.
        #[arg(long)]
        force: bool,
        #[arg(long)]
        quiet: bool,
        /// The chance that a teacher whose term ends asks to extend it a year (an
        /// assumption: no document publishes a rate; docs/simulate.md).
        #[arg(long, default_value_t = 0.25, value_parser = share)]
        extend_share: f64,
        /// Grow the communities year by year to this share of rural schools (平顶山:
        /// 2025:0.7,2026:0.85,2027:1.0), as `communities` forms them (kept, schools in none
        /// joining); none: communities stay as they are.
        #[arg(long)]
        coverage: Option<lungang::communities::Coverage>,
    },
    /// Form the communities (docs/communities.md): leads among urban and strong town
    /// schools, rural and town members within the travel limit; writes a dataset folder
    /// with the new partition, its map and its coverage into --out.
    Communities {
        dataset: PathBuf,
        #[arg(long)]
        out: PathBuf,
        /// Share of rural schools in a community, in [0, 1], or a schedule by year
        /// (2025:0.7,2026:0.85,2027:1.0: the plan year's entry holds).
        #[arg(long, default_value = "0.7")]
        coverage: lungang::communities::Coverage,
        /// One-way minutes from a lead to a member at most (default: the policy's
        /// itinerant.max_minutes_day, 120 unless it says otherwise).
        #[arg(long, value_parser = minutes, allow_negative_numbers = true)]
        max_minutes: Option<f64>,
        /// Members besides the lead, LO..HI (西吉: 3..4).
        #[arg(long, default_value = "3..4")]
        members: lungang::communities::Members,
        /// Re-pair: members may go to another lead (leads and members keep their roles).
        #[arg(long)]
        repair: bool,
        /// Minutes of travel one period a week of a community's shortage is worth (0:
        /// travel alone).
        #[arg(long, default_value_t = lungang::communities::DEFAULT_BALANCE, value_parser = weight, allow_negative_numbers = true)]
        balance: f64,
        /// Seconds the solver may take.
        #[arg(long, default_value_t = 60.0, value_parser = time_limit, allow_negative_numbers = true)]
        time_limit: f64,
        /// Relative gap at which a partition counts as best, in [0, 1).
        #[arg(long, default_value_t = lungang::communities::DEFAULT_GAP, value_parser = gap, allow_negative_numbers = true)]
        gap: f64,
        /// Replace an --out folder lungang wrote.
        #[arg(long)]
        force: bool,
    },
    /// Write a synthetic county (or a bundled preset) as a dataset folder.
    Generate {
        #[arg(long, required_unless_present = "preset", value_parser = generate_schools)]
        schools: Option<usize>,
        #[arg(long, required_unless_present = "preset", value_parser = generate_teachers)]
        teachers: Option<usize>,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long)]
        communities: Option<usize>,
        /// The seed system the county follows (docs/generator.md): xinjian (default), xiji,
        /// enshi, pingdingshan, nanning, housing, community, nine_year, parts.
        #[arg(long, conflicts_with = "preset")]
        profile: Option<String>,
        /// xinjian or xiji: the bundled datasets' generator.
        #[arg(long, conflicts_with_all = ["schools", "teachers", "communities"])]
        preset: Option<String>,
        #[arg(long)]
        out: PathBuf,
        #[arg(long)]
        force: bool,
    },
}

/// The planner's decisions (MODEL.md "Pins") that `plan` and `check` share; one dataset
/// only.
#[derive(clap::Args)]
struct Decided {
    /// Pins from this CSV file (or plan.xlsx) instead of the dataset's pins.csv.
    #[arg(long)]
    pins: Option<PathBuf>,
    /// A previous plan folder of the same year: each teacher placed differently costs
    /// weights.change, and summary.json lists the changes.
    #[arg(long)]
    keep: Option<PathBuf>,
}

impl Decided {
    fn any(&self) -> bool {
        self.pins.is_some() || self.keep.is_some()
    }
}

/// What `plan` and `whatif` share: where to write, the policy, the solver's limits.
#[derive(clap::Args)]
struct RunArgs {
    #[arg(long)]
    out: PathBuf,
    #[arg(long)]
    policy: Option<PathBuf>,
    /// Seconds the solver may take.
    #[arg(long, default_value_t = 300.0, value_parser = time_limit, allow_negative_numbers = true)]
    time_limit: f64,
    /// Relative gap at which a plan counts as optimal, in [0, 1).
    #[arg(long, default_value_t = 1e-4, value_parser = gap, allow_negative_numbers = true)]
    gap: f64,
    /// Solver threads (default and most: the machine's cores).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
    threads: Option<u32>,
    /// Replace an existing --out folder.
    #[arg(long)]
    force: bool,
    /// Print nothing but errors.
    #[arg(long)]
    quiet: bool,
    /// Print one JSON summary on stdout instead of the tables.
    #[arg(long)]
    json: bool,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum LangArg {
    Zh,
    En,
}

impl From<LangArg> for Lang {
    fn from(l: LangArg) -> Self {
        match l {
            LangArg::Zh => Lang::Zh,
            LangArg::En => Lang::En,
        }
    }
}

/// The terminal's language: --lang, else the locale (LC_ALL, LC_MESSAGES, LANG, the first
/// set, as POSIX orders them): 中文 for zh*, English otherwise.
fn terminal_lang(arg: Option<LangArg>) -> Lang {
    if let Some(l) = arg {
        return l.into();
    }
    let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .find(|v| !v.is_empty())
        .unwrap_or_default();
    if locale.starts_with("zh") {
        Lang::Zh
    } else {
        Lang::En
    }
}

/// The command line, with its help in 中文 when the terminal's language is (`help_zh`). A
/// wrong command line is an error (1); `--help` and `--version` print and end (0).
fn parse_cli() -> Result<Cli, ExitCode> {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let mut cmd = Cli::command();
    if terminal_lang(lang_in_args(&args)) == Lang::Zh {
        cmd = help_zh::localise(cmd);
    }
    let fail = |e: clap::Error| {
        let _ = e.print();
        ExitCode::from(if e.use_stderr() {
            exit::ERROR
        } else {
            exit::OK
        })
    };
    let matches = cmd.try_get_matches_from_mut(&args).map_err(fail)?;
    if let Some(("help", m)) = matches.subcommand() {
        // help_zh's own `help` subcommand: the help of the command it names, as
        // `lungang NAME --help` prints it.
        let mut again: Vec<std::ffi::OsString> = vec![args[0].clone()];
        again.extend(
            m.get_many::<String>("command")
                .into_iter()
                .flatten()
                .map(Into::into),
        );
        again.push("--help".into());
        return Err(cmd
            .try_get_matches_from_mut(again)
            .map_or_else(fail, |_| exit::OK.into()));
    }
    Cli::from_arg_matches(&matches).map_err(fail)
}

/// `--lang` as the raw arguments give it, before clap reads them (the help's language
/// must be chosen before parsing).
fn lang_in_args(args: &[std::ffi::OsString]) -> Option<LangArg> {
    let args: Vec<&str> = args.iter().filter_map(|a| a.to_str()).collect();
    let value = args.iter().enumerate().find_map(|(i, a)| {
        a.strip_prefix("--lang=")
            .or_else(|| (*a == "--lang").then(|| args.get(i + 1).copied()).flatten())
    })?;
    match value {
        "zh" => Some(LangArg::Zh),
        "en" => Some(LangArg::En),
        _ => None,
    }
}

/// `--time-limit`: seconds, finite and > 0.
fn time_limit(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && v > 0.0 && v <= MAX_TIME_LIMIT => Ok(v),
        _ => Err(format!("expected seconds in (0, {MAX_TIME_LIMIT}]")),
    }
}

/// A share in [0, 1].
fn share(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(v) if (0.0..=1.0).contains(&v) => Ok(v),
        _ => Err("expected a share in [0, 1], e.g. 0.25".into()),
    }
}

/// `--gap`: a relative gap in [0, 1) (1 would call any plan optimal).
fn gap(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(v) if (0.0..1.0).contains(&v) => Ok(v),
        _ => Err("expected a relative gap in [0, 1), e.g. 0.01 for 1%".into()),
    }
}

/// `--max-minutes`: minutes, finite and > 0.
fn minutes(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && v > 0.0 && v <= 24.0 * 60.0 => Ok(v),
        _ => Err("expected minutes in (0, 1440]".into()),
    }
}

/// `--balance`: a weight, finite and ≥ 0.
fn weight(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && (0.0..=1e6).contains(&v) => Ok(v),
        _ => Err("expected a weight in [0, 1000000]".into()),
    }
}

fn count_in(s: &str, lo: usize, hi: usize) -> Result<usize, String> {
    match s.trim().parse::<usize>() {
        Ok(v) if (lo..=hi).contains(&v) => Ok(v),
        _ => Err(format!("expected an integer in [{lo}, {hi}]")),
    }
}

fn generate_schools(s: &str) -> Result<usize, String> {
    count_in(s, 1, MAX_GENERATE_SCHOOLS)
}

fn generate_teachers(s: &str) -> Result<usize, String> {
    count_in(s, 1, MAX_GENERATE_TEACHERS)
}

/// Lets a closed pipe end the process as SIGPIPE does for other Unix tools: Rust ignores
/// the signal, and println! then panics on the write.
fn quiet_on_closed_pipe() {
    #[cfg(unix)]
    // SAFETY: restoring a signal's default action before any thread is started.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

fn main() -> ExitCode {
    quiet_on_closed_pipe();
    let cli = match parse_cli() {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    let lang = terminal_lang(cli.lang);
    match run(cli, lang) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("{}{e:#}", lang.pick("错误：", "error: "));
            ExitCode::from(exit::ERROR)
        }
    }
}

/// A diagnostic line in the terminal's language.
fn diagnostic(d: &input::Diagnostic, lang: Lang) -> String {
    match lang {
        Lang::Zh => d.to_zh_string(),
        Lang::En => d.to_string(),
    }
}

/// Loads a dataset, printing every problem and its warnings; `None` when invalid.
fn load(dir: &Path, policy: Option<&Path>, json: bool, lang: Lang) -> Option<Dataset> {
    load_decided(
        dir,
        policy,
        &Decided {
            pins: None,
            keep: None,
        },
        json,
        lang,
    )
}

/// `load` with the planner's decisions: `--pins` instead of the dataset's pins.csv, and
/// the plan of `--keep`.
fn load_decided(
    dir: &Path,
    policy: Option<&Path>,
    decided: &Decided,
    json: bool,
    lang: Lang,
) -> Option<Dataset> {
    let mut ds = loaded(
        input::load_dataset_pinned(dir, policy, decided.pins.as_deref()),
        dir,
        json,
        lang,
    )?;
    if let Some(keep) = &decided.keep {
        let kept = input::load_kept(&ds, keep).map(|(k, warnings)| {
            input::apply_kept(&mut ds, k);
            input::Loaded {
                dataset: ds,
                warnings,
            }
        });
        ds = loaded(kept, keep, json, lang)?;
    }
    Some(ds)
}

/// Prints a load's warnings and gives its dataset, or prints every problem.
fn loaded(
    result: Result<input::Loaded, input::LoadError>,
    dir: &Path,
    json: bool,
    lang: Lang,
) -> Option<Dataset> {
    match result {
        Ok(loaded) => {
            for w in &loaded.warnings {
                eprintln!(
                    "{}{}",
                    lang.pick("警告：", "warning: "),
                    diagnostic(w, lang)
                );
            }
            Some(loaded.dataset)
        }
        Err(e) => {
            problems(
                &e.diagnostics,
                e.total(),
                &dir.display().to_string(),
                json,
                lang,
            );
            None
        }
    }
}

/// Prints every problem of an input (`total` of them, some perhaps not shown) and that
/// nothing was planned; as one JSON object with `json`.
fn problems(diags: &[input::Diagnostic], total: usize, what: &str, json: bool, lang: Lang) {
    if json {
        let list: Vec<String> = diags.iter().map(|d| d.to_string()).collect();
        let all = serde_json::json!({ "valid": false, "problems": total, "errors": list });
        println!("{all}");
        return;
    }
    for d in diags {
        eprintln!("{}", diagnostic(d, lang));
    }
    match lang {
        Lang::Zh => eprintln!("{what} 中有 {total} 处问题，未做规划"),
        Lang::En => eprintln!("{total} problem(s) in {what}; nothing planned"),
    }
}

fn settings(time_limit: f64, gap: f64, threads: Option<u32>) -> SolverSettings {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    // More threads than cores only slow HiGHS down (100000 ran past any time limit).
    let threads = threads.map_or(cores, |t| (t as usize).min(cores));
    SolverSettings::new(time_limit, gap, threads)
}

/// The files and folders a run reads: its output may not be, hold or lie inside them.
fn inputs(datasets: &[PathBuf], policy: &Option<PathBuf>, more: &[&PathBuf]) -> Vec<PathBuf> {
    let mut all: Vec<PathBuf> = datasets.to_vec();
    all.extend(policy.iter().cloned());
    all.extend(more.iter().map(|p| p.to_path_buf()));
    all
}

fn run(cli: Cli, lang: Lang) -> Result<u8> {
    // report.html and plan.xlsx are 中文 unless --lang says otherwise.
    let report_lang: Lang = cli.lang.map_or(Lang::Zh, Lang::from);
    let say = |zh: String, en: String| match lang {
        Lang::Zh => zh,
        Lang::En => en,
    };
    match cli.command {
        Command::Validate {
            dataset,
            policy,
            json,
        } => {
            let Some(ds) = load(&dataset, policy.as_deref(), json, lang) else {
                return Ok(exit::INVALID_DATA);
            };
            let before = lungang::model::unmet_before(&ds, &settings(60.0, 1e-4, Some(1)))?;
            let summary = report::DatasetSummary::new(&ds, &before);
            if json {
                println!("{}", serde_json::to_string_pretty(&summary)?);
            } else {
                print!("{}", summary.render(lang));
            }
            Ok(exit::OK)
        }
        Command::Plan {
            datasets,
            strict,
            decided,
            run,
        } => {
            let quiet = run.quiet || run.json;
            let mut set = settings(run.time_limit, run.gap, run.threads);
            let pool = pool(&set)?;
            if let [dataset] = &datasets[..] {
                let Some(ds) =
                    load_decided(dataset, run.policy.as_deref(), &decided, run.json, lang)
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
                let (files, code) = plan_output(&ds, &solved, strict, report_lang, lang)?;
                let more: Vec<&PathBuf> = decided.pins.iter().chain(&decided.keep).collect();
                let inputs = inputs(&datasets, &run.policy, &more);
                folder::write(&run.out, &files, run.force, &inputs)?;
                if run.json {
                    println!("{}", summary_of(&files)?);
                } else if !quiet {
                    if let Solved::Plan(p) = &solved {
                        print!("{}", report::render_plan(p, lang));
                    }
                    let out = run.out.display();
                    println!(
                        "{}",
                        say(
                            format!("方案已写入 {out}"),
                            format!("plan written to {out}")
                        )
                    );
                }
                return Ok(code);
            }
            if decided.any() {
                anyhow::bail!(say(
                    "--pins 和 --keep 只用于单个数据集".into(),
                    "--pins and --keep apply to one dataset only".into()
                ));
            }
            // Several counties: under 县管校聘 teachers stay in their county, so each is its
            // own plan; they are solved in parallel and written into one folder, whole.
            let loaded: Vec<Option<Dataset>> = datasets
                .iter()
                .map(|d| load(d, run.policy.as_deref(), run.json, lang))
                .collect();
            if loaded.iter().any(Option::is_none) {
                return Ok(exit::INVALID_DATA);
            }
            let names = folder_names(&datasets)?;
            let one = one_thread_each(&set);
            let bar = progress(loaded.len(), quiet, lang.pick("个县", "counties"));
            let results: Vec<Result<(Files, u8)>> = pool.install(|| {
                use rayon::prelude::*;
                loaded
                    .par_iter()
                    .map(|ds| {
                        let ds = ds.as_ref().expect("checked above");
                        let (solved, _) = plan::solve(ds, &one)?;
                        bar.inc(1);
                        plan_output(ds, &solved, strict, report_lang, lang)
                    })
                    .collect()
            });
            bar.finish_and_clear();
            let mut tree = Vec::new();
            let mut code = exit::OK;
            let mut summaries = serde_json::Map::new();
            for ((name, r), d) in names.iter().zip(results).zip(&datasets) {
                let (files, c) = r?;
                if !quiet {
                    let d = d.display();
                    println!(
                        "{}",
                        say(format!("{d}：退出码 {c}"), format!("{d}: exit {c}"))
                    );
                }
                if run.json {
                    summaries.insert(name.clone(), serde_json::from_str(&summary_of(&files)?)?);
                }
                code = worse(code, c);
                tree.extend(files.into_iter().map(|(f, b)| (format!("{name}/{f}"), b)));
            }
            write_tree(
                &run.out,
                &tree,
                run.force,
                &inputs(&datasets, &run.policy, &[]),
            )?;
            if run.json {
                println!("{}", serde_json::to_string_pretty(&summaries)?);
            } else if !quiet {
                let out = run.out.display();
                println!(
                    "{}",
                    say(
                        format!("方案已写入 {out}"),
                        format!("plans written to {out}")
                    )
                );
            }
            Ok(code)
        }
        Command::Whatif {
            dataset,
            scenarios,
            run,
        } => {
            let quiet = run.quiet || run.json;
            let Some(ds) = load(&dataset, run.policy.as_deref(), run.json, lang) else {
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
            let variants = match scenario_variants(&ds, &policy_text, &scenarios) {
                Ok(v) => v,
                Err(d) => {
                    problems(&d, d.len(), &shown, run.json, lang);
                    return Ok(exit::INVALID_DATA);
                }
            };
            let set = settings(run.time_limit, run.gap, run.threads);
            let pool = pool(&set)?;
            let one = one_thread_each(&set);
            let bar = progress(variants.len(), quiet, lang.pick("个方案", "scenarios"));
            let started = std::time::Instant::now();
            let results: Vec<Result<(Solved, f64)>> = pool.install(|| {
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
            let wall = started.elapsed().as_secs_f64();
            let mut tree = Vec::new();
            let mut rows = Vec::new();
            let mut folders = Vec::new();
            let mut sum = 0.0;
            for (i, ((name, d), r)) in variants.iter().zip(results).enumerate() {
                let (solved, secs) = r?;
                sum += secs;
                let folder = format!("{i:02}-{}", name.replace(['/', '\\'], "_"));
                let (files, _) = plan_output(d, &solved, false, report_lang, lang)?;
                tree.extend(files.into_iter().map(|(f, b)| (format!("{folder}/{f}"), b)));
                rows.push(scenario::Row::new(name, d, &solved));
                folders.push(folder);
            }
            let table = scenario::comparison(&ds, &rows, lang == Lang::Zh);
            let page =
                report::compare::comparison_html(&rows, &folders, &table.subjects, report_lang);
            tree.push(("comparison.csv".into(), table.csv.into_bytes()));
            tree.push(("comparison.html".into(), page.into_bytes()));
            let inputs = inputs(std::slice::from_ref(&dataset), &run.policy, &[&scenarios]);
            write_tree(&run.out, &tree, run.force, &inputs)?;
            if run.json {
                println!("{}", serde_json::to_string_pretty(&rows)?);
            } else if !quiet {
                print!("{}", table.text);
                let (n, out) = (rows.len(), run.out.display());
                println!(
                    "{}",
                    say(
                        format!("{n} 个方案，用时 {wall:.1} 秒（求解合计 {sum:.1} 秒），已写入 {out}"),
                        format!("{n} plans in {wall:.1} s wall ({sum:.1} s of solving); written to {out}"),
                    )
                );
            }
            Ok(exit::OK)
        }
        Command::Check {
            dataset,
            plan,
            policy,
            decided,
        } => {
            if !plan.is_dir() {
                let p = plan.display();
                anyhow::bail!(say(
                    format!("方案文件夹 {p} 不存在"),
                    format!(
                        "plan folder {p} not found (expected a folder written by lungang plan)"
                    )
                ));
            }
            let Some(ds) = load_decided(&dataset, policy.as_deref(), &decided, false, lang) else {
                return Ok(exit::INVALID_DATA);
            };
            let rep = check::check_plan(&ds, &plan);
            print!("{}", rep.render_in(lang == Lang::Zh));
            Ok(if rep.is_ok() {
                exit::OK
            } else {
                exit::CHECK_FAILED
            })
        }
        Command::Simulate {
            dataset,
            years,
            out,
            seed,
            time_limit,
            gap,
            threads,
            force,
            quiet,
            extend_share,
            coverage,
        } => simulate(
            &dataset,
            years,
            &out,
            (seed, extend_share),
            settings(time_limit, gap, threads),
            force,
            quiet,
            coverage,
            report_lang,
            lang,
        ),
        Command::Communities {
            dataset,
            out,
            coverage,
            max_minutes,
            members,
            repair,
            balance,
            time_limit,
            gap,
            force,
        } => communities(
            &dataset,
            &out,
            lungang::communities::Options {
                coverage,
                max_minutes,
                members,
                repair,
                balance,
                time_limit,
                gap,
            },
            force,
            report_lang,
            lang,
        ),
        Command::Generate {
            schools,
            teachers,
            seed,
            communities,
            profile,
            preset,
            out,
            force,
        } => {
            let profile = match profile {
                None => generate::Profile::default(),
                Some(name) => name.parse().map_err(|_| {
                    let names = generate::Profile::names();
                    anyhow::anyhow!(say(
                        format!("没有名为 {name:?} 的配置（可用 {names}）"),
                        format!("unknown profile {name:?} (expected one of {names})"),
                    ))
                })?,
            };
            let county = match preset {
                Some(name) => generate::preset(&name).with_context(|| {
                    say(
                        format!("没有名为 {name:?} 的预设（可用 xinjian 或 xiji）"),
                        format!("unknown preset {name:?} (expected xinjian or xiji)"),
                    )
                })?,
                None => generate::generate(&generate::GenerateOptions {
                    schools: schools.unwrap_or(0),
                    teachers: teachers.unwrap_or(0),
                    seed,
                    communities,
                    profile,
                }),
            };
            folder::write(&out, &county.files(), force, &[])?;
            let out = out.display();
            println!("{}", say(format!("已写入 {out}"), format!("wrote {out}")));
            Ok(exit::OK)
        }
    }
}

/// The summary.json of a plan folder's files, as written.
fn summary_of(files: &Files) -> Result<String> {
    let (_, bytes) = files
        .iter()
        .find(|(name, _)| *name == "summary.json")
        .context("a plan folder has summary.json")?;
    Ok(String::from_utf8_lossy(bytes).trim_end().to_string())
}

/// A plan folder's files, by name.
type Files = Vec<(&'static str, Vec<u8>)>;

/// Settings for plans solved side by side: the pool's threads run one plan each, so each
/// HiGHS gets one thread rather than every plan asking for all the cores.
fn one_thread_each(set: &SolverSettings) -> SolverSettings {
    SolverSettings {
        threads: 1,
        ..set.clone()
    }
}

fn pool(set: &SolverSettings) -> Result<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(set.threads)
        .build()
        .context("starting the solver threads")
}

/// The files of a plan folder and the exit code its outcome asks for.
fn plan_output(
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

/// The exit code that says more of two: invalid data, no plan, stopped early, rules broken.
fn worse(a: u8, b: u8) -> u8 {
    let rank = |c: u8| match c {
        exit::INVALID_DATA => 4,
        exit::NO_PLAN => 3,
        exit::FEASIBLE => 2,
        exit::RULES_BROKEN => 1,
        _ => 0,
    };
    if rank(b) > rank(a) {
        b
    } else {
        a
    }
}

/// Distinct output folder names for several datasets (their folder names).
fn folder_names(datasets: &[PathBuf]) -> Result<Vec<String>> {
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
fn write_tree(
    dir: &Path,
    files: &[(String, Vec<u8>)],
    force: bool,
    inputs: &[PathBuf],
) -> Result<()> {
    let flat: Vec<(&str, Vec<u8>)> = files.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
    folder::write(dir, &flat, force, inputs)?;
    Ok(())
}

/// A user's text file within `limit`, decoded like a dataset file (UTF-8 or GBK).
fn read_text(path: &Path, limit: u64) -> std::result::Result<String, String> {
    let bytes = limits::read_file(path, limit).map_err(|e| e.describe(limit))?;
    input::encoding::decode(&bytes)
        .map(|(text, _)| text)
        .map_err(|e| e.message)
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

/// Draws progress on stderr only when it is a terminal and not --quiet.
fn show_progress(quiet: bool) -> bool {
    use std::io::IsTerminal;
    !quiet && std::io::stderr().is_terminal()
}

/// A bar counting finished plans (scenarios or counties).
fn progress(n: usize, quiet: bool, what: &str) -> indicatif::ProgressBar {
    if !show_progress(quiet) {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(n as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template(&format!(
            "{{elapsed_precise}} [{{bar:30}}] {{pos}}/{{len}} {what}"
        ))
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar
}

/// The live line of one solve: elapsed time, best plan, bound and gap as HiGHS finds them.
fn solve_line(quiet: bool, lang: Lang) -> Option<indicatif::ProgressBar> {
    if !show_progress(quiet) {
        return None;
    }
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {elapsed_precise} {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    bar.set_message(lang.pick("求解中…", "solving…"));
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    Some(bar)
}

fn progress_text(p: Progress, lang: Lang) -> String {
    let v = |x: Option<f64>| x.map_or("–".to_string(), |x| format!("{x:.1}"));
    let gap = p
        .gap()
        .map_or("–".to_string(), |g| format!("{:.2}%", 100.0 * g));
    match lang {
        Lang::Zh => match p.gap() {
            Some(g) => format!(
                "已有方案，与最优方案最多相差 {}",
                lungang::report::words::at_most_percent(g)
            ),
            None if p.best.is_some() => "已有方案，正在估计与最优方案的差别".to_string(),
            None => "正在寻找第一个方案".to_string(),
        },
        Lang::En => format!("best {}  bound {}  gap {gap}", v(p.best), v(p.bound)),
    }
}

/// `lungang simulate`: each year's dataset written, read back (so the plan is of the files
/// a planner would open), planned, written, checked; then the next year derived.
#[allow(clippy::too_many_arguments)]
fn simulate(
    dataset: &Path,
    years: u32,
    out: &Path,
    (seed, extend_share): (u64, f64),
    set: SolverSettings,
    force: bool,
    quiet: bool,
    coverage: Option<lungang::communities::Coverage>,
    report_lang: Lang,
    lang: Lang,
) -> Result<u8> {
    use lungang::simulate as sim;
    let say = |zh: String, en: String| match lang {
        Lang::Zh => zh,
        Lang::En => en,
    };
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
        return Ok(exit::INVALID_DATA);
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
    let inputs = vec![dataset.to_path_buf()];
    if out.exists() && !force {
        anyhow::bail!(
            "{}",
            say(
                format!("{} 已存在（--force 可替换）", out.display()),
                format!("{} exists (--force replaces it)", out.display())
            )
        );
    }
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    let pool = pool(&set)?;
    let (mut rows, mut missed, mut code) = (Vec::new(), Vec::new(), exit::OK);
    let mut check_failed = false;
    for _ in 0..years {
        let y = ds.policy.plan_year;
        let year_dir = out.join(y.to_string());
        let policy = sim::policy_for_year(&policy_text, y, cycle_start);
        let mut files: Vec<(String, Vec<u8>)> = sim::dataset_files(&ds, &policy)
            .into_iter()
            .map(|(n, b)| (format!("dataset/{n}"), b))
            .collect();
        // Communities grow to the year's share of rural schools (issue 16 item 3).
        if let Some(coverage) = &coverage {
            use lungang::communities as cm;
            let opt = cm::Options {
                coverage: coverage.clone(),
                ..cm::Options::default()
            };
            let formed = match cm::form(&ds, &opt) {
                Ok(f) => f,
                Err(e) => {
                    eprintln!("{y}: {}", e.message(lang));
                    return Ok(worse(code, exit::RULES_BROKEN));
                }
            };
            if !quiet {
                eprintln!(
                    "{}",
                    say(
                        format!(
                            "{y}—{}学年：农村学校 {}/{} 所在{}中（要求 {} 所）",
                            y + 1,
                            formed.rural_covered,
                            formed.rural_total,
                            ds.policy.report.community_word,
                            formed.required
                        ),
                        format!(
                            "{y}: {}/{} rural schools in a community ({} required)",
                            formed.rural_covered, formed.rural_total, formed.required
                        ),
                    )
                );
            }
            ds = formed.dataset.clone();
            files = sim::dataset_files(&ds, &policy)
                .into_iter()
                .map(|(n, b)| (format!("dataset/{n}"), b))
                .chain(
                    cm::write::files(&formed, &policy, report_lang)
                        .into_iter()
                        .filter(|(n, _)| n.starts_with("community_"))
                        .map(|(n, b)| (format!("communities/{n}"), b)),
                )
                .collect();
        }
        write_tree(&year_dir, &files, force, &inputs)?;
        let Some(read) = load(&year_dir.join("dataset"), None, false, lang) else {
            return Ok(exit::INVALID_DATA);
        };
        if read != ds {
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
        let (solved, _) = pool.install(|| plan::solve(&ds, &set))?;
        let (files, c) = plan_output(&ds, &solved, false, report_lang, lang)?;
        let plan_dir = year_dir.join("plan");
        folder::write(&plan_dir, &files, force, &inputs)?;
        let Solved::Plan(p) = solved else {
            code = worse(code, c);
            break;
        };
        let report = check::check_plan(&ds, &plan_dir);
        let mut row = sim::year_row(&ds, &p);
        row.check_violations = report.violations.len();
        check_failed |= !report.is_ok();
        code = worse(code, c);
        missed.extend(sim::missed(&ds, &p));
        let (next, turnover) = sim::next_year(&ds, &p, &mut sim::year_rng(seed, y), extend_share);
        (row.retired, row.hired) = (turnover.retired.len(), turnover.hired.len());
        if !quiet {
            eprintln!(
                "{}",
                say(
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
            );
        }
        rows.push(row);
        ds = next;
    }
    let json = serde_json::json!({ "years": rows, "missed": missed.len() });
    let write = |name: &str, bytes: Vec<u8>| {
        let path = out.join(name);
        std::fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))
    };
    write("summary.csv", sim::summary_csv(&rows))?;
    write(
        "summary.json",
        (serde_json::to_string_pretty(&json)? + "\n").into_bytes(),
    )?;
    write("missed.csv", sim::missed_csv(&missed))?;
    write("summary.html", sim::summary_html(&rows))?;
    // A plan its own check rejects is a bug, and says so above all else.
    Ok(if check_failed {
        exit::CHECK_FAILED
    } else {
        code
    })
}

/// `lungang communities`: forms the partition, writes the dataset folder with it (whole or
/// not at all) and says what it formed.
fn communities(
    dataset: &Path,
    out: &Path,
    opt: lungang::communities::Options,
    force: bool,
    report_lang: Lang,
    lang: Lang,
) -> Result<u8> {
    use lungang::communities as cm;
    let Some(ds) = load(dataset, None, false, lang) else {
        return Ok(exit::INVALID_DATA);
    };
    // policy.toml is carried as written (beside a workbook, for one).
    let home = if dataset.is_dir() {
        dataset
    } else {
        dataset.parent().unwrap_or(Path::new("."))
    };
    let policy_path = home.join("policy.toml");
    let policy_text = if policy_path.is_file() {
        read_text(&policy_path, limits::MAX_TEXT_BYTES).map_err(anyhow::Error::msg)?
    } else {
        String::new()
    };
    let formed = match cm::form(&ds, &opt) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("{}{}", lang.pick("错误：", "error: "), e.message(lang));
            return Ok(match e {
                cm::FormError::Unreachable { .. } | cm::FormError::Infeasible { .. } => {
                    exit::RULES_BROKEN
                }
                cm::FormError::NoneInTime { .. } => exit::NO_PLAN,
                cm::FormError::Solver(_) => exit::ERROR,
            });
        }
    };
    let files = cm::write::files(&formed, &policy_text, report_lang);
    folder::write(out, &files, force, &[dataset.to_path_buf()])?;
    let new = formed.communities.iter().filter(|c| c.new).count();
    eprintln!(
        "{}",
        match lang {
            Lang::Zh => format!(
                "{}：{} 个{}（新组建 {new} 个），农村学校 {}/{} 所已加入（要求 {} 所），车程合计 {:.1} 分钟；已写入 {}",
                if formed.status == cm::Status::Optimal { "已是最优方案" } else { "方案尚未算完" },
                formed.communities.len(),
                ds.policy.report.community_word,
                formed.rural_covered,
                formed.rural_total,
                formed.required,
                formed.travel_total,
                out.display()
            ),
            Lang::En => format!(
                "{}: {} communities ({new} new), {}/{} rural schools in one ({} required), {:.1} minutes of travel in all; wrote {}",
                formed.status.as_str(),
                formed.communities.len(),
                formed.rural_covered,
                formed.rural_total,
                formed.required,
                formed.travel_total,
                out.display()
            ),
        }
    );
    Ok(if formed.status == cm::Status::Optimal {
        exit::OK
    } else {
        exit::FEASIBLE
    })
}
