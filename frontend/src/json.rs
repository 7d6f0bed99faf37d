//! JSON without serde. Reading, in the browser: `JSON.parse` builds the value and small
//! readers take it apart into the engine's and the widget's types. Writing, anywhere:
//! [`object`] writes the few documents the widget produces, field by field.
//!
//! serde_json's parser and serde's generated readers were a large part of the widget's
//! download (the README has the figures); `JSON.parse` is already in the browser. The readers
//! follow serde's rules where they matter (required fields, defaults, enum names) and
//! serde stays the reference: the component tests read the same documents both ways and
//! compare. They differ in two ways: unknown fields are left alone, and a level written
//! `3.0` reads as `3` (JavaScript has one kind of number).
//!
//! Natively (the unit tests of the reducer) there is no `JSON.parse`: the callers read
//! with serde there (see [`crate::state`]).

use aims_engine::{
    AiSystem, AnswerInput, AssessmentInput, Customisation, Date, Named, Profile, RawLevel,
    SoaFields,
};
use js_sys::{Array, JSON, Reflect};
use std::cell::RefCell;
use wasm_bindgen::JsValue;

/// A reading failure: where (a JSON Pointer) and what was expected there.
pub type Read<T> = Result<T, String>;

/// Parses `text` and reads it with `root`; the first failure (of the JSON itself, or of a
/// value `root` reads) is the error.
pub fn read<T>(text: &str, root: impl FnOnce(Node) -> T) -> Read<T> {
    let value = JSON::parse(text).map_err(|_| "not valid JSON".to_string())?;
    let first_error = RefCell::new(None);
    let data = root(Node {
        value,
        path: String::new(),
        first_error: &first_error,
    });
    match first_error.into_inner() {
        None => Ok(data),
        Some(e) => Err(e),
    }
}

/// A value in the parsed document and its JSON Pointer.
///
/// Reading never stops early: a value of the wrong type records the first failure and
/// reads as a stand-in (empty, zero, the first option), and [`read`] returns the failure
/// instead of the data. Straight-line code like this is far smaller in Wasm than a `?` on
/// every field, each with its own path that drops what was read before it.
pub struct Node<'a> {
    value: JsValue,
    path: String,
    first_error: &'a RefCell<Option<String>>,
}

