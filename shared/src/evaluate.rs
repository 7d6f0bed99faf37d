//! Scores, gaps, the effort and calendar estimate and the roadmap, from a validated assessment.

use crate::bank::{Item, Owner};
use crate::input::{Answer, Level, Mode, Status};
use crate::names::named_enum;
use crate::num::{Figure, round_to};
use crate::text::{Text, TextList};
use crate::validate::Assessment;
use crate::{Bank, Date};
use serde::{Deserialize, Serialize};

named_enum! {
    /// How severe a gap is for certification, most severe first.
    pub enum Severity {
        /// Certification cannot pass while it remains.
        Blocker = "blocker" / "Blocker",
        /// Documented but not yet operating with evidence.
        Major = "major" / "Major",
        /// Operating but not measured: an improvement, not a certification gap.
        Minor = "minor" / "Minor",
    }
}

named_enum! {
    /// Readiness band of the overall score, lowest first.
    pub enum Band {
        /// Below the "developing" threshold.
        Early = "early" / "Early",
        /// Below the "advanced" threshold.
        Developing = "developing" / "Developing",
        /// Below "audit ready", or blockers remain.
        Advanced = "advanced" / "Advanced",
        /// Above the threshold, no blocker left and no major gap on a mandatory clause.
        AuditReady = "audit_ready" / "Audit-ready",
    }
}

named_enum! {
    /// What a roadmap task asks for.
    pub enum Action {
        /// Create what does not exist yet (level 0–1).
        Establish = "establish" / "Establish",
        /// Put a documented practice into operation and keep records (level 2).
        Operate = "operate" / "Put into operation",
        /// Measure and improve what already operates (level 3).
        Improve = "improve" / "Measure and improve",
        /// Find out the current state of something answered "unknown".
        Confirm = "confirm" / "Confirm current state",
        /// Work every programme does in this phase.
        Standard = "standard" / "Standard programme work",
        /// Start with one AI system when many are in scope.
        Pilot = "pilot" / "Pilot",
    }
}

/// The whole answer for one assessment: readiness, estimate and roadmap.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    /// Scores and gaps.
    pub result: Readiness,
    /// Effort and calendar estimate, with its derivation.
    pub estimate: Estimate,
    /// The six-phase roadmap.
    pub roadmap: Roadmap,
}

/// Scores and gaps.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Readiness {
    /// The mode answered.
    pub mode: Mode,
    /// The bank's ID.
    pub bank_id: Text,
    /// The bank's version.
    pub bank_version: Text,
    /// Overall readiness 0–100, one decimal.
    pub overall: f64,
    /// Band of the overall score.
    pub band: Band,
    /// Number of blocker gaps.
    pub blockers: u32,
    /// Number of major gaps.
    pub majors: u32,
    /// Number of minor gaps.
    pub minors: u32,
    /// Questions of this mode.
    pub questions: u32,
    /// Questions answered (any answer, including "unknown").
    pub answered: u32,
    /// Questions answered "unknown" or left unanswered.
    pub unknowns: u32,
    /// Questions answered "not applicable".
    pub not_applicable: u32,
    /// Readiness per clause 4–10.
    pub clauses: Vec<GroupScore>,
    /// Readiness per Annex A objective.
    pub objectives: Vec<GroupScore>,
    /// Readiness per requirement, in bank order.
    pub requirements: Vec<RequirementScore>,
    /// Gaps, blockers first, then by effort (largest first).
    pub gaps: Vec<Gap>,
    /// The Statement of Applicability.
    pub soa: crate::StatementOfApplicability,
}

/// Readiness of a clause or Annex A objective.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupScore {
    /// `"6"` or `"A.6"`.
    pub id: Text,
    /// Title.
    pub title: Text,
    /// 0–100, one decimal; `null` when every control in it is not applicable.
    pub score: Option<f64>,
    /// Blocker gaps in the group.
    pub blockers: u32,
}

/// Readiness of one requirement.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequirementScore {
    /// `"6.1.2"`.
    pub id: Text,
    /// Title.
    pub title: Text,
    /// `"6"`.
    pub group: Text,
    /// The question whose answer set the level.
    pub question: Text,
    /// The answer: a level, `"unknown"` or `"not_applicable"`.
    pub status: Status,
    /// 0–100; `null` when not applicable.
    pub score: Option<f64>,
    /// The justification of a not-applicable answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub justification: Option<String>,
}

