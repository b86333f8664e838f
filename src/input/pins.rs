//! The planner's pins (FORMAT.md pins.csv, MODEL.md "Pins"): read from a CSV file, or from
//! a plan.xlsx a planner edited (its sheet 人工指定 and the column 指定 of 交流名单), and
//! checked against the loaded dataset: a pin the community and stage structure forbids, or
//! two pins of one teacher that contradict each other, is an error (E07xx, docs/errors.md).

use std::collections::BTreeMap;
use std::path::Path;

use super::table::{diag, opt, req, At, Cells, Column, Table};
use super::{count_dropped, finish, read_text, workbook, Diagnostic, Dropped, LoadError};
use crate::domain::{Dataset, LedgerState, Pin, PinAction, SchoolIx, Status, TeacherIx};
use crate::limits::MAX_FILE_BYTES;

pub use super::validate::{LIST, PINS};

pub const PIN_COLUMNS: &[Column] = &[
    req("teacher", "教师编号"),
    req("action", "操作"),
    opt("school", "学校编号"),
    opt("note", "备注"),
];

/// The columns of 交流名单 that matter here; the others are the plan's and are ignored.
const LIST_COLUMNS: &[Column] = &[
    req("teacher", "教师编号"),
    opt("host", "接收学校"),
    opt("pin", "指定"),
];

const ACTIONS: &[(&str, PinAction)] = &[
    ("stay", PinAction::Stay),
    ("move", PinAction::Move),
    ("forbid", PinAction::Forbid),
    ("extend", PinAction::Extend),
    ("no_trips", PinAction::NoTrips),
    ("留任", PinAction::Stay),
    ("交流", PinAction::Move),
    ("禁止", PinAction::Forbid),
    ("延期", PinAction::Extend),
    ("不走教", PinAction::NoTrips),
];

/// A pin as read, with where its cells stood.
struct PinRec {
    file: String,
    line: usize,
    teacher: At<String>,
    action: At<PinAction>,
    school: Option<At<String>>,
    note: String,
}

/// Reads the pins of `path` (a CSV file, or an .xlsx plan workbook) for `ds`: per teacher,
/// in file order. Every problem at once, with file `name` (or the sheet), line, column.
pub fn load_pins(
    ds: &Dataset,
    path: &Path,
    name: &str,
) -> Result<(PinMap, Vec<Diagnostic>), LoadError> {
    let mut d = Vec::new();
    let mut dropped = Dropped::new();
    let is_book = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    let recs = if is_book {
        book_pins(path, &mut d, &mut dropped)
    } else {
        read_text(path, name, true, MAX_FILE_BYTES, &mut d)
            .and_then(|text| Table::parse(name, &text, PIN_COLUMNS, &mut d))
            .map(|t| {
                count_dropped(&mut dropped, &t);
                csv_pins(&t, &mut d)
            })
            .unwrap_or_default()
    };
    let pins = resolve(ds, &recs, &mut d);
    finish(pins, d, &dropped)
}

/// Each pinned teacher's pins, in file order.
pub type PinMap = BTreeMap<TeacherIx, Vec<Pin>>;

/// Sets each teacher's pins (replacing any it had).
pub fn apply(ds: &mut Dataset, pins: PinMap) {
    for te in &mut ds.teachers {
        te.pins.clear();
    }
    for (t, p) in pins {
        ds.teachers[t.ix()].pins = p;
    }
}

fn csv_pins(t: &Table, d: &mut Vec<Diagnostic>) -> Vec<PinRec> {
    let mut out = Vec::new();
    for row in &t.rows {
        let mut c = Cells {
            table: t,
            row,
            diags: &mut *d,
        };
        let (teacher, action) = (c.required("teacher"), c.word("action", true, ACTIONS));
        let school = c.optional("school");
        let note = c.optional("note").map(|a| a.v).unwrap_or_default();
        if let (Some(teacher), Some(action)) = (teacher, action) {
            out.push(PinRec {
                file: t.file.clone(),
                line: row.line,
                teacher,
                action,
                school,
                note,
            });
        }
    }
    out
}

