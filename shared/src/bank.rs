//! The question bank and every assumption of the estimator, read from versioned data.

use crate::error::{Error, Problem, ProblemKind};
use crate::input::{AiSystem, Customisation, Framework, Origin, RiskTier, Size};
use crate::names::named_enum;
use crate::text::{Text, TextList};
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// Refuses the bank, with `reason` (a format string and its arguments) at `pointer`, if
/// `broken` holds.
/// Notes a problem with the bank, with `reason` (a format string and its arguments) at
/// `pointer`, if `broken` holds; validation goes on, so that every problem is listed.
///
/// Without the `checks` feature (the widget, whose bank the server or the tests checked
/// already) the rule and its message compile away.
macro_rules! fail_if {
    ($problems:ident; $broken:expr, $pointer:expr, $($reason:tt)+) => {
        if cfg!(feature = "checks") && $broken {
            note(&mut $problems, $pointer, format!($($reason)+));
        }
    };
}

/// Returns the problems noted so far, if there are any: what follows relies on them
/// being absent.
macro_rules! stop_if_any {
    ($problems:ident) => {
        if let Some(e) = Error::from_problems(std::mem::take(&mut $problems)) {
            return Err(e);
        }
    };
}

fn note(problems: &mut Vec<Problem>, pointer: impl Into<String>, reason: String) {
    if problems.len() < Error::MAX_PROBLEMS {
        problems.push(Problem {
            kind: ProblemKind::InvalidBank { reason },
            pointer: pointer.into(),
        });
    }
}

/// The problems noted so far and one that stops validation here.
fn stop(mut problems: Vec<Problem>, pointer: impl Into<String>, reason: String) -> Error {
    note(&mut problems, pointer, reason);
    Error::from_problems(problems).expect("one problem at least")
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
    /// Why the objective's controls apply to any AIMS (Annex A objectives only): the
    /// Statement of Applicability's justification for a control no condition limits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub soa_reason: Option<String>,
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
    /// The mandatory clause an Annex A control restates (`"5.2"` for A.2.2): such a
    /// control cannot be excluded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restates: Option<String>,
}

named_enum! {
    /// What in the AI-system inventory makes a control apply.
    pub enum AppliesWhen {
        /// A system is built in-house or fine-tuned.
        Develops = "develops",
        /// A system is trained, fine-tuned or fed by retrieval on data the organisation prepares.
        PreparesData = "prepares_data",
        /// A system is offered to customers.
        Offers = "offers",
        /// A system is offered to customers or built in-house (the organisation informs its users).
        InformsUsers = "informs_users",
        /// A system is offered to customers or high-risk (people outside are affected).
        AffectsOthers = "affects_others",
    }
}

impl AppliesWhen {
    /// Whether this system makes the control apply.
    pub fn holds_for(self, s: &AiSystem) -> bool {
        let high = matches!(s.risk, RiskTier::High | RiskTier::Prohibited);
        match self {
            AppliesWhen::Develops => s.is_developed(),
            AppliesWhen::PreparesData => s.uses_own_data(),
            AppliesWhen::Offers => s.offered_to_customers,
            AppliesWhen::InformsUsers => s.offered_to_customers || s.origin == Origin::InHouse,
            AppliesWhen::AffectsOthers => s.offered_to_customers || high,
        }
    }
}

/// When an Annex A control applies; otherwise it is proposed as not applicable.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Applicability {
    /// The control applies when at least one system in the inventory meets this.
    pub applies_when: AppliesWhen,
    /// The justification proposed when none does; `{systems}` becomes the systems' names.
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
    /// Organisation-wide person-days from nothing to implemented, for the reference
    /// organisation. Full only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effort_days: Option<f64>,
    /// Person-days per AI system, for the reference system (in-house, minimal risk, used
    /// internally), on top of the organisation-wide `effort_days`. Full only.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub per_system_days: f64,
    /// Whether a system's risk tier makes its share of the work heavier.
    #[serde(default, skip_serializing_if = "is_false")]
    pub risk_sensitive: bool,
    /// Whether the evidence is records of operation, so that controls must run for a
    /// while before the internal audit (the operating period).
    #[serde(default, skip_serializing_if = "is_false")]
    pub records: bool,
    /// The roadmap task, as an imperative phrase. Full only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task: Option<String>,
    /// The main output of the task. Full only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deliverable: Option<String>,
    /// When the question is proposed as not applicable (Annex A only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applicability: Option<Applicability>,
    /// Full questions whose work must come first (in an earlier phase, or earlier in the
    /// same phase's task list).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub after: Vec<String>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

fn is_zero(x: &f64) -> bool {
    *x == 0.0
}

/// A published source an assumption or credit is taken from.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Short ID the data refers to (`"nist-crosswalk"`).
    pub id: String,
    /// Who published what, and when.
    pub title: String,
    /// Where to read it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// The site that publishes the bank: what its widget shows besides the questions. The
/// engine carries it and never reads it; the server fills it from its configuration.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Site {
    /// The results' call to action, when the site has its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cta: Option<CallToAction>,
    /// The consultancy's name, shown above the widget and on its reports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// An `https://` address of its logo (an image shown about 40 px high).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo_url: Option<String>,
    /// Its accent colour, `#rrggbb` (the server also holds it to a contrast of 4.5:1
    /// against white, for white text on it and for links in it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accent: Option<String>,
    /// A paragraph of its own on the widget's first screen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intro: Option<String>,
    /// Its privacy notice, linked from the lead form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub privacy_url: Option<String>,
    /// Whether the server emails the report to a visitor who asks for it (set by the
    /// server from its mail configuration; the lead form offers the opt-in then).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub emails_report: bool,
}