/// How a gap's effort was derived (multipliers applied to the bank's weight).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GapBasis {
    /// Person-days from nothing to implemented for the reference organisation (150
    /// people, one in-house minimal-risk system, nothing in place).
    pub weight_days: f64,
    /// Size factor, on the organisation-wide work.
    pub size: f64,
    /// Factor for the roles the organisation plays, on the organisation-wide work.
    pub roles: f64,
    /// Sector factor.
    pub sector: f64,
    /// Person-days per AI system for the reference system.
    pub per_system_days: f64,
    /// The inventory's "systems' worth" on the per-system share (risk tiers included
    /// where the work is risk-sensitive).
    pub systems: f64,
    /// Share saved by frameworks in place (0–1).
    pub credit: f64,
    /// Share of the work still open at this level (likely case).
    pub remaining: f64,
}

/// A requirement that is not yet where certification needs it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Gap {
    /// The first requirement the question covers.
    #[serde(rename = "ref")]
    pub reference: Text,
    /// Every requirement the question covers.
    pub refs: TextList,
    /// The full-assessment question for this work.
    pub question: Text,
    /// The question actually answered (a quick question in quick mode).
    pub answered_by: Text,
    /// Short title.
    pub title: Text,
    /// Blocker, major or minor.
    pub severity: Severity,
    /// The answer.
    pub status: Status,
    /// Whether the requirement is a mandatory clause (not an Annex A control).
    pub mandatory: bool,
    /// Roadmap phase of the work.
    pub phase: u8,
    /// Owner role.
    pub owner: Owner,
    /// What to do.
    pub action: Action,
    /// Person-days to close it, one decimal.
    pub effort_days: Figure,
    /// How the effort was derived.
    pub basis: GapBasis,
    /// The AI system the gap is about, when it is about one (a prohibited practice).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system: Option<Text>,
    /// Why the gap matters, when the title alone does not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explanation: Option<Text>,
}

/// Whole-number low / likely / high.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Range {
    /// Optimistic.
    pub low: u32,
    /// Most likely.
    pub likely: u32,
    /// Pessimistic.
    pub high: u32,
}

/// Effort and duration of one phase.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhaseEstimate {
    /// 1–6.
    pub number: u8,
    /// Name.
    pub name: Text,
    /// Person-days.
    pub effort_days: Range,
    /// Week the phase starts, counted from the programme start.
    pub start_week: Range,
    /// Calendar weeks.
    pub weeks: Range,
}

/// The estimate for a first, narrower scope: the heaviest system alone, when many are in scope.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FirstScope {
    /// The system the first scope holds.
    pub system: Text,
    /// Person-days to certification with that scope.
    pub effort_days: Range,
    /// Weeks to certification with that scope.
    pub weeks_to_certification: Range,
}

/// One step of the derivation of a figure.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Explanation {
    /// Which figure it explains (`"effort_days"`, `"weeks_to_ready"`, `"phase_4.weeks"`).
    pub figure: Text,
    /// The step, in words, with its numbers.
    pub text: String,
}

/// Effort and calendar estimate.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    /// Person-days to certification readiness (all six phases).
    pub effort_days: Range,
    /// Weeks from the start until ready for the Stage 1 audit (end of phase 5).
    pub weeks_to_ready: Range,
    /// Weeks from the start until the Stage 2 audit is done (end of phase 6).
    pub weeks_to_certification: Range,
    /// Per phase.
    pub phases: Vec<PhaseEstimate>,
    /// With many systems in scope: what certifying a first, narrower scope would take.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_scope: Option<FirstScope>,
    /// Full-time equivalents a year to run the AIMS once certified, two decimals.
    pub running_fte: f64,
    /// Person-days the frameworks in place save on the open work (likely case), one
    /// decimal; 0 without any.
    pub saved_days: f64,
    /// How every figure was derived.
    pub explain: Vec<Explanation>,
}

/// Advice for a phase.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Advice {
    /// Where it comes from (`"ISO/IEC 27001"`, `"Scope"`).
    pub source: Text,
    /// The advice.
    pub text: Text,
}

/// A roadmap task.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Task {
    /// What to do.
    pub title: Text,
    /// Who owns it.
    pub owner: Owner,
    /// The kind of work.
    pub action: Action,
    /// Severity of the gap it closes, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<Severity>,
    /// Requirements it serves.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refs: Option<TextList>,
    /// The question it comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub question: Option<Text>,
    /// What it produces.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deliverable: Option<Text>,
    /// Likely person-days, one decimal (0 for standard tasks, which are in the phase's fixed effort).
    pub effort_days: f64,
}

