//! report.html and plan.xlsx of the tiny dataset's plan: the sections are there, every
//! school and rule is named, nothing is fetched from the network, the workbook reads back
//! with its five sheets, and the same plan gives the same bytes.

use std::io::Cursor;
use std::path::Path;
use std::sync::OnceLock;

use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
use lungang::domain::Dataset;
use lungang::plan::{Plan, Solved};
use lungang::report::files::{plan_xlsx, report_files, report_html, Lang};

fn tiny() -> &'static (Dataset, Plan) {
    static TINY: OnceLock<(Dataset, Plan)> = OnceLock::new();
    TINY.get_or_init(|| {
        let ds = lungang::input::load_dataset(Path::new("data/tiny"), None)
            .expect("data/tiny loads")
            .dataset;
        let (solved, _) =
            lungang::plan::solve(&ds, &lungang::model::SolverSettings::new(60.0, 0.0, 1))
                .expect("the model builds");
        match solved {
            Solved::Plan(p) => (ds, *p),
            Solved::NoPlan { .. } => panic!("data/tiny has a plan"),
        }
    })
}

#[test]
fn html_has_map_rules_coverage_and_every_school() {
    let (ds, plan) = tiny();
    let html = report_html(ds, plan, Lang::Zh);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<svg id=\"map\""), "the map");
    assert!(html.contains("class=\"legend\""), "the legend");
    assert!(html.contains("id=\"coverage\""), "the coverage section");
    assert!(html.contains("id=\"rules\""), "the rule table");
    assert!(html.contains("课时覆盖"));
    assert!(html.contains("规则核验"));
    for s in &ds.schools {
        assert!(html.contains(&s.id), "school {} named", s.id);
    }
    // One row per rule that asks something, each with its rule and scope; a rule that
    // asks for nobody is no row.
    let shown = lungang::report::rule_table::shown(plan);
    assert_eq!(html.matches("<tr class=\"rule ").count(), shown.len());
    for r in &plan.rules {
        let row = format!("data-rule=\"{}\" data-scope=\"{}\"", r.rule, r.scope);
        let asks = lungang::report::rule_table::asks_something(r);
        assert_eq!(html.contains(&row), asks, "rule row {row}");
    }
    // tiny has no coordinates: its schools are listed beside the map.
    assert!(html.contains("class=\"nocoords\""));
    for a in &plan.assignments {
        assert!(html.contains(&ds.teacher(a.teacher).name), "mover named");
    }
    assert!(!html.contains("http://"));
    assert!(!html.contains("https://"));
    assert!(!html.contains("<script"));
}

#[test]
fn html_in_english() {
    let (ds, plan) = tiny();
    let html = report_html(ds, plan, Lang::En);
    for heading in [
        "Teacher exchange plan",
        "Map of schools and moves",
        "Coverage before and after",
        "Rules checked",
        "Staff structure of each community",
        "Moves",
    ] {
        assert!(html.contains(heading), "English heading {heading}");
    }
    assert!(!html.contains("规则核验"));
    assert!(html.contains("<html lang=\"en\">"));
}

#[test]
fn map_draws_schools_communities_moves_and_trips_from_coordinates() {
    let (ds, plan) = tiny();
    let mut ds = ds.clone();
    for (i, s) in ds.schools.iter_mut().enumerate() {
        s.lat = Some(28.0 + 0.05 * i as f64);
        s.lon = Some(115.0 + 0.07 * (i % 3) as f64);
    }
    let html = report_html(&ds, plan, Lang::Zh);
    assert_eq!(
        html.matches("<circle class=\"school ").count(),
        ds.schools.len()
    );
    assert_eq!(
        html.matches("<polygon class=\"community f c").count(),
        ds.communities.len()
    );
    if !plan.assignments.is_empty() {
        assert!(html.contains("<line class=\"move f c"), "an arrow per move");
    }
    if plan.routes.iter().any(|r| !r.is_empty()) {
        assert!(
            html.contains("<path class=\"trip f c"),
            "a loop per 走教 trip"
        );
    }
    // One community at a time: a target and a fading rule for each, a name to click
    // beside the map, and the targets outside the svg (a span inside it breaks the map).
    for i in 0..ds.communities.len() {
        assert!(html.contains(&format!("<span id=\"focus-c{i}\" class=\"anchor\">")));
        assert!(html.contains(&format!(":has(#focus-c{i}:target)")));
        assert!(html.contains(&format!("<a href=\"#focus-c{i}\">")));
    }
    let svg = &html[html.find("<svg id=\"map\"").unwrap()..];
    let svg = &svg[..svg.find("</svg>").unwrap()];
    assert!(
        !svg.contains("<span") && !svg.contains("<style"),
        "html inside the svg"
    );
    assert!(!html.contains("class=\"nocoords\""));
    assert!(!html.contains("NaN"));
}

