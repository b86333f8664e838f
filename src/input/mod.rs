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
pub(crate) mod workbook;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use crate::domain::{Dataset, Policy};
use crate::limits::{ReadError, MAX_FILE_BYTES, MAX_TEXT_BYTES, PROBLEMS_SHOWN};

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
        "E0107" => "错误过多，其余未列出",
        "W0107" => "警告过多，其余未列出",
        "E0108" => "行数或列数超出读取上限",
        "E0109" => "工作簿中同一张表出现两次",
        "E0110" => "没有学校",
        "W0102" => "没有教师或没有课时需求，方案将为空",
        "E0201" => "必填单元格为空",
        "E0202" => "不是整数",
        "E0203" => "不是数字",
        "E0204" => "不是是/否值",
        "E0205" => "无法识别的取值",
        "E0206" => "数值超出范围",
        "E0207" => "参加工作时未满十六岁",
        "E0208" => "到校年份早于参加工作年份",
        "E0209" => "经纬度只填了一项",
        "E0210" => "年龄不合常理",
        "E0211" => "编号中有空格或换行",
        "E0212" => "单元格会被表格软件当作公式，或含控制字符",
        "W0201" => "学科名称中有空格",
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
        "W0301" => "共同体没有成员校",
        "W0302" => "核心校为乡村学校而成员校在城区",
        "W0303" => "全县无教师任教该学科",
        "E0401" => "交流任期始于规划年度之后",
        "E0402" => "任期结束早于开始",
        "E0403" => "同一教师的任期重叠",
        "E0404" => "派出学校不是该教师的本校",
        "E0405" => "交流到本校",
        "E0406" => "需求申请的学科填写有误",
        "W0401" => "交流始于参加工作之前",
        "E0408" => "交流任期超过政策允许的年限",
        "E0501" => "TOML 语法错误",
        "E0502" => "未知的配置项",
        "E0503" => "配置项类型错误",
        "E0504" => "配置项取值超出范围",
        "E0701" => "人工指定的学校填写有误",
        "E0702" => "人工指定违反共同体或学段结构",
        "E0703" => "无可延期的任期",
        "E0704" => "人工指定相互矛盾",
        "W0701" => "保留方案中的教师不在数据中，已忽略",
        "E0601" => "情景文件格式错误",
        "E0602" => "情景引用了不存在的编号",
        "E0603" => "情景中的取值超出范围",
        "E0604" => "情景名称重复",
        "E0605" => "情景变更无法实施",
        _ => "输入有误",
    }
}

/// Every problem of a dataset, sorted by file, line and column. Warnings met on the way are
/// included: a misspelt required column shows as E0104 next to the W0101 that explains it.
#[derive(Debug)]
pub struct LoadError {
    pub diagnostics: Vec<Diagnostic>,
    /// Problems past the limit of a file, counted in its E0107 / W0107 line.
    pub omitted: usize,
}

