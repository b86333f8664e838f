//! Coverage (rule 4) and the elastic rules 5-14, each row with its own shortfall column
//! priced `weights.violation`, in MODEL.md's order.

use std::collections::BTreeMap;

use good_lp::{variable, Expression, Variable};

use super::Literal;
use crate::domain::{
    Dataset, Headcounts, MoveKind, ReciprocalCounts, RequestKind, SchoolIx, SubjectIx, TeacherIx,
};

/// Mover counts of rules 5-13 as expressions: constants (LOCKED terms) plus columns.
#[derive(Default)]
pub(super) struct Counts {
    support_from: BTreeMap<SchoolIx, Expression>,
    learning_from: BTreeMap<SchoolIx, Expression>,
    /// Learners still to 跟岗 in the cycle (rule 14).
    cycle_learning_from: BTreeMap<SchoolIx, Expression>,
    /// New moves x only (rule 9 with counts = "new").
    new_support_from: BTreeMap<SchoolIx, Expression>,
    new_learning_from: BTreeMap<SchoolIx, Expression>,
    support_all: Expression,
    support_backbone: Expression,
    outflow: BTreeMap<SchoolIx, Expression>,
    incoming: BTreeMap<SchoolIx, Expression>,
    /// By host and main subject, and cadres by host (rule 13).
    incoming_subject: BTreeMap<(SchoolIx, SubjectIx), Expression>,
    incoming_cadres: BTreeMap<SchoolIx, Expression>,
}

impl Counts {
    /// Counts teacher `t` at home `h` whose full-time place is `s` with weight `x` (1 or a
    /// column); `new` for a new move x(t,s).
    pub fn serve(&mut self, ds: &Dataset, t: TeacherIx, s: SchoolIx, new: bool, x: Expression) {
        self.serve_as(ds, t, s, (new, false), x)
    }

    /// `serve`, with `pending` when the teacher is still to 跟岗 in the cycle.
    pub fn serve_as(
        &mut self,
        ds: &Dataset,
        t: TeacherIx,
        s: SchoolIx,
        (new, pending): (bool, bool),
        x: Expression,
    ) {
        let te = ds.teacher(t);
        let h = te.home;
        match ds.move_kind_from(h, s) {
            Some(MoveKind::Support) => {
                *self.support_from.entry(h).or_default() += x.clone();
                if new {
                    *self.new_support_from.entry(h).or_default() += x.clone();
                }
                self.support_all += x.clone();
                if te.backbone {
                    self.support_backbone += x.clone();
                }
            }
            Some(MoveKind::Learning) => {
                *self.learning_from.entry(h).or_default() += x.clone();
                if pending {
                    *self.cycle_learning_from.entry(h).or_default() += x.clone();
                }
                if new {
                    *self.new_learning_from.entry(h).or_default() += x.clone();
                }
            }
            None => {}
        }
        *self.outflow.entry(h).or_default() += x.clone();
        *self.incoming_subject.entry((s, te.subject)).or_default() += x.clone();
        if te.role.is_cadre() {
            *self.incoming_cadres.entry(s).or_default() += x.clone();
        }
        *self.incoming.entry(s).or_default() += x;
    }
}

/// A school's count in `m`, 0 when it has none.
fn get(m: &BTreeMap<SchoolIx, Expression>, s: SchoolIx) -> Expression {
    m.get(&s).cloned().unwrap_or_default()
}

