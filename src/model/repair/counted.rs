//! The rules that count people (5-11, 13, 14) mended on a plan whose periods are known
//! (the period LP's), one teacher at a time, where the change is sure to cost less than
//! the shortfalls it mends. A search can leave such shortfalls it had the moves to avoid:
//! RENS's first stage holds each class's moves in a box around the LP and, on counties of
//! the shared mixed-county's shape, ends with the minute, so no later stage mends them (a
//! variant: communities one learner or one support teacher over, a school one learner
//! past its outflow cap; 9.21 M before, 8.10 M after, docs/benchmarks.md, thirty-fifth
//! session).
//!
//! Contract: a change is a new move dropped (the teacher stays home) or one made (a
//! teacher at home, on no trip, takes a move allowed them: support to a member, or
//! learning at a core). Its cost is counted for sure, or bounded above: the rules'
//! shortfalls before and after, exactly (they count people; rule 8's share as a
//! fraction); the move's own cost (dropped or made) and a change from a kept plan,
//! exactly; and what the school the teacher leaves loses: their periods there, weighted,
//! as unmet periods with everyone else teaching as before (the period LP, solved again,
//! does no worse), and at a member as much of them as passes what rule 12 leaves it (B(s)
//! less its weighted unmet, less what earlier changes took) as rule 12's shortfall. The
//! school the teacher goes to only gains. The change that costs least is made while one
//! costs less than nothing; the caller solves the periods again after. Only teachers of
//! a school or community where a rule is short are tried (and, while rule 8 is short,
//! support movers anywhere).

use std::collections::{BTreeMap, BTreeSet};

use super::Plan;
use crate::domain::{
    CommunityIx, Dataset, Headcounts, MoveKind, Placement, ReciprocalCounts, RequestKind, SchoolIx,
    SubjectIx, TeacherFacts, TeacherIx,
};
use crate::model::Periods;

/// At most this many changes a plan.
const MOST_CHANGES: usize = 500;

/// Mends the counted rules on `plan` from its `periods`; true when it changed anything.
pub(in crate::model) fn counted(ds: &Dataset, plan: &mut Plan, periods: &[Periods]) -> bool {
    let facts = ds.teacher_facts();
    let rules = Rules::of(ds, &facts);
    let mut tally = Tally::of(ds, &facts, &plan.0);
    let mut taught = Taught::of(ds, &facts, periods);
    let mut changed = false;
    // Each change lowers the plan's cost by more than 1, so this ends; the cap keeps a
    // county with a search gone wrong from spending long here (each round reads the
    // teachers of the schools where a rule is short).
    for _ in 0..MOST_CHANGES {
        let Some(c) = cheapest(ds, &facts, &rules, &mut tally, &taught, plan) else {
            break;
        };
        let from = plan.0[c.teacher.ix()];
        tally.shift(ds, &facts, c.teacher, from, -1);
        tally.shift(ds, &facts, c.teacher, c.to, 1);
        taught.take(ds, c.teacher, from.school(ds.teacher(c.teacher).home));
        plan.0[c.teacher.ix()] = c.to;
        super::trace(ds, "counted rules", c.teacher, c.to, c.cost);
        changed = true;
    }
    changed
}

/// One teacher's new place, and what it costs at most.
struct Change {
    teacher: TeacherIx,
    to: Placement,
    cost: f64,
}