impl LoadError {
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.is_error())
    }

    /// Every problem found: those shown (less the lines that count the rest) and the rest.
    pub fn total(&self) -> usize {
        let counting = |d: &&Diagnostic| matches!(d.code, "E0107" | "W0107");
        self.diagnostics.len() - self.diagnostics.iter().filter(counting).count() + self.omitted
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
/// unreadable (E0101: not a regular file, larger than `limit`; E0102).
fn read_text(
    path: &Path,
    file: &str,
    required: bool,
    limit: u64,
    d: &mut Vec<Diagnostic>,
) -> Option<String> {
    let bytes = match crate::limits::read_file(path, limit) {
        Ok(b) => b,
        Err(ReadError::NotFound) if !required => return None,
        Err(e) => {
            d.push(diag(
                file,
                1,
                1,
                "E0101",
                e.describe(limit),
                "a readable file",
            ));
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

impl Source {
    /// The folder or workbook at `path`, or the one problem that makes it neither (E0101).
    fn open(path: &Path, d: &mut Vec<Diagnostic>) -> Option<Source> {
        let shown = path.display().to_string();
        let ext = path.extension().map(|e| e.to_ascii_lowercase());
        let why = match std::fs::metadata(path) {
            Ok(m) if m.is_dir() => return Some(Source::Folder(path.to_path_buf())),
            Ok(m) if m.is_file() && ext.as_deref() == Some("xlsx".as_ref()) => {
                return workbook::Workbook::read(path, d).map(Source::Workbook);
            }
            Ok(m) if m.is_file() && ext.as_deref() == Some("xls".as_ref()) => (
                "an .xls (Excel 97-2003) workbook, which lungang does not read",
                "an .xlsx workbook: open it in Excel and save it as .xlsx",
            ),
            Ok(m) if m.is_file() => (
                "a file, not a dataset folder nor an .xlsx workbook",
                DATASET,
            ),
            Ok(_) => ("not a folder nor a file (a device or pipe)", DATASET),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => ("not found", DATASET),
            Err(_) => ("cannot be read", DATASET),
        };
        d.push(diag(
            &shown,
            1,
            1,
            "E0101",
            format!("`{shown}` is {}", why.0),
            why.1,
        ));
        None
    }
}

const DATASET: &str =
    "a folder holding schools.csv, teachers.csv and demand.csv, or an .xlsx workbook";

fn read_table(
    src: &Source,
    file: &'static str,
    columns: &'static [Column],
    required: bool,
    d: &mut Vec<Diagnostic>,
) -> Option<Table> {
    let text = match src {
        Source::Folder(dir) => read_text(&dir.join(file), file, required, MAX_FILE_BYTES, d)?,
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
    let t = Table::parse(file, &text, columns, d)?;
    validate::check_table(&t, d);
    Some(t)
}

/// Problems dropped past the limit, by file: errors and warnings.
type Dropped = BTreeMap<String, [usize; 2]>;

fn count_dropped(dropped: &mut Dropped, t: &Table) {
    let e = dropped.entry(t.file.clone()).or_default();
    e[0] += t.budget.dropped[0].get();
    e[1] += t.budget.dropped[1].get();
}

/// Reads and validates the dataset folder `dir` — or one `.xlsx` workbook whose sheets
/// are named like the files (schools/学校, teachers/教师, communities/共同体,
/// demand/课时需求, distances/距离, ledger/台账); errors then name the sheet. `policy`
/// overrides `policy.toml` in the folder (beside the workbook); with neither, MODEL.md's
/// defaults apply.
pub fn load_dataset(dir: &Path, policy: Option<&Path>) -> Result<Loaded, LoadError> {
    load_dataset_pinned(dir, policy, None)
}

/// `load_dataset`, its pins read from `pins` (a CSV file or a plan.xlsx) when given,
/// instead of the dataset's own pins.csv (or sheet 人工指定).
pub fn load_dataset_pinned(
    dir: &Path,
    policy: Option<&Path>,
    pins: Option<&Path>,
) -> Result<Loaded, LoadError> {
    let mut d = Vec::new();
    let mut r = Records::default();
    let Some(src) = Source::open(dir, &mut d) else {
        return Err(LoadError {
            diagnostics: d,
            omitted: 0,
        });
    };
    let home = match &src {
        Source::Folder(_) => dir.to_path_buf(),
        Source::Workbook(_) => dir.parent().unwrap_or(Path::new(".")).to_path_buf(),
    };

    // The policy first: plan_year bounds the teachers' and the ledger's years.
    read_policy(policy, &home, &mut r, &mut d);
    let dropped = read_records(&src, &mut r, &mut d);

    validate::check_all(&r, &mut d);
    d.sort();
    d.dedup();
    let (mut d, omitted) = cap_per_file(d, &dropped);
    if let Source::Workbook(book) = &src {
        book.rename(&mut d);
    }
    if d.iter().any(Diagnostic::is_error) {
        return Err(LoadError {
            diagnostics: d,
            omitted,
        });
    }
    let mut dataset = assemble::dataset(r);
    // pins.csv (or a workbook's sheet 人工指定), read against the assembled dataset.
    if let Some((path, name)) = pins_at(pins, &src, dir) {
        match pins::load_pins(&dataset, &path, &name) {
            Ok((p, w)) => {
                pins::apply(&mut dataset, p);
                d.extend(w);
            }
            Err(e) => {
                d.extend(e.diagnostics);
                d.sort();
                return Err(LoadError {
                    diagnostics: d,
                    omitted: e.omitted,
                });
            }
        }
    }
    Ok(Loaded {
        dataset,
        warnings: d,
    })
}

/// Reads `policy` (required when given) or, without it, `home`'s policy.toml if there is
/// one, into `r.policy`; its problems into `d`.
fn read_policy(policy: Option<&Path>, home: &Path, r: &mut Records, d: &mut Vec<Diagnostic>) {
    let (path, file, required) = match policy {
        Some(p) => (p.to_path_buf(), p.display().to_string(), true),
        None => (home.join("policy.toml"), "policy.toml".to_owned(), false),
    };
    if let Some(text) = read_text(&path, &file, required, MAX_TEXT_BYTES, d) {
        match parse_policy(&text, &file) {
            Ok(p) => r.policy = p,
            Err(e) => d.extend(e),
        }
    }
}

/// Where the pins are, and the name their problems carry: `pins` when given, else the
/// workbook's sheet 人工指定 or the folder's pins.csv, if there is one.
fn pins_at(pins: Option<&Path>, src: &Source, dir: &Path) -> Option<(PathBuf, String)> {
    match (pins, src) {
        (Some(p), _) => Some((p.to_path_buf(), p.display().to_string())),
        (None, Source::Workbook(book)) => {
            (book.tables.contains_key(PINS)).then(|| (dir.to_path_buf(), PINS.to_owned()))
        }
        (None, Source::Folder(f)) => {
            Some((f.join(PINS), PINS.to_owned())).filter(|(p, _)| p.exists())
        }
    }
}

/// Reads every table into `r`; what each dropped past its problem budget.
fn read_records(src: &Source, r: &mut Records, d: &mut Vec<Diagnostic>) -> Dropped {
    let mut dropped = Dropped::new();
    if let Some(t) = read_table(src, validate::SCHOOLS, records::SCHOOLS, true, d) {
        r.schools = records::schools(&t, d);
        r.schools_read = true;
        r.school_lat_col = t.column("lat");
        count_dropped(&mut dropped, &t);
    }
    let names_community = r.schools.iter().any(|s| s.community.is_some());
    let communities = validate::COMMUNITIES;
    if let Some(t) = read_table(src, communities, records::COMMUNITIES, names_community, d) {
        r.communities = records::communities(&t, d);
        r.communities_read = true;
        count_dropped(&mut dropped, &t);
    }
    if let Some(t) = read_table(src, validate::TEACHERS, records::TEACHERS, true, d) {
        r.teachers = records::teachers(&t, d);
        r.teachers_read = true;
        count_dropped(&mut dropped, &t);
    }
    if let Some(t) = read_table(src, validate::DEMAND, records::DEMAND, true, d) {
        r.demand = records::demand(&t, d);
        r.demand_read = true;
        count_dropped(&mut dropped, &t);
    }
    if let Some(t) = read_table(src, validate::DISTANCES, records::DISTANCES, false, d) {
        r.distances = records::distances(&t, d);
        count_dropped(&mut dropped, &t);
    }
    if let Some(t) = read_table(src, validate::LEDGER, records::LEDGER, false, d) {
        r.ledger = records::ledger(&t, d);
        count_dropped(&mut dropped, &t);
    }
    if let Some(t) = read_table(src, validate::REQUESTS, records::REQUESTS, false, d) {
        r.requests = records::requests(&t, d);
        count_dropped(&mut dropped, &t);
    }
    dropped
}

/// At most `PROBLEMS_SHOWN` problems per file (`d` sorted), errors first, warnings in
/// what room is left; then one line per file and kind for the rest: E0107 for errors,
/// W0107 for warnings. Also how many were left out.
/// The problems of a file read beside the dataset (pins, a kept plan), sorted and capped
/// like the dataset's: `value` and the warnings, or every problem when one is an error.
fn finish<T>(
    value: T,
    mut d: Vec<Diagnostic>,
    dropped: &Dropped,
) -> Result<(T, Vec<Diagnostic>), LoadError> {
    d.sort();
    d.dedup();
    let (d, omitted) = cap_per_file(d, dropped);
    if d.iter().any(Diagnostic::is_error) {
        return Err(LoadError {
            diagnostics: d,
            omitted,
        });
    }
    Ok((value, d))
}

fn cap_per_file(d: Vec<Diagnostic>, dropped: &Dropped) -> (Vec<Diagnostic>, usize) {
    let mut out = Vec::with_capacity(d.len().min(1000));
    let mut omitted = 0;
    let mut files = d.into_iter().peekable();
    while let Some(first) = files.peek() {
        let file = first.file.clone();
        let (errors, warnings): (Vec<_>, Vec<_>) =
            std::iter::from_fn(|| files.next_if(|x| x.file == file))
                .partition(Diagnostic::is_error);
        let more = dropped.get(&file).copied().unwrap_or_default();
        let room = [PROBLEMS_SHOWN, PROBLEMS_SHOWN.saturating_sub(errors.len())];
        let mut shown = Vec::new();
        let mut counts = Vec::new();
        for (i, (list, code, what)) in
            [(errors, "E0107", "errors"), (warnings, "W0107", "warnings")]
                .into_iter()
                .enumerate()
        {
            let left = list.len().saturating_sub(room[i]) + more[i];
            shown.extend(list.into_iter().take(room[i]));
            omitted += left;
            if left > 0 {
                let line = shown.iter().map(|x: &Diagnostic| x.line).max().unwrap_or(1);
                let msg = format!("… and {left} more {what} in this file, not shown");
                let expected = format!(
                    "at most {PROBLEMS_SHOWN} problems shown per file: fix these and run again"
                );
                counts.push(diag(&file, line, 1, code, msg, expected));
            }
        }
        shown.sort();
        out.extend(shown);
        out.extend(counts);
    }
    (out, omitted)
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
