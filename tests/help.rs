//! `--help` in 中文 under `--lang zh` or a zh_* locale (issue 15 item 6): every heading,
//! command and option in 中文, clap's English "[default: …]" said in the help instead; and
//! the English help as it was under `--lang en`.

mod common;

use common::bin::{code, lungang, lungang_in, text};

fn has_cjk(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// The subcommand names the top-level help lists.
fn subcommands(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|l| !l.starts_with("命令"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next().map(str::to_owned))
        .collect()
}

/// Every line of a help text that describes an option or an argument has 中文 in it, and
/// none of clap's English words is left.
fn assert_all_chinese(args: &[&str], help: &str) {
    for english in [
        "Usage:",
        "Options:",
        "Commands:",
        "Arguments:",
        "Print help",
        "[default:",
        "[possible values:",
    ] {
        assert!(
            !help.contains(english),
            "{args:?} prints {english:?}:\n{help}"
        );
    }
    assert!(help.contains("用法：lungang"), "{args:?}:\n{help}");
    for line in help
        .lines()
        .filter(|l| l.trim_start().starts_with('-') || l.trim_start().starts_with('<'))
    {
        assert!(has_cjk(line), "{args:?}: a line without 中文: {line:?}");
    }
}

#[test]
fn every_command_has_its_help_in_chinese() {
    let top = lungang(&["--lang", "zh", "--help"]);
    assert_eq!(code(&top), 0);
    let top = text(&top);
    assert_all_chinese(&["--help"], &top);
    let names = subcommands(&top);
    assert!(names.len() >= 7, "{names:?}");
    for name in names.iter().filter(|n| *n != "help") {
        let args = ["--lang", "zh", name.as_str(), "--help"];
        let out = lungang(&args);
        assert_eq!(code(&out), 0, "{args:?}");
        assert_all_chinese(&args, &text(&out));
    }
}

#[test]
fn a_chinese_locale_and_the_help_command_speak_chinese_too() {
    let out = lungang_in("zh_CN.UTF-8", &["help", "plan"]);
    assert_eq!(code(&out), 0);
    let help = text(&out);
    assert!(help.contains("用法：lungang plan"), "{help}");
    assert!(help.contains("计算时间上限（秒）（默认 300）"), "{help}");
}

#[test]
fn english_stays_english() {
    let help = text(&lungang(&["--lang", "en", "plan", "--help"]));
    assert!(help.contains("Usage: lungang plan"), "{help}");
    assert!(help.contains("[default: 300]"), "{help}");
    assert!(!has_cjk(&help.replace("中文", "")), "{help}");
}
