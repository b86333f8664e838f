//! Teachers the model cannot tell apart are one class with a count. Two teachers of one
//! home school with the same subjects, capacity, stages, ledger state, allowed moves at the
//! same costs, trips and backbone flag are interchangeable in every constraint and in the
//! objective, so one integer "how many of them move to s" replaces n symmetric binaries:
//! the optimum is the same and the solver no longer branches over permutations.

use std::collections::BTreeMap;

use crate::domain::{
    Dataset, LedgerState, MoveKind, Near, RequestKind, SchoolIx, Stages, Status, SubjectIx,
    TeacherFacts, TeacherIx, Trip,
};

/// A move a class may make, with its objective coefficient per teacher.
#[derive(Clone, Debug, PartialEq)]
pub struct MoveOption {
    pub host: SchoolIx,
    pub kind: MoveKind,
    pub cost: f64,
}

/// Where a class works when the plan decides nothing for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Base {
    /// At home, free to move, extend or travel as its options say.
    Home,
    /// LOCKED: a term under way at this school.
    Locked(SchoolIx),
    /// Exempt (and not LOCKED): home, no move, no extension, no trip.
    Exempt,
}

#[derive(Clone, Debug)]
pub struct Class {
    /// Sorted by teacher id; the first ones take the moves when the plan is read back.
    pub members: Vec<TeacherIx>,
    pub home: SchoolIx,
    pub base: Base,
    /// ENDING: the school where the term may be extended.
    pub ending: Option<SchoolIx>,
    pub capacity: u32,
    pub main: SubjectIx,
    /// Q(t), main subject first.
    pub qualified: Vec<SubjectIx>,
    /// K(t) when the class may travel, else empty.
    pub itinerant: Vec<SubjectIx>,
    pub moves: Vec<MoveOption>,
    /// Index into `Classes::trip_tables` when the class may travel and has a trip.
    pub trips: Option<usize>,
    pub backbone: bool,
    /// A cadre (干部), told apart only when some request asks for cadres (rule 13).
    pub cadre: bool,
    /// Still to 跟岗 in the learning cycle (rule 14; false when the rule is off).
    pub cycle_pending: bool,
    /// Pinned: its one move option, or its extension, is taken by every member (a class
    /// of one teacher; the column's lower bound is n).
    pub fixed: bool,
    /// The objective coefficient of E(C) per teacher: −extension_bonus, and with a kept
    /// plan the change it makes (the move options' costs carry theirs).
    pub extend_cost: f64,
}

impl Class {
    pub fn n(&self) -> u32 {
        self.members.len() as u32
    }
}

pub struct Classes {
    pub classes: Vec<Class>,
    /// J for each (home, stages, K) that some class has.
    pub trip_tables: Vec<Vec<Trip>>,
    pub facts: Vec<TeacherFacts>,
    /// Per school, Σ_k mult·unmet with nobody moving (rule 12's B(s)).
    pub unmet_alone: Vec<f64>,
    /// Per trip table, the trips that are half-day units of the bound's relaxation
    /// (`bound::relaxed`), each a half day: empty for the model itself.
    pub half_days: Vec<Vec<bool>>,
}

impl Classes {
    /// The integer columns of the whole model at most: a move count per option, an
    /// extension count and a trip-day count per trip, per class (pinned classes' are fixed).
    pub fn integer_columns(&self) -> usize {
        let trips = |c: &Class| c.trips.map_or(0, |t| self.trip_tables[t].len());
        (self.classes.iter())
            .map(|c| c.moves.len() + c.ending.is_some() as usize + trips(c))
            .sum()
    }

    /// The days a week one unit of trip `j` of table `t` takes: 1, or ½ for a half-day unit.
    pub fn day_share(&self, t: usize, j: usize) -> f64 {
        match self.half_days.get(t).and_then(|h| h.get(j)) {
            Some(true) => 0.5,
            _ => 1.0,
        }
    }
}

#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct Signature {
    home: SchoolIx,
    /// Set when classes must not merge teachers (per-teacher models).
    solo: Option<TeacherIx>,
    base: Base,
    ending: Option<SchoolIx>,
    capacity: u32,
    qualified: Vec<SubjectIx>,
    itinerant: Vec<SubjectIx>,
    moves: Vec<(SchoolIx, MoveKind, u64)>,
    trips: Option<usize>,
    backbone: bool,
    cadre: bool,
    cycle_pending: bool,
    fixed: bool,
    extend_cost: u64,
}

impl Classes {
    /// Classes of interchangeable teachers.
    pub fn build(ds: &Dataset) -> Classes {
        Self::build_with(ds, true)
    }

    /// One class per teacher (class i holds teacher i).
    pub fn singletons(ds: &Dataset) -> Classes {
        Self::build_with(ds, false)
    }

