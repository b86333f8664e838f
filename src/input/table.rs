//! CSV tables: header aliases (English or Chinese, case-insensitive, trimmed), trimmed
//! cells, and the cell parsers every file shares. Problems become `Diagnostic`s.

use std::cell::Cell;
use std::collections::BTreeSet;

use super::Diagnostic;
use crate::limits::{MAX_CELLS, MAX_ROWS, MAX_TABLE_CELLS, PROBLEMS_SHOWN};

/// One column a file may have: the field name used in code (= the English header) and
/// its Chinese alias from FORMAT.md.
#[derive(Clone, Copy, Debug)]
pub struct Column {
    pub name: &'static str,
    pub alias: &'static str,
    pub required: bool,
}

pub const fn req(name: &'static str, alias: &'static str) -> Column {
    Column {
        name,
        alias,
        required: true,
    }
}

pub const fn opt(name: &'static str, alias: &'static str) -> Column {
    Column {
        name,
        alias,
        required: false,
    }
}

/// A data row: its 1-based file line and trimmed cells.
#[derive(Clone, Debug)]
pub struct Row {
    pub line: usize,
    /// The cells under the header (those beyond it are only counted in `width`).
    pub cells: Vec<String>,
    /// The cells the row has in the file.
    pub width: usize,
}

/// A decoded CSV file with its header matched against the file's columns.
#[derive(Debug)]
pub struct Table {
    pub file: String,
    pub columns: &'static [Column],
    /// For each of `columns`, its 0-based index in the file, if present.
    pub index: Vec<Option<usize>>,
    pub rows: Vec<Row>,
    /// The file's problems kept so far and those dropped past the limit.
    pub budget: Budget,
}

/// Keeps memory bounded on a file of junk: the first `PROBLEMS_SHOWN` errors and as many
/// warnings are kept (they come in line order), the rest only counted.
#[derive(Debug, Default)]
pub struct Budget {
    kept: [Cell<usize>; 2],
    /// Errors and warnings dropped.
    pub dropped: [Cell<usize>; 2],
}

impl Budget {
    /// Pushes `d` or counts it.
    pub fn push(&self, diags: &mut Vec<Diagnostic>, d: Diagnostic) {
        let i = usize::from(!d.is_error());
        if self.kept[i].get() < PROBLEMS_SHOWN {
            self.kept[i].set(self.kept[i].get() + 1);
            diags.push(d);
        } else {
            self.dropped[i].set(self.dropped[i].get() + 1);
        }
    }
}

/// A located value: where a cell stood.
#[derive(Clone, Debug, PartialEq)]
pub struct At<T> {
    pub v: T,
    pub line: usize,
    pub col: usize,
}

fn norm(s: &str) -> String {
    s.trim().to_lowercase()
}

pub fn diag(
    file: &str,
    line: usize,
    column: usize,
    code: &'static str,
    message: impl Into<String>,
    expected: impl Into<String>,
) -> Diagnostic {
    Diagnostic {
        file: file.to_owned(),
        line,
        column,
        code,
        message: message.into(),
        expected: expected.into(),
    }
}