/// One roadmap phase.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoadmapPhase {
    /// 1–6.
    pub number: u8,
    /// Name.
    pub name: Text,
    /// What the phase is for.
    pub purpose: Text,
    /// Who leads it.
    pub owner: Owner,
    /// First day (when the profile has a start date).
    pub start: Option<Date>,
    /// Last day (when the profile has a start date).
    pub end: Option<Date>,
    /// Week offset from the programme start.
    pub start_week: u32,
    /// Likely duration in weeks.
    pub weeks: u32,
    /// Tasks: pilot advice first, then gap tasks (blockers first, larger first), then standard tasks.
    pub tasks: Vec<Task>,
    /// What the phase produces.
    pub deliverables: TextList,
    /// Reuse advice from frameworks in place, and scope advice.
    pub advice: Vec<Advice>,
}

/// The six-phase roadmap.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Roadmap {
    /// Programme start.
    pub start: Option<Date>,
    /// Likely day the organisation is ready for the Stage 1 audit.
    pub ready_by: Option<Date>,
    /// Likely day the Stage 2 audit is done.
    pub certified_by: Option<Date>,
    /// Always the six phases, in order.
    pub phases: Vec<RoadmapPhase>,
    /// The three years of the certificate's cycle after the Stage 2 audit.
    pub years: Vec<Year>,
}

/// One year after certification.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Year {
    /// 1–3.
    pub number: u8,
    /// First day (when the profile has a start date).
    pub start: Option<Date>,
    /// Last day (when the profile has a start date).
    pub end: Option<Date>,
    /// What happens in it: internal audit, management review, the external audit.
    pub events: TextList,
    /// Full-time equivalents to run the AIMS that year.
    pub fte: f64,
}

/// Per-item facts computed once and reused by scores, gaps and the estimate.
pub(crate) struct ItemFacts {
    pub status: Status,
    /// Effort: low, likely, high (0 when not applicable).
    pub effort: [f64; 3],
    pub severity: Option<Severity>,
    pub basis: GapBasis,
    /// Unrounded factors, for the estimate's explanation.
    pub remaining: f64,
    pub credit: f64,
    /// The justification when the inventory excludes the item (quick mode).
    pub excluded: Option<String>,
}

/// What the profile and inventory make of every item, computed once per evaluation.
pub(crate) struct Scope {
    /// Which of the bank's frameworks the organisation runs.
    pub active: Vec<bool>,
    /// Size factor of the organisation-wide work.
    pub size: f64,
    /// Role factor of the organisation-wide work, and the role's description.
    pub roles: f64,
    pub role_name: &'static str,
    /// Systems' worth of per-system work, without and with risk factors.
    pub worth: f64,
    pub risk_worth: f64,
    /// Quick mode: the items the inventory excludes, with the justification.
    pub excluded: Vec<Option<String>>,
}

impl Bank {
    pub(crate) fn scope(&self, a: &Assessment, systems: &[crate::AiSystem]) -> Scope {
        let m = &self.data.model;
        let sy = &m.systems;
        let worth = sy.combine(systems.iter().map(|s| sy.weight(s)));
        let risk_worth = sy.combine(
            systems
                .iter()
                .map(|s| sy.weight(s) * sy.risk_factor(s.risk)),
        );
        let (roles, role_name) = m.roles.factor(systems);
        Scope {
            active: self
                .data
                .frameworks
                .iter()
                .map(|f| crate::validate::has(&a.profile, f.id))
                .collect(),
            size: m.size.factor(a.employees),
            roles,
            role_name,
            worth,
            risk_worth,
            excluded: match a.mode {
                Mode::Quick => self.full_proposals(systems),
                Mode::Full => Vec::new(),
            },
        }
    }
}

impl Bank {
    /// Validates and evaluates in one step.
    ///
    /// ```
    /// use aims_engine::{AssessmentInput, Bank, Band};
    /// let input = AssessmentInput::from_json(r#"{
    ///   "mode": "quick",
    ///   "profile": {"size": "51-250", "ai_systems": 3, "role": "develops", "sector": "finance",
    ///               "frameworks": ["iso27001"], "capacity_fte": 1.5, "start_date": "2027-01-04"},
    ///   "answers": [{"question": "q-quick-context", "level": 3}]
    /// }"#).unwrap();
    /// let evaluation = Bank::embedded().evaluate_input(&input).unwrap();
    /// assert_eq!(evaluation.roadmap.phases.len(), 6);
    /// assert_eq!(evaluation.result.band, Band::Early);
    /// assert!(evaluation.estimate.effort_days.low <= evaluation.estimate.effort_days.high);
    /// ```
    pub fn evaluate_input(
        &self,
        input: &crate::AssessmentInput,
    ) -> Result<Evaluation, crate::Error> {
        let assessment = self.validate(input)?;
        Ok(self.evaluate(&assessment))
    }

