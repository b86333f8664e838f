//! What the construction's trips read of the dataset alone (`Reach`), worked out once
//! and shared by every copy of its state.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use crate::domain::{Dataset, SchoolIx, Status, SubjectIx, TeacherFacts, TeacherIx, Trip};

/// A traveller's 音体美 subjects and the stops J(t) may reach.
pub(super) type Stops = (Vec<SubjectIx>, Vec<SchoolIx>);

/// What the construction's trips read of the dataset alone, each worked out once and
/// shared by every copy of the state: a teacher's 音体美 subjects and the stops J(t) may
/// reach, and the one-stop trip from one school to another. `travellers_to` runs for
/// every learner tried, and worked both out again each time (the `enshi` profile's L
/// county: a tenth of its construction).
#[derive(Default)]
pub(super) struct Reach {
    travellers: RefCell<BTreeMap<TeacherIx, Option<Rc<Stops>>>>,
    trips: RefCell<BTreeMap<(SchoolIx, SchoolIx), Option<Trip>>>,
}

impl Reach {
    pub(super) fn traveller(
        &self,
        ds: &Dataset,
        facts: &[TeacherFacts],
        t: TeacherIx,
    ) -> Option<Rc<Stops>> {
        let work = || {
            let te = ds.teacher(t);
            if te.status != Status::Active || !ds.may_travel(t, &facts[t.ix()]) {
                return None;
            }
            let k = ds.itinerant_subjects(ds.qualified(t));
            if k.is_empty() {
                return None;
            }
            let cands = ds.stop_candidates(te.home, te.stage, &k);
            Some(Rc::new((k, cands)))
        };
        self.travellers
            .borrow_mut()
            .entry(t)
            .or_insert_with(work)
            .clone()
    }

    pub(super) fn one_stop(&self, ds: &Dataset, home: SchoolIx, stop: SchoolIx) -> Option<Trip> {
        let work = || ds.one_stop_trips(home, &[stop]).into_iter().next();
        self.trips
            .borrow_mut()
            .entry((home, stop))
            .or_insert_with(work)
            .clone()
    }
}
