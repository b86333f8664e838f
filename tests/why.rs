//! Why each name is on the list (issue 15 item 4): every line of assignments.csv carries a
//! reason, and the reasons name what the hand-built counties of tests/data/rules were built
//! to show (a request met, a backfill, due teachers chosen before the others, the host's
//! shortage), in English in assignments.csv and in 中文 in the report and plan.xlsx.

mod common;

use std::path::Path;

use calamine::{open_workbook, Data, Reader, Xlsx};
use common::{load, plan_and_check, repo, settings};
use lungang::plan::Plan;

fn plan_of(name: &str) -> (Plan, tempfile::TempDir) {
    let ds = load(&repo(&format!("tests/data/rules/{name}")));
    plan_and_check(&ds, &settings())
}

/// The reason of `teacher`'s line, in English and in 中文.
fn why_of(plan: &Plan, ds_name: &str, teacher: &str) -> (String, String) {
    let ds = load(&repo(&format!("tests/data/rules/{ds_name}")));
    let a = plan
        .assignments
        .iter()
        .find(|a| ds.teacher(a.teacher).id == teacher)
        .unwrap_or_else(|| panic!("{teacher} is not on the list of {ds_name}"));
    (a.why.en.clone(), a.why.zh.clone())
}

/// assignments.csv's `why` column, by teacher id.
fn csv_why(dir: &Path) -> Vec<(String, String)> {
    let mut r = csv::Reader::from_path(dir.join("assignments.csv")).expect("assignments.csv");
    let head = r.headers().expect("header").clone();
    assert_eq!(
        head.iter().next_back(),
        Some("why"),
        "why is the last column"
    );
    r.records()
        .map(|x| {
            let x = x.expect("row");
            (x[0].to_string(), x[head.len() - 1].to_string())
        })
        .collect()
}

#[test]
fn every_line_of_every_rule_county_says_why() {
    let root = repo("tests/data/rules");
    let mut names: Vec<String> = std::fs::read_dir(&root)
        .expect("rules folder")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut lines = 0;
    for name in &names {
        let (plan, tmp) = plan_of(name);
        let written = csv_why(&tmp.path().join("plan"));
        assert_eq!(written.len(), plan.assignments.len(), "{name}");
        for (a, (_, why)) in plan.assignments.iter().zip(&written) {
            assert!(
                !a.why.en.is_empty() && !a.why.zh.is_empty(),
                "{name}: a line without why"
            );
            assert_eq!(
                why, &a.why.en,
                "{name}: assignments.csv writes the English reason"
            );
        }
        lines += written.len();
    }
    assert!(
        lines >= 20,
        "the rule counties have {lines} lines, expected at least 20"
    );
}

#[test]
fn a_met_request_is_named_with_its_numbers() {
    let (plan, _tmp) = plan_of("requests");
    let (en, zh) = why_of(&plan, "requests", "R01");
    assert!(
        en.contains("counts toward 河口村小学's request (1 asked, 1 sent)"),
        "{en}"
    );
    assert!(
        zh.contains("计入河口村小学的音乐需求申请（申请1人，已派1人）"),
        "{zh}"
    );
    // S02's own 音乐 teacher covers its 4 periods: the reason says there was no shortage.
    assert!(
        zh.contains("在河口村小学任教音乐4节（该校音乐原本不缺课）"),
        "{zh}"
    );
}

#[test]
fn the_backfill_of_a_swap_is_named_on_both_sides() {
    // The 音乐 teachers of S01 and S02 swap (顶岗), so neither school loses its 音乐.
    let (plan, _tmp) = plan_of("protect_members");
    let (_, learner) = why_of(&plan, "protect_members", "Q02");
    let (_, supporter) = why_of(&plan, "protect_members", "R03");
    assert!(
        learner.contains("派出学校音乐课仍全部有人上，由王敏华顶岗"),
        "{learner}"
    );
    assert!(
        supporter.contains("派出学校音乐课仍全部有人上，由李小兰顶岗"),
        "{supporter}"
    );
    assert!(supporter.contains("计入城关第一小学核心校交流比例（应不少于1人，已有1人）"));
}

#[test]
fn due_teachers_are_said_to_be_chosen_before_the_others() {
    // 15 语文 teachers, 11 due; the two movers are due, and of the 13 who stay, 4 are not.
    let (plan, _tmp) = plan_of("due_share");
    assert_eq!(plan.assignments.len(), 2);
    for a in &plan.assignments {
        assert!(
            a.why.en.contains(
                "chosen before 13 other 语文 teachers at home: due for exchange (4 of them not)"
            ),
            "{}",
            a.why.en
        );
        assert!(a
            .why
            .zh
            .contains("同校另有13名语文教师可派，优先原因：已满交流年限（其中4人未满）"));
        assert!(a
            .why
            .zh
            .contains("计入城关第一小学应交流教师比例（应不少于2人，已有2人）"));
    }
}

#[test]
fn an_extension_names_the_request_and_the_host_shortage() {
    let (plan, _tmp) = plan_of("extension");
    let (en, _) = why_of(&plan, "extension", "E1");
    assert!(
        en.starts_with("extended one year at the teacher's request"),
        "{en}"
    );
    assert!(
        en.contains("teaches 16 语文 periods at 河口村小学 (16 unmet there with nobody moving)")
    );
}

#[test]
fn the_report_and_the_workbook_show_the_reason_in_chinese() {
    let (plan, tmp) = plan_of("requests");
    let dir = tmp.path().join("plan");
    let zh = &plan.assignments[0].why.zh;
    let html = std::fs::read_to_string(dir.join("report.html")).expect("report.html");
    assert!(html.contains("<th>原因</th>"));
    assert!(html.contains(zh.as_str()), "report.html lacks {zh}");
    let mut wb: Xlsx<_> = open_workbook(dir.join("plan.xlsx")).expect("plan.xlsx");
    let sheet = wb.worksheet_range("交流名单").expect("交流名单");
    let head: Vec<&Data> = sheet.rows().next().expect("header").iter().collect();
    let col = head
        .iter()
        .position(|c| **c == Data::String("原因".into()))
        .expect("a column 原因");
    assert_eq!(sheet.get((1, col)), Some(&Data::String(zh.clone())));
    let last = head.last().expect("columns");
    assert_eq!(**last, Data::String("指定".into()), "指定 stays last");
}
