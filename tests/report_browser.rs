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

/// The pages of a PDF as Chromium writes them (one `/Type /Page` object each).
fn pdf_pages(pdf: &[u8]) -> usize {
    let needle = b"/Type /Page";
    pdf.windows(needle.len() + 1)
        .filter(|w| w.starts_with(needle) && w[needle.len()] != b's')
        .count()
}

fn print_to_pdf(browser: &Path, profile: &Path, url: &str, pdf: &Path) -> Vec<u8> {
    let out = headless(browser, profile)
        .arg("--no-pdf-header-footer")
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(url)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bytes = std::fs::read(pdf).expect("a PDF");
    assert!(bytes.starts_with(b"%PDF-"), "{} is a PDF", pdf.display());
    bytes
}

/// A principal is handed their school's page alone: printing `report.html#school-ID`
/// gives one school's page, while printing the whole report starts every school on a
/// page of its own (the print style sheet, style.rs).
#[test]
fn one_school_prints_alone() {
    let Some(browser) = chromium() else {
        eprintln!(
            "\n*** SKIPPED: no Chromium found (install Debian's chromium or set CHROMIUM) ***\n"
        );
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let plan = tmp.path().join("plan");
    let out = Command::new(env!("CARGO_BIN_EXE_lungang"))
        .args([
            "plan",
            "data/xinjian",
            "--time-limit",
            "10",
            "--quiet",
            "--out",
        ])
        .arg(&plan)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    // 0 finished, 3 stopped by the time limit: either way a plan is written.
    assert!(
        matches!(out.status.code(), Some(0 | 3)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let moves = std::fs::read_to_string(plan.join("assignments.csv")).unwrap();
    let school = moves
        .lines()
        .nth(1)
        .expect("xinjian has moves")
        .split(',')
        .nth(2)
        .unwrap();
    let page = format!("file://{}", plan.join("report.html").display());
    let one = print_to_pdf(
        &browser,
        &tmp.path().join("profile3"),
        &format!("{page}#school-{school}"),
        &tmp.path().join("one.pdf"),
    );
    let all = print_to_pdf(
        &browser,
        &tmp.path().join("profile4"),
        &page,
        &tmp.path().join("all.pdf"),
    );
    let schools = std::fs::read_to_string("data/xinjian/schools.csv")
        .unwrap()
        .lines()
        .count()
        - 1;
    let (one, all) = (pdf_pages(&one), pdf_pages(&all));
    assert!(
        (1..=2).contains(&one),
        "school {school} prints on {one} pages"
    );
    assert!(
        all > schools,
        "the whole report: {all} pages for {schools} schools"
    );
}
