//! Reading the scenarios file with the place of everything in it: every problem is a
//! diagnostic `FILE:LINE:COLUMN: CODE message (expected …)` like the dataset's (E06xx,
//! docs/errors.md), all of them at once.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use super::{Change, Scenario, ScenarioFile};
use crate::input::{self, Diagnostic};
use crate::limits::{MAX_CHANGE_COUNT, MAX_PERIODS, MAX_SCENARIOS};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    scenario: Vec<Spanned<RawScenario>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScenario {
    name: Spanned<String>,
    #[serde(default)]
    change: Vec<Spanned<Change>>,
}

/// A line and a column, 1-based.
pub type Place = (usize, usize);

/// Where a scenario's parts stand in its file: the name, and per change its table and
/// each key's value.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct At {
    pub file: String,
    pub name: Place,
    pub changes: Vec<(usize, usize, BTreeMap<String, Place>)>,
}

impl At {
    /// A diagnostic at `field` of change `i` (at the change's table when the field is not
    /// written, at the name when `i` is none).
    pub fn diag(
        &self,
        i: Option<usize>,
        field: &str,
        code: &'static str,
        message: String,
        expected: impl Into<String>,
    ) -> Diagnostic {
        let (line, col) = match i.and_then(|i| self.changes.get(i)) {
            Some((line, col, keys)) => keys.get(field).copied().unwrap_or((*line, *col)),
            None => self.name,
        };
        input::table::diag(&self.file, line, col, code, message, expected)
    }
}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    (
        1 + before.matches('\n').count(),
        1 + before[start..].chars().count(),
    )
}

/// The value of each `key = value` line inside `span`, by key.
fn keys_in(text: &str, span: std::ops::Range<usize>) -> BTreeMap<String, Place> {
    let mut keys = BTreeMap::new();
    let mut at = span.start;
    for line in text[span.clone()].split_inclusive('\n') {
        if let Some((k, v)) = line.split_once('=') {
            let key = k.trim().trim_matches('"').to_string();
            let value_at = at + k.len() + 1 + (v.len() - v.trim_start().len());
            keys.entry(key).or_insert_with(|| line_col(text, value_at));
        }
        at += line.len();
    }
    keys
}

/// Parses the scenarios file `file` (its text): the scenarios with their places, or every
/// problem found.
pub fn parse(text: &str, file: &str) -> Result<ScenarioFile, Vec<Diagnostic>> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let raw: RawFile = toml::from_str(text).map_err(|e| vec![syntax(text, file, &e)])?;
    let mut d = Vec::new();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut scenario = Vec::new();
    for (n, s) in raw.scenario.into_iter().enumerate() {
        let name_at = line_col(text, s.get_ref().name.span().start);
        let raw = s.into_inner();
        let at = At {
            file: file.to_owned(),
            name: name_at,
            changes: raw
                .change
                .iter()
                .map(|c| {
                    let (line, col) = line_col(text, c.span().start);
                    (line, col, keys_in(text, c.span()))
                })
                .collect(),
        };
        let name = raw.name.into_inner();
        if n == MAX_SCENARIOS {
            let msg = format!("more than {MAX_SCENARIOS} scenarios");
            d.push(at.diag(None, "", "E0603", msg, format!("at most {MAX_SCENARIOS}")));
        }
        if let Some(first) = seen.insert(name.clone(), name_at.0) {
            let msg = format!("a second scenario named {name:?} (first on line {first})");
            d.push(at.diag(None, "", "E0604", msg, "a name of its own"));
        }
        if let Some(why) = bad_text(&name, 80) {
            let msg = format!("the name {name:?} {why}");
            d.push(at.diag(None, "", "E0603", msg, TEXT));
        }
        let change: Vec<Change> = raw.change.into_iter().map(Spanned::into_inner).collect();
        for (i, c) in change.iter().enumerate() {
            check_change(&at, i, c, &mut d);
        }
        scenario.push(Scenario { name, change, at });
    }
    if d.is_empty() {
        Ok(ScenarioFile { scenario })
    } else {
        d.sort();
        Err(d)
    }
}

const TEXT: &str = "text without control characters, not starting with = + - @";

