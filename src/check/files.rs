//! Reading the plan folder (docs/outputs.md) into rows with their line numbers. A missing
//! file, a wrong header or an unreadable row is a `C-FILE` violation naming `file:line`;
//! an unknown id is `C-ID`; rows out of the documented order are `C-SORT`.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde_json::Value;

use super::{codes, Sink};
use crate::domain::{Dataset, SchoolIx, SubjectIx, TeacherIx};

/// Id → index maps of the dataset.
pub(crate) struct Ids {
    teachers: HashMap<String, TeacherIx>,
    schools: HashMap<String, SchoolIx>,
}

impl Ids {
    pub fn new(ds: &Dataset) -> Ids {
        Ids {
            teachers: ds
                .teachers
                .iter()
                .enumerate()
                .map(|(i, t)| (t.id.clone(), TeacherIx(i as u32)))
                .collect(),
            schools: ds
                .schools
                .iter()
                .enumerate()
                .map(|(i, s)| (s.id.clone(), SchoolIx(i as u32)))
                .collect(),
        }
    }
}

/// The kind column of assignments.csv.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Kind {
    Support,
    Learning,
    Extension,
    Continuing,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Support => "support",
            Kind::Learning => "learning",
            Kind::Extension => "extension",
            Kind::Continuing => "continuing",
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct AssignRow {
    pub line: usize,
    pub teacher: TeacherIx,
    pub name: String,
    pub home: SchoolIx,
    pub host: SchoolIx,
    pub kind: Kind,
    pub start: i64,
    pub end: i64,
}

#[derive(Clone, Debug)]
pub(crate) struct TeachRow {
    pub line: usize,
    pub teacher: TeacherIx,
    pub school: SchoolIx,
    pub subject: SubjectIx,
    pub periods: i64,
}

#[derive(Clone, Debug)]
pub(crate) struct RouteRow {
    pub line: usize,
    pub teacher: TeacherIx,
    pub weekday: i64,
    pub seq: i64,
    pub school: SchoolIx,
    pub periods: i64,
    pub km: f64,
    pub minutes: f64,
}

#[derive(Clone, Debug)]
pub(crate) struct CoverRow {
    pub line: usize,
    pub school: SchoolIx,
    pub subject: SubjectIx,
    pub demand: i64,
    pub covered: i64,
    pub unmet: i64,
    pub unmet_before: i64,
}

/// A ledger.csv row kept as written (compared as text with the expected rows).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct LedgerRow {
    pub line: usize,
    pub fields: [String; 6],
}

/// The CSV files of a plan folder, as far as they could be read.
#[derive(Default)]
pub(crate) struct PlanFiles {
    pub assignments: Vec<AssignRow>,
    pub teaching: Vec<TeachRow>,
    pub routes: Vec<RouteRow>,
    pub coverage: Vec<CoverRow>,
    pub ledger: Vec<LedgerRow>,
    /// ledger.csv was found with the right header (else its rows are not compared).
    pub ledger_read: bool,
}

/// One rule entry of summary.json.
#[derive(Clone, Debug)]
pub(crate) struct RuleEntry {
    pub index: usize,
    pub rule: String,
    pub scope: String,
    pub required: Option<f64>,
    pub reached: Option<f64>,
    pub shortfall: Option<f64>,
    pub ok: Option<bool>,
    pub why: String,
}

/// What summary.json says, as far as it could be read.
#[derive(Clone, Debug, Default)]
pub(crate) struct Summary {
    /// The file was read and is a JSON object.
    pub read: bool,
    pub status: Option<String>,
    pub objective: Option<f64>,
    pub terms: BTreeMap<String, f64>,
    pub counts: BTreeMap<String, f64>,
    pub rules: Vec<RuleEntry>,
    /// `changes` as (teacher, before, after) ids, when written (`plan --keep`).
    pub changes: Option<Vec<[String; 3]>>,
}

const ASSIGNMENTS: &str = "assignments.csv";
const TEACHING: &str = "teaching.csv";
const ROUTES: &str = "routes.csv";
const COVERAGE: &str = "coverage.csv";
const LEDGER: &str = "ledger.csv";
const SUMMARY: &str = "summary.json";

