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
                            && (y - r.start_year) + 1 <= rot.term_years + rot.max_extension_years
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

    /// The kind of a full-time move from `t`'s home to `s`, if the community structure
    /// allows one (eligibility of the teacher aside).
    pub fn move_kind(&self, t: TeacherIx, s: SchoolIx) -> Option<MoveKind> {
        let h = self.teacher(t).home;
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
                let kind = self.move_kind(t, s)?;
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
