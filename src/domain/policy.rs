//! The rules of MODEL.md as values; defaults are MODEL.md's `policy.toml` block.

use std::collections::BTreeMap;

use super::Mode;

/// A share in [0, 1] kept as the exact decimal the user wrote, so that 0.1 × 30 is 3, not
/// 3.0000000000000004 rounded up to 4.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Share {
    num: u64,
    den: u64,
}

impl Share {
    /// The shortest decimal that reads back as `v` (what the user typed in TOML).
    /// `None` outside [0, 1] or for non-finite values.
    pub fn from_f64(v: f64) -> Option<Share> {
        if !(0.0..=1.0).contains(&v) {
            return None;
        }
        let text = format!("{v}");
        let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
        let frac = &frac[..frac.len().min(12)];
        let den = 10u64.pow(frac.len() as u32);
        let num = int.parse::<u64>().ok()? * den + frac.parse::<u64>().unwrap_or(0);
        Some(Share { num, den })
    }
    pub fn as_f64(self) -> f64 {
        self.num as f64 / self.den as f64
    }
    /// ⌈share · n⌉ in exact arithmetic.
    pub fn ceil_of(self, n: u32) -> u32 {
        (self.num * n as u64).div_ceil(self.den) as u32
    }
    /// ⌊share · n⌋ in exact arithmetic.
    pub fn floor_of(self, n: u32) -> u32 {
        (self.num * n as u64 / self.den) as u32
    }
}

impl std::fmt::Display for Share {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.as_f64())
    }
}

/// Who rule 9 (reciprocal) counts on each side.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReciprocalCounts {
    /// This year's new moves x only (the year's exchange).
    New,
    /// Every teacher serving in Y, LOCKED and extended ones included (as rules 5-8 count).
    Serving,
}

impl ReciprocalCounts {
    pub fn as_str(self) -> &'static str {
        match self {
            ReciprocalCounts::New => "new",
            ReciprocalCounts::Serving => "serving",
        }
    }
}

/// One value per community mode (`{ tight = …, fused = …, paired = … }`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PerMode<T> {
    pub tight: T,
    pub fused: T,
    pub paired: T,
}

