//! Where each decision's column is, and the decisions read back from HiGHS's values.

use std::collections::BTreeMap;

use crate::domain::{Dataset, MoveKind, Placement, SchoolIx, SubjectIx, TeacherIx, Trip};
use crate::model::Decisions;

/// Periods column y(t,s,k), split by where they are taught: at a full-time place (rule 1)
/// or on trips (rule 2). A stop that is also a possible host keeps both, as lungang does.
pub(super) struct Y {
    pub t: TeacherIx,
    pub s: SchoolIx,
    pub k: SubjectIx,
    pub ix: usize,
}

/// Each teacher's columns by index, and the places no column decides (LOCKED terms).
pub(super) struct ReadBack {
    /// x(t,s): new moves.
    pub x: Vec<Vec<(SchoolIx, MoveKind, usize)>>,
    /// e(t): an ENDING term extended at its place.
    pub e: Vec<Option<(SchoolIx, usize)>>,
    /// w(t,j): trip days.
    pub w: Vec<Vec<(Trip, usize)>>,
    pub fixed: Vec<Placement>,
    pub ys: Vec<Y>,
}

impl ReadBack {
    pub fn new(ds: &Dataset) -> Self {
        let n = ds.teachers.len();
        ReadBack {
            x: vec![Vec::new(); n],
            e: vec![None; n],
            w: vec![Vec::new(); n],
            fixed: vec![Placement::Home; n],
            ys: Vec::new(),
        }
    }

    /// The decisions of the column values `v`.
    pub fn decisions(&self, ds: &Dataset, v: &[f64]) -> Decisions {
        let on = |ix: usize| v[ix].round() as i64;
        let mut placement = self.fixed.clone();
        let mut trip_days = vec![Vec::new(); ds.teachers.len()];
        for t in ds.teacher_ixs() {
            if let Some((l, ix)) = self.e[t.ix()] {
                if on(ix) > 0 {
                    placement[t.ix()] = Placement::Extended(l);
                }
            }
            for &(s, kind, ix) in &self.x[t.ix()] {
                if on(ix) > 0 {
                    placement[t.ix()] = Placement::New(s, kind);
                }
            }
            for (trip, ix) in &self.w[t.ix()] {
                for _ in 0..on(*ix).max(0) {
                    trip_days[t.ix()].push(trip.clone());
                }
            }
        }
        let mut per: BTreeMap<(TeacherIx, SchoolIx, SubjectIx), u32> = BTreeMap::new();
        for y in &self.ys {
            let p = on(y.ix).max(0) as u32;
            if p > 0 {
                *per.entry((y.t, y.s, y.k)).or_default() += p;
            }
        }
        Decisions {
            placement,
            trip_days,
            periods: per.into_iter().map(|((t, s, k), p)| (t, s, k, p)).collect(),
        }
    }
}