/// Reads a file as UTF-8 text; a missing or unreadable file is a violation.
fn read_text(dir: &Path, file: &str, sink: &mut Sink) -> Option<String> {
    let path = dir.join(file);
    // A plan folder can be tampered with like any input: regular files, bounded.
    let limit = crate::limits::MAX_FILE_BYTES;
    let bytes = match crate::limits::read_file(&path, limit) {
        Ok(b) => b,
        Err(crate::limits::ReadError::NotFound) => {
            sink.push(
                codes::FILE,
                format!("{file} is missing from the plan folder"),
            );
            return None;
        }
        Err(e) => {
            let why = e.describe(limit);
            sink.push(codes::FILE, format!("{file}: cannot be read ({why})"));
            return None;
        }
    };
    let mut text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let upto = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let line = upto.iter().filter(|&&b| b == b'\n').count() + 1;
            sink.push(
                codes::FILE,
                format!("{file}:{line}: not UTF-8 text (plan files are UTF-8 without a BOM)"),
            );
            return None;
        }
    };
    if let Some(rest) = text.strip_prefix('\u{feff}') {
        sink.push(
            codes::FILE,
            format!("{file}:1: starts with a byte-order mark (plan files are UTF-8 without a BOM)"),
        );
        text = rest.to_string();
    }
    if let Some(at) = text.find('\r') {
        let line = text[..at].matches('\n').count() + 1;
        sink.push(
            codes::FILE,
            format!("{file}:{line}: a line ends with \\r (plan files end their lines with \\n)"),
        );
    }
    Some(text)
}

const REPORT: &str = "report.html";
const WORKBOOK: &str = "plan.xlsx";

/// report.html and plan.xlsx (docs/report.md): there, whole, and the workbook with its
/// sheets in order, each with a row per row of the file it shows (`C-REPORT`).
pub(crate) fn check_reports(
    dir: &Path,
    ds: &Dataset,
    plan: &PlanFiles,
    rules: usize,
    sink: &mut Sink,
) {
    if let Some(html) = read_text(dir, REPORT, sink) {
        check_page(html.trim(), ds, plan, sink);
    }
    check_workbook(dir, plan, rules, sink);
}

/// report.html: a whole page that names every teacher who serves away.
fn check_page(html: &str, ds: &Dataset, plan: &PlanFiles, sink: &mut Sink) {
    if !html.starts_with("<!DOCTYPE html>") || !html.ends_with("</html>") {
        sink.push(
            codes::FILE,
            format!("{REPORT}: not a whole page (expected <!DOCTYPE html> … </html>)"),
        );
    }
    for a in &plan.assignments {
        let id = crate::report::escape::esc(&ds.teacher(a.teacher).id);
        if !html.contains(&id) {
            let line = a.line;
            sink.push(
                codes::REPORT,
                format!("{REPORT} does not name {id}, who serves away ({ASSIGNMENTS}:{line})"),
            );
        }
    }
}

/// plan.xlsx: its sheets, in order, each with as many rows as the file it shows.
fn check_workbook(dir: &Path, plan: &PlanFiles, rules: usize, sink: &mut Sink) {
    let path = dir.join(WORKBOOK);
    if !path.exists() {
        sink.push(
            codes::FILE,
            format!("{WORKBOOK} is missing from the plan folder"),
        );
        return;
    }
    let mut book = match crate::input::workbook::open(&path) {
        Ok(b) => b,
        Err(why) => return sink.push(codes::FILE, format!("{WORKBOOK}: {why}")),
    };
    let names = calamine::Reader::sheet_names(&book);
    if names != crate::report::xlsx::SHEETS {
        let want = crate::report::xlsx::SHEETS.join(", ");
        return sink.push(
            codes::REPORT,
            format!(
                "{WORKBOOK} has the sheets {}, expected {want}",
                names.join(", ")
            ),
        );
    }
    let shown = [
        plan.assignments.len(),
        plan.routes.len(),
        plan.coverage.len(),
        rules,
        plan.ledger.len(),
    ];
    let from = [ASSIGNMENTS, ROUTES, COVERAGE, SUMMARY, LEDGER];
    for ((sheet, want), file) in names.iter().zip(shown).zip(from) {
        match crate::input::workbook::used_rows(&mut book, sheet) {
            Ok(n) if n == want + 1 => {}
            Ok(n) => sink.push(
                codes::REPORT,
                format!(
                    "{WORKBOOK}[{sheet}] has {} rows under its header, {file} {want}",
                    n.saturating_sub(1)
                ),
            ),
            Err((.., why)) => sink.push(codes::FILE, format!("{WORKBOOK}[{sheet}]: {why}")),
        }
    }
}