/// Longest site name accepted, in characters.
pub const MAX_SITE_NAME_CHARS: usize = 80;
/// Longest intro paragraph accepted, in characters.
pub const MAX_SITE_INTRO_CHARS: usize = 600;

impl Site {
    /// Every field that is not right (`"name"`, `"logo_url"`, `"accent"`, `"intro"`,
    /// `"privacy_url"`, `"cta/label"`, `"cta/url"`) and why.
    pub fn problems(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        let line = |text: &str, max: usize| {
            let t = text.trim();
            !t.is_empty()
                && t.chars().count() <= max
                && !t.chars().any(|c| crate::forbidden_char(c, false))
        };
        if let Some(name) = &self.name
            && !line(name, MAX_SITE_NAME_CHARS)
        {
            out.push((
                "name",
                format!("give a name of 1 to {MAX_SITE_NAME_CHARS} characters on one line"),
            ));
        }
        if let Some(url) = &self.logo_url
            && (!url.starts_with("https://") || !plain_url(url))
        {
            out.push((
                "logo_url",
                "give an absolute https:// address of the image, without spaces or quotes".into(),
            ));
        }
        if let Some(accent) = &self.accent
            && !is_hex_colour(accent)
        {
            out.push(("accent", "give a colour as #rrggbb, such as #1d4ed8".into()));
        }
        if let Some(intro) = &self.intro {
            let t = intro.trim();
            if t.is_empty()
                || t.chars().count() > MAX_SITE_INTRO_CHARS
                || t.chars().any(|c| crate::forbidden_char(c, true))
            {
                out.push((
                    "intro",
                    format!("give an introduction of 1 to {MAX_SITE_INTRO_CHARS} characters"),
                ));
            }
        }
        if let Some(url) = &self.privacy_url
            && !plain_url(url)
        {
            out.push((
                "privacy_url",
                "give an absolute https:// or http:// address without spaces or quotes".into(),
            ));
        }
        if let Some((field, reason)) = self.cta.as_ref().and_then(CallToAction::problem) {
            out.push((
                if field == "label" {
                    "cta/label"
                } else {
                    "cta/url"
                },
                reason.into(),
            ));
        }
        out
    }
}

/// An absolute http(s) URL with a host and no space, quote or angle bracket.
fn plain_url(url: &str) -> bool {
    let rest = ["https://", "http://"]
        .iter()
        .find_map(|scheme| url.strip_prefix(scheme));
    let bad = |c: char| c.is_whitespace() || c.is_control() || "\"'<>\\`".contains(c);
    rest.is_some_and(|rest| !rest.is_empty() && !rest.starts_with('/') && !rest.contains(bad))
}

/// Whether the text is a colour written `#rrggbb`.
fn is_hex_colour(text: &str) -> bool {
    text.strip_prefix('#')
        .is_some_and(|h| h.len() == 6 && h.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// A link the results offer, such as a booking page. `{band}` and `{score}` in the URL
/// are replaced by the visitor's readiness band and whole score.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CallToAction {
    /// The button's words (`"Book a call"`).
    pub label: String,
    /// An `https://` or `http://` address.
    pub url: String,
}

/// Longest call-to-action label accepted, in characters.
pub const MAX_CTA_LABEL_CHARS: usize = 60;
/// The words of a call to action given only as an address.
pub const DEFAULT_CTA_LABEL: &str = "Book a call";

impl CallToAction {
    /// A call to action from its words (the default label when none is given) and its
    /// address, both trimmed; or the field that is not right and why, as [`Self::problem`].
    pub fn checked(
        label: Option<&str>,
        url: &str,
    ) -> Result<CallToAction, (&'static str, &'static str)> {
        let cta = CallToAction {
            label: label.unwrap_or(DEFAULT_CTA_LABEL).trim().to_string(),
            url: url.trim().to_string(),
        };
        match cta.problem() {
            Some(problem) => Err(problem),
            None => Ok(cta),
        }
    }

    /// The field that is not right (`"label"` or `"url"`) and why, if any: a label of 1 to
    /// 60 characters on one line, an absolute `http(s)` URL without spaces or quotes.
    pub fn problem(&self) -> Option<(&'static str, &'static str)> {
        let label = self.label.trim();
        if label.is_empty()
            || label.chars().count() > MAX_CTA_LABEL_CHARS
            || label.chars().any(|c| crate::forbidden_char(c, false))
        {
            return Some(("label", "give a label of 1 to 60 characters on one line"));
        }
        if plain_url(&self.url) {
            None
        } else {
            Some((
                "url",
                "give an absolute https:// or http:// address without spaces or quotes",
            ))
        }
    }
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
    /// The source ID of the mapping the credit follows.
    pub source: String,
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
    /// Whether the lead time holds only while the phase has open gaps (otherwise always).
    #[serde(default, skip_serializing_if = "is_false")]
    pub lead_time_when_open: bool,
    /// Why the phase takes at least that long.
    pub min_weeks_basis: String,
    /// Tasks every programme does in this phase.
    pub standard_tasks: Vec<String>,
    /// Documents and records the phase produces.
    pub deliverables: Vec<String>,
}

/// A number per size band.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PerSize {
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

impl PerSize {
    /// The number for a band.
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

/// How organisation-wide work grows with head count.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SizeModel {
    /// The head count assumed for a band when `employees` is not given.
    pub band_employees: PerSize,
    /// `[employees, factor]` points, head counts rising; the factor is interpolated
    /// linearly between them (and flat beyond the ends), so there is no step anywhere.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Vec<f64>>))]
    pub curve: Vec<[f64; 2]>,
    /// The source ID.
    pub source: String,
}

impl SizeModel {
    /// The effort factor for a head count.
    pub fn factor(&self, employees: f64) -> f64 {
        let c = &self.curve;
        if employees <= c[0][0] {
            return c[0][1];
        }
        for w in c.windows(2) {
            let ([x0, y0], [x1, y1]) = (w[0], w[1]);
            if employees <= x1 {
                return y0 + (y1 - y0) * (employees - x0) / (x1 - x0);
            }
        }
        c[c.len() - 1][1]
    }
}

/// A number per customisation.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PerCustomisation {
    /// Used as delivered.
    pub none: f64,
    /// Prompting.
    pub prompting: f64,
    /// Retrieval.
    pub rag: f64,
    /// Fine-tuning.
    pub fine_tuning: f64,
}

