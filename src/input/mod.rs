//! Reading a dataset folder (FORMAT.md): encodings, header aliases, records, validation
//! with stable error codes, and `policy.toml`. Knows nothing of the solver.
//!
//! Files are read into record types (`records`), checked as a whole (`validate`), and only
//! a dataset with no error is mapped to `domain::Dataset` (`assemble`). Codes are listed
//! in docs/errors.md.

mod assemble;
pub mod encoding;
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
            self.file, self.line, self.column, self.code, self.message
        )?;
        if !self.expected.is_empty() {
            write!(f, " (expected {})", self.expected)?;
        }
        Ok(())
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

    validate::check_all(&r, &mut d);
    if let Source::Workbook(book) = &src {
        book.rename(&mut d);
    }
    d.sort();
    d.dedup();
    if d.iter().any(Diagnostic::is_error) {
        return Err(LoadError { diagnostics: d });
    }
    Ok(Loaded {
        dataset: assemble::dataset(r),
        warnings: d,
    })
}

/// Parses policy text; `file` names it in diagnostics.
pub fn parse_policy(text: &str, file: &str) -> Result<Policy, Vec<Diagnostic>> {
    policy::parse(text, file)
}
