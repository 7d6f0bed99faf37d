//! Reading a question bank without serde: the browser's `JSON.parse` builds the value and
//! this module takes it apart into the engine's [`BankData`].
//!
//! serde's generated readers for the bank's eighteen types made up about a sixth of the
//! widget's download (measured: 20 KB of brotli with the bank's checks); this reader is a
//! fraction of that. The engine's serde reader stays the reference: the component tests read
//! banks both ways and compare, and the server only serves banks that serde accepted at
//! start. Where serde has a default (`Option` fields, `per_system`, `risk_sensitive`), so
//! does this reader; unknown fields are left alone.

use aims_engine::{
    Applicability, Bands, Bank, BankData, Credit, Framework, FrameworkData, Group, GroupKind,
    Model, Owner, PhaseAdvice, PhaseModel, PilotFirst, Question, Requirement, Role, Sector,
    Severity, SizeFactors, Spread, Uncertainty,
};
use js_sys::{Array, JSON, Reflect};
use std::cell::RefCell;
use wasm_bindgen::JsValue;

/// A reading failure: where (a JSON Pointer) and what was expected there.
pub type Read<T> = Result<T, String>;

/// The bank shipped with the engine, read once by this module.
pub fn embedded() -> &'static Bank {
    Bank::embedded_with(|json| read(json).expect("the embedded bank is validated by its tests"))
}