/// A number per risk tier.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PerRisk {
    /// Prohibited practice.
    pub prohibited: f64,
    /// High-risk.
    pub high: f64,
    /// Transparency obligations.
    pub limited: f64,
    /// Minimal risk.
    pub minimal: f64,
}

/// Factors on organisation-wide work by the roles the inventory gives the organisation.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleModel {
    /// Only deploys systems built by others (or has none yet).
    pub deployer: f64,
    /// Only builds or fine-tunes its own systems.
    pub producer: f64,
    /// Builds some and deploys others: several roles, the reference.
    pub several: f64,
    /// The source ID.
    pub source: String,
}

impl RoleModel {
    /// The factor for an inventory, with the role's name.
    pub fn factor(&self, systems: &[AiSystem]) -> (f64, &'static str) {
        let developed = systems.iter().filter(|s| s.is_developed()).count();
        match developed {
            0 => (self.deployer, "deploys systems built by others only"),
            n if n == systems.len() => (self.producer, "builds its own systems only"),
            _ => (self.several, "builds some systems and deploys others"),
        }
    }
}

/// How much per-system work each AI system brings.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SystemModel {
    /// Weight of a system built in-house: the reference, 1.
    pub in_house: f64,
    /// Weight of a system built by others, by how it is customised.
    pub third_party: PerCustomisation,
    /// Factor on risk-sensitive work, by risk tier.
    pub risk: PerRisk,
    /// Factor for a system offered to customers.
    pub offered: f64,
    /// Share of its weight that each system after the heaviest adds: the processes exist
    /// by then, and only the system's own assessments, records and reviews are new.
    pub additional_share: f64,
    /// The source ID.
    pub source: String,
}

impl SystemModel {
    /// A system's weight on per-system work (without the risk factor).
    pub fn weight(&self, s: &AiSystem) -> f64 {
        let base = match (s.origin, s.customisation) {
            (Origin::InHouse, _) => self.in_house,
            (Origin::ThirdParty, Customisation::None) => self.third_party.none,
            (Origin::ThirdParty, Customisation::Prompting) => self.third_party.prompting,
            (Origin::ThirdParty, Customisation::Rag) => self.third_party.rag,
            (Origin::ThirdParty, Customisation::FineTuning) => self.third_party.fine_tuning,
        };
        if s.offered_to_customers {
            base * self.offered
        } else {
            base
        }
    }

    /// A system's factor on risk-sensitive work.
    pub fn risk_factor(&self, risk: RiskTier) -> f64 {
        match risk {
            RiskTier::Prohibited => self.risk.prohibited,
            RiskTier::High => self.risk.high,
            RiskTier::Limited => self.risk.limited,
            RiskTier::Minimal => self.risk.minimal,
        }
    }

    /// How many "systems' worth" of per-system work a list of weights makes: the heaviest
    /// in full, every other at `additional_share`.
    pub fn combine(&self, weights: impl Iterator<Item = f64>) -> f64 {
        let (mut sum, mut max) = (0.0f64, 0.0f64);
        for w in weights {
            sum += w;
            max = max.max(w);
        }
        max + self.additional_share * (sum - max)
    }
}

/// What a prohibited practice in the inventory brings.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProhibitedModel {
    /// The gap's title; `{system}` becomes the system's name.
    pub title: String,
    /// Why it blocks certification.
    pub explanation: String,
    /// Person-days to decide and carry out withdrawal or redesign.
    pub effort_days: f64,
}

/// The years after the Stage 2 audit.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AfterCertification {
    /// What happens in each year of the certificate's three-year cycle.
    pub years: Vec<Vec<String>>,
    /// FTE a year to run the AIMS for the reference organisation (scaled by size).
    pub base_fte: f64,
    /// FTE a year per "system's worth" of per-system work.
    pub per_system_fte: f64,
    /// The source ID.
    pub source: String,
}

/// The Statement of Applicability's wording, with placeholders: `{clause}`, `{systems}`
/// and `{duty}`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SoaModel {
    /// The document version until the organisation sets one.
    pub draft_version: String,
    /// Why a control that restates a clause is included (`{clause}`).
    pub restated: String,
    /// Why a control is included when the inventory does not need it but it was answered.
    pub chosen: String,
    /// Added when high-risk systems make the control an EU AI Act duty (`{systems}`,
    /// `{duty}`: the EU AI Act credit's basis).
    pub high_risk: String,
    /// Why a conditional control is included, per condition (`{systems}`: the systems
    /// that meet it).
    pub applies_because: AppliesBecause,
}

