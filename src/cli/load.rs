//! Datasets loaded with every problem and warning printed in the terminal's language.

use std::path::Path;

use lungang::domain::Dataset;
use lungang::report::Lang;
use lungang::{input, limits};

use super::args::Decided;

/// A diagnostic line in the terminal's language.
pub fn diagnostic(d: &input::Diagnostic, lang: Lang) -> String {
    match lang {
        Lang::Zh => d.to_zh_string(),
        Lang::En => d.to_string(),
    }
}

/// Loads a dataset, printing every problem and its warnings; `None` when invalid.
pub fn load(dir: &Path, policy: Option<&Path>, json: bool, lang: Lang) -> Option<Dataset> {
    load_decided(
        dir,
        policy,
        &Decided {
            pins: None,
            keep: None,
        },
        json,
        lang,
    )
}

/// `load` with the planner's decisions: `--pins` instead of the dataset's pins.csv, and
/// the plan of `--keep`.
pub fn load_decided(
    dir: &Path,
    policy: Option<&Path>,
    decided: &Decided,
    json: bool,
    lang: Lang,
) -> Option<Dataset> {
    let mut ds = loaded(
        input::load_dataset_pinned(dir, policy, decided.pins.as_deref()),
        dir,
        json,
        lang,
    )?;
    if let Some(keep) = &decided.keep {
        let kept = input::load_kept(&ds, keep).map(|(k, warnings)| {
            input::apply_kept(&mut ds, k);
            input::Loaded {
                dataset: ds,
                warnings,
            }
        });
        ds = loaded(kept, keep, json, lang)?;
    }
    Some(ds)
}

/// Prints a load's warnings and gives its dataset, or prints every problem.
pub fn loaded(
    result: Result<input::Loaded, input::LoadError>,
    dir: &Path,
    json: bool,
    lang: Lang,
) -> Option<Dataset> {
    match result {
        Ok(loaded) => {
            for w in &loaded.warnings {
                eprintln!(
                    "{}{}",
                    lang.pick("警告：", "warning: "),
                    diagnostic(w, lang)
                );
            }
            Some(loaded.dataset)
        }
        Err(e) => {
            problems(
                &e.diagnostics,
                e.total(),
                &dir.display().to_string(),
                json,
                lang,
            );
            None
        }
    }
}

/// Prints every problem of an input (`total` of them, some perhaps not shown) and that
/// nothing was planned; as one JSON object with `json`.
pub fn problems(diags: &[input::Diagnostic], total: usize, what: &str, json: bool, lang: Lang) {
    if json {
        let list: Vec<String> = diags.iter().map(|d| d.to_string()).collect();
        let all = serde_json::json!({ "valid": false, "problems": total, "errors": list });
        println!("{all}");
        return;
    }
    for d in diags {
        eprintln!("{}", diagnostic(d, lang));
    }
    match lang {
        Lang::Zh => eprintln!("{what} 中有 {total} 处问题，未做规划"),
        Lang::En => eprintln!("{total} problem(s) in {what}; nothing planned"),
    }
}

/// A user's text file within `limit`, decoded like a dataset file (UTF-8 or GBK).
pub fn read_text(path: &Path, limit: u64) -> std::result::Result<String, String> {
    let bytes = limits::read_file(path, limit).map_err(|e| e.describe(limit))?;
    input::encoding::decode(&bytes)
        .map(|(text, _)| text)
        .map_err(|e| e.message)
}
