//! `lungang communities` (issue 16 item 3) end to end: the hand-worked county
//! tests/data/communities/two_leads (its README.md works each optimum), the coverage
//! floor, existing communities kept or re-paired, the stage rule, the staffing balance,
//! the output folder read by validate, plan and check, the same bytes twice, bad
//! arguments refused; and issue 16's done-when on data/xiji and data/xinjian.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use common::bin::{code, lungang, text};
use common::{append, repo};
use lungang::communities::{Coverage, Members};

const TWO: &str = "tests/data/communities/two_leads";

fn run(dataset: &Path, out: &Path, more: &[&str]) -> std::process::Output {
    let mut args = vec![
        "communities",
        dataset.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--time-limit",
        "30",
    ];
    args.extend_from_slice(more);
    lungang(&args)
}

/// community_schools.csv as school id → (community, role, minutes, change).
fn schools(out: &Path) -> BTreeMap<String, (String, String, String, String)> {
    let text = std::fs::read_to_string(out.join("community_schools.csv")).expect("written");
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("school,name,kind,stage,community,role,minutes,change")
    );
    lines
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (
                f[0].to_string(),
                (
                    f[4].to_string(),
                    f[5].to_string(),
                    f[6].to_string(),
                    f[7].to_string(),
                ),
            )
        })
        .collect()
}

fn summary(out: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(out.join("community_summary.json")).expect("written");
    serde_json::from_str(&text).expect("json")
}

/// The members of the community `lead` leads, sorted.
fn members_of(s: &BTreeMap<String, (String, String, String, String)>, lead: &str) -> Vec<String> {
    let c = &s[lead].0;
    assert_eq!(s[lead].1, "lead", "{lead} leads");
    s.iter()
        .filter(|(_, v)| &v.0 == c && v.1 == "member")
        .map(|(k, _)| k.clone())
        .collect()
}

/// A copy of a dataset folder under `tmp`, to change.
fn copy(from: &Path, tmp: &Path) -> PathBuf {
    let to = tmp.join("in");
    std::fs::create_dir_all(&to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, to.join(p.file_name().unwrap())).unwrap();
    }
    to
}

#[test]
fn hand_worked_optimum_of_two_leads() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = run(
        &repo(TWO),
        &out,
        &["--coverage", "1.0", "--members", "3..3"],
    );
    assert_eq!(code(&o), 0, "{}", text(&o));
    let s = schools(&out);
    assert_eq!(members_of(&s, "U1"), ["R1", "R2", "R3"]);
    assert_eq!(members_of(&s, "U2"), ["R4", "R5", "R6"]);
    let j = summary(&out);
    assert_eq!(j["status"], "optimal");
    assert_eq!(j["travel_minutes"]["total"].as_f64(), Some(135.0));
    assert_eq!(j["rural"]["covered"].as_u64(), Some(6));
    // Each member's minutes are its lead's, from distances.csv.
    assert_eq!(s["R3"].2, "30.0");
    assert_eq!(s["R6"].2, "35.0");
}

#[test]
fn the_coverage_floor_is_met_and_no_more_is_bought() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = run(
        &repo(TWO),
        &out,
        &["--coverage", "0.5", "--members", "3..3"],
    );
    assert_eq!(code(&o), 0, "{}", text(&o));
    let j = summary(&out);
    assert_eq!(j["rural"]["required"].as_u64(), Some(3));
    assert_eq!(j["rural"]["covered"].as_u64(), Some(3));
    assert_eq!(j["communities"].as_u64(), Some(1));
    assert_eq!(j["travel_minutes"]["total"].as_f64(), Some(60.0));
    let s = schools(&out);
    assert_eq!(members_of(&s, "U1"), ["R1", "R2", "R3"]);
    for r in ["R4", "R5", "R6"] {
        assert_eq!(s[r].1, "none", "{r} stays out");
        assert_eq!(s[r].3, "outside");
    }
    assert_eq!(s["U2"].1, "none", "U2 leads nothing");
}