/// The pins of a plan workbook: the sheet 人工指定 as pins.csv, and each row of 交流名单
/// whose 指定 is filled, about its teacher and its 接收学校 (`ID name`, the id read).
fn book_pins(path: &Path, d: &mut Vec<Diagnostic>, dropped: &mut Dropped) -> Vec<PinRec> {
    let Some(book) = workbook::Workbook::read(path, d) else {
        return Vec::new();
    };
    let mut local = Vec::new();
    let mut recs = Vec::new();
    if let Some((_, text)) = book.tables.get(PINS) {
        if let Some(t) = Table::parse(PINS, text, PIN_COLUMNS, &mut local) {
            recs.extend(csv_pins(&t, &mut local));
            count_dropped(dropped, &t);
        }
    }
    if let Some((_, text)) = book.tables.get(LIST) {
        let mut list_diags = Vec::new();
        if let Some(t) = Table::parse(LIST, text, LIST_COLUMNS, &mut list_diags) {
            recs.extend(list_pins(&t, &mut list_diags));
            count_dropped(dropped, &t);
        }
        // The plan's own columns are not unknown: they are not pins.
        local.extend(list_diags.into_iter().filter(|x| x.code != "W0101"));
    }
    if !book.tables.contains_key(PINS) && !book.tables.contains_key(LIST) {
        local.push(diag(
            PINS,
            1,
            1,
            "E0101",
            "the workbook has neither a sheet 人工指定 nor 交流名单",
            "a plan.xlsx written by `lungang plan`",
        ));
    }
    book.rename(&mut local);
    for r in &mut recs {
        if let Some((name, _)) = book.tables.get(r.file.as_str()) {
            r.file = name.clone();
        }
    }
    d.extend(local);
    recs
}

fn list_pins(t: &Table, d: &mut Vec<Diagnostic>) -> Vec<PinRec> {
    let mut out = Vec::new();
    for row in &t.rows {
        let mut c = Cells {
            table: t,
            row,
            diags: &mut *d,
        };
        let Some(action) = c.word("pin", false, ACTIONS) else {
            continue;
        };
        let teacher = c.required("teacher");
        let host = c.optional("host").map(|a| At {
            v: a.v.split_whitespace().next().unwrap_or("").to_owned(),
            ..a
        });
        if let Some(teacher) = teacher {
            out.push(PinRec {
                file: t.file.clone(),
                line: row.line,
                teacher,
                school: host.filter(|_| action.v.needs_school()),
                action,
                note: String::new(),
            });
        }
    }
    out
}

/// Ids to indices, then each pin against the structure and the teacher's other pins.
fn resolve(
    ds: &Dataset,
    recs: &[PinRec],
    d: &mut Vec<Diagnostic>,
) -> BTreeMap<TeacherIx, Vec<Pin>> {
    let ids = Ids::of(ds);
    let mut out: BTreeMap<TeacherIx, Vec<(&PinRec, Pin)>> = BTreeMap::new();
    for r in recs {
        let (t, pin) = match ids.pin(r) {
            Ok(p) => p,
            Err(e) => {
                d.push(e);
                continue;
            }
        };
        let mine = out.entry(t).or_default();
        if let Some((first, _)) = mine.iter().find(|(_, p)| contradicts(p, &pin)) {
            let msg = format!(
                "teacher `{}`: `{}` contradicts `{}` on {} line {}",
                r.teacher.v,
                pin.action.as_str(),
                first.action.v.as_str(),
                first.file,
                first.line
            );
            let e = diag(
                &r.file,
                r.line,
                r.action.col,
                "E0704",
                msg,
                "one decision per teacher",
            );
            d.push(e);
            continue;
        }
        if !mine
            .iter()
            .any(|(_, p)| p.action == pin.action && p.school == pin.school)
        {
            mine.push((r, pin));
        }
    }
    (out.into_iter())
        .map(|(t, v)| (t, v.into_iter().map(|(_, p)| p).collect()))
        .collect()
}

/// The dataset's teachers and schools by id, and what each teacher's ledger says.
struct Ids<'a> {
    ds: &'a Dataset,
    teachers: BTreeMap<&'a str, TeacherIx>,
    schools: BTreeMap<&'a str, SchoolIx>,
    facts: Vec<crate::domain::TeacherFacts>,
}

impl<'a> Ids<'a> {
    fn of(ds: &'a Dataset) -> Self {
        let teachers = ds.teacher_ixs();
        let schools = ds.school_ixs();
        Ids {
            ds,
            teachers: teachers.map(|t| (ds.teacher(t).id.as_str(), t)).collect(),
            schools: schools.map(|s| (ds.school(s).id.as_str(), s)).collect(),
            facts: ds.teacher_facts(),
        }
    }