#[test]
fn names_are_escaped() {
    let (ds, plan) = tiny();
    let mut ds = ds.clone();
    ds.schools[0].name = "<b>\"校\"&</b>".into();
    let html = report_html(&ds, plan, Lang::Zh);
    assert!(!html.contains("<b>\"校\""));
    assert!(html.contains("&lt;b&gt;&quot;校&quot;&amp;&lt;/b&gt;"));
}

fn cell(r: &calamine::Range<Data>, row: usize, col: usize) -> String {
    r.get((row, col)).map(|d| d.to_string()).unwrap_or_default()
}

#[test]
fn xlsx_reads_back_with_its_sheets() {
    let (ds, plan) = tiny();
    let bytes = plan_xlsx(ds, plan);
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).expect("an xlsx");
    assert_eq!(
        wb.sheet_names(),
        vec![
            "交流名单",
            "走教安排",
            "课时覆盖",
            "规则核验",
            "台账",
            "需求申请",
            "成员校缺课",
            "人工指定"
        ]
    );
    let list = wb.worksheet_range("交流名单").expect("交流名单");
    let header: Vec<String> = (0..7).map(|c| cell(&list, 0, c)).collect();
    assert_eq!(
        header,
        [
            "教师编号",
            "姓名",
            "派出学校",
            "接收学校",
            "类型",
            "开始学年",
            "结束学年"
        ]
    );
    // Why each name (assignments.csv's why in 中文), then left for the planner to fill
    // (`--pins plan.xlsx`), after the particulars.
    assert_eq!(cell(&list, 0, 15), "原因");
    assert_eq!(cell(&list, 0, 16), "指定");
    let more: Vec<String> = (7..15).map(|c| cell(&list, 0, c)).collect();
    assert_eq!(
        more,
        [
            "共同体",
            "性别",
            "年龄",
            "职称",
            "职务",
            "学科",
            "骨干",
            "交流期"
        ]
    );
    assert_eq!(list.height(), plan.assignments.len() + 1);
    // By community, this year's decisions before terms under way.
    let order: Vec<&str> = lungang::report::roster::by_community(ds, plan)
        .iter()
        .flat_map(|g| g.decided.iter().chain(&g.under_way).copied())
        .map(|a| ds.teacher(a.teacher).id.as_str())
        .collect();
    assert_eq!(order.len(), plan.assignments.len());
    for (i, id) in order.iter().enumerate() {
        assert_eq!(cell(&list, i + 1, 0), *id);
        let kind = cell(&list, i + 1, 4);
        assert!(["支教", "跟岗", "延期", "交流期内"].contains(&kind.as_str()));
        let next = cell(&list, i + 2, 4);
        let same_community = cell(&list, i + 1, 7) == cell(&list, i + 2, 7);
        assert!(
            !(same_community && kind == "交流期内" && !next.is_empty() && next != "交流期内"),
            "row {}: a term under way before a new move",
            i + 1
        );
    }
    let routes = wb.worksheet_range("走教安排").expect("走教安排");
    assert_eq!(cell(&routes, 0, 3), "星期");
    let stops: usize = plan.routes.iter().flatten().map(|d| d.stops.len()).sum();
    assert_eq!(routes.height().max(1), stops + 1);
    let cov = wb.worksheet_range("课时覆盖").expect("课时覆盖");
    assert_eq!(cell(&cov, 0, 2), "需求课时");
    assert_eq!(cov.height(), plan.coverage.len() + 1);
    let rules = wb.worksheet_range("规则核验").expect("规则核验");
    assert_eq!(cell(&rules, 0, 0), "规则");
    assert_eq!(rules.height(), plan.rules.len() + 1);
    let members = wb.worksheet_range("成员校缺课").expect("成员校缺课");
    let n_members: usize = ds.communities.iter().map(|c| c.members.len()).sum();
    assert_eq!(members.height(), n_members + 1);
    let ledger = wb.worksheet_range("台账").expect("台账");
    assert_eq!(cell(&ledger, 0, 0), "教师编号");
    assert_eq!(ledger.height(), plan.ledger.len() + 1);
}

#[test]
fn same_plan_same_bytes() {
    let (ds, plan) = tiny();
    let a = report_files(ds, plan, Lang::Zh);
    let b = report_files(ds, plan, Lang::Zh);
    let names: Vec<&str> = a.iter().map(|f| f.0).collect();
    assert_eq!(names, ["report.html", "plan.xlsx"]);
    assert_eq!(a, b);
    assert_eq!(
        report_html(ds, plan, Lang::En),
        report_html(ds, plan, Lang::En)
    );
}