/// A CSV file's data rows with their line numbers, after checking the header.
fn read_table(
    dir: &Path,
    file: &str,
    header: &[&str],
    sink: &mut Sink,
) -> Option<Vec<(usize, Vec<String>)>> {
    let text = read_text(dir, file, sink)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut first = true;
    let mut width = header.len();
    for rec in reader.records() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                sink.push(codes::FILE, format!("{file}:{line}: not valid CSV ({e})"));
                continue;
            }
        };
        let line = rec.position().map_or(0, |p| p.line() as usize);
        let fields: Vec<String> = rec.iter().map(|f| f.to_string()).collect();
        if first {
            first = false;
            width = header_width(file, line, &fields, header, sink)?;
            continue;
        }
        if fields.len() == 1 && fields[0].trim().is_empty() {
            continue;
        }
        if fields.len() != width {
            sink.push(
                codes::FILE,
                format!(
                    "{file}:{line}: has {} fields, expected {} as its header",
                    fields.len(),
                    width
                ),
            );
            continue;
        }
        rows.push((line, fields[..header.len()].to_vec()));
    }
    if first {
        sink.push(
            codes::FILE,
            format!(
                "{file}:1: is empty (expected the header `{}`)",
                header.join(",")
            ),
        );
        return None;
    }
    Some(rows)
}

/// The header row's width when it begins with the contract's columns `header`, in order
/// (columns after them, the `why` of assignments.csv, are lungang's own and not checked
/// here); else the problem reported and `None`.
fn header_width(
    file: &str,
    line: usize,
    fields: &[String],
    header: &[&str],
    sink: &mut Sink,
) -> Option<usize> {
    let got: Vec<&str> = fields.iter().map(|f| f.trim()).collect();
    if got.starts_with(header) {
        return Some(got.len());
    }
    sink.push(
        codes::FILE,
        format!(
            "{file}:{line}: the header is `{}`, expected it to begin `{}`",
            fields.join(","),
            header.join(",")
        ),
    );
    None
}

/// Field readers that report `file:line` problems and give `None`.
struct Row<'a> {
    file: &'static str,
    line: usize,
    header: &'a [&'a str],
    fields: &'a [String],
    ok: bool,
}

impl Row<'_> {
    fn text(&self, col: usize) -> &str {
        self.fields[col].trim()
    }
    fn bad(&mut self, sink: &mut Sink, code: &'static str, col: usize, what: &str) {
        self.ok = false;
        sink.push(
            code,
            format!(
                "{}:{}: {} `{}` {}",
                self.file,
                self.line,
                self.header[col],
                self.text(col),
                what
            ),
        );
    }
    fn int(&mut self, col: usize, sink: &mut Sink) -> i64 {
        match self.text(col).parse::<i64>() {
            Ok(v) => v,
            Err(_) => {
                self.bad(sink, codes::FILE, col, "is not an integer");
                0
            }
        }
    }
    fn num(&mut self, col: usize, sink: &mut Sink) -> f64 {
        match self.text(col).parse::<f64>() {
            Ok(v) if v.is_finite() => v,
            _ => {
                self.bad(sink, codes::FILE, col, "is not a decimal number");
                0.0
            }
        }
    }
    fn teacher(&mut self, col: usize, ids: &Ids, sink: &mut Sink) -> TeacherIx {
        match ids.teachers.get(self.text(col)) {
            Some(&t) => t,
            None => {
                self.bad(sink, codes::ID, col, "is not a teacher of the dataset");
                TeacherIx(0)
            }
        }
    }
    fn school(&mut self, col: usize, ids: &Ids, sink: &mut Sink) -> SchoolIx {
        match ids.schools.get(self.text(col)) {
            Some(&s) => s,
            None => {
                self.bad(sink, codes::ID, col, "is not a school of the dataset");
                SchoolIx(0)
            }
        }
    }
    fn subject(&mut self, col: usize, ds: &Dataset, sink: &mut Sink) -> SubjectIx {
        match ds.subject_ix(self.text(col)) {
            Some(k) => k,
            None => {
                self.bad(sink, codes::ID, col, "is not a subject of the dataset");
                SubjectIx(0)
            }
        }
    }
}