/// The cheapest change that costs less than nothing, if any.
fn cheapest(
    ds: &Dataset,
    facts: &[TeacherFacts],
    rules: &Rules,
    tally: &mut Tally,
    taught: &Taught,
    plan: &Plan,
) -> Option<Change> {
    let short = rules.short_at(ds, tally);
    let now = rules.shortfall(ds, tally);
    let w = &ds.policy.weights;
    let mut best: Option<Change> = None;
    // Moves stay inside the home's community, so a teacher whose community has no school
    // short can change nothing near one (asked before `allowed_moves`, which is the cost).
    let near_community: BTreeSet<CommunityIx> = (short.schools.iter())
        .filter_map(|&s| ds.school(s).community)
        .collect();
    let may_help = |t: TeacherIx| {
        short.backbone
            || ds
                .school(ds.teacher(t).home)
                .community
                .is_none_or(|c| near_community.contains(&c))
    };
    for t in ds.teacher_ixs().filter(|&t| may_help(t)) {
        for (to, moved) in options(ds, facts, t, plan) {
            let from = plan.0[t.ix()];
            let home = ds.teacher(t).home;
            let (left, went) = (from.school(home), to.school(home));
            let support = kind_of(from, to) == Some(MoveKind::Support);
            let near = short.schools.contains(&left) || short.schools.contains(&went);
            if !(near || short.backbone && support) {
                continue;
            }
            tally.shift(ds, facts, t, from, -1);
            tally.shift(ds, facts, t, to, 1);
            let after = rules.shortfall(ds, tally);
            tally.shift(ds, facts, t, to, -1);
            tally.shift(ds, facts, t, from, 1);
            let (unmet, member) = taught.lost(ds, t, left);
            let cost = (after - now + member) * w.violation
                + unmet * w.unmet
                + moved
                + ds.change_cost(t, went)
                - ds.change_cost(t, left);
            if cost < -1.0 && best.as_ref().is_none_or(|b| cost < b.cost - 1e-9) {
                best = Some(Change {
                    teacher: t,
                    to,
                    cost,
                });
            }
        }
    }
    best
}

/// The kind of move a change makes or drops.
fn kind_of(from: Placement, to: Placement) -> Option<MoveKind> {
    match (from, to) {
        (Placement::New(_, k), _) | (_, Placement::New(_, k)) => Some(k),
        _ => None,
    }
}

/// The changes open to `t` (new place, the move cost it adds): a new move dropped, or,
/// at home on no trip, each move allowed them.
fn options(
    ds: &Dataset,
    facts: &[TeacherFacts],
    t: TeacherIx,
    plan: &Plan,
) -> Vec<(Placement, f64)> {
    let f = &facts[t.ix()];
    match plan.0[t.ix()] {
        Placement::New(s, kind) if ds.pinned(t).move_to.is_none() => {
            let cost = ds.move_cost(t, f, s, kind).unwrap_or(0.0);
            vec![(Placement::Home, -cost)]
        }
        Placement::Home if plan.1[t.ix()].is_empty() => (ds.allowed_moves(t, f).into_iter())
            .filter_map(|(s, kind)| Some((Placement::New(s, kind), ds.move_cost(t, f, s, kind)?)))
            .collect(),
        _ => Vec::new(),
    }
}

/// What the counted rules ask, fixed by the dataset.
struct Rules {
    /// Rules 5 and 6 by core, one row each.
    core_need: Vec<(SchoolIx, u32)>,
    learning_need: BTreeMap<SchoolIx, u32>,
    cycle_need: BTreeMap<SchoolIx, u32>,
    outflow_cap: Vec<u32>,
    backbone_share: f64,
}

/// Where rules are short: schools (a community's every school for rule 9), and rule 8.
struct Short {
    schools: BTreeSet<SchoolIx>,
    backbone: bool,
}

impl Rules {
    fn of(ds: &Dataset, facts: &[TeacherFacts]) -> Rules {
        let n: Headcounts = ds.headcounts(facts);
        let core_need = (ds.core_requirements(&n).into_iter())
            .flat_map(|r| [(r.school, r.core_share), (r.school, r.due_share)])
            .collect();
        let rot = &ds.policy.rotation;
        Rules {
            core_need,
            learning_need: ds.learning_requirements(&n).into_iter().collect(),
            cycle_need: (ds.cycle_requirements(&n).into_iter())
                .map(|r| (r.school, r.need))
                .collect(),
            outflow_cap: (n.teachers.iter())
                .map(|&k| rot.max_outflow_share.floor_of(k))
                .collect(),
            backbone_share: rot.backbone_min_share.as_f64(),
        }
    }

