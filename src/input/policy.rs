//! policy.toml (MODEL.md's defaults block). TOML is read into a tree that keeps the span
//! of every key and value, then walked key by key: every unknown key, wrong type and
//! out-of-range value is reported at once with its line and column (serde's
//! `deny_unknown_fields` would stop at the first).

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::domain::{PerMode, Policy, ReciprocalCounts, Scope, Share};

use super::table::diag;
use super::Diagnostic;
use crate::limits::{MAX_MINUTES, MAX_MULTIPLIER, MAX_ROAD_FACTOR, MAX_SPEED_KMH, MAX_WEIGHT};

/// A TOML value with the byte span it was read from. toml gives no span to tables that
/// only exist through a dotted header (`[rotation.core_min_share]` makes `rotation`), so
/// spans are optional and a diagnostic falls back to the nearest known one.
#[derive(Clone, Debug)]
struct Node {
    span: Option<Range<usize>>,
    value: Value,
}

#[derive(Clone, Debug)]
struct Key {
    name: String,
    span: Option<Range<usize>>,
}

#[derive(Clone, Debug)]
enum Value {
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Array(Vec<Node>),
    Table(Vec<(Key, Node)>),
}

impl Value {
    fn type_name(&self) -> &'static str {
        match self {
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "an integer",
            Value::Float(_) => "a decimal",
            Value::Str(_) => "a string",
            Value::Array(_) => "an array",
            Value::Table(_) => "a table",
        }
    }
}

// serde_spanned's protocol (what `toml::Spanned` asks the deserializer for). Asked
// directly so that a value or key without a span still deserializes, span-less.
const SPANNED: &str = "$__serde_spanned_private_Spanned";
const START: &str = "$__serde_spanned_private_start";
const END: &str = "$__serde_spanned_private_end";
const VALUE: &str = "$__serde_spanned_private_value";
const FIELDS: &[&str] = &[START, END, VALUE];

/// Reads `start, end, value` once the first key (START) has been seen.
fn spanned_rest<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
    map: &mut A,
) -> Result<(Range<usize>, T), A::Error> {
    let start: usize = map.next_value()?;
    let mut end = start;
    let mut value = None;
    while let Some(k) = map.next_key::<String>()? {
        match k.as_str() {
            END => end = map.next_value()?,
            VALUE => value = Some(map.next_value()?),
            _ => return Err(serde::de::Error::custom("unexpected spanned field")),
        }
    }
    let value = value.ok_or_else(|| serde::de::Error::custom("spanned value missing"))?;
    Ok((start..end, value))
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_struct(SPANNED, FIELDS, NodeVisitor)
    }
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_struct(SPANNED, FIELDS, KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a TOML key")
    }
    fn visit_str<E>(self, v: &str) -> Result<Key, E> {
        Ok(Key {
            name: v.to_owned(),
            span: None,
        })
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Key, A::Error> {
        match map.next_key::<String>()?.as_deref() {
            Some(START) => {
                let (span, name) = spanned_rest::<A, String>(&mut map)?;
                Ok(Key {
                    name,
                    span: Some(span),
                })
            }
            _ => Err(serde::de::Error::custom("a key is a string")),
        }
    }
}

/// A value read without asking for its span (the inner value of a spanned one; asking
/// again would recurse forever).
struct Bare(Node);

impl<'de> Deserialize<'de> for Bare {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NodeVisitor).map(Bare)
    }
}