/// The inclusion justification for each [`AppliesWhen`].
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppliesBecause {
    /// For [`AppliesWhen::Develops`].
    pub develops: String,
    /// For [`AppliesWhen::PreparesData`].
    pub prepares_data: String,
    /// For [`AppliesWhen::Offers`].
    pub offers: String,
    /// For [`AppliesWhen::InformsUsers`].
    pub informs_users: String,
    /// For [`AppliesWhen::AffectsOthers`].
    pub affects_others: String,
}

impl AppliesBecause {
    /// The justification for one condition.
    pub fn text(&self, when: AppliesWhen) -> &str {
        match when {
            AppliesWhen::Develops => &self.develops,
            AppliesWhen::PreparesData => &self.prepares_data,
            AppliesWhen::Offers => &self.offers,
            AppliesWhen::InformsUsers => &self.informs_users,
            AppliesWhen::AffectsOthers => &self.affects_others,
        }
    }
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
    /// How organisation-wide work grows with head count.
    pub size: SizeModel,
    /// How the roles the organisation plays change organisation-wide work.
    pub roles: RoleModel,
    /// How much per-system work each AI system brings.
    pub systems: SystemModel,
    /// A prohibited practice in the inventory.
    pub prohibited: ProhibitedModel,
    /// Cap on the combined framework credit on one requirement.
    pub max_credit: f64,
    /// Person-days in phase 2 to find out each unknown answer.
    pub unknown_followup_days: f64,
    /// Productive programme days per FTE per week.
    pub days_per_fte_week: f64,
    /// The source ID of `days_per_fte_week`.
    pub days_per_fte_week_source: String,
    /// Weeks controls must operate, producing records, before the internal audit.
    pub operating_period_weeks: Spread,
    /// Uncertainty multipliers.
    pub uncertainty: Uncertainty,
    /// Pilot-first advice.
    pub pilot_first: PilotFirst,
    /// The six phases, in order.
    pub phases: Vec<PhaseModel>,
    /// The years after certification.
    pub after_certification: AfterCertification,
    /// The Statement of Applicability's wording.
    pub soa: SoaModel,
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
    /// Earlier versions whose assessments this bank still evaluates (their question IDs
    /// are all still here).
    #[serde(default)]
    pub accepts_versions: Vec<String>,
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
    /// The published sources the assumptions and credits cite.
    pub sources: Vec<Source>,
    /// Estimator assumptions.
    pub model: Model,
    /// What the publishing site adds (its call to action).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site: Option<Site>,
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
    pub per_system_days: f64,
    pub risk_sensitive: bool,
    pub records: bool,
}