impl<'a> Node<'a> {
    fn child(&self, value: JsValue, path: String) -> Node<'a> {
        Node {
            value,
            path,
            first_error: self.first_error,
        }
    }

    /// The field `key` of this object (absent when this is no object).
    pub fn field(&self, key: &str) -> Node<'a> {
        let value = if self.value.is_object() {
            Reflect::get(&self.value, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
        } else {
            JsValue::UNDEFINED
        };
        self.child(value, format!("{}/{key}", self.path))
    }

    /// Records that this value is not what was expected (only the first failure counts).
    pub fn fail(&self, expected: &str) {
        let mut first = self.first_error.borrow_mut();
        if first.is_none() {
            let at = if self.path.is_empty() {
                "/"
            } else {
                &self.path
            };
            *first = Some(format!("{at}: expected {expected}"));
        }
    }

    /// Absent, or null.
    pub fn is_missing(&self) -> bool {
        self.value.is_undefined() || self.value.is_null()
    }

    /// Fails unless this is an object (not an array).
    pub fn object(&self) {
        if !self.value.is_object() || Array::is_array(&self.value) {
            self.fail("an object");
        }
    }

    /// A string.
    pub fn string(self) -> String {
        self.value.as_string().unwrap_or_else(|| {
            self.fail("a string");
            String::new()
        })
    }

    /// A number.
    pub fn number(self) -> f64 {
        self.value.as_f64().unwrap_or_else(|| {
            self.fail("a number");
            0.0
        })
    }

    /// A whole number from 0 to `max`.
    pub fn whole(self, max: u32) -> u32 {
        match self.value.as_f64() {
            Some(x) if x.fract() == 0.0 && (0.0..=f64::from(max)).contains(&x) => x as u32,
            _ => {
                self.fail(&format!("a whole number from 0 to {max}"));
                0
            }
        }
    }

    /// A whole number from 0 to 255.
    pub fn small(self) -> u8 {
        self.whole(255) as u8
    }

    /// `true` or `false`.
    pub fn boolean(self) -> bool {
        self.value.as_bool().unwrap_or_else(|| {
            self.fail("true or false");
            false
        })
    }

    /// `None` when the field is absent or null, as serde's `default` for an `Option`.
    pub fn optional<T>(self, read: impl Fn(Node<'a>) -> T) -> Option<T> {
        if self.is_missing() {
            None
        } else {
            Some(read(self))
        }
    }

    /// `default` when the field is absent or null, as serde's `default`.
    pub fn or<T>(self, default: T, read: impl Fn(Node<'a>) -> T) -> T {
        self.optional(read).unwrap_or(default)
    }

    /// An array, each item read by `item`.
    pub fn list<T>(&self, item: impl Fn(Node<'a>) -> T) -> Vec<T> {
        if !Array::is_array(&self.value) {
            self.fail("an array");
            return Vec::new();
        }
        let array = Array::from(&self.value);
        (0..array.length())
            .map(|i| item(self.child(array.get(i), format!("{}/{i}", self.path))))
            .collect()
    }

    /// Exactly five items (one per maturity level).
    pub fn five<T: Copy + Default>(self, item: impl Fn(Node<'a>) -> T) -> [T; 5] {
        self.exactly(item, "five items, one per level 0-4")
    }

    /// Exactly `N` items; `what` says what was expected.
    pub fn exactly<T: Copy + Default, const N: usize>(
        self,
        item: impl Fn(Node<'a>) -> T,
        what: &str,
    ) -> [T; N] {
        <[T; N]>::try_from(self.list(item)).unwrap_or_else(|_| {
            self.fail(what);
            [T::default(); N]
        })
    }

    /// A variant of a wire enum, by its wire name.
    pub fn named<T: Named>(self) -> T {
        T::ALL[self.name_index(T::NAMES)]
    }

    /// Where this string is in `names` (the first, after recording a failure, if nowhere).
    fn name_index(self, names: &[&str]) -> usize {
        let name = self.value.as_string().unwrap_or_default();
        names.iter().position(|n| *n == name).unwrap_or_else(|| {
            self.fail(&format!("one of {}", names.join(", ")));
            0
        })
    }

    /// An array of strings.
    pub fn strings(self) -> Vec<String> {
        self.list(Node::string)
    }
}

/// An assessment in the wire format (as `AssessmentInput`'s serde reader).
pub fn assessment_input(n: Node) -> AssessmentInput {
    n.object();
    AssessmentInput {
        mode: n.field("mode").named(),
        bank_version: n.field("bank_version").optional(Node::string),
        profile: profile(n.field("profile")),
        answers: n.field("answers").or(Vec::new(), |a| a.list(answer)),
        soa: n.field("soa").optional(soa_fields),
    }
}

fn soa_fields(n: Node) -> SoaFields {
    n.object();
    SoaFields {
        version: n.field("version").optional(Node::string),
        date: n.field("date").optional(date).flatten(),
        approved_by: n.field("approved_by").optional(Node::string),
    }
}

fn profile(n: Node) -> Profile {
    n.object();
    Profile {
        size: n.field("size").named(),
        employees: n.field("employees").optional(|e| e.whole(u32::MAX)),
        sector: n.field("sector").or("other".to_string(), Node::string),
        frameworks: n
            .field("frameworks")
            .or(Vec::new(), |f| f.list(Node::named)),
        capacity_fte: n.field("capacity_fte").number(),
        start_date: n.field("start_date").optional(date).flatten(),
        systems: n.field("systems").optional(|l| l.list(system)),
        ai_systems: n.field("ai_systems").optional(|c| c.whole(u32::MAX)),
        role: n.field("role").optional(Node::named),
        high_risk: n.field("high_risk").optional(Node::boolean),
    }
}

fn system(n: Node) -> AiSystem {
    n.object();
    AiSystem {
        name: n.field("name").string(),
        origin: n.field("origin").named(),
        customisation: n
            .field("customisation")
            .or(Customisation::None, Node::named),
        offered_to_customers: n.field("offered_to_customers").or(false, Node::boolean),
        risk: n.field("risk").named(),
        owner: n.field("owner").optional(Node::named),
        purpose: n.field("purpose").optional(Node::string),
    }
}

/// `YYYY-MM-DD` (`None`, with the failure recorded, when it is not).
fn date(n: Node) -> Option<Date> {
    match n.value.as_string().map(|text| Date::parse(&text)) {
        Some(Ok(date)) => Some(date),
        Some(Err(e)) => {
            n.fail(&format!("a date: {e}"));
            None
        }
        None => {
            n.fail("a date in the form YYYY-MM-DD");
            None
        }
    }
}

/// One answer in the wire format.
pub fn answer(n: Node) -> AnswerInput {
    let level = n.field("level");
    AnswerInput {
        question: n.field("question").string(),
        level: match (level.value.as_f64(), level.value.as_string()) {
            (Some(x), _) if x.fract() == 0.0 && x.abs() < 9.0e15 => RawLevel::Number(x as i64),
            (Some(x), _) => RawLevel::Fraction(x),
            (None, Some(text)) => RawLevel::Text(text),
            (None, None) => {
                level.fail("a level 0-4, \"unknown\" or \"not_applicable\"");
                RawLevel::Number(0)
            }
        },
        justification: n.field("justification").optional(Node::string),
    }
}

/// A number as the shortest text that reads back as the same `f64` (`1.5`, `2`, `0.1`), as
/// `f64::to_string` writes it for every number the widget handles. In the browser it is
/// JavaScript's `Number.prototype.toString`, which spares the Wasm Rust's float formatting
/// and its tables.
pub fn number_text(value: f64) -> String {
    if !cfg!(target_arch = "wasm32") {
        return value.to_string();
    }
    js_sys::Number::from(value)
        .to_string_with_radix(10)
        .map_or_else(|_| String::new(), String::from)
}

/// Writes a JSON object with `fields`, without serde: the few documents the widget writes
/// (saved progress, the export, the lead submission) are written field by field, which is
/// smaller in Wasm than serde's generated writers and `serde_json`.
pub fn object(fields: impl FnOnce(&mut Object)) -> String {
    let mut out = String::with_capacity(512);
    write_object(&mut out, fields);
    out
}

fn write_object(out: &mut String, fields: impl FnOnce(&mut Object)) {
    out.push('{');
    fields(&mut Object { out, empty: true });
    out.push('}');
}

fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => {
                let code = u32::from(c);
                out.push_str("\\u00");
                out.push(char::from(b"0123456789abcdef"[(code >> 4) as usize]));
                out.push(char::from(b"0123456789abcdef"[(code & 0xf) as usize]));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// The fields of an object being written.
pub struct Object<'a> {
    out: &'a mut String,
    empty: bool,
}

impl Object<'_> {
    fn key(&mut self, key: &str) -> &mut String {
        if !self.empty {
            self.out.push(',');
        }
        self.empty = false;
        write_string(self.out, key);
        self.out.push(':');
        self.out
    }

    /// A string field.
    pub fn string(&mut self, key: &str, value: &str) {
        let out = self.key(key);
        write_string(out, value);
    }

    /// A string field, left out when `None`.
    pub fn optional_string(&mut self, key: &str, value: Option<&str>) {
        if let Some(v) = value {
            self.string(key, v);
        }
    }

    /// A number field (finite; whole numbers are written without a fraction).
    pub fn number(&mut self, key: &str, value: f64) {
        let out = self.key(key);
        out.push_str(&number_text(value));
    }

    /// A boolean field.
    pub fn boolean(&mut self, key: &str, value: bool) {
        self.key(key).push_str(if value { "true" } else { "false" });
    }

    /// An array of strings.
    pub fn strings<'s>(&mut self, key: &str, values: impl IntoIterator<Item = &'s str>) {
        let out = self.key(key);
        out.push('[');
        for (i, v) in values.into_iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            write_string(out, v);
        }
        out.push(']');
    }

    /// A nested object.
    pub fn object(&mut self, key: &str, fields: impl FnOnce(&mut Object)) {
        let out = self.key(key);
        write_object(out, fields);
    }

    /// An array of objects, one per item.
    pub fn objects<T>(&mut self, key: &str, items: &[T], fields: impl Fn(&mut Object, &T)) {
        let out = self.key(key);
        out.push('[');
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            write_object(out, |o| fields(o, item));
        }
        out.push(']');
    }
}

