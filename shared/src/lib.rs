//! The AIMS Readiness engine: how far an organisation is from ISO/IEC 42001
//! certification, what is missing, how long it will take and in what order to work.
//!
//! The engine is pure (no I/O, no clock, no randomness) and deterministic: the same
//! input gives the same bytes, natively and in WebAssembly. Everything it assumes —
//! the questions, the effort weights, the size and scope factors, the credits for
//! frameworks already in place, the lead times — lives in one versioned data file,
//! [`DEFAULT_BANK_JSON`], so every figure can be traced back to data. The method is
//! described in `docs/METHOD.md`.
//!
//! # Shape
//!
//! - A [`Bank`] holds the questions (a quick quiz and a full assessment covering every
//!   clause 4–10 subclause and all 38 Annex A controls) and the estimator's model.
//! - An [`AssessmentInput`] is what the widget or an integrator sends: mode, an
//!   organisation [`Profile`] and answers (level 0–4, `"unknown"`, or
//!   `"not_applicable"` with a justification).
//! - [`Bank::validate`] turns it into an [`Assessment`] or an [`Error`] listing every
//!   problem with a JSON Pointer; [`Bank::evaluate`] turns an assessment into an
//!   [`Evaluation`]: readiness scores and gaps, an effort and calendar [`Estimate`]
//!   with its derivation, and the six-phase [`Roadmap`].
//!
//! # Example
//!
//! ```
//! use aims_engine::{AssessmentInput, Bank, Band, Severity};
//!
//! let input = AssessmentInput::from_json(r#"{
//!     "mode": "quick",
//!     "bank_version": "1.0.0",
//!     "profile": { "size": "51-250", "ai_systems": 3, "role": "develops",
//!                  "sector": "finance", "high_risk": false,
//!                  "frameworks": ["iso27001", "gdpr"], "capacity_fte": 1.5,
//!                  "start_date": "2027-01-04" },
//!     "answers": [ { "question": "q-quick-context", "level": 3 },
//!                  { "question": "q-quick-audit", "level": 1 },
//!                  { "question": "q-quick-development", "level": "unknown" } ]
//! }"#)?;
//!
//! let bank = Bank::embedded();
//! let evaluation = bank.evaluate(&bank.validate(&input)?);
//!
//! let result = &evaluation.result;
//! assert!((0.0..=100.0).contains(&result.overall));
//! // Internal audit at level 1 is a certification blocker, so "audit ready" is out of reach.
//! assert!(result.gaps.iter().any(|g| g.reference == "9.2" && g.severity == Severity::Blocker));
//! assert_ne!(result.band, Band::AuditReady);
//!
//! let estimate = &evaluation.estimate;
//! assert!(estimate.weeks_to_ready.low <= estimate.weeks_to_ready.likely);
//! assert!(!estimate.explain.is_empty());
//!
//! let phases = &evaluation.roadmap.phases;
//! assert_eq!(phases.iter().map(|p| p.number).collect::<Vec<_>>(), [1, 2, 3, 4, 5, 6]);
//! assert_eq!(phases[0].start.unwrap().to_string(), "2027-01-04");
//! # Ok::<(), aims_engine::Error>(())
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod bank;
mod date;
mod error;
mod estimate;
mod evaluate;
mod input;
mod lead;
mod names;
pub mod num;
#[cfg(feature = "openapi")]
mod openapi;
mod roadmap;
mod soa;
mod text;
mod validate;

pub use bank::{
    AfterCertification, Applicability, AppliesBecause, AppliesWhen, Bands, Bank, BankData,
    CallToAction, Credit, DEFAULT_BANK_JSON, DEFAULT_CTA_LABEL, FrameworkData, Group, GroupKind,
    MAX_CTA_LABEL_CHARS, Model, Owner, PerCustomisation, PerRisk, PerSize, PhaseAdvice, PhaseModel,
    PilotFirst, ProhibitedModel, Question, Requirement, RoleModel, Sector, Site, SizeModel,
    SoaModel, Source, Spread, SystemModel, Uncertainty,
};
pub use date::Date;
#[cfg(feature = "pointers")]
pub use error::from_json_str;
pub use error::{Error, Problem, ProblemKind, from_json_value};
pub use evaluate::{
    Action, Advice, Band, Estimate, Evaluation, Explanation, FirstScope, Gap, GapBasis, GroupScore,
    PhaseEstimate, Range, Readiness, RequirementScore, Roadmap, RoadmapPhase, Severity, Task, Year,
};
pub use input::{
    AiSystem, Answer, AnswerInput, AssessmentInput, Customisation, Framework, Level, Mode, Origin,
    Profile, RawLevel, RiskTier, Role, Size, SoaFields, Status,
};
pub use lead::{
    Lead, LeadProblem, MAX_NAME_CHARS, MAX_PHONE_CHARS, MAX_ROLE_CHARS, valid_email, valid_phone,
};
pub use names::{Named, UnknownName};
pub use num::Figure;
pub use soa::{SoaControl, StatementOfApplicability};
pub use text::{Text, TextList, forbidden_char};
pub use validate::{
    Assessment, MAX_AI_SYSTEMS, MAX_JUSTIFICATION_CHARS, MAX_SOA_APPROVER_CHARS,
    MAX_SOA_VERSION_CHARS, MAX_SYSTEM_NAME_CHARS, MAX_SYSTEM_PURPOSE_CHARS, MAX_V1_AI_SYSTEMS,
    v1_inventory,
};

/// Validates and evaluates JSON with the embedded bank, returning the evaluation as JSON.
///
/// The convenience used by thin callers (a Wasm export, a script).
///
/// ```
/// let out = aims_engine::evaluate_json(
///     r#"{"mode":"quick","profile":{"size":"1-50","ai_systems":1,"role":"uses","capacity_fte":0.5}}"#,
/// ).unwrap();
/// assert!(out.contains("\"band\":\"early\""));
/// ```
pub fn evaluate_json(json: &str) -> Result<String, Error> {
    let input = AssessmentInput::from_json(json)?;
    let evaluation = Bank::embedded().evaluate_input(&input)?;
    Ok(serde_json::to_string(&evaluation).expect("evaluations serialise"))
}
