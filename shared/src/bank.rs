//! The question bank and every assumption of the estimator, read from versioned data.

use crate::error::Error;
use crate::input::{Framework, Role, Size};
use crate::names::named_enum;
use crate::text::{Text, TextList};
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// Refuses the bank, with `reason` (a format string and its arguments) at `pointer`, if
/// `broken` holds.
macro_rules! fail_if {
    ($broken:expr, $pointer:expr, $($reason:tt)+) => {
        if $broken {
            return Err(Error::bank($pointer, format!($($reason)+)));
        }
    };
}

/// The default bank, embedded at compile time.
pub const DEFAULT_BANK_JSON: &str = include_str!("../data/bank.json");

/// The same bank without insignificant whitespace (written by `build.rs`): what
/// [`Bank::embedded`] parses, so the widget's Wasm carries a fifth less text.
const EMBEDDED_BANK_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/bank.min.json"));

named_enum! {
    /// Who owns a piece of work in the roadmap.
    pub enum Owner {
        /// Executive sponsor and management.
        Leadership = "leadership" / "Leadership",
        /// Engineering, ML and IT teams.
        Technical = "technical" / "Technical teams",
        /// Compliance, risk, privacy and legal.
        ComplianceLegal = "compliance_legal" / "Compliance & Legal",
        /// Data owners and data engineering.
        Data = "data" / "Data teams",
        /// Suppliers, partners and customers (managed through procurement and contracts).
        ThirdParty = "third_party" / "Third-party partners",
    }
}

named_enum! {
    /// Kind of requirement group.
    pub enum GroupKind {
        /// A management-system clause (4–10): mandatory.
        Clause = "clause",
        /// An Annex A control objective: controls may be excluded with a justification.
        AnnexA = "annex_a",
    }
}

/// A clause or an Annex A objective.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    /// `"6"` or `"A.6"`.
    pub id: String,
    /// Short title.
    pub title: String,
    /// Clause or Annex A objective.
    pub kind: GroupKind,
}

/// One requirement of the standard: a clause subclause or an Annex A control.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Requirement {
    /// `"6.1.2"` or `"A.6.2.4"`.
    pub id: String,
    /// Short title.
    pub title: String,
    /// The group (`"6"`, `"A.6"`).
    pub group: String,
}

/// When a question is proposed as not applicable, and the justification offered.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Applicability {
    /// Roles for which the question is proposed as not applicable.
    pub not_applicable_for_roles: Vec<Role>,
    /// The justification suggested for the Statement of Applicability.
    pub justification: String,
}

/// A question. Full-mode questions carry the estimator data for the work they stand for;
/// quick questions stand for a named group of requirements.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// Stable ID (`"q-6-1-2"`).
    pub id: String,
    /// The requirement IDs the question covers.
    pub refs: Vec<String>,
    /// Whether it belongs to the quick quiz (otherwise to the full assessment).
    pub quick: bool,
    /// Short title.
    pub title: String,
    /// The question.
    pub text: String,
    /// What "implemented" looks like, with example evidence.
    pub help: String,
    /// Roadmap phase (1–6) the work belongs to. Full questions only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phase: Option<u8>,
    /// Who owns the work. Full questions only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<Owner>,
    /// Person-days from nothing to implemented, for the reference organisation. Full only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effort_days: Option<f64>,
    /// Whether the work grows with the number of AI systems in scope.
    #[serde(default, skip_serializing_if = "is_false")]
    pub per_system: bool,
    /// Whether high-risk systems make the work heavier.
    #[serde(default, skip_serializing_if = "is_false")]
    pub risk_sensitive: bool,
    /// The roadmap task, as an imperative phrase. Full only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task: Option<String>,
    /// The main output of the task. Full only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deliverable: Option<String>,
    /// When the question is proposed as not applicable (Annex A only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applicability: Option<Applicability>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// How much an existing framework shortens the work on some requirements.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Credit {
    /// Requirement IDs.
    pub refs: Vec<String>,
    /// Share of the remaining work saved, 0–0.9.
    pub share: f64,
    /// Why: which part of the framework is reused.
    pub basis: String,
}