/// Writes the fields of an assessment in the wire format (as serde writes
/// `AssessmentInput`) into `o`.
pub fn write_assessment_input(o: &mut Object, input: &AssessmentInput) {
    o.string("mode", input.mode.as_str());
    o.optional_string("bank_version", input.bank_version.as_deref());
    let p = &input.profile;
    o.object("profile", |o| {
        o.string("size", p.size.as_str());
        if let Some(n) = p.employees {
            o.number("employees", f64::from(n));
        }
        o.string("sector", &p.sector);
        o.strings("frameworks", p.frameworks.iter().map(|f| f.as_str()));
        o.number("capacity_fte", p.capacity_fte);
        if let Some(d) = p.start_date {
            o.string("start_date", &d.to_string());
        }
        if let Some(systems) = &p.systems {
            o.objects("systems", systems, |o, s| {
                o.string("name", &s.name);
                o.string("origin", s.origin.as_str());
                o.string("customisation", s.customisation.as_str());
                o.boolean("offered_to_customers", s.offered_to_customers);
                o.string("risk", s.risk.as_str());
                o.optional_string("owner", s.owner.map(|w| w.as_str()));
                o.optional_string("purpose", s.purpose.as_deref());
            });
        }
        if let Some(n) = p.ai_systems {
            o.number("ai_systems", f64::from(n));
        }
        o.optional_string("role", p.role.map(|r| r.as_str()));
        if let Some(h) = p.high_risk {
            o.boolean("high_risk", h);
        }
    });
    o.objects("answers", &input.answers, write_answer);
    if let Some(soa) = &input.soa {
        o.object("soa", |o| {
            o.optional_string("version", soa.version.as_deref());
            if let Some(d) = soa.date {
                o.string("date", &d.to_string());
            }
            o.optional_string("approved_by", soa.approved_by.as_deref());
        });
    }
}

/// Writes one answer in the wire format.
pub fn write_answer(o: &mut Object, a: &AnswerInput) {
    o.string("question", &a.question);
    match &a.level {
        RawLevel::Number(n) => o.number("level", *n as f64),
        RawLevel::Fraction(x) => o.number("level", *x),
        RawLevel::Text(t) => o.string("level", t),
    }
    o.optional_string("justification", a.justification.as_deref());
}
