//! `lungang communities` (issue 16 item 3): forms the communities themselves. Picks leads
//! among urban and strong town schools and assigns rural and town schools to them within
//! a travel limit, 1 lead + lo..hi members (西吉 2022: 3-4), at least a share of the rural
//! schools covered (平顶山 2025: 70% → 85% → 100%), minimising the leads' travel to their
//! members and each community's shortage of periods by subject (docs/communities.md).
//!
//! Existing communities are kept (leads and members fixed; schools in none may join them)
//! unless `repair` asks to re-pair: then every member may go to another lead, leads stay
//! leads and members stay members of some community.
//!
//! The model (`model.rs`) stands apart from the teacher plan's MILP (src/model): neither
//! imports the other. This module reads no files; `write.rs` turns the result into the
//! bytes of a dataset folder and its reports.

mod facts;
mod model;
mod options;
pub mod write;

pub use facts::{nets, strong_towns, unit_minutes, Facts, Pair, Place, Unit};
pub use model::{Failure, Status};
pub use options::{Coverage, Members, Options, DEFAULT_BALANCE, DEFAULT_GAP, MAX_MEMBERS};

use crate::domain::{Community, CommunityIx, Dataset, Mode, SchoolIx, SchoolKind};
use crate::report::Lang;

/// A school's part in the new partition.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Lead,
    Member,
    None,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Lead => "lead",
            Role::Member => "member",
            Role::None => "none",
        }
    }
}

/// How a school's community changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    /// In the same community as before.
    Kept,
    /// In a community now, in none before.
    Joined,
    /// In another community than before (`--repair`).
    Moved,
    /// In none, before and now.
    Outside,
}

impl Change {
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Kept => "kept",
            Change::Joined => "joined",
            Change::Moved => "moved",
            Change::Outside => "outside",
        }
    }
}

/// One school of the new partition.
#[derive(Clone, Debug, PartialEq)]
pub struct SchoolLine {
    pub school: SchoolIx,
    pub role: Role,
    /// One-way minutes from its community's nearest lead (members only).
    pub minutes: Option<f64>,
    pub change: Change,
}

/// One community of the new partition.
#[derive(Clone, Debug, PartialEq)]
pub struct CommunityLine {
    pub community: CommunityIx,
    /// Formed by this run (not in the input).
    pub new: bool,
    pub members: usize,
    pub rural_members: usize,
    pub town_members: usize,
    pub minutes_total: f64,
    pub minutes_max: f64,
    /// Periods a week the community is short, summed over subjects (leads' and members'
    /// surplus set against shortage subject by subject).
    pub shortage: i64,
}

/// The partition formed, and the figures that describe it.
#[derive(Clone, Debug)]
pub struct Formed {
    /// The input with its communities replaced.
    pub dataset: Dataset,
    pub status: Status,
    pub objective: f64,
    pub bound: f64,
    pub seconds: f64,
    pub max_minutes: f64,
    /// The coverage share in force, and ⌈share × rural schools⌉.
    pub share: f64,
    pub required: u32,
    pub rural_total: usize,
    pub rural_covered: usize,
    pub travel_total: f64,
    /// Periods a week short: inside communities, plus at schools in none.
    pub shortage_total: i64,
    pub schools: Vec<SchoolLine>,
    pub communities: Vec<CommunityLine>,
    pub options: Options,
    /// The input's own partition, measured the same way.
    pub before: Before,
}

/// A partition's figures, measured as `form` measures its own.
#[derive(Clone, Debug, PartialEq)]
pub struct Before {
    pub communities: usize,
    pub rural_covered: usize,
    pub travel_total: f64,
    pub travel_max: f64,
    pub shortage: i64,
}