/// two_leads with an existing community C1 = U1 + R4 (README.md: 215 kept, 135 re-paired).
fn with_c1(tmp: &Path) -> PathBuf {
    let d = copy(&repo(TWO), tmp);
    common::replace(
        &d.join("schools.csv"),
        "U1,城关第一小学,urban,primary,,",
        "U1,城关第一小学,urban,primary,C1,",
    );
    common::replace(
        &d.join("schools.csv"),
        "R4,西川村小学,rural,primary,,",
        "R4,西川村小学,rural,primary,C1,",
    );
    std::fs::write(
        d.join("communities.csv"),
        "id,name,mode,core\nC1,城关一小共同体,tight,U1\n",
    )
    .unwrap();
    d
}

#[test]
fn keeps_existing_members_unless_asked_to_re_pair() {
    let tmp = tempfile::tempdir().unwrap();
    let d = with_c1(tmp.path());
    let kept = tmp.path().join("kept");
    let o = run(&d, &kept, &["--coverage", "1.0", "--members", "3..3"]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    let s = schools(&kept);
    assert_eq!(s["R4"].0, "C1", "R4 stays in its community");
    assert_eq!(s["R4"].3, "kept");
    assert_eq!(members_of(&s, "U1"), ["R2", "R3", "R4"]);
    assert_eq!(members_of(&s, "U2"), ["R1", "R5", "R6"]);
    let j = summary(&kept);
    assert_eq!(j["travel_minutes"]["total"].as_f64(), Some(215.0));
    assert_eq!(j["new_communities"].as_u64(), Some(1));
    // The input's own partition, measured the same way: one member, 55 minutes.
    assert_eq!(j["before"]["travel_minutes_total"].as_f64(), Some(55.0));

    let re = tmp.path().join("re");
    let o = run(
        &d,
        &re,
        &["--coverage", "1.0", "--members", "3..3", "--repair"],
    );
    assert_eq!(code(&o), 0, "{}", text(&o));
    let s = schools(&re);
    assert_eq!(s["U1"].0, "C1", "the lead keeps its community and its id");
    assert_eq!(members_of(&s, "U1"), ["R1", "R2", "R3"]);
    assert_eq!(s["R4"].3, "moved");
    assert_eq!(
        summary(&re)["travel_minutes"]["total"].as_f64(),
        Some(135.0)
    );
}

#[test]
fn a_lead_serves_only_members_of_its_stage() {
    let tmp = tempfile::tempdir().unwrap();
    let d = copy(&repo(TWO), tmp.path());
    // A junior school 5 minutes from U1: no primary lead can exchange with it.
    append(
        &d.join("schools.csv"),
        "R7,东山初级中学,rural,junior,,35.10,105.11\n",
    );
    append(&d.join("distances.csv"), "U1,R7,3,5\nU2,R7,3,5\n");
    append(
        &d.join("teachers.csv"),
        "T9,教师9,R7,语文,F,1985,2008,2015\n",
    );
    append(&d.join("demand.csv"), "R7,语文,14\n");
    let out = tmp.path().join("out");
    let o = run(&d, &out, &["--coverage", "1.0", "--members", "3..4"]);
    assert_eq!(code(&o), 5, "{}", text(&o));
    let t = text(&o);
    assert!(t.contains("R7 东山初级中学"), "names the school: {t}");
    assert!(t.contains("only 6 have a lead"), "{t}");
    assert!(!out.exists(), "nothing written");
    // 6 of 7: R7 stays out.
    let o = run(&d, &out, &["--coverage", "0.85", "--members", "3..4"]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    assert_eq!(schools(&out)["R7"].1, "none");
}

#[test]
fn balance_sends_a_short_member_to_the_lead_with_surplus() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path().join("in");
    std::fs::create_dir(&d).unwrap();
    let w = |name: &str, text: &str| std::fs::write(d.join(name), text).unwrap();
    w(
        "schools.csv",
        "id,name,kind,stage,community,lat,lon\nU1,城关第一小学,urban,primary,,35.0,105.0\nU2,城关第二小学,urban,primary,,35.01,105.0\nR1,东山村小学,rural,primary,,35.1,105.1\n",
    );
    // U1 is 2 minutes nearer; U2 has 16 periods of 英语 to spare, which R1 lacks.
    w(
        "distances.csv",
        "from,to,km,minutes\nU1,R1,13,20\nU2,R1,14,22\n",
    );
    w(
        "teachers.csv",
        "id,name,school,subject,gender,birth_year,hire_year,school_since\nT1,甲,U1,语文,F,1985,2008,2015\nT2,乙,U2,语文,F,1985,2008,2015\nT3,丙,U2,英语,F,1985,2008,2015\nT4,丁,R1,语文,F,1985,2008,2015\n",
    );
    w(
        "demand.csv",
        "school,subject,periods\nU1,语文,16\nU2,语文,16\nR1,语文,16\nR1,英语,16\n",
    );
    let args = |b: &'static str| ["--coverage", "1.0", "--members", "1..1", "--balance", b];
    let near = tmp.path().join("near");
    let o = run(&d, &near, &args("0"));
    assert_eq!(code(&o), 0, "{}", text(&o));
    assert_eq!(members_of(&schools(&near), "U1"), ["R1"], "travel alone");
    assert_eq!(summary(&near)["shortage_periods"].as_i64(), Some(16));
    let staffed = tmp.path().join("staffed");
    let o = run(&d, &staffed, &args("1"));
    assert_eq!(code(&o), 0, "{}", text(&o));
    assert_eq!(
        members_of(&schools(&staffed), "U2"),
        ["R1"],
        "16 periods short outweigh 2 minutes"
    );
    assert_eq!(summary(&staffed)["shortage_periods"].as_i64(), Some(0));
}

/// Every file of a folder, by name.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect()
}

