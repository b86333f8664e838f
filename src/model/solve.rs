//! Running HiGHS on a built model, with our own outcome type: good_lp's adapter folds
//! "time limit, no solution" into an error and hides the bound, which a planner needs.

use std::ffi::{c_char, c_int, c_void};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use good_lp::solvers::highs::highs;
use good_lp::SolverModel;
use highs::HighsModelStatus;

use super::build::Milp;
use super::ModelError;

#[derive(Clone, Debug)]
pub struct SolverSettings {
    pub time_limit: f64,
    /// Relative gap at which to stop.
    pub gap: f64,
    /// Absolute gap at which to stop as well (parts of a county share the whole's gap).
    pub abs_gap: Option<f64>,
    /// Branch-and-bound nodes at most: a budget that, unlike time, gives the same result
    /// on every machine.
    pub max_nodes: Option<i64>,
    /// Whether HiGHS may restart its search after the root (`mip_allow_restart`). The
    /// small parts of a county turn it off (`parts.rs`).
    pub restart: bool,
    /// Whether HiGHS runs its RENS heuristic (`mip_heuristic_run_rens`). The small parts'
    /// first pass turns it off (`parts.rs`).
    pub rens: bool,
    pub threads: usize,
    /// How HiGHS searches a MILP's tree (`TreeSearch`).
    pub tree: TreeSearch,
    pub log: bool,
    /// Told of the best plan and bound as a solve goes on (a terminal's progress line).
    pub watch: Option<Watch>,
    /// Stop once the best plan is within the relative or absolute gap of a bound known from
    /// outside this model (the priced bound of a model with trips left out).
    pub stop_at: Option<StopAt>,
    /// Ends the solve (with its best plan so far) once set: a search run beside another
    /// stops when that one has.
    pub stop_with: Option<Arc<AtomicBool>>,
    /// A bound of the whole model that another thread raises as it goes on (`bound.rs`):
    /// `stop_at` is judged on the larger of the two.
    pub floor: Option<Arc<Floor>>,
    /// The relaxation's bound (`bound.rs`) starts only once this is open: a large part
    /// solved beside the county's small parts gets their core for it when they are done.
    pub bound_gate: Option<Arc<Gate>>,
    /// Ends the solve once it has had a plan and found none better for a while (RENS's
    /// first stage, whose box search can go on for most of the minute after its last
    /// plan: docs/model.md §5 item 4).
    pub stall: Option<StallRule>,
    /// The MILP counts its unmet periods whole, per price (`build::Shape::unmet_totals`):
    /// a part's second pass left with less than a few periods' price to prove
    /// (`parts.rs`).
    pub unmet_totals: bool,
    /// Strong-branching calls after which HiGHS trusts a column's pseudocosts
    /// (`mip_pscost_minreliable`; HiGHS's own 8 when `None`): fewer in a part's second
    /// pass (`parts.rs`), a search that starts from a good plan and mostly proves.
    pub reliable_after: Option<i32>,
}

/// How long a search may go without a better plan (`SolverSettings::stall`): `first`
/// seconds from its first plan (the start it was given), `then` once it has bettered it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StallRule {
    pub first: f64,
    pub then: f64,
}

/// How HiGHS searches a MILP's tree. Its parallel search runs 1.7 workers a thread, and
/// their number decides the search, so a wide search always has `SEARCH_WIDTH` threads'
/// workers: on that many threads, or taking turns on one core when `threads`
/// is 1 (HiGHS's simulated concurrency), with the same plan either way, on every machine.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TreeSearch {
    /// One worker: searches side by side (the parts of a county, the stages beside
    /// pricing and the relaxation's bound).
    Narrow,
    /// Four workers: a MILP that has the machine to itself. data/xiji's largest community
    /// alone: 18.9 s → 11.5 s on two threads, 22.7 s → 15.6 s in turns on one; as the
    /// first pass of data/xiji's parts, in turns beside each other, 32.7 s → 55.5 s.
    Wide,
}

/// Opened once, by one thread, for another that waits on it.
#[derive(Debug, Default)]
pub struct Gate(AtomicBool);

impl Gate {
    pub fn open(&self) {
        self.0.store(true, Ordering::Release);
    }

