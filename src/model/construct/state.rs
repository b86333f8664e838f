//! The construction's working plan, per teacher: where each works, what each teaches,
//! what each school still lacks, and the counts the rules read. Every step of
//! `construct` changes it through `move_to` and `undo_move`, which keep all of it in step.

use std::collections::{BTreeMap, BTreeSet};

use crate::domain::{
    Dataset, LedgerState, MoveKind, Placement, SchoolIx, Status, SubjectIx, TeacherFacts,
    TeacherIx, Trip,
};

#[derive(Clone)]
pub(super) struct State<'a> {
    pub ds: &'a Dataset,
    pub facts: Vec<TeacherFacts>,
    pub placement: Vec<Placement>,
    /// Periods still uncovered per demand row.
    pub rem: BTreeMap<(SchoolIx, SubjectIx), u32>,
    /// Full-time and trip periods alike: y(t,s,k).
    pub teach: BTreeMap<(TeacherIx, SchoolIx, SubjectIx), u32>,
    pub load: Vec<u32>,
    /// Of `load`, the periods taught on trips.
    pub trip_load: Vec<u32>,
    pub outflow: Vec<u32>,
    pub out_cap: Vec<u32>,
    /// Rule 11's housing per school (`u32::MAX` where none is given).
    pub house_cap: Vec<u32>,
    pub incoming: Vec<u32>,
    /// Support / learning movers by home school, every teacher serving (rules 5-7).
    pub support_from: Vec<u32>,
    pub learning_from: Vec<u32>,
    /// Per teacher at home, the new moves allowed (host, kind).
    pub moves: Vec<Vec<(SchoolIx, MoveKind)>>,
    /// Teachers whose home is each school.
    pub staff: Vec<Vec<TeacherIx>>,
    /// Teachers working full time at each school.
    pub here: Vec<BTreeSet<TeacherIx>>,
    pub trip_days: Vec<Vec<Trip>>,
    /// What trips read of the dataset alone, shared by every copy.
    pub reach: std::rc::Rc<super::reach::Reach>,
}

impl<'a> State<'a> {
    /// Everyone at the place MODEL.md gives before any decision: terms under way at
    /// their host, everyone else at home; nobody teaching yet.
    pub fn new(ds: &'a Dataset) -> Self {
        let mut facts = ds.teacher_facts();
        let n = ds.headcounts(&facts);
        // A teacher pinned to stay or to move anew has no term to extend.
        for t in ds.teacher_ixs() {
            let pin = ds.pinned(t);
            let f = &mut facts[t.ix()];
            if matches!(f.state, LedgerState::Ending(_)) && (pin.stay || pin.move_to.is_some()) {
                f.state = LedgerState::Free;
            }
        }
        let rot = &ds.policy.rotation;
        let ns = ds.schools.len();
        let mut staff = vec![Vec::new(); ns];
        for t in ds.teacher_ixs() {
            staff[ds.teacher(t).home.ix()].push(t);
        }
        let moves = ds
            .teacher_ixs()
            .map(|t| {
                let f = &facts[t.ix()];
                if matches!(f.state, LedgerState::Locked(_))
                    || ds.teacher(t).status != Status::Active
                {
                    return Vec::new();
                }
                ds.allowed_moves(t, f)
                    .into_iter()
                    .filter(|&(s, k)| ds.move_cost(t, f, s, k).is_some())
                    .collect()
            })
            .collect();
        State {
            ds,
            placement: vec![Placement::Home; ds.teachers.len()],
            rem: ds
                .demand
                .iter()
                .filter(|d| d.periods > 0)
                .map(|d| ((d.school, d.subject), d.periods))
                .collect(),
            teach: BTreeMap::new(),
            load: vec![0; ds.teachers.len()],
            trip_load: vec![0; ds.teachers.len()],
            outflow: vec![0; ns],
            out_cap: (0..ns)
                .map(|s| rot.max_outflow_share.floor_of(n.teachers[s]))
                .collect(),
            house_cap: ds
                .school_ixs()
                .map(|s| ds.school(s).housing.unwrap_or(u32::MAX))
                .collect(),
            incoming: vec![0; ns],
            support_from: vec![0; ns],
            learning_from: vec![0; ns],
            moves,
            here: staff.iter().map(|v| v.iter().copied().collect()).collect(),
            staff,
            trip_days: vec![Vec::new(); ds.teachers.len()],
            reach: Default::default(),
            facts,
        }
    }

