//! The plan value: who works where, who teaches what, the weekly routes, coverage, the
//! rules as reached and the objective of MODEL.md, all computed from the decisions.
//! Writers in `write` turn it into the plan folder of docs/outputs.md.

mod rules;
pub mod schedule;
mod why;
mod write;

use std::collections::BTreeMap;

use crate::domain::{
    Dataset, Kept, LedgerEntry, MoveKind, Placement, SchoolIx, SubjectIx, TeacherFacts, TeacherIx,
};
use crate::model::{self, Decisions, ModelError, ModelStats, SolveStatus, SolverSettings};
pub use rules::{request_scope, why_not_moved, RuleResult};
pub use schedule::{Day, Stop};
pub use why::Why;
pub use write::{num, plan_files, status_word, summary_json, write_folder, WriteError};

/// The kind column of assignments.csv.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum AssignmentKind {
    Support,
    Learning,
    Extension,
    Continuing,
}

impl AssignmentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AssignmentKind::Support => "support",
            AssignmentKind::Learning => "learning",
            AssignmentKind::Extension => "extension",
            AssignmentKind::Continuing => "continuing",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Assignment {
    pub teacher: TeacherIx,
    pub host: SchoolIx,
    pub kind: AssignmentKind,
    pub start_year: i32,
    pub end_year: i32,
    /// Why this name is on the list (`why`), filled once the plan is whole.
    pub why: Why,
}

#[derive(Clone, Debug, PartialEq)]
pub struct CoverageRow {
    pub school: SchoolIx,
    pub subject: SubjectIx,
    pub demand: u32,
    pub covered: u32,
    pub unmet: u32,
    pub unmet_before: u32,
}

/// Each term of MODEL.md's objective; they add up to `Plan::objective`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Terms {
    pub unmet: f64,
    pub non_main_subject: f64,
    pub rotation: f64,
    pub itinerant_km: f64,
    pub extension: f64,
    pub violation: f64,
    /// `weights.change` per teacher whose place differs from the kept plan's; `None`
    /// without `plan --keep`.
    pub change: Option<f64>,
}

impl Terms {
    pub fn total(&self) -> f64 {
        self.unmet
            + self.non_main_subject
            + self.rotation
            + self.itinerant_km
            + self.extension
            + self.violation
            + self.change.unwrap_or(0.0)
    }
}

/// A teacher whose full-time place in Y differs from the kept plan's (`plan --keep`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub teacher: TeacherIx,
    pub before: SchoolIx,
    pub after: SchoolIx,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub support: u32,
    pub learning: u32,
    pub extension: u32,
    pub continuing: u32,
    pub trip_days: u32,
    pub unmet_periods: u32,
    pub unmet_periods_before: u32,
}

/// How the solve went, as the summary reports it.
#[derive(Clone, Debug, PartialEq)]
pub struct SolveReport {
    pub status: SolveStatus,
    pub bound: f64,
    pub seconds: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    pub solve: SolveReport,
    pub placement: Vec<Placement>,
    /// Sorted by teacher id.
    pub assignments: Vec<Assignment>,
    /// y(t,s,k) > 0, sorted by teacher id, school id, subject.
    pub teaching: Vec<(TeacherIx, SchoolIx, SubjectIx, u32)>,
    /// Per teacher (indexed by teacher), the scheduled trip-days.
    pub routes: Vec<Vec<Day>>,
    /// Sorted by school id, subject.
    pub coverage: Vec<CoverageRow>,
    pub ledger: Vec<LedgerEntry>,
    pub terms: Terms,
    pub objective: f64,
    pub counts: Counts,
    pub rules: Vec<RuleResult>,
    /// With a kept plan, each teacher placed elsewhere than it, sorted by teacher id.
    pub changes: Option<Vec<Change>>,
}

impl Plan {
    /// Relative gap as HiGHS defines it: (objective − bound) / |objective|; 0 when equal.
    pub fn gap(&self) -> f64 {
        let (ub, lb) = (self.objective, self.solve.bound.min(self.objective));
        if ub == lb {
            0.0
        } else if ub == 0.0 {
            f64::INFINITY
        } else {
            (ub - lb) / ub.abs()
        }
    }

    /// Rules with a shortfall.
    pub fn broken_rules(&self) -> impl Iterator<Item = &RuleResult> {
        self.rules.iter().filter(|r| !r.ok)
    }