#[test]
fn the_output_is_a_dataset_validate_plan_and_check_accept_and_the_same_twice() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    for out in [&a, &b] {
        let o = run(&repo(TWO), out, &["--coverage", "1.0", "--members", "3..3"]);
        assert_eq!(code(&o), 0, "{}", text(&o));
    }
    let (ta, tb) = (tree(&a), tree(&b));
    assert!(ta.contains_key("community_map.html"));
    assert!(ta.contains_key("community_coverage.csv"));
    assert_eq!(ta, tb, "the same input gives the same bytes");

    let o = lungang(&["validate", a.to_str().unwrap(), "--json"]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let by_mode = v["communities_by_mode"].as_object().unwrap();
    assert_eq!(by_mode.values().filter_map(|x| x.as_u64()).sum::<u64>(), 2);

    let plan = tmp.path().join("plan");
    let o = lungang(&[
        "plan",
        a.to_str().unwrap(),
        "--out",
        plan.to_str().unwrap(),
        "--time-limit",
        "30",
        "--threads",
        "1",
        "--quiet",
    ]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    let o = lungang(&["check", a.to_str().unwrap(), plan.to_str().unwrap()]);
    assert_eq!(code(&o), 0, "{}", text(&o));
}

#[test]
fn bad_arguments_are_refused_with_a_reason() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    for (args, says) in [
        (vec!["--members", "5..2"], "not a size range"),
        (vec!["--members", "0..3"], "not a size range"),
        (vec!["--coverage", "1.5"], "not a share in [0, 1]"),
        (vec!["--coverage", "2026:0.8,2025:0.7"], "ascending"),
        (vec!["--max-minutes", "-3"], "expected minutes"),
        (vec!["--balance", "NaN"], "expected a weight"),
    ] {
        let o = run(&repo(TWO), &out, &args);
        assert_eq!(code(&o), 1, "{args:?}: {}", text(&o));
        assert!(text(&o).contains(says), "{args:?}: {}", text(&o));
        assert!(!out.exists(), "{args:?} wrote nothing");
    }
    // A dataset that does not read is invalid data (2), and nothing is written.
    let o = run(&tmp.path().join("missing"), &out, &[]);
    assert_eq!(code(&o), 2, "{}", text(&o));
    assert!(!out.exists());
    // A county where nobody may lead (every school rural) and nothing is asked: an empty
    // partition, written (HiGHS refuses a model without columns; form does not ask it).
    let d = tmp.path().join("rural");
    std::fs::create_dir(&d).unwrap();
    for e in std::fs::read_dir(repo(TWO)).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, d.join(p.file_name().unwrap())).unwrap();
    }
    let schools = std::fs::read_to_string(d.join("schools.csv")).unwrap();
    std::fs::write(d.join("schools.csv"), schools.replace("urban", "rural")).unwrap();
    let empty = tmp.path().join("empty");
    let o = run(&d, &empty, &["--coverage", "0"]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    assert_eq!(summary(&empty)["communities"].as_u64(), Some(0));
    // Sizes no county can meet: said plainly (5).
    let o = run(
        &repo(TWO),
        &out,
        &["--coverage", "1.0", "--members", "4..4"],
    );
    assert_eq!(code(&o), 5, "{}", text(&o));
    assert!(
        text(&o).contains("no partition meets every rule"),
        "{}",
        text(&o)
    );
    // An existing folder lungang did not write is never replaced.
    std::fs::create_dir(&out).unwrap();
    let o = run(&repo(TWO), &out, &["--force"]);
    assert_eq!(code(&o), 1, "{}", text(&o));
    // Nor the dataset itself, nor a folder inside it.
    let d = copy(&repo(TWO), tmp.path());
    let before = tree(&d);
    for o in [d.clone(), d.join("inner")] {
        let r = run(&d, &o, &["--force"]);
        assert_eq!(code(&r), 1, "{}", text(&r));
        assert!(text(&r).contains("input"), "{}", text(&r));
    }
    assert_eq!(tree(&d), before, "the dataset is untouched");
}