impl Table {
    /// Parses decoded text. Reports E0103-E0106 and W0101; never fails, so that every
    /// problem of every file is found in one pass. `None` only for a file with no header.
    pub fn parse(
        file: &str,
        text: &str,
        columns: &'static [Column],
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Table> {
        let budget = Budget::default();
        let text = match scan(text) {
            Ok(()) => text,
            Err(Scan::Unclosed { line, col, at }) => {
                let msg = format!(
                    "a quote opened in cell {col} never closes: the rest of the file would be one cell"
                );
                budget.push(
                    diags,
                    diag(
                        file,
                        line,
                        col,
                        "E0103",
                        msg,
                        "a closing `\"` (a `\"` inside a quoted cell is written `\"\"`)",
                    ),
                );
                // The rows before its line are still read and checked.
                let before = &text[..text[..at].rfind('\n').map_or(0, |n| n + 1)];
                if before.is_empty() {
                    return None;
                }
                before
            }
            Err(Scan::Wide { line, cells }) => {
                let msg = format!(
                    "row has {cells} cells or more, more than the {MAX_CELLS} lungang reads"
                );
                diags.push(diag(
                    file,
                    line,
                    MAX_CELLS + 1,
                    "E0108",
                    msg,
                    format!("at most {MAX_CELLS} cells a row"),
                ));
                return None;
            }
        };
        let (header, rows) = records(file, text, &budget, diags)?;
        Some(Table::match_header(
            file, header, rows, columns, budget, diags,
        ))
    }

    /// The header matched against `columns` (E0104, E0105, W0101), rows checked for length
    /// (E0103).
    fn match_header(
        file: &str,
        (header_line, head): (usize, Vec<String>),
        rows: Vec<Row>,
        columns: &'static [Column],
        budget: Budget,
        diags: &mut Vec<Diagnostic>,
    ) -> Table {
        let at = (file, header_line);
        let index = index_columns(at, &head, &rows, columns, &budget, diags);
        for (c, ix) in columns.iter().zip(&index) {
            if c.required && ix.is_none() {
                budget.push(
                    diags,
                    diag(
                        file,
                        header_line,
                        1,
                        "E0104",
                        format!("missing column `{}` ({})", c.name, c.alias),
                        expected_columns(columns),
                    ),
                );
            }
        }
        for r in &rows {
            if r.width != head.len() {
                budget.push(
                    diags,
                    diag(
                        file,
                        r.line,
                        r.width.min(head.len()) + 1,
                        "E0103",
                        format!("row has {} cells, the header {}", r.width, head.len()),
                        format!("{} cells", head.len()),
                    ),
                );
            }
        }
        Table {
            file: file.to_owned(),
            columns,
            index,
            rows,
            budget,
        }
    }

    fn col_ix(&self, name: &str) -> Option<usize> {
        let c = self.columns.iter().position(|c| c.name == name)?;
        self.index[c]
    }

    /// 1-based column of a field, if the file has it.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.col_ix(name).map(|i| i + 1)
    }

    /// The non-empty cell of `name` in `row`, located.
    pub fn cell<'r>(&self, row: &'r Row, name: &str) -> Option<At<&'r str>> {
        let i = self.col_ix(name)?;
        let v = row.cells.get(i).map(String::as_str).unwrap_or("");
        (!v.is_empty()).then_some(At {
            v,
            line: row.line,
            col: i + 1,
        })
    }
}

type Header = (usize, Vec<String>);

/// The header and the data rows of CSV text (E0103 for what csv cannot read, E0108 past
/// `MAX_ROWS`), each with its 1-based line; `None` with E0106 when there is no header.
fn records(
    file: &str,
    text: &str,
    budget: &Budget,
    diags: &mut Vec<Diagnostic>,
) -> Option<(Header, Vec<Row>)> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let lines = Lines::of(text);
    let mut header: Option<Header> = None;
    let mut rows = Vec::new();
    let mut kept = 0;
    for rec in reader.records() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(1, |p| lines.at(p.byte()));
                let msg = format!("unreadable CSV: {e}");
                budget.push(diags, diag(file, line, 1, "E0103", msg, "well-formed CSV"));
                continue;
            }
        };
        let line = rec.position().map_or(1, |p| lines.at(p.byte()));
        let Some((_, head)) = &header else {
            header = Some((line, rec.iter().map(|c| c.trim().to_owned()).collect()));
            continue;
        };
        // Rows of empty cells are what spreadsheets leave below the data: nothing.
        if rec.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        // Cells beyond the header are an error (E0103), not data: they are not kept, so
        // that rows of empty cells cost no memory.
        let cells: Vec<String> = rec
            .iter()
            .take(head.len())
            .map(|c| c.trim().to_owned())
            .collect();
        kept += cells.len();
        if rows.len() == MAX_ROWS || kept > MAX_TABLE_CELLS {
            let msg = format!("more than {MAX_ROWS} rows or {MAX_TABLE_CELLS} cells: the rest of the file is not read");
            let expected = format!("at most {MAX_ROWS} rows of at most {MAX_CELLS} cells, {MAX_TABLE_CELLS} cells in all");
            diags.push(diag(file, line, 1, "E0108", msg, expected));
            break;
        }
        rows.push(Row {
            line,
            cells,
            width: rec.len(),
        });
    }
    let Some(header) = header else {
        diags.push(diag(
            file,
            1,
            1,
            "E0106",
            "the file is empty",
            "a header row",
        ));
        return None;
    };
    Some((header, rows))
}