    /// Waits until the gate is open (true) or `stop` is set (false).
    pub fn wait(&self, stop: &AtomicBool) -> bool {
        loop {
            if stop.load(Ordering::Relaxed) {
                return false;
            }
            if self.0.load(Ordering::Acquire) {
                return true;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }
}

/// A lower bound shared between threads, only ever raised.
#[derive(Debug)]
pub struct Floor(AtomicU64);

impl Default for Floor {
    fn default() -> Self {
        Floor(AtomicU64::new(f64::NEG_INFINITY.to_bits()))
    }
}

impl Floor {
    pub fn get(&self) -> f64 {
        f64::from_bits(self.0.load(Ordering::Relaxed))
    }

    pub fn raise(&self, v: f64) {
        let _ = self
            .0
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |old| {
                (v > f64::from_bits(old)).then_some(v.to_bits())
            });
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StopAt {
    pub bound: f64,
    pub gap: f64,
    pub abs_gap: f64,
}

impl StopAt {
    /// The same, judged on `floor` where that is the larger bound.
    pub fn raised(self, floor: Option<&Floor>) -> StopAt {
        StopAt {
            bound: floor.map_or(self.bound, |f| f.get().max(self.bound)),
            ..self
        }
    }

    pub fn reached(&self, best: f64) -> bool {
        let gap = best - self.bound;
        gap <= self.gap * best.abs() + 1e-9 || gap <= self.abs_gap + 1e-9
    }
}

/// A running solve's best plan and bound, for a progress display; never part of a plan.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Progress {
    /// Objective of the best plan found so far.
    pub best: Option<f64>,
    /// Best proven bound so far.
    pub bound: Option<f64>,
}

impl Progress {
    pub fn gap(&self) -> Option<f64> {
        match (self.best, self.bound) {
            (Some(b), Some(l)) => Some((b - l).max(0.0) / b.abs().max(1e-9)),
            _ => None,
        }
    }
}

/// Receives `Progress` reports; called from solver threads, so it must be cheap.
#[derive(Clone)]
pub struct Watch(Arc<dyn Fn(Progress) + Send + Sync>);

impl Watch {
    pub fn new(f: impl Fn(Progress) + Send + Sync + 'static) -> Self {
        Watch(Arc::new(f))
    }

    pub fn report(&self, p: Progress) {
        (self.0)(p)
    }
}

impl std::fmt::Debug for Watch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Watch")
    }
}

impl SolverSettings {
    pub fn new(time_limit: f64, gap: f64, threads: usize) -> Self {
        SolverSettings {
            time_limit,
            gap,
            abs_gap: None,
            max_nodes: None,
            restart: true,
            rens: true,
            threads,
            tree: TreeSearch::Wide,
            log: false,
            watch: None,
            stop_at: None,
            stop_with: None,
            unmet_totals: false,
            reliable_after: None,
            floor: None,
            bound_gate: None,
            stall: None,
        }
    }
}

/// How a solve ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SolveStatus {
    /// Proven within the requested gap.
    Optimal,
    /// Stopped (time limit) with a plan.
    Feasible,
    /// Stopped with no plan.
    NoPlan,
}

#[derive(Clone, Debug)]
pub struct Solved {
    pub status: SolveStatus,
    /// Column values (empty with `NoPlan`).
    pub columns: Vec<f64>,
    pub objective: f64,
    pub bound: f64,
    pub seconds: f64,
}

impl Solved {
    /// No plan (and no bound) after `seconds`.
    pub fn none(seconds: f64) -> Solved {
        Solved {
            status: SolveStatus::NoPlan,
            columns: Vec::new(),
            objective: f64::INFINITY,
            bound: f64::NEG_INFINITY,
            seconds,
        }
    }
}

/// Model size, for the terminal and the benchmarks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ModelStats {
    pub columns: usize,
    pub integer_columns: usize,
    pub rows: usize,
}

pub fn stats(m: &Milp) -> ModelStats {
    ModelStats {
        columns: m.vars.len(),
        integer_columns: m.integer_columns,
        rows: m.constraints.len(),
    }
}

/// Threads whose workers a wide search has (`TreeSearch`).
const SEARCH_WIDTH: usize = 2;

/// Whether `m` is searched wide: a MILP whose settings ask for it.
fn wide(m: &Milp, set: &SolverSettings) -> bool {
    set.tree == TreeSearch::Wide && m.integer_columns > 0
}

