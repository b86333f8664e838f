//! Issue 17, classes 1 and 6: `--out` never loses data nor leaves anything behind. Each
//! test is a reproduction of the issue on a copy of data/tiny (T), run by the binary.

mod common;

use std::path::Path;

use common::{lungang_bounded, tiny_copy};

/// Every name in a folder, sorted (hidden ones included).
fn names(dir: &Path) -> Vec<String> {
    let mut n: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    n.sort();
    n
}

fn plan(dir: &Path, out: &str, force: bool) -> common::Run {
    let mut args = vec!["plan", "T", "--out", out, "--quiet"];
    if force {
        args.push("--force");
    }
    lungang_bounded(dir, &args)
}

#[test]
fn plan_out_at_the_dataset_with_force_keeps_the_dataset() {
    let (tmp, t) = tiny_copy();
    let before = names(&t);
    let r = plan(tmp.path(), "T", true);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("--out T is the input T"), "{}", r.stderr);
    assert_eq!(names(&t), before);
    assert_eq!(names(tmp.path()), ["T"]);
}

#[test]
fn plan_out_at_the_datasets_parent_with_force_keeps_the_parent() {
    let (tmp, t) = tiny_copy();
    let r = lungang_bounded(&t, &["plan", ".", "--out", "..", "--force", "--quiet"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("holds the input"), "{}", r.stderr);
    assert_eq!(names(tmp.path()), ["T"]);
    assert!(t.join("schools.csv").is_file());
}

#[test]
fn force_over_a_folder_that_is_not_a_plan_keeps_it() {
    let (tmp, _t) = tiny_copy();
    let mine = tmp.path().join("mine");
    std::fs::create_dir(&mine).unwrap();
    std::fs::write(mine.join("thesis.docx"), "years of work").unwrap();
    let r = plan(tmp.path(), "mine", true);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("was not written by lungang"),
        "{}",
        r.stderr
    );
    assert_eq!(names(&mine), ["thesis.docx"]);
    assert_eq!(names(tmp.path()), ["T", "mine"]);
}

#[test]
fn force_replaces_a_plan_folder_and_leaves_nothing_beside_it() {
    let (tmp, _t) = tiny_copy();
    assert_eq!(plan(tmp.path(), "out", false).code, 0);
    let again = plan(tmp.path(), "out", false);
    assert_eq!(again.code, 1);
    assert!(again.stderr.contains("pass --force"), "{}", again.stderr);
    std::fs::write(tmp.path().join("out/stale.csv"), "old").unwrap();
    assert_eq!(plan(tmp.path(), "out", true).code, 0);
    let out = names(&tmp.path().join("out"));
    assert!(out.contains(&".lungang".to_string()) && !out.contains(&"stale.csv".to_string()));
    assert_eq!(names(tmp.path()), ["T", "out"]);
}

#[test]
fn force_over_a_file_keeps_it_and_leaves_no_old_copy() {
    let (tmp, _t) = tiny_copy();
    std::fs::write(tmp.path().join("F"), "keep me").unwrap();
    let r = plan(tmp.path(), "F", true);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("F is not a folder lungang wrote"),
        "{}",
        r.stderr
    );
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("F")).unwrap(),
        "keep me"
    );
    assert_eq!(names(tmp.path()), ["F", "T"]);
}

#[test]
fn force_over_the_current_folder_is_refused_and_leaves_no_temp_folder() {
    let (tmp, _t) = tiny_copy();
    assert_eq!(plan(tmp.path(), "out", false).code, 0);
    let out = tmp.path().join("out");
    let r = lungang_bounded(&out, &["plan", "../T", "--out", ".", "--force", "--quiet"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("holds the current folder"),
        "{}",
        r.stderr
    );
    assert_eq!(names(tmp.path()), ["T", "out"]);
    assert!(out.join("summary.json").is_file());
}

#[test]
fn os_errors_are_printed_once() {
    let (tmp, _t) = tiny_copy();
    std::fs::write(tmp.path().join("file"), "").unwrap();
    let r = plan(tmp.path(), "file/sub/out", false);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let lines: Vec<&str> = r.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{}", r.stderr);
    assert_eq!(lines[0].matches("os error").count(), 1, "{}", r.stderr);
}

#[test]
fn generate_force_replaces_only_its_own_folder() {
    let (tmp, _t) = tiny_copy();
    let args = ["generate", "--schools", "4", "--teachers", "40", "--out"];
    let first = lungang_bounded(tmp.path(), &[&args[..], &["g"]].concat());
    assert_eq!(first.code, 0, "{}", first.stderr);
    let again = lungang_bounded(tmp.path(), &[&args[..], &["g", "--force"]].concat());
    assert_eq!(again.code, 0, "{}", again.stderr);
    let over = lungang_bounded(tmp.path(), &[&args[..], &["T", "--force"]].concat());
    assert_eq!(over.code, 1, "{}", over.stderr);
    assert!(tmp.path().join("T/README.md").is_file());
}
