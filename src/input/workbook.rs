//! A dataset as one Excel workbook: sheets named like the CSV files (schools / 学校, …)
//! are turned into CSV text with their rows on the same line numbers, so that the one
//! CSV reader and every check apply unchanged, and diagnostics are renamed to the sheet.
//!
//! A workbook is a zip archive: its parts are counted and unpacked once, to the limit,
//! before calamine opens it, and sheets are read cell by cell (calamine's own ranges are
//! dense: one cell at XFD1048576 would ask for 17 billion), so that a small file cannot
//! take unbounded memory.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use calamine::{DataRef, Reader, Xlsx};

use super::table::diag;
use super::validate::{
    COMMUNITIES, DEMAND, DISTANCES, LEDGER, LIST, PINS, REQUESTS, SCHOOLS, TEACHERS,
};
use super::Diagnostic;
use crate::limits::{self, MAX_CELLS, MAX_FILE_BYTES, MAX_ROWS, MAX_UNPACKED_BYTES};

/// Sheet names (compared without case and surrounding spaces) for each dataset file.
const SHEETS: [(&str, [&str; 2]); 9] = [
    (SCHOOLS, ["schools", "学校"]),
    (COMMUNITIES, ["communities", "共同体"]),
    (TEACHERS, ["teachers", "教师"]),
    (DEMAND, ["demand", "课时需求"]),
    (DISTANCES, ["distances", "距离"]),
    (LEDGER, ["ledger", "台账"]),
    (REQUESTS, ["requests", "需求申请"]),
    (PINS, ["pins", "人工指定"]),
    (LIST, ["交流名单", "exchange list"]),
];

/// Parts of a workbook: an .xlsx has a dozen or two.
const MAX_PARTS: u64 = 1_000;

/// The workbook's sheets as CSV text, by the dataset file they stand for, with the
/// name each diagnostic should carry (`BOOK.xlsx[sheet]`).
pub struct Workbook {
    pub tables: BTreeMap<&'static str, (String, String)>,
    /// Cells formatted as dates, by dataset file: (line, column), 1-based.
    dates: BTreeMap<&'static str, BTreeSet<(usize, usize)>>,
}

/// A sheet's CSV text and its date cells.
struct Sheet {
    text: String,
    dates: BTreeSet<(usize, usize)>,
}

impl Workbook {
    pub fn read(path: &Path, d: &mut Vec<Diagnostic>) -> Option<Workbook> {
        let book_name = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        let fail = |d: &mut Vec<Diagnostic>, why: String| {
            d.push(diag(&book_name, 1, 1, "E0101", why, "an .xlsx workbook"));
            None
        };
        let mut book = match open(path) {
            Ok(b) => b,
            Err(why) => return fail(d, why),
        };
        let mut tables = BTreeMap::new();
        let mut dates = BTreeMap::new();
        let mut first_sheet: BTreeMap<&str, String> = BTreeMap::new();
        for sheet in book.sheet_names().to_vec() {
            let key = sheet.trim().to_lowercase();
            let Some((file, _)) = SHEETS
                .iter()
                .find(|(_, names)| names.contains(&key.as_str()))
            else {
                continue;
            };
            let name = format!("{book_name}[{sheet}]");
            if let Some(first) = first_sheet.get(file) {
                d.push(diag(
                    &name,
                    1,
                    1,
                    "E0109",
                    format!("a second sheet for {file}: `{sheet}`, after `{first}`"),
                    format!("one sheet for {file} (delete or rename one of them)"),
                ));
                continue;
            }
            first_sheet.insert(file, sheet.clone());
            match guarded_sheet(&mut book, &sheet) {
                Ok(s) => {
                    tables.insert(*file, (name, s.text));
                    dates.insert(*file, s.dates);
                }
                Err((line, col, code, why)) => {
                    let expected = format!(
                        "a sheet of at most {MAX_ROWS} rows and {MAX_CELLS} columns, as Excel writes it"
                    );
                    d.push(diag(&name, line, col, code, why, expected));
                }
            }
        }
        Some(Workbook { tables, dates })
    }

    /// Diagnostics name the sheet instead of the CSV file it stands for, and say when the
    /// cell they point at is formatted as a date (its serial number is what was read).
    pub fn rename(&self, d: &mut [Diagnostic]) {
        for x in d {
            let is_date = self
                .dates
                .get(x.file.as_str())
                .is_some_and(|s| s.contains(&(x.line, x.column)));
            if is_date && x.code.starts_with("E02") {
                x.message = format!("{}: the cell is formatted as a date", x.message);
                x.expected = format!("{}, in a cell formatted as a number or text", x.expected);
            }
            if let Some((name, _)) = self.tables.get(x.file.as_str()) {
                x.file = name.clone();
            }
        }
    }
}