    /// Each rule row's shortfall in `tally`, given to `row` with where it is: a school,
    /// or a community (rule 9), or the county (rule 8, `None`).
    fn rows(&self, ds: &Dataset, tally: &Tally, mut row: impl FnMut(At, f64)) {
        let gap = |need: u32, have: i64| (need as i64 - have).max(0) as f64;
        for &(c, need) in &self.core_need {
            row(At::School(c), gap(need, tally.support[c.ix()]));
        }
        for (&m, &need) in &self.learning_need {
            row(At::School(m), gap(need, tally.learning[m.ix()]));
        }
        for (&m, &need) in &self.cycle_need {
            row(At::School(m), gap(need, tally.cycle[m.ix()]));
        }
        for s in ds.school_ixs() {
            let over = (tally.outflow[s.ix()] - self.outflow_cap[s.ix()] as i64).max(0);
            row(At::School(s), over as f64);
            if let Some(h) = ds.school(s).housing {
                row(
                    At::School(s),
                    (tally.incoming[s.ix()] - h as i64).max(0) as f64,
                );
            }
        }
        for r in &ds.requests {
            let served = match r.kind {
                RequestKind::Teacher(k) => tally.by_subject.get(&(r.school, k)).copied(),
                RequestKind::Cadre => Some(tally.cadres[r.school.ix()]),
            };
            row(At::School(r.school), gap(r.count, served.unwrap_or(0)));
        }
        for (ci, com) in ds.communities.iter().enumerate() {
            if ds.policy.rotation.reciprocal.get(com.mode) {
                let (s, l) = tally.sides[ci];
                row(At::Community(ci), (s - l).abs() as f64);
            }
        }
        if self.backbone_share > 0.0 {
            let short = self.backbone_share * tally.all as f64 - tally.bb as f64;
            row(At::County, short.max(0.0));
        }
    }

    /// The counted rules' shortfall in all.
    fn shortfall(&self, ds: &Dataset, tally: &Tally) -> f64 {
        let mut sum = 0.0;
        self.rows(ds, tally, |_, v| sum += v);
        sum
    }

    fn short_at(&self, ds: &Dataset, tally: &Tally) -> Short {
        let mut short = Short {
            schools: BTreeSet::new(),
            backbone: false,
        };
        self.rows(ds, tally, |at, v| match at {
            _ if v <= 1e-9 => {}
            At::School(s) => {
                short.schools.insert(s);
            }
            At::Community(ci) => {
                let com = &ds.communities[ci];
                short.schools.extend(com.core.iter().chain(&com.members));
            }
            At::County => short.backbone = true,
        });
        short
    }
}

/// Where a rule row is.
#[derive(Clone, Copy)]
enum At {
    School(SchoolIx),
    Community(usize),
    County,
}

/// The plan's counts that the rules read.
struct Tally {
    /// Serving support movers by home core, learners by home member, and those of them
    /// still to 跟岗 in the cycle.
    support: Vec<i64>,
    learning: Vec<i64>,
    cycle: Vec<i64>,
    /// Serving away from home, by home; serving from elsewhere, by host.
    outflow: Vec<i64>,
    incoming: Vec<i64>,
    /// Incoming by host and main subject, and incoming cadres by host (rule 13).
    by_subject: BTreeMap<(SchoolIx, SubjectIx), i64>,
    cadres: Vec<i64>,
    /// Rule 9's support and learning counts by community.
    sides: Vec<(i64, i64)>,
    /// Support movers in the county, and backbone ones among them (rule 8).
    all: i64,
    bb: i64,
}

impl Tally {
    fn of(ds: &Dataset, facts: &[TeacherFacts], placement: &[Placement]) -> Tally {
        let n = ds.schools.len();
        let mut tally = Tally {
            support: vec![0; n],
            learning: vec![0; n],
            cycle: vec![0; n],
            outflow: vec![0; n],
            incoming: vec![0; n],
            by_subject: BTreeMap::new(),
            cadres: vec![0; n],
            sides: vec![(0, 0); ds.communities.len()],
            all: 0,
            bb: 0,
        };
        for t in ds.teacher_ixs() {
            tally.shift(ds, facts, t, placement[t.ix()], 1);
        }
        tally
    }