/// `m` handed to HiGHS with the options every solve of ours shares: log (on with
/// LUNGANG_SOLVER_LOG), time limit, threads, a fixed seed, then LUNGANG_HIGHS_OPTIONS.
pub(super) fn highs_model(
    m: Milp,
    set: &SolverSettings,
    extra: &[(&str, &str)],
) -> Result<highs::Model, ModelError> {
    let wide = wide(&m, set);
    let mut problem = m.vars.minimise(m.objective).using(highs);
    for c in m.constraints {
        problem.add_constraint(c);
    }
    let mut model = problem
        .try_into_inner()
        .map_err(|e| ModelError::Solver(e.to_string()))?;
    set_options(&mut model, set, wide)?;
    set_extra_options(&mut model, extra)?;
    Ok(model)
}

fn refused(name: &str) -> ModelError {
    ModelError::Solver(format!("HiGHS refused option {name}"))
}

/// Our options: the log, restarts and HiGHS's RENS as `set` says, the time limit and
/// gaps, the threads (a wide search's workers), a fixed seed and the node budget.
fn set_options(
    model: &mut highs::Model,
    set: &SolverSettings,
    wide: bool,
) -> Result<(), ModelError> {
    let log = set.log || std::env::var_os("LUNGANG_SOLVER_LOG").is_some();
    let flags = [
        ("output_flag", log),
        ("log_to_console", log),
        ("mip_allow_restart", set.restart),
        ("mip_heuristic_run_rens", set.rens),
    ];
    for (name, on) in flags {
        model.try_set_option(name, on).map_err(|_| refused(name))?;
    }
    let f = [
        ("time_limit", set.time_limit),
        ("mip_rel_gap", set.gap),
        // By default an absolute gap of 0, so that tiny objectives are not declared
        // optimal early.
        ("mip_abs_gap", set.abs_gap.unwrap_or(0.0)),
    ];
    for (name, v) in f {
        model.try_set_option(name, v).map_err(|_| refused(name))?;
    }
    let threads = if wide {
        SEARCH_WIDTH
    } else {
        set.threads.max(1)
    };
    let mut i = vec![("threads", threads as i32), ("random_seed", 0)];
    if let Some(n) = set.max_nodes {
        i.push(("mip_max_nodes", n.clamp(0, i32::MAX as i64) as i32));
    }
    if let Some(n) = set.reliable_after {
        i.push(("mip_pscost_minreliable", n));
    }
    for (name, v) in i {
        model.try_set_option(name, v).map_err(|_| refused(name))?;
    }
    if wide {
        model
            .try_set_option("parallel", "on")
            .map_err(|_| refused("parallel"))?;
        let turns = set.threads < SEARCH_WIDTH;
        model
            .try_set_option("mip_search_simulate_concurrency", turns)
            .map_err(|_| refused("mip_search_simulate_concurrency"))?;
    }
    Ok(())
}

/// The caller's `extra` options, then LUNGANG_HIGHS_OPTIONS's (`key=value,…`), each
/// value read as an integer, a number, a flag or else text.
fn set_extra_options(model: &mut highs::Model, extra: &[(&str, &str)]) -> Result<(), ModelError> {
    let env = std::env::var("LUNGANG_HIGHS_OPTIONS").unwrap_or_default();
    let mut pairs: Vec<(&str, &str)> = extra.to_vec();
    for kv in env.split(',').filter(|s| !s.is_empty()) {
        pairs.push(kv.split_once('=').ok_or_else(|| {
            ModelError::Solver(format!("LUNGANG_HIGHS_OPTIONS: `{kv}` is not key=value"))
        })?);
    }
    for (k, v) in pairs {
        let r = if let Ok(i) = v.parse::<i32>() {
            model.try_set_option(k, i)
        } else if let Ok(f) = v.parse::<f64>() {
            model.try_set_option(k, f)
        } else if let Ok(b) = v.parse::<bool>() {
            model.try_set_option(k, b)
        } else {
            model.try_set_option(k, v)
        };
        r.map_err(|_| refused(k))?;
    }
    Ok(())
}

/// Solves `m` with HiGHS; `start` is a feasible assignment of every column to begin from.
pub fn run(m: Milp, set: &SolverSettings, start: Option<&[f64]>) -> Result<Solved, ModelError> {
    run_with(m, set, start, &[])
}