/// A validated question bank, ready to evaluate assessments.
///
/// ```
/// let bank = aims_engine::Bank::embedded();
/// assert_eq!(bank.data().version, "2.0.0");
/// assert!(bank.question("q-6-1-2").is_some());
/// ```
#[derive(Debug, Clone)]
pub struct Bank {
    pub(crate) data: BankData,
    /// Question IDs sorted, with their index in `data.questions`.
    pub(crate) by_id: Vec<(String, u16)>,
    /// Full-mode questions, in bank order.
    pub(crate) items: Vec<Item>,
    /// For each question: whether "not applicable" is allowed (all refs are Annex A
    /// controls that restate no clause).
    pub(crate) na_allowed: Vec<bool>,
    /// For each question: the first control it covers that restates a clause, and the clause.
    pub(crate) restated: Vec<Option<(u16, u16)>>,
    /// For each requirement: its group index.
    pub(crate) requirement_group: Vec<u16>,
    /// For each requirement: its weight (owning item's effort shared among its refs).
    pub(crate) requirement_weight: Vec<f64>,
    /// For each requirement: index of the item covering it.
    pub(crate) requirement_item: Vec<u16>,
    /// For each item and framework (in `Framework` order of `data.frameworks`): credit share.
    pub(crate) item_credits: Vec<Vec<f64>>,
    /// For each question: the questions its work comes after (`after`), as indices.
    pub(crate) after: Vec<Vec<u16>>,
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
    pub years: Vec<TextList>,
    /// Per question: the evidence its help names (the help after "Evidence: ").
    pub question_evidence: Vec<Text>,
    /// Per requirement: the EU AI Act duty behind it (the credit's basis), if any.
    pub requirement_duty: Vec<Option<Text>>,
    /// Per requirement: for an Annex A control, its objective's reason to apply.
    pub soa_reason: Vec<Option<Text>>,
    /// Per requirement: for a control that restates a clause, why it is mandatory.
    pub soa_restated: Vec<Option<Text>>,
    /// The justification of a control included by choice.
    pub soa_chosen: Text,
    /// The Statement of Applicability's version until one is set.
    pub soa_draft: Text,
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
            years: d
                .model
                .after_certification
                .years
                .iter()
                .map(|y| list(y.iter().map(t).collect()))
                .collect(),
            question_evidence: d
                .questions
                .iter()
                .map(|q| {
                    let evidence = q.help.split_once(EVIDENCE).map_or(&*q.help, |(_, e)| e);
                    let mut chars = evidence.chars();
                    let first = chars.next().map(|c| c.to_uppercase().collect::<String>());
                    t(&(first.unwrap_or_default() + chars.as_str()))
                })
                .collect(),
            requirement_duty: d
                .requirements
                .iter()
                .map(|r| {
                    let ai_act = d.frameworks.iter().find(|f| f.id == Framework::EuAiAct)?;
                    let credit = ai_act.credits.iter().find(|c| c.refs.contains(&r.id))?;
                    Some(t(&credit.basis))
                })
                .collect(),
            soa_reason: d
                .requirements
                .iter()
                .map(|r| {
                    let group = d.groups.iter().find(|g| g.id == r.group)?;
                    group.soa_reason.as_ref().map(t)
                })
                .collect(),
            soa_restated: d
                .requirements
                .iter()
                .map(|r| {
                    let clause = r.restates.as_ref()?;
                    Some(t(&d.model.soa.restated.replace("{clause}", clause)))
                })
                .collect(),
            soa_chosen: t(&d.model.soa.chosen),
            soa_draft: t(&d.model.soa.draft_version),
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
        let mut problems = Vec::new();
        fail_if!(problems; data.id.trim().is_empty(), "/id", "the bank needs an id");
        fail_if!(problems;
            !is_version(&data.version),
            "/version",
            "version must look like 1.0.0"
        );
        // Groups.
        for (i, g) in data.groups.iter().enumerate() {
            fail_if!(problems;
                data.groups[..i].iter().any(|o| o.id == g.id),
                at("groups", i, "id"),
                "group `{}` appears twice",
                g.id
            );
            fail_if!(problems;
                g.soa_reason
                    .as_deref()
                    .is_some_and(|r| !r.trim().is_empty())
                    != (g.kind == GroupKind::AnnexA),
                at("groups", i, "soa_reason"),
                "Annex A objective `{}` needs a soa_reason, and a clause has none",
                g.id
            );
        }
        // Requirements.
        let mut requirement_group = Vec::with_capacity(data.requirements.len());
        for (i, r) in data.requirements.iter().enumerate() {
            fail_if!(problems;
                data.requirements[..i].iter().any(|o| o.id == r.id),
                at("requirements", i, "id"),
                "requirement `{}` appears twice",
                r.id
            );
            let Some(g) = data.groups.iter().position(|g| g.id == r.group) else {
                return Err(stop(
                    std::mem::take(&mut problems),
                    at("requirements", i, "group"),
                    format!("no group `{}`", r.group),
                ));
            };
            requirement_group.push(g as u16);
        }
        let mut restates = vec![None; data.requirements.len()];
        for (i, r) in data.requirements.iter().enumerate() {
            if let Some(clause) = &r.restates {
                let target = data.requirements.iter().position(|o| &o.id == clause);
                let ok = target.is_some_and(|t| {
                    data.groups[requirement_group[t] as usize].kind == GroupKind::Clause
                }) && data.groups[requirement_group[i] as usize].kind == GroupKind::AnnexA;
                fail_if!(problems;
                    !ok,
                    at("requirements", i, "restates"),
                    "`{}` may only restate a clause requirement, and only from Annex A",
                    r.id
                );
                restates[i] = target.map(|t| t as u16);
            }
        }
        if data.requirements.is_empty()
            || data.requirements.len() > 1000
            || data.questions.len() > 2000
        {
            return Err(stop(
                problems,
                "/requirements",
                "between 1 and 1000 requirements and at most 2000 questions".into(),
            ));
        }
        let requirement_index = |id: &str| data.requirements.iter().position(|r| r.id == id);
        let is_clause =
            |req: usize| data.groups[requirement_group[req] as usize].kind == GroupKind::Clause;

