//! assignments.csv: who serves full time away from home in year Y, and whether each new
//! move, extension and continuing term is what MODEL.md allows.

use super::facts::{self, Facts, Structure, Term};
use super::files::{AssignRow, Kind};
use super::{codes, sid, Sink};
use crate::domain::{Dataset, PinAction, SchoolIx, TeacherIx};

/// Where a teacher works full time in year Y, as the plan writes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Place {
    Home,
    /// A row of assignments.csv: its host and kind.
    Away {
        host: SchoolIx,
        kind: Kind,
    },
}

impl Place {
    /// The full-time school, given the home school.
    pub fn school(self, home: SchoolIx) -> SchoolIx {
        match self {
            Place::Home => home,
            Place::Away { host, .. } => host,
        }
    }
    /// A new move x(t,s) = 1 (support or learning row).
    pub fn new_move(self) -> Option<SchoolIx> {
        match self {
            Place::Away {
                host,
                kind: Kind::Support | Kind::Learning,
            } => Some(host),
            _ => None,
        }
    }
}

/// Checks each row of assignments.csv (one per teacher, who it names, what kind of stay
/// it is) and that every LOCKED teacher is listed; returns each teacher's place.
pub(crate) fn check(ds: &Dataset, f: &[Facts], rows: &[AssignRow], sink: &mut Sink) -> Vec<Place> {
    let mut places = vec![Place::Home; ds.teachers.len()];
    let mut seen: Vec<Option<usize>> = vec![None; ds.teachers.len()];
    for r in rows {
        let t = r.teacher;
        let at = format!("assignments.csv:{}: {}", r.line, ds.teachers[t.ix()].id);
        if let Some(first) = seen[t.ix()] {
            sink.push(
                codes::ASSIGN_DUP,
                format!(
                    "{at} is listed again (first at line {first}); a teacher serves in one place"
                ),
            );
            continue;
        }
        seen[t.ix()] = Some(r.line);
        places[t.ix()] = Place::Away {
            host: r.host,
            kind: r.kind,
        };
        check_names(ds, f, r, &at, sink);
        match r.kind {
            Kind::Support | Kind::Learning => {
                check_new_move(ds, f, t, r, &at, sink);
                let y = ds.policy.plan_year;
                if (r.start, r.end) != (y as i64, y as i64) {
                    sink.push(
                        codes::ASSIGN,
                        format!(
                            "{at}'s new {} move runs {}-{} but a new move runs {y}-{y}",
                            r.kind.as_str(),
                            r.start,
                            r.end
                        ),
                    );
                }
            }
            Kind::Extension => check_extension(ds, &f[t.ix()], r, &at, sink),
            Kind::Continuing => check_continuing(ds, &f[t.ix()], r, &at, sink),
        }
    }
    unlisted_locked(ds, f, &places, sink);
    places
}

/// The row's name and home are the dataset's, its host is not the home, and an exempt
/// teacher is listed only for a term under way.
fn check_names(ds: &Dataset, f: &[Facts], r: &AssignRow, at: &str, sink: &mut Sink) {
    let te = &ds.teachers[r.teacher.ix()];
    let sid = |s: SchoolIx| sid(ds, s);
    if r.name != te.name {
        sink.push(
            codes::ASSIGN,
            format!(
                "{at} is named `{}` but the dataset calls it `{}`",
                r.name, te.name
            ),
        );
    }
    if r.home != te.home {
        sink.push(
            codes::ASSIGN,
            format!(
                "{at} has home {} but its home school is {}",
                sid(r.home),
                sid(te.home)
            ),
        );
    }
    if r.host == te.home {
        sink.push(
            codes::ASSIGN,
            format!(
                "{at} is listed as serving away at its own home school {}",
                sid(te.home)
            ),
        );
    }
    let exempt_locked_ok = matches!(r.kind, Kind::Continuing);
    if !f[r.teacher.ix()].active && !exempt_locked_ok {
        sink.push(
            codes::EXEMPT,
            format!(
                "{at} is exempt but is listed as a {} at {}; exempt teachers stay at home",
                r.kind.as_str(),
                sid(r.host)
            ),
        );
    }
}

/// An extension: of an ENDING term, at its school, from the term's start to Y.
fn check_extension(ds: &Dataset, ft: &Facts, r: &AssignRow, at: &str, sink: &mut Sink) {
    let y = ds.policy.plan_year;
    let sid = |s: SchoolIx| sid(ds, s);
    let Term::Ending { at: l, start } = ft.term else {
        sink.push(
            codes::EXTEND,
            format!(
                "{at} is extended but is not ENDING (an extension needs a term that ended in {} with extend = yes, within term_years + max_extension_years)",
                y - 1
            ),
        );
        return;
    };
    if r.host != l {
        sink.push(
            codes::EXTEND,
            format!(
                "{at} is extended at {} but its ending term is at {}",
                sid(r.host),
                sid(l)
            ),
        );
    }
    if (r.start, r.end) != (start as i64, y as i64) {
        sink.push(
            codes::EXTEND,
            format!(
                "{at}'s extension runs {}-{} but should run {start}-{y} (the ledger term's start to Y)",
                r.start, r.end
            ),
        );
    }
}

