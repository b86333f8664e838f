//! Facts MODEL.md derives from the dataset: ages, due, ledger states, who may move where.

use super::{Dataset, Gender, SchoolIx, SchoolKind, Status, TeacherIx, Willing};

/// A teacher's ledger state in the plan year (MODEL.md "Ledger state").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LedgerState {
    Free,
    /// A term under way at this school (end_year ≥ Y).
    Locked(SchoolIx),
    /// The term at this school ended in Y−1 and may be extended one year.
    Ending(SchoolIx),
}

/// Full-time move kinds (MODEL.md "Full-time moves").
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MoveKind {
    /// 支教: core → member.
    Support,
    /// 跟岗: member → core.
    Learning,
}

impl MoveKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MoveKind::Support => "support",
            MoveKind::Learning => "learning",
        }
    }
}

/// Per-teacher facts, computed once for the plan year.
#[derive(Clone, Debug, PartialEq)]
pub struct TeacherFacts {
    pub state: LedgerState,
    /// Within the cooldown window (ENDING included).
    pub cooldown: bool,
    pub due: bool,
    pub needs_rural: bool,
    /// The ledger row with the largest end_year, if any (its index in `Dataset::ledger`).
    pub last_term: Option<usize>,
    /// Rule 14: an active member teacher within the 跟岗 limits, of a stage some core of
    /// the community teaches, who has not 跟岗 in this learning cycle (always false when
    /// the cycle rule is off).
    pub cycle_pending: bool,
}

/// The 跟岗 cycle (恩施 三年一个周期) the plan year lies in (rule 14).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LearningCycle {
    /// The cycle's first school year.
    pub start: i32,
    pub years: i32,
}

impl LearningCycle {
    /// Its last school year.
    pub fn end(self) -> i32 {
        self.start + self.years - 1
    }
    /// School years from `y` to the cycle's end, `y` included.
    pub fn years_left(self, y: i32) -> i32 {
        self.start + self.years - y
    }
}

impl Dataset {
    pub fn age(&self, t: TeacherIx) -> i32 {
        self.policy.plan_year - self.teacher(t).birth_year
    }
    pub fn teaching_years(&self, t: TeacherIx) -> i32 {
        self.policy.plan_year - self.teacher(t).hire_year
    }
    pub fn years_here(&self, t: TeacherIx) -> i32 {
        self.policy.plan_year - self.teacher(t).school_since
    }

    /// The cycle of rule 14, when `rotation.learning_cycle_years` > 0: cycles of that many
    /// years follow each other from `learning_cycle_start` (default: the plan year starts
    /// one), before it as after it.
    pub fn learning_cycle(&self) -> Option<LearningCycle> {
        let rot = &self.policy.rotation;
        let years = rot.learning_cycle_years;
        if years <= 0 {
            return None;
        }
        let y = self.policy.plan_year;
        let anchor = rot.learning_cycle_start.unwrap_or(y);
        Some(LearningCycle {
            start: y - (y - anchor).rem_euclid(years),
            years,
        })
    }

    /// Per teacher, whether some ledger row is a 跟岗 term (member to one of its cores)
    /// that was served in the cycle's years (it ends in the cycle's first year or later).
    pub fn learned_in_cycle(&self, cycle: LearningCycle) -> Vec<bool> {
        let mut done = vec![false; self.teachers.len()];
        for r in &self.ledger {
            if r.end_year >= cycle.start
                && self.move_kind_from(r.from, r.to) == Some(MoveKind::Learning)
            {
                done[r.teacher.ix()] = true;
            }
        }
        done
    }

    /// Ledger facts for every teacher, indexed by teacher.
    pub fn teacher_facts(&self) -> Vec<TeacherFacts> {
        let y = self.policy.plan_year;
        let rot = &self.policy.rotation;
        let mut last: Vec<Option<usize>> = vec![None; self.teachers.len()];
        for (i, row) in self.ledger.iter().enumerate() {
            let slot = &mut last[row.teacher.ix()];
            if slot.is_none_or(|j| self.ledger[j].end_year < row.end_year) {
                *slot = Some(i);
            }
        }
        let learned = self.learning_cycle().map(|c| self.learned_in_cycle(c));
        self.teacher_ixs()
            .map(|t| {
                let te = self.teacher(t);
                // A member teacher some core of the community teaches the stage of: one
                // no core can take (a junior teacher under a primary core) cannot 跟岗.
                let member = !self.is_core(te.home)
                    && self.school(te.home).community.is_some_and(|c| {
                        self.communities[c.ix()]
                            .core
                            .iter()
                            .any(|&k| te.stage.overlaps(self.school(k).stage))
                    });
                let cycle_pending = learned.as_ref().is_some_and(|done| {
                    !done[t.ix()]
                        && member
                        && te.status == Status::Active
                        && self.meets_learning_limits(t)
                });
                let (state, cooldown) = match last[t.ix()].map(|i| &self.ledger[i]) {
                    None => (LedgerState::Free, false),
                    Some(r) => {
                        let state = if r.end_year >= y {
                            LedgerState::Locked(r.to)
                        } else if r.end_year == y - 1
                            && r.extend
                            // (Y − start) + 1 ≤ term + max extension, in integers.
                            && y - r.start_year < rot.term_years + rot.max_extension_years
                        {
                            LedgerState::Ending(r.to)
                        } else {
                            LedgerState::Free
                        };
                        let cooldown = r.end_year >= y - rot.cooldown_years && r.end_year < y;
                        (state, cooldown)
                    }
                };
                TeacherFacts {
                    state,
                    cooldown,
                    due: te.status == Status::Active && self.years_here(t) >= rot.min_years_due,
                    needs_rural: self.school(te.home).kind != SchoolKind::Rural
                        && te.rural_years < rot.promotion_rural_years,
                    last_term: last[t.ix()],
                    cycle_pending,
                }
            })
            .collect()
    }

