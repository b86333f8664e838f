//! The `lungang` command: arguments, messages and exit codes. Everything else lives in the
//! library.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};

use lungang::domain::Dataset;
use lungang::model::{SolveStatus, SolverSettings};
use lungang::plan::{self, Solved};
use lungang::{check, generate, input, report};

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
    /// Optimise next year's plan and write it into --out.
    Plan {
        dataset: PathBuf,
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
        /// Fail (exit 5) when any rule cannot hold.
        #[arg(long)]
        strict: bool,
        /// Replace an existing --out folder.
        #[arg(long)]
        force: bool,
        /// Print nothing but errors.
        #[arg(long)]
        quiet: bool,
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
            dataset,
            out,
            policy,
            time_limit,
            gap,
            threads,
            strict,
            force,
            quiet,
        } => {
            let Some(ds) = load(&dataset, policy.as_deref(), false) else {
                return Ok(exit::INVALID_DATA);
            };
            let set = settings(time_limit, gap, threads);
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(set.threads)
                .build()
                .context("starting the solver threads")?;
            let (solved, stats) = pool.install(|| plan::solve(&ds, &set))?;
            if !quiet {
                eprintln!(
                    "model: {} columns ({} integer), {} rows",
                    stats.columns, stats.integer_columns, stats.rows
                );
            }
            match solved {
                Solved::NoPlan { bound, seconds } => {
                    let summary = serde_json::json!({
                        "status": "none", "objective": null, "bound": bound, "gap": null,
                        "seconds": seconds,
                    });
                    let text = serde_json::to_string_pretty(&summary)? + "\n";
                    plan::write_folder(&out, &[("summary.json", text.into_bytes())], force)?;
                    eprintln!(
                        "no plan found within {time_limit} s; wrote {}",
                        out.join("summary.json").display()
                    );
                    Ok(exit::NO_PLAN)
                }
                Solved::Plan(p) => {
                    plan::write_plan(&out, &ds, &p, force)?;
                    if !quiet {
                        print!("{}", report::render_plan(&p));
                        println!("plan written to {}", out.display());
                    }
                    Ok(if p.solve.status == SolveStatus::Feasible {
                        exit::FEASIBLE
                    } else if strict && p.broken_rules().next().is_some() {
                        exit::RULES_BROKEN
                    } else {
                        exit::OK
                    })
                }
            }
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