/// `run` with HiGHS options beyond the settings' (name, value).
pub fn run_with(
    m: Milp,
    set: &SolverSettings,
    start: Option<&[f64]>,
    extra: &[(&str, &str)],
) -> Result<Solved, ModelError> {
    let started = Instant::now();
    if m.vars.is_empty() {
        // HiGHS gives no solution status for a model without columns (a part of a county
        // with no teacher and no demand): it is its own optimum, the objective's constant.
        let none = std::collections::HashMap::<good_lp::Variable, f64>::new();
        let objective = m.objective.eval_with(&none);
        return Ok(Solved {
            status: SolveStatus::Optimal,
            columns: Vec::new(),
            objective,
            bound: objective,
            seconds: started.elapsed().as_secs_f64(),
        });
    }
    let lp = m.integer_columns == 0;
    let mut model = highs_model(m, set, extra)?;
    let state = callback_state(set);
    if let Some(state) = &state {
        listen(&mut model, state);
    }
    if let Some(start) = start {
        // A start HiGHS cannot use is only a lost head start, never an error.
        let _ = model.try_set_solution(Some(start), None, None, None);
    }
    let floor = column_bound(&mut model);
    let solved = model
        .try_solve()
        .map_err(|e| ModelError::Solver(format!("HiGHS failed: {e:?}")))?;
    drop(state);
    let seconds = started.elapsed().as_secs_f64();
    let status = outcome(&solved)?;
    let has_plan = status != SolveStatus::NoPlan;
    let objective = solved.objective_value();
    // Stopped before its root LP, HiGHS has no dual bound: the columns' own is weak but
    // true, where taking the objective would claim a gap of 0.
    // An LP solved to optimality is its own bound; HiGHS keeps no MIP dual bound for it.
    let bound = (lp && status == SolveStatus::Optimal)
        .then_some(objective)
        .or_else(|| solved.double_info_value(c"mip_dual_bound").ok())
        .filter(|b| b.is_finite() && b.abs() < 1e20)
        .or(floor)
        .unwrap_or(objective);
    let columns = if has_plan {
        solved.get_solution().columns().to_vec()
    } else {
        Vec::new()
    };
    Ok(Solved {
        status,
        columns,
        objective,
        bound,
        seconds,
    })
}

/// What the callback needs, when `set` asks for it at all. The callback reads HiGHS's
/// figures; it never changes the search, only ends it when `stop_at` is reached,
/// `stop_with` is set or the search has stalled (`stall`).
fn callback_state(set: &SolverSettings) -> Option<Box<CallbackState>> {
    let wanted = set.watch.is_some()
        || set.stop_at.is_some()
        || set.stop_with.is_some()
        || set.stall.is_some();
    wanted.then(|| {
        Box::new(CallbackState {
            watch: set.watch.clone(),
            stop_at: set.stop_at,
            stop_with: set.stop_with.clone(),
            floor: set.floor.clone(),
            last: Mutex::new(Progress::default()),
            stall: set.stall.map(|rule| Stall {
                rule,
                since: Mutex::new((f64::INFINITY, Instant::now(), false)),
            }),
        })
    })
}

/// Registers HiGHS's callback on `model` for improving plans and interrupts, with
/// `state`, which must outlive the solve (`run_with` drops it after).
fn listen(model: &mut highs::Model, state: &CallbackState) {
    let data = state as *const CallbackState as *mut c_void;
    // SAFETY: `state` outlives the solve; HiGHS only passes the pointer back.
    unsafe {
        highs_sys::Highs_setCallback(model.as_mut_ptr(), Some(on_callback), data);
        highs_sys::Highs_startCallback(
            model.as_mut_ptr(),
            highs_sys::kHighsCallbackMipImprovingSolution,
        );
        highs_sys::Highs_startCallback(model.as_mut_ptr(), highs_sys::kHighsCallbackMipInterrupt);
    }
}

/// How a HiGHS solve ended, as ours (`status_of`); every MILP of the crate reads it so
/// (the class model's, the literal model's, the communities'). Its primal solution status
/// is read as a number: the binding's enum panics on a status it does not know.
pub fn outcome(solved: &highs::SolvedModel) -> Result<SolveStatus, ModelError> {
    let has_plan = solved.int_info_value(c"primal_solution_status")
        == Ok(highs_sys::SOLUTION_STATUS_FEASIBLE.into());
    status_of(solved.status(), has_plan)
}

