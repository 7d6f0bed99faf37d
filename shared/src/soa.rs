//! The Statement of Applicability: every Annex A control, included or excluded, with the
//! reason, its status, the systems and gap it links to, its owner and the evidence to keep.

use crate::bank::{GroupKind, Owner};
use crate::evaluate::{ItemFacts, Severity};
use crate::input::{Answer, RiskTier, Status};
use crate::text::Text;
use crate::validate::Assessment;
use crate::{Bank, Date};
use serde::{Deserialize, Serialize};

/// The Statement of Applicability (ISO/IEC 42001 6.1.3): the document an auditor reads
/// to see which Annex A controls the AIMS uses and why the others are left out.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatementOfApplicability {
    /// The document's version: `soa.version` from the input, or the bank's draft label.
    pub version: Text,
    /// The date of this version, when the input sets it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub date: Option<Date>,
    /// Who approved it, when the input says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approved_by: Option<Text>,
    /// Controls included.
    pub included: u32,
    /// Controls excluded.
    pub excluded: u32,
    /// Every Annex A control, in bank order.
    pub controls: Vec<SoaControl>,
}

/// One Annex A control in the Statement of Applicability.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SoaControl {
    /// `"A.6.2.4"`.
    pub control: Text,
    /// Short title.
    pub title: Text,
    /// The control objective (`"A.6.2"`).
    pub objective: Text,
    /// Whether the AIMS uses it.
    pub included: bool,
    /// Why it is included (the clause, systems or duty that need it) or excluded.
    pub justification: String,
    /// Implementation status: the answer that covers it.
    pub status: Status,
    /// The AI systems it is about (empty: organisation-wide).
    pub systems: Vec<Text>,
    /// The question that assesses it.
    pub question: Text,
    /// The severity of its gap, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gap: Option<Severity>,
    /// Who owns it.
    pub owner: Owner,
    /// The evidence to collect.
    pub evidence: Text,
}

impl Bank {
    /// The Statement of Applicability for one evaluated assessment. `facts` are the items'
    /// facts for the whole inventory.
    pub(crate) fn statement(
        &self,
        a: &Assessment,
        facts: &[ItemFacts],
    ) -> StatementOfApplicability {
        let words = &self.data.model.soa;
        let names: Vec<Text> = a
            .systems
            .iter()
            .map(|s| Text::from(s.name.as_str()))
            .collect();
        let join = |pick: &mut dyn FnMut(usize) -> bool| -> (Vec<Text>, String) {
            let linked: Vec<Text> = (0..names.len())
                .filter(|&i| pick(i))
                .map(|i| names[i].clone())
                .collect();
            let joined = linked
                .iter()
                .map(|t| t.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            (linked, joined)
        };
        let (_, high_risk) = join(&mut |i| a.systems[i].risk == RiskTier::High);
        let mut controls = Vec::with_capacity(38);
        for (ri, r) in self.data.requirements.iter().enumerate() {
            let group = &self.data.groups[self.requirement_group[ri] as usize];
            if group.kind != GroupKind::AnnexA {
                continue;
            }
            let ii = self.requirement_item[ri] as usize;
            let (item, fact) = (&self.items[ii], &facts[ii]);
            let question = &self.data.questions[item.question as usize];
            let condition = question.applicability.as_ref().map(|c| c.applies_when);
            let included = fact.status != Status::NotApplicable;
            let (systems, joined) = match condition {
                _ if !included => (Vec::new(), String::new()),
                Some(when) => join(&mut |i| when.holds_for(&a.systems[i])),
                None if item.per_system_days > 0.0 => join(&mut |_| true),
                None => (Vec::new(), String::new()),
            };
            let justification = if !included {
                let (answer, _) = self.answer_for(a, item);
                match (answer, &fact.excluded) {
                    (_, Some(j)) | (Some(Answer::NotApplicable(j)), None) => j.clone(),
                    _ => String::new(),
                }
            } else {
                let mut why = match (&r.restates, condition) {
                    (Some(clause), _) => words.restated.replace("{clause}", clause),
                    (None, Some(_)) if systems.is_empty() => words.chosen.clone(),
                    (None, Some(when)) => words
                        .applies_because
                        .text(when)
                        .replace("{systems}", &joined),
                    (None, None) => group.soa_reason.clone().unwrap_or_default(),
                };
                if let Some(duty) = &self.text.requirement_duty[ri]
                    && !high_risk.is_empty()
                {
                    why.push(' ');
                    why.push_str(
                        &words
                            .high_risk
                            .replace("{systems}", &high_risk)
                            .replace("{duty}", duty),
                    );
                }
                why
            };
            controls.push(SoaControl {
                control: self.text.requirement_id[ri].clone(),
                title: self.text.requirement_title[ri].clone(),
                objective: self.text.requirement_group[ri].clone(),
                included,
                justification,
                status: fact.status,
                systems,
                question: self.text.question_id[item.question as usize].clone(),
                gap: fact.severity,
                owner: item.owner,
                evidence: self.text.question_evidence[item.question as usize].clone(),
            });
        }
        let included = controls.iter().filter(|c| c.included).count() as u32;
        StatementOfApplicability {
            version: a.soa.version.as_deref().map_or_else(
                || Text::from(words.draft_version.as_str()),
                |v| Text::from(v.trim()),
            ),
            date: a.soa.date,
            approved_by: a.soa.approved_by.as_deref().map(|v| Text::from(v.trim())),
            included,
            excluded: controls.len() as u32 - included,
            controls,
        }
    }
}