/// Why a name or subject may not be used (it goes into file names and spreadsheets).
fn bad_text(s: &str, max_chars: usize) -> Option<&'static str> {
    if s.trim().is_empty() {
        Some("is empty")
    } else if s.chars().count() > max_chars {
        Some("is too long")
    } else if s.chars().any(char::is_control) {
        Some("holds a control character")
    } else if s.starts_with(['=', '+', '-', '@']) {
        Some("starts with a sign a spreadsheet takes for a formula")
    } else {
        None
    }
}

/// E0601 at the place toml gives, moved to the line of the key or value it quotes.
fn syntax(text: &str, file: &str, e: &toml::de::Error) -> Diagnostic {
    let span = e.span().unwrap_or(0..0);
    let msg = e.message().lines().next().unwrap_or("").trim().to_owned();
    let quoted = msg.split('`').nth(1).filter(|q| !q.is_empty());
    let start = quoted
        .and_then(|q| text.get(span.clone())?.find(q).map(|i| span.start + i))
        .unwrap_or(span.start);
    let (line, col) = line_col(text, start);
    input::table::diag(
        file,
        line,
        col,
        "E0601",
        format!("not a scenarios file: {msg}"),
        "[[scenario]] tables with a name and [[scenario.change]] tables (docs/whatif.md)",
    )
}

/// Ranges and names of one change (E0603); what names a school or teacher is checked
/// against the dataset when the change is applied.
fn check_change(at: &At, i: usize, c: &Change, d: &mut Vec<Diagnostic>) {
    let mut range = |field: &str, v: i64, lo: i64, hi: i64| {
        if !(lo..=hi).contains(&v) {
            let msg = format!("`{field}` = {v} is out of range");
            d.push(at.diag(
                Some(i),
                field,
                "E0603",
                msg,
                format!("an integer in [{lo}, {hi}]"),
            ));
        }
    };
    let subject = match c {
        Change::AddTeachers {
            subject,
            count,
            capacity,
            ..
        } => {
            range("count", (*count).into(), 1, MAX_CHANGE_COUNT);
            if let Some(cap) = capacity {
                range("capacity", (*cap).into(), 1, 100);
            }
            Some(subject)
        }
        Change::RemoveTeachers { count, .. } => {
            range("count", (*count).into(), 1, MAX_CHANGE_COUNT);
            None
        }
        Change::Demand {
            subject, periods, ..
        } => {
            range("periods", (*periods).into(), 0, MAX_PERIODS);
            Some(subject)
        }
        _ => None,
    };
    if let Some(why) = subject.and_then(|s| bad_text(s, 40)) {
        let msg = format!("the subject {:?} {why}", subject.map_or("", |s| s.as_str()));
        d.push(at.diag(Some(i), "subject", "E0603", msg, TEXT));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(text: &str) -> Vec<(usize, usize, &'static str)> {
        match parse(text, "s.toml") {
            Ok(_) => Vec::new(),
            Err(d) => d.iter().map(|d| (d.line, d.column, d.code)).collect(),
        }
    }

    #[test]
    fn every_problem_is_located_at_its_key() {
        let text = "[[scenario]]\nname = \"a\"\n[[scenario.change]]\nkind = \"add_teachers\"\nschool = \"S1\"\nsubject = \"=1+1\"\ncount = 100000000\n\n[[scenario]]\nname = \"a\"\n";
        assert_eq!(
            codes(text),
            [(6, 11, "E0603"), (7, 9, "E0603"), (10, 8, "E0604")]
        );
        let unknown = "[[scenario]]\nname = \"a\"\n[[scenario.change]]\nkind = \"demand\"\nschool = \"S1\"\nsubject = \"x\"\nperiods = 3\ncolour = 1\n";
        assert_eq!(codes(unknown), [(8, 1, "E0601")]);
        let big = "[[scenario]]\nname = \"a\"\n[[scenario.change]]\nkind = \"remove_teachers\"\nschool = \"S1\"\nsubject = \"x\"\ncount = 100000000000\n";
        assert_eq!(codes(big), [(7, 9, "E0601")]);
    }
}