    /// Evaluates a validated assessment. Deterministic: the same assessment gives the
    /// same result, natively and in Wasm.
    pub fn evaluate(&self, a: &Assessment) -> Evaluation {
        let scope = self.scope(a, &a.systems);
        let facts = self.facts(a, &scope);
        let (result, gap_items) = self.readiness(a, &facts);
        let (estimate, phase_weeks) = self.estimate(a, &scope, &facts);
        let roadmap = self.roadmap(
            a,
            &facts,
            &result.gaps,
            &gap_items,
            &phase_weeks,
            estimate.running_fte,
        );
        Evaluation {
            result,
            estimate,
            roadmap,
        }
    }

    pub(crate) fn answer_for<'a>(
        &self,
        a: &'a Assessment,
        item: &Item,
    ) -> (Option<&'a Answer>, u16) {
        let q = match a.mode {
            Mode::Full => item.question,
            Mode::Quick => item.quick_parent,
        };
        (a.answers[q as usize].as_ref(), q)
    }

    /// Every item's facts for one scope.
    pub(crate) fn facts(&self, a: &Assessment, scope: &Scope) -> Vec<ItemFacts> {
        self.items
            .iter()
            .enumerate()
            .map(|(ii, item)| self.item_facts(a, ii, item, scope))
            .collect()
    }

    fn item_facts(&self, a: &Assessment, index: usize, item: &Item, scope: &Scope) -> ItemFacts {
        let m = &self.data.model;
        let (answer, _) = self.answer_for(a, item);
        let excluded = scope.excluded.get(index).cloned().flatten();
        let status = match answer {
            _ if excluded.is_some() => Status::NotApplicable,
            Some(Answer::Level(l)) => Status::Level(*l),
            Some(Answer::NotApplicable(_)) => Status::NotApplicable,
            Some(Answer::Unknown) | None => Status::Unknown,
        };
        let size = scope.size;
        let systems = if item.risk_sensitive {
            scope.risk_worth
        } else {
            scope.worth
        };
        let credit = self.credit(index, &scope.active);
        let scale = a.sector_factor
            * (item.effort_days * size * scope.roles + item.per_system_days * systems)
            * (1.0 - credit);
        let remaining = |level: u8| 1.0 - m.level_points[level as usize] / 100.0;
        let u = &m.uncertainty;
        let (quick_low, quick_high) = match a.mode {
            Mode::Quick => (u.quick_low, u.quick_high),
            Mode::Full => (1.0, 1.0),
        };
        let (effort, open_share, severity) = match status {
            Status::NotApplicable => ([0.0; 3], 0.0, None),
            Status::Level(l) => {
                let open = remaining(l.get());
                let likely = scale * open;
                (
                    [
                        likely * u.answered_low * quick_low,
                        likely,
                        likely * u.answered_high * quick_high,
                    ],
                    open,
                    m.severity_by_level[l.get() as usize],
                )
            }
            Status::Unknown => {
                let open = remaining(0);
                let likely = scale * open;
                let low = scale * remaining(u.unknown_low_level) * u.answered_low * quick_low;
                let high = likely * u.answered_high * u.unknown_high * quick_high;
                (
                    [f64::min(low, likely), likely, high],
                    open,
                    m.severity_by_level[0],
                )
            }
        };
        ItemFacts {
            status,
            effort,
            severity,
            remaining: open_share,
            credit,
            excluded,
            basis: GapBasis {
                weight_days: item.effort_days,
                size: round_to(size, 2),
                roles: scope.roles,
                sector: a.sector_factor,
                per_system_days: item.per_system_days,
                systems: round_to(systems, 2),
                credit: round_to(credit, 2),
                remaining: round_to(open_share, 2),
            },
        }
    }

    /// Combined share saved by the frameworks in place: 1 − Π(1 − credit), capped.
    fn credit(&self, index: usize, active: &[bool]) -> f64 {
        let mut keep = 1.0;
        for (share, _) in self.item_credits[index]
            .iter()
            .zip(active)
            .filter(|(_, on)| **on)
        {
            keep *= 1.0 - share;
        }
        f64::min(1.0 - keep, self.data.model.max_credit)
    }

    fn readiness(&self, a: &Assessment, facts: &[ItemFacts]) -> (Readiness, Vec<u16>) {
        let m = &self.data.model;
        // The shown (rounded) score of each level, computed once.
        let shown = m.level_points.map(|p| round_to(p, 1));
        let points = |status: Status| match status {
            Status::Level(l) => Some(m.level_points[l.get() as usize]),
            Status::Unknown => Some(0.0),
            Status::NotApplicable => None,
        };
        let groups = &self.data.groups;
        let mut group_sums = vec![(0.0f64, 0.0f64, 0u32); groups.len()];
        let (mut total, mut total_weight) = (0.0, 0.0);
        let mut requirements = Vec::with_capacity(self.data.requirements.len());
        for ri in 0..self.data.requirements.len() {
            let item_index = self.requirement_item[ri] as usize;
            let item = &self.items[item_index];
            let fact = &facts[item_index];
            let (answer, answered_q) = self.answer_for(a, item);
            let score = points(fact.status);
            let g = self.requirement_group[ri] as usize;
            if let Some(s) = score {
                let w = self.requirement_weight[ri];
                group_sums[g].0 += w * s;
                group_sums[g].1 += w;
                total += w * s;
                total_weight += w;
            }
            if fact.severity == Some(Severity::Blocker) {
                group_sums[g].2 += 1;
            }
            requirements.push(RequirementScore {
                id: self.text.requirement_id[ri].clone(),
                title: self.text.requirement_title[ri].clone(),
                group: self.text.requirement_group[ri].clone(),
                question: self.text.question_id[answered_q as usize].clone(),
                status: fact.status,
                score: score.map(|_| shown[level_index(fact.status)]),
                justification: match answer {
                    _ if fact.excluded.is_some() => fact.excluded.clone(),
                    Some(Answer::NotApplicable(j)) => Some(j.clone()),
                    _ => None,
                },
            });
        }
        let mut clauses = Vec::with_capacity(groups.len());
        let mut objectives = Vec::with_capacity(groups.len());
        for (gi, g) in groups.iter().enumerate() {
            let (sum, weight, blockers) = group_sums[gi];
            let score = GroupScore {
                id: self.text.group_id[gi].clone(),
                title: self.text.group_title[gi].clone(),
                score: (weight > 0.0).then(|| round_to(sum / weight, 1)),
                blockers,
            };
            match g.kind {
                crate::bank::GroupKind::Clause => clauses.push(score),
                crate::bank::GroupKind::AnnexA => objectives.push(score),
            }
        }
        let overall = if total_weight > 0.0 {
            round_to(total / total_weight, 1)
        } else {
            0.0
        };

        // Sort item indices, not gaps: blockers first, then larger likely effort, then bank order.
        // One integer key per gap: severity, then likely effort descending (the bits of a
        // non-negative float order like the float), then bank order.
        let mut keys: Vec<u128> = facts
            .iter()
            .enumerate()
            .filter_map(|(ii, f)| {
                let severity = f.severity? as u128;
                let effort = u128::from(u64::MAX - f.effort[1].max(0.0).to_bits());
                Some(severity << 80 | effort << 16 | ii as u128)
            })
            .collect();
        keys.sort_unstable();
        let gap_items: Vec<u16> = keys.iter().map(|k| *k as u16).collect();
        let mut gaps: Vec<Gap> = Vec::with_capacity(gap_items.len() + 1);
        self.prohibited_gaps(a, &mut gaps);
        for &ii in &gap_items {
            let (item, fact) = (&self.items[ii as usize], &facts[ii as usize]);
            let severity = fact.severity.unwrap_or(Severity::Minor);
            let qi = item.question as usize;
            let refs = self.text.question_refs[qi].clone();
            let (_, answered_q) = self.answer_for(a, item);
            gaps.push(Gap {
                reference: refs[0].clone(),
                refs,
                question: self.text.question_id[qi].clone(),
                answered_by: self.text.question_id[answered_q as usize].clone(),
                title: self.text.question_title[qi].clone(),
                severity,
                status: fact.status,
                mandatory: item.mandatory,
                phase: if severity == Severity::Minor {
                    6
                } else {
                    item.phase
                },
                owner: item.owner,
                action: action_for(fact.status),
                effort_days: Figure::new(fact.effort),
                basis: fact.basis.clone(),
                system: None,
                explanation: None,
            });
        }
        let count = |s: Severity| gaps.iter().filter(|g| g.severity == s).count() as u32;
        let blockers = count(Severity::Blocker);

        let quick = a.mode == Mode::Quick;
        let (mut questions, mut answered, mut unknowns, mut not_applicable) = (0, 0, 0, 0);
        for (qi, q) in self.data.questions.iter().enumerate() {
            if q.quick != quick {
                continue;
            }
            questions += 1;
            match &a.answers[qi] {
                None => unknowns += 1,
                Some(answer) => {
                    answered += 1;
                    match answer {
                        Answer::Unknown => unknowns += 1,
                        Answer::NotApplicable(_) => not_applicable += 1,
                        Answer::Level(_) => {}
                    }
                }
            }
        }
        // A documented but never operated mandatory process (a major gap on a clause)
        // fails Stage 2 as surely as a blocker does.
        let clause_majors = gaps
            .iter()
            .filter(|g| g.mandatory && g.severity == Severity::Major)
            .count();
        let band = if overall >= m.bands.audit_ready && blockers == 0 && clause_majors == 0 {
            Band::AuditReady
        } else if overall >= m.bands.advanced {
            Band::Advanced
        } else if overall >= m.bands.developing {
            Band::Developing
        } else {
            Band::Early
        };
        (
            Readiness {
                mode: a.mode,
                bank_id: self.text.bank_id.clone(),
                bank_version: self.text.version.clone(),
                overall,
                band,
                blockers,
                majors: count(Severity::Major),
                minors: count(Severity::Minor),
                questions,
                answered,
                unknowns,
                not_applicable,
                clauses,
                objectives,
                requirements,
                gaps,
                soa: self.statement(a, facts),
            },
            gap_items,
        )
    }
}