/// Advice for one roadmap phase when a framework is in place.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhaseAdvice {
    /// Phase number 1–6.
    pub phase: u8,
    /// The advice.
    pub text: String,
}

/// A framework the organisation may already run, with its credits and reuse advice.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrameworkData {
    /// Which framework.
    pub id: Framework,
    /// Display name.
    pub name: String,
    /// Credits on requirements.
    pub credits: Vec<Credit>,
    /// Reuse advice per phase.
    pub advice: Vec<PhaseAdvice>,
}

/// A sector and how much more evidence and review it tends to need.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sector {
    /// `"finance"`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Effort multiplier, 0.5–2.
    pub factor: f64,
}

/// A low / likely / high triple of numbers.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spread {
    /// Optimistic.
    pub low: f64,
    /// Most likely.
    pub likely: f64,
    /// Pessimistic.
    pub high: f64,
}

/// One of the six roadmap phases.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhaseModel {
    /// 1–6.
    pub number: u8,
    /// `"Planning & Scoping"`.
    pub name: String,
    /// What the phase is for.
    pub purpose: String,
    /// Who leads it.
    pub owner: Owner,
    /// Work every programme does in this phase, person-days for the reference organisation.
    pub fixed_effort_days: f64,
    /// Shortest calendar duration in weeks, whatever the effort (lead times).
    pub min_weeks: Spread,
    /// Why the phase takes at least that long.
    pub min_weeks_basis: String,
    /// Tasks every programme does in this phase.
    pub standard_tasks: Vec<String>,
    /// Documents and records the phase produces.
    pub deliverables: Vec<String>,
}

/// Effort factors by organisation size.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SizeFactors {
    /// 1–50 people.
    #[serde(rename = "1-50")]
    pub up_to_50: f64,
    /// 51–250 people (the reference).
    #[serde(rename = "51-250")]
    pub up_to_250: f64,
    /// 251–1000 people.
    #[serde(rename = "251-1000")]
    pub up_to_1000: f64,
    /// More than 1000 people.
    #[serde(rename = "1001+")]
    pub over_1000: f64,
}

impl SizeFactors {
    /// The factor for a band.
    pub fn get(&self, size: Size) -> f64 {
        match size {
            Size::UpTo50 => self.up_to_50,
            Size::UpTo250 => self.up_to_250,
            Size::UpTo1000 => self.up_to_1000,
            Size::Over1000 => self.over_1000,
        }
    }
}

/// Score thresholds of the bands.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bands {
    /// Lowest score of "developing".
    pub developing: f64,
    /// Lowest score of "advanced".
    pub advanced: f64,
    /// Lowest score of "audit_ready" (which also needs zero blockers).
    pub audit_ready: f64,
}

/// How uncertain the effort is, as multipliers on the likely figure.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Uncertainty {
    /// Low multiplier for an answered requirement.
    pub answered_low: f64,
    /// High multiplier for an answered requirement.
    pub answered_high: f64,
    /// For an unknown answer the low figure assumes this level instead of 0.
    pub unknown_low_level: u8,
    /// Extra high multiplier for an unknown answer.
    pub unknown_high: f64,
    /// Extra low multiplier in quick mode (extrapolated answers).
    pub quick_low: f64,
    /// Extra high multiplier in quick mode.
    pub quick_high: f64,
}

/// Advice when many AI systems are in scope.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PilotFirst {
    /// From this many systems on, the roadmap advises a pilot.
    pub min_systems: u32,
    /// The task added to phase 1.
    pub task: String,
    /// The advice shown with phase 1.
    pub advice: String,
}

