//! Synthetic counties (issue 2): a county seat, townships and villages with schools,
//! communities, teachers, timetable demand and a rotation ledger, drawn from published
//! figures (docs/generator.md) with a seeded ChaCha8 stream, so that one seed gives the same
//! bytes on every machine. Also the two named sample counties (`preset`).
//!
//! The generator writes dataset files (FORMAT.md); it does not build `domain::Dataset`
//! values, so everything it makes goes through the loader like any user's data.
//!
//! A profile (`profile.rs`) picks the seed system a county follows: its policy.toml and
//! the shape of its data. Roles and requests are drawn from a second stream of the same
//! seed, so adding them left every other draw, and so every other byte, as it was.

mod curriculum;
mod geography;
mod ledger;
pub(crate) mod names;
mod presets;
mod priority;
mod profile;
pub(crate) mod random;
mod requests;
mod roles;
mod staffing;
mod write;

pub use profile::Profile;

use std::path::Path;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// The plan year every generated dataset is made for (MODEL.md's default `plan_year`).
pub const PLAN_YEAR: i32 = 2025;

/// The benchmark counties of issues 4 and 13: name, schools, teachers, seed. XS is the
/// small county of issue 13 (a few communities, 100-300 teachers).
pub const BENCH_SIZES: [(&str, usize, usize, u64); 4] = [
    ("XS", 30, 250, 4),
    ("S", 50, 1_500, 1),
    ("M", 120, 4_000, 2),
    ("L", 250, 8_000, 3),
];

/// The generator's options for a benchmark county by name (XS, S, M or L), default profile.
pub fn bench_options(name: &str) -> Option<GenerateOptions> {
    BENCH_SIZES
        .iter()
        .find(|b| b.0 == name)
        .map(|&(_, schools, teachers, seed)| GenerateOptions {
            schools,
            teachers,
            seed,
            communities: None,
            profile: Profile::default(),
        })
}

/// What `lungang generate` asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GenerateOptions {
    /// Exact number of schools.
    pub schools: usize,
    /// Exact number of teachers (spread over the schools by their sizes).
    pub teachers: usize,
    pub seed: u64,
    /// Number of communities; `None` = about one per 6.5 schools. At most schools / 4.
    pub communities: Option<usize>,
    /// The seed system the county follows (`xinjian` = the defaults).
    pub profile: Profile,
}

/// One row of schools.csv.
#[derive(Clone, Debug, PartialEq)]
pub struct SchoolRecord {
    pub id: String,
    pub name: String,
    /// urban / town / rural.
    pub kind: &'static str,
    /// primary / junior / nine_year.
    pub stage: &'static str,
    pub community: Option<String>,
    pub lat: f64,
    pub lon: f64,
    pub housing: Option<u32>,
    /// Given only by profiles that rank schools (平顶山); all `None` = no such column.
    pub priority: Option<f64>,
}

/// One row of communities.csv.
#[derive(Clone, Debug, PartialEq)]
pub struct CommunityRecord {
    pub id: String,
    pub name: String,
    /// tight / fused / paired.
    pub mode: &'static str,
    pub core: Vec<String>,
}

/// One row of teachers.csv.
#[derive(Clone, Debug, PartialEq)]
pub struct TeacherRecord {
    pub id: String,
    pub name: String,
    pub school: String,
    pub subject: &'static str,
    pub extra_subjects: Vec<&'static str>,
    /// primary / junior, given only for teachers of nine_year schools (none = both stages).
    pub stage: Option<&'static str>,
    /// M / F.
    pub gender: &'static str,
    pub birth_year: i32,
    pub hire_year: i32,
    pub school_since: i32,
    pub title: Option<&'static str>,
    pub backbone: bool,
    pub rural_years: u32,
    /// Written only where it differs from the policy default of the teacher's stage.
    pub capacity: Option<u32>,
    /// active / exempt.
    pub status: &'static str,
    /// yes / no / unknown.
    pub willing: &'static str,
    /// teacher / middle / vice_principal / principal.
    pub role: &'static str,
}

/// One row of demand.csv.
#[derive(Clone, Debug, PartialEq)]
pub struct DemandRecord {
    pub school: String,
    pub subject: &'static str,
    pub periods: u32,
}

/// One row of requests.csv.
#[derive(Clone, Debug, PartialEq)]
pub struct RequestRecord {
    pub school: String,
    /// teacher / cadre.
    pub kind: &'static str,
    /// The subject of a teacher request; `None` for a cadre.
    pub subject: Option<&'static str>,
    pub count: u32,
    pub note: String,
}

/// One row of ledger.csv.
#[derive(Clone, Debug, PartialEq)]
pub struct LedgerRecord {
    pub teacher: String,
    pub from: String,
    pub to: String,
    pub start_year: i32,
    pub end_year: i32,
    pub extend: bool,
}

/// A generated county: the rows of every file it writes.
#[derive(Clone, Debug, PartialEq)]
pub struct County {
    /// Shown in the policy file's comment; not part of any CSV.
    pub name: String,
    pub schools: Vec<SchoolRecord>,
    pub communities: Vec<CommunityRecord>,
    pub teachers: Vec<TeacherRecord>,
    pub demand: Vec<DemandRecord>,
    pub ledger: Vec<LedgerRecord>,
    /// Empty: no requests.csv.
    pub requests: Vec<RequestRecord>,
    /// The whole text of policy.toml.
    pub policy: String,
}

impl County {
    /// Writes schools.csv, communities.csv, teachers.csv, demand.csv, ledger.csv,
    /// requests.csv (when there are requests; a stale one is removed otherwise) and
    /// policy.toml into `dir` (created if missing): UTF-8, English headers, `\n` line ends.
    pub fn write(&self, dir: &Path) -> std::io::Result<()> {
        write::write_county(self, dir)
    }

