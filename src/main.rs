//! The `lungang` command: arguments, messages and exit codes. Everything else lives in the
//! library.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};

use lungang::domain::Dataset;
use lungang::model::{SolveStatus, SolverSettings};
use lungang::plan::{self, Solved};
use lungang::{check, generate, input, report, scenario};

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
    },
    /// Write a synthetic county (or a bundled preset) as a dataset folder.
    Generate {
        #[arg(long, required_unless_present = "preset")]
        schools: Option<usize>,
        #[arg(long, required_unless_present = "preset")]
        teachers: Option<usize>,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long)]
        communities: Option<usize>,
        /// xinjian or xiji: the bundled datasets' generator.
        #[arg(long, conflicts_with_all = ["schools", "teachers", "communities"])]
        preset: Option<String>,
        #[arg(long)]
        out: PathBuf,
        #[arg(long)]
        force: bool,
    },
}

/// What `plan` and `whatif` share: where to write, the policy, the solver's limits.
#[derive(clap::Args)]
struct RunArgs {
    #[arg(long)]
    out: PathBuf,
    #[arg(long)]
    policy: Option<PathBuf>,
    /// Seconds the solver may take.
    #[arg(long, default_value_t = 300.0)]
    time_limit: f64,
    /// Relative gap at which a plan counts as optimal.
    #[arg(long, default_value_t = 1e-4)]
    gap: f64,
    /// Solver threads (default: the machine's cores).
    #[arg(long)]
    threads: Option<usize>,
    /// Replace an existing --out folder.
    #[arg(long)]
    force: bool,
    /// Print nothing but errors.
    #[arg(long)]
    quiet: bool,
    /// Language of report.html: zh (default) or en.
    #[arg(long, value_enum, default_value_t = LangArg::Zh)]
    lang: LangArg,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum LangArg {
    Zh,
    En,
}

impl From<LangArg> for report::files::Lang {
    fn from(l: LangArg) -> Self {
        match l {
            LangArg::Zh => report::files::Lang::Zh,
            LangArg::En => report::files::Lang::En,
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(exit::ERROR)
        }
    }
}

/// Loads a dataset, printing every problem and its warnings; `None` when invalid.
fn load(dir: &Path, policy: Option<&Path>, json: bool) -> Option<Dataset> {
    match input::load_dataset(dir, policy) {
        Ok(loaded) => {
            for w in &loaded.warnings {
                eprintln!("warning: {w}");
            }
            Some(loaded.dataset)
        }
        Err(e) => {
            if json {
                let list: Vec<String> = e.diagnostics.iter().map(|d| d.to_string()).collect();
                println!("{}", serde_json::json!({ "valid": false, "errors": list }));
            } else {
                for d in &e.diagnostics {
                    eprintln!("{d}");
                }
                eprintln!(
                    "{} problem(s) in {}; nothing planned",
                    e.diagnostics.len(),
                    dir.display()
                );
            }
            None
        }
    }
}

fn settings(time_limit: f64, gap: f64, threads: Option<usize>) -> SolverSettings {
    let threads = threads.unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    });
    SolverSettings::new(time_limit, gap, threads)
}

