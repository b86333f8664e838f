//! `lungang check`: a written plan checked against its dataset, independently of the
//! planner.

use std::path::{Path, PathBuf};

use anyhow::Result;
use lungang::check;
use lungang::report::Lang;

use super::args::Decided;
use super::{exit, load, say};

pub fn check(
    dataset: &Path,
    plan: &Path,
    policy: Option<PathBuf>,
    decided: &Decided,
    lang: Lang,
) -> Result<u8> {
    if !plan.is_dir() {
        let p = plan.display();
        anyhow::bail!(say(
            lang,
            format!("方案文件夹 {p} 不存在"),
            format!("plan folder {p} not found (expected a folder written by lungang plan)")
        ));
    }
    let Some(ds) = load::load_decided(dataset, policy.as_deref(), decided, false, lang) else {
        return Ok(exit::INVALID_DATA);
    };
    let rep = check::check_plan(&ds, plan);
    print!("{}", rep.render_in(lang == Lang::Zh));
    Ok(if rep.is_ok() {
        exit::OK
    } else {
        exit::CHECK_FAILED
    })
}