    /// Counts `t` at `p` in (`sign` 1) or out (−1).
    fn shift(
        &mut self,
        ds: &Dataset,
        facts: &[TeacherFacts],
        t: TeacherIx,
        p: Placement,
        sign: i64,
    ) {
        let te = ds.teacher(t);
        let (home, host) = (te.home, p.school(te.home));
        if host == home {
            return;
        }
        self.outflow[home.ix()] += sign;
        self.incoming[host.ix()] += sign;
        *self.by_subject.entry((host, te.subject)).or_default() += sign;
        if te.role.is_cadre() {
            self.cadres[host.ix()] += sign;
        }
        let counted = matches!(p, Placement::New(..))
            || ds.policy.rotation.reciprocal_counts == ReciprocalCounts::Serving;
        let community = ds.school(home).community.map(|c| c.ix());
        match ds.move_kind_from(home, host) {
            Some(MoveKind::Support) => {
                self.support[home.ix()] += sign;
                self.all += sign;
                self.bb += sign * te.backbone as i64;
                if let (true, Some(c)) = (counted, community) {
                    self.sides[c].0 += sign;
                }
            }
            Some(MoveKind::Learning) => {
                self.learning[home.ix()] += sign;
                self.cycle[home.ix()] += sign * facts[t.ix()].cycle_pending as i64;
                if let (true, Some(c)) = (counted, community) {
                    self.sides[c].1 += sign;
                }
            }
            None => {}
        }
    }
}

/// What the plan teaches, and what rule 12 leaves each member.
struct Taught {
    /// The periods each teacher teaches, by school and subject.
    periods: BTreeMap<TeacherIx, Vec<(SchoolIx, SubjectIx, u32)>>,
    /// Periods taught of each demand row, less what earlier changes took.
    cover: BTreeMap<(SchoolIx, SubjectIx), u32>,
    /// B(s) less the member's weighted unmet (and what earlier changes took); infinite
    /// where rule 12 does not hold.
    room: Vec<f64>,
}

impl Taught {
    fn of(ds: &Dataset, facts: &[TeacherFacts], periods: &[Periods]) -> Taught {
        let mut by_teacher: BTreeMap<TeacherIx, Vec<_>> = BTreeMap::new();
        let mut cover: BTreeMap<(SchoolIx, SubjectIx), u32> = BTreeMap::new();
        for &(t, s, k, p) in periods {
            by_teacher.entry(t).or_default().push((s, k, p));
            *cover.entry((s, k)).or_default() += p;
        }
        let mut room = vec![f64::INFINITY; ds.schools.len()];
        if ds.policy.rotation.protect_members {
            let alone = ds.unmet_alone(facts);
            for &m in ds.communities.iter().flat_map(|c| &c.members) {
                room[m.ix()] = alone[m.ix()];
            }
            for d in &ds.demand {
                let taught = cover.get(&(d.school, d.subject)).copied().unwrap_or(0);
                let short = d.periods.saturating_sub(taught);
                room[d.school.ix()] -= short as f64 * ds.unmet_mult(d.school, d.subject);
            }
        }
        Taught {
            periods: by_teacher,
            cover,
            room,
        }
    }

    /// The weighted periods `s` is left short by when `t` teaches nothing there and
    /// everyone else as before, and how much of that passes rule 12's room.
    fn lost(&self, ds: &Dataset, t: TeacherIx, s: SchoolIx) -> (f64, f64) {
        let at_s = self.periods.get(&t).into_iter().flatten();
        let lost: f64 = (at_s.filter(|&&(at, _, _)| at == s))
            .map(|&(_, k, p)| {
                let need = ds.demand_of(s, k);
                let taught = self.cover.get(&(s, k)).copied().unwrap_or(0);
                let short = |cover: u32| need.saturating_sub(cover) as f64;
                (short(taught.saturating_sub(p)) - short(taught)) * ds.unmet_mult(s, k)
            })
            .sum();
        let room = self.room[s.ix()].max(0.0);
        (lost, (lost - room).max(0.0))
    }