/// Line numbers from byte offsets: csv's own line counter misses blank lines.
struct Lines<'t> {
    bytes: &'t [u8],
    starts: Vec<usize>,
}

impl<'t> Lines<'t> {
    fn of(text: &'t str) -> Lines<'t> {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Lines {
            bytes: text.as_bytes(),
            starts,
        }
    }

    /// The 1-based line of a record read from `byte`: a record's position is where
    /// reading began, before the blank lines csv skips.
    fn at(&self, byte: u64) -> usize {
        let mut b = byte as usize;
        while b < self.bytes.len() && matches!(self.bytes[b], b'\n' | b'\r') {
            b += 1;
        }
        self.starts.partition_point(|&s| s <= b).max(1)
    }
}

/// What a first pass over CSV text finds before the csv reader runs.
#[derive(Debug, PartialEq)]
enum Scan {
    /// A quoted cell open at the end of the text: where it opened (line, cell, byte).
    Unclosed { line: usize, col: usize, at: usize },
    /// A record with more than `MAX_CELLS` cells, on this line (csv would hold them all).
    Wide { line: usize, cells: usize },
}

/// Walks the text as csv reads it (a quote opens a cell only at its start; `""` inside is
/// one quote) to find an unclosed quote or a record too wide to hold.
fn scan(text: &str) -> Result<(), Scan> {
    let (mut line, mut col, mut start) = (1, 1, true);
    let mut open: Option<(usize, usize, usize)> = None;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if open.is_some() {
            match b {
                b'"' if bytes.get(i + 1) == Some(&b'"') => i += 1,
                b'"' => open = None,
                b'\n' => line += 1,
                _ => {}
            }
        } else {
            match b {
                b'"' if start => open = Some((line, col, i)),
                b',' => {
                    col += 1;
                    if col > MAX_CELLS {
                        return Err(Scan::Wide { line, cells: col });
                    }
                }
                b'\n' => {
                    line += 1;
                    col = 1;
                }
                _ => {}
            }
            start = matches!(b, b',' | b'\n' | b'\r');
        }
        i += 1;
    }
    match open {
        Some((line, col, at)) => Err(Scan::Unclosed { line, col, at }),
        None => Ok(()),
    }
}

/// Each of `columns`' position in the header `head` (line `at.1` of file `at.0`), by name
/// or alias: a column named twice is E0105, a header cell naming none W0101 (once per
/// name; an empty cell over an empty column is no column).
fn index_columns(
    (file, header_line): (&str, usize),
    head: &[String],
    rows: &[Row],
    columns: &'static [Column],
    budget: &Budget,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Option<usize>> {
    let mut index = vec![None; columns.len()];
    let mut unknown = BTreeSet::new();
    for (i, h) in head.iter().enumerate() {
        let key = norm(h);
        match columns
            .iter()
            .position(|c| norm(c.name) == key || norm(c.alias) == key)
        {
            Some(c) if index[c].is_some() => budget.push(
                diags,
                diag(
                    file,
                    header_line,
                    i + 1,
                    "E0105",
                    format!("column `{}` appears twice (as `{h}`)", columns[c].name),
                    "each column once",
                ),
            ),
            Some(c) => index[c] = Some(i),
            None if key.is_empty() && all_empty(rows, i) => {}
            None => {
                if unknown.insert(key) {
                    budget.push(
                        diags,
                        diag(
                            file,
                            header_line,
                            i + 1,
                            "W0101",
                            format!("unknown column `{h}` is ignored"),
                            expected_columns(columns),
                        ),
                    );
                }
            }
        }
    }
    index
}

fn all_empty(rows: &[Row], i: usize) -> bool {
    rows.iter()
        .all(|r| r.cells.get(i).is_none_or(|c| c.is_empty()))
}

fn expected_columns(columns: &[Column]) -> String {
    let names: Vec<String> = columns
        .iter()
        .map(|c| format!("{} ({})", c.name, c.alias))
        .collect();
    format!("columns {}", names.join(", "))
}

/// Reads the cells of one row, reporting E02xx problems.
pub struct Cells<'a> {
    pub table: &'a Table,
    pub row: &'a Row,
    pub diags: &'a mut Vec<Diagnostic>,
}

