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
        self.teacher_ixs()
            .map(|t| {
                let te = self.teacher(t);
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

    /// May travel (走教) as far as status, ledger, willingness and pins go: `may_leave`
    /// and no `no_trips` pin.
    pub fn may_travel(&self, t: TeacherIx, f: &TeacherFacts) -> bool {
        self.may_leave(t, f) && !self.pinned(t).no_trips
    }

    /// Every allowed new move t→s of MODEL.md after the pins, in school order: a `move`
    /// pin is the only one (whatever willingness, cooldown, age and experience say: the
    /// input let it through only where the structure allows it), `stay` and `extend`
    /// leave none, `forbid` takes its school out.
    pub fn allowed_moves(&self, t: TeacherIx, f: &TeacherFacts) -> Vec<(SchoolIx, MoveKind)> {
        let te = self.teacher(t);
        let rot = &self.policy.rotation;
        let pin = self.pinned(t);
        if let Some(s) = pin.move_to {
            return self
                .move_kind_from(te.home, s)
                .map(|k| (s, k))
                .into_iter()
                .collect();
        }
        if pin.holds() || !self.may_leave(t, f) {
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
                (ok && !pin.forbid.contains(&s)).then_some((s, kind))
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
        };
        for t in self.teacher_ixs() {
            let te = self.teacher(t);
            let s = te.home.ix();
            h.teachers[s] += 1;
            h.due[s] += facts[t.ix()].due as u32;
            h.learning_eligible[s] +=
                (te.status == Status::Active && self.meets_learning_limits(t)) as u32;
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