    /// One row's pin: a known teacher, a known school where the action needs one (and
    /// none where it does not), and a pin the structure allows.
    fn pin(&self, r: &PinRec) -> Result<(TeacherIx, Pin), Diagnostic> {
        let err = |col, code, msg: String, exp: &str| diag(&r.file, r.line, col, code, msg, exp);
        let Some(&t) = self.teachers.get(r.teacher.v.as_str()) else {
            let msg = format!("unknown teacher `{}`", r.teacher.v);
            return Err(err(
                r.teacher.col,
                "E0303",
                msg,
                "a teacher id of teachers.csv",
            ));
        };
        let school = self.school(r)?;
        let state = &self.facts[t.ix()].state;
        if let Some(why) = forbidden(self.ds, t, state, r.action.v, school) {
            let col = r.school.as_ref().map_or(r.action.col, |s| s.col);
            let msg = format!("teacher `{}`: {why}", r.teacher.v);
            return Err(match r.action.v == PinAction::Extend {
                true => err(
                    col,
                    "E0703",
                    msg,
                    "extend only for a term that ends this year",
                ),
                false => err(
                    col,
                    "E0702",
                    msg,
                    "a pin the community and stage structure allows",
                ),
            });
        }
        let pin = Pin {
            action: r.action.v,
            school,
            note: r.note.clone(),
        };
        Ok((t, pin))
    }

    /// The row's school: named for move and forbid, not for the other actions.
    fn school(&self, r: &PinRec) -> Result<Option<SchoolIx>, Diagnostic> {
        let err = |col, msg: String, exp: &str| diag(&r.file, r.line, col, "E0701", msg, exp);
        let action = r.action.v.as_str();
        match (&r.school, r.action.v.needs_school()) {
            // A sheet writes a school as `id name`; an id has no space (E0211).
            (Some(s), true) => {
                let id = s.v.split_whitespace().next().unwrap_or("");
                let Some(&x) = self.schools.get(id) else {
                    let msg = format!("unknown school `{}`", s.v);
                    let d = diag(
                        &r.file,
                        r.line,
                        s.col,
                        "E0301",
                        msg,
                        "a school id of schools.csv",
                    );
                    return Err(d);
                };
                Ok(Some(x))
            }
            (None, true) => {
                let msg = format!("`{action}` names no school");
                Err(err(r.action.col, msg, "a school for move and forbid"))
            }
            (Some(s), false) => {
                let msg = format!("`{action}` names a school `{}`", s.v);
                Err(err(s.col, msg, "no school for stay, extend and no_trips"))
            }
            (None, false) => Ok(None),
        }
    }
}

/// Why the structure forbids the pin, if it does.
fn forbidden(
    ds: &Dataset,
    t: TeacherIx,
    state: &LedgerState,
    action: PinAction,
    school: Option<SchoolIx>,
) -> Option<String> {
    let te = ds.teacher(t);
    let locked = matches!(state, LedgerState::Locked(_));
    match action {
        PinAction::Forbid | PinAction::NoTrips => None,
        _ if locked => Some("a term under way (LOCKED) cannot be changed".into()),
        _ if te.status != Status::Active => Some("the teacher is exempt (免交流)".into()),
        PinAction::Stay => None,
        PinAction::Extend => (!matches!(state, LedgerState::Ending(_)))
            .then(|| "no ending term that may be extended (ENDING)".into()),
        PinAction::Move => {
            let s = school?;
            let name = &ds.school(s).id;
            if ds.move_kind_from(te.home, s).is_none() {
                Some(format!(
                    "`{name}` is not a support or learning host from `{}` in its community",
                    ds.school(te.home).id
                ))
            } else if !te.stage.overlaps(ds.school(s).stage) {
                Some(format!("`{name}` teaches no stage of the teacher"))
            } else if ds.leg(te.home, s).is_none() {
                Some(format!("no distance to `{name}`"))
            } else {
                None
            }
        }
    }
}

/// Two pins of one teacher that cannot both hold.
fn contradicts(a: &Pin, b: &Pin) -> bool {
    use PinAction::*;
    let clash = |x: &Pin, y: &Pin| match (x.action, y.action) {
        (Stay, Move) | (Stay, Extend) | (Move, Extend) => true,
        (Move, Move) => x.school != y.school,
        (Move, Forbid) => x.school == y.school,
        _ => false,
    };
    clash(a, b) || clash(b, a)
}