    /// Puts the decisions together with the dataset into the plan value.
    pub fn assemble(
        ds: &Dataset,
        d: &Decisions,
        unmet_before: &BTreeMap<(SchoolIx, SubjectIx), u32>,
        solve: SolveReport,
    ) -> Plan {
        let facts = ds.teacher_facts();
        let (assignments, ledger) = assignments_and_ledger(ds, &facts, &d.placement);
        let coverage = coverage(ds, &d.periods, unmet_before);
        let rules = rules::evaluate(ds, &facts, &d.placement, &coverage);
        let changes = changes(ds, &d.placement);
        let mut terms = terms(ds, &facts, d, &coverage, &rules);
        terms.change = (changes.as_ref()).map(|c| ds.policy.weights.change * c.len() as f64);
        let counts = Counts {
            support: count(&assignments, AssignmentKind::Support),
            learning: count(&assignments, AssignmentKind::Learning),
            extension: count(&assignments, AssignmentKind::Extension),
            continuing: count(&assignments, AssignmentKind::Continuing),
            trip_days: d.trip_days.iter().map(|v| v.len() as u32).sum(),
            unmet_periods: coverage.iter().map(|c| c.unmet).sum(),
            unmet_periods_before: coverage.iter().map(|c| c.unmet_before).sum(),
        };
        let mut plan = Plan {
            solve,
            placement: d.placement.clone(),
            assignments,
            teaching: teaching(ds, &d.periods),
            routes: routes(ds, d),
            coverage,
            ledger,
            objective: terms.total(),
            terms,
            counts,
            rules,
            changes,
        };
        let reasons = why::explain_all(ds, &facts, &plan);
        for (a, w) in plan.assignments.iter_mut().zip(reasons) {
            a.why = w;
        }
        plan
    }
}

/// Periods a week of a teacher, at a school, of a subject (teaching.csv's row).
type Period = (TeacherIx, SchoolIx, SubjectIx, u32);

/// Who serves away from home in Y (by teacher id), and the ledger with this year's
/// extensions and new terms.
fn assignments_and_ledger(
    ds: &Dataset,
    facts: &[TeacherFacts],
    placement: &[Placement],
) -> (Vec<Assignment>, Vec<LedgerEntry>) {
    let y = ds.policy.plan_year;
    let mut assignments = Vec::new();
    let mut ledger = ds.ledger.clone();
    let mut new_rows = Vec::new();
    for t in ds.teacher_ixs() {
        let f = &facts[t.ix()];
        let row = |host, kind, start_year, end_year| Assignment {
            teacher: t,
            host,
            kind,
            start_year,
            end_year,
            why: Why::default(),
        };
        match placement[t.ix()] {
            Placement::Home => {}
            Placement::New(s, k) => {
                let kind = match k {
                    MoveKind::Support => AssignmentKind::Support,
                    MoveKind::Learning => AssignmentKind::Learning,
                };
                assignments.push(row(s, kind, y, y));
                new_rows.push(LedgerEntry {
                    teacher: t,
                    from: ds.teacher(t).home,
                    to: s,
                    start_year: y,
                    end_year: y,
                    extend: false,
                });
            }
            Placement::Extended(s) => {
                let i = f.last_term.expect("an ENDING teacher has a ledger row");
                let start = ds.ledger[i].start_year;
                assignments.push(row(s, AssignmentKind::Extension, start, y));
                ledger[i].end_year = y;
                ledger[i].extend = false;
            }
            Placement::Continuing(s) => {
                let i = f.last_term.expect("a LOCKED teacher has a ledger row");
                let r = &ds.ledger[i];
                assignments.push(row(s, AssignmentKind::Continuing, r.start_year, r.end_year));
            }
        }
    }
    let by_id = |t: &TeacherIx| ds.teacher(*t).id.clone();
    assignments.sort_by_key(|a| by_id(&a.teacher));
    new_rows.sort_by_key(|r| by_id(&r.teacher));
    ledger.extend(new_rows);
    (assignments, ledger)
}

/// teaching.csv's rows: by teacher id, school id, subject.
fn teaching(ds: &Dataset, periods: &[Period]) -> Vec<Period> {
    let mut teaching = periods.to_vec();
    let key = |a: &Period| {
        (
            &ds.teacher(a.0).id,
            &ds.school(a.1).id,
            ds.subject_name(a.2),
        )
    };
    teaching.sort_by(|a, b| key(a).cmp(&key(b)));
    teaching
}

/// The week's trip-days: each teacher's trips given weekdays, with the periods taught at
/// each stop (those at a school other than the teacher's full-time place).
fn routes(ds: &Dataset, d: &Decisions) -> Vec<Vec<Day>> {
    let mut trip_periods: BTreeMap<(TeacherIx, SchoolIx), u32> = BTreeMap::new();
    for &(t, s, _, p) in &d.periods {
        if s != d.placement[t.ix()].school(ds.teacher(t).home) {
            *trip_periods.entry((t, s)).or_default() += p;
        }
    }
    schedule::schedule_week(ds, &d.trip_days, |t, s| {
        trip_periods.get(&(t, s)).copied().unwrap_or(0)
    })
}