/// Why no partition was formed.
#[derive(Clone, Debug, PartialEq)]
pub enum FormError {
    /// Fewer rural schools can join a lead than the coverage asks for.
    Unreachable {
        required: u32,
        reachable: u32,
        rural: u32,
        max_minutes: f64,
        /// "id name" of the rural schools no lead can take, in schools.csv order.
        schools: Vec<String>,
    },
    /// The rules cannot all hold (sizes, coverage, the travel limit together).
    Infeasible {
        required: u32,
        leads: usize,
        members: Members,
        /// A stage whose leads have too little room, when one is found: (stage word,
        /// schools of that stage alone that must join, room).
        short_stage: Option<(&'static str, u32, u32)>,
    },
    NoneInTime {
        seconds: f64,
    },
    Solver(String),
}

impl FormError {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            FormError::Unreachable {
                required,
                reachable,
                rural,
                max_minutes,
                schools,
            } => {
                let shown = list(schools);
                match lang {
                    Lang::Zh => format!(
                        "覆盖率要求至少 {required} 所农村学校（共 {rural} 所）加入共同体，但在 {max_minutes} 分钟车程内、学段相同的牵头校只能带上 {reachable} 所；够不到的学校：{shown}（可放宽 --max-minutes 或降低 --coverage）"
                    ),
                    Lang::En => format!(
                        "the coverage asks for {required} of {rural} rural schools in a community, but only {reachable} have a lead of their stage within {max_minutes} minutes; out of reach: {shown} (raise --max-minutes or lower --coverage)"
                    ),
                }
            }
            FormError::Infeasible {
                required,
                leads,
                members,
                short_stage,
            } => {
                let why = short_stage.map_or(String::new(), |(stage, need, room)| match lang {
                    Lang::Zh => format!(
                        "；其中须加入的{}有 {need} 所，而能带{}的牵头校最多只能带 {room} 所",
                        stage_zh(stage),
                        stage_zh(stage)
                    ),
                    Lang::En => format!(
                        "; {need} {stage} schools must join, and the leads that take {stage} schools have room for {room}"
                    ),
                });
                match lang {
                    Lang::Zh => format!(
                        "没有满足全部条件的共同体划分：{required} 所农村学校须加入，可牵头的学校 {leads} 所，每个共同体 1 所牵头校带 {} 至 {} 所成员校，且在车程上限之内{why}（可调整 --members、--max-minutes 或 --coverage）",
                        members.lo, members.hi
                    ),
                    Lang::En => format!(
                        "no partition meets every rule: {required} rural schools must join, {leads} schools may lead, each community has 1 lead and {} to {} members, all within the travel limit{why} (change --members, --max-minutes or --coverage)",
                        members.lo, members.hi
                    ),
                }
            }
            FormError::NoneInTime { seconds } => match lang {
                Lang::Zh => {
                    format!("在规定时间（{seconds:.0} 秒）内未找到划分方案（可延长 --time-limit）")
                }
                Lang::En => format!(
                    "no partition found within the time limit ({seconds:.0} s; raise --time-limit)"
                ),
            },
            FormError::Solver(why) => match lang {
                Lang::Zh => format!("求解器出错：{why}"),
                Lang::En => format!("the solver failed: {why}"),
            },
        }
    }
}

fn stage_zh(stage: &str) -> &'static str {
    match stage {
        "primary" => "小学",
        _ => "初中",
    }
}

/// A stage whose leads cannot take every school of that stage alone that must join:
/// members re-paired, and with a coverage of every rural school, the rural ones. Room is
/// Σ HI over the units that take the stage (an upper bound: the units are shared with the
/// other stage), so a stage named here is short for certain; `None` says nothing.
fn short_stage(ds: &Dataset, f: &Facts) -> Option<(&'static str, u32, u32)> {
    let all_rural = f.required as usize == f.rural.len();
    for (stage, word) in [
        (crate::domain::Stages::PRIMARY, "primary"),
        (crate::domain::Stages::JUNIOR, "junior"),
    ] {
        let need = ds
            .school_ixs()
            .filter(|&s| ds.school(s).stage == stage)
            .filter(|&s| match f.place[s.ix()] {
                Place::MustJoin | Place::Kept(_) => true,
                Place::Free(_) => all_rural && ds.school(s).kind == SchoolKind::Rural,
                _ => false,
            })
            .count() as u32;
        let room: u32 = f
            .units
            .iter()
            .filter(|u| u.stage.overlaps(stage))
            .map(|u| u.hi)
            .sum();
        if need > room {
            return Some((word, need, room));
        }
    }
    None
}

fn list(items: &[String]) -> String {
    const SHOWN: usize = 10;
    let mut s = items
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if items.len() > SHOWN {
        s.push_str(&format!(", … ({} in all)", items.len()));
    }
    s
}

/// Forms the communities of `ds` as `opt` asks.
pub fn form(ds: &Dataset, opt: &Options) -> Result<Formed, FormError> {
    let f = facts::facts(ds, opt);
    // Rural schools no lead can take (nor already in): the coverage cannot count them.
    let reachable = |s: SchoolIx| {
        matches!(f.place[s.ix()], Place::Lead(_)) || f.pairs.iter().any(|p| p.school == s)
    };
    let out_of_reach: Vec<String> = f
        .rural
        .iter()
        .filter(|&&s| !reachable(s))
        .map(|&s| format!("{} {}", ds.school(s).id, ds.school(s).name))
        .collect();
    let reach = (f.rural.len() - out_of_reach.len()) as u32;
    if reach < f.required {
        return Err(FormError::Unreachable {
            required: f.required,
            reachable: reach,
            rural: f.rural.len() as u32,
            max_minutes: f.max_minutes,
            schools: out_of_reach,
        });
    }
    let chosen =
        model::solve(ds, &f, opt.balance, opt.time_limit, opt.gap).map_err(|e| match e {
            Failure::Infeasible => FormError::Infeasible {
                required: f.required,
                leads: f.units.len(),
                members: opt.members,
                short_stage: short_stage(ds, &f),
            },
            Failure::NoneInTime { seconds } => FormError::NoneInTime { seconds },
            Failure::Solver(why) => FormError::Solver(why),
        })?;
    Ok(assemble(ds, opt, &f, &chosen))
}