#[test]
fn coverage_and_members_read_as_documented() {
    assert_eq!(Coverage::from_str("0.7"), Ok(Coverage::Share(0.7)));
    let s = Coverage::from_str("2025:0.7,2026:0.85,2027:1.0").unwrap();
    assert_eq!(s.for_year(2024), 0.0);
    assert_eq!(s.for_year(2025), 0.7);
    assert_eq!(s.for_year(2026), 0.85);
    assert_eq!(s.for_year(2030), 1.0);
    assert_eq!(Members::from_str("3..4"), Ok(Members { lo: 3, hi: 4 }));
    assert_eq!(Members::from_str("4"), Ok(Members { lo: 4, hi: 4 }));
    assert!(Members::from_str("3..x").is_err());
}

/// Issue 16's done-when: data/xiji with its community column removed, `--coverage 1.0`:
/// every rural school in a community, each within the travel limit of its lead.
#[test]
fn xiji_without_communities_covers_every_rural_school() {
    let tmp = tempfile::tempdir().unwrap();
    let d = copy(&repo("data/xiji"), tmp.path());
    let text_in = std::fs::read_to_string(d.join("schools.csv")).unwrap();
    let mut lines = text_in.lines();
    let mut s = String::from(lines.next().unwrap());
    s.push('\n');
    for l in lines {
        let mut f: Vec<&str> = l.split(',').collect();
        f[4] = "";
        s.push_str(&f.join(","));
        s.push('\n');
    }
    std::fs::write(d.join("schools.csv"), s).unwrap();
    // requests.csv asks of members; with no communities there are none.
    std::fs::remove_file(d.join("communities.csv")).unwrap();
    std::fs::remove_file(d.join("requests.csv")).unwrap();
    let out = tmp.path().join("out");
    let o = run(&d, &out, &["--coverage", "1.0"]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    let j = summary(&out);
    let limit = j["travel_minutes"]["limit"].as_f64().unwrap();
    assert_eq!(limit, 120.0, "the policy's max_minutes_day");
    let kinds: BTreeMap<String, String> = std::fs::read_to_string(d.join("schools.csv"))
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[0].to_string(), f[2].to_string())
        })
        .collect();
    let s = schools(&out);
    let mut rural = 0;
    for (id, (community, role, minutes, _)) in &s {
        if kinds[id] == "rural" {
            rural += 1;
            assert!(!community.is_empty(), "{id} is in a community");
            assert_eq!(role, "member");
            let m: f64 = minutes.parse().unwrap();
            assert!(m <= limit, "{id}: {m} minutes");
        }
    }
    assert_eq!(rural, 33);
    assert_eq!(j["rural"]["covered"].as_u64(), Some(33));
    // Re-pairing the document's own communities at 3..4 cannot hold: its five primary
    // leads have 23 members (C07-C11), room for 20; the message says so.
    let o = run(
        &repo("data/xiji"),
        &tmp.path().join("re"),
        &["--coverage", "1.0", "--repair"],
    );
    assert_eq!(code(&o), 5, "{}", text(&o));
    assert!(
        text(&o).contains("23 primary schools must join, and the leads that take primary schools have room for 20"),
        "{}",
        text(&o)
    );
    let o = lungang(&["validate", out.to_str().unwrap()]);
    assert_eq!(code(&o), 0, "{}", text(&o));
}