impl Bank {
    /// A blocker gap for every prohibited practice in the inventory: no AIMS can be
    /// certified around one.
    fn prohibited_gaps(&self, a: &Assessment, gaps: &mut Vec<Gap>) {
        let pm = &self.data.model.prohibited;
        let mut prohibited = a
            .systems
            .iter()
            .filter(|s| s.risk == crate::RiskTier::Prohibited)
            .peekable();
        if prohibited.peek().is_none() {
            return;
        }
        // The scope question (4.3): withdrawing a system changes the scope.
        let Some(item) = self.items.iter().find(|i| {
            self.data.questions[i.question as usize]
                .refs
                .iter()
                .any(|r| r == "4.3")
        }) else {
            return;
        };
        let qi = item.question as usize;
        for s in prohibited {
            let effort = round_to(pm.effort_days, 1);
            gaps.push(Gap {
                reference: self.text.question_refs[qi][0].clone(),
                refs: self.text.question_refs[qi].clone(),
                question: self.text.question_id[qi].clone(),
                answered_by: self.text.question_id[qi].clone(),
                title: pm.title.replace("{system}", &s.name).into(),
                severity: Severity::Blocker,
                status: Status::Level(Level::NOT_STARTED),
                mandatory: true,
                phase: 1,
                owner: Owner::Leadership,
                action: Action::Establish,
                effort_days: Figure {
                    low: effort,
                    likely: effort,
                    high: effort,
                },
                basis: GapBasis {
                    weight_days: pm.effort_days,
                    size: 1.0,
                    roles: 1.0,
                    sector: 1.0,
                    per_system_days: 0.0,
                    systems: 1.0,
                    credit: 0.0,
                    remaining: 1.0,
                },
                system: Some(s.name.as_str().into()),
                explanation: Some(pm.explanation.as_str().into()),
            });
        }
    }
}

/// The level a status scores as (unknown scores as 0; not applicable is never asked).
fn level_index(status: Status) -> usize {
    match status {
        Status::Level(l) => l.get() as usize,
        _ => 0,
    }
}

fn action_for(status: Status) -> Action {
    match status {
        Status::Unknown => Action::Establish,
        Status::Level(l) if l < Level::DEFINED => Action::Establish,
        Status::Level(l) if l == Level::DEFINED => Action::Operate,
        _ => Action::Improve,
    }
}

/// When a phase starts and how long it lasts, in whole weeks: low, likely, high.
#[derive(Debug, Clone)]
pub(crate) struct Span {
    pub start: [u32; 3],
    pub weeks: [u32; 3],
}

/// The six phases' spans; used by the roadmap.
pub(crate) type PhaseWeeks = Vec<Span>;
