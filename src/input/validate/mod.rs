//! Checks that need more than one cell: row consistency and cross-file references. Each
//! rule is one function named after its code; all of them run, whatever the others found.
//! They stand by docs/errors.md's sections: the files as a whole (`files.rs`), cells and
//! rows (`cells.rs`), references between files (`references.rs`), the distances a plan
//! needs (`distances.rs`), the ledger and requests (`ledger.rs`).

mod cells;
mod distances;
mod files;
mod ledger;
mod references;

use std::collections::BTreeMap;

use crate::domain::Policy;

use super::records::{
    CommunityRec, DemandRec, DistanceRec, LedgerRec, RequestRec, SchoolRec, TeacherRec,
};
use super::table::{At, Table};
use super::Diagnostic;

pub const SCHOOLS: &str = "schools.csv";
pub const COMMUNITIES: &str = "communities.csv";
pub const TEACHERS: &str = "teachers.csv";
pub const DEMAND: &str = "demand.csv";
pub const DISTANCES: &str = "distances.csv";
pub const LEDGER: &str = "ledger.csv";
pub const REQUESTS: &str = "requests.csv";
pub const PINS: &str = "pins.csv";
/// The exchange list sheet of plan.xlsx, read for its column 指定.
pub const LIST: &str = "交流名单";

/// Every record read, before any id is resolved. A file that could not be read has no
/// records and its `*_read` flag is false, so that references into it are not reported
/// once per row.
#[derive(Debug, Default)]
pub struct Records {
    pub schools: Vec<SchoolRec>,
    pub schools_read: bool,
    /// Column of `lat` in schools.csv, to point E0309 at.
    pub school_lat_col: Option<usize>,
    pub communities: Vec<CommunityRec>,
    pub communities_read: bool,
    pub teachers: Vec<TeacherRec>,
    pub teachers_read: bool,
    pub demand: Vec<DemandRec>,
    pub demand_read: bool,
    pub distances: Vec<DistanceRec>,
    pub ledger: Vec<LedgerRec>,
    pub requests: Vec<RequestRec>,
    pub policy: Policy,
}

/// Id → record index, first occurrence wins (later ones are E0304).
#[derive(Debug, Default)]
pub struct Ids {
    pub school: BTreeMap<String, usize>,
    pub community: BTreeMap<String, usize>,
    pub teacher: BTreeMap<String, usize>,
}

impl Ids {
    pub fn new(r: &Records) -> Ids {
        fn first<'a>(ids: impl Iterator<Item = Option<&'a At<String>>>) -> BTreeMap<String, usize> {
            let mut m = BTreeMap::new();
            for (i, id) in ids.enumerate() {
                if let Some(id) = id {
                    m.entry(id.v.clone()).or_insert(i);
                }
            }
            m
        }
        Ids {
            school: first(r.schools.iter().map(|s| s.id.as_ref())),
            community: first(r.communities.iter().map(|c| c.id.as_ref())),
            teacher: first(r.teachers.iter().map(|t| t.id.as_ref())),
        }
    }
}

/// Runs every rule.
pub fn check_all(r: &Records, d: &mut Vec<Diagnostic>) {
    let ids = Ids::new(r);
    files::check_e0110_no_schools(r, d);
    files::check_w0102_no_rows(r, d);
    cells::check_e0207_hired_too_young(r, d);
    cells::check_e0208_school_since_before_hire(r, d);
    cells::check_e0209_half_coordinates(r, d);
    cells::check_e0210_implausible_age(r, d);
    cells::check_e0211_id_with_space(r, d);
    references::check_e0301_unknown_school(r, &ids, d);
    references::check_e0302_unknown_community(r, &ids, d);
    references::check_e0303_unknown_teacher(r, &ids, d);
    references::check_e0304_duplicate_id(r, d);
    references::check_e0305_duplicate_demand(r, d);
    references::check_e0306_core_not_in_community(r, &ids, d);
    references::check_e0307_stage_not_offered(r, &ids, d);
    references::check_e0308_year_after_plan(r, d);
    distances::check_e0309_distance_not_derivable(r, &ids, d);
    distances::check_e0310_duplicate_distance(r, d);
    distances::check_e0311_distance_to_itself(r, d);
    references::check_w0301_community_without_members(r, &ids, d);
    references::check_w0302_rural_core_with_urban_member(r, &ids, d);
    references::check_w0303_demand_nobody_teaches(r, d);
    ledger::check_e0401_ledger_starts_after_plan(r, d);
    ledger::check_e0402_ledger_ends_before_start(r, d);
    ledger::check_e0403_ledger_overlap(r, d);
    ledger::check_e0404_ledger_from_not_home(r, &ids, d);
    ledger::check_e0405_ledger_to_home(r, d);
    ledger::check_e0406_request_subject(r, d);
    ledger::check_w0401_ledger_before_hire(r, &ids, d);
    ledger::check_e0408_ledger_too_long(r, d);
}

/// Checks of a file's cells as written, whatever the column: run on every table read.
pub fn check_table(t: &Table, d: &mut Vec<Diagnostic>) {
    cells::check_e0212_formula_or_control(t, d);
    cells::check_w0201_subject_with_space(t, d);
}