        // Questions.
        let mut by_id: Vec<(String, u16)> = Vec::with_capacity(data.questions.len());
        let mut na_allowed = Vec::with_capacity(data.questions.len());
        let mut restated = Vec::with_capacity(data.questions.len());
        let mut quick_cover: Vec<Option<u16>> = vec![None; data.requirements.len()];
        let mut full_cover: Vec<Option<u16>> = vec![None; data.requirements.len()];
        let mut question_refs: Vec<Vec<u16>> = Vec::with_capacity(data.questions.len());
        for (i, q) in data.questions.iter().enumerate() {
            fail_if!(problems;
                q.id.trim().is_empty()
                    || q.text.trim().is_empty()
                    || q.title.trim().is_empty()
                    || q.help.trim().is_empty(),
                at("questions", i, "id"),
                "every question needs an id, title, text and help"
            );
            fail_if!(problems;
                by_id.iter().any(|(id, _)| id == &q.id),
                at("questions", i, "id"),
                "question `{}` appears twice",
                q.id
            );
            by_id.push((q.id.clone(), i as u16));
            fail_if!(problems;
                q.refs.is_empty(),
                at("questions", i, "refs"),
                "question `{}` covers no requirement",
                q.id
            );
            let mut refs = Vec::with_capacity(q.refs.len());
            for (j, r) in q.refs.iter().enumerate() {
                let Some(ri) = requirement_index(r) else {
                    return Err(stop(
                        std::mem::take(&mut problems),
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
                    note(
                        &mut problems,
                        format!("/questions/{i}/refs/{j}"),
                        format!(
                            "requirement `{r}` is covered by both `{}` and `{}` in the same mode",
                            data.questions[other as usize].id, q.id
                        ),
                    );
                    continue;
                }
                cover[ri] = Some(i as u16);
                refs.push(ri as u16);
            }
            let all_annex = refs.iter().all(|&r| !is_clause(r as usize));
            let restated_here = refs
                .iter()
                .find_map(|&r| restates[r as usize].map(|c| (r, c)));
            restated.push(restated_here);
            na_allowed.push(all_annex && restated_here.is_none());
            fail_if!(problems;
                q.applicability.is_some() && (!all_annex || restated_here.is_some() || q.quick),
                at("questions", i, "applicability"),
                "question `{}` covers a mandatory clause (or restates one, or is a quick question) and cannot be proposed as not applicable",
                q.id
            );
            fail_if!(problems;
                q.applicability
                    .as_ref()
                    .is_some_and(|a| a.justification.trim().is_empty()),
                at("questions", i, "applicability"),
                "applicability needs a justification"
            );
            fail_if!(problems;
                !(0.0..=50.0).contains(&q.per_system_days),
                at("questions", i, "per_system_days"),
                "per_system_days is 0-50"
            );
            fail_if!(problems;
                !q.quick && all_annex && !q.help.contains(EVIDENCE),
                at("questions", i, "help"),
                "Annex A question `{}` needs `{EVIDENCE}` in its help: the Statement of Applicability lists it",
                q.id
            );
            if !q.quick {
                let ok = q.phase.is_some_and(|p| (1..=6).contains(&p))
                    && q.owner.is_some()
                    && q.effort_days
                        .is_some_and(|e| e.is_finite() && e > 0.0 && e <= 100.0)
                    && q.task.as_deref().is_some_and(|t| !t.trim().is_empty())
                    && q.deliverable
                        .as_deref()
                        .is_some_and(|t| !t.trim().is_empty());
                fail_if!(problems;
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
                || q.per_system_days != 0.0
                || q.risk_sensitive
                || q.records
            {
                note(
                    &mut problems,
                    at("questions", i, "quick"),
                    format!(
                        "quick question `{}` takes its estimator data from the full questions it stands for; remove phase, owner, effort_days, task, deliverable, per_system_days, risk_sensitive and records",
                        q.id
                    ),
                );
            }
            question_refs.push(refs);
        }
        by_id.sort();
        for (ri, r) in data.requirements.iter().enumerate() {
            fail_if!(problems;
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
            let Some(&first) = refs.first() else {
                continue;
            };
            let parent = quick_cover[first as usize].unwrap_or(0);
            fail_if!(problems;
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
                per_system_days: q.per_system_days,
                risk_sensitive: q.risk_sensitive,
                records: q.records,
            });
        }

        // Sources: every assumption and credit names one from the list.
        for (i, src) in data.sources.iter().enumerate() {
            fail_if!(problems;
                src.id.trim().is_empty()
                    || src.title.trim().is_empty()
                    || data.sources[..i].iter().any(|o| o.id == src.id),
                at("sources", i, "id"),
                "every source needs a unique id and a title"
            );
        }
        let has_source = |id: &str| data.sources.iter().any(|s| s.id == id);
        let m = &data.model;
        for (field, id) in [
            ("size", &m.size.source),
            ("systems", &m.systems.source),
            ("roles", &m.roles.source),
            ("days_per_fte_week_source", &m.days_per_fte_week_source),
            ("after_certification", &m.after_certification.source),
        ] {
            fail_if!(problems;
                !has_source(id),
                format!("/model/{field}"),
                "cites unknown source `{id}`"
            );
        }

        // Frameworks.
        let mut item_credits = vec![vec![0.0; data.frameworks.len()]; items.len()];
        for (fi, f) in data.frameworks.iter().enumerate() {
            fail_if!(problems;
                data.frameworks[..fi].iter().any(|o| o.id == f.id),
                at("frameworks", fi, "id"),
                "framework `{}` appears twice",
                f.id.as_str()
            );
            for (ci, c) in f.credits.iter().enumerate() {
                fail_if!(problems;
                    !has_source(&c.source),
                    format!("/frameworks/{fi}/credits/{ci}/source"),
                    "credit cites unknown source `{}`",
                    c.source
                );
                fail_if!(problems;
                    !(c.share > 0.0 && c.share <= 0.9),
                    format!("/frameworks/{fi}/credits/{ci}/share"),
                    "a credit share must be in (0, 0.9]"
                );
                for r in &c.refs {
                    let Some(ri) = requirement_index(r) else {
                        return Err(stop(
                            std::mem::take(&mut problems),
                            format!("/frameworks/{fi}/credits/{ci}/refs"),
                            format!("unknown requirement `{r}`"),
                        ));
                    };
                    let item = requirement_item[ri] as usize;
                    // Missing only when a full question was refused above.
                    if let Some(slot) = item_credits.get_mut(item).and_then(|c| c.get_mut(fi)) {
                        *slot = f64::max(*slot, c.share);
                    }
                }
            }
            fail_if!(problems;
                f.advice.iter().any(|a| !(1..=6).contains(&a.phase)),
                at("frameworks", fi, "advice"),
                "advice phases are 1-6"
            );
        }

        // Dependencies: earlier or in the same phase, between full questions.
        let mut after = Vec::with_capacity(data.questions.len());
        for (i, q) in data.questions.iter().enumerate() {
            let mut deps = Vec::with_capacity(q.after.len());
            for dep in &q.after {
                let position = data.questions.iter().position(|o| &o.id == dep);
                deps.extend(position.map(|p| p as u16));
                let before = position.map(|p| &data.questions[p]);
                fail_if!(problems;
                    q.quick || !before.is_some_and(|b| !b.quick && b.phase <= q.phase),
                    at("questions", i, "after"),
                    "`{}` may only come after full questions of its own or an earlier phase, not `{dep}`",
                    q.id
                );
            }
            after.push(deps);
        }

        // Sectors.
        for (i, s) in data.sectors.iter().enumerate() {
            fail_if!(problems;
                data.sectors[..i].iter().any(|o| o.id == s.id),
                at("sectors", i, "id"),
                "sector `{}` appears twice",
                s.id
            );
            fail_if!(problems;
                !(0.5..=2.0).contains(&s.factor),
                at("sectors", i, "factor"),
                "sector factors are 0.5-2"
            );
        }
        fail_if!(problems;
            !data.sectors.iter().any(|s| s.id == "other"),
            "/sectors",
            "the sector list needs `other`, the default"
        );
        for (i, v) in data.accepts_versions.iter().enumerate() {
            fail_if!(problems;
                !is_version(v) || v == &data.version,
                format!("/accepts_versions/{i}"),
                "accepted versions look like 1.0.0 and are earlier than this one"
            );
        }

        if cfg!(feature = "checks") {
            for (field, reason) in data.site.as_ref().map(Site::problems).unwrap_or_default() {
                note(&mut problems, format!("/site/{field}"), reason);
            }
            problems.extend(validate_model(&data.model));
        }
        stop_if_any!(problems);

        Ok(Bank {
            text: Texts::new(&data, false),
            data,
            by_id,
            items,
            na_allowed,
            restated,
            requirement_group,
            requirement_weight,
            requirement_item,
            item_credits,
            after,
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

    /// Whether assessments made with this bank version are evaluated by this bank.
    pub fn accepts_version(&self, version: &str) -> bool {
        version == self.data.version || self.data.accepts_versions.iter().any(|v| v == version)
    }

    /// The questions of a mode that the inventory proposes as not applicable, each with
    /// the justification naming the systems. An empty inventory (the first system still
    /// planned) proposes every control that some kind of system would bring. A quick
    /// question is proposed when every full question it stands for is.
    pub fn proposed_not_applicable(
        &self,
        systems: &[AiSystem],
        mode: crate::Mode,
    ) -> Vec<(usize, String)> {
        let full = self.full_proposals(systems);
        match mode {
            crate::Mode::Full => full
                .into_iter()
                .enumerate()
                .filter_map(|(ii, j)| Some((self.items[ii].question as usize, j?)))
                .collect(),
            crate::Mode::Quick => self
                .data
                .questions
                .iter()
                .enumerate()
                .filter(|(_, q)| q.quick)
                .filter_map(|(qi, _)| {
                    let mut group = self
                        .items
                        .iter()
                        .zip(&full)
                        .filter(|(item, _)| item.quick_parent as usize == qi);
                    let (_, first) = group.next()?;
                    let first = first.as_ref()?;
                    group.all(|(_, j)| j.is_some()).then(|| (qi, first.clone()))
                })
                .collect(),
        }
    }

    /// For each item: the justification when the inventory proposes it as not applicable.
    pub(crate) fn full_proposals(&self, systems: &[AiSystem]) -> Vec<Option<String>> {
        self.items
            .iter()
            .map(|item| {
                let a = self.data.questions[item.question as usize]
                    .applicability
                    .as_ref()?;
                if systems.iter().any(|s| a.applies_when.holds_for(s)) {
                    return None;
                }
                let names: Vec<&str> = systems.iter().map(|s| s.name.as_str()).collect();
                let names = if names.is_empty() {
                    "none is in the inventory yet".to_string()
                } else {
                    names.join(", ")
                };
                Some(a.justification.replace("{systems}", &names))
            })
            .collect()
    }
}

/// Where a question's help starts naming the evidence to collect.
const EVIDENCE: &str = "Evidence: ";

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

fn validate_spread(problems: &mut Vec<Problem>, s: &Spread, pointer: &str, max: f64) {
    let ok = s.low.is_finite()
        && s.low >= 0.0
        && s.low <= s.likely
        && s.likely <= s.high
        && s.high <= max;
    if !ok {
        note(
            problems,
            pointer,
            format!(
                "needs 0 <= low <= likely <= high <= {}",
                crate::num::decimal(max)
            ),
        );
    }
}

/// Every problem with the estimator's model.
fn validate_model(m: &Model) -> Vec<Problem> {
    let mut problems = Vec::new();
    let p = m.level_points;
    fail_if!(problems;
        p[0] != 0.0
            || p[3] != 100.0
            || p[4] != 100.0
            || !(p[0] <= p[1] && p[1] <= p[2] && p[2] <= p[3]),
        "/model/level_points",
        "points must rise from 0 at level 0 to 100 at levels 3 and 4"
    );
    let s = m.severity_by_level;
    let ranks: Vec<u8> = s.iter().map(|x| x.map_or(0, |sev| 3 - sev as u8)).collect();
    fail_if!(problems;
        s[3].is_some_and(|x| x != crate::Severity::Minor)
            || s[4].is_some()
            || ranks.windows(2).any(|w| w[1] > w[0])
            || s[0] != Some(crate::Severity::Blocker),
        "/model/severity_by_level",
        "severity must fall as the level rises: blocker at 0, at most minor at 3, none at 4"
    );
    let b = m.bands;
    fail_if!(problems;
        !(0.0 < b.developing
            && b.developing < b.advanced
            && b.advanced < b.audit_ready
            && b.audit_ready <= 100.0),
        "/model/bands",
        "band thresholds must rise within 0-100"
    );
    let size = &m.size;
    let e = size.band_employees;
    fail_if!(problems;
        size.curve.len() < 2
            || size
                .curve
                .windows(2)
                .any(|w| w[1][0] <= w[0][0] || w[1][1] < w[0][1])
            || size
                .curve
                .iter()
                .any(|p| !(p[0] >= 1.0 && positive(p[1], 10.0)))
            || ![e.up_to_50, e.up_to_250, e.up_to_1000, e.over_1000]
                .windows(2)
                .all(|w| w[0] >= 1.0 && w[0] < w[1]),
        "/model/size",
        "the size curve needs two or more points with head counts >= 1 rising and factors in (0, 10] not falling; band head counts rise"
    );
    let sy = &m.systems;
    let t = sy.third_party;
    let r = sy.risk;
    fail_if!(problems;
        !(positive(sy.in_house, 5.0)
            && [t.none, t.prompting, t.rag, t.fine_tuning]
                .windows(2)
                .all(|w| positive(w[0], 5.0) && w[0] <= w[1])
            && t.fine_tuning <= sy.in_house
            && [r.minimal, r.limited, r.high, r.prohibited]
                .windows(2)
                .all(|w| w[0] >= 1.0 && w[0] <= w[1] && w[1] <= 5.0)
            && (1.0..=3.0).contains(&sy.offered)
            && (0.0..=1.0).contains(&sy.additional_share)),
        "/model/systems",
        "system weights are in (0, 5] and rise with customisation up to in-house; risk factors are 1-5 and rise with the tier; offered is 1-3; additional_share 0-1"
    );
    let ro = &m.roles;
    fail_if!(problems;
        !(0.0 < ro.deployer
            && ro.deployer <= ro.producer
            && ro.producer <= ro.several
            && ro.several <= 2.0),
        "/model/roles",
        "role factors rise from deployer to producer to several, within (0, 2]"
    );
    fail_if!(problems;
        !(0.0..=50.0).contains(&m.prohibited.effort_days)
            || m.prohibited.title.trim().is_empty()
            || m.prohibited.explanation.trim().is_empty(),
        "/model/prohibited",
        "a prohibited practice needs a title, an explanation and effort_days 0-50"
    );
    let ac = &m.after_certification;
    fail_if!(problems;
        ac.years.len() != 3
            || ac.years.iter().any(|y| y.is_empty())
            || !(0.0..=20.0).contains(&ac.base_fte)
            || !(0.0..=5.0).contains(&ac.per_system_fte),
        "/model/after_certification",
        "three years, each with its events; base_fte 0-20, per_system_fte 0-5"
    );
    fail_if!(problems;
        !(0.0..=0.9).contains(&m.max_credit),
        "/model/max_credit",
        "max_credit is 0-0.9"
    );
    fail_if!(problems;
        !(0.0..=10.0).contains(&m.unknown_followup_days),
        "/model/unknown_followup_days",
        "unknown_followup_days is 0-10"
    );
    fail_if!(problems;
        !positive(m.days_per_fte_week, 7.0),
        "/model/days_per_fte_week",
        "days_per_fte_week is in (0, 7]"
    );
    validate_spread(
        &mut problems,
        &m.operating_period_weeks,
        "/model/operating_period_weeks",
        52.0,
    );
    let u = m.uncertainty;
    let ok = (0.1..=1.0).contains(&u.answered_low)
        && (1.0..=3.0).contains(&u.answered_high)
        && u.unknown_low_level <= 3
        && (1.0..=3.0).contains(&u.unknown_high)
        && (0.1..=1.0).contains(&u.quick_low)
        && (1.0..=3.0).contains(&u.quick_high);
    fail_if!(problems;
        !ok,
        "/model/uncertainty",
        "low multipliers are 0.1-1, high ones 1-3, unknown_low_level 0-3"
    );
    fail_if!(problems;
        m.phases.len() != 6
            || m.phases
                .iter()
                .enumerate()
                .any(|(i, p)| p.number as usize != i + 1),
        "/model/phases",
        "there are exactly six phases, numbered 1-6 in order"
    );
    for (i, ph) in m.phases.iter().enumerate() {
        fail_if!(problems;
            !(0.0..=200.0).contains(&ph.fixed_effort_days) || ph.name.trim().is_empty(),
            format!("/model/phases/{i}"),
            "a phase needs a name and fixed_effort_days 0-200"
        );
        validate_spread(
            &mut problems,
            &ph.min_weeks,
            &format!("/model/phases/{i}/min_weeks"),
            52.0,
        );
        fail_if!(problems;
            ph.min_weeks.low < 1.0,
            format!("/model/phases/{i}/min_weeks"),
            "every phase lasts at least one week"
        );
    }
    problems
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

    #[test]
    fn a_call_to_action_is_trimmed_takes_the_default_label_and_names_what_is_wrong() {
        use super::{CallToAction, DEFAULT_CTA_LABEL};
        let cta = CallToAction::checked(None, " https://c.example/book?band={band} ").unwrap();
        assert_eq!(cta.label, DEFAULT_CTA_LABEL);
        assert_eq!(cta.url, "https://c.example/book?band={band}");
        let cta = CallToAction::checked(Some("  Talk to us "), "http://c.example").unwrap();
        assert_eq!(cta.label, "Talk to us");
        for (label, url, field) in [
            (Some(" "), "https://c.example", "label"),
            (Some("two\nlines"), "https://c.example", "label"),
            (None, "javascript:alert(1)", "url"),
            (None, "https:///path", "url"),
            (None, "https://c.example/a b", "url"),
        ] {
            assert_eq!(
                CallToAction::checked(label, url).unwrap_err().0,
                field,
                "{url}"
            );
        }
    }
}