/// Every assumption of the estimator. See `docs/METHOD.md` for why each value is what it is.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Model {
    /// Readiness points (0–100) per maturity level 0–4; level 3 must give 100.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<f64>))]
    pub level_points: [f64; 5],
    /// Severity of a gap at levels 0–4 (`null`: no gap).
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Option<crate::Severity>>))]
    pub severity_by_level: [Option<crate::Severity>; 5],
    /// Band thresholds.
    pub bands: Bands,
    /// Effort factor by size band.
    pub size_factors: SizeFactors,
    /// Added per AI system beyond the first, on per-system work.
    pub extra_system_factor: f64,
    /// Cap on the per-system factor.
    pub max_system_factor: f64,
    /// Factor on risk-sensitive work when any system is high-risk.
    pub high_risk_factor: f64,
    /// Cap on the combined framework credit on one requirement.
    pub max_credit: f64,
    /// Person-days in phase 2 to find out each unknown answer.
    pub unknown_followup_days: f64,
    /// Productive programme days per FTE per week.
    pub days_per_fte_week: f64,
    /// Weeks controls must operate, producing records, before the internal audit.
    pub operating_period_weeks: Spread,
    /// Uncertainty multipliers.
    pub uncertainty: Uncertainty,
    /// Pilot-first advice.
    pub pilot_first: PilotFirst,
    /// The six phases, in order.
    pub phases: Vec<PhaseModel>,
}

/// The bank file's content: questions, requirements, frameworks, sectors and the model.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BankData {
    /// `"iso42001-readiness"`.
    pub id: String,
    /// Semantic version of the bank; stored with every result.
    pub version: String,
    /// Display title.
    pub title: String,
    /// Clauses and Annex A objectives, in order.
    pub groups: Vec<Group>,
    /// Every requirement, in order.
    pub requirements: Vec<Requirement>,
    /// Full-mode and quick questions.
    pub questions: Vec<Question>,
    /// Frameworks with credits and advice.
    pub frameworks: Vec<FrameworkData>,
    /// Sectors.
    pub sectors: Vec<Sector>,
    /// Estimator assumptions.
    pub model: Model,
}

/// Precomputed facts about one full-mode question (an "item" of the model).
#[derive(Debug, Clone)]
pub(crate) struct Item {
    pub question: u16,
    pub quick_parent: u16,
    pub mandatory: bool,
    pub phase: u8,
    pub owner: Owner,
    pub effort_days: f64,
}

/// A validated question bank, ready to evaluate assessments.
///
/// ```
/// let bank = aims_engine::Bank::embedded();
/// assert_eq!(bank.data().version, "1.0.0");
/// assert!(bank.question("q-6-1-2").is_some());
/// ```
#[derive(Debug, Clone)]
pub struct Bank {
    pub(crate) data: BankData,
    /// Question IDs sorted, with their index in `data.questions`.
    pub(crate) by_id: Vec<(String, u16)>,
    /// Full-mode questions, in bank order.
    pub(crate) items: Vec<Item>,
    /// For each question: whether "not applicable" is allowed (all refs are Annex A).
    pub(crate) na_allowed: Vec<bool>,
    /// For each requirement: its group index.
    pub(crate) requirement_group: Vec<u16>,
    /// For each requirement: its weight (owning item's effort shared among its refs).
    pub(crate) requirement_weight: Vec<f64>,
    /// For each requirement: index of the item covering it.
    pub(crate) requirement_item: Vec<u16>,
    /// For each item and framework (in `Framework` order of `data.frameworks`): credit share.
    pub(crate) item_credits: Vec<Vec<f64>>,
    /// The bank's text, shared into results without copying.
    pub(crate) text: Texts,
}

/// Text quoted by results, prepared once per bank.
#[derive(Debug, Clone)]
pub(crate) struct Texts {
    pub bank_id: Text,
    pub version: Text,
    pub requirement_id: Vec<Text>,
    pub requirement_title: Vec<Text>,
    pub requirement_group: Vec<Text>,
    pub group_id: Vec<Text>,
    pub group_title: Vec<Text>,
    pub question_id: Vec<Text>,
    pub question_title: Vec<Text>,
    pub question_refs: Vec<TextList>,
    pub question_task: Vec<Text>,
    pub question_deliverable: Vec<Option<Text>>,
    pub phase_name: Vec<Text>,
    pub phase_purpose: Vec<Text>,
    pub phase_tasks: Vec<Vec<Text>>,
    pub phase_deliverables: Vec<TextList>,
    pub framework_name: Vec<Text>,
    pub framework_advice: Vec<Vec<(u8, Text)>>,
    pub pilot_task: Text,
    pub pilot_advice: Text,
    pub pilot_refs: TextList,
}