fn plain(value: Value) -> Node {
    Node { span: None, value }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a TOML value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Node, E> {
        Ok(plain(Value::Bool(v)))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Node, E> {
        Ok(plain(Value::Int(v)))
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Node, E> {
        i64::try_from(v)
            .map(|v| plain(Value::Int(v)))
            .map_err(|_| E::custom("integer too large"))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Node, E> {
        Ok(plain(Value::Float(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Node, E> {
        Ok(plain(Value::Str(v.to_owned())))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(x) = seq.next_element::<Node>()? {
            items.push(x);
        }
        Ok(plain(Value::Array(items)))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries = Vec::new();
        // Either serde_spanned's `start, end, value`, or a span-less table whose first
        // key has just been read as plain text.
        let first = match map.next_key::<Key>()? {
            None => return Ok(plain(Value::Table(entries))),
            Some(k) if k.name == START && k.span.is_none() => {
                let (span, Bare(node)) = spanned_rest::<A, Bare>(&mut map)?;
                return Ok(Node {
                    span: Some(span),
                    value: node.value,
                });
            }
            Some(k) => k,
        };
        entries.push((first, map.next_value::<Node>()?));
        while let Some(k) = map.next_key::<Key>()? {
            let v = map.next_value::<Node>()?;
            entries.push((k, v));
        }
        Ok(plain(Value::Table(entries)))
    }
}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = 1 + before.matches('\n').count();
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, 1 + before[start..].chars().count())
}

struct Walker<'a> {
    text: &'a str,
    file: &'a str,
    diags: Vec<Diagnostic>,
}

impl<'a> Walker<'a> {
    fn at(&mut self, span: &Option<Range<usize>>, code: &'static str, msg: String, expected: &str) {
        let (line, col) = span
            .as_ref()
            .map_or((1, 1), |s| line_col(self.text, s.start));
        self.diags
            .push(diag(self.file, line, col, code, msg, expected));
    }

    fn unknown(&mut self, path: &str, key: &Key, known: &[&str]) {
        self.at(
            &key.span,
            "E0502",
            format!("unknown key `{path}`"),
            &format!("one of {}", known.join(", ")),
        );
    }

    fn wrong_type(&mut self, path: &str, v: &Node, expected: &str) {
        let msg = format!("`{path}` is {}", v.value.type_name());
        self.at(&v.span, "E0503", msg, expected);
    }

    fn out_of_range(&mut self, path: &str, v: &Node, shown: String, expected: &str) {
        self.at(
            &v.span,
            "E0504",
            format!("`{path}` = {shown} is out of range"),
            expected,
        );
    }

    fn entries<'n>(&mut self, path: &str, v: &'n Node) -> &'n [(Key, Node)] {
        match &v.value {
            Value::Table(e) => e,
            _ => {
                self.wrong_type(path, v, "a table");
                &[]
            }
        }
    }

    fn int(&mut self, path: &str, v: &Node, lo: i64, hi: i64) -> Option<i64> {
        let expected = if hi == i64::MAX {
            format!("an integer ≥ {lo}")
        } else {
            format!("an integer in [{lo}, {hi}]")
        };
        match v.value {
            Value::Int(x) if (lo..=hi).contains(&x) => Some(x),
            Value::Int(x) => {
                self.out_of_range(path, v, x.to_string(), &expected);
                None
            }
            _ => {
                self.wrong_type(path, v, &expected);
                None
            }
        }
    }

    fn i32(&mut self, path: &str, v: &Node, lo: i32, hi: i32) -> Option<i32> {
        self.int(path, v, lo.into(), hi.into()).map(|x| x as i32)
    }

    fn u32(&mut self, path: &str, v: &Node, lo: u32, hi: u32) -> Option<u32> {
        self.int(path, v, lo.into(), hi.into()).map(|x| x as u32)
    }

    /// A decimal (integers accepted) with `ok` as the range rule described by `expected`.
    fn float(
        &mut self,
        path: &str,
        v: &Node,
        ok: impl Fn(f64) -> bool,
        expected: &str,
    ) -> Option<f64> {
        let x = match v.value {
            Value::Float(x) => x,
            Value::Int(x) => x as f64,
            _ => {
                self.wrong_type(path, v, expected);
                return None;
            }
        };
        if x.is_finite() && ok(x) {
            Some(x)
        } else {
            // As written: 1e308 printed in full is 309 digits.
            let written = v.span.as_ref().and_then(|r| self.text.get(r.clone()));
            let shown = written.map_or_else(|| x.to_string(), |t| t.trim().to_owned());
            self.out_of_range(path, v, shown, expected);
            None
        }
    }

    /// A weight: HiGHS loses its tolerances on larger ones (`limits::MAX_WEIGHT`).
    fn non_negative(&mut self, path: &str, v: &Node) -> Option<f64> {
        let expected = format!("a number in [0, {MAX_WEIGHT}]");
        self.float(path, v, |x| (0.0..=MAX_WEIGHT).contains(&x), &expected)
    }

    fn in_range(&mut self, path: &str, v: &Node, lo: f64, hi: f64, what: &str) -> Option<f64> {
        let expected = format!("{what} in [{lo}, {hi}]");
        self.float(path, v, |x| (lo..=hi).contains(&x), &expected)
    }

    fn share(&mut self, path: &str, v: &Node) -> Option<Share> {
        self.float(path, v, |x| (0.0..=1.0).contains(&x), "a share in [0, 1]")
            .and_then(Share::from_f64)
    }

    fn boolean(&mut self, path: &str, v: &Node) -> Option<bool> {
        match v.value {
            Value::Bool(b) => Some(b),
            _ => {
                self.wrong_type(path, v, "true or false");
                None
            }
        }
    }

    fn per_mode<T: Copy>(
        &mut self,
        path: &str,
        v: &Node,
        slot: &mut PerMode<T>,
        mut read: impl FnMut(&mut Self, &str, &Node) -> Option<T>,
    ) {
        for (k, v) in self.entries(path, v) {
            let p = format!("{path}.{}", k.name);
            let target = match k.name.as_str() {
                "tight" => &mut slot.tight,
                "fused" => &mut slot.fused,
                "paired" => &mut slot.paired,
                _ => {
                    self.unknown(&p, k, &["tight", "fused", "paired"]);
                    continue;
                }
            };
            set(target, read(self, &p, v));
        }
    }
}

fn set<T>(slot: &mut T, v: Option<T>) {
    if let Some(v) = v {
        *slot = v;
    }
}

const TOP: &[&str] = &[
    "plan_year",
    "capacity",
    "rotation",
    "itinerant",
    "travel",
    "weights",
    "report",
];
const CAPACITY: &[&str] = &["primary", "junior"];
const ROTATION: &[&str] = &[
    "min_years_due",
    "support_min_teaching_years",
    "learning_min_teaching_years",
    "learning_max_age_male",
    "learning_max_age_female",
    "term_years",
    "max_extension_years",
    "cooldown_years",
    "respect_unwilling",
    "max_outflow_share",
    "backbone_min_share",
    "due_min_share",
    "learning_min_share",
    "promotion_rural_years",
    "core_min_share",
    "reciprocal",
    "reciprocal_counts",
    "protect_members",
    "learning_cycle_years",
    "learning_cycle_start",
];
const ITINERANT: &[&str] = &[
    "subjects",
    "scope",
    "max_days",
    "periods_full_day",
    "periods_half_day",
    "max_stops",
    "max_minutes_day",
    "max_minutes_between",
    "min_periods_per_stop",
];
const TRAVEL: &[&str] = &["road_factor", "speed_kmh"];
const REPORT: &[&str] = &["community_word"];
const WEIGHTS: &[&str] = &[
    "unmet",
    "unmet_subject",
    "non_main_subject",
    "rotation",
    "rotation_km",
    "itinerant_km",
    "promotion_bonus",
    "due_bonus",
    "willing_bonus",
    "extension_bonus",
    "violation",
    "change",
];

/// Parses policy text; missing keys keep MODEL.md's defaults.
pub fn parse(text: &str, file: &str) -> Result<Policy, Vec<Diagnostic>> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let root = match toml::from_str::<Node>(text) {
        Ok(v) => v,
        Err(e) => {
            let (line, col) = e.span().map_or((1, 1), |s| line_col(text, s.start));
            // One line: toml's message may span several.
            let msg = e.message().split_whitespace().collect::<Vec<_>>().join(" ");
            return Err(vec![diag(
                file,
                line,
                col,
                "E0501",
                format!("invalid TOML: {msg}"),
                "TOML syntax",
            )]);
        }
    };
    let mut w = Walker {
        text,
        file,
        diags: Vec::new(),
    };
    let mut p = Policy::default();
    for (k, v) in w.entries("policy", &root) {
        let key = k.name.as_str();
        match key {
            "plan_year" => set(&mut p.plan_year, w.i32(key, v, 1900, 2200)),
            "capacity" => capacity(&mut w, v, &mut p),
            "rotation" => rotation(&mut w, v, &mut p),
            "itinerant" => itinerant(&mut w, v, &mut p),
            "travel" => travel(&mut w, v, &mut p),
            "weights" => weights(&mut w, v, &mut p),
            "report" => report(&mut w, v, &mut p),
            _ => w.unknown(key, k, TOP),
        }
    }
    if w.diags.is_empty() {
        Ok(p)
    } else {
        w.diags.sort();
        Err(w.diags)
    }
}

fn capacity(w: &mut Walker<'_>, v: &Node, p: &mut Policy) {
    for (k, v) in w.entries("capacity", v) {
        let path = format!("capacity.{}", k.name);
        match k.name.as_str() {
            "primary" => set(&mut p.capacity.primary, w.u32(&path, v, 1, 100)),
            "junior" => set(&mut p.capacity.junior, w.u32(&path, v, 1, 100)),
            _ => w.unknown(&path, k, CAPACITY),
        }
    }
}

fn rotation(w: &mut Walker<'_>, v: &Node, p: &mut Policy) {
    let r = &mut p.rotation;
    const YEARS: i32 = 100;
    for (k, v) in w.entries("rotation", v) {
        let path = format!("rotation.{}", k.name);
        let path = path.as_str();
        match k.name.as_str() {
            "min_years_due" => set(&mut r.min_years_due, w.i32(path, v, 0, YEARS)),
            "support_min_teaching_years" => {
                set(&mut r.support_min_teaching_years, w.i32(path, v, 0, YEARS))
            }
            "learning_min_teaching_years" => {
                set(&mut r.learning_min_teaching_years, w.i32(path, v, 0, YEARS))
            }
            "learning_max_age_male" => set(&mut r.learning_max_age_male, w.i32(path, v, 0, 150)),
            "learning_max_age_female" => {
                set(&mut r.learning_max_age_female, w.i32(path, v, 0, 150))
            }
            "term_years" => set(&mut r.term_years, w.i32(path, v, 1, YEARS)),
            "max_extension_years" => set(&mut r.max_extension_years, w.i32(path, v, 0, YEARS)),
            "cooldown_years" => set(&mut r.cooldown_years, w.i32(path, v, 0, YEARS)),
            "respect_unwilling" => set(&mut r.respect_unwilling, w.boolean(path, v)),
            "max_outflow_share" => set(&mut r.max_outflow_share, w.share(path, v)),
            "backbone_min_share" => set(&mut r.backbone_min_share, w.share(path, v)),
            "due_min_share" => set(&mut r.due_min_share, w.share(path, v)),
            "learning_min_share" => set(&mut r.learning_min_share, w.share(path, v)),
            "promotion_rural_years" => set(
                &mut r.promotion_rural_years,
                w.u32(path, v, 0, YEARS as u32),
            ),
            "core_min_share" => w.per_mode(path, v, &mut r.core_min_share, |w, p, v| w.share(p, v)),
            "reciprocal" => w.per_mode(path, v, &mut r.reciprocal, |w, p, v| w.boolean(p, v)),
            "reciprocal_counts" => {
                const EXPECTED: &str = "\"new\" or \"serving\"";
                match &v.value {
                    Value::Str(s) if s == "new" => r.reciprocal_counts = ReciprocalCounts::New,
                    Value::Str(s) if s == "serving" => {
                        r.reciprocal_counts = ReciprocalCounts::Serving
                    }
                    Value::Str(s) => w.out_of_range(path, v, format!("\"{s}\""), EXPECTED),
                    _ => w.wrong_type(path, v, EXPECTED),
                }
            }
            "protect_members" => set(&mut r.protect_members, w.boolean(path, v)),
            "learning_cycle_years" => set(&mut r.learning_cycle_years, w.i32(path, v, 0, 20)),
            "learning_cycle_start" => {
                r.learning_cycle_start = w.i32(path, v, 1900, 2200).or(r.learning_cycle_start)
            }
            _ => w.unknown(path, k, ROTATION),
        }
    }
}

fn itinerant(w: &mut Walker<'_>, v: &Node, p: &mut Policy) {
    let it = &mut p.itinerant;
    for (k, v) in w.entries("itinerant", v) {
        let path = format!("itinerant.{}", k.name);
        let path = path.as_str();
        match k.name.as_str() {
            "subjects" => set(&mut it.subjects, subjects(w, path, v)),
            "scope" => match &v.value {
                Value::Str(s) if s == "county" => it.scope = Scope::County,
                Value::Str(s) if s == "community" => it.scope = Scope::Community,
                Value::Str(s) => {
                    w.out_of_range(path, v, format!("\"{s}\""), "\"county\" or \"community\"")
                }
                _ => w.wrong_type(path, v, "\"county\" or \"community\""),
            },
            "max_days" => set(&mut it.max_days, w.u32(path, v, 0, 5)),
            "periods_full_day" => set(&mut it.periods_full_day, w.u32(path, v, 0, 20)),
            "periods_half_day" => set(&mut it.periods_half_day, w.u32(path, v, 0, 20)),
            "max_stops" => set(&mut it.max_stops, w.u32(path, v, 1, 2)),
            "max_minutes_day" => set(
                &mut it.max_minutes_day,
                w.in_range(path, v, 0.0, MAX_MINUTES, "minutes"),
            ),
            "max_minutes_between" => set(
                &mut it.max_minutes_between,
                w.in_range(path, v, 0.0, MAX_MINUTES, "minutes"),
            ),
            "min_periods_per_stop" => set(&mut it.min_periods_per_stop, w.u32(path, v, 0, 20)),
            _ => w.unknown(path, k, ITINERANT),
        }
    }
}

fn subjects(w: &mut Walker<'_>, path: &str, v: &Node) -> Option<Vec<String>> {
    let Value::Array(items) = &v.value else {
        w.wrong_type(path, v, "an array of subject names");
        return None;
    };
    let mut out = Vec::new();
    for item in items {
        match &item.value {
            Value::Str(s) if !s.trim().is_empty() => out.push(s.trim().to_owned()),
            Value::Str(_) => w.out_of_range(path, item, "\"\"".into(), "a subject name"),
            _ => w.wrong_type(path, item, "a subject name (string)"),
        }
    }
    Some(out)
}

fn travel(w: &mut Walker<'_>, v: &Node, p: &mut Policy) {
    for (k, v) in w.entries("travel", v) {
        let path = format!("travel.{}", k.name);
        let path = path.as_str();
        match k.name.as_str() {
            // A road is never shorter than the great circle.
            "road_factor" => set(
                &mut p.travel.road_factor,
                w.in_range(path, v, 1.0, MAX_ROAD_FACTOR, "a factor"),
            ),
            "speed_kmh" => set(
                &mut p.travel.speed_kmh,
                w.float(
                    path,
                    v,
                    |x| x > 0.0 && x <= MAX_SPEED_KMH,
                    &format!("a speed in (0, {MAX_SPEED_KMH}]"),
                ),
            ),
            _ => w.unknown(path, k, TRAVEL),
        }
    }
}

/// [report]: the county's own words on every page.
fn report(w: &mut Walker<'_>, v: &Node, p: &mut Policy) {
    for (k, v) in w.entries("report", v) {
        let path = format!("report.{}", k.name);
        match (k.name.as_str(), &v.value) {
            ("community_word", Value::Str(s)) if !s.trim().is_empty() => {
                p.report.community_word = s.trim().to_owned();
            }
            ("community_word", Value::Str(_)) => {
                w.out_of_range(&path, v, "\"\"".into(), "a word such as \"共同体\"")
            }
            ("community_word", _) => w.wrong_type(&path, v, "a word such as \"共同体\""),
            _ => w.unknown(&path, k, REPORT),
        }
    }
}

fn weights(w: &mut Walker<'_>, v: &Node, p: &mut Policy) {
    let ws = &mut p.weights;
    for (k, v) in w.entries("weights", v) {
        let path = format!("weights.{}", k.name);
        let path = path.as_str();
        let slot = match k.name.as_str() {
            "unmet" => &mut ws.unmet,
            "non_main_subject" => &mut ws.non_main_subject,
            "rotation" => &mut ws.rotation,
            "rotation_km" => &mut ws.rotation_km,
            "itinerant_km" => &mut ws.itinerant_km,
            "promotion_bonus" => &mut ws.promotion_bonus,
            "due_bonus" => &mut ws.due_bonus,
            "willing_bonus" => &mut ws.willing_bonus,
            "extension_bonus" => &mut ws.extension_bonus,
            "violation" => &mut ws.violation,
            "change" => &mut ws.change,
            "unmet_subject" => {
                let mut map = BTreeMap::new();
                for (s, m) in w.entries(path, v) {
                    let p = format!("{path}.{}", s.name);
                    if let Some(x) = w.in_range(&p, m, 0.0, MAX_MULTIPLIER, "a multiplier") {
                        map.insert(s.name.trim().to_owned(), x);
                    }
                }
                ws.unmet_subject = map;
                continue;
            }
            _ => {
                w.unknown(path, k, WEIGHTS);
                continue;
            }
        };
        set(slot, w.non_negative(path, v));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Mode;

    fn codes(text: &str) -> Vec<(&'static str, usize, usize)> {
        match parse(text, "policy.toml") {
            Ok(_) => Vec::new(),
            Err(d) => d.iter().map(|d| (d.code, d.line, d.column)).collect(),
        }
    }

    #[test]
    fn empty_is_default() {
        assert_eq!(parse("", "p").unwrap(), Policy::default());
        assert_eq!(
            parse("\u{FEFF}\n# nothing\n", "p").unwrap(),
            Policy::default()
        );
    }

    /// MODEL.md's block, verbatim, is the default policy.
    #[test]
    fn model_block_is_default() {
        let text = r#"
plan_year = 2025
[capacity]
primary = 16
junior = 14
[rotation]
min_years_due = 6
support_min_teaching_years = 3
learning_min_teaching_years = 1
learning_max_age_male = 50
learning_max_age_female = 45
term_years = 1
max_extension_years = 2
cooldown_years = 3
respect_unwilling = true
max_outflow_share = 0.3
backbone_min_share = 0.2
due_min_share = 0.1
learning_min_share = 0.0
promotion_rural_years = 1
core_min_share = { tight = 0.1, fused = 0.0, paired = 0.0 }
reciprocal = { tight = false, fused = false, paired = false }
reciprocal_counts = "new"
protect_members = true
[itinerant]
subjects = ["音乐", "体育", "美术"]
scope = "county"
max_days = 2
periods_full_day = 4
periods_half_day = 2
max_stops = 2
max_minutes_day = 120
max_minutes_between = 30
min_periods_per_stop = 2
[travel]
road_factor = 1.3
speed_kmh = 40
[weights]
unmet = 1000
unmet_subject = {}
non_main_subject = 2
rotation = 50
rotation_km = 0.2
itinerant_km = 0.5
promotion_bonus = 20
due_bonus = 5
willing_bonus = 15
extension_bonus = 30
violation = 100000
change = 200
"#;
        assert_eq!(parse(text, "p").unwrap(), Policy::default());
    }

    /// Every key, set to a non-default value, reads back into its field.
    #[test]
    fn every_key_round_trips() {
        let text = r#"
plan_year = 2026
[capacity]
primary = 18
junior = 12
[rotation]
min_years_due = 5
support_min_teaching_years = 4
learning_min_teaching_years = 2
learning_max_age_male = 55
learning_max_age_female = 50
term_years = 2
max_extension_years = 1
cooldown_years = 4
respect_unwilling = false
max_outflow_share = 0.25
backbone_min_share = 0.3
due_min_share = 0.15
learning_min_share = 0.05
promotion_rural_years = 2
core_min_share = { tight = 0.2, fused = 0.1, paired = 0.05 }
reciprocal = { tight = true, fused = true, paired = true }
reciprocal_counts = "serving"
protect_members = false
learning_cycle_years = 3
learning_cycle_start = 2023
[itinerant]
subjects = ["音乐", "科学"]
scope = "community"
max_days = 3
periods_full_day = 5
periods_half_day = 3
max_stops = 1
max_minutes_day = 90.5
max_minutes_between = 20
min_periods_per_stop = 3
[travel]
road_factor = 1.5
speed_kmh = 35.5
[weights]
unmet = 900
unmet_subject = { "音乐" = 2, "美术" = 1.5 }
non_main_subject = 3
rotation = 40
rotation_km = 0.3
itinerant_km = 0.6
promotion_bonus = 10
due_bonus = 6
willing_bonus = 7
extension_bonus = 8
violation = 50000
change = 150
"#;
        let p = parse(text, "p").unwrap();
        let s = |v| Share::from_f64(v).unwrap();
        assert_eq!(p.plan_year, 2026);
        assert_eq!((p.capacity.primary, p.capacity.junior), (18, 12));
        let r = &p.rotation;
        assert_eq!(
            (
                r.min_years_due,
                r.support_min_teaching_years,
                r.learning_min_teaching_years,
                r.learning_max_age_male,
                r.learning_max_age_female,
                r.term_years,
                r.max_extension_years,
                r.cooldown_years
            ),
            (5, 4, 2, 55, 50, 2, 1, 4)
        );
        assert!(!r.respect_unwilling);
        assert_eq!(r.max_outflow_share, s(0.25));
        assert_eq!(r.backbone_min_share, s(0.3));
        assert_eq!(r.due_min_share, s(0.15));
        assert_eq!(r.learning_min_share, s(0.05));
        assert_eq!(r.promotion_rural_years, 2);
        assert_eq!(r.core_min_share.get(Mode::Tight), s(0.2));
        assert_eq!(r.core_min_share.get(Mode::Fused), s(0.1));
        assert_eq!(r.core_min_share.get(Mode::Paired), s(0.05));
        assert!(Mode::ALL.iter().all(|&m| r.reciprocal.get(m)));
        assert_eq!(r.reciprocal_counts, ReciprocalCounts::Serving);
        assert!(!r.protect_members);
        assert_eq!(
            (r.learning_cycle_years, r.learning_cycle_start),
            (3, Some(2023))
        );
        let it = &p.itinerant;
        assert_eq!(it.subjects, ["音乐", "科学"]);
        assert_eq!(it.scope, Scope::Community);
        assert_eq!(
            (
                it.max_days,
                it.periods_full_day,
                it.periods_half_day,
                it.max_stops
            ),
            (3, 5, 3, 1)
        );
        assert_eq!((it.max_minutes_day, it.max_minutes_between), (90.5, 20.0));
        assert_eq!(it.min_periods_per_stop, 3);
        assert_eq!((p.travel.road_factor, p.travel.speed_kmh), (1.5, 35.5));
        let w = &p.weights;
        assert_eq!(w.unmet, 900.0);
        assert_eq!(w.unmet_mult("音乐"), 2.0);
        assert_eq!(w.unmet_mult("美术"), 1.5);
        assert_eq!(w.unmet_mult("语文"), 1.0);
        assert_eq!(
            [
                w.non_main_subject,
                w.rotation,
                w.rotation_km,
                w.itinerant_km,
                w.promotion_bonus,
                w.due_bonus,
                w.willing_bonus,
                w.extension_bonus,
                w.violation,
                w.change
            ],
            [3.0, 40.0, 0.3, 0.6, 10.0, 6.0, 7.0, 8.0, 50000.0, 150.0]
        );
    }

    /// The county's word for a community: 共同体 unless the policy says otherwise.
    #[test]
    fn report_community_word() {
        assert_eq!(parse("", "p").unwrap().report.community_word, "共同体");
        let p = parse("[report]\ncommunity_word = \" 校共体 \"\n", "p").unwrap();
        assert_eq!(p.report.community_word, "校共体");
        assert_eq!(codes("[report]\ncommunity_word = \"\""), [("E0504", 2, 18)]);
        assert_eq!(codes("[report]\ncommunity_word = 3"), [("E0503", 2, 18)]);
        assert_eq!(codes("[report]\ncommunity = \"x\""), [("E0502", 2, 1)]);
    }

    #[test]
    fn partial_per_mode_tables_keep_defaults() {
        let p = parse("[rotation.core_min_share]\nfused = 0.2\n", "p").unwrap();
        assert_eq!(
            p.rotation.core_min_share.tight,
            Share::from_f64(0.1).unwrap()
        );
        assert_eq!(
            p.rotation.core_min_share.fused,
            Share::from_f64(0.2).unwrap()
        );
        let p = parse("[rotation]\nreciprocal = { paired = true }\n", "p").unwrap();
        assert!(p.rotation.reciprocal.paired && !p.rotation.reciprocal.tight);
    }

    #[test]
    fn every_problem_is_located() {
        let text = "plan_yaer = 2025\n[rotation]\nmax_outflow_share = 1.5\ncore_min_share = { tight = -0.1, loose = 0.2 }\n[itinerant]\nmax_stops = 3\nmax_days = \"two\"\n";
        assert_eq!(
            codes(text),
            [
                ("E0502", 1, 1),
                ("E0504", 3, 21),
                ("E0504", 4, 28),
                ("E0502", 4, 34),
                ("E0504", 6, 13),
                ("E0503", 7, 12),
            ]
        );
    }

    #[test]
    fn dotted_headers_are_located() {
        let text = "plan_year = 2025\n[rotation.core_min_share]\nloose = 0.1\n[rotaton.core_min_share]\ntight = 0.1\n";
        assert_eq!(codes(text), [("E0502", 3, 1), ("E0502", 4, 2)]);
    }

    #[test]
    fn ranges() {
        for bad in [
            "[capacity]\nprimary = 0",
            "[itinerant]\nmax_days = 6",
            "[itinerant]\nmax_minutes_day = -1",
            "[itinerant]\nscope = \"province\"",
            "[travel]\nspeed_kmh = 0",
            "[weights]\nunmet_subject = { \"音乐\" = -1 }",
            "[weights]\nunmet = 1e15",
            "[weights]\nunmet_subject = { \"音乐\" = 101 }",
            "[travel]\nroad_factor = 1e308",
            "[itinerant]\nmax_minutes_between = 1e9",
            "[rotation]\nterm_years = 0",
            "[rotation]\nlearning_cycle_years = -1",
            "[rotation]\nlearning_cycle_years = 21",
            "[rotation]\nlearning_cycle_start = 1800",
        ] {
            assert_eq!(codes(bad).first().map(|c| c.0), Some("E0504"), "{bad}");
        }
        assert_eq!(codes("plan_year = ")[0].0, "E0501");
        assert_eq!(codes("[capacity]\nprimary = 16.5")[0].0, "E0503");
        assert_eq!(codes("capacity = 3")[0].0, "E0503");
    }
}
