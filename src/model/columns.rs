//! The columns of the class MILP and the counts its rows are written in: who stays at
//! home, who works full time at a school, who serves away and as what. The builder
//! (`build.rs`), the rule rows (`rules.rs`) and the whole-teacher rows (`rounding.rs`)
//! share them.

use good_lp::{Expression, Variable};

use super::classes::{Base, Class};
use crate::domain::{Dataset, MoveKind, SchoolIx, SubjectIx};

/// A column: its good_lp handle and its index in the HiGHS model (columns are numbered in
/// the order they are added).
#[derive(Clone, Copy, Debug)]
pub struct Col {
    pub var: Variable,
    pub ix: usize,
}

/// Period variables of one class: full-time periods at a place, or trip periods at a stop.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum PeriodKind {
    FullTime,
    Trip,
}

#[derive(Clone, Copy, Debug)]
pub struct PeriodVar {
    pub class: usize,
    pub school: SchoolIx,
    pub subject: SubjectIx,
    pub kind: PeriodKind,
    pub col: Col,
}

/// The count of a class's teachers working full time at `s`, as an affine expression of
/// its decisions: stayers at home, extended ones at L, movers at their hosts, LOCKED and
/// exempt ones fixed.
pub fn full_time_count(c: &Class, x: &[Col], e: Option<Col>, s: SchoolIx) -> Option<Expression> {
    let n = c.n() as f64;
    match c.base {
        Base::Locked(l) => (l == s).then(|| Expression::from(n)),
        Base::Exempt => (c.home == s).then(|| Expression::from(n)),
        Base::Home => {
            let mut expr = Expression::default();
            let mut any = false;
            if s == c.home {
                expr += stayers(c, x, e);
                any = true;
            }
            if let (Some(l), Some(e)) = (c.ending, e) {
                if l == s {
                    expr += e.var;
                    any = true;
                }
            }
            for (m, mv) in c.moves.iter().enumerate() {
                if mv.host == s {
                    expr += x[m].var;
                    any = true;
                }
            }
            any.then_some(expr)
        }
    }
}

/// n − e − Σx: the class's teachers who stay at home.
pub fn stayers(c: &Class, x: &[Col], e: Option<Col>) -> Expression {
    let mut expr = Expression::from(c.n() as f64);
    for col in x.iter().chain(e.iter()) {
        expr -= col.var;
    }
    expr
}

/// A class's teachers serving full time away from home at one host.
pub struct Mover {
    pub host: SchoolIx,
    /// Support or learning by structure; `None` for other placements (rules 10-11, 13).
    pub kind: Option<MoveKind>,
    /// A new move x (not a term under way nor an extension).
    pub new: bool,
    /// How many: an affine expression of the decisions (a constant for LOCKED).
    pub count: Expression,
}

/// Full-time movers of one class by structure, for the rules.
pub fn class_movers(ds: &Dataset, c: &Class, x: &[Col], e: Option<Col>) -> Vec<Mover> {
    let mut out = Vec::new();
    let serving = |host: SchoolIx, count: Expression| Mover {
        host,
        kind: ds.move_kind_from(c.home, host),
        new: false,
        count,
    };
    match c.base {
        Base::Locked(l) => out.push(serving(l, Expression::from(c.n() as f64))),
        Base::Exempt => {}
        Base::Home => {
            if let (Some(l), Some(e)) = (c.ending, e) {
                out.push(serving(l, Expression::from(e.var)));
            }
            for (m, mv) in c.moves.iter().enumerate() {
                out.push(Mover {
                    host: mv.host,
                    kind: Some(mv.kind),
                    new: true,
                    count: Expression::from(x[m].var),
                });
            }
        }
    }
    out
}
