use lungang::domain::{DatasetBuilder, Mode, SchoolKind, Stages, TeacherSpec};
use lungang::model::{SolveStatus, SolverSettings};
use lungang::plan::{solve, AssignmentKind, Solved};

fn settings() -> SolverSettings {
    SolverSettings::new(60.0, 0.0, 1)
}

#[test]
fn one_backbone_teacher_supports_the_member() {
    let mut b = DatasetBuilder::new()
        .school("S1", SchoolKind::Urban, Stages::PRIMARY, Some("C1"))
        .school("S2", SchoolKind::Rural, Stages::PRIMARY, Some("C1"))
        .community("C1", Mode::Tight, &["S1"])
        .demand("S1", "语文", 144)
        .demand("S2", "语文", 16)
        .distance("S1", "S2", 20.0, 30.0);
    for i in 0..10 {
        let mut t = TeacherSpec::new(&format!("T{i:02}"), "S1", "语文");
        t.backbone = i == 3;
        b = b.teacher(t);
    }
    let ds = b.build();
    let (solved, _) = solve(&ds, &settings()).unwrap();
    let Solved::Plan(p) = solved else {
        panic!("no plan")
    };
    assert_eq!(p.solve.status, SolveStatus::Optimal);
    // 50 + 0.2·20 − 20 (promotion) − 5 (due)
    assert!(
        (p.objective - 29.0).abs() < 1e-9,
        "objective {}",
        p.objective
    );
    assert_eq!(p.assignments.len(), 1);
    assert_eq!(ds.teacher(p.assignments[0].teacher).id, "T03");
    assert_eq!(p.assignments[0].kind, AssignmentKind::Support);
    assert_eq!(p.counts.unmet_periods, 0);
    assert_eq!(p.counts.unmet_periods_before, 16);
}
