//! Progress on the terminal: a bar of finished plans, the live line of one solve.

use lungang::model::solve::Progress;
use lungang::report::Lang;

/// Draws progress on stderr only when it is a terminal and not --quiet.
pub fn show_progress(quiet: bool) -> bool {
    use std::io::IsTerminal;
    !quiet && std::io::stderr().is_terminal()
}

/// A bar counting finished plans (scenarios or counties).
pub fn progress(n: usize, quiet: bool, what: &str) -> indicatif::ProgressBar {
    if !show_progress(quiet) {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(n as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template(&format!(
            "{{elapsed_precise}} [{{bar:30}}] {{pos}}/{{len}} {what}"
        ))
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar
}

/// The live line of one solve: elapsed time, best plan, bound and gap as HiGHS finds them.
pub fn solve_line(quiet: bool, lang: Lang) -> Option<indicatif::ProgressBar> {
    if !show_progress(quiet) {
        return None;
    }
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {elapsed_precise} {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    bar.set_message(lang.pick("求解中…", "solving…"));
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    Some(bar)
}

pub fn progress_text(p: Progress, lang: Lang) -> String {
    let v = |x: Option<f64>| x.map_or("–".to_string(), |x| format!("{x:.1}"));
    let gap = p
        .gap()
        .map_or("–".to_string(), |g| format!("{:.2}%", 100.0 * g));
    match lang {
        Lang::Zh => match p.gap() {
            Some(g) => format!(
                "已有方案，与最优方案最多相差 {}",
                lungang::report::words::at_most_percent(g)
            ),
            None if p.best.is_some() => "已有方案，正在估计与最优方案的差别".to_string(),
            None => "正在寻找第一个方案".to_string(),
        },
        Lang::En => format!("best {}  bound {}  gap {gap}", v(p.best), v(p.bound)),
    }
}
