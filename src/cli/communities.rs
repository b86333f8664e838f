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
    // policy.toml is carried as written (beside a workbook, for one).
    let home = if dataset.is_dir() {
        dataset
    } else {
        dataset.parent().unwrap_or(Path::new("."))
    };
    let policy_path = home.join("policy.toml");
    let policy_text = if policy_path.is_file() {
        read_text(&policy_path, limits::MAX_TEXT_BYTES).map_err(anyhow::Error::msg)?
    } else {
        String::new()
    };
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
    let new = formed.communities.iter().filter(|c| c.new).count();
    eprintln!(
        "{}",
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
    );
    Ok(if formed.status == cm::Status::Optimal {
        exit::OK
    } else {
        exit::FEASIBLE
    })
}