/// coverage.csv's rows: every demand row with what the plan covers, and what nobody
/// moving leaves unmet; by school id, subject.
fn coverage(
    ds: &Dataset,
    periods: &[Period],
    unmet_before: &BTreeMap<(SchoolIx, SubjectIx), u32>,
) -> Vec<CoverageRow> {
    let mut covered: BTreeMap<(SchoolIx, SubjectIx), u32> = BTreeMap::new();
    for &(_, s, k, p) in periods {
        *covered.entry((s, k)).or_default() += p;
    }
    let mut coverage: Vec<CoverageRow> = ds
        .demand
        .iter()
        .filter(|r| r.periods > 0)
        .map(|r| {
            let c = covered.get(&(r.school, r.subject)).copied().unwrap_or(0);
            CoverageRow {
                school: r.school,
                subject: r.subject,
                demand: r.periods,
                covered: c,
                unmet: r.periods.saturating_sub(c),
                unmet_before: (unmet_before.get(&(r.school, r.subject)))
                    .copied()
                    .unwrap_or(0),
            }
        })
        .collect();
    coverage.sort_by(|a, b| {
        (&ds.school(a.school).id, ds.subject_name(a.subject))
            .cmp(&(&ds.school(b.school).id, ds.subject_name(b.subject)))
    });
    coverage
}

/// Each teacher whose place in Y differs from the kept plan's, by teacher id; `None`
/// when no plan is kept.
fn changes(ds: &Dataset, placement: &[Placement]) -> Option<Vec<Change>> {
    if !ds.keeps_plan() {
        return None;
    }
    let mut out: Vec<Change> = ds
        .teacher_ixs()
        .filter_map(|t| {
            let te = ds.teacher(t);
            let after = placement[t.ix()].school(te.home);
            match te.kept {
                Kept::At(before) if before == after => None,
                Kept::At(before) => Some(Change {
                    teacher: t,
                    before,
                    after,
                }),
                _ => None,
            }
        })
        .collect();
    out.sort_by(|a, b| ds.teacher(a.teacher).id.cmp(&ds.teacher(b.teacher).id));
    Some(out)
}

fn count(a: &[Assignment], kind: AssignmentKind) -> u32 {
    a.iter().filter(|x| x.kind == kind).count() as u32
}

/// MODEL.md's objective, term by term, of the decisions as they will be written.
fn terms(
    ds: &Dataset,
    facts: &[TeacherFacts],
    d: &Decisions,
    coverage: &[CoverageRow],
    rules: &[RuleResult],
) -> Terms {
    let w = &ds.policy.weights;
    let mut t = Terms::default();
    for c in coverage {
        t.unmet += w.unmet * ds.unmet_mult(c.school, c.subject) * c.unmet as f64;
    }
    for &(teacher, _, k, p) in &d.periods {
        if k != ds.teacher(teacher).subject {
            t.non_main_subject += w.non_main_subject * p as f64;
        }
    }
    for teacher in ds.teacher_ixs() {
        let f = &facts[teacher.ix()];
        match d.placement[teacher.ix()] {
            Placement::New(s, kind) => {
                t.rotation += ds.move_cost(teacher, f, s, kind).unwrap_or(0.0);
            }
            Placement::Extended(_) => t.extension -= w.extension_bonus,
            _ => {}
        }
        for trip in &d.trip_days[teacher.ix()] {
            t.itinerant_km += w.itinerant_km * trip.km;
        }
    }
    t.violation = w.violation * rules.iter().map(|r| r.shortfall).sum::<f64>();
    t
}

/// What `solve` gives: a plan, or the news that none was found in time.
#[derive(Clone, Debug)]
pub enum Solved {
    Plan(Box<Plan>),
    NoPlan { bound: f64, seconds: f64 },
}

/// The whole planning job on a checked dataset: the no-move baseline, the MILP, the
/// per-teacher periods, and the plan value.
pub fn solve(ds: &Dataset, set: &SolverSettings) -> Result<(Solved, ModelStats), ModelError> {
    let started = std::time::Instant::now();
    let before = model::unmet_before(ds, set)?;
    // The time limit is the whole job's.
    let rest = SolverSettings {
        time_limit: (set.time_limit - started.elapsed().as_secs_f64()).max(0.0),
        ..set.clone()
    };
    let out = model::optimise(ds, &rest)?;
    let report = SolveReport {
        status: out.status,
        bound: out.bound,
        seconds: out.seconds,
    };
    let solved = match out.decisions {
        None => Solved::NoPlan {
            bound: out.bound,
            seconds: out.seconds,
        },
        Some(d) => {
            let mut plan = Plan::assemble(ds, &d, &before, report);
            // The status is judged on the plan as written, against the requested gap.
            if plan.solve.status == SolveStatus::Optimal && plan.gap() > set.gap + 1e-9 {
                plan.solve.status = SolveStatus::Feasible;
            }
            Solved::Plan(Box::new(plan))
        }
    };
    Ok((solved, out.stats))
}
