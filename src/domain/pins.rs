//! The planner's own decisions (pins.csv, MODEL.md "Pins") and the place a kept plan gave
//! each teacher (`plan --keep`). Pins hold exactly; `input` has already refused those the
//! community and stage structure forbids and those that contradict each other.

use super::{Dataset, LedgerState, SchoolIx, TeacherFacts, TeacherIx};

/// The actions of pins.csv.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PinAction {
    /// 留任: no move, no extension (an ENDING term ends).
    Stay,
    /// 交流: a new move to the pin's school.
    Move,
    /// 禁止: no new move to the pin's school.
    Forbid,
    /// 延期: the ENDING term is extended.
    Extend,
    /// 不走教: no trip days.
    NoTrips,
}

impl PinAction {
    pub const ALL: [PinAction; 5] = [
        PinAction::Stay,
        PinAction::Move,
        PinAction::Forbid,
        PinAction::Extend,
        PinAction::NoTrips,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            PinAction::Stay => "stay",
            PinAction::Move => "move",
            PinAction::Forbid => "forbid",
            PinAction::Extend => "extend",
            PinAction::NoTrips => "no_trips",
        }
    }
    pub fn zh(self) -> &'static str {
        match self {
            PinAction::Stay => "留任",
            PinAction::Move => "交流",
            PinAction::Forbid => "禁止",
            PinAction::Extend => "延期",
            PinAction::NoTrips => "不走教",
        }
    }
    /// Move and forbid name a school; the others do not.
    pub fn needs_school(self) -> bool {
        matches!(self, PinAction::Move | PinAction::Forbid)
    }
}

/// One pin of a teacher.
#[derive(Clone, Debug, PartialEq)]
pub struct Pin {
    pub action: PinAction,
    pub school: Option<SchoolIx>,
    pub note: String,
}

/// Where a kept plan had a teacher working full time in Y.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kept {
    /// No plan is kept.
    #[default]
    No,
    At(SchoolIx),
    /// At a school outside this dataset (a part solved alone): every place differs.
    Elsewhere,
}

/// A teacher's pins read together.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Pinned {
    pub stay: bool,
    pub move_to: Option<SchoolIx>,
    pub forbid: Vec<SchoolIx>,
    pub extend: bool,
    pub no_trips: bool,
}

impl Pinned {
    /// The teacher's full-time place is set by a pin (a move or an extension).
    pub fn fixes_place(&self) -> bool {
        self.move_to.is_some() || self.extend
    }
    /// No new move and no extension may be decided for the teacher but the pinned one.
    pub fn holds(&self) -> bool {
        self.stay || self.fixes_place()
    }
}

impl Dataset {
    pub fn pinned(&self, t: TeacherIx) -> Pinned {
        let mut p = Pinned::default();
        for pin in &self.teacher(t).pins {
            match (pin.action, pin.school) {
                (PinAction::Stay, _) => p.stay = true,
                (PinAction::Move, s) => p.move_to = s,
                (PinAction::Forbid, Some(s)) => p.forbid.push(s),
                (PinAction::Forbid, None) => {}
                (PinAction::Extend, _) => p.extend = true,
                (PinAction::NoTrips, _) => p.no_trips = true,
            }
        }
        p
    }

    /// Whether a plan is kept (`plan --keep`): then every teacher has a kept place.
    pub fn keeps_plan(&self) -> bool {
        self.teachers.iter().any(|t| t.kept != Kept::No)
    }

    /// MODEL.md's change term of teacher `t` working full time at `place`:
    /// `weights.change` when a plan is kept and the place differs from it.
    pub fn change_cost(&self, t: TeacherIx, place: SchoolIx) -> f64 {
        match self.teacher(t).kept {
            Kept::No => 0.0,
            Kept::At(s) if s == place => 0.0,
            _ => self.policy.weights.change,
        }
    }

    /// The change cost of `t` at home, which the model counts as a constant: the model's
    /// columns carry only the difference from it (`model::classes`).
    pub fn change_at_home(&self, t: TeacherIx, f: &TeacherFacts) -> f64 {
        let te = self.teacher(t);
        let fixed = match f.state {
            LedgerState::Locked(l) => l,
            _ => te.home,
        };
        self.change_cost(t, fixed)
    }
}