/// HiGHS's model status as ours: stopped early is Feasible with a plan, NoPlan without;
/// infeasible is an error, as is a plan claimed without a primal solution.
fn status_of(status: HighsModelStatus, has_plan: bool) -> Result<SolveStatus, ModelError> {
    let ours = match status {
        HighsModelStatus::Optimal => SolveStatus::Optimal,
        HighsModelStatus::ReachedTimeLimit
        | HighsModelStatus::ReachedIterationLimit
        | HighsModelStatus::ReachedSolutionLimit
        | HighsModelStatus::ReachedInterrupt
        | HighsModelStatus::ReachedMemoryLimit => {
            if has_plan {
                SolveStatus::Feasible
            } else {
                SolveStatus::NoPlan
            }
        }
        HighsModelStatus::Infeasible | HighsModelStatus::UnboundedOrInfeasible => {
            return Err(ModelError::Infeasible)
        }
        other => return Err(ModelError::Solver(format!("HiGHS ended with {other:?}"))),
    };
    if ours != SolveStatus::NoPlan && !has_plan {
        return Err(ModelError::Solver(
            "HiGHS reported no primal solution".into(),
        ));
    }
    Ok(ours)
}

/// A bound no plan can beat, from the columns alone: the offset plus Σ min(c·l, c·u).
/// None when a column is unbounded in its cost's direction.
fn column_bound(model: &mut highs::Model) -> Option<f64> {
    let p = model.as_mut_ptr();
    // SAFETY: `p` is a live Highs instance; the buffers hold `n` entries each, and the
    // matrix pointers may be null (HiGHS then only counts the nonzeros).
    unsafe {
        let n = highs_sys::Highs_getNumCol(p);
        let len = usize::try_from(n).ok()?;
        let (mut cost, mut lower, mut upper) = (vec![0.0; len], vec![0.0; len], vec![0.0; len]);
        let (mut cols, mut nz) = (0, 0);
        let mut offset = 0.0;
        if n > 0
            && highs_sys::Highs_getColsByRange(
                p,
                0,
                n - 1,
                &mut cols,
                cost.as_mut_ptr(),
                lower.as_mut_ptr(),
                upper.as_mut_ptr(),
                &mut nz,
                std::ptr::null_mut(),
                std::ptr::null_mut(),
                std::ptr::null_mut(),
            ) != highs_sys::STATUS_OK
        {
            return None;
        }
        if highs_sys::Highs_getObjectiveOffset(p, &mut offset) != highs_sys::STATUS_OK {
            return None;
        }
        let mut sum = offset;
        for j in 0..len {
            let c = cost[j];
            if c != 0.0 {
                sum += (c * lower[j]).min(c * upper[j]);
            }
        }
        (sum.is_finite() && sum.abs() < 1e20).then_some(sum)
    }
}

struct CallbackState {
    watch: Option<Watch>,
    stop_at: Option<StopAt>,
    stop_with: Option<Arc<AtomicBool>>,
    floor: Option<Arc<Floor>>,
    last: Mutex<Progress>,
    stall: Option<Stall>,
}

/// When a solve last found a better plan, for `SolverSettings::stall`.
struct Stall {
    rule: StallRule,
    /// The best plan, since when, and whether it has bettered the first.
    since: Mutex<(f64, Instant, bool)>,
}

impl Stall {
    /// Whether `best` is no better than the plan of the rule's seconds ago or more. A
    /// search that has not bettered its start is not stalled while it is in its root
    /// (`in_root`: its LP, cut rounds and the heuristics that find its plans): a slower
    /// hour of the machine makes the same root take longer (the `nanning` profile's L
    /// county: cut rounds to 14 s, its plan at 31.7 s; an hour later the same rounds to
    /// 21.5 s, and the rule's 20 s ended the stage there with no plan, 16% at 60 s).
    fn stalled(&self, best: Option<f64>, in_root: bool) -> bool {
        let Some(best) = best else { return false };
        let Ok(mut since) = self.since.lock() else {
            return false;
        };
        if best < since.0 - 1e-9 * best.abs().max(1.0) {
            *since = (best, Instant::now(), since.0.is_finite());
            return false;
        }
        if in_root && !since.2 {
            return false;
        }
        let limit = if since.2 {
            self.rule.then
        } else {
            self.rule.first
        };
        since.1.elapsed().as_secs_f64() > limit
    }
}