    pub fn place(&self, t: TeacherIx) -> SchoolIx {
        self.placement[t.ix()].school(self.ds.teacher(t).home)
    }

    pub fn at_home(&self, t: TeacherIx) -> bool {
        self.placement[t.ix()] == Placement::Home
    }

    /// At home and on no trip: free to move full time (a traveller works at home).
    pub fn free_at_home(&self, t: TeacherIx) -> bool {
        self.at_home(t) && self.trip_days[t.ix()].is_empty()
    }

    pub fn spare(&self, t: TeacherIx) -> u32 {
        self.ds.capacity(t).saturating_sub(self.load[t.ix()])
    }

    pub fn rem(&self, s: SchoolIx, k: SubjectIx) -> u32 {
        self.rem.get(&(s, k)).copied().unwrap_or(0)
    }

    /// Σ_k mult(s,k)·rem(s,k): the school's weighted unmet periods as the plan stands.
    pub fn unmet_at(&self, s: SchoolIx) -> f64 {
        self.rem
            .range((s, SubjectIx(0))..=(s, SubjectIx(u32::MAX)))
            .map(|(&(s, k), &r)| self.ds.unmet_mult(s, k) * r as f64)
            .sum()
    }

    /// Trip periods: `t` teaches `p` periods of `k` at stop `s`.
    pub fn give(&mut self, t: TeacherIx, s: SchoolIx, k: SubjectIx, p: u32) {
        if p == 0 {
            return;
        }
        *self.teach.entry((t, s, k)).or_default() += p;
        self.load[t.ix()] += p;
        self.trip_load[t.ix()] += p;
        if let Some(r) = self.rem.get_mut(&(s, k)) {
            *r -= p;
        }
    }

    /// Periods of `k` at `s` trips could still teach: those uncovered and those the
    /// school's own staff teach, who `resolve` re-covers around trips.
    pub fn open_to_trips(&self, s: SchoolIx, k: SubjectIx) -> u32 {
        let own: u32 = self.here[s.ix()]
            .iter()
            .filter_map(|&t| self.teach.get(&(t, s, k)))
            .sum();
        self.rem(s, k) + own
    }

    /// Trip periods over the school's own teaching (`open_to_trips`): `t` teaches `p`
    /// periods of `k` at `s`, and `s`'s own staff are re-covered around them, free for
    /// what no trip teaches.
    pub fn give_over(&mut self, t: TeacherIx, s: SchoolIx, k: SubjectIx, p: u32) {
        let staff: Vec<TeacherIx> = self.here[s.ix()].iter().copied().collect();
        for o in staff {
            self.drop_teaching(o, s);
        }
        self.give(t, s, k, p);
        self.resolve(s);
    }

    /// Takes back `p` trip periods of `k` that `t` teaches at stop `s` (`give` undone).
    pub fn take_back(&mut self, t: TeacherIx, s: SchoolIx, k: SubjectIx, p: u32) {
        if let Some(q) = self.teach.get_mut(&(t, s, k)) {
            *q -= p;
            if *q == 0 {
                self.teach.remove(&(t, s, k));
            }
        }
        self.load[t.ix()] -= p;
        self.trip_load[t.ix()] -= p;
        if let Some(r) = self.rem.get_mut(&(s, k)) {
            *r += p;
        }
    }

    /// Takes back what `t` teaches at `s`.
    fn drop_teaching(&mut self, t: TeacherIx, s: SchoolIx) {
        let keys: Vec<_> = self
            .teach
            .range((t, s, SubjectIx(0))..=(t, s, SubjectIx(u32::MAX)))
            .map(|(key, &p)| (*key, p))
            .collect();
        for (key, p) in keys {
            self.teach.remove(&key);
            self.load[t.ix()] -= p;
            *self.rem.entry((s, key.2)).or_default() += p;
        }
    }