/// A continuing term: the LOCKED ledger term, as the ledger gives it.
fn check_continuing(ds: &Dataset, ft: &Facts, r: &AssignRow, at: &str, sink: &mut Sink) {
    let y = ds.policy.plan_year;
    let Term::Locked { at: l, start, end } = ft.term else {
        sink.push(
            codes::LOCKED,
            format!("{at} is listed as continuing but has no ledger term running into {y}"),
        );
        return;
    };
    if r.host != l || (r.start, r.end) != (start as i64, end as i64) {
        sink.push(
            codes::LOCKED,
            format!(
                "{at} is continuing at {} {}-{} but its ledger term is at {} {start}-{end}",
                sid(ds, r.host),
                r.start,
                r.end,
                sid(ds, l)
            ),
        );
    }
}

/// Every LOCKED teacher is listed as continuing.
fn unlisted_locked(ds: &Dataset, f: &[Facts], places: &[Place], sink: &mut Sink) {
    for (i, ft) in f.iter().enumerate() {
        let Term::Locked { at, start, end } = ft.term else {
            continue;
        };
        let listed = matches!(
            places[i],
            Place::Away {
                kind: Kind::Continuing,
                ..
            }
        );
        if !listed {
            sink.push(
                codes::LOCKED,
                format!(
                    "{} is LOCKED at {} ({start}-{end}) but assignments.csv does not list it as continuing",
                    ds.teachers[i].id,
                    sid(ds, at)
                ),
            );
        }
    }
}

/// A new support or learning move: structure and eligibility (MODEL.md "Full-time moves").
fn check_new_move(
    ds: &Dataset,
    f: &[Facts],
    t: TeacherIx,
    r: &AssignRow,
    at: &str,
    sink: &mut Sink,
) {
    let te = &ds.teachers[t.ix()];
    let sid = |s: SchoolIx| ds.schools[s.ix()].id.as_str();
    let host = &ds.schools[r.host.ix()];
    check_move_kind(ds, te.home, r, at, sink);
    // A pinned move overrides willingness, cooldown, age and experience (MODEL.md "Pins").
    let pinned = (te.pins.iter()).any(|p| p.action == PinAction::Move && p.school == Some(r.host));
    if f[t.ix()].active && !pinned {
        if let Some(why) = facts::leave_refusal(ds, f, t) {
            sink.push(
                codes::MOVE,
                format!("{at} may not move to {}: {why}", sid(r.host)),
            );
        }
    }
    if !te.stage.overlaps(host.stage) {
        sink.push(
            codes::MOVE,
            format!(
                "{at} may not move to {}: it teaches {} and {} is {}",
                sid(r.host),
                te.stage.as_str(),
                host.id,
                host.stage.as_str()
            ),
        );
    }
    if !pinned {
        check_kind_limits(ds, &f[t.ix()], r.kind, at, sink);
    }
}

/// The move's kind fits the community structure: support from a core to a member of its
/// community, learning the other way.
fn check_move_kind(ds: &Dataset, home: SchoolIx, r: &AssignRow, at: &str, sink: &mut Sink) {
    let sid = |s: SchoolIx| ds.schools[s.ix()].id.as_str();
    let fits = matches!(
        (r.kind, facts::structure(ds, home, r.host)),
        (Kind::Support, Some(Structure::Support(_)))
            | (Kind::Learning, Some(Structure::Learning(_)))
    );
    if !fits {
        let want = match r.kind {
            Kind::Support => "a support move goes from a core school to a member of its community",
            _ => "a learning move goes from a member school to a core of its community",
        };
        sink.push(
            codes::KIND,
            format!(
                "{at} makes a {} move {} → {}, but {want}",
                r.kind.as_str(),
                sid(home),
                sid(r.host)
            ),
        );
    }
}

/// The kind's own limits (not for a pinned move): support's least teaching years,
/// learning's age and experience.
fn check_kind_limits(ds: &Dataset, ft: &Facts, kind: Kind, at: &str, sink: &mut Sink) {
    let rot = &ds.policy.rotation;
    match kind {
        Kind::Support if ft.teaching_years < rot.support_min_teaching_years => sink.push(
            codes::MOVE,
            format!(
                "{at} may not make a support move: {} teaching years, fewer than {}",
                ft.teaching_years, rot.support_min_teaching_years
            ),
        ),
        Kind::Learning if !ft.learning_ok => sink.push(
            codes::MOVE,
            format!(
                "{at} may not make a learning move: age {} and {} teaching years are outside the limits (at least {} years; age at most {} for men, {} for women)",
                ft.age,
                ft.teaching_years,
                rot.learning_min_teaching_years,
                rot.learning_max_age_male,
                rot.learning_max_age_female
            ),
        ),
        _ => {}
    }
}
