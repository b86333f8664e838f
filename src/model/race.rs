//! The race (docs/model.md §5 item 5): on threads to spare, RENS and the restricted MILP
//! search side by side over the same columns, and the best plan either returns in time is
//! taken.
//!
//! Contract: returns the best plan reported by the time limit (plus a short grace for
//! plans stopped by it), or no plan; an error only when both threads failed.

use std::sync::atomic::{AtomicBool, Ordering::Relaxed};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::build::Milp;
use super::solve::{self, Floor, SolveStatus, Solved, SolverSettings, StopAt};
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
) -> Result<Solved, ModelError> {
    let started = Instant::now();
    let stop = Arc::new(AtomicBool::new(false));
    let one = |s: SolverSettings| SolverSettings {
        threads: 1,
        watch: None,
        stop_with: Some(stop.clone()),
        ..s
    };
    let done = Done {
        stop_at: rest.stop_at,
        floor: rest.floor.clone(),
    };
    // None for a limit too large to add to an instant (an infinite one).
    let deadline = Duration::try_from_secs_f64(rest.time_limit)
        .ok()
        .and_then(|d| started.checked_add(d));
    let (tx, rx) = mpsc::channel::<Report>();
    // The first MILP keeps the progress watch; the other thread's solves are not shown.
    let main_set = SolverSettings {
        threads: 1,
        stop_with: Some(stop.clone()),
        ..rest.clone()
    };
    let start = start.map(|s| s.to_vec());
    let main_done = done.clone();
    let main_tx = tx.clone();
    std::thread::spawn(move || {
        let mut milp = Some(milp);
        let r = guarded(&mut || {
            solve::run(milp.take().expect("run once"), &main_set, start.as_deref())
        });
        let d = main_done.judge(&r, true);
        let _ = main_tx.send((r, d));
    });
    let side = Side {
        sets: (one(sub), one(rest)),
        started,
        done,
        stop: stop.clone(),
        tx,
    };
    std::thread::spawn(move || side.run(rens, again));
    let (best, first_err) = gather(&rx, deadline, &stop);
    stop.store(true, Relaxed);
    match (best, first_err) {
        (Some(b), _) => Ok(b),
        (None, Some(e)) => Err(e),
        // Nothing reported in time, or both infeasible (which the start's plan
        // contradicts): no plan from the race, and the caller keeps the start.
        (None, None) => Ok(Solved::none(started.elapsed().as_secs_f64())),
    }
}

/// A thread's result, and whether it ends the race.
type Report = (Result<Solved, ModelError>, bool);

/// When a thread's result ends the race. The floor is read where a thread reports, so
/// each thread has its own handle.
#[derive(Clone)]
struct Done {
    stop_at: Option<StopAt>,
    floor: Option<Arc<Floor>>,
}

impl Done {
    /// A MILP is done at its own gap (`own_gap`) or the priced bound's; RENS (whose own gap
    /// is that of a small box) only at the priced bound's. An error (RENS's box may be
    /// infeasible) ends nothing: the other thread goes on.
    fn judge(&self, r: &Result<Solved, ModelError>, own_gap: bool) -> bool {
        match r {
            Ok(s) => {
                let stop_at = self.stop_at.map(|a| a.raised(self.floor.as_deref()));
                let at_bound = stop_at
                    .is_some_and(|a| s.status != SolveStatus::NoPlan && a.reached(s.objective));
                at_bound || (own_gap && s.status == SolveStatus::Optimal)
            }
            Err(_) => false,
        }
    }
}

/// The second thread: RENS, then the MILP again from RENS's plan unless the race is over.
struct Side {
    /// RENS's settings and the second MILP's.
    sets: (SolverSettings, SolverSettings),
    started: Instant,
    done: Done,
    stop: Arc<AtomicBool>,
    tx: mpsc::Sender<Report>,
}

impl Side {
    fn run(self, rens: rens::Rens, again: Milp) {
        let (rens_set, again_set) = self.sets;
        let mut rens = Some(rens);
        let r = guarded(&mut || rens.take().expect("run once").run(&rens_set));
        let d = self.done.judge(&r, false);
        let from = match &r {
            Ok(s) if s.status != SolveStatus::NoPlan && !d => Some(s.columns.clone()),
            _ => None,
        };
        if self.tx.send((r, d)).is_err() || d || self.stop.load(Relaxed) {
            return;
        }
        if let Some(from) = from {
            let left = (again_set.time_limit - self.started.elapsed().as_secs_f64()).max(1.0);
            let set = SolverSettings {
                time_limit: left,
                ..again_set
            };
            let mut again = Some(again);
            let r = guarded(&mut || solve::run(again.take().expect("run once"), &set, Some(&from)));
            let d = self.done.judge(&r, true);
            let _ = self.tx.send((r, d));
        }
    }
}

/// A panic on a thread comes back as an error, not as a hang-up.
fn guarded(f: &mut dyn FnMut() -> Result<Solved, ModelError>) -> Result<Solved, ModelError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
        .unwrap_or_else(|_| Err(ModelError::Solver("a solver thread panicked".into())))
}

/// The best plan the threads report and the first error. Each sender hangs up when its
/// thread ends: this ends when both have, or early when one is done. At the time limit
/// the threads are told to stop and get a short grace to report what they have (a run
/// that stops on its own limit reports just after it); HiGHS overruns its limit by
/// seconds between cut rounds on L, and a plan that late is not waited for.
fn gather(
    rx: &mpsc::Receiver<Report>,
    mut deadline: Option<Instant>,
    stop: &AtomicBool,
) -> (Option<Solved>, Option<ModelError>) {
    let mut best: Option<Solved> = None;
    let mut first_err = None;
    let mut told = false;
    loop {
        let got = match deadline {
            Some(at) => rx.recv_timeout(at.saturating_duration_since(Instant::now())),
            None => rx.recv().map_err(|_| RecvTimeoutError::Disconnected),
        };
        let (r, d) = match got {
            Ok(report) => report,
            Err(RecvTimeoutError::Timeout) if !told => {
                told = true;
                stop.store(true, Relaxed);
                deadline = Some(Instant::now() + STOP_GRACE);
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
    (best, first_err)
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
const STOP_GRACE: Duration = Duration::from_secs(3);
