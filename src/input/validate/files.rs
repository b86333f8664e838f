//! Checks of the dataset as a whole: a county with schools, and rows in the files that
//! a plan needs (docs/errors.md, "Files, encodings, headers").

use crate::input::table::diag;
use crate::input::Diagnostic;

use super::{Records, DEMAND, SCHOOLS, TEACHERS};

/// A county has schools: without any there is nothing to plan.
pub(super) fn check_e0110_no_schools(r: &Records, d: &mut Vec<Diagnostic>) {
    if r.schools_read && r.schools.is_empty() {
        d.push(diag(
            SCHOOLS,
            1,
            1,
            "E0110",
            "the file has a header but no schools",
            "one row per school of the county",
        ));
    }
}

/// No teachers or no demand: the plan is empty; said, since it is seldom meant.
pub(super) fn check_w0102_no_rows(r: &Records, d: &mut Vec<Diagnostic>) {
    for (file, read, empty) in [
        (TEACHERS, r.teachers_read, r.teachers.is_empty()),
        (DEMAND, r.demand_read, r.demand.is_empty()),
    ] {
        if read && empty {
            d.push(diag(
                file,
                1,
                1,
                "W0102",
                "the file has a header but no rows: the plan will be empty",
                "one row per teacher, and per school and subject of demand",
            ));
        }
    }
}