    /// The best teaching at `s` by those who work there full time, around the trip
    /// periods given there: the coverage that leaves the least weighted unmet periods
    /// (`domain::Net`). Exact, so a move tried and taken back leaves `s` as it was.
    pub fn resolve(&mut self, s: SchoolIx) {
        let ds = self.ds;
        let staff: Vec<TeacherIx> = self.here[s.ix()].iter().copied().collect();
        for &t in &staff {
            self.drop_teaching(t, s);
        }
        let rows: Vec<(SubjectIx, u32)> = self
            .rem
            .range((s, SubjectIx(0))..=(s, SubjectIx(u32::MAX)))
            .map(|(&(_, k), &r)| (k, r))
            .collect();
        let mut net = crate::domain::Net::new(
            staff.iter().map(|&t| self.spare(t)).collect(),
            rows.iter().map(|r| r.1).collect(),
            staff
                .iter()
                .map(|&t| {
                    (0..rows.len())
                        .filter(|&i| ds.qualified(t).any(|q| q == rows[i].0))
                        .collect()
                })
                .collect(),
        );
        net.cover(
            &rows
                .iter()
                .map(|r| ds.unmet_mult(s, r.0))
                .collect::<Vec<_>>(),
        );
        for (a, &t) in staff.iter().enumerate() {
            for (i, &(k, _)) in rows.iter().enumerate() {
                let p = net.flow[a][i];
                if p > 0 {
                    self.teach.insert((t, s, k), p);
                    self.load[t.ix()] += p;
                    *self.rem.entry((s, k)).or_default() -= p;
                }
            }
        }
    }

    /// What `t` would cover at `s` with a full load there (main subject first).
    pub fn could_cover(&self, t: TeacherIx, s: SchoolIx) -> u32 {
        let mut left = self.ds.capacity(t);
        let mut got = 0;
        let mut seen = BTreeSet::new();
        for k in self.ds.qualified(t) {
            if seen.insert(k) {
                let p = self.rem(s, k).min(left);
                left -= p;
                got += p;
            }
        }
        got
    }

    /// Of what `t` teaches at its place, the periods the others there could take over
    /// with their spare periods (an estimate: each subject on its own).
    pub fn absorbed(&self, t: TeacherIx) -> u32 {
        let h = self.place(t);
        self.teach
            .range((t, h, SubjectIx(0))..=(t, h, SubjectIx(u32::MAX)))
            .map(|(&(_, _, k), &p)| {
                let spare: u32 = self.here[h.ix()]
                    .iter()
                    .filter(|&&o| o != t && self.ds.qualified(o).any(|q| q == k))
                    .map(|&o| self.spare(o))
                    .sum();
                p.min(spare)
            })
            .sum()
    }

    /// Periods `t`'s school would be left without if `t` went: what it teaches there
    /// that nobody else there could take over.
    pub fn loss(&self, t: TeacherIx) -> u32 {
        self.load[t.ix()].saturating_sub(self.absorbed(t))
    }

    pub fn may_host(&self, s: SchoolIx) -> bool {
        self.incoming[s.ix()] < self.house_cap[s.ix()]
    }

    pub fn may_send(&self, h: SchoolIx) -> bool {
        self.outflow[h.ix()] < self.out_cap[h.ix()]
    }

    /// Whether `t`, at home, may make a new move of `kind` to `s`, caps aside.
    pub fn allowed(&self, t: TeacherIx, s: SchoolIx, kind: MoveKind) -> bool {
        self.free_at_home(t) && self.moves[t.ix()].contains(&(s, kind))
    }

    /// Whether `t`, at home, may make a new move of `kind` to `s` within the caps.
    pub fn may_move(&self, t: TeacherIx, s: SchoolIx, kind: MoveKind) -> bool {
        self.allowed(t, s, kind) && self.may_send(self.ds.teacher(t).home) && self.may_host(s)
    }

    /// Sets where `t` works, keeping `here` in step.
    fn set_place(&mut self, t: TeacherIx, p: Placement) {
        let old = self.place(t);
        self.here[old.ix()].remove(&t);
        self.placement[t.ix()] = p;
        let new = self.place(t);
        self.here[new.ix()].insert(t);
    }

