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

named_enum! {
    /// Who built an AI system.
    pub enum Origin {
        /// Designed or trained by the organisation.
        InHouse = "in_house" / "Built in-house",
        /// Bought, licensed or used as a service.
        ThirdParty = "third_party" / "Bought or used as a service",
    }
}

named_enum! {
    /// How the organisation adapts an AI system it did not build.
    pub enum Customisation {
        /// Used as delivered.
        None = "none" / "Used as delivered",
        /// Instructions and prompts only.
        Prompting = "prompting" / "Prompting",
        /// Fed with the organisation's own documents or data at run time (retrieval).
        Rag = "rag" / "Retrieval of our own data (RAG)",
        /// Further trained on the organisation's data.
        FineTuning = "fine_tuning" / "Fine-tuning",
    }
}

named_enum! {
    /// EU AI Act risk tier of a system, most severe first.
    pub enum RiskTier {
        /// A prohibited practice (Art. 5): it has to stop, whatever the AIMS.
        Prohibited = "prohibited" / "Prohibited practice",
        /// High-risk (Art. 6, Annex III).
        High = "high" / "High-risk",
        /// Transparency obligations (Art. 50).
        Limited = "limited" / "Transparency obligations",
        /// Minimal risk.
        Minimal = "minimal" / "Minimal risk",
    }
}

fn default_sector() -> String {
    "other".to_string()
}

fn no_customisation() -> Customisation {
    Customisation::None
}

/// One AI system in the AIMS scope: what it is decides which controls apply and how much
/// work it brings.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AiSystem {
    /// What the organisation calls it (`"Claims triage"`), 1–120 characters.
    pub name: String,
    /// Built in-house or bought.
    pub origin: Origin,
    /// How it is adapted (default `none`).
    #[serde(default = "no_customisation")]
    pub customisation: Customisation,
    /// Whether customers use it or get its output.
    #[serde(default)]
    pub offered_to_customers: bool,
    /// EU AI Act risk tier.
    pub risk: RiskTier,
    /// Who answers for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<crate::Owner>,
    /// What it is for, up to 500 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purpose: Option<String>,
}

impl AiSystem {
    /// A system with the given name, origin and risk tier, used as delivered and internally.
    pub fn new(name: &str, origin: Origin, risk: RiskTier) -> AiSystem {
        AiSystem {
            name: name.to_string(),
            origin,
            customisation: Customisation::None,
            offered_to_customers: false,
            risk,
            owner: None,
            purpose: None,
        }
    }

    /// Whether the organisation builds or trains it (in-house, or fine-tuned).
    pub fn is_developed(&self) -> bool {
        self.origin == Origin::InHouse || self.customisation == Customisation::FineTuning
    }

    /// Whether data the organisation prepares goes into it (training, fine-tuning, retrieval).
    pub fn uses_own_data(&self) -> bool {
        self.is_developed() || self.customisation == Customisation::Rag
    }
}

/// The organisation being assessed. Shapes applicability, the effort estimate and the roadmap.
///
/// The AI systems in scope are given as `systems`, or, as in version 1 of the wire format,
/// as `ai_systems` + `role` (+ `high_risk`), which the engine maps to an equivalent
/// inventory (`docs/METHOD.md`). Giving both forms is an error.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// Head-count band.
    pub size: Size,
    /// Head count, which refines `size` (it must fall inside the band).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employees: Option<u32>,
    /// Sector ID from the bank's sector list (default `"other"`).
    #[serde(default = "default_sector")]
    pub sector: String,
    /// Frameworks already in place.
    #[serde(default)]
    pub frameworks: Vec<Framework>,
    /// People available for the programme, in full-time equivalents.
    pub capacity_fte: f64,
    /// When the programme starts; the roadmap has dates only when this is set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date: Option<Date>,
    /// The AI systems in scope, at most 200 (an empty list while the first is planned).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub systems: Option<Vec<AiSystem>>,
    /// Version 1: number of AI systems in scope (instead of `systems`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ai_systems: Option<u32>,
    /// Version 1: develops, uses, or both (instead of `systems`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    /// Version 1: whether any system in scope is high-risk (instead of `systems`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub high_risk: Option<bool>,
}

impl Profile {
    /// The AI systems in scope: `systems`, or the inventory a version 1 profile maps to
    /// ([`crate::v1_inventory`]).
    pub fn inventory(&self) -> std::borrow::Cow<'_, [AiSystem]> {
        match (&self.systems, self.ai_systems, self.role) {
            (Some(systems), ..) => systems.as_slice().into(),
            (None, Some(count), Some(role)) => {
                crate::v1_inventory(count, role, self.high_risk.unwrap_or(false)).into()
            }
            _ => Vec::new().into(),
        }
    }

    /// A profile with an inventory and nothing else optional.
    pub fn new(size: Size, capacity_fte: f64, systems: Vec<AiSystem>) -> Profile {
        Profile {
            size,
            employees: None,
            sector: default_sector(),
            frameworks: Vec::new(),
            capacity_fte,
            start_date: None,
            systems: Some(systems),
            ai_systems: None,
            role: None,
            high_risk: None,
        }
    }
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
    /// The Statement of Applicability's document fields, when the organisation sets them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub soa: Option<SoaFields>,
}

/// The Statement of Applicability's document fields. Until they are set, the statement is
/// a draft with no date and no approval.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SoaFields {
    /// The document's version (`"1.0"`), 1–32 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The date of this version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub date: Option<Date>,
    /// Who approved it (a name or a role), 1–120 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approved_by: Option<String>,
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