    fn build_with(ds: &Dataset, aggregate: bool) -> Classes {
        let facts = ds.teacher_facts();
        let mut tables = TripTables::new(ds);
        let cadres_asked = ds.requests.iter().any(|r| r.kind == RequestKind::Cadre);
        let mut groups: BTreeMap<Signature, Vec<TeacherIx>> = BTreeMap::new();
        for t in ds.teacher_ixs() {
            let mut sig = Signature::of(ds, t, &facts[t.ix()], &mut tables);
            sig.solo = (!aggregate || sig.fixed).then_some(t);
            sig.cadre = cadres_asked && ds.teacher(t).role.is_cadre();
            groups.entry(sig).or_default().push(t);
        }
        let mut classes: Vec<Class> = groups
            .into_iter()
            .map(|(sig, members)| sig.class(ds, members))
            .collect();
        classes.sort_by_key(|c| c.members.iter().min().copied());
        Classes {
            classes,
            trip_tables: tables.tables,
            unmet_alone: ds.unmet_alone(&facts),
            half_days: Vec::new(),
            facts,
        }
    }
}

/// The trip tables J, one per (home, stages, K) that some teacher has, made as first met.
struct TripTables {
    index: BTreeMap<(SchoolIx, Stages, Vec<SubjectIx>), Option<usize>>,
    tables: Vec<Vec<Trip>>,
    near: Near,
}

impl TripTables {
    fn new(ds: &Dataset) -> Self {
        TripTables {
            index: BTreeMap::new(),
            tables: Vec::new(),
            near: ds.near_pairs(),
        }
    }

    /// The table of trips from `home` to stops of `stage` that need some of `k`; None
    /// when there is no such trip.
    fn of(
        &mut self,
        ds: &Dataset,
        home: SchoolIx,
        stage: Stages,
        k: &[SubjectIx],
    ) -> Option<usize> {
        let (tables, near) = (&mut self.tables, &self.near);
        *self
            .index
            .entry((home, stage, k.to_vec()))
            .or_insert_with(|| {
                let cands = ds.stop_candidates(home, stage, k);
                let table = ds.trips_from(home, &cands, near);
                (!table.is_empty()).then(|| {
                    tables.push(table);
                    tables.len() - 1
                })
            })
    }
}

impl Signature {
    /// Teacher `t`'s signature, but for `solo` and `cadre`, which depend on the whole
    /// county's classes (per-teacher models, cadre requests).
    fn of(ds: &Dataset, t: TeacherIx, f: &TeacherFacts, tables: &mut TripTables) -> Signature {
        let te = ds.teacher(t);
        let base = match f.state {
            LedgerState::Locked(l) => Base::Locked(l),
            _ if te.status == Status::Exempt => Base::Exempt,
            _ => Base::Home,
        };
        let free = base == Base::Home;
        let pin = ds.pinned(t);
        let ending = match f.state {
            LedgerState::Ending(l) if free && !pin.stay && pin.move_to.is_none() => Some(l),
            _ => None,
        };
        // With a kept plan, each column carries the change it makes against staying
        // home, which the model counts as a constant (`model::change_offset`).
        let change = |s: SchoolIx| ds.change_cost(t, s) - ds.change_at_home(t, f);
        let moves = match free {
            true => ds.allowed_moves(t, f),
            false => Vec::new(),
        };
        let moves = moves.into_iter().filter_map(|(host, kind)| {
            let cost = ds.move_cost(t, f, host, kind)? + change(host);
            Some((host, kind, cost.to_bits()))
        });
        let k = match free && ds.may_travel(t, f) && ds.policy.itinerant.max_days > 0 {
            true => ds.itinerant_subjects(ds.qualified(t)),
            false => Vec::new(),
        };
        let trips = match k.is_empty() {
            true => None,
            false => tables.of(ds, te.home, te.stage, &k),
        };
        let extend_cost = ending.map_or(0.0, |l| change(l) - ds.policy.weights.extension_bonus);
        Signature {
            home: te.home,
            solo: None,
            base,
            ending,
            capacity: ds.capacity(t),
            qualified: ds.qualified(t).collect(),
            itinerant: if trips.is_some() { k } else { Vec::new() },
            moves: moves.collect(),
            trips,
            backbone: te.backbone,
            cadre: false,
            cycle_pending: f.cycle_pending,
            fixed: free && pin.fixes_place(),
            extend_cost: extend_cost.to_bits(),
        }
    }

    /// The class of the teachers `members` who share this signature.
    fn class(self, ds: &Dataset, mut members: Vec<TeacherIx>) -> Class {
        members.sort_by(|a, b| ds.teacher(*a).id.cmp(&ds.teacher(*b).id));
        let moves = self.moves.iter().map(|&(host, kind, bits)| MoveOption {
            host,
            kind,
            cost: f64::from_bits(bits),
        });
        Class {
            home: self.home,
            base: self.base,
            ending: self.ending,
            capacity: self.capacity,
            main: ds.teacher(members[0]).subject,
            qualified: self.qualified,
            itinerant: self.itinerant,
            moves: moves.collect(),
            trips: self.trips,
            backbone: self.backbone,
            cadre: self.cadre,
            cycle_pending: self.cycle_pending,
            fixed: self.fixed,
            extend_cost: f64::from_bits(self.extend_cost),
            members,
        }
    }
}