    /// Counts a teacher serving at `host` (away from home `h`) in the rule counters.
    fn count(&mut self, h: SchoolIx, host: SchoolIx, sign: i32) {
        let add = |v: &mut u32| *v = v.wrapping_add_signed(sign);
        add(&mut self.outflow[h.ix()]);
        add(&mut self.incoming[host.ix()]);
        match self.ds.move_kind_from(h, host) {
            Some(MoveKind::Support) => add(&mut self.support_from[h.ix()]),
            Some(MoveKind::Learning) => add(&mut self.learning_from[h.ix()]),
            None => {}
        }
    }

    /// Places `t` at `p` before anyone teaches (terms under way, extensions).
    pub fn place_term(&mut self, t: TeacherIx, p: Placement) {
        let h = self.ds.teacher(t).home;
        if p != Placement::Home {
            self.count(h, p.school(h), 1);
        }
        self.set_place(t, p);
    }

    /// Moves `t` to `s` full time; those left at home and those at `s` take up what
    /// changed.
    pub fn move_to(&mut self, t: TeacherIx, s: SchoolIx, kind: MoveKind) {
        self.relocate(t, Placement::New(s, kind));
    }

    /// Puts `t` (teaching nothing on trips) at `p`; both schools re-solve their teaching.
    fn relocate(&mut self, t: TeacherIx, p: Placement) {
        let h = self.ds.teacher(t).home;
        let (from, to) = (self.place(t), p.school(h));
        if from != h {
            self.count(h, from, -1);
        }
        if to != h {
            self.count(h, to, 1);
        }
        self.drop_teaching(t, from);
        self.set_place(t, p);
        self.resolve(from);
        self.resolve(to);
    }

    /// Brings `t` home from a new move; both schools take up what changed.
    pub fn undo_move(&mut self, t: TeacherIx) {
        if matches!(self.placement[t.ix()], Placement::New(..)) && !self.ds.pinned(t).holds() {
            self.relocate(t, Placement::Home);
        }
    }

    /// New movers of `kind` whose home is `s`.
    pub fn new_movers(&self, s: SchoolIx, kind: MoveKind) -> Vec<TeacherIx> {
        self.staff[s.ix()]
            .iter()
            .copied()
            .filter(|&t| matches!(self.placement[t.ix()], Placement::New(_, k) if k == kind))
            .collect()
    }
}

impl State<'_> {
    /// The decisions as the model reads them.
    pub fn into_decisions(self) -> super::super::Decisions {
        super::super::Decisions {
            placement: self.placement,
            trip_days: self.trip_days,
            periods: self
                .teach
                .into_iter()
                .filter(|(_, p)| *p > 0)
                .map(|((t, s, k), p)| (t, s, k, p))
                .collect(),
        }
    }

    /// Support movers and backbone ones among them, county-wide (rule 8).
    pub fn backbone_counts(&self) -> (u32, u32) {
        let (mut all, mut backbone) = (0, 0);
        for t in self.ds.teacher_ixs() {
            let h = self.ds.teacher(t).home;
            if !self.at_home(t)
                && self.ds.move_kind_from(h, self.place(t)) == Some(MoveKind::Support)
            {
                all += 1;
                backbone += self.ds.teacher(t).backbone as u32;
            }
        }
        (all, backbone)
    }

    /// Whether one more support mover (backbone or not) keeps rule 8 met.
    pub fn backbone_short(&self, extra_backbone: bool) -> bool {
        let (all, bb) = self.backbone_counts();
        let share = self.ds.policy.rotation.backbone_min_share.as_f64();
        (bb + extra_backbone as u32) as f64 + 1e-9 < share * (all + 1) as f64
    }

    /// km between two schools (∞ when unknown).
    pub fn km(&self, a: SchoolIx, b: SchoolIx) -> f64 {
        self.ds.leg(a, b).map_or(f64::INFINITY, |l| l.km)
    }

    /// Takes an extension back: the teacher is home again; both schools take up what
    /// changed.
    pub fn unextend(&mut self, t: TeacherIx) {
        if matches!(self.placement[t.ix()], Placement::Extended(_)) && !self.ds.pinned(t).holds() {
            self.relocate(t, Placement::Home);
        }
    }

    /// Extends an ENDING term at its school `l` (e(t) = 1).
    pub fn extend(&mut self, t: TeacherIx, l: SchoolIx) {
        self.relocate(t, Placement::Extended(l));
    }
}