    /// The dataset's files (name, bytes), to be written as one folder.
    pub fn files(&self) -> Vec<(&'static str, Vec<u8>)> {
        write::county_files(self)
    }
}

/// A synthetic county of exactly `opts.schools` schools and `opts.teachers` teachers,
/// following `opts.profile`.
pub fn generate(opts: &GenerateOptions) -> County {
    let mut rng = ChaCha8Rng::seed_from_u64(opts.seed);
    let layout = geography::synthetic_layout(opts, &mut rng);
    let flag = match opts.profile {
        Profile::Xinjian => String::new(),
        p => format!("--profile {p} "),
    };
    let header = format!(
        "# Synthetic county {} (lungang generate {flag}--schools {} --teachers {} --seed {}).\n\
         # Every other key has MODEL.md's default.\n",
        layout.county, opts.schools, opts.teachers, opts.seed,
    );
    let policy = policy_text(&header, opts.profile.rules());
    build(layout, policy, &mut rng, opts.seed)
}

/// The sample county `name` ("xinjian" or "xiji"): real communities and school names,
/// synthetic teachers, demand, coordinates and ledger from a fixed seed.
pub fn preset(name: &str) -> Option<County> {
    preset_seeded(name, None)
}

/// `preset` drawn from `seed` instead of its own (`None`: its own, the bundled dataset):
/// the same communities and school names, other teachers, sizes and positions. Counties
/// of one shape for a benchmark (docs/benchmarks.md, fortieth session).
pub fn preset_seeded(name: &str, seed: Option<u64>) -> Option<County> {
    let p = presets::find(name)?;
    let seed = seed.unwrap_or(p.seed());
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let layout = presets::layout(p, &mut rng);
    Some(build(layout, p.policy(), &mut rng, seed))
}

/// policy.toml: the opening comment, `plan_year`, then the profile's keys after a blank line.
fn policy_text(header: &str, rules: &str) -> String {
    let gap = if rules.is_empty() { "" } else { "\n" };
    format!("{header}plan_year = {PLAN_YEAR}\n{gap}{rules}")
}

/// Where a school stands (FORMAT.md `kind`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Urban,
    Town,
    Rural,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::Urban => "urban",
            Kind::Town => "town",
            Kind::Rural => "rural",
        }
    }
}

/// A school's stage (FORMAT.md `stage`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Stage {
    Primary,
    Junior,
    NineYear,
}

impl Stage {
    fn as_str(self) -> &'static str {
        match self {
            Stage::Primary => "primary",
            Stage::Junior => "junior",
            Stage::NineYear => "nine_year",
        }
    }
    /// Grades 1-9 taught.
    fn grades(self) -> std::ops::RangeInclusive<usize> {
        match self {
            Stage::Primary => 1..=6,
            Stage::Junior => 7..=9,
            Stage::NineYear => 1..=9,
        }
    }
    fn has_primary(self) -> bool {
        self != Stage::Junior
    }
    fn has_junior(self) -> bool {
        self != Stage::Primary
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    Tight,
    Fused,
    Paired,
}

impl Mode {
    fn as_str(self) -> &'static str {
        match self {
            Mode::Tight => "tight",
            Mode::Fused => "fused",
            Mode::Paired => "paired",
        }
    }
}

/// A school before staffing: where it is, what it is, how many teachers it has.
#[derive(Clone, Debug)]
pub(crate) struct SchoolSpec {
    pub name: String,
    pub kind: Kind,
    pub stage: Stage,
    /// km east and north of the county seat.
    pub x: f64,
    pub y: f64,
    pub size: usize,
    pub community: Option<usize>,
}

#[derive(Clone, Debug)]
pub(crate) struct CommunitySpec {
    pub name: String,
    pub mode: Mode,
    /// School indices; cores first in the order the plan names them.
    pub cores: Vec<usize>,
    pub members: Vec<usize>,
}

/// A county before staffing.
#[derive(Clone, Debug)]
pub(crate) struct Layout {
    pub county: String,
    /// The county seat, decimal degrees.
    pub lat0: f64,
    pub lon0: f64,
    pub schools: Vec<SchoolSpec>,
    pub communities: Vec<CommunitySpec>,
    /// Surnames and their weights (regional: 西吉 has many 马).
    pub surnames: &'static [(&'static str, u32)],
    /// The profile's knobs for staffing, ledger, housing, priority and requests.
    pub shape: profile::Shape,
}

impl Layout {
    fn is_core(&self, s: usize) -> bool {
        self.schools[s]
            .community
            .is_some_and(|c| self.communities[c].cores.contains(&s))
    }
}

/// Staffs the layout, draws the ledger and turns everything into file records. Roles
/// and requests come from stream 1 of `seed` (the main draws are stream 0).
fn build(layout: Layout, policy: String, rng: &mut ChaCha8Rng, seed: u64) -> County {
    let staffed = staffing::staff_county(&layout, rng);
    let mut teachers = staffed.teachers;
    let history = ledger::history(&layout, &teachers, rng);
    ledger::credit_rural_years(&layout, &mut teachers, &history);
    let housing = ledger::housing(&layout, &history, rng);
    let mut side = ChaCha8Rng::seed_from_u64(seed);
    side.set_stream(1);
    let roles = roles::roles(&layout, &teachers, &mut side);
    let requests = requests::requests(&layout, &teachers, &roles, &staffed.demand, &mut side);
    let extras = write::Extras {
        housing,
        priority: priority::priorities(&layout, &teachers, &staffed.demand),
        roles,
        requests,
    };
    write::records(
        &layout,
        &teachers,
        &staffed.demand,
        &history,
        &extras,
        policy,
    )
}