/// Issue 16's done-when: re-pairing data/xinjian's members among the document's nine
/// leads travels no more than the document's own nine communities.
#[test]
fn xinjian_re_paired_travels_no_more_than_the_document() {
    let tmp = tempfile::tempdir().unwrap();
    for members in ["3..6", "3..4"] {
        let out = tmp.path().join(members);
        let o = run(
            &repo("data/xinjian"),
            &out,
            &["--coverage", "1.0", "--repair", "--members", members],
        );
        assert_eq!(code(&o), 0, "{}", text(&o));
        let j = summary(&out);
        assert_eq!(j["communities"].as_u64(), Some(9));
        assert_eq!(j["new_communities"].as_u64(), Some(0));
        let formed = j["travel_minutes"]["total"].as_f64().unwrap();
        let document = j["before"]["travel_minutes_total"].as_f64().unwrap();
        assert!(document > 0.0);
        assert!(
            formed <= document,
            "{members}: formed {formed} against the document's {document}"
        );
        assert_eq!(
            j["rural"]["covered"], j["before"]["rural_covered"],
            "the same rural schools in communities"
        );
    }
}

/// Issue 16 item 4: re-pairing as a what-if. "What if 什字中学 (S011) joined 西吉三中
/// (S005)'s community C02": one scenario change; a lead cannot move, nor a junior school
/// into a primary community; form_communities forms them anew.
#[test]
fn move_school_and_form_communities_are_scenario_changes() {
    use lungang::scenario::{apply, parse};
    let ds = common::load(&repo("data/xiji"));
    let policy = std::fs::read_to_string(repo("data/xiji/policy.toml")).unwrap();
    let file = parse(
        r#"
[[scenario]]
name = "什字中学 joins 西吉三中"
[[scenario.change]]
kind = "move_school"
school = "S011"
community = "C02"

[[scenario]]
name = "a lead"
[[scenario.change]]
kind = "move_school"
school = "S005"
community = "C03"

[[scenario]]
name = "a junior school to primary leads"
[[scenario.change]]
kind = "move_school"
school = "S011"
community = "C07"

[[scenario]]
name = "no such community"
[[scenario.change]]
kind = "move_school"
school = "S011"
community = "C99"
"#,
        "s.toml",
    )
    .expect("parses");
    let id = |d: &lungang::domain::Dataset, s: &str| {
        let sc = d.schools.iter().find(|x| x.id == s).unwrap();
        sc.community.map(|c| d.communities[c.ix()].id.clone())
    };
    let moved = apply(&ds, &policy, &file.scenario[0]).expect("applies");
    assert_eq!(id(&ds, "S011").as_deref(), Some("C03"));
    assert_eq!(id(&moved, "S011").as_deref(), Some("C02"));
    let c02 = moved.communities.iter().find(|c| c.id == "C02").unwrap();
    let c03 = moved.communities.iter().find(|c| c.id == "C03").unwrap();
    let ids = |v: &[lungang::domain::SchoolIx]| -> Vec<String> {
        v.iter().map(|&s| moved.school(s).id.clone()).collect()
    };
    assert_eq!(ids(&c02.members), ["S006", "S007", "S008", "S011"]);
    assert_eq!(ids(&c03.members), ["S010", "S012"]);
    for (n, code, line) in [(1, "E0605", 14), (2, "E0605", 21), (3, "E0602", 28)] {
        let e = apply(&ds, &policy, &file.scenario[n]).expect_err("refused");
        assert_eq!((e[0].code, e[0].line), (code, line), "{}", e[0]);
    }

    let two = common::load(&repo(TWO));
    let file = parse(
        r#"
[[scenario]]
name = "form"
[[scenario.change]]
kind = "form_communities"
coverage = 1.0
members = "3..3"

[[scenario]]
name = "form too small"
[[scenario.change]]
kind = "form_communities"
coverage = 1.0
members = "4..4"
"#,
        "s.toml",
    )
    .expect("parses");
    let formed = apply(&two, "", &file.scenario[0]).expect("forms");
    assert_eq!(formed.communities.len(), 2);
    let of = |s: &str| id(&formed, s).unwrap();
    assert_eq!(of("R1"), of("U1"));
    assert_eq!(of("R6"), of("U2"));
    let e = apply(&two, "", &file.scenario[1]).expect_err("refused");
    assert_eq!(e[0].code, "E0605");
    assert!(
        e[0].message.contains("no partition meets every rule"),
        "{}",
        e[0]
    );
}