impl<T: Copy> PerMode<T> {
    pub fn get(&self, m: Mode) -> T {
        match m {
            Mode::Tight => self.tight,
            Mode::Fused => self.fused,
            Mode::Paired => self.paired,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct CapacityPolicy {
    pub primary: u32,
    pub junior: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct RotationPolicy {
    pub min_years_due: i32,
    pub support_min_teaching_years: i32,
    pub learning_min_teaching_years: i32,
    pub learning_max_age_male: i32,
    pub learning_max_age_female: i32,
    pub term_years: i32,
    pub max_extension_years: i32,
    pub cooldown_years: i32,
    pub respect_unwilling: bool,
    pub max_outflow_share: Share,
    pub backbone_min_share: Share,
    pub due_min_share: Share,
    pub learning_min_share: Share,
    pub promotion_rural_years: u32,
    pub core_min_share: PerMode<Share>,
    pub reciprocal: PerMode<bool>,
    pub reciprocal_counts: ReciprocalCounts,
    /// Rule 12: no member school ends worse off than with nobody moving.
    pub protect_members: bool,
    /// Rule 14 (恩施 三年一个周期): every eligible member teacher 跟岗 once within a cycle of
    /// this many school years; 0 = off.
    pub learning_cycle_years: i32,
    /// A school year that starts a cycle (cycles follow each other every
    /// `learning_cycle_years`); `None` = the plan year starts one.
    pub learning_cycle_start: Option<i32>,
}

/// Where 走教 teachers may go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    County,
    Community,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ItinerantPolicy {
    /// Subject names (not interned: a policy may name a subject no teacher has).
    pub subjects: Vec<String>,
    pub scope: Scope,
    pub max_days: u32,
    pub periods_full_day: u32,
    pub periods_half_day: u32,
    /// 1 or 2.
    pub max_stops: u32,
    pub max_minutes_day: f64,
    pub max_minutes_between: f64,
    /// Rule 2: a trip-day teaches at least this many periods at each of its stops.
    pub min_periods_per_stop: u32,
}

impl ItinerantPolicy {
    /// Where a subject stands in reports: the 走教 subjects first, in the policy's order
    /// (音乐, 体育, 美术 by default), then the others by name.
    pub fn report_order<'a>(&self, name: &'a str) -> (usize, &'a str) {
        let rank = self.subjects.iter().position(|s| s == name);
        (rank.unwrap_or(usize::MAX), name)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct TravelPolicy {
    pub road_factor: f64,
    pub speed_kmh: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Weights {
    pub unmet: f64,
    /// mult(k) by subject name; a subject not named has 1.
    pub unmet_subject: BTreeMap<String, f64>,
    pub non_main_subject: f64,
    pub rotation: f64,
    pub rotation_km: f64,
    pub itinerant_km: f64,
    pub promotion_bonus: f64,
    pub due_bonus: f64,
    pub willing_bonus: f64,
    pub extension_bonus: f64,
    pub violation: f64,
    /// Per teacher whose place differs from a kept plan's (`plan --keep`).
    pub change: f64,
}

impl Weights {
    pub fn unmet_mult(&self, subject: &str) -> f64 {
        self.unmet_subject.get(subject).copied().unwrap_or(1.0)
    }
}

/// How the pages speak to the county ([report]).
#[derive(Clone, Debug, PartialEq)]
pub struct ReportPolicy {
    /// The county's own word for a community (共同体, 校共体, 教育集团 …): every page uses
    /// it, so a page never mixes two counties' words.
    pub community_word: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Policy {
    pub plan_year: i32,
    pub capacity: CapacityPolicy,
    pub rotation: RotationPolicy,
    pub itinerant: ItinerantPolicy,
    pub travel: TravelPolicy,
    pub weights: Weights,
    pub report: ReportPolicy,
}

impl Default for Policy {
    fn default() -> Self {
        let s = |v: f64| Share::from_f64(v).expect("default share in range");
        Policy {
            plan_year: 2025,
            capacity: CapacityPolicy {
                primary: 16,
                junior: 14,
            },
            rotation: RotationPolicy {
                min_years_due: 6,
                support_min_teaching_years: 3,
                learning_min_teaching_years: 1,
                learning_max_age_male: 50,
                learning_max_age_female: 45,
                term_years: 1,
                max_extension_years: 2,
                cooldown_years: 3,
                respect_unwilling: true,
                max_outflow_share: s(0.3),
                backbone_min_share: s(0.2),
                due_min_share: s(0.1),
                learning_min_share: s(0.0),
                promotion_rural_years: 1,
                core_min_share: PerMode {
                    tight: s(0.1),
                    fused: s(0.0),
                    paired: s(0.0),
                },
                reciprocal: PerMode {
                    tight: false,
                    fused: false,
                    paired: false,
                },
                reciprocal_counts: ReciprocalCounts::New,
                protect_members: true,
                learning_cycle_years: 0,
                learning_cycle_start: None,
            },
            itinerant: ItinerantPolicy {
                subjects: vec!["音乐".into(), "体育".into(), "美术".into()],
                scope: Scope::County,
                max_days: 2,
                periods_full_day: 4,
                periods_half_day: 2,
                max_stops: 2,
                max_minutes_day: 120.0,
                max_minutes_between: 30.0,
                min_periods_per_stop: 2,
            },
            travel: TravelPolicy {
                road_factor: 1.3,
                speed_kmh: 40.0,
            },
            weights: Weights {
                unmet: 1000.0,
                unmet_subject: BTreeMap::new(),
                non_main_subject: 2.0,
                rotation: 50.0,
                rotation_km: 0.2,
                itinerant_km: 0.5,
                promotion_bonus: 20.0,
                due_bonus: 5.0,
                willing_bonus: 15.0,
                extension_bonus: 30.0,
                violation: 100000.0,
                change: 200.0,
            },
            report: ReportPolicy {
                community_word: "共同体".into(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_are_exact_decimals() {
        let s = Share::from_f64(0.1).unwrap();
        assert_eq!(s.ceil_of(30), 3);
        assert_eq!(s.ceil_of(31), 4);
        assert_eq!(Share::from_f64(0.3).unwrap().floor_of(10), 3);
        assert_eq!(Share::from_f64(0.15).unwrap().ceil_of(20), 3);
        assert_eq!(Share::from_f64(1.0).unwrap().ceil_of(7), 7);
        assert_eq!(Share::from_f64(0.0).unwrap().ceil_of(7), 0);
        assert!(Share::from_f64(1.5).is_none());
        assert!(Share::from_f64(-0.1).is_none());
    }
}
