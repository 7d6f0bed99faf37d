//! The Statement of Applicability: every Annex A control, included or excluded, with the
//! reason, its status, the systems and gap it links to, its owner and the evidence to keep.

use crate::bank::{AppliesWhen, Owner};
use crate::evaluate::{ItemFacts, Severity};
use crate::input::{AiSystem, Answer, RiskTier, Status};
use crate::text::{Text, TextList};
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
    pub justification: Text,
    /// Implementation status: the answer that covers it.
    pub status: Status,
    /// The AI systems it is about (empty: organisation-wide).
    pub systems: TextList,
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
    /// facts for the whole inventory. The systems' list and the justification of each
    /// condition are built once and shared by the controls that have it.
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
        let linked = |pick: &dyn Fn(&AiSystem) -> bool| {
            let picked = a.systems.iter().zip(&names).filter(|(s, _)| pick(s));
            TextList::new(picked.map(|(_, n)| n.clone()).collect(), false)
        };
        let joined = |list: &TextList| list.iter().map(Text::as_str).collect::<Vec<_>>().join(", ");
        let none = TextList::new(Vec::new(), false);
        let every = linked(&|_| true);
        // The EU AI Act duty's wording around `{duty}`, with the high-risk systems named.
        let high_risk = joined(&linked(&|s| s.risk == RiskTier::High));
        let duty_words = (!high_risk.is_empty()).then(|| {
            let text = words.high_risk.replace("{systems}", &high_risk);
            let (before, after) = text.split_once("{duty}").unwrap_or((&text, ""));
            (before.to_string(), after.to_string())
        });
        let mut by_condition: Vec<Option<(TextList, Text)>> = vec![None; AppliesWhen::ALL.len()];
        let mut controls = Vec::with_capacity(self.text.soa_reason.len());
        for (ri, reason) in self.text.soa_reason.iter().enumerate() {
            let Some(reason) = reason else { continue };
            let ii = self.requirement_item[ri] as usize;
            let (item, fact) = (&self.items[ii], &facts[ii]);
            let qi = item.question as usize;
            let included = fact.status != Status::NotApplicable;
            let condition = self.data.questions[qi]
                .applicability
                .as_ref()
                .map(|c| c.applies_when);
            let (systems, justification) = match condition {
                _ if !included => {
                    let (answer, _) = self.answer_for(a, item);
                    let why = match (answer, &fact.excluded) {
                        (_, Some(j)) | (Some(Answer::NotApplicable(j)), None) => j.as_str(),
                        _ => "",
                    };
                    (none.clone(), Text::from(why))
                }
                Some(when) => {
                    let slot = &mut by_condition[when as usize];
                    let (list, because) = slot.get_or_insert_with(|| {
                        let list = linked(&|s| when.holds_for(s));
                        let because = if list.is_empty() {
                            self.text.soa_chosen.clone()
                        } else {
                            Text::from(
                                words
                                    .applies_because
                                    .text(when)
                                    .replace("{systems}", &joined(&list)),
                            )
                        };
                        (list, because)
                    });
                    (list.clone(), because.clone())
                }
                None => {
                    let list = if item.per_system_days > 0.0 {
                        &every
                    } else {
                        &none
                    };
                    let why = self.text.soa_restated[ri].as_ref().unwrap_or(reason);
                    (list.clone(), why.clone())
                }
            };
            let justification = match (&self.text.requirement_duty[ri], &duty_words) {
                (Some(duty), Some((before, after))) if included => {
                    Text::from([&*justification, " ", before, duty, after].concat())
                }
                _ => justification,
            };
            controls.push(SoaControl {
                control: self.text.requirement_id[ri].clone(),
                title: self.text.requirement_title[ri].clone(),
                objective: self.text.requirement_group[ri].clone(),
                included,
                justification,
                status: fact.status,
                systems,
                question: self.text.question_id[qi].clone(),
                gap: fact.severity,
                owner: item.owner,
                evidence: self.text.question_evidence[qi].clone(),
            });
        }
        let included = controls.iter().filter(|c| c.included).count() as u32;
        StatementOfApplicability {
            version: a
                .soa
                .version
                .as_deref()
                .map_or_else(|| self.text.soa_draft.clone(), |v| Text::from(v.trim())),
            date: a.soa.date,
            approved_by: a.soa.approved_by.as_deref().map(|v| Text::from(v.trim())),
            included,
            excluded: controls.len() as u32 - included,
            controls,
        }
    }
}
