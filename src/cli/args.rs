//! The command line: its commands and arguments, each value checked as clap reads it, and
//! the language its help and messages take.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use lungang::limits::{MAX_GENERATE_SCHOOLS, MAX_GENERATE_TEACHERS, MAX_TIME_LIMIT};
use lungang::report::Lang;

use super::{exit, help_zh};

#[derive(Parser)]
#[command(
    name = "lungang",
    version,
    about = "Plans teacher exchange (交流轮岗) in urban-rural school communities"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Language of messages (default: the locale's, 中文 for zh_*) and of report.html
    /// (default 中文).
    #[arg(long, global = true, value_enum)]
    pub lang: Option<LangArg>,
}

#[derive(Subcommand)]
pub enum Command {
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
    Communities(CommunitiesArgs),
    /// Write a synthetic county (or a bundled preset) as a dataset folder.
    Generate(GenerateArgs),
}

/// What `communities` is asked: the dataset, where to write, and how to form the partition.
#[derive(clap::Args)]
pub struct CommunitiesArgs {
    pub dataset: PathBuf,
    #[arg(long)]
    pub out: PathBuf,
    /// Share of rural schools in a community, in [0, 1], or a schedule by year
    /// (2025:0.7,2026:0.85,2027:1.0: the plan year's entry holds).
    #[arg(long, default_value = "0.7")]
    pub coverage: lungang::communities::Coverage,
    /// One-way minutes from a lead to a member at most (default: the policy's
    /// itinerant.max_minutes_day, 120 unless it says otherwise).
    #[arg(long, value_parser = minutes, allow_negative_numbers = true)]
    pub max_minutes: Option<f64>,
    /// Members besides the lead, LO..HI (西吉: 3..4).
    #[arg(long, default_value = "3..4")]
    pub members: lungang::communities::Members,
    /// Re-pair: members may go to another lead (leads and members keep their roles).
    #[arg(long)]
    pub repair: bool,
    /// Minutes of travel one period a week of a community's shortage is worth (0:
    /// travel alone).
    #[arg(long, default_value_t = lungang::communities::DEFAULT_BALANCE, value_parser = weight, allow_negative_numbers = true)]
    pub balance: f64,
    /// Seconds the solver may take.
    #[arg(long, default_value_t = 60.0, value_parser = time_limit, allow_negative_numbers = true)]
    pub time_limit: f64,
    /// Relative gap at which a partition counts as best, in [0, 1).
    #[arg(long, default_value_t = lungang::communities::DEFAULT_GAP, value_parser = gap, allow_negative_numbers = true)]
    pub gap: f64,
    /// Replace an --out folder lungang wrote.
    #[arg(long)]
    pub force: bool,
}

/// What `generate` is asked: the county's size and shape, or a preset, and where to write.
#[derive(clap::Args)]
pub struct GenerateArgs {
    #[arg(long, required_unless_present = "preset", value_parser = generate_schools)]
    pub schools: Option<usize>,
    #[arg(long, required_unless_present = "preset", value_parser = generate_teachers)]
    pub teachers: Option<usize>,
    /// The random seed (default 1; with --preset, the preset's own, which writes the
    /// bundled dataset).
    #[arg(long)]
    pub seed: Option<u64>,
    #[arg(long)]
    pub communities: Option<usize>,
    /// The seed system the county follows (docs/generator.md): xinjian (default), xiji,
    /// enshi, pingdingshan, nanning, housing, community, nine_year, parts.
    #[arg(long, conflicts_with = "preset")]
    pub profile: Option<String>,
    /// xinjian or xiji: the bundled datasets' generator.
    #[arg(long, conflicts_with_all = ["schools", "teachers", "communities"])]
    pub preset: Option<String>,
    #[arg(long)]
    pub out: PathBuf,
    #[arg(long)]
    pub force: bool,
}

/// The planner's decisions (MODEL.md "Pins") that `plan` and `check` share; one dataset
/// only.
#[derive(clap::Args)]
pub struct Decided {
    /// Pins from this CSV file (or plan.xlsx) instead of the dataset's pins.csv.
    #[arg(long)]
    pub pins: Option<PathBuf>,
    /// A previous plan folder of the same year: each teacher placed differently costs
    /// weights.change, and summary.json lists the changes.
    #[arg(long)]
    pub keep: Option<PathBuf>,
}

impl Decided {
    pub fn any(&self) -> bool {
        self.pins.is_some() || self.keep.is_some()
    }
}

/// What `plan` and `whatif` share: where to write, the policy, the solver's limits.
#[derive(clap::Args)]
pub struct RunArgs {
    #[arg(long)]
    pub out: PathBuf,
    #[arg(long)]
    pub policy: Option<PathBuf>,
    /// Seconds the solver may take.
    #[arg(long, default_value_t = 300.0, value_parser = time_limit, allow_negative_numbers = true)]
    pub time_limit: f64,
    /// Relative gap at which a plan counts as optimal, in [0, 1).
    #[arg(long, default_value_t = 1e-4, value_parser = gap, allow_negative_numbers = true)]
    pub gap: f64,
    /// Solver threads (default and most: the machine's cores).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
    pub threads: Option<u32>,
    /// Replace an existing --out folder.
    #[arg(long)]
    pub force: bool,
    /// Print nothing but errors.
    #[arg(long)]
    pub quiet: bool,
    /// Print one JSON summary on stdout instead of the tables.
    #[arg(long)]
    pub json: bool,
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum LangArg {
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
pub fn terminal_lang(arg: Option<LangArg>) -> Lang {
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
pub fn parse_cli() -> Result<Cli, ExitCode> {
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
pub fn lang_in_args(args: &[std::ffi::OsString]) -> Option<LangArg> {
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
pub fn time_limit(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && v > 0.0 && v <= MAX_TIME_LIMIT => Ok(v),
        _ => Err(format!("expected seconds in (0, {MAX_TIME_LIMIT}]")),
    }
}

/// A share in [0, 1].
pub fn share(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(v) if (0.0..=1.0).contains(&v) => Ok(v),
        _ => Err("expected a share in [0, 1], e.g. 0.25".into()),
    }
}

/// `--gap`: a relative gap in [0, 1) (1 would call any plan optimal).
pub fn gap(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(v) if (0.0..1.0).contains(&v) => Ok(v),
        _ => Err("expected a relative gap in [0, 1), e.g. 0.01 for 1%".into()),
    }
}

/// `--max-minutes`: minutes, finite and > 0.
pub fn minutes(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && v > 0.0 && v <= 24.0 * 60.0 => Ok(v),
        _ => Err("expected minutes in (0, 1440]".into()),
    }
}

/// `--balance`: a weight, finite and ≥ 0.
pub fn weight(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && (0.0..=1e6).contains(&v) => Ok(v),
        _ => Err("expected a weight in [0, 1000000]".into()),
    }
}

pub fn count_in(s: &str, lo: usize, hi: usize) -> Result<usize, String> {
    match s.trim().parse::<usize>() {
        Ok(v) if (lo..=hi).contains(&v) => Ok(v),
        _ => Err(format!("expected an integer in [{lo}, {hi}]")),
    }
}

pub fn generate_schools(s: &str) -> Result<usize, String> {
    count_in(s, 1, MAX_GENERATE_SCHOOLS)
}

pub fn generate_teachers(s: &str) -> Result<usize, String> {
    count_in(s, 1, MAX_GENERATE_TEACHERS)
}
