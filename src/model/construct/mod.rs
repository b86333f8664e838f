//! Stage 1 of the solve (docs/model.md §5): a plan at once, built as a bureau planner
//! would, rule by rule, so that the searches after it start from a plan that meets every
//! rule the data lets it meet.
//!
//! Contract: `start(ds)` returns decisions for every teacher of `ds` that MODEL.md allows
//! (moves within communities, within the caps of rules 10 and 11 unless breaking one
//! lets more learners go than it breaks, trips within J(t) and rule 2's least periods a
//! stop), deterministically (ties fall to index order). It never makes a member school
//! worse off than it stands before any move unless a rule it meets forces that, and
//! then rule 12's repair tries to undo it. It is a heuristic: it proves nothing.
//!
//! Steps, in order: terms under way, pinned moves and extensions, other extensions;
//! everyone teaches at home; requests (rule 13); the cores' quotas (rules 5, 6) and the
//! members' learners, each backfilled, by 走教 where it can (rules 7, 12), and past a
//! full house or a core's outflow cap where that breaks fewer rules, learners first where
//! members must send them; the largest shortages by the nearest teacher who
//! can be spared; equal numbers each way (rule 9); the backbone share (rule 8); 音体美
//! trips; learners taken back tried again around those trips, and the backbone share
//! again; members left worse off repaired (rule 12).

mod balance;
mod learners;
mod quotas;
mod reach;
mod state;
mod trips;

use state::State;

use super::Decisions;
use crate::domain::{Dataset, LedgerState, MoveKind, Placement, Status};

/// The construction's plan of `ds`.
pub fn start(ds: &Dataset) -> Decisions {
    let mut st = State::new(ds);
    terms(&mut st);
    for s in ds.school_ixs() {
        st.resolve(s);
    }
    // What rule 12 protects: each school's weighted unmet periods with nobody moving,
    // ENDING teachers back home (B(s)). Not the state after `terms`: an extension to a
    // member is a decision, and the room it leaves there is the member's to spend on
    // learners (the `enshi` profile's L county: S184, covered whole by a core teacher's
    // extension, 17 below B(s), sent none of the 3 learners it must; its start 75 → 57
    // people short).
    let before: Vec<f64> = ds.unmet_alone(&st.facts);
    let t0 = std::time::Instant::now();
    let trace = |st: &State, step: &str| {
        if std::env::var_os("LUNGANG_SOLVER_LOG").is_some() {
            let worse = ds
                .school_ixs()
                .filter(|&s| st.unmet_at(s) > before[s.ix()] + 1e-9 && !ds.is_core(s))
                .count();
            let unmet: f64 = ds.school_ixs().map(|s| st.unmet_at(s)).sum();
            let sup: u32 = st.support_from.iter().sum();
            let lea: u32 = st.learning_from.iter().sum();
            let secs = t0.elapsed().as_secs_f64();
            eprintln!("[start] {step}: support {sup}, learning {lea}, unmet {unmet:.0}, members worse {worse} ({secs:.2} s)");
        }
    };
    trace(&st, "terms");
    quotas::requests(&mut st);
    trace(&st, "requests");
    // Where members must send learners (rules 7, 14), they go before the cores' quotas:
    // the core teachers who take over from them (顶岗, in the learners' subjects) count
    // toward those quotas, where quotas sent first go to the largest shortages and can
    // leave a core at its outflow cap with no one left to backfill a learner.
    let first = learners_first(ds);
    if first {
        learners::learners(&mut st, &before);
        trace(&st, "learners");
    }
    quotas::cores(&mut st);
    trace(&st, "cores");
    if !first {
        learners::learners(&mut st, &before);
        trace(&st, "learners");
    }
    quotas::shortages(&mut st, &before);
    trace(&st, "shortages");
    balance::reciprocal(&mut st, &before);
    trace(&st, "reciprocal");
    balance::backbone(&mut st, &before);
    trace(&st, "backbone");
    trips::itinerant(&mut st);
    trace(&st, "trips");
    if first {
        // The trips laid since leave members room to send learners the first pass had
        // to take back (the `enshi` profile's start: L 86 → 82 people short, M 44 →
        // 38); their backfills are support movers the backbone share counts.
        learners::learners(&mut st, &before);
        trace(&st, "learners again");
        balance::backbone(&mut st, &before);
        trace(&st, "backbone again");
    }
    balance::members(&mut st, &before);
    trace(&st, "members");
    st.into_decisions()
}

/// Whether members must send learners this year: a learning share (rule 7) or cycle
/// (rule 14).
fn learners_first(ds: &Dataset) -> bool {
    ds.policy.rotation.learning_min_share.as_f64() > 0.0 || ds.learning_cycle().is_some()
}

/// Terms under way stay; ending terms are extended where the caps allow (a planner renews
/// what runs), but a member's teacher learning at a core only when the member can spare
/// them (`learners::learners` may extend them later).
fn terms(st: &mut State) {
    let ds = st.ds;
    // Terms under way first: they hold their housing whatever an extension would want.
    for t in ds.teacher_ixs() {
        if let LedgerState::Locked(l) = st.facts[t.ix()].state {
            st.place_term(t, Placement::Continuing(l));
        }
    }
    // Pinned moves and extensions are the planner's: they come before any rule.
    for t in ds.teacher_ixs() {
        let pin = ds.pinned(t);
        match (pin.move_to, st.facts[t.ix()].state) {
            (Some(s), _) => {
                if let Some(kind) = ds.move_kind_from(ds.teacher(t).home, s) {
                    st.place_term(t, Placement::New(s, kind));
                }
            }
            (None, LedgerState::Ending(l)) if pin.extend => {
                st.place_term(t, Placement::Extended(l))
            }
            _ => {}
        }
    }
    for t in ds.teacher_ixs() {
        let te = ds.teacher(t);
        let h = te.home;
        if let LedgerState::Ending(l) = st.facts[t.ix()].state {
            if st.at_home(t)
                && te.status == Status::Active
                && st.may_send(h)
                && st.may_host(l)
                && ds.move_kind_from(h, l) != Some(MoveKind::Learning)
            {
                st.place_term(t, Placement::Extended(l));
            }
        }
    }
}
