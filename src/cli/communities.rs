//! `lungang communities`: the communities formed (docs/communities.md).

use std::path::Path;

use anyhow::Result;
use lungang::report::Lang;
use lungang::{folder, limits};

use super::args::CommunitiesArgs;
use super::exit;
use super::load::{load, read_text};

/// `lungang communities`: forms the partition, writes the dataset folder with it (whole or
/// not at all) and says what it formed.
pub fn communities(ask: CommunitiesArgs, report_lang: Lang, lang: Lang) -> Result<u8> {
    use lungang::communities as cm;
    let (dataset, out, force) = (ask.dataset.as_path(), ask.out.as_path(), ask.force);
    let opt = cm::Options {
        coverage: ask.coverage,
        max_minutes: ask.max_minutes,
        members: ask.members,
        repair: ask.repair,
        balance: ask.balance,
        time_limit: ask.time_limit,
        gap: ask.gap,
    };
    let Some(ds) = load(dataset, None, false, lang) else {
        return Ok(exit::INVALID_DATA);
    };
    let policy_text = policy_beside(dataset)?;
    let formed = match cm::form(&ds, &opt) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("{}{}", lang.pick("错误：", "error: "), e.message(lang));
            return Ok(match e {
                cm::FormError::Unreachable { .. } | cm::FormError::Infeasible { .. } => {
                    exit::RULES_BROKEN
                }
                cm::FormError::NoneInTime { .. } => exit::NO_PLAN,
                cm::FormError::Solver(_) => exit::ERROR,
            });
        }
    };
    let files = cm::write::files(&formed, &policy_text, report_lang);
    folder::write(out, &files, force, &[dataset.to_path_buf()])?;
    eprintln!("{}", formed_line(&ds, &formed, out, lang));
    Ok(if formed.status == cm::Status::Optimal {
        exit::OK
    } else {
        exit::FEASIBLE
    })
}

/// The dataset's policy.toml as written (beside a workbook, for one), carried into the
/// new dataset; empty when there is none.
fn policy_beside(dataset: &Path) -> Result<String> {
    let home = match dataset.is_dir() {
        true => dataset,
        false => dataset.parent().unwrap_or(Path::new(".")),
    };
    let policy_path = home.join("policy.toml");
    if !policy_path.is_file() {
        return Ok(String::new());
    }
    read_text(&policy_path, limits::MAX_TEXT_BYTES).map_err(anyhow::Error::msg)
}

/// The line on the terminal: how the communities came out and where they were written.
fn formed_line(
    ds: &lungang::domain::Dataset,
    formed: &lungang::communities::Formed,
    out: &Path,
    lang: Lang,
) -> String {
    use lungang::communities as cm;
    let new = formed.communities.iter().filter(|c| c.new).count();
    match lang {
        Lang::Zh => format!(
            "{}：{} 个{}（新组建 {new} 个），农村学校 {}/{} 所已加入（要求 {} 所），车程合计 {:.1} 分钟；已写入 {}",
            if formed.status == cm::Status::Optimal { "已是最优方案" } else { "方案尚未算完" },
            formed.communities.len(),
            ds.policy.report.community_word,
            formed.rural_covered,
            formed.rural_total,
            formed.required,
            formed.travel_total,
            out.display()
        ),
        Lang::En => format!(
            "{}: {} communities ({new} new), {}/{} rural schools in one ({} required), {:.1} minutes of travel in all; wrote {}",
            formed.status.as_str(),
            formed.communities.len(),
            formed.rural_covered,
            formed.rural_total,
            formed.required,
            formed.travel_total,
            out.display()
        ),
    }
}