/// Flags the first row that breaks the documented order of `file`.
fn check_sorted<K: Ord>(file: &str, order: &str, keyed: &[(usize, K)], sink: &mut Sink) {
    for w in keyed.windows(2) {
        if w[1].1 < w[0].1 {
            sink.push(
                codes::SORT,
                format!(
                    "{file}:{}: rows are not sorted by {order} (this row belongs before line {})",
                    w[1].0, w[0].0
                ),
            );
            return;
        }
    }
}

/// Reads the five CSV files of the plan folder.
pub(crate) fn read_plan(dir: &Path, ds: &Dataset, ids: &Ids, sink: &mut Sink) -> PlanFiles {
    let mut plan = PlanFiles::default();
    read_assignments(dir, ds, ids, sink, &mut plan);
    read_teaching(dir, ds, ids, sink, &mut plan);
    read_routes(dir, ds, ids, sink, &mut plan);
    read_coverage(dir, ds, ids, sink, &mut plan);
    read_ledger(dir, sink, &mut plan);
    plan
}

/// assignments.csv, its rows in teacher order.
fn read_assignments(dir: &Path, ds: &Dataset, ids: &Ids, sink: &mut Sink, plan: &mut PlanFiles) {
    let tid = |t: TeacherIx| ds.teacher(t).id.clone();
    let h = [
        "teacher",
        "name",
        "home",
        "host",
        "kind",
        "start_year",
        "end_year",
    ];
    if let Some(rows) = read_table(dir, ASSIGNMENTS, &h, sink) {
        for (line, fields) in &rows {
            let mut r = Row {
                file: ASSIGNMENTS,
                line: *line,
                header: &h,
                fields,
                ok: true,
            };
            let teacher = r.teacher(0, ids, sink);
            let home = r.school(2, ids, sink);
            let host = r.school(3, ids, sink);
            let kind = match r.text(4) {
                "support" => Kind::Support,
                "learning" => Kind::Learning,
                "extension" => Kind::Extension,
                "continuing" => Kind::Continuing,
                _ => {
                    r.bad(
                        sink,
                        codes::FILE,
                        4,
                        "is not one of support, learning, extension, continuing",
                    );
                    Kind::Support
                }
            };
            let start = r.int(5, sink);
            let end = r.int(6, sink);
            if r.ok {
                plan.assignments.push(AssignRow {
                    line: *line,
                    teacher,
                    name: r.text(1).to_string(),
                    home,
                    host,
                    kind,
                    start,
                    end,
                });
            }
        }
        let keyed: Vec<_> = plan
            .assignments
            .iter()
            .map(|a| (a.line, tid(a.teacher)))
            .collect();
        check_sorted(ASSIGNMENTS, "teacher id", &keyed, sink);
    }
}

/// teaching.csv, its rows in (teacher, school, subject) order.
fn read_teaching(dir: &Path, ds: &Dataset, ids: &Ids, sink: &mut Sink, plan: &mut PlanFiles) {
    let sid = |s: SchoolIx| ds.school(s).id.clone();
    let tid = |t: TeacherIx| ds.teacher(t).id.clone();
    let kname = |k: SubjectIx| ds.subject_name(k).to_string();
    let h = ["teacher", "school", "subject", "periods"];
    if let Some(rows) = read_table(dir, TEACHING, &h, sink) {
        for (line, fields) in &rows {
            let mut r = Row {
                file: TEACHING,
                line: *line,
                header: &h,
                fields,
                ok: true,
            };
            let teacher = r.teacher(0, ids, sink);
            let school = r.school(1, ids, sink);
            let subject = r.subject(2, ds, sink);
            let periods = r.int(3, sink);
            if r.ok {
                plan.teaching.push(TeachRow {
                    line: *line,
                    teacher,
                    school,
                    subject,
                    periods,
                });
            }
        }
        let keyed: Vec<_> = plan
            .teaching
            .iter()
            .map(|a| (a.line, (tid(a.teacher), sid(a.school), kname(a.subject))))
            .collect();
        check_sorted(TEACHING, "teacher id, school id, subject", &keyed, sink);
    }
}

