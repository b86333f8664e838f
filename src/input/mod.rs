//! Reading a dataset folder (FORMAT.md): encodings, header aliases, records, validation
//! with stable error codes, and `policy.toml`. Knows nothing of the solver.
//!
//! Files are read into record types (`records`), checked as a whole (`validate`), and only
//! a dataset with no error is mapped to `domain::Dataset` (`assemble`). Codes are listed
//! in docs/errors.md.

mod assemble;
pub mod encoding;
mod keep;
mod pins;
mod policy;
mod records;
pub mod table;
mod validate;
mod workbook;

use std::fmt;
use std::path::Path;

use crate::domain::{Dataset, Policy};

use table::{diag, Column, Table};
use validate::Records;

pub use keep::{apply as apply_kept, load_kept};
pub use pins::{apply as apply_pins, load_pins, PINS};

/// One problem found in the input, printed as `FILE:LINE:COLUMN: CODE message (expected …)`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// The file name inside the dataset folder (`schools.csv`), or the policy path as given.
    pub file: String,
    pub line: usize,
    pub column: usize,
    /// Stable code listed in docs/errors.md, e.g. "E0203"; warnings start with "W".
    pub code: &'static str,
    pub message: String,
    pub expected: String,
}

impl Diagnostic {
    pub fn is_error(&self) -> bool {
        self.code.starts_with('E')
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {} {}",
            self.file,
            self.line,
            self.column,
            self.code,
            self.detail()
        )
    }
}

impl Diagnostic {
    /// The line for a Chinese terminal: the same place and code, what is wrong in 中文,
    /// then the English detail, which quotes the data.
    pub fn to_zh_string(&self) -> String {
        format!(
            "{}:{}:{}: {} {}：{}",
            self.file,
            self.line,
            self.column,
            self.code,
            title_zh(self.code),
            if self.expected.is_empty() {
                self.message.clone()
            } else {
                format!("{}（应为 {}）", self.message, self.expected)
            }
        )
    }

    fn detail(&self) -> String {
        if self.expected.is_empty() {
            self.message.clone()
        } else {
            format!("{} (expected {})", self.message, self.expected)
        }
    }
}

/// What each code of docs/errors.md means, in 中文.
pub fn title_zh(code: &str) -> &'static str {
    match code {
        "E0101" => "文件缺失或无法读取",
        "E0102" => "无法识别的编码（应为 UTF-8 或 GB18030/GBK）",
        "E0103" => "该行的列数与表头不符",
        "E0104" => "缺少必需的列",
        "E0105" => "列重复",
        "E0106" => "文件为空",
        "W0101" => "未知的列，已忽略",
        "E0201" => "必填单元格为空",
        "E0202" => "不是整数",
        "E0203" => "不是数字",
        "E0204" => "不是是/否值",
        "E0205" => "无法识别的取值",
        "E0206" => "数值超出范围",
        "E0207" => "参加工作时未满十六岁",
        "E0208" => "到校年份早于参加工作年份",
        "E0209" => "经纬度只填了一项",
        "E0301" => "未知的学校编号",
        "E0302" => "未知的共同体编号",
        "E0303" => "未知的教师编号",
        "E0304" => "编号重复",
        "E0305" => "课时需求重复",
        "E0306" => "核心校不属于该共同体",
        "E0307" => "任教学段本校不开设",
        "E0308" => "年份晚于规划年度",
        "E0309" => "缺少所需的距离，也无法由经纬度推算",
        "E0310" => "距离重复",
        "E0311" => "学校到自身的距离",
        "E0401" => "交流任期始于规划年度之后",
        "E0402" => "任期结束早于开始",
        "E0403" => "同一教师的任期重叠",
        "E0404" => "派出学校不是该教师的本校",
        "E0405" => "交流到本校",
        "E0406" => "需求申请的学科填写有误",
        "E0501" => "TOML 语法错误",
        "E0502" => "未知的配置项",
        "E0503" => "配置项类型错误",
        "E0504" => "配置项取值超出范围",
        "E0701" => "人工指定的学校填写有误",
        "E0702" => "人工指定违反共同体或学段结构",
        "E0703" => "无可延期的任期",
        "E0704" => "人工指定相互矛盾",
        "W0701" => "保留方案中的教师不在数据中，已忽略",
        _ => "输入有误",
    }
}

/// Every problem of a dataset, sorted by file, line and column. Warnings met on the way are
/// included: a misspelt required column shows as E0104 next to the W0101 that explains it.
#[derive(Debug)]
pub struct LoadError {
    pub diagnostics: Vec<Diagnostic>,
}

impl LoadError {
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.is_error())
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for LoadError {}

/// A dataset that passed validation, with the warnings met on the way.
#[derive(Debug)]
pub struct Loaded {
    pub dataset: Dataset,
    pub warnings: Vec<Diagnostic>,
}

/// Reads a file and decodes it: `None` when absent (reported only if `required`) or
/// unreadable (E0101, E0102).
fn read_text(path: &Path, file: &str, required: bool, d: &mut Vec<Diagnostic>) -> Option<String> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => return None,
        Err(e) => {
            let why = if e.kind() == std::io::ErrorKind::NotFound {
                "file not found".to_owned()
            } else {
                format!("cannot read the file: {e}")
            };
            d.push(diag(file, 1, 1, "E0101", why, "a readable file"));
            return None;
        }
    };
    match encoding::decode(&bytes) {
        Ok((text, _)) => Some(text),
        Err(e) => {
            d.push(diag(
                file,
                e.line,
                e.column,
                "E0102",
                e.message,
                "UTF-8 (with or without BOM) or GB18030/GBK",
            ));
            None
        }
    }
}

