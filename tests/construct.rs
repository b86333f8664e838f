//! The construction's start (`model::construct`), on hand-built counties: what it does
//! where the rules leave one sound plan. Its plan is written and read back by the
//! independent checker like any other.

mod common;

use lungang::domain::{Dataset, MoveKind, Placement, SchoolIx};
use lungang::model::{Decisions, SolveStatus, SolverSettings};
use lungang::plan::{Plan, SolveReport};

/// The start as a plan, written and passed by the checker.
fn start_plan(ds: &Dataset) -> (Plan, Decisions) {
    let set = SolverSettings::new(30.0, 1e-4, 1);
    let before = lungang::model::unmet_before(ds, &set).expect("the no-move LP solves");
    let report = SolveReport {
        status: SolveStatus::Feasible,
        bound: 0.0,
        seconds: 0.0,
    };
    let d = lungang::model::construct::start(ds);
    let plan = Plan::assemble(ds, &d, &before, report);
    common::write_and_check(ds, &plan);
    (plan, d)
}

fn teacher(ds: &Dataset, id: &str) -> usize {
    ds.teachers
        .iter()
        .position(|t| t.id == id)
        .expect("teacher")
}

fn placed(ds: &Dataset, d: &Decisions, id: &str) -> Placement {
    d.placement[teacher(ds, id)]
}

/// Those of `ids` who leave home, with where they go.
fn moved<'a>(ds: &Dataset, d: &Decisions, ids: &[&'a str]) -> Vec<(&'a str, Placement)> {
    ids.iter()
        .map(|&id| (id, placed(ds, d, id)))
        .filter(|(_, p)| *p != Placement::Home)
        .collect()
}

/// The periods each of `id`'s trip days teaches at `school`.
fn trip_periods(ds: &Dataset, d: &Decisions, id: &str, school: SchoolIx) -> Vec<u32> {
    let days = &d.trip_days[teacher(ds, id)];
    days.iter().map(|j| j.periods_at(school)).collect()
}

fn rule_ok(plan: &Plan, rule: &str, scope: &str) -> bool {
    plan.rules
        .iter()
        .find(|r| r.rule == rule && r.scope == scope)
        .unwrap_or_else(|| panic!("no {rule} row for {scope}"))
        .ok
}

/// Rule 7 asks S02 for one learner, rule 12 for a backfill, and the core may send nobody
/// full time (its outflow cap is 0): the start sends the learner and backfills S02 by
/// 走教, two days of the core's 音乐 teacher (MODEL.md rule 12: "backfilled by a support
/// teacher or a trip"). Before trips could backfill, the start kept the learner home and
/// broke rule 7.
#[test]
fn a_learner_the_core_cannot_backfill_full_time_is_backfilled_by_trips() {
    let ds = common::load(&common::repo(
        "tests/data/construct/learner_backfilled_by_trips",
    ));
    let (plan, d) = start_plan(&ds);
    let (s01, s02) = (SchoolIx(0), SchoolIx(1));
    assert_eq!(
        placed(&ds, &d, "Q01"),
        Placement::New(s01, MoveKind::Learning)
    );
    let days = trip_periods(&ds, &d, "R03", s02);
    assert_eq!(days, [4, 4], "two days of 4 periods cover S02's 8");
    assert!(rule_ok(&plan, "learning_share", "S02"));
    assert!(rule_ok(&plan, "protect_members", "S02"));
    // S02 lacks 8 数学 periods without Q01, and nothing else.
    assert_eq!(plan.counts.unmet_periods, 8);
}

/// Rule 7 asks S02 for one learner (Q01, 数学), rule 12 for a backfill; the core may send
/// nobody full time and has no one to send on trips. S02's 体育 teacher Q05 may teach 数学
/// but spends all 8 periods on 体育, and the member S03 nearby has a 体育 teacher with 8
/// periods spare: two days of his 走教 at S02 take over its 体育, Q05 teaches the 数学 Q01
/// leaves, and neither member is worse off. Before, trips came from the cores alone and
/// only to periods nobody taught, and the start kept Q01 home (rule 7 short).
#[test]
fn a_members_trips_take_over_so_a_colleague_covers_a_learner() {
    let ds = common::load(&common::repo(
        "tests/data/construct/learner_backfilled_by_a_members_trip",
    ));
    let (plan, d) = start_plan(&ds);
    let (s01, s02) = (SchoolIx(0), SchoolIx(1));
    assert_eq!(
        placed(&ds, &d, "Q01"),
        Placement::New(s01, MoveKind::Learning)
    );
    assert_eq!(trip_periods(&ds, &d, "P01", s02), [4, 4]);
    for (rule, scope) in [
        ("learning_share", "S02"),
        ("protect_members", "S02"),
        ("protect_members", "S03"),
    ] {
        assert!(rule_ok(&plan, rule, scope), "{rule} at {scope}");
    }
    assert_eq!(plan.counts.unmet_periods, 0);
}