/// routes.csv, its rows in (teacher, weekday, seq) order and on weekdays 1-5.
fn read_routes(dir: &Path, ds: &Dataset, ids: &Ids, sink: &mut Sink, plan: &mut PlanFiles) {
    let tid = |t: TeacherIx| ds.teacher(t).id.clone();
    let h = [
        "teacher", "weekday", "seq", "school", "periods", "km", "minutes",
    ];
    if let Some(rows) = read_table(dir, ROUTES, &h, sink) {
        for (line, fields) in &rows {
            let mut r = Row {
                file: ROUTES,
                line: *line,
                header: &h,
                fields,
                ok: true,
            };
            let teacher = r.teacher(0, ids, sink);
            let weekday = r.int(1, sink);
            let seq = r.int(2, sink);
            let school = r.school(3, ids, sink);
            let periods = r.int(4, sink);
            let km = r.num(5, sink);
            let minutes = r.num(6, sink);
            if r.ok && !(1..=5).contains(&weekday) {
                r.bad(sink, codes::ROUTE_FORM, 1, "is not a weekday 1-5");
            }
            if r.ok {
                plan.routes.push(RouteRow {
                    line: *line,
                    teacher,
                    weekday,
                    seq,
                    school,
                    periods,
                    km,
                    minutes,
                });
            }
        }
        let keyed: Vec<_> = plan
            .routes
            .iter()
            .map(|a| (a.line, (tid(a.teacher), a.weekday, a.seq)))
            .collect();
        check_sorted(ROUTES, "teacher id, weekday, seq", &keyed, sink);
    }
}

/// coverage.csv, its rows in (school, subject) order.
fn read_coverage(dir: &Path, ds: &Dataset, ids: &Ids, sink: &mut Sink, plan: &mut PlanFiles) {
    let sid = |s: SchoolIx| ds.school(s).id.clone();
    let kname = |k: SubjectIx| ds.subject_name(k).to_string();
    let h = [
        "school",
        "subject",
        "demand",
        "covered",
        "unmet",
        "unmet_before",
    ];
    if let Some(rows) = read_table(dir, COVERAGE, &h, sink) {
        for (line, fields) in &rows {
            let mut r = Row {
                file: COVERAGE,
                line: *line,
                header: &h,
                fields,
                ok: true,
            };
            let school = r.school(0, ids, sink);
            let subject = r.subject(1, ds, sink);
            let demand = r.int(2, sink);
            let covered = r.int(3, sink);
            let unmet = r.int(4, sink);
            let unmet_before = r.int(5, sink);
            if r.ok {
                plan.coverage.push(CoverRow {
                    line: *line,
                    school,
                    subject,
                    demand,
                    covered,
                    unmet,
                    unmet_before,
                });
            }
        }
        let keyed: Vec<_> = plan
            .coverage
            .iter()
            .map(|a| (a.line, (sid(a.school), kname(a.subject))))
            .collect();
        check_sorted(COVERAGE, "school id, subject", &keyed, sink);
    }
}

/// ledger.csv as written (its rows are checked against the derived ledger).
fn read_ledger(dir: &Path, sink: &mut Sink, plan: &mut PlanFiles) {
    let h = ["teacher", "from", "to", "start_year", "end_year", "extend"];
    if let Some(rows) = read_table(dir, LEDGER, &h, sink) {
        plan.ledger_read = true;
        for (line, fields) in &rows {
            let f = |i: usize| fields[i].trim().to_string();
            plan.ledger.push(LedgerRow {
                line: *line,
                fields: [f(0), f(1), f(2), f(3), f(4), f(5)],
            });
        }
    }
}

/// Reads summary.json; every key it lacks is a violation.
pub(crate) fn read_summary(dir: &Path, sink: &mut Sink) -> Summary {
    let mut s = Summary::default();
    let Some(obj) = read_object(dir, sink) else {
        return s;
    };
    s.read = true;
    let (bound, gap) = read_scalars(&obj, &mut s, sink);
    for (key, into) in [("terms", &mut s.terms), ("counts", &mut s.counts)] {
        read_numbers(&obj, key, into, sink);
    }
    s.changes = obj.get("changes").map(|v| read_changes(v, sink));
    match obj.get("rules").and_then(Value::as_array) {
        Some(list) => s.rules = list.iter().enumerate().map(rule_entry).collect(),
        None => sink.push(
            codes::SUMMARY,
            format!("{SUMMARY}: `rules` is missing or not an array"),
        ),
    }
    check_status(s.status.as_deref(), sink);
    if let (Some(obj), Some(bound), Some(gap)) = (s.objective, bound, gap) {
        check_gap(obj, bound, gap, sink);
    }
    s
}