fn run(cli: Cli) -> Result<u8> {
    match cli.command {
        Command::Validate {
            dataset,
            policy,
            json,
        } => {
            let Some(ds) = load(&dataset, policy.as_deref(), json) else {
                return Ok(exit::INVALID_DATA);
            };
            let before = lungang::model::unmet_before(&ds, &settings(60.0, 1e-4, Some(1)))?;
            let summary = report::DatasetSummary::new(&ds, &before);
            if json {
                println!("{}", serde_json::to_string_pretty(&summary)?);
            } else {
                print!("{}", summary.render());
            }
            Ok(exit::OK)
        }
        Command::Plan {
            datasets,
            strict,
            run:
                RunArgs {
                    out,
                    policy,
                    time_limit,
                    gap,
                    threads,
                    force,
                    quiet,
                    lang,
                },
        } => {
            let lang = lang.into();
            let set = settings(time_limit, gap, threads);
            let pool = pool(&set)?;
            if let [dataset] = &datasets[..] {
                let Some(ds) = load(dataset, policy.as_deref(), false) else {
                    return Ok(exit::INVALID_DATA);
                };
                let (solved, stats) = pool.install(|| plan::solve(&ds, &set))?;
                if !quiet {
                    eprintln!(
                        "model: {} columns ({} integer), {} rows",
                        stats.columns, stats.integer_columns, stats.rows
                    );
                }
                let (files, code) = plan_output(&ds, &solved, strict, lang)?;
                plan::write_folder(&out, &files, force)?;
                if !quiet {
                    if let Solved::Plan(p) = &solved {
                        print!("{}", report::render_plan(p));
                    }
                    println!("plan written to {}", out.display());
                }
                return Ok(code);
            }
            // Several counties: under 县管校聘 teachers stay in their county, so each is its
            // own plan; they are solved in parallel and written into one folder, whole.
            let loaded: Vec<Option<Dataset>> = datasets
                .iter()
                .map(|d| load(d, policy.as_deref(), false))
                .collect();
            if loaded.iter().any(Option::is_none) {
                return Ok(exit::INVALID_DATA);
            }
            let names = folder_names(&datasets)?;
            let results: Vec<Result<(Files, u8)>> = pool.install(|| {
                use rayon::prelude::*;
                loaded
                    .par_iter()
                    .map(|ds| {
                        let ds = ds.as_ref().expect("checked above");
                        let (solved, _) = plan::solve(ds, &set)?;
                        plan_output(ds, &solved, strict, lang)
                    })
                    .collect()
            });
            let mut tree = Vec::new();
            let mut code = exit::OK;
            for ((name, r), d) in names.iter().zip(results).zip(&datasets) {
                let (files, c) = r?;
                if !quiet {
                    println!("{}: exit {c}", d.display());
                }
                code = worse(code, c);
                tree.extend(files.into_iter().map(|(f, b)| (format!("{name}/{f}"), b)));
            }
            write_tree(&out, &tree, force)?;
            if !quiet {
                println!("plans written to {}", out.display());
            }
            Ok(code)
        }
        Command::Whatif {
            dataset,
            scenarios,
            run:
                RunArgs {
                    out,
                    policy,
                    time_limit,
                    gap,
                    threads,
                    force,
                    quiet,
                    lang,
                },
        } => {
            let lang = lang.into();
            let Some(ds) = load(&dataset, policy.as_deref(), false) else {
                return Ok(exit::INVALID_DATA);
            };
            // A workbook's policy.toml stands beside it.
            let folder = if dataset.is_file() {
                dataset.parent().unwrap_or(Path::new(".")).to_path_buf()
            } else {
                dataset.clone()
            };
            let policy_path = policy.unwrap_or_else(|| folder.join("policy.toml"));
            let policy_text = std::fs::read_to_string(&policy_path).unwrap_or_default();
            let text = std::fs::read_to_string(&scenarios)
                .with_context(|| format!("reading {}", scenarios.display()))?;
            let file = scenario::parse(&text)?;
            let mut variants = vec![("base".to_string(), ds.clone())];
            for sc in &file.scenario {
                variants.push((sc.name.clone(), scenario::apply(&ds, &policy_text, sc)?));
            }
            let set = settings(time_limit, gap, threads);
            let pool = pool(&set)?;
            let bar = progress(variants.len(), quiet);
            let started = std::time::Instant::now();
            let results: Vec<Result<(Solved, f64)>> = pool.install(|| {
                use rayon::prelude::*;
                variants
                    .par_iter()
                    .map(|(_, d)| {
                        let t = std::time::Instant::now();
                        let r = plan::solve(d, &set).map(|(s, _)| (s, t.elapsed().as_secs_f64()));
                        bar.inc(1);
                        Ok(r?)
                    })
                    .collect()
            });
            bar.finish_and_clear();
            let wall = started.elapsed().as_secs_f64();
            let mut tree = Vec::new();
            let mut rows = Vec::new();
            let mut sum = 0.0;
            for (i, ((name, d), r)) in variants.iter().zip(results).enumerate() {
                let (solved, secs) = r?;
                sum += secs;
                let folder = format!("{i:02}-{}", name.replace(['/', '\\'], "_"));
                let (files, _) = plan_output(d, &solved, false, lang)?;
                tree.extend(files.into_iter().map(|(f, b)| (format!("{folder}/{f}"), b)));
                rows.push(scenario::Row::new(name, d, &solved));
            }
            let table = scenario::comparison(&ds, &rows);
            tree.push(("comparison.csv".into(), table.csv.into_bytes()));
            write_tree(&out, &tree, force)?;
            if !quiet {
                print!("{}", table.text);
                println!(
                    "{} plans in {wall:.1} s wall ({sum:.1} s of solving); written to {}",
                    rows.len(),
                    out.display()
                );
            }
            Ok(exit::OK)
        }
        Command::Check {
            dataset,
            plan,
            policy,
        } => {
            let Some(ds) = load(&dataset, policy.as_deref(), false) else {
                return Ok(exit::INVALID_DATA);
            };
            let rep = check::check_plan(&ds, &plan);
            print!("{}", rep.render());
            Ok(if rep.is_ok() {
                exit::OK
            } else {
                exit::CHECK_FAILED
            })
        }
        Command::Generate {
            schools,
            teachers,
            seed,
            communities,
            preset,
            out,
            force,
        } => {
            let county = match preset {
                Some(name) => generate::preset(&name).with_context(|| {
                    format!("unknown preset {name:?} (expected xinjian or xiji)")
                })?,
                None => generate::generate(&generate::GenerateOptions {
                    schools: schools.unwrap_or(0),
                    teachers: teachers.unwrap_or(0),
                    seed,
                    communities,
                }),
            };
            if out.exists() && !force {
                anyhow::bail!(
                    "{} exists already; pass --force to replace it",
                    out.display()
                );
            }
            county
                .write(&out)
                .with_context(|| format!("writing {}", out.display()))?;
            println!("wrote {}", out.display());
            Ok(exit::OK)
        }
    }
}

/// A plan folder's files, by name.
type Files = Vec<(&'static str, Vec<u8>)>;

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
    lang: report::files::Lang,
) -> Result<(Files, u8)> {
    Ok(match solved {
        Solved::NoPlan { bound, seconds } => {
            let summary = serde_json::json!({
                "status": "none", "objective": null, "bound": bound, "gap": null,
                "seconds": seconds,
            });
            let text = serde_json::to_string_pretty(&summary)? + "\n";
            eprintln!("no plan found within the time limit; only summary.json is written");
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
            files.extend(report::files::report_files(ds, p, lang));
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
fn write_tree(dir: &Path, files: &[(String, Vec<u8>)], force: bool) -> Result<()> {
    let flat: Vec<(&str, Vec<u8>)> = files.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
    plan::write_folder(dir, &flat, force)?;
    Ok(())
}

/// A progress bar on a terminal; hidden otherwise or with --quiet.
fn progress(n: usize, quiet: bool) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    if quiet || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(n as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{elapsed_precise} [{bar:30}] {pos}/{len} scenarios",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar
}