impl Cells<'_> {
    pub fn line(&self) -> usize {
        self.row.line
    }

    fn err(&mut self, col: usize, code: &'static str, msg: String, expected: impl Into<String>) {
        let d = diag(&self.table.file, self.row.line, col, code, msg, expected);
        self.table.budget.push(self.diags, d);
    }

    /// A cell that must not be empty (E0201). Silent when the column itself is missing:
    /// E0104 already said so.
    pub fn required(&mut self, name: &str) -> Option<At<String>> {
        match self.table.cell(self.row, name) {
            Some(a) => Some(At {
                v: a.v.to_owned(),
                line: a.line,
                col: a.col,
            }),
            None => {
                if let Some(col) = self.table.column(name) {
                    self.err(col, "E0201", format!("`{name}` is empty"), "a value");
                }
                None
            }
        }
    }

    pub fn optional(&mut self, name: &str) -> Option<At<String>> {
        self.table.cell(self.row, name).map(|a| At {
            v: a.v.to_owned(),
            line: a.line,
            col: a.col,
        })
    }

    fn get(&mut self, name: &str, required: bool) -> Option<At<String>> {
        if required {
            self.required(name)
        } else {
            self.optional(name)
        }
    }

    /// An integer in [lo, hi] (E0202 not an integer, E0206 out of range).
    pub fn int(
        &mut self,
        name: &str,
        required: bool,
        lo: i64,
        hi: i64,
        expected: &str,
    ) -> Option<At<i64>> {
        let bad = ("E0202", "an integer");
        self.number(name, required, (lo, hi), expected, parse_int, bad)
    }

    /// A decimal in [lo, hi] (E0203 not a number, E0206 out of range).
    pub fn decimal(
        &mut self,
        name: &str,
        required: bool,
        lo: f64,
        hi: f64,
        expected: &str,
    ) -> Option<At<f64>> {
        let bad = ("E0203", "a number");
        self.number(name, required, (lo, hi), expected, parse_decimal, bad)
    }

    /// A number in `range`: `bad` is the code and noun for a cell that does not parse,
    /// E0206 the one for a value outside the range.
    fn number<T: PartialOrd + std::fmt::Display>(
        &mut self,
        name: &str,
        required: bool,
        (lo, hi): (T, T),
        expected: &str,
        parse: fn(&str) -> Option<T>,
        (code, noun): (&'static str, &str),
    ) -> Option<At<T>> {
        let a = self.get(name, required)?;
        match parse(&a.v) {
            None => {
                let msg = format!("`{name}` is not {noun}: `{}`", a.v);
                self.err(a.col, code, msg, expected);
                None
            }
            Some(v) if v < lo || v > hi => {
                // The range in the message too, whatever the expected text says.
                let msg = format!("`{name}` = {} is outside [{lo}, {hi}]", a.v);
                self.err(a.col, "E0206", msg, expected);
                None
            }
            Some(v) => Some(At {
                v,
                line: a.line,
                col: a.col,
            }),
        }
    }

    /// A boolean; empty = `default` (E0204 otherwise unreadable).
    pub fn boolean(&mut self, name: &str, default: bool) -> bool {
        let Some(a) = self.optional(name) else {
            return default;
        };
        parse_bool(&a.v).unwrap_or_else(|| {
            self.err(
                a.col,
                "E0204",
                format!("`{name}` is not a yes/no value: `{}`", a.v),
                BOOL_WORDS,
            );
            default
        })
    }

    /// One of `words` (English or Chinese, case-insensitive) (E0205).
    pub fn word<T: Copy>(
        &mut self,
        name: &str,
        required: bool,
        words: &[(&str, T)],
    ) -> Option<At<T>> {
        let a = self.get(name, required)?;
        let key = norm(&a.v);
        match words.iter().find(|(w, _)| norm(w) == key) {
            Some(&(_, v)) => Some(At {
                v,
                line: a.line,
                col: a.col,
            }),
            None => {
                let list: Vec<&str> = words.iter().map(|(w, _)| *w).collect();
                self.err(
                    a.col,
                    "E0205",
                    format!("unknown `{name}`: `{}`", a.v),
                    format!("one of {}", list.join(", ")),
                );
                None
            }
        }
    }

    /// A list cell split on `;` `；` `、`, items trimmed, empty items dropped.
    pub fn list(&mut self, name: &str, required: bool) -> Option<At<Vec<String>>> {
        let a = self.get(name, required)?;
        Some(At {
            v: split_list(&a.v),
            line: a.line,
            col: a.col,
        })
    }
}