impl Texts {
    /// `forever`: the bank lives as long as the program (the embedded one), so its text
    /// is leaked once and shared without reference counting.
    fn new(d: &BankData, forever: bool) -> Texts {
        let t = |s: &String| {
            if forever {
                Text::from_static(String::leak(s.clone()))
            } else {
                Text::from(s.as_str())
            }
        };
        let list = |items: Vec<Text>| TextList::new(items, forever);
        Texts {
            bank_id: t(&d.id),
            version: t(&d.version),
            requirement_id: d.requirements.iter().map(|r| t(&r.id)).collect(),
            requirement_title: d.requirements.iter().map(|r| t(&r.title)).collect(),
            requirement_group: d.requirements.iter().map(|r| t(&r.group)).collect(),
            group_id: d.groups.iter().map(|g| t(&g.id)).collect(),
            group_title: d.groups.iter().map(|g| t(&g.title)).collect(),
            question_id: d.questions.iter().map(|q| t(&q.id)).collect(),
            question_title: d.questions.iter().map(|q| t(&q.title)).collect(),
            question_refs: d
                .questions
                .iter()
                .map(|q| list(q.refs.iter().map(t).collect()))
                .collect(),
            question_task: d
                .questions
                .iter()
                .map(|q| t(q.task.as_ref().unwrap_or(&String::new())))
                .collect(),
            question_deliverable: d
                .questions
                .iter()
                .map(|q| q.deliverable.as_ref().map(t))
                .collect(),
            phase_name: d.model.phases.iter().map(|p| t(&p.name)).collect(),
            phase_purpose: d.model.phases.iter().map(|p| t(&p.purpose)).collect(),
            phase_tasks: d
                .model
                .phases
                .iter()
                .map(|p| p.standard_tasks.iter().map(t).collect())
                .collect(),
            phase_deliverables: d
                .model
                .phases
                .iter()
                .map(|p| list(p.deliverables.iter().map(t).collect()))
                .collect(),
            framework_name: d.frameworks.iter().map(|f| t(&f.name)).collect(),
            framework_advice: d
                .frameworks
                .iter()
                .map(|f| f.advice.iter().map(|a| (a.phase, t(&a.text))).collect())
                .collect(),
            pilot_task: t(&d.model.pilot_first.task),
            pilot_advice: t(&d.model.pilot_first.advice),
            pilot_refs: list(vec![t(&"4.3".to_string())]),
        }
    }
}

static EMBEDDED: OnceLock<Bank> = OnceLock::new();

fn at(path: &str, index: usize, field: &str) -> String {
    format!("/{path}/{index}/{field}")
}

