//! Rules mended on a plan the search left short, where a change of a few names is sure
//! to cost less than the shortfall it mends (`weights.violation` each): the county-wide
//! backbone share by swaps (rule 8, `backbone`), then, once the periods are known, every
//! rule that counts people, one teacher at a time (`counted`). Everything else in the
//! plan is kept; the per-teacher period LP then teaches around the change. Heuristics:
//! the gap against the bound shows what they leave.

mod backbone;
mod counted;

pub(super) use backbone::{backbone, Mend};
pub(super) use counted::counted;

use crate::domain::{Dataset, Placement, TeacherIx, Trip};

/// A plan's full-time places and trip days, by teacher.
type Plan = (Vec<Placement>, Vec<Vec<Trip>>);

/// With `LUNGANG_SOLVER_LOG`, one line per teacher a mend moves.
fn trace(ds: &Dataset, rule: &str, t: TeacherIx, to: Placement, cost: f64) {
    if std::env::var_os("LUNGANG_SOLVER_LOG").is_some() {
        let te = ds.teacher(t);
        let at = ds.school(to.school(te.home)).id.as_str();
        eprintln!(
            "[lungang] {rule} mended: {} now at {at} (costs at most {cost:.0})",
            te.id
        );
    }
}