    /// The willingness and status part shared by moves and trips: active, not LOCKED, not
    /// in cooldown unless willing, not unwilling (when the policy respects it).
    pub fn may_leave(&self, t: TeacherIx, f: &TeacherFacts) -> bool {
        let te = self.teacher(t);
        te.status == Status::Active
            && !matches!(f.state, LedgerState::Locked(_))
            && (!f.cooldown || te.willing == Willing::Yes)
            && (te.willing != Willing::No || !self.policy.rotation.respect_unwilling)
    }

    /// Meets the 跟岗 age and experience limits (used for moves and for E(s) of rule 7).
    pub fn meets_learning_limits(&self, t: TeacherIx) -> bool {
        let rot = &self.policy.rotation;
        let max_age = match self.teacher(t).gender {
            Gender::Male => rot.learning_max_age_male,
            Gender::Female => rot.learning_max_age_female,
        };
        self.teaching_years(t) >= rot.learning_min_teaching_years && self.age(t) <= max_age
    }

    /// The kind of a full-time move from home school `h` to `s`, if the community
    /// structure makes it one (support: core → member; learning: member → core).
    pub fn move_kind_from(&self, h: SchoolIx, s: SchoolIx) -> Option<MoveKind> {
        let c = self.school(h).community?;
        if self.school(s).community != Some(c) || s == h {
            return None;
        }
        match (self.is_core(h), self.is_core(s)) {
            (true, false) => Some(MoveKind::Support),
            (false, true) => Some(MoveKind::Learning),
            _ => None,
        }
    }

    /// MODEL.md's objective coefficient of a new move x(t,s): rotation weight, km weight ×
    /// δ(h,s), less the promotion, due and willing bonuses. `None` when δ is unknown.
    pub fn move_cost(
        &self,
        t: TeacherIx,
        f: &TeacherFacts,
        host: SchoolIx,
        kind: MoveKind,
    ) -> Option<f64> {
        let w = &self.policy.weights;
        let te = self.teacher(t);
        let km = self.leg(te.home, host)?.km;
        let mut cost = w.rotation + w.rotation_km * km;
        if kind == MoveKind::Support && f.needs_rural {
            cost -= w.promotion_bonus;
        }
        if f.due {
            cost -= w.due_bonus;
        }
        if te.willing == Willing::Yes {
            cost -= w.willing_bonus;
        }
        Some(cost)
    }

    /// Every allowed new move t→s of MODEL.md, in school order.
    pub fn allowed_moves(&self, t: TeacherIx, f: &TeacherFacts) -> Vec<(SchoolIx, MoveKind)> {
        let te = self.teacher(t);
        let rot = &self.policy.rotation;
        if !self.may_leave(t, f) {
            return Vec::new();
        }
        let Some(c) = self.school(te.home).community else {
            return Vec::new();
        };
        let com = &self.communities[c.ix()];
        com.core
            .iter()
            .chain(com.members.iter())
            .filter_map(|&s| {
                let kind = self.move_kind_from(te.home, s)?;
                let ok = te.stage.overlaps(self.school(s).stage)
                    && match kind {
                        MoveKind::Support => {
                            self.teaching_years(t) >= rot.support_min_teaching_years
                        }
                        MoveKind::Learning => self.meets_learning_limits(t),
                    };
                ok.then_some((s, kind))
            })
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect()
    }
}

/// Per-school headcounts the rules are taken on.
#[derive(Clone, Debug, PartialEq)]
pub struct Headcounts {
    /// N(s): every teacher whose home is s.
    pub teachers: Vec<u32>,
    /// D(s): due teachers.
    pub due: Vec<u32>,
    /// E(s): active teachers within the 跟岗 age and experience limits.
    pub learning_eligible: Vec<u32>,
    /// Rule 14: of those, the ones who have not 跟岗 in this cycle (member schools only).
    pub cycle_pending: Vec<u32>,
}

/// What rules 5 and 6 require of one core school.
#[derive(Clone, Debug, PartialEq)]
pub struct CoreRequirement {
    pub school: SchoolIx,
    pub core_share: u32,
    pub due_share: u32,
}