/// The mode of a new community: the one most existing communities have (the first of
/// tight, fused, paired on a tie), paired (结对型, the schools stay apart) when there are none.
fn new_mode(ds: &Dataset) -> Mode {
    let count = |m: Mode| ds.communities.iter().filter(|c| c.mode == m).count();
    Mode::ALL
        .iter()
        .copied()
        .filter(|&m| count(m) > 0)
        .max_by_key(|&m| (count(m), std::cmp::Reverse(m)))
        .unwrap_or(Mode::Paired)
}

/// Ids for new communities: C01, C02, … skipping those the county uses.
fn new_ids(ds: &Dataset, n: usize) -> Vec<String> {
    let used: std::collections::BTreeSet<&str> =
        ds.communities.iter().map(|c| c.id.as_str()).collect();
    (1..)
        .map(|i| format!("C{i:02}"))
        .filter(|id| !used.contains(id.as_str()))
        .take(n)
        .collect()
}

fn assemble(ds: &Dataset, opt: &Options, f: &Facts, ch: &model::Chosen) -> Formed {
    let (out, minutes) = partition(ds, f, ch);
    let schools = school_lines(ds, &out, &minutes);
    let (lines, in_any) = community_lines(ds, f, &out, &minutes);
    let outside: i64 = ds
        .school_ixs()
        .filter(|s| !in_any[s.ix()])
        .map(|s| shortage_of(f, &[s]))
        .sum();
    let rural_covered = f.rural.iter().filter(|s| in_any[s.ix()]).count();
    Formed {
        status: ch.status,
        objective: ch.objective,
        bound: ch.bound,
        seconds: ch.seconds,
        max_minutes: f.max_minutes,
        share: f.share,
        required: f.required,
        rural_total: f.rural.len(),
        rural_covered,
        travel_total: lines.iter().map(|l| l.minutes_total).sum(),
        shortage_total: lines.iter().map(|l| l.shortage).sum::<i64>() + outside,
        schools,
        communities: lines,
        options: opt.clone(),
        before: measure(ds),
        dataset: out,
    }
}

/// The county with the chosen partition: the open units' communities (existing ones
/// first, in their order, then new ones by their lead's place in schools.csv), each
/// school's community, and each joined member's minutes from its lead.
fn partition(ds: &Dataset, f: &Facts, ch: &model::Chosen) -> (Dataset, Vec<Option<f64>>) {
    let open: Vec<usize> = (0..f.units.len()).filter(|&u| ch.open[u]).collect();
    let (mut communities, community_of_unit) = open_communities(ds, f, &open);
    let mut out = ds.clone();
    for s in out.schools.iter_mut() {
        s.community = None;
    }
    let mut minutes: Vec<Option<f64>> = vec![None; ds.schools.len()];
    for &u in &open {
        for &s in &f.units[u].schools {
            out.schools[s.ix()].community = community_of_unit[u];
        }
    }
    for (p, &j) in f.pairs.iter().zip(&ch.joined) {
        if j {
            out.schools[p.school.ix()].community = community_of_unit[p.unit];
            minutes[p.school.ix()] = Some(p.minutes);
        }
    }
    for s in ds.school_ixs() {
        if let Some(c) = out.schools[s.ix()].community {
            let cm = &mut communities[c.ix()];
            if !cm.core.contains(&s) {
                cm.members.push(s);
            }
        }
    }
    out.communities = communities;
    (out, minutes)
}

/// The communities of the open units, members still empty, and each unit's community.
fn open_communities(
    ds: &Dataset,
    f: &Facts,
    open: &[usize],
) -> (Vec<Community>, Vec<Option<CommunityIx>>) {
    let fresh: Vec<usize> = (open.iter().copied())
        .filter(|&u| f.units[u].existing.is_none())
        .collect();
    let ids = new_ids(ds, fresh.len());
    let mode = new_mode(ds);
    let word = &ds.policy.report.community_word;
    let mut community_of_unit: Vec<Option<CommunityIx>> = vec![None; f.units.len()];
    let mut communities: Vec<Community> = Vec::new();
    for &u in open {
        let unit = &f.units[u];
        community_of_unit[u] = Some(CommunityIx(communities.len() as u32));
        communities.push(match unit.existing {
            Some(c) => Community {
                members: Vec::new(),
                ..ds.communities[c.ix()].clone()
            },
            None => {
                let k = fresh.iter().position(|&x| x == u).unwrap_or(0);
                Community {
                    id: ids.get(k).cloned().unwrap_or_default(),
                    name: format!("{}{word}", ds.school(unit.schools[0]).name),
                    mode,
                    core: unit.schools.clone(),
                    members: Vec::new(),
                }
            }
        });
    }
    (communities, community_of_unit)
}

