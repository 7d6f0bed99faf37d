//! The assessment as it arrives on the wire: mode, organisation profile and answers.

use crate::Date;
use crate::names::named_enum;
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

named_enum! {
    /// Which set of questions an assessment answers.
    pub enum Mode {
        /// The quick quiz: one question per major area, extrapolated to the full model.
        Quick = "quick" / "Quick quiz",
        /// The full gap assessment: every clause subclause and every Annex A control.
        Full = "full" / "Full assessment",
    }
}

named_enum! {
    /// Head-count band of the organisation, smallest first.
    pub enum Size {
        /// 1 to 50 people.
        UpTo50 = "1-50" / "1–50 people",
        /// 51 to 250 people.
        UpTo250 = "51-250" / "51–250 people",
        /// 251 to 1000 people.
        UpTo1000 = "251-1000" / "251–1,000 people",
        /// More than 1000 people.
        Over1000 = "1001+" / "More than 1,000 people",
    }
}

named_enum! {
    /// How the organisation relates to AI.
    pub enum Role {
        /// Designs, trains or provides AI systems.
        Develops = "develops" / "Develops AI systems",
        /// Uses AI systems built by others.
        Uses = "uses" / "Uses AI systems built by others",
        /// Both develops and uses.
        Both = "both" / "Develops and uses AI systems",
    }
}

named_enum! {
    /// A management system or programme the organisation already runs. Its name and
    /// credits are the bank's (`frameworks`).
    pub enum Framework {
        /// ISO/IEC 27001 information security management system.
        Iso27001 = "iso27001",
        /// NIST AI Risk Management Framework.
        NistAiRmf = "nist_ai_rmf",
        /// A GDPR privacy programme.
        Gdpr = "gdpr",
        /// ISO 9001 quality management system.
        Iso9001 = "iso9001",
        /// SOC 2 attestation.
        Soc2 = "soc2",
        /// EU AI Act preparation.
        EuAiAct = "eu_ai_act",
    }
}

fn default_sector() -> String {
    "other".to_string()
}

/// The organisation being assessed. Shapes the effort estimate and the roadmap.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// Head-count band.
    pub size: Size,
    /// Number of AI systems in the AIMS scope (0 while the first is still planned).
    pub ai_systems: u32,
    /// Develops, uses, or both.
    pub role: Role,
    /// Sector ID from the bank's sector list (default `"other"`).
    #[serde(default = "default_sector")]
    pub sector: String,
    /// Whether any system in scope is high-risk (for example under the EU AI Act).
    #[serde(default)]
    pub high_risk: bool,
    /// Frameworks already in place.
    #[serde(default)]
    pub frameworks: Vec<Framework>,
    /// People available for the programme, in full-time equivalents.
    pub capacity_fte: f64,
    /// When the programme starts; the roadmap has dates only when this is set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date: Option<Date>,
}

/// A maturity level 0–4, built only valid.
///
/// ```
/// use aims_engine::Level;
/// assert_eq!(Level::new(3).map(Level::get), Some(3));
/// assert!(Level::new(5).is_none());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Level(u8);

impl Level {
    /// Not started.
    pub const NOT_STARTED: Level = Level(0);
    /// Ad hoc: something happens, undocumented.
    pub const AD_HOC: Level = Level(1);
    /// Defined: documented and approved.
    pub const DEFINED: Level = Level(2);
    /// Implemented: operating, with evidence. What certification needs.
    pub const IMPLEMENTED: Level = Level(3);
    /// Measured and improving.
    pub const MEASURED: Level = Level(4);

    /// The level, if `value` is 0–4.
    pub fn new(value: u8) -> Option<Level> {
        (value <= 4).then_some(Level(value))
    }

    /// The level as a number 0–4.
    pub fn get(self) -> u8 {
        self.0
    }
}

/// An answer's level exactly as sent: any integer or any text, judged by validation
/// so that the error can name the question.
#[derive(Debug, Clone, PartialEq)]
pub enum RawLevel {
    /// A JSON number (integers only; fractions are kept as out of range).
    Number(i64),
    /// A JSON number that is not an integer.
    Fraction(f64),
    /// A JSON string.
    Text(String),
}

impl Serialize for RawLevel {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            RawLevel::Number(n) => s.serialize_i64(*n),
            RawLevel::Fraction(x) => s.serialize_f64(*x),
            RawLevel::Text(t) => s.serialize_str(t),
        }
    }
}