impl Dataset {
    pub fn headcounts(&self, facts: &[TeacherFacts]) -> Headcounts {
        let mut h = Headcounts {
            teachers: vec![0; self.schools.len()],
            due: vec![0; self.schools.len()],
            learning_eligible: vec![0; self.schools.len()],
            cycle_pending: vec![0; self.schools.len()],
        };
        for t in self.teacher_ixs() {
            let te = self.teacher(t);
            let s = te.home.ix();
            h.teachers[s] += 1;
            h.due[s] += facts[t.ix()].due as u32;
            h.learning_eligible[s] +=
                (te.status == Status::Active && self.meets_learning_limits(t)) as u32;
            h.cycle_pending[s] += facts[t.ix()].cycle_pending as u32;
        }
        h
    }

    /// Rules 5 and 6 for every core school, in community then core order.
    pub fn core_requirements(&self, n: &Headcounts) -> Vec<CoreRequirement> {
        let rot = &self.policy.rotation;
        self.communities
            .iter()
            .flat_map(|com| {
                com.core.iter().map(move |&s| CoreRequirement {
                    school: s,
                    core_share: rot.core_min_share.get(com.mode).ceil_of(n.teachers[s.ix()]),
                    due_share: rot.due_min_share.ceil_of(n.due[s.ix()]),
                })
            })
            .collect()
    }

    /// Rule 7 for every member school, in community then member order.
    pub fn learning_requirements(&self, n: &Headcounts) -> Vec<(SchoolIx, u32)> {
        let share = self.policy.rotation.learning_min_share;
        self.communities
            .iter()
            .flat_map(|com| {
                com.members
                    .iter()
                    .map(move |&s| (s, share.ceil_of(n.learning_eligible[s.ix()])))
            })
            .collect()
    }
}

/// What rule 14 asks of one member school this year.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CycleRequirement {
    pub school: SchoolIx,
    /// Its teachers still to 跟岗 in the cycle.
    pub remaining: u32,
    /// School years left in the cycle, this one included.
    pub years_left: u32,
    /// ⌈remaining / years_left⌉: this year's share, so the last year is not left with all.
    pub need: u32,
}

impl Dataset {
    /// Rule 14 for every member school, in community then member order; empty when the
    /// cycle rule is off.
    pub fn cycle_requirements(&self, n: &Headcounts) -> Vec<CycleRequirement> {
        let Some(cycle) = self.learning_cycle() else {
            return Vec::new();
        };
        let left = cycle.years_left(self.policy.plan_year) as u32;
        self.communities
            .iter()
            .flat_map(|com| com.members.iter())
            .map(|&s| {
                let remaining = n.cycle_pending[s.ix()];
                CycleRequirement {
                    school: s,
                    remaining,
                    years_left: left,
                    need: remaining.div_ceil(left),
                }
            })
            .collect()
    }
}

/// Where a teacher works full time in the plan year.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Placement {
    Home,
    /// A new move decided by the plan (x(t,s) = 1).
    New(SchoolIx, MoveKind),
    /// The ENDING term extended one year (e(t) = 1).
    Extended(SchoolIx),
    /// A LOCKED term under way.
    Continuing(SchoolIx),
}

impl Placement {
    /// The full-time school of a teacher whose home is `home`.
    pub fn school(self, home: SchoolIx) -> SchoolIx {
        match self {
            Placement::Home => home,
            Placement::New(s, _) | Placement::Extended(s) | Placement::Continuing(s) => s,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cycle_of(plan_year: i32, years: i32, start: Option<i32>) -> Option<LearningCycle> {
        let mut ds = Dataset {
            schools: vec![],
            communities: vec![],
            teachers: vec![],
            subjects: vec![],
            demand: vec![],
            distances: Default::default(),
            ledger: vec![],
            requests: vec![],
            policy: Default::default(),
        };
        ds.policy.plan_year = plan_year;
        ds.policy.rotation.learning_cycle_years = years;
        ds.policy.rotation.learning_cycle_start = start;
        ds.learning_cycle()
    }

    /// Cycles follow each other from the anchor both ways; the plan year starts one when
    /// no anchor is given; 0 switches the rule off.
    #[test]
    fn the_cycle_of_a_plan_year() {
        let c = |y, s| cycle_of(y, 3, s).map(|c| (c.start, c.end(), c.years_left(y)));
        assert_eq!(c(2026, Some(2025)), Some((2025, 2027, 2)));
        assert_eq!(c(2027, Some(2025)), Some((2025, 2027, 1)));
        assert_eq!(c(2028, Some(2025)), Some((2028, 2030, 3)));
        assert_eq!(c(2024, Some(2025)), Some((2022, 2024, 1)));
        assert_eq!(c(2020, Some(2025)), Some((2019, 2021, 2)));
        assert_eq!(c(2026, None), Some((2026, 2028, 3)));
        assert_eq!(cycle_of(2026, 0, Some(2025)), None);
        assert_eq!(cycle_of(2026, 1, Some(2025)).map(|c| c.start), Some(2026));
    }
}
