//! What `lungang communities` is asked for: the rural coverage (one share, or 平顶山's
//! schedule by year), the travel limit, the community size, keep or re-pair, the weight of
//! staffing balance against travel, and the solver's time.

use std::fmt;

/// The share of rural schools that must be in a community: one share, or a schedule of
/// (year, share) pairs (平顶山 2025: 70% by 2025, 85% by 2026, 100% by 2027).
#[derive(Clone, Debug, PartialEq)]
pub enum Coverage {
    Share(f64),
    /// Ascending years, each with its share.
    Schedule(Vec<(i32, f64)>),
}

impl Coverage {
    /// The share asked for in school year `year`: the schedule's entry of the latest year
    /// ≤ `year`; 0 before its first year (nothing is asked yet).
    pub fn for_year(&self, year: i32) -> f64 {
        match self {
            Coverage::Share(c) => *c,
            Coverage::Schedule(s) => s
                .iter()
                .rev()
                .find(|(y, _)| *y <= year)
                .map_or(0.0, |(_, c)| *c),
        }
    }
}

impl std::str::FromStr for Coverage {
    type Err = String;

    /// `0.7`, or `2025:0.7,2026:0.85,2027:1.0` (years ascending, shares in [0, 1]).
    fn from_str(s: &str) -> Result<Self, String> {
        let share = |v: &str| -> Result<f64, String> {
            match v.trim().parse::<f64>() {
                Ok(c) if (0.0..=1.0).contains(&c) => Ok(c),
                _ => Err(format!(
                    "`{}` is not a share in [0, 1] (expected e.g. 0.7, or 2025:0.7,2026:0.85,2027:1.0)",
                    v.trim()
                )),
            }
        };
        if !s.contains(':') {
            return share(s).map(Coverage::Share);
        }
        let mut out: Vec<(i32, f64)> = Vec::new();
        for part in s.split(',') {
            let (y, c) = part.split_once(':').ok_or_else(|| {
                format!(
                    "`{}` is not YEAR:SHARE (expected e.g. 2025:0.7)",
                    part.trim()
                )
            })?;
            let year = y
                .trim()
                .parse::<i32>()
                .ok()
                .filter(|y| (1900..=2200).contains(y))
                .ok_or_else(|| format!("`{}` is not a year (expected 1900-2200)", y.trim()))?;
            if out.last().is_some_and(|(last, _)| *last >= year) {
                return Err(format!(
                    "year {year} does not follow {} (expected the years in ascending order)",
                    out.last().map_or(0, |l| l.0)
                ));
            }
            out.push((year, share(c)?));
        }
        Ok(Coverage::Schedule(out))
    }
}

impl fmt::Display for Coverage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Coverage::Share(c) => write!(f, "{c}"),
            Coverage::Schedule(s) => {
                let parts: Vec<String> = s.iter().map(|(y, c)| format!("{y}:{c}")).collect();
                f.write_str(&parts.join(","))
            }
        }
    }
}

/// Members a community has besides its lead: at least `lo`, at most `hi` (西吉 2022: 1
/// lead + 3-4 members).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Members {
    pub lo: u32,
    pub hi: u32,
}

/// The most members `--members` may ask for.
pub const MAX_MEMBERS: u32 = 50;

impl std::str::FromStr for Members {
    type Err = String;

    /// `3..4`, `3-4` or `4`: 1 ≤ lo ≤ hi ≤ 50.
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || {
            format!(
                "`{}` is not a size range (expected LO..HI with 1 ≤ LO ≤ HI ≤ {MAX_MEMBERS}, e.g. 3..4)",
                s.trim()
            )
        };
        let (lo, hi) = match s.split_once("..").or_else(|| s.split_once('-')) {
            Some((a, b)) => (a, b.trim_start_matches('=')),
            None => (s, s),
        };
        let num = |v: &str| v.trim().parse::<u32>().map_err(|_| bad());
        let (lo, hi) = (num(lo)?, num(hi)?);
        if lo == 0 || lo > hi || hi > MAX_MEMBERS {
            return Err(bad());
        }
        Ok(Members { lo, hi })
    }
}

impl fmt::Display for Members {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.lo, self.hi)
    }
}

/// Everything `form` is asked for.
#[derive(Clone, Debug, PartialEq)]
pub struct Options {
    pub coverage: Coverage,
    /// One-way minutes from a lead to a member at most; `None` = the policy's
    /// `itinerant.max_minutes_day` (120 by default).
    pub max_minutes: Option<f64>,
    pub members: Members,
    /// Re-pair: every member may go to another lead (leads stay leads, members stay in a
    /// community). Without it, existing communities keep their leads and members.
    pub repair: bool,
    /// Minutes of travel one period a week of a community's shortage is worth.
    pub balance: f64,
    /// Seconds the solver may take.
    pub time_limit: f64,
    /// Relative gap at which the partition counts as best (HiGHS's mip_rel_gap).
    pub gap: f64,
}

/// The gap when none is given: 0.5% of the objective (on a 250-school county, some
/// 40 minutes of the leads' travel summed over every member). A structure of schools is
/// not worth the minute-long proof the last tenth of a percent takes there
/// (docs/communities.md, "Measured"); stopping at a gap, unlike at a time, gives the
/// same partition on every run.
pub const DEFAULT_GAP: f64 = 0.005;

/// The balance weight when none is given: a period a week short in a community weighs a
/// tenth of a minute of one member's travel, so travel decides and staffing chooses among
/// partitions of nearly the same travel. At 1.0 the 西吉 and L counties no longer solve
/// within a minute (docs/communities.md, "Measured").
pub const DEFAULT_BALANCE: f64 = 0.1;

impl Default for Options {
    fn default() -> Self {
        Options {
            coverage: Coverage::Share(0.7),
            max_minutes: None,
            members: Members { lo: 3, hi: 4 },
            repair: false,
            balance: DEFAULT_BALANCE,
            time_limit: 60.0,
            gap: DEFAULT_GAP,
        }
    }
}