impl Bank {
    /// The bank shipped with the engine, parsed once.
    pub fn embedded() -> &'static Bank {
        // Plain serde_json, without the JSON Pointer tracking of `from_json`: the embedded
        // bank is checked by the tests.
        Bank::embedded_with(|json| {
            serde_json::from_str(json).expect("the embedded bank is validated by its tests")
        })
    }

    /// The bank shipped with the engine, read from its JSON text by `read` the first time
    /// (later calls, and [`Bank::embedded`], return that bank). For a program that reads
    /// JSON by other means than serde, such as the widget, where serde's generated readers
    /// for the bank's types would be a sixth of the download.
    pub fn embedded_with(read: fn(&str) -> BankData) -> &'static Bank {
        EMBEDDED.get_or_init(|| {
            let mut bank = Bank::new(read(EMBEDDED_BANK_JSON))
                .expect("the embedded bank is validated by its tests");
            bank.text = Texts::new(&bank.data, true);
            bank
        })
    }

    /// Reads and validates a bank; the error names the first inconsistency.
    pub fn from_json(json: &str) -> Result<Bank, Error> {
        let data: BankData = crate::error::from_json(json)?;
        Bank::new(data)
    }

    /// Validates bank data: unique IDs, valid references, weights and factors in range,
    /// every requirement covered exactly once in each mode.
    pub fn new(data: BankData) -> Result<Bank, Error> {
        fail_if!(data.id.trim().is_empty(), "/id", "the bank needs an id");
        fail_if!(
            !is_version(&data.version),
            "/version",
            "version must look like 1.0.0"
        );
        // Groups.
        for (i, g) in data.groups.iter().enumerate() {
            fail_if!(
                data.groups[..i].iter().any(|o| o.id == g.id),
                at("groups", i, "id"),
                "group `{}` appears twice",
                g.id
            );
        }
        // Requirements.
        let mut requirement_group = Vec::with_capacity(data.requirements.len());
        for (i, r) in data.requirements.iter().enumerate() {
            fail_if!(
                data.requirements[..i].iter().any(|o| o.id == r.id),
                at("requirements", i, "id"),
                "requirement `{}` appears twice",
                r.id
            );
            let Some(g) = data.groups.iter().position(|g| g.id == r.group) else {
                return Err(Error::bank(
                    at("requirements", i, "group"),
                    format!("no group `{}`", r.group),
                ));
            };
            requirement_group.push(g as u16);
        }
        fail_if!(
            data.requirements.is_empty()
                || data.requirements.len() > 1000
                || data.questions.len() > 2000,
            "/requirements",
            "between 1 and 1000 requirements and at most 2000 questions"
        );
        let requirement_index = |id: &str| data.requirements.iter().position(|r| r.id == id);
        let is_clause =
            |req: usize| data.groups[requirement_group[req] as usize].kind == GroupKind::Clause;

        // Questions.
        let mut by_id: Vec<(String, u16)> = Vec::with_capacity(data.questions.len());
        let mut na_allowed = Vec::with_capacity(data.questions.len());
        let mut quick_cover: Vec<Option<u16>> = vec![None; data.requirements.len()];
        let mut full_cover: Vec<Option<u16>> = vec![None; data.requirements.len()];
        let mut question_refs: Vec<Vec<u16>> = Vec::with_capacity(data.questions.len());
        for (i, q) in data.questions.iter().enumerate() {
            fail_if!(
                q.id.trim().is_empty()
                    || q.text.trim().is_empty()
                    || q.title.trim().is_empty()
                    || q.help.trim().is_empty(),
                at("questions", i, "id"),
                "every question needs an id, title, text and help"
            );
            fail_if!(
                by_id.iter().any(|(id, _)| id == &q.id),
                at("questions", i, "id"),
                "question `{}` appears twice",
                q.id
            );
            by_id.push((q.id.clone(), i as u16));
            fail_if!(
                q.refs.is_empty(),
                at("questions", i, "refs"),
                "question `{}` covers no requirement",
                q.id
            );
            let mut refs = Vec::with_capacity(q.refs.len());
            for (j, r) in q.refs.iter().enumerate() {
                let Some(ri) = requirement_index(r) else {
                    return Err(Error::bank(
                        format!("/questions/{i}/refs/{j}"),
                        format!("question `{}` refers to unknown requirement `{r}`", q.id),
                    ));
                };
                let cover = if q.quick {
                    &mut quick_cover
                } else {
                    &mut full_cover
                };
                if let Some(other) = cover[ri] {
                    return Err(Error::bank(
                        format!("/questions/{i}/refs/{j}"),
                        format!(
                            "requirement `{r}` is covered by both `{}` and `{}` in the same mode",
                            data.questions[other as usize].id, q.id
                        ),
                    ));
                }
                cover[ri] = Some(i as u16);
                refs.push(ri as u16);
            }
            let all_annex = refs.iter().all(|&r| !is_clause(r as usize));
            na_allowed.push(all_annex);
            fail_if!(
                q.applicability.is_some() && !all_annex,
                at("questions", i, "applicability"),
                "question `{}` covers a mandatory clause and cannot be proposed as not applicable",
                q.id
            );
            if let Some(a) = &q.applicability
                && (a.justification.trim().is_empty() || a.not_applicable_for_roles.is_empty())
            {
                return Err(Error::bank(
                    at("questions", i, "applicability"),
                    "applicability needs roles and a justification",
                ));
            }
            if !q.quick {
                let ok = q.phase.is_some_and(|p| (1..=6).contains(&p))
                    && q.owner.is_some()
                    && q.effort_days
                        .is_some_and(|e| e.is_finite() && e > 0.0 && e <= 100.0)
                    && q.task.as_deref().is_some_and(|t| !t.trim().is_empty())
                    && q.deliverable
                        .as_deref()
                        .is_some_and(|t| !t.trim().is_empty());
                fail_if!(
                    !ok,
                    at("questions", i, "effort_days"),
                    "full question `{}` needs phase 1-6, owner, effort_days in (0, 100], task and deliverable",
                    q.id
                );
            } else if q.phase.is_some()
                || q.owner.is_some()
                || q.effort_days.is_some()
                || q.task.is_some()
                || q.deliverable.is_some()
                || q.per_system
                || q.risk_sensitive
            {
                return Err(Error::bank(
                    at("questions", i, "quick"),
                    format!(
                        "quick question `{}` takes its estimator data from the full questions it stands for; remove phase, owner, effort_days, task, deliverable, per_system and risk_sensitive",
                        q.id
                    ),
                ));
            }
            question_refs.push(refs);
        }
        by_id.sort();
        for (ri, r) in data.requirements.iter().enumerate() {
            fail_if!(
                full_cover[ri].is_none() || quick_cover[ri].is_none(),
                "/questions",
                "requirement `{}` must be covered by exactly one full and one quick question",
                r.id
            );
        }

        // Items: full questions, with the quick question each one is extrapolated from.
        let mut items = Vec::new();
        let mut requirement_weight = vec![0.0; data.requirements.len()];
        let mut requirement_item = vec![0u16; data.requirements.len()];
        for (i, q) in data.questions.iter().enumerate() {
            if q.quick {
                continue;
            }
            let refs = &question_refs[i];
            let parent = quick_cover[refs[0] as usize].unwrap_or(0);
            fail_if!(
                refs.iter()
                    .any(|&r| quick_cover[r as usize] != Some(parent)),
                at("questions", i, "refs"),
                "the requirements of `{}` must all belong to the same quick question",
                q.id
            );
            let effort = q.effort_days.unwrap_or(0.0);
            for &r in refs {
                requirement_weight[r as usize] = effort / refs.len() as f64;
                requirement_item[r as usize] = items.len() as u16;
            }
            items.push(Item {
                question: i as u16,
                quick_parent: parent,
                mandatory: !na_allowed[i],
                phase: q.phase.unwrap_or(1),
                owner: q.owner.unwrap_or(Owner::Leadership),
                effort_days: effort,
            });
        }

        // Frameworks.
        let mut item_credits = vec![vec![0.0; data.frameworks.len()]; items.len()];
        for (fi, f) in data.frameworks.iter().enumerate() {
            fail_if!(
                data.frameworks[..fi].iter().any(|o| o.id == f.id),
                at("frameworks", fi, "id"),
                "framework `{}` appears twice",
                f.id.as_str()
            );
            for (ci, c) in f.credits.iter().enumerate() {
                fail_if!(
                    !(c.share > 0.0 && c.share <= 0.9),
                    format!("/frameworks/{fi}/credits/{ci}/share"),
                    "a credit share must be in (0, 0.9]"
                );
                for r in &c.refs {
                    let Some(ri) = requirement_index(r) else {
                        return Err(Error::bank(
                            format!("/frameworks/{fi}/credits/{ci}/refs"),
                            format!("unknown requirement `{r}`"),
                        ));
                    };
                    let item = requirement_item[ri] as usize;
                    let slot = &mut item_credits[item][fi];
                    *slot = f64::max(*slot, c.share);
                }
            }
            fail_if!(
                f.advice.iter().any(|a| !(1..=6).contains(&a.phase)),
                at("frameworks", fi, "advice"),
                "advice phases are 1-6"
            );
        }

        // Sectors.
        for (i, s) in data.sectors.iter().enumerate() {
            fail_if!(
                data.sectors[..i].iter().any(|o| o.id == s.id),
                at("sectors", i, "id"),
                "sector `{}` appears twice",
                s.id
            );
            fail_if!(
                !(0.5..=2.0).contains(&s.factor),
                at("sectors", i, "factor"),
                "sector factors are 0.5-2"
            );
        }
        fail_if!(
            !data.sectors.iter().any(|s| s.id == "other"),
            "/sectors",
            "the sector list needs `other`, the default"
        );

        validate_model(&data.model)?;

        Ok(Bank {
            text: Texts::new(&data, false),
            data,
            by_id,
            items,
            na_allowed,
            requirement_group,
            requirement_weight,
            requirement_item,
            item_credits,
        })
    }

    /// The bank's data, as read.
    pub fn data(&self) -> &BankData {
        &self.data
    }

    /// The version string.
    pub fn version(&self) -> &str {
        &self.data.version
    }

    /// A question by ID.
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.question_index(id).map(|i| &self.data.questions[i])
    }

    /// Where the question with this ID sits in the bank's question list.
    pub fn question_index(&self, id: &str) -> Option<usize> {
        self.by_id
            .binary_search_by(|(k, _)| k.as_str().cmp(id))
            .ok()
            .map(|pos| self.by_id[pos].1 as usize)
    }

    /// Whether a question may be answered "not applicable" (it covers Annex A controls only).
    pub fn allows_not_applicable(&self, id: &str) -> bool {
        self.question_index(id).is_some_and(|i| self.na_allowed[i])
    }

    /// The questions of one mode, in bank order.
    pub fn questions(&self, mode: crate::Mode) -> impl Iterator<Item = &Question> {
        let quick = mode == crate::Mode::Quick;
        self.data.questions.iter().filter(move |q| q.quick == quick)
    }

    /// Questions proposed as not applicable for a role, with the suggested justification.
    pub fn proposed_not_applicable(&self, role: Role, mode: crate::Mode) -> Vec<(&Question, &str)> {
        self.questions(mode)
            .filter_map(|q| {
                let a = q.applicability.as_ref()?;
                a.not_applicable_for_roles
                    .contains(&role)
                    .then_some((q, a.justification.as_str()))
            })
            .collect()
    }
}