/// Reads bank data from JSON text. The engine's `Bank::new` then checks it.
pub fn read(json: &str) -> Read<BankData> {
    let value = JSON::parse(json).map_err(|_| "the bank is not valid JSON".to_string())?;
    let first_error = RefCell::new(None);
    let data = bank(&Node {
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
struct Node<'a> {
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

    fn field(&self, key: &str) -> Node<'a> {
        let value = if self.value.is_object() {
            Reflect::get(&self.value, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
        } else {
            JsValue::UNDEFINED
        };
        self.child(value, format!("{}/{key}", self.path))
    }

    fn fail(&self, expected: &str) {
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

    fn string(&self) -> String {
        self.value.as_string().unwrap_or_else(|| {
            self.fail("a string");
            String::new()
        })
    }

    fn number(&self) -> f64 {
        self.value.as_f64().unwrap_or_else(|| {
            self.fail("a number");
            0.0
        })
    }

    /// A whole number from 0 to `max`.
    fn whole(&self, max: u32) -> u32 {
        match self.value.as_f64() {
            Some(x) if x.fract() == 0.0 && (0.0..=f64::from(max)).contains(&x) => x as u32,
            _ => {
                self.fail(&format!("a whole number from 0 to {max}"));
                0
            }
        }
    }

    fn small(&self) -> u8 {
        self.whole(255) as u8
    }

    fn boolean(&self) -> bool {
        self.value.as_bool().unwrap_or_else(|| {
            self.fail("true or false");
            false
        })
    }

    /// `None` when the field is absent or null, as serde's `default` for an `Option`.
    fn optional<T>(&self, read: impl Fn(&Node<'a>) -> T) -> Option<T> {
        if self.value.is_undefined() || self.value.is_null() {
            None
        } else {
            Some(read(self))
        }
    }

    fn list<T>(&self, item: impl Fn(&Node<'a>) -> T) -> Vec<T> {
        if !Array::is_array(&self.value) {
            self.fail("an array");
            return Vec::new();
        }
        let array = Array::from(&self.value);
        (0..array.length())
            .map(|i| item(&self.child(array.get(i), format!("{}/{i}", self.path))))
            .collect()
    }

    /// Exactly five items (one per maturity level).
    fn five<T: Copy + Default>(&self, item: impl Fn(&Node<'a>) -> T) -> [T; 5] {
        <[T; 5]>::try_from(self.list(item)).unwrap_or_else(|_| {
            self.fail("five items, one per level 0-4");
            [T::default(); 5]
        })
    }

    /// One of the names `options` gives for its values.
    fn one_of<T: Copy>(&self, options: &[(&str, T)]) -> T {
        let name = self.value.as_string().unwrap_or_default();
        match options.iter().find(|(n, _)| *n == name) {
            Some((_, value)) => *value,
            None => {
                let names: Vec<&str> = options.iter().map(|(n, _)| *n).collect();
                self.fail(&format!("one of {}", names.join(", ")));
                options[0].1
            }
        }
    }

    fn strings(&self) -> Vec<String> {
        self.list(Node::string)
    }
}

fn owner(n: &Node) -> Owner {
    n.one_of(&[
        ("leadership", Owner::Leadership),
        ("technical", Owner::Technical),
        ("compliance_legal", Owner::ComplianceLegal),
        ("data", Owner::Data),
        ("third_party", Owner::ThirdParty),
    ])
}

fn severity(n: &Node) -> Severity {
    n.one_of(&[
        ("blocker", Severity::Blocker),
        ("major", Severity::Major),
        ("minor", Severity::Minor),
    ])
}

fn role(n: &Node) -> Role {
    n.one_of(&Role::ALL.map(|r| (r.as_str(), r)))
}

fn framework(n: &Node) -> Framework {
    n.one_of(&Framework::ALL.map(|f| (f.as_str(), f)))
}

fn spread(n: &Node) -> Spread {
    Spread {
        low: n.field("low").number(),
        likely: n.field("likely").number(),
        high: n.field("high").number(),
    }
}

fn group(n: &Node) -> Group {
    Group {
        id: n.field("id").string(),
        title: n.field("title").string(),
        kind: n.field("kind").one_of(&[
            ("clause", GroupKind::Clause),
            ("annex_a", GroupKind::AnnexA),
        ]),
    }
}

fn requirement(n: &Node) -> Requirement {
    Requirement {
        id: n.field("id").string(),
        title: n.field("title").string(),
        group: n.field("group").string(),
    }
}

fn question(n: &Node) -> Question {
    let flag = |key: &str| n.field(key).optional(Node::boolean).unwrap_or_default();
    Question {
        id: n.field("id").string(),
        refs: n.field("refs").strings(),
        quick: n.field("quick").boolean(),
        title: n.field("title").string(),
        text: n.field("text").string(),
        help: n.field("help").string(),
        phase: n.field("phase").optional(Node::small),
        owner: n.field("owner").optional(owner),
        effort_days: n.field("effort_days").optional(Node::number),
        per_system: flag("per_system"),
        risk_sensitive: flag("risk_sensitive"),
        task: n.field("task").optional(Node::string),
        deliverable: n.field("deliverable").optional(Node::string),
        applicability: n.field("applicability").optional(|a| Applicability {
            not_applicable_for_roles: a.field("not_applicable_for_roles").list(role),
            justification: a.field("justification").string(),
        }),
    }
}

fn framework_data(n: &Node) -> FrameworkData {
    FrameworkData {
        id: framework(&n.field("id")),
        name: n.field("name").string(),
        credits: n.field("credits").list(|c| Credit {
            refs: c.field("refs").strings(),
            share: c.field("share").number(),
            basis: c.field("basis").string(),
        }),
        advice: n.field("advice").list(|a| PhaseAdvice {
            phase: a.field("phase").small(),
            text: a.field("text").string(),
        }),
    }
}

fn sector(n: &Node) -> Sector {
    Sector {
        id: n.field("id").string(),
        name: n.field("name").string(),
        factor: n.field("factor").number(),
    }
}

fn phase(n: &Node) -> PhaseModel {
    PhaseModel {
        number: n.field("number").small(),
        name: n.field("name").string(),
        purpose: n.field("purpose").string(),
        owner: owner(&n.field("owner")),
        fixed_effort_days: n.field("fixed_effort_days").number(),
        min_weeks: spread(&n.field("min_weeks")),
        min_weeks_basis: n.field("min_weeks_basis").string(),
        standard_tasks: n.field("standard_tasks").strings(),
        deliverables: n.field("deliverables").strings(),
    }
}

fn model(n: &Node) -> Model {
    let bands = n.field("bands");
    let sizes = n.field("size_factors");
    let uncertainty = n.field("uncertainty");
    let pilot = n.field("pilot_first");
    Model {
        level_points: n.field("level_points").five(Node::number),
        severity_by_level: n.field("severity_by_level").five(|s| s.optional(severity)),
        bands: Bands {
            developing: bands.field("developing").number(),
            advanced: bands.field("advanced").number(),
            audit_ready: bands.field("audit_ready").number(),
        },
        size_factors: SizeFactors {
            up_to_50: sizes.field("1-50").number(),
            up_to_250: sizes.field("51-250").number(),
            up_to_1000: sizes.field("251-1000").number(),
            over_1000: sizes.field("1001+").number(),
        },
        extra_system_factor: n.field("extra_system_factor").number(),
        max_system_factor: n.field("max_system_factor").number(),
        high_risk_factor: n.field("high_risk_factor").number(),
        max_credit: n.field("max_credit").number(),
        unknown_followup_days: n.field("unknown_followup_days").number(),
        days_per_fte_week: n.field("days_per_fte_week").number(),
        operating_period_weeks: spread(&n.field("operating_period_weeks")),
        uncertainty: Uncertainty {
            answered_low: uncertainty.field("answered_low").number(),
            answered_high: uncertainty.field("answered_high").number(),
            unknown_low_level: uncertainty.field("unknown_low_level").small(),
            unknown_high: uncertainty.field("unknown_high").number(),
            quick_low: uncertainty.field("quick_low").number(),
            quick_high: uncertainty.field("quick_high").number(),
        },
        pilot_first: PilotFirst {
            min_systems: pilot.field("min_systems").whole(u32::MAX),
            task: pilot.field("task").string(),
            advice: pilot.field("advice").string(),
        },
        phases: n.field("phases").list(phase),
    }
}

fn bank(n: &Node) -> BankData {
    if !n.value.is_object() || Array::is_array(&n.value) {
        n.fail("an object");
    }
    BankData {
        id: n.field("id").string(),
        version: n.field("version").string(),
        title: n.field("title").string(),
        groups: n.field("groups").list(group),
        requirements: n.field("requirements").list(requirement),
        questions: n.field("questions").list(question),
        frameworks: n.field("frameworks").list(framework_data),
        sectors: n.field("sectors").list(sector),
        model: model(&n.field("model")),
    }
}