/// Where the tables come from: a folder of CSV files or one workbook.
enum Source {
    Folder(std::path::PathBuf),
    Workbook(workbook::Workbook),
}

fn read_table(
    src: &Source,
    file: &'static str,
    columns: &'static [Column],
    required: bool,
    d: &mut Vec<Diagnostic>,
) -> Option<Table> {
    let text = match src {
        Source::Folder(dir) => read_text(&dir.join(file), file, required, d)?,
        Source::Workbook(book) => match book.tables.get(file) {
            Some((_, text)) => text.clone(),
            None => {
                if required {
                    d.push(table::diag(
                        file,
                        1,
                        1,
                        "E0101",
                        "sheet not found".to_owned(),
                        "a sheet named like the file (e.g. teachers or 教师)",
                    ));
                }
                return None;
            }
        },
    };
    Table::parse(file, &text, columns, d)
}

/// Reads and validates the dataset folder `dir` — or one `.xlsx` workbook whose sheets
/// are named like the files (schools/学校, teachers/教师, communities/共同体,
/// demand/课时需求, distances/距离, ledger/台账); errors then name the sheet. `policy`
/// overrides `policy.toml` in the folder (beside the workbook); with neither, MODEL.md's
/// defaults apply.
pub fn load_dataset(dir: &Path, policy: Option<&Path>) -> Result<Loaded, LoadError> {
    let mut d = Vec::new();
    let mut r = Records::default();
    let is_book = dir.is_file()
        && dir
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("xlsx") || e.eq_ignore_ascii_case("xls"));
    let src = if is_book {
        match workbook::Workbook::read(dir, &mut d) {
            Some(b) => Source::Workbook(b),
            None => return Err(LoadError { diagnostics: d }),
        }
    } else {
        Source::Folder(dir.to_path_buf())
    };
    let home = if is_book {
        dir.parent().unwrap_or(Path::new(".")).to_path_buf()
    } else {
        dir.to_path_buf()
    };

    // The policy first: plan_year bounds the teachers' and the ledger's years.
    let (policy_path, policy_file, policy_required) = match policy {
        Some(p) => (p.to_path_buf(), p.display().to_string(), true),
        None => (home.join("policy.toml"), "policy.toml".to_owned(), false),
    };
    if let Some(text) = read_text(&policy_path, &policy_file, policy_required, &mut d) {
        match parse_policy(&text, &policy_file) {
            Ok(p) => r.policy = p,
            Err(e) => d.extend(e),
        }
    }

    if let Some(t) = read_table(&src, validate::SCHOOLS, records::SCHOOLS, true, &mut d) {
        r.schools = records::schools(&t, &mut d);
        r.schools_read = true;
        r.school_lat_col = t.column("lat");
    }
    let names_community = r.schools.iter().any(|s| s.community.is_some());
    if let Some(t) = read_table(
        &src,
        validate::COMMUNITIES,
        records::COMMUNITIES,
        names_community,
        &mut d,
    ) {
        r.communities = records::communities(&t, &mut d);
        r.communities_read = true;
    }
    if let Some(t) = read_table(&src, validate::TEACHERS, records::TEACHERS, true, &mut d) {
        r.teachers = records::teachers(&t, &mut d);
        r.teachers_read = true;
    }
    if let Some(t) = read_table(&src, validate::DEMAND, records::DEMAND, true, &mut d) {
        r.demand = records::demand(&t, &mut d);
    }
    if let Some(t) = read_table(&src, validate::DISTANCES, records::DISTANCES, false, &mut d) {
        r.distances = records::distances(&t, &mut d);
    }
    if let Some(t) = read_table(&src, validate::LEDGER, records::LEDGER, false, &mut d) {
        r.ledger = records::ledger(&t, &mut d);
    }
    if let Some(t) = read_table(&src, validate::REQUESTS, records::REQUESTS, false, &mut d) {
        r.requests = records::requests(&t, &mut d);
    }

    validate::check_all(&r, &mut d);
    if let Source::Workbook(book) = &src {
        book.rename(&mut d);
    }
    d.sort();
    d.dedup();
    if d.iter().any(Diagnostic::is_error) {
        return Err(LoadError { diagnostics: d });
    }
    let mut dataset = assemble::dataset(r);
    // pins.csv (or a workbook's sheet 人工指定), read against the assembled dataset.
    let pins_at = match &src {
        Source::Workbook(book) => book.tables.contains_key(PINS).then(|| dir.to_path_buf()),
        Source::Folder(f) => Some(f.join(PINS)).filter(|p| p.exists()),
    };
    if let Some(path) = pins_at {
        match pins::load_pins(&dataset, &path) {
            Ok(p) => pins::apply(&mut dataset, p),
            Err(e) => {
                d.extend(e.diagnostics);
                d.sort();
                return Err(LoadError { diagnostics: d });
            }
        }
    }
    Ok(Loaded {
        dataset,
        warnings: d,
    })
}

/// Parses policy text; `file` names it in diagnostics.
pub fn parse_policy(text: &str, file: &str) -> Result<Policy, Vec<Diagnostic>> {
    policy::parse(text, file)
}

#[cfg(test)]
mod zh_tests {
    use super::title_zh;

    /// Every code docs/errors.md lists has its own Chinese title.
    #[test]
    fn every_documented_code_has_a_chinese_title() {
        let doc = include_str!("../../docs/errors.md");
        let codes: Vec<&str> = doc
            .lines()
            .filter_map(|l| l.strip_prefix("### "))
            .filter_map(|l| l.split_whitespace().next())
            .collect();
        assert!(codes.len() >= 36, "{codes:?}");
        for code in codes {
            assert_ne!(title_zh(code), title_zh("E9999"), "{code} has no title");
        }
    }
}