fn is_version(v: &str) -> bool {
    let parts: Vec<&str> = v.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 6 && p.bytes().all(|b| b.is_ascii_digit()))
}

fn positive(x: f64, max: f64) -> bool {
    x.is_finite() && x > 0.0 && x <= max
}

fn validate_spread(s: &Spread, pointer: &str, max: f64) -> Result<(), Error> {
    let ok = s.low.is_finite()
        && s.low >= 0.0
        && s.low <= s.likely
        && s.likely <= s.high
        && s.high <= max;
    if ok {
        Ok(())
    } else {
        Err(Error::bank(
            pointer,
            format!(
                "needs 0 <= low <= likely <= high <= {}",
                crate::num::decimal(max)
            ),
        ))
    }
}

fn validate_model(m: &Model) -> Result<(), Error> {
    let p = m.level_points;
    fail_if!(
        p[0] != 0.0
            || p[3] != 100.0
            || p[4] != 100.0
            || !(p[0] <= p[1] && p[1] <= p[2] && p[2] <= p[3]),
        "/model/level_points",
        "points must rise from 0 at level 0 to 100 at levels 3 and 4"
    );
    let s = m.severity_by_level;
    let ranks: Vec<u8> = s.iter().map(|x| x.map_or(0, |sev| 3 - sev as u8)).collect();
    fail_if!(
        s[3].is_some_and(|x| x != crate::Severity::Minor)
            || s[4].is_some()
            || ranks.windows(2).any(|w| w[1] > w[0])
            || s[0] != Some(crate::Severity::Blocker),
        "/model/severity_by_level",
        "severity must fall as the level rises: blocker at 0, at most minor at 3, none at 4"
    );
    let b = m.bands;
    fail_if!(
        !(0.0 < b.developing
            && b.developing < b.advanced
            && b.advanced < b.audit_ready
            && b.audit_ready <= 100.0),
        "/model/bands",
        "band thresholds must rise within 0-100"
    );
    let f = m.size_factors;
    fail_if!(
        ![f.up_to_50, f.up_to_250, f.up_to_1000, f.over_1000]
            .iter()
            .all(|&x| positive(x, 10.0)),
        "/model/size_factors",
        "size factors are in (0, 10]"
    );
    fail_if!(
        !(m.extra_system_factor.is_finite()
            && (0.0..=1.0).contains(&m.extra_system_factor)
            && (1.0..=20.0).contains(&m.max_system_factor)),
        "/model/extra_system_factor",
        "extra_system_factor is 0-1 and max_system_factor 1-20"
    );
    fail_if!(
        !(1.0..=3.0).contains(&m.high_risk_factor),
        "/model/high_risk_factor",
        "high_risk_factor is 1-3"
    );
    fail_if!(
        !(0.0..=0.9).contains(&m.max_credit),
        "/model/max_credit",
        "max_credit is 0-0.9"
    );
    fail_if!(
        !(0.0..=10.0).contains(&m.unknown_followup_days),
        "/model/unknown_followup_days",
        "unknown_followup_days is 0-10"
    );
    fail_if!(
        !positive(m.days_per_fte_week, 7.0),
        "/model/days_per_fte_week",
        "days_per_fte_week is in (0, 7]"
    );
    validate_spread(
        &m.operating_period_weeks,
        "/model/operating_period_weeks",
        52.0,
    )?;
    let u = m.uncertainty;
    let ok = (0.1..=1.0).contains(&u.answered_low)
        && (1.0..=3.0).contains(&u.answered_high)
        && u.unknown_low_level <= 3
        && (1.0..=3.0).contains(&u.unknown_high)
        && (0.1..=1.0).contains(&u.quick_low)
        && (1.0..=3.0).contains(&u.quick_high);
    fail_if!(
        !ok,
        "/model/uncertainty",
        "low multipliers are 0.1-1, high ones 1-3, unknown_low_level 0-3"
    );
    fail_if!(
        m.phases.len() != 6
            || m.phases
                .iter()
                .enumerate()
                .any(|(i, p)| p.number as usize != i + 1),
        "/model/phases",
        "there are exactly six phases, numbered 1-6 in order"
    );
    for (i, ph) in m.phases.iter().enumerate() {
        fail_if!(
            !(0.0..=200.0).contains(&ph.fixed_effort_days) || ph.name.trim().is_empty(),
            format!("/model/phases/{i}"),
            "a phase needs a name and fixed_effort_days 0-200"
        );
        validate_spread(&ph.min_weeks, &format!("/model/phases/{i}/min_weeks"), 52.0)?;
        fail_if!(
            ph.min_weeks.low < 1.0,
            format!("/model/phases/{i}/min_weeks"),
            "every phase lasts at least one week"
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{DEFAULT_BANK_JSON, EMBEDDED_BANK_JSON};

    #[test]
    fn the_embedded_text_is_the_default_bank_without_whitespace() {
        let pretty: serde_json::Value = serde_json::from_str(DEFAULT_BANK_JSON).unwrap();
        let compact: serde_json::Value = serde_json::from_str(EMBEDDED_BANK_JSON).unwrap();
        assert_eq!(pretty, compact);
        assert!(!EMBEDDED_BANK_JSON.contains('\n'));
        assert!(EMBEDDED_BANK_JSON.len() < DEFAULT_BANK_JSON.len() * 9 / 10);
    }
}
