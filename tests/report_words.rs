//! report.html of data/xiji speaks the bureau's words (../shared/TERMS.md), not a
//! solver's: planned with a short time limit, so the plan is unfinished and the page must
//! say so in plain words. None of the strings issue 15 found on the page may come back.

use std::path::Path;
use std::process::Command;
use std::sync::OnceLock;

/// data/xiji planned for a few seconds: report.html, `check --lang zh`'s output and what
/// `plan --lang zh` printed.
struct Xiji {
    html: String,
    /// Lines of assignments.csv: everyone serving away this year.
    moves: usize,
    check: String,
    terminal: String,
}

fn xiji() -> &'static Xiji {
    static PAGE: OnceLock<Xiji> = OnceLock::new();
    PAGE.get_or_init(|| {
        let tmp = tempfile::tempdir().unwrap();
        let plan = tmp.path().join("plan");
        let run = |args: &[&str], extra: &Path| {
            Command::new(env!("CARGO_BIN_EXE_lungang"))
                .args(args)
                .arg(extra)
                .current_dir(env!("CARGO_MANIFEST_DIR"))
                .output()
                .unwrap()
        };
        let args = [
            "plan",
            "data/xiji",
            "--time-limit",
            "3",
            "--threads",
            "1",
            "--lang",
            "zh",
            "--out",
        ];
        let out = run(&args, &plan);
        // 3: stopped by the time limit with a plan, as a few seconds on xiji are.
        assert_eq!(
            out.status.code(),
            Some(3),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let check = run(&["check", "--lang", "zh", "data/xiji"], &plan);
        Xiji {
            html: std::fs::read_to_string(plan.join("report.html")).unwrap(),
            moves: std::fs::read_to_string(plan.join("assignments.csv"))
                .unwrap()
                .lines()
                .count()
                - 1,
            check: String::from_utf8_lossy(&check.stdout).into_owned(),
            terminal: String::from_utf8_lossy(&out.stdout).into_owned()
                + &String::from_utf8_lossy(&out.stderr),
        }
    })
}

/// The text a reader sees: no style sheet, no tags, entities decoded.
fn visible(html: &str) -> String {
    // Style sheets are never shown: the head's, and the map's rules for one community at
    // a time (report/map_focus.rs).
    let mut body = String::new();
    let mut rest = html;
    while let Some(i) = rest.find("<style") {
        body.push_str(&rest[..i]);
        rest = rest[i..]
            .find("</style>")
            .map_or("", |j| &rest[i + j + 8..]);
    }
    body.push_str(rest);
    let mut out = String::new();
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Runs of ASCII letters that are not an id's prefix (S001, C04, T0123).
fn ascii_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    for c in text.chars().chain([' ']) {
        if c.is_ascii_alphabetic() || (c == '_' && !word.is_empty()) {
            word.push(c);
            continue;
        }
        if !word.is_empty() && !c.is_ascii_digit() {
            words.push(word.clone());
        }
        word.clear();
    }
    words
}

/// "19.40人": a fraction of a person.
fn fractional_people(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut found = Vec::new();
    for (i, _) in chars.iter().enumerate().filter(|(_, c)| **c == '人') {
        let before: String = chars[i.saturating_sub(6)..i].iter().collect();
        let tail = before.trim_start_matches(|c: char| !c.is_ascii_digit());
        if tail.contains('.') && tail.chars().all(|c| c.is_ascii_digit() || c == '.') {
            found.push(format!("{before}人"));
        }
    }
    found
}

/// What issue 15 found on the page: solver words and words that mislead.
const SOLVER_WORDS: [&str; 10] = [
    "可行（达到时间上限）",
    "可行",
    "目标值",
    "下界",
    "差距",
    "模型：",
    "列，",
    "续任",
    "冷却期",
    "校共体",
];

#[test]
fn xiji_report_has_none_of_the_solver_words() {
    let text = visible(&xiji().html);
    for bad in SOLVER_WORDS {
        assert!(!text.contains(bad), "report.html says {bad}");
    }
    assert_eq!(fractional_people(&text), Vec::<String>::new());
    assert_eq!(
        ascii_words(&text),
        Vec::<String>::new(),
        "English on a 中文 page"
    );
    // A one-year term reads as one school year, never "2025–2025".
    assert!(!text.contains("2025–2025") && !text.contains("2025-2025"));
    assert!(text.contains("2025—2026学年，一学年"));
    // 西吉's own word, from its policy's default.
    assert!(text.contains("共同体"));
    // A few seconds do not finish data/xiji: the page says how far and what to do.
    assert!(
        text.contains("与最优方案最多相差") && text.contains("建议延长计算时间"),
        "the status in plain words"
    );
}

#[test]
fn xiji_rule_table_starts_with_failures_and_leaves_out_empty_rules() {
    let html = &xiji().html;
    let rules = &html[html.find("<section id=\"rules\"").unwrap()..];
    let rules = &rules[..rules.find("</section>").unwrap()];
    let rows: Vec<&str> = rules
        .split("<tr class=\"rule ")
        .skip(1)
        .map(|r| r.split_whitespace().next().unwrap().trim_end_matches('"'))
        .collect();
    assert!(rows.len() > 10, "the rules are there: {}", rows.len());
    let first_ok = rows.iter().position(|c| *c == "ok").unwrap_or(rows.len());
    assert!(
        rows[first_ok..].iter().all(|c| *c == "ok"),
        "failures first: {rows:?}"
    );
    assert!(first_ok > 0, "an unfinished xiji plan breaks a rule");
    let text = visible(rules);
    assert!(
        !text.contains("不少于0人"),
        "a rule asking for nobody is listed"
    );
}

#[test]
fn xiji_check_in_chinese_names_rules_in_chinese() {
    let check = &xiji().check;
    assert!(check.contains("通过"), "{check}");
    let words: Vec<String> = ascii_words(check)
        .into_iter()
        .filter(|w| w != "MODEL" && w != "md")
        .collect();
    assert_eq!(words, Vec::<String>::new(), "{check}");
}

#[test]
fn xiji_terminal_in_chinese_speaks_plainly() {
    let said = &xiji().terminal;
    for bad in SOLVER_WORDS.iter().chain(&["人天"]) {
        assert!(!said.contains(bad), "plan --lang zh says {bad}:\n{said}");
    }
    assert!(said.contains("与最优方案最多相差"), "{said}");
    assert_eq!(fractional_people(said), Vec::<String>::new());
}

/// Last year's list beside this year's counts everyone serving away this year, terms the
/// ledger starts this year among them (xiji has 24).
#[test]
fn xiji_last_year_counts_everyone_serving_now() {
    let x = xiji();
    let text = visible(&x.html);
    let now = format!("本学年在交流{}人", x.moves);
    assert!(text.contains(&now), "{now}");
    assert!(text.contains("本学年开始（台账已定）"));
}

/// `validate`'s summary calls communities by the county's own word, as the report does.
#[test]
fn validate_uses_the_countys_word_for_a_community() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/rules/reciprocal");
    let mut ds = lungang::input::load_dataset(&dir, None)
        .expect("loads")
        .dataset;
    ds.policy.report.community_word = "校共体".into();
    let text = lungang::report::DatasetSummary::new(&ds, &Default::default())
        .render(lungang::report::Lang::Zh);
    assert!(text.lines().any(|l| l.starts_with("校共体")), "{text}");
    assert!(!text.contains("共同体"), "{text}");
}