    /// `t` no longer teaches at `s`.
    fn take(&mut self, ds: &Dataset, t: TeacherIx, s: SchoolIx) {
        let (lost, _) = self.lost(ds, t, s);
        self.room[s.ix()] -= lost;
        for &(at, k, p) in self.periods.get(&t).into_iter().flatten() {
            if at == s {
                if let Some(c) = self.cover.get_mut(&(s, k)) {
                    *c = c.saturating_sub(p);
                }
            }
        }
        self.periods.remove(&t);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{DatasetBuilder, Mode, Request, SchoolKind, Share, Stages, TeacherSpec};

    /// Core A (语文 teachers A0-A3, `a` periods to teach) and member B (语文 teachers L0,
    /// L1, L2, `b` periods); no core, due or backbone share, outflow unlimited, unless
    /// `tune` says otherwise.
    fn county(a: u32, b: u32, tune: impl FnOnce(&mut DatasetBuilder)) -> Dataset {
        let mut d = DatasetBuilder::new()
            .school("A", SchoolKind::Urban, Stages::PRIMARY, Some("C"))
            .school("B", SchoolKind::Rural, Stages::PRIMARY, Some("C"))
            .community("C", Mode::Tight, &["A"])
            .distance("A", "B", 10.0, 15.0)
            .demand("A", "语文", a)
            .demand("B", "语文", b);
        for id in ["A0", "A1", "A2", "A3"] {
            d = d.teacher(TeacherSpec::new(id, "A", "语文"));
        }
        for id in ["L0", "L1", "L2"] {
            d = d.teacher(TeacherSpec::new(id, "B", "语文"));
        }
        let rot = &mut d.policy_mut().rotation;
        rot.max_outflow_share = Share::from_f64(1.0).unwrap();
        rot.core_min_share.tight = Share::from_f64(0.0).unwrap();
        rot.due_min_share = Share::from_f64(0.0).unwrap();
        rot.backbone_min_share = Share::from_f64(0.0).unwrap();
        tune(&mut d);
        d.build()
    }

    fn reciprocal(d: &mut DatasetBuilder) {
        d.policy_mut().rotation.reciprocal.tight = true;
    }

    fn teacher(ds: &Dataset, id: &str) -> TeacherIx {
        ds.teacher_ixs().find(|&t| ds.teacher(t).id == id).unwrap()
    }

    fn school(ds: &Dataset, id: &str) -> SchoolIx {
        ds.school_ixs().find(|&s| ds.school(s).id == id).unwrap()
    }

    /// `learners` at A, `support` at B.
    fn plan(ds: &Dataset, learners: &[&str], support: &[&str]) -> Plan {
        let mut placement = vec![Placement::Home; ds.teachers.len()];
        for id in learners {
            placement[teacher(ds, id).ix()] = Placement::New(school(ds, "A"), MoveKind::Learning);
        }
        for id in support {
            placement[teacher(ds, id).ix()] = Placement::New(school(ds, "B"), MoveKind::Support);
        }
        (placement, vec![Vec::new(); ds.teachers.len()])
    }

    /// (teacher, school, 语文 periods).
    fn periods(ds: &Dataset, taught: &[(&str, &str, u32)]) -> Vec<Periods> {
        let k = ds.teacher(teacher(ds, "A0")).subject;
        (taught.iter())
            .map(|&(t, s, p)| (teacher(ds, t), school(ds, s), k, p))
            .collect()
    }

    /// A's 64 periods: A0-A2 16 each, L0 12, L1 4 (the learners); B's 32: L2 16, A3 16.
    const LEARNERS_TEACH: [(&str, &str, u32); 6] = [
        ("A0", "A", 16),
        ("A1", "A", 16),
        ("A2", "A", 16),
        ("L0", "A", 12),
        ("L1", "A", 4),
        ("L2", "B", 16),
    ];

    #[test]
    fn the_learner_over_the_support_teachers_whom_the_host_misses_least_stays_home() {
        let ds = county(64, 32, reciprocal);
        let mut p = plan(&ds, &["L0", "L1"], &["A3"]);
        let mut taught = LEARNERS_TEACH.to_vec();
        taught.push(("A3", "B", 16));
        assert!(counted(&ds, &mut p, &periods(&ds, &taught)));
        assert_eq!(p, plan(&ds, &["L0"], &["A3"]));
    }

    #[test]
    fn learners_the_learning_share_needs_stay_and_a_support_teacher_evens_the_count() {
        // B must send ⌈1.0 · 3⌉ = 3: a learner going home would mend rule 9 and break
        // rule 7; A0 going to B mends rule 9 for A0's 16 periods at A.
        let ds = county(64, 32, |d| {
            reciprocal(d);
            d.policy_mut().rotation.learning_min_share = Share::from_f64(1.0).unwrap();
        });
        let mut p = plan(&ds, &["L0", "L1"], &["A3"]);
        let mut taught = LEARNERS_TEACH.to_vec();
        taught.push(("A3", "B", 16));
        assert!(counted(&ds, &mut p, &periods(&ds, &taught)));
        assert_eq!(p, plan(&ds, &["L0", "L1"], &["A0", "A3"]));
    }

    #[test]
    fn nothing_changes_where_it_may_cost_more_than_the_shortfall() {
        // L1's 4 periods at A at 1,000 each against a shortfall priced 3,000.
        let ds = county(64, 32, |d| {
            reciprocal(d);
            d.policy_mut().weights.violation = 3_000.0;
        });
        let mut p = plan(&ds, &["L0", "L1"], &["A3"]);
        let mut taught = LEARNERS_TEACH.to_vec();
        taught.push(("A3", "B", 16));
        let before = p.clone();
        assert!(!counted(&ds, &mut p, &periods(&ds, &taught)));
        assert_eq!(p, before);
    }

    #[test]
    fn rules_5_and_6_are_two_rows() {
        // A must send ⌈0.25 · 4⌉ = 1 by the core share and 1 by the due share, and may
        // send none (outflow cap ⌊0.2 · 4⌋ = 0); B needs A0's 16 periods. A0 going home
        // mends rule 9 and the outflow cap, breaks rules 5 and 6: no gain for 16 periods.
        let ds = county(48, 64, |d| {
            reciprocal(d);
            let rot = &mut d.policy_mut().rotation;
            rot.core_min_share.tight = Share::from_f64(0.25).unwrap();
            rot.due_min_share = Share::from_f64(0.25).unwrap();
            rot.max_outflow_share = Share::from_f64(0.2).unwrap();
        });
        let mut p = plan(&ds, &[], &["A0"]);
        let taught = [
            ("A1", "A", 16),
            ("A2", "A", 16),
            ("A3", "A", 16),
            ("L0", "B", 16),
            ("L1", "B", 16),
            ("L2", "B", 16),
            ("A0", "B", 16),
        ];
        let before = p.clone();
        assert!(!counted(&ds, &mut p, &periods(&ds, &taught)));
        assert_eq!(p, before);
    }

    #[test]
    fn the_support_teacher_the_member_can_spare_stays_home() {
        // B teaches its 48 periods alone (B(s) = 0); with L0 learning, A0 teaches 16 of
        // them, A1 none: A0 going home would leave B worse off, A1 may.
        let ds = county(64, 48, reciprocal);
        let mut p = plan(&ds, &["L0"], &["A0", "A1"]);
        let taught = [
            ("L1", "B", 16),
            ("L2", "B", 16),
            ("A0", "B", 16),
            ("A2", "A", 16),
            ("A3", "A", 16),
            ("L0", "A", 16),
        ];
        assert!(counted(&ds, &mut p, &periods(&ds, &taught)));
        assert_eq!(p, plan(&ds, &["L0"], &["A0"]));
    }

    #[test]
    fn a_school_over_its_outflow_cap_keeps_the_learner_its_host_misses_least() {
        // ⌊0.34 · 3⌋ = 1 of B's teachers may serve elsewhere; two learn at A.
        let ds = county(64, 32, |d| {
            d.policy_mut().rotation.max_outflow_share = Share::from_f64(0.34).unwrap();
        });
        let mut p = plan(&ds, &["L0", "L1"], &[]);
        assert!(counted(&ds, &mut p, &periods(&ds, &LEARNERS_TEACH)));
        assert_eq!(p, plan(&ds, &["L0"], &[]));
    }

    #[test]
    fn a_request_is_met_by_the_teacher_the_core_can_spare() {
        // B asks for a 语文 teacher; A teaches 48 with four teachers, A3 idle.
        let mut ds = county(48, 48, |_| {});
        ds.requests.push(Request {
            school: school(&ds, "B"),
            kind: RequestKind::Teacher(ds.teacher(teacher(&ds, "A0")).subject),
            count: 1,
            note: String::new(),
        });
        let mut p = plan(&ds, &[], &[]);
        let taught = [
            ("A0", "A", 16),
            ("A1", "A", 16),
            ("A2", "A", 16),
            ("L0", "B", 16),
            ("L1", "B", 16),
            ("L2", "B", 16),
        ];
        assert!(counted(&ds, &mut p, &periods(&ds, &taught)));
        assert_eq!(p, plan(&ds, &[], &["A3"]));
    }
}