/// Opens the workbook once its size, part count and unpacked size are within the limits.
pub(crate) fn open(path: &Path) -> Result<Xlsx<BufReader<File>>, String> {
    let size = match limits::file_size(path, MAX_FILE_BYTES) {
        Ok(n) => n,
        Err(e) => return Err(e.describe(MAX_FILE_BYTES)),
    };
    let mut file = File::open(path).map_err(|e| format!("cannot read the workbook: {e}"))?;
    let parts = zip_parts(&mut file, size).ok_or("not an .xlsx workbook (not a zip archive)")?;
    if parts == u64::MAX {
        return Err("a ZIP64 archive, which no county's workbook needs".into());
    }
    if parts > MAX_PARTS {
        return Err(format!(
            "the workbook has {parts} parts, where an .xlsx has a few dozen"
        ));
    }
    let unpacked = unpacked_size(path).map_err(|e| format!("cannot read the workbook: {e}"))?;
    if unpacked > MAX_UNPACKED_BYTES {
        return Err(format!(
            "the workbook unpacks to more than {} (lungang reads at most that much; save the sheets as CSV files)",
            limits::bytes(MAX_UNPACKED_BYTES)
        ));
    }
    file.seek(SeekFrom::Start(0))
        .map_err(|e| format!("cannot read the workbook: {e}"))?;
    guarded(|| {
        Xlsx::new(BufReader::new(file)).map_err(|e| format!("cannot read the workbook: {e}"))
    })
}

/// The number of parts the zip's end record announces (`u64::MAX` for a ZIP64 archive,
/// whose count the zip reader would trust and allocate for); `None` when there is none.
fn zip_parts(file: &mut File, size: u64) -> Option<u64> {
    const END: [u8; 4] = [0x50, 0x4b, 0x05, 0x06];
    const END64_LOCATOR: [u8; 4] = [0x50, 0x4b, 0x06, 0x07];
    // The end record (22 bytes) is followed by a comment of at most 65,535 bytes.
    let tail = size.min(22 + 65_535 + 20);
    file.seek(SeekFrom::Start(size - tail)).ok()?;
    let mut buf = Vec::with_capacity(tail as usize);
    file.take(tail).read_to_end(&mut buf).ok()?;
    let at = (0..buf.len().saturating_sub(21))
        .rev()
        .find(|&i| buf[i..i + 4] == END)?;
    if at >= 20 && buf[at - 20..at - 16] == END64_LOCATOR {
        return Some(u64::MAX);
    }
    Some(u16::from_le_bytes([buf[at + 10], buf[at + 11]]).into())
}

/// Bytes the archive's parts unpack to, counted by unpacking them (a part's stated size
/// may lie), stopping past the limit.
fn unpacked_size(path: &Path) -> Result<u64, String> {
    let file = File::open(path).map_err(|e| e.to_string())?;
    let mut zip = zip::ZipArchive::new(BufReader::new(file)).map_err(|e| e.to_string())?;
    let mut total = 0u64;
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).map_err(|e| e.to_string())?;
        let left = MAX_UNPACKED_BYTES + 1 - total;
        total += std::io::copy(&mut (&mut part).take(left), &mut std::io::sink())
            .map_err(|e| e.to_string())?;
        if total > MAX_UNPACKED_BYTES {
            break;
        }
    }
    Ok(total)
}

/// calamine indexes its shared strings unchecked (a cell naming string 2425 of 103
/// panics, found by tests/fuzz_loaders.rs): a damaged workbook is an error, not a crash.
const DAMAGED: &str = "the workbook is damaged: a cell refers to a part or string it does not have";

fn guarded<T>(f: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    quiet_calamine_panics();
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
        .unwrap_or_else(|_| Err(DAMAGED.into()))
}

fn guarded_sheet(book: &mut Xlsx<BufReader<File>>, sheet: &str) -> Result<Sheet, SheetError> {
    quiet_calamine_panics();
    let read = std::panic::AssertUnwindSafe(|| read_sheet(book, sheet));
    std::panic::catch_unwind(read).unwrap_or_else(|_| Err((1, 1, "E0101", DAMAGED.into())))
}

