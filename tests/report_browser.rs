//! report.html of data/xinjian as a person sees it: headless Chromium loads the file,
//! the map, the rule table and the coverage chart are in the rendered page, the console
//! has no errors, and a screenshot is taken. Without a browser the test says so loudly and
//! passes; CI installs Debian's chromium so that it always runs there.

use std::path::{Path, PathBuf};
use std::process::Command;

fn chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
    ]
    .iter()
    .map(PathBuf::from)
    .find(|p| p.exists())
}

fn headless(browser: &Path, profile: &Path) -> Command {
    let mut c = Command::new(browser);
    c.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--enable-logging=stderr",
        "--v=0",
    ])
    .arg(format!("--user-data-dir={}", profile.display()));
    c
}

#[test]
fn xinjian_report_renders_in_headless_chromium() {
    let Some(browser) = chromium() else {
        eprintln!(
            "\n*** SKIPPED: no Chromium found (install Debian's chromium or set CHROMIUM) ***\n"
        );
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let plan = tmp.path().join("plan");
    let out = Command::new(env!("CARGO_BIN_EXE_lungang"))
        .args(["plan", "data/xinjian", "--out"])
        .arg(&plan)
        .arg("--quiet")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let url = format!("file://{}", plan.join("report.html").display());

    let dom = headless(&browser, &tmp.path().join("profile1"))
        .arg("--dump-dom")
        .arg(&url)
        .output()
        .unwrap();
    assert!(
        dom.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&dom.stderr)
    );
    let html = String::from_utf8_lossy(&dom.stdout);
    for id in [
        "id=\"map\"",
        "id=\"rules\"",
        "id=\"coverage\"",
        "class=\"legend\"",
    ] {
        assert!(html.contains(id), "rendered page lacks {id}");
    }
    assert!(html.contains("<svg"), "the map is an SVG");
    let log = String::from_utf8_lossy(&dom.stderr);
    let console_errors: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("CONSOLE") && (l.contains("ERROR") || l.contains("Uncaught")))
        .collect();
    assert!(
        console_errors.is_empty(),
        "console errors: {console_errors:?}"
    );

    let shot = tmp.path().join("report.png");
    let s = headless(&browser, &tmp.path().join("profile2"))
        .arg(format!("--screenshot={}", shot.display()))
        .arg("--window-size=1400,2400")
        .arg(&url)
        .output()
        .unwrap();
    assert!(s.status.success(), "{}", String::from_utf8_lossy(&s.stderr));
    let png = std::fs::read(&shot).expect("a screenshot");
    assert!(
        png.starts_with(b"\x89PNG") && png.len() > 10_000,
        "screenshot is a real image"
    );
    if let Some(keep) = std::env::var_os("LUNGANG_SCREENSHOT") {
        std::fs::copy(&shot, keep).unwrap();
    }
}