/// The core's one teacher it may send went to S03 for its quota before S02's learner
/// needed a backfill. S03 can spare that teacher (it is then where it stood with nobody
/// moving), so the teacher goes to S02 instead, and both members and the core's share
/// hold. Before, the start kept S02's learner home and broke rule 7.
#[test]
fn a_core_teacher_a_member_can_spare_goes_to_backfill_a_learner() {
    let ds = common::load(&common::repo(
        "tests/data/construct/learner_backfilled_by_a_retargeted_teacher",
    ));
    let (plan, d) = start_plan(&ds);
    let (s01, s02) = (SchoolIx(0), SchoolIx(1));
    assert_eq!(
        placed(&ds, &d, "Q01"),
        Placement::New(s01, MoveKind::Learning)
    );
    let sent: Vec<Placement> = moved(&ds, &d, &["R01", "R02", "R03", "R04"])
        .into_iter()
        .map(|(_, p)| p)
        .collect();
    assert_eq!(sent, vec![Placement::New(s02, MoveKind::Support)]);
    for (rule, scope) in [
        ("learning_share", "S02"),
        ("protect_members", "S02"),
        ("protect_members", "S03"),
        ("core_share", "S01"),
    ] {
        assert!(rule_ok(&plan, rule, scope), "{rule} at {scope}");
    }
    // S03's 10 语文 periods short as with nobody moving; S02 and the core whole.
    assert_eq!(plan.counts.unmet_periods, 10);
}

/// S02 must send two learners, each backfilled (rule 12); the core may send one teacher
/// full time and S02 houses one. The first learner (音乐) is backfilled by two days of the
/// core's 音乐 teacher's 走教, so the core's one full-time teacher and S02's one bed are
/// left for the second (数学), whom no trip can replace. Before, the first learner took
/// both, and the second stayed home (rule 7 short by one).
#[test]
fn a_learner_trips_can_backfill_leaves_the_full_time_backfill_to_one_they_cannot() {
    let ds = common::load(&common::repo(
        "tests/data/construct/trips_before_a_full_time_backfill",
    ));
    let (plan, d) = start_plan(&ds);
    let (s01, s02) = (SchoolIx(0), SchoolIx(1));
    for q in ["Q01", "Q05"] {
        assert_eq!(
            placed(&ds, &d, q),
            Placement::New(s01, MoveKind::Learning),
            "{q}"
        );
    }
    assert_eq!(
        placed(&ds, &d, "R02"),
        Placement::New(s02, MoveKind::Support)
    );
    let days = trip_periods(&ds, &d, "R03", s02);
    assert_eq!(days, [4, 4], "two days of 4 periods cover Q01's 8");
    for rule in ["learning_share", "protect_members", "housing"] {
        assert!(rule_ok(&plan, rule, "S02"), "{rule}");
    }
    assert_eq!(plan.counts.unmet_periods, 0);
}

/// The core must send one teacher and may send no more; S02 must send its one young
/// teacher (数学) to learn, backfilled. Learners go first where members must send them, so
/// the core's 数学 teacher takes over from the learner and is the core's quota too. Before,
/// the quota went first to S02's largest shortage (语文) and the learner stayed home.
#[test]
fn a_learners_backfill_is_the_cores_quota() {
    let ds = common::load(&common::repo(
        "tests/data/construct/learners_before_the_cores_quota",
    ));
    let (plan, d) = start_plan(&ds);
    let (s01, s02) = (SchoolIx(0), SchoolIx(1));
    assert_eq!(
        placed(&ds, &d, "Q05"),
        Placement::New(s01, MoveKind::Learning)
    );
    let sent = moved(&ds, &d, &["R01", "R02", "R03", "R04"]);
    assert_eq!(sent, vec![("R02", Placement::New(s02, MoveKind::Support))]);
    for (rule, scope) in [
        ("learning_share", "S02"),
        ("protect_members", "S02"),
        ("core_share", "S01"),
        ("outflow_cap", "S01"),
    ] {
        assert!(rule_ok(&plan, rule, scope), "{rule} {scope}");
    }
    // S02's 8 语文 periods short with nobody moving stay short.
    assert_eq!(plan.counts.unmet_periods, 8);
}

/// Rule 7 asks S02 for two learners, but each alone leaves S02 8 periods short and S02
/// has no housing for anyone coming full time. The core's 科学 teacher coming anyway
/// covers S02's 16 科学 periods nobody taught, and both learners then go with S02 as it
/// stood: rule 11 broken by one instead of rule 7 by two, the trade the MILP makes (both
/// cost `W.violation` a unit). Before, the start kept both learners home.
#[test]
fn a_newcomer_past_a_full_house_lets_two_learners_go() {
    let ds = common::load(&common::repo(
        "tests/data/construct/learners_past_a_full_house",
    ));
    let (plan, d) = start_plan(&ds);
    let (s01, s02) = (SchoolIx(0), SchoolIx(1));
    assert_eq!(
        moved(&ds, &d, &["R01", "R02", "Q01", "Q02", "Q03", "Q04"]),
        [
            ("R01", Placement::New(s02, MoveKind::Support)),
            ("Q01", Placement::New(s01, MoveKind::Learning)),
            ("Q03", Placement::New(s01, MoveKind::Learning)),
        ]
    );
    assert!(rule_ok(&plan, "learning_share", "S02"));
    assert!(rule_ok(&plan, "protect_members", "S02"));
    let broken: Vec<(&str, f64)> = plan
        .rules
        .iter()
        .filter(|r| !r.ok)
        .map(|r| (r.rule, r.shortfall))
        .collect();
    assert_eq!(broken, [("housing", 1.0)]);
    // 语文 and 数学 8 short each where 科学 was 16 short: S02 as it stood.
    assert_eq!(plan.counts.unmet_periods, 16);
}