pub const BOOL_WORDS: &str = "1/0, true/false, yes/no, y/n, 是/否";

pub fn parse_bool(s: &str) -> Option<bool> {
    match norm(s).as_str() {
        "1" | "true" | "yes" | "y" | "是" => Some(true),
        "0" | "false" | "no" | "n" | "否" => Some(false),
        _ => None,
    }
}

/// Integers as spreadsheets write them: `12`, `+12`, and `12.0` (Excel's number cells).
pub fn parse_int(s: &str) -> Option<i64> {
    if let Ok(v) = s.parse::<i64>() {
        return Some(v);
    }
    let f = parse_decimal(s)?;
    (f.fract() == 0.0 && f.abs() < 1e15).then_some(f as i64)
}

/// A finite decimal (no `inf`/`NaN`, which Rust would otherwise accept).
pub fn parse_decimal(s: &str) -> Option<f64> {
    let ok = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E'));
    let v = if ok {
        s.parse::<f64>().ok()?
    } else {
        return None;
    };
    v.is_finite().then_some(v)
}

pub fn split_list(s: &str) -> Vec<String> {
    s.split([';', '；', '、'])
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn booleans() {
        for t in ["1", "true", "TRUE", "yes", "Y", "y", "是", " yes "] {
            assert_eq!(parse_bool(t), Some(true), "{t}");
        }
        for f in ["0", "false", "No", "n", "否"] {
            assert_eq!(parse_bool(f), Some(false), "{f}");
        }
        for bad in ["", "2", "maybe", "对"] {
            assert_eq!(parse_bool(bad), None, "{bad}");
        }
    }

    #[test]
    fn lists() {
        assert_eq!(split_list("音乐;美术"), ["音乐", "美术"]);
        assert_eq!(split_list("音乐；美术、 体育 "), ["音乐", "美术", "体育"]);
        assert_eq!(split_list(" ; 、"), Vec::<String>::new());
        assert_eq!(split_list("S1"), ["S1"]);
    }

    #[test]
    fn numbers() {
        assert_eq!(parse_int("12"), Some(12));
        assert_eq!(parse_int("12.0"), Some(12));
        assert_eq!(parse_int("12.5"), None);
        assert_eq!(parse_int("x"), None);
        assert_eq!(parse_decimal("1.5"), Some(1.5));
        assert_eq!(parse_decimal("inf"), None);
        assert_eq!(parse_decimal("NaN"), None);
        assert_eq!(parse_decimal("-3"), Some(-3.0));
    }

    const COLS: &[Column] = &[req("id", "学校编号"), opt("name", "学校名称")];
    const ID_ONLY: &[Column] = &[req("id", "学校编号")];

    #[test]
    fn headers_by_alias_and_case() {
        let mut d = Vec::new();
        let t = Table::parse("s.csv", " ID ,学校名称,extra\nS1, A ,x\n", COLS, &mut d).unwrap();
        assert_eq!(t.column("id"), Some(1));
        assert_eq!(t.column("name"), Some(2));
        assert_eq!(t.rows[0].cells, ["S1", "A", "x"]);
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].code, d[0].line, d[0].column), ("W0101", 1, 3));
    }

    #[test]
    fn missing_and_duplicate_columns() {
        let mut d = Vec::new();
        Table::parse("s.csv", "name,学校名称\nA,B\n", COLS, &mut d).unwrap();
        let codes: Vec<_> = d.iter().map(|d| (d.code, d.column)).collect();
        assert_eq!(codes, [("E0105", 2), ("E0104", 1)]);
    }

    #[test]
    fn blank_rows_are_skipped_and_lines_counted() {
        let mut d = Vec::new();
        let t = Table::parse("s.csv", "id\n\nS1\n,\n\"S\n2\"\nS3\n", ID_ONLY, &mut d).unwrap();
        let lines: Vec<_> = t.rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, [3, 5, 7]);
    }
}