/// Each school's role in `out` and what became of its community in `ds`.
fn school_lines(ds: &Dataset, out: &Dataset, minutes: &[Option<f64>]) -> Vec<SchoolLine> {
    let line = |s: SchoolIx| {
        let now = out.schools[s.ix()].community;
        let before = ds.school(s).community;
        let role = match now {
            Some(c) if out.communities[c.ix()].core.contains(&s) => Role::Lead,
            Some(_) => Role::Member,
            None => Role::None,
        };
        let same = match (before, now) {
            (Some(b), Some(n)) => ds.communities[b.ix()].id == out.communities[n.ix()].id,
            _ => false,
        };
        let change = match (before, now) {
            (None, None) => Change::Outside,
            (None, Some(_)) => Change::Joined,
            _ if same => Change::Kept,
            _ => Change::Moved,
        };
        SchoolLine {
            school: s,
            role,
            minutes: minutes[s.ix()],
            change,
        }
    };
    ds.school_ixs().map(line).collect()
}

/// Each community's figures in `out`, and whether each school is in one.
fn community_lines(
    ds: &Dataset,
    f: &Facts,
    out: &Dataset,
    minutes: &[Option<f64>],
) -> (Vec<CommunityLine>, Vec<bool>) {
    let mut lines = Vec::new();
    let mut in_any = vec![false; ds.schools.len()];
    for (ci, c) in out.communities.iter().enumerate() {
        let ms: Vec<f64> = c.members.iter().filter_map(|s| minutes[s.ix()]).collect();
        let all: Vec<SchoolIx> = c.core.iter().chain(&c.members).copied().collect();
        for s in &all {
            in_any[s.ix()] = true;
        }
        let kind = |k: SchoolKind| {
            c.members
                .iter()
                .filter(|&&s| ds.school(s).kind == k)
                .count()
        };
        lines.push(CommunityLine {
            community: CommunityIx(ci as u32),
            new: !ds.communities.iter().any(|o| o.id == c.id),
            members: c.members.len(),
            rural_members: kind(SchoolKind::Rural),
            town_members: kind(SchoolKind::Town),
            minutes_total: ms.iter().sum(),
            minutes_max: ms.iter().copied().fold(0.0, f64::max),
            shortage: shortage_of(f, &all),
        });
    }
    (lines, in_any)
}

/// Periods short in all, over `schools` pooled: by subject, what their staff lacks.
fn shortage_of(f: &Facts, schools: &[SchoolIx]) -> i64 {
    let mut by: std::collections::BTreeMap<crate::domain::SubjectIx, i64> =
        std::collections::BTreeMap::new();
    for &s in schools {
        for &(k, v) in &f.net[s.ix()] {
            *by.entry(k).or_default() += v;
        }
    }
    by.values().map(|v| (-v).max(0)).sum()
}

/// The figures of a county's partition as it stands (`ds`'s own communities), measured
/// like a formed one: travel from each member's nearest lead and shortage by community.
/// For the side-by-side table of docs/communities.md.
pub fn measure(ds: &Dataset) -> Before {
    let nets = nets(ds);
    let mut total = 0.0;
    let mut max: f64 = 0.0;
    let mut shortage = 0;
    let mut in_any = vec![false; ds.schools.len()];
    for c in &ds.communities {
        let mut by: std::collections::BTreeMap<crate::domain::SubjectIx, i64> =
            std::collections::BTreeMap::new();
        for &s in c.core.iter().chain(&c.members) {
            in_any[s.ix()] = true;
            for &(k, v) in &nets[s.ix()] {
                *by.entry(k).or_default() += v;
            }
        }
        shortage += by.values().map(|v| (-v).max(0)).sum::<i64>();
        for &m in &c.members {
            let t = unit_minutes(ds, &c.core, m).unwrap_or(0.0);
            total += t;
            max = max.max(t);
        }
    }
    for s in ds.school_ixs().filter(|s| !in_any[s.ix()]) {
        shortage += nets[s.ix()].iter().map(|(_, v)| (-v).max(0)).sum::<i64>();
    }
    Before {
        communities: ds.communities.len(),
        rural_covered: ds
            .school_ixs()
            .filter(|&s| in_any[s.ix()] && ds.school(s).kind == SchoolKind::Rural)
            .count(),
        travel_total: total,
        travel_max: max,
        shortage,
    }
}
