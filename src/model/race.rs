//! The race (docs/model.md §5 item 5): on threads to spare, RENS and the restricted MILP
//! search side by side over the same columns, and the best plan either returns in time is
//! taken.
//!
//! Contract: returns the best plan reported by the time limit (plus a short grace for
//! plans stopped by it), or no plan; an error only when both threads failed.

use super::build::Milp;
use super::solve::{self, SolveStatus, SolverSettings};
use super::{rens, ModelError};

/// Two threads race over the restricted model's columns (HiGHS's branch and bound keeps
/// one busy): one runs the MILP from `start`; the other runs RENS, then the MILP again from
/// RENS's plan (a better incumbent from the first node). The first to be done (within the
/// gap of the priced bound, or at its own gap) ends the race, and the best plan returned so
/// far is taken. The other is told to stop, but HiGHS looks only between its steps (not
/// inside a sub-MIP, which can take seconds), so it is not waited for: it ends on its own
/// thread. HiGHS's user-solution callback would hand RENS's plans to the first MILP
/// instead, but the HiGHS built here compares such a plan's original objective with its
/// presolved incumbent's and drops it.
pub(super) fn side_by_side_run(
    milp: Milp,
    again: Milp,
    rest: SolverSettings,
    rens: rens::Rens,
    sub: SolverSettings,
    start: Option<&[f64]>,
) -> Result<solve::Solved, ModelError> {
    use std::sync::{atomic::AtomicBool, atomic::Ordering::Relaxed, Arc};
    let started = std::time::Instant::now();
    let stop = Arc::new(AtomicBool::new(false));
    let one = |s: SolverSettings| SolverSettings {
        threads: 1,
        watch: None,
        stop_with: Some(stop.clone()),
        ..s
    };
    // A MILP is done at its own gap or the priced bound's; RENS (whose own gap is that
    // of a small box) only at the priced bound's.
    // The floor is read where a thread reports, so each thread has its own handle.
    let stop_at = rest.stop_at;
    let floor = rest.floor.clone();
    // None for a limit too large to add to an instant (an infinite one).
    let mut deadline = std::time::Duration::try_from_secs_f64(rest.time_limit)
        .ok()
        .and_then(|d| started.checked_add(d));
    // An error (RENS's box may be infeasible) ends nothing: the other thread goes on.
    let done = move |r: &Result<solve::Solved, ModelError>, own_gap: bool| match r {
        Ok(s) => {
            let stop_at = stop_at.map(|a| a.raised(floor.as_deref()));
            let at_bound =
                stop_at.is_some_and(|a| s.status != SolveStatus::NoPlan && a.reached(s.objective));
            at_bound || (own_gap && s.status == SolveStatus::Optimal)
        }
        Err(_) => false,
    };
    // A panic on a thread comes back as an error, not as a hang-up.
    let guarded = |f: &mut dyn FnMut() -> Result<solve::Solved, ModelError>| {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
            .unwrap_or_else(|_| Err(ModelError::Solver("a solver thread panicked".into())))
    };
    type Report = (Result<solve::Solved, ModelError>, bool);
    let (tx, rx) = std::sync::mpsc::channel::<Report>();
    // The first MILP keeps the progress watch; the other thread's solves are not shown.
    let (main_set, start) = (
        SolverSettings {
            threads: 1,
            stop_with: Some(stop.clone()),
            ..rest.clone()
        },
        start.map(|s| s.to_vec()),
    );
    let main_tx = tx.clone();
    let main_done = done.clone();
    std::thread::spawn(move || {
        let mut milp = Some(milp);
        let r = guarded(&mut || {
            solve::run(milp.take().expect("run once"), &main_set, start.as_deref())
        });
        let d = main_done(&r, true);
        let _ = main_tx.send((r, d));
    });
    let (rens_set, again_set) = (one(sub), one(rest));
    let side_stop = stop.clone();
    std::thread::spawn(move || {
        let mut rens = Some(rens);
        let r = guarded(&mut || rens.take().expect("run once").run(&rens_set));
        let d = done(&r, false);
        let from = match &r {
            Ok(s) if s.status != SolveStatus::NoPlan && !d => Some(s.columns.clone()),
            _ => None,
        };
        if tx.send((r, d)).is_err() || d || side_stop.load(Relaxed) {
            return;
        }
        if let Some(from) = from {
            let left = (again_set.time_limit - started.elapsed().as_secs_f64()).max(1.0);
            let set = SolverSettings {
                time_limit: left,
                ..again_set
            };
            let mut again = Some(again);
            let r = guarded(&mut || solve::run(again.take().expect("run once"), &set, Some(&from)));
            let d = done(&r, true);
            let _ = tx.send((r, d));
        }
    });
    let mut best: Option<solve::Solved> = None;
    let mut first_err = None;
    // Each sender hangs up when its thread ends: the loop ends when both have, or early
    // when one is done. At the time limit the threads are told to stop and get a short
    // grace to report what they have (a run that stops on its own limit reports just after
    // it); HiGHS overruns its limit by seconds between cut rounds on L, and a plan that
    // late is not waited for.
    let mut told = false;
    loop {
        let got = match deadline {
            Some(at) => rx.recv_timeout(at.saturating_duration_since(std::time::Instant::now())),
            None => rx
                .recv()
                .map_err(|_| std::sync::mpsc::RecvTimeoutError::Disconnected),
        };
        let (r, d) = match got {
            Ok(report) => report,
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) if !told => {
                told = true;
                stop.store(true, Relaxed);
                deadline = Some(std::time::Instant::now() + STOP_GRACE);
                continue;
            }
            Err(_) => break,
        };
        match r {
            Ok(r) if r.status != SolveStatus::NoPlan => {
                if best
                    .as_ref()
                    .is_none_or(|b| b.status == SolveStatus::NoPlan || r.objective < b.objective)
                {
                    best = Some(r);
                }
            }
            Ok(r) => {
                best.get_or_insert(r);
            }
            Err(ModelError::Infeasible) => {}
            Err(e) => {
                first_err.get_or_insert(e);
            }
        }
        if d {
            break;
        }
    }
    stop.store(true, Relaxed);
    match (best, first_err) {
        (Some(b), _) => Ok(b),
        (None, Some(e)) => Err(e),
        // Nothing reported in time, or both infeasible (which the start's plan
        // contradicts): no plan from the race, and the caller keeps the start.
        (None, None) => Ok(solve::Solved::none(started.elapsed().as_secs_f64())),
    }
}

/// Sets its flag when dropped: a thread beside a solve stops when the solve ends, however
/// it ends.
pub(super) struct StopOnDrop(pub std::sync::Arc<std::sync::atomic::AtomicBool>);

impl StopOnDrop {
    pub fn stop(&self) {
        self.0.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        self.stop();
    }
}

/// How long the race waits for its threads' reports once told to stop at the time limit.
const STOP_GRACE: std::time::Duration = std::time::Duration::from_secs(3);