/// HiGHS's callback: passes the incumbent and bound on when either has changed.
unsafe extern "C" fn on_callback(
    kind: c_int,
    _message: *const c_char,
    out: *const highs_sys::HighsCallbackDataOut,
    input: *mut highs_sys::HighsCallbackDataIn,
    data: *mut c_void,
) {
    if out.is_null() || data.is_null() {
        return;
    }
    // SAFETY: `data` is the `CallbackState` registered in `run`, alive during the solve;
    // `out` is HiGHS's own, valid for this call.
    let (state, out) = unsafe { (&*(data as *const CallbackState), &*out) };
    let finite = |v: f64| (v.is_finite() && v.abs() < 1e20).then_some(v);
    let now = Progress {
        best: finite(out.mip_primal_bound),
        bound: finite(out.mip_dual_bound),
    };
    let reached = match (state.stop_at, now.best) {
        (Some(stop), Some(best)) => stop.raised(state.floor.as_deref()).reached(best),
        _ => false,
    };
    let ended = state
        .stop_with
        .as_ref()
        .is_some_and(|f| f.load(Ordering::Relaxed));
    let in_root = out.mip_node_count == 0;
    let stalled = (state.stall.as_ref()).is_some_and(|s| s.stalled(now.best, in_root));
    if (reached || ended || stalled)
        && kind == highs_sys::kHighsCallbackMipInterrupt
        && !input.is_null()
    {
        // SAFETY: HiGHS's input block of an interrupt callback, valid for this call.
        unsafe { (*input).user_interrupt = 1 };
    }
    let Some(watch) = &state.watch else {
        return;
    };
    let changed = match state.last.lock() {
        Ok(mut last) if *last != now => {
            *last = now;
            true
        }
        _ => false,
    };
    if changed {
        // A panic must not cross into C++.
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| watch.report(now)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stall(first: f64, then: f64) -> Stall {
        Stall {
            rule: StallRule { first, then },
            since: Mutex::new((f64::INFINITY, Instant::now(), false)),
        }
    }

    /// A stall is counted from the last better plan: none before a first plan, none
    /// right after a better one, and one once a plan has stood for the time given.
    #[test]
    fn a_stall_counts_from_the_last_better_plan() {
        let stall = stall(0.05, 0.05);
        assert!(!stall.stalled(None, false));
        assert!(!stall.stalled(Some(100.0), false));
        std::thread::sleep(std::time::Duration::from_millis(80));
        assert!(
            !stall.stalled(Some(99.0), false),
            "a better plan restarts the count"
        );
        assert!(!stall.stalled(Some(99.0), false));
        std::thread::sleep(std::time::Duration::from_millis(80));
        assert!(stall.stalled(Some(99.0), false));
    }

    /// The first plan (the start) may stand for `first`; once bettered, a plan may stand
    /// only for `then`.
    #[test]
    fn a_stall_is_shorter_once_the_start_is_bettered() {
        let stall = stall(30.0, 0.05);
        assert!(!stall.stalled(Some(100.0), false));
        std::thread::sleep(std::time::Duration::from_millis(80));
        assert!(
            !stall.stalled(Some(100.0), false),
            "the start stands for 30 s"
        );
        assert!(!stall.stalled(Some(99.0), false));
        std::thread::sleep(std::time::Duration::from_millis(80));
        assert!(
            stall.stalled(Some(99.0), false),
            "a better plan stands for 0.05 s"
        );
    }

    /// In its root a search may keep its start past `first`; once bettered, or once its
    /// tree has begun, the rule holds.
    #[test]
    fn a_start_is_not_stalled_in_the_root() {
        let stall = stall(0.05, 0.05);
        assert!(!stall.stalled(Some(100.0), true));
        std::thread::sleep(std::time::Duration::from_millis(80));
        assert!(!stall.stalled(Some(100.0), true), "in the root");
        assert!(stall.stalled(Some(100.0), false), "in the tree");
        assert!(!stall.stalled(Some(99.0), true));
        std::thread::sleep(std::time::Duration::from_millis(80));
        assert!(
            stall.stalled(Some(99.0), true),
            "a better plan stands for 0.05 s"
        );
    }

    use crate::model::build::build;
    use crate::model::classes::Classes;

    /// A wide search is the same search in turns on one thread as on two: stopped after
    /// the same number of nodes, the same plan and the same bound (with as many workers
    /// as threads, the one-thread search would be another).
    #[test]
    fn a_wide_search_is_the_same_on_one_thread_and_two() {
        let ds = crate::testing::county(14, 260, 2);
        let cl = Classes::build(&ds);
        let wide = |threads| {
            let set = SolverSettings {
                max_nodes: Some(40),
                ..SolverSettings::new(60.0, 0.0, threads)
            };
            assert_eq!(set.tree, TreeSearch::Wide);
            run(build(&ds, &cl, None), &set, None).unwrap()
        };
        let (one, two) = (wide(1), wide(2));
        assert_eq!(one.status, two.status);
        assert_eq!(one.columns, two.columns, "the same search, the same plan");
        assert_eq!((one.objective, one.bound), (two.objective, two.bound));
    }
}