impl Literal<'_> {
    /// Rule 4: coverage with u(s,k). Returns Σ_k mult·u per school, for rule 12.
    pub(super) fn coverage(&mut self) -> BTreeMap<SchoolIx, Expression> {
        let ds = self.ds;
        let mut weighted_unmet: BTreeMap<SchoolIx, Expression> = BTreeMap::new();
        for d in ds.demand.iter().filter(|d| d.periods > 0) {
            let (u, _) = self.cols.add(variable().min(0).max(d.periods as f64));
            let mult = ds.unmet_mult(d.school, d.subject);
            self.obj += ds.policy.weights.unmet * mult * u;
            *weighted_unmet.entry(d.school).or_default() += mult * u;
            let sum = self
                .cover
                .remove(&(d.school, d.subject))
                .unwrap_or_default();
            self.rows.push((sum + u).geq(d.periods as f64));
        }
        weighted_unmet
    }

    /// Rules 5-14, elastic; `weighted_unmet` from `coverage`.
    pub(super) fn rules(&mut self, weighted_unmet: BTreeMap<SchoolIx, Expression>) {
        let n = self.ds.headcounts(self.facts);
        self.shares(&n);
        self.reciprocal();
        self.members(weighted_unmet);
        self.requests();
        self.cycle(&n);
        self.caps(&n);
    }

    /// A shortfall column v ≥ 0 priced `weights.violation`.
    fn slack(&mut self) -> Variable {
        let (v, _) = self.cols.add(variable().min(0));
        self.obj += self.ds.policy.weights.violation * v;
        v
    }

    /// Rules 5-8: the cores' core and due shares, the members' learning share, and the
    /// county's backbone share.
    fn shares(&mut self, n: &Headcounts) {
        let ds = self.ds;
        for req in ds.core_requirements(n) {
            for need in [req.core_share, req.due_share] {
                if need > 0 {
                    let v = self.slack();
                    let sent = get(&self.counts.support_from, req.school);
                    self.rows.push((sent + v).geq(need as f64));
                }
            }
        }
        for (s, need) in ds.learning_requirements(n) {
            if need > 0 {
                let v = self.slack();
                let sent = get(&self.counts.learning_from, s);
                self.rows.push((sent + v).geq(need as f64));
            }
        }
        let share = ds.policy.rotation.backbone_min_share.as_f64();
        if share > 0.0 {
            let v = self.slack();
            let c = &self.counts;
            let backbone = c.support_backbone.clone() - share * c.support_all.clone();
            self.rows.push((backbone + v).geq(0.0));
        }
    }

    /// Rule 9: as many learners as supports in each reciprocal community, one shortfall
    /// column each way.
    fn reciprocal(&mut self) {
        let ds = self.ds;
        let rot = &ds.policy.rotation;
        for (ci, com) in ds.communities.iter().enumerate() {
            if !rot.reciprocal.get(com.mode) {
                continue;
            }
            let in_com = |s: &SchoolIx| ds.school(*s).community.map(|c| c.ix()) == Some(ci);
            let sum = |m: &BTreeMap<SchoolIx, Expression>| {
                m.iter()
                    .filter(|(s, _)| in_com(s))
                    .fold(Expression::default(), |a, (_, e)| a + e.clone())
            };
            let c = &self.counts;
            let (support_from, learning_from) = match rot.reciprocal_counts {
                ReciprocalCounts::New => (&c.new_support_from, &c.new_learning_from),
                ReciprocalCounts::Serving => (&c.support_from, &c.learning_from),
            };
            let balance = sum(learning_from) - sum(support_from);
            let (v1, v2) = (self.slack(), self.slack());
            self.rows.push((balance + v1 - v2).eq(0.0));
        }
    }

    /// Rule 12: each member no worse off than with nobody moving.
    fn members(&mut self, mut weighted_unmet: BTreeMap<SchoolIx, Expression>) {
        let ds = self.ds;
        if !ds.policy.rotation.protect_members {
            return;
        }
        let alone = ds.unmet_alone(self.facts);
        for &s in ds.communities.iter().flat_map(|c| &c.members) {
            if let Some(unmet) = weighted_unmet.remove(&s) {
                let v = self.slack();
                self.rows.push((unmet - v).leq(alone[s.ix()]));
            }
        }
    }

    /// Rule 13: requests for teachers of a subject, or for cadres.
    fn requests(&mut self) {
        for r in &self.ds.requests {
            let served = match r.kind {
                RequestKind::Teacher(k) => self.counts.incoming_subject.get(&(r.school, k)),
                RequestKind::Cadre => self.counts.incoming_cadres.get(&r.school),
            };
            let served = served.cloned().unwrap_or_default();
            let v = self.slack();
            self.rows.push((served + v).geq(r.count as f64));
        }
    }

    /// Rule 14: this year's share of the cycle's remaining learners.
    fn cycle(&mut self, n: &Headcounts) {
        for req in self.ds.cycle_requirements(n) {
            if req.need > 0 {
                let v = self.slack();
                let got = get(&self.counts.cycle_learning_from, req.school);
                self.rows.push((got + v).geq(req.need as f64));
            }
        }
    }

    /// Rules 10 and 11: each school's outflow cap and housing.
    fn caps(&mut self, n: &Headcounts) {
        let ds = self.ds;
        let rot = &ds.policy.rotation;
        for s in ds.school_ixs() {
            if let Some(out) = self.counts.outflow.get(&s).cloned() {
                let cap = rot.max_outflow_share.floor_of(n.teachers[s.ix()]) as f64;
                let v = self.slack();
                self.rows.push((out - v).leq(cap));
            }
            let incoming = self.counts.incoming.get(&s).cloned();
            if let (Some(inc), Some(housing)) = (incoming, ds.school(s).housing) {
                let v = self.slack();
                self.rows.push((inc - v).leq(housing as f64));
            }
        }
    }
}