/// The same as a whatif row: data/tiny's 竹林村小学 (S05) re-paired to 城关第一小学 (C1)
/// is planned beside the county as it is.
#[test]
fn whatif_plans_a_re_pairing_beside_the_base() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("s.toml");
    std::fs::write(
        &file,
        "[[scenario]]\nname = \"S05 to C1\"\n[[scenario.change]]\nkind = \"move_school\"\nschool = \"S05\"\ncommunity = \"C1\"\n",
    )
    .unwrap();
    let out = tmp.path().join("w");
    let o = lungang(&[
        "whatif",
        "data/tiny",
        "--scenarios",
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--threads",
        "1",
    ]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    let csv = std::fs::read_to_string(out.join("comparison.csv")).unwrap();
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    assert_eq!(rows.len(), 2, "{csv}");
    assert!(rows[1].starts_with("S05 to C1,"), "{csv}");
}

/// `simulate --coverage 2025:0.5,2026:1.0`: communities grow by year (平顶山's schedule).
/// two_leads in 2025 gets U1's community of R1-R3 (3 of 6 rural, README.md); in 2026 it
/// is kept and U2's of R4-R6 is added; every year's plan passes check.
#[test]
fn simulate_grows_the_communities_by_year() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("sim");
    let o = lungang(&[
        "simulate",
        TWO,
        "--years",
        "2",
        "--out",
        out.to_str().unwrap(),
        "--coverage",
        "2025:0.5,2026:1.0",
        "--time-limit",
        "30",
        "--threads",
        "1",
    ]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    let communities =
        |y: &str| std::fs::read_to_string(out.join(y).join("dataset/communities.csv")).unwrap();
    assert_eq!(
        communities("2025").lines().count(),
        2,
        "{}",
        communities("2025")
    );
    assert_eq!(
        communities("2026").lines().count(),
        3,
        "{}",
        communities("2026")
    );
    let s25 = schools(&out.join("2025/communities"));
    let s26 = schools(&out.join("2026/communities"));
    assert_eq!(members_of(&s25, "U1"), ["R1", "R2", "R3"]);
    assert_eq!(members_of(&s26, "U1"), ["R1", "R2", "R3"]);
    assert_eq!(s26["R1"].3, "kept");
    assert_eq!(members_of(&s26, "U2"), ["R4", "R5", "R6"]);
    assert_eq!(s26["R4"].3, "joined");
    let summary = std::fs::read_to_string(out.join("summary.csv")).unwrap();
    let header: Vec<&str> = summary.lines().next().unwrap().split(',').collect();
    let col = header
        .iter()
        .position(|h| *h == "check_violations")
        .unwrap();
    for row in summary.lines().skip(1) {
        assert_eq!(row.split(',').nth(col), Some("0"), "{summary}");
    }
}