/// summary.json as a JSON object; a file that is not one is a violation.
fn read_object(dir: &Path, sink: &mut Sink) -> Option<serde_json::Map<String, Value>> {
    let text = read_text(dir, SUMMARY, sink)?;
    match serde_json::from_str(&text) {
        Ok(Value::Object(obj)) => Some(obj),
        Ok(_) => {
            sink.push(codes::FILE, format!("{SUMMARY}:1: is not a JSON object"));
            None
        }
        Err(e) => {
            sink.push(
                codes::FILE,
                format!("{SUMMARY}:{}: not valid JSON ({e})", e.line()),
            );
            None
        }
    }
}

/// status and objective into `s`; bound and gap returned; seconds only checked.
fn read_scalars(
    obj: &serde_json::Map<String, Value>,
    s: &mut Summary,
    sink: &mut Sink,
) -> (Option<f64>, Option<f64>) {
    let mut missing = |key: &str, what: &str| {
        sink.push(
            codes::SUMMARY,
            format!("{SUMMARY}: `{key}` is missing or not {what}"),
        );
    };
    match obj.get("status").and_then(Value::as_str) {
        Some(st) => s.status = Some(st.to_string()),
        None => missing("status", "a string"),
    }
    let number = |key: &str| obj.get(key).and_then(Value::as_f64);
    s.objective = number("objective");
    let (bound, gap) = (number("bound"), number("gap"));
    for (key, v) in [
        ("objective", s.objective),
        ("bound", bound),
        ("gap", gap),
        ("seconds", number("seconds")),
    ] {
        if v.is_none() {
            missing(key, "a number");
        }
    }
    (bound, gap)
}

/// An object of numbers (`terms`, `counts`) into `into`.
fn read_numbers(
    obj: &serde_json::Map<String, Value>,
    key: &str,
    into: &mut BTreeMap<String, f64>,
    sink: &mut Sink,
) {
    let Some(m) = obj.get(key).and_then(Value::as_object) else {
        sink.push(
            codes::SUMMARY,
            format!("{SUMMARY}: `{key}` is missing or not an object"),
        );
        return;
    };
    for (k, v) in m {
        match v.as_f64() {
            Some(x) => {
                into.insert(k.clone(), x);
            }
            None => sink.push(
                codes::SUMMARY,
                format!("{SUMMARY}: `{key}.{k}` is not a number"),
            ),
        }
    }
}

/// `changes` as (teacher, before, after) ids.
fn read_changes(v: &Value, sink: &mut Sink) -> Vec<[String; 3]> {
    let list = v.as_array().map_or(&[][..], Vec::as_slice);
    if !v.is_array() {
        sink.push(
            codes::SUMMARY,
            format!("{SUMMARY}: `changes` is not a list"),
        );
    }
    let text = |e: &Value, k: &str| e.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    (list.iter())
        .map(|e| [text(e, "teacher"), text(e, "before"), text(e, "after")])
        .collect()
}

/// Entry `index` of `rules`, its fields as written (`None`/empty where not).
fn rule_entry((index, e): (usize, &Value)) -> RuleEntry {
    let text = |k: &str| e.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    RuleEntry {
        index,
        rule: text("rule"),
        scope: text("scope"),
        required: e.get("required").and_then(Value::as_f64),
        reached: e.get("reached").and_then(Value::as_f64),
        shortfall: e.get("shortfall").and_then(Value::as_f64),
        ok: e.get("ok").and_then(Value::as_bool),
        why: text("why"),
    }
}

fn check_status(status: Option<&str>, sink: &mut Sink) {
    match status {
        None | Some("optimal") | Some("feasible") | Some("none") => {}
        Some(other) => sink.push(
            codes::SUMMARY,
            format!(
                "{SUMMARY}: status is \"{other}\", expected \"optimal\", \"feasible\" or \"none\""
            ),
        ),
    }
}

/// The bound is at most the objective, and the gap is (objective − bound) / |objective|.
fn check_gap(obj: f64, bound: f64, gap: f64, sink: &mut Sink) {
    let tol = 1e-6 * obj.abs().max(1.0);
    if bound > obj + tol {
        sink.push(
            codes::SUMMARY,
            format!("{SUMMARY}: the bound {bound} is above the objective {obj} of a minimisation"),
        );
    }
    let want = if obj == bound {
        0.0
    } else {
        (obj - bound) / obj.abs().max(1e-9)
    };
    if (gap - want).abs() > 1e-6 * want.abs().max(1.0) {
        sink.push(
            codes::SUMMARY,
            format!(
                "{SUMMARY}: gap is {gap} but (objective − bound) / max(|objective|, 1e-9) is {want}"
            ),
        );
    }
}