/// calamine's panics are caught (`guarded`): they are not printed either. Others are.
fn quiet_calamine_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !info
                .location()
                .is_some_and(|l| l.file().contains("calamine"))
            {
                previous(info)
            }
        }));
    });
}

/// Where a sheet cannot be read: (line, column, code, why).
pub(crate) type SheetError = (usize, usize, &'static str, String);

/// The rows of a sheet that hold something, the header included.
pub(crate) fn used_rows(
    book: &mut Xlsx<BufReader<File>>,
    sheet: &str,
) -> Result<usize, SheetError> {
    let s = guarded_sheet(book, sheet)?;
    Ok(s.text.lines().filter(|l| !l.is_empty()).count())
}

/// A sheet as CSV text, cell by cell: each row as wide as the widest, rows above the first
/// used one as blank lines, so that line numbers are sheet rows and columns sheet columns.
/// Rows are kept as CSV lines (not cells) so that memory stays that of the text.
fn read_sheet(book: &mut Xlsx<BufReader<File>>, sheet: &str) -> Result<Sheet, SheetError> {
    let unreadable =
        |e: calamine::XlsxError| (1, 1, "E0101", format!("cannot read the sheet: {e}"));
    let mut cells = book.worksheet_cells_reader(sheet).map_err(unreadable)?;
    // (sheet row, cells written, the row's CSV line so far)
    let mut rows: Vec<(usize, usize, String)> = Vec::new();
    let mut dates = BTreeSet::new();
    let mut width = 0usize;
    while let Some(cell) = cells.next_cell().map_err(unreadable)? {
        let (r, c) = cell.get_position();
        let (line, col) = (r as usize + 1, c as usize + 1);
        if line > MAX_ROWS + 1 || col > MAX_CELLS {
            let why = format!("a cell at row {line}, column {col}: beyond what lungang reads");
            return Err((line.min(MAX_ROWS + 2), col.min(MAX_CELLS + 1), "E0108", why));
        }
        let text = cell_text(cell.get_value());
        if text.is_empty() {
            continue;
        }
        if matches!(cell.get_value(), DataRef::DateTime(_)) {
            dates.insert((line, col));
        }
        match rows.last() {
            Some((last, ..)) if *last == line => {}
            Some((last, ..)) if *last > line => {
                let why = format!("row {line} comes after row {last} in the sheet");
                return Err((line, col, "E0103", why));
            }
            _ => rows.push((line, 0, String::new())),
        }
        let (_, n, csv) = rows.last_mut().expect("pushed above");
        if *n >= col {
            let why = format!("cell {col} of row {line} is given twice or out of order");
            return Err((line, col, "E0103", why));
        }
        for _ in *n..col - 1 {
            csv.push(',');
        }
        if *n > 0 {
            csv.push(',');
        }
        push_field(csv, &text);
        *n = col;
        width = width.max(col);
    }
    Ok(Sheet {
        text: join_rows(&rows, width),
        dates,
    })
}

/// A cell as CSV writes it: quoted when it holds a comma, quote or line break.
fn push_field(csv: &mut String, s: &str) {
    if s.contains([',', '"', '\n', '\r']) {
        csv.push('"');
        csv.push_str(&s.replace('"', "\"\""));
        csv.push('"');
    } else {
        csv.push_str(s);
    }
}

/// The rows on their sheet lines, each padded to `width` cells.
fn join_rows(rows: &[(usize, usize, String)], width: usize) -> String {
    let mut text = String::new();
    let mut next = 1;
    for (line, n, csv) in rows {
        for _ in next..*line {
            text.push('\n');
        }
        text.push_str(csv);
        for _ in *n..width {
            text.push(',');
        }
        text.push('\n');
        next = line + 1;
    }
    text
}

/// A cell as the text a CSV file would hold: whole numbers without ".0", dates as
/// YYYY-MM-DD (what the sheet shows; a year needs a number cell).
fn cell_text(c: &DataRef<'_>) -> String {
    match c {
        DataRef::Empty => String::new(),
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_owned(),
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        DataRef::Float(f) => f.to_string(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Bool(b) => b.to_string(),
        // Serial days up to 9999-12-31.
        DataRef::DateTime(t) if (0.0..2_958_466.0).contains(&t.as_f64()) => {
            let (y, m, d, ..) = t.to_ymd_hms_milli();
            format!("{y:04}-{m:02}-{d:02}")
        }
        DataRef::DateTime(t) => t.as_f64().to_string(),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(e) => e.to_string(),
    }
}