impl<'de> Deserialize<'de> for RawLevel {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<RawLevel, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = RawLevel;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a level 0-4, \"unknown\" or \"not_applicable\"")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawLevel, E> {
                Ok(RawLevel::Number(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawLevel, E> {
                Ok(RawLevel::Number(i64::try_from(v).unwrap_or(i64::MAX)))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<RawLevel, E> {
                Ok(RawLevel::Fraction(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawLevel, E> {
                Ok(RawLevel::Text(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

impl RawLevel {
    pub(crate) fn render(&self) -> String {
        match self {
            RawLevel::Number(n) => n.to_string(),
            RawLevel::Fraction(x) => crate::num::decimal(*x),
            RawLevel::Text(t) => format!("\"{}\"", t.chars().take(40).collect::<String>()),
        }
    }
}

/// One answer as sent.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerInput {
    /// The question's ID (`"q-4-1"`).
    pub question: String,
    /// 0–4, `"unknown"` or `"not_applicable"`.
    pub level: RawLevel,
    /// Why the control does not apply; required with `not_applicable`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub justification: Option<String>,
}

impl AnswerInput {
    /// An answer with a maturity level.
    pub fn level(question: &str, level: u8) -> AnswerInput {
        AnswerInput {
            question: question.to_string(),
            level: RawLevel::Number(i64::from(level)),
            justification: None,
        }
    }

    /// A "don't know" answer.
    pub fn unknown(question: &str) -> AnswerInput {
        AnswerInput {
            question: question.to_string(),
            level: RawLevel::Text("unknown".to_string()),
            justification: None,
        }
    }

    /// A "not applicable" answer with its justification.
    pub fn not_applicable(question: &str, justification: &str) -> AnswerInput {
        AnswerInput {
            question: question.to_string(),
            level: RawLevel::Text("not_applicable".to_string()),
            justification: Some(justification.to_string()),
        }
    }
}

/// A whole assessment as sent by the widget or an integrator (wire format v1).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssessmentInput {
    /// Quick quiz or full assessment.
    pub mode: Mode,
    /// The bank version the answers were given against; checked when present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bank_version: Option<String>,
    /// The organisation.
    pub profile: Profile,
    /// The answers; unanswered questions count as `unknown`.
    #[serde(default)]
    pub answers: Vec<AnswerInput>,
}

impl AssessmentInput {
    /// Reads an assessment from JSON; a failure names the offending field.
    ///
    /// ```
    /// let err = aims_engine::AssessmentInput::from_json(
    ///     r#"{"mode":"quick","profile":{"size":"huge","ai_systems":1,"role":"uses","capacity_fte":1}}"#,
    /// ).unwrap_err();
    /// assert_eq!(err.pointer(), "/profile/size");
    /// ```
    pub fn from_json(json: &str) -> Result<AssessmentInput, crate::Error> {
        crate::error::from_json(json)
    }

    /// Reads an assessment from an already parsed JSON value (for callers that take other
    /// fields out of the same document first); a failure names the offending field.
    ///
    /// ```
    /// let value = serde_json::json!({"mode": "full", "profile": {"size": "1-50",
    ///     "ai_systems": "two", "role": "uses", "capacity_fte": 1}});
    /// let err = aims_engine::AssessmentInput::from_value(value).unwrap_err();
    /// assert_eq!(err.pointer(), "/profile/ai_systems");
    /// ```
    pub fn from_value(value: serde_json::Value) -> Result<AssessmentInput, crate::Error> {
        crate::error::from_json_value(value, "")
    }
}

/// A validated answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// A maturity level.
    Level(Level),
    /// "Don't know": scored as level 0, widens the estimate.
    Unknown,
    /// The control does not apply, with the reason (Annex A only).
    NotApplicable(String),
}

/// What a requirement's answer was, as shown in results (`3`, `"unknown"`, `"not_applicable"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// A maturity level.
    Level(Level),
    /// Not known (or not answered).
    Unknown,
    /// Excluded with a justification.
    NotApplicable,
}

impl Status {
    /// The wire form as text (`0`–`4`, `unknown`, `not_applicable`), as the CSV files write it.
    pub fn code(self) -> std::borrow::Cow<'static, str> {
        match self {
            Status::Level(level) => level.get().to_string().into(),
            Status::Unknown => "unknown".into(),
            Status::NotApplicable => "not_applicable".into(),
        }
    }

    /// How an answer is shown in reports (`3 — implemented`, `Unknown`).
    pub fn label(self) -> std::borrow::Cow<'static, str> {
        match self {
            Status::Level(level) => {
                let name = match level.get() {
                    0 => "not started",
                    1 => "ad hoc",
                    2 => "defined",
                    3 => "implemented",
                    _ => "measured",
                };
                format!("{} — {name}", level.get()).into()
            }
            Status::Unknown => "Unknown".into(),
            Status::NotApplicable => "Not applicable".into(),
        }
    }
}

impl Serialize for Status {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Status::Level(l) => s.serialize_u8(l.get()),
            Status::Unknown => s.serialize_str("unknown"),
            Status::NotApplicable => s.serialize_str("not_applicable"),
        }
    }
}

impl<'de> Deserialize<'de> for Status {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Status, D::Error> {
        match RawLevel::deserialize(d)? {
            RawLevel::Number(n) => u8::try_from(n)
                .ok()
                .and_then(Level::new)
                .map(Status::Level)
                .ok_or_else(|| de::Error::custom(format!("level {n} is not 0-4"))),
            RawLevel::Text(t) if t == "unknown" => Ok(Status::Unknown),
            RawLevel::Text(t) if t == "not_applicable" => Ok(Status::NotApplicable),
            other => Err(de::Error::custom(format!(
                "{} is not a level",
                other.render()
            ))),
        }
    }
}
