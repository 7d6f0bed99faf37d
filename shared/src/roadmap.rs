//! The six-phase roadmap: tasks from the gaps, owners, deliverables, dates and reuse advice.

use crate::Bank;
use crate::evaluate::{Action, Advice, Gap, ItemFacts, PhaseWeeks, Roadmap, RoadmapPhase, Task};
use crate::input::Status;
use crate::num::round_to;
use crate::validate::Assessment;

impl Bank {
    pub(crate) fn roadmap(
        &self,
        a: &Assessment,
        facts: &[ItemFacts],
        gaps: &[Gap],
        weeks: &PhaseWeeks,
    ) -> Roadmap {
        let m = &self.data.model;
        let p = &a.profile;
        let start = p.start_date;
        let mut phases = Vec::with_capacity(6);
        let mut offset = 0u32;
        for (i, ph) in m.phases.iter().enumerate() {
            let w = weeks[i][1];
            let mut tasks = Vec::new();
            let mut advice = Vec::new();
            if ph.number == 1 && p.ai_systems >= m.pilot_first.min_systems {
                tasks.push(Task {
                    title: m.pilot_first.task.clone(),
                    owner: ph.owner,
                    action: Action::Pilot,
                    severity: None,
                    refs: vec!["4.3".to_string()],
                    question: None,
                    deliverable: None,
                    effort_days: 0.0,
                });
                advice.push(Advice {
                    source: format!("{} AI systems in scope", p.ai_systems),
                    text: m.pilot_first.advice.clone(),
                });
            }
            // Gaps are already sorted blockers first, then larger first.
            for g in gaps.iter().filter(|g| g.phase == ph.number) {
                let q = self
                    .question(&g.question)
                    .expect("gaps name bank questions");
                tasks.push(Task {
                    title: q.task.clone().unwrap_or_default(),
                    owner: g.owner,
                    action: g.action,
                    severity: Some(g.severity),
                    refs: g.refs.clone(),
                    question: Some(g.question.clone()),
                    deliverable: q.deliverable.clone(),
                    effort_days: g.effort_days.likely,
                });
            }
            if ph.number == 2 {
                for (item, f) in self.items.iter().zip(facts) {
                    if f.status != Status::Unknown {
                        continue;
                    }
                    let q = &self.data.questions[item.question as usize];
                    tasks.push(Task {
                        title: format!(
                            "Find out where \"{}\" stands today and record the evidence",
                            q.title
                        ),
                        owner: item.owner,
                        action: Action::Confirm,
                        severity: None,
                        refs: q.refs.clone(),
                        question: Some(q.id.clone()),
                        deliverable: None,
                        effort_days: round_to(m.unknown_followup_days, 1),
                    });
                }
            }
            for t in &ph.standard_tasks {
                tasks.push(Task {
                    title: t.clone(),
                    owner: ph.owner,
                    action: Action::Standard,
                    severity: None,
                    refs: Vec::new(),
                    question: None,
                    deliverable: None,
                    effort_days: 0.0,
                });
            }
            for f in &self.data.frameworks {
                if !crate::validate::has(p, f.id) {
                    continue;
                }
                for adv in f.advice.iter().filter(|adv| adv.phase == ph.number) {
                    advice.push(Advice {
                        source: f.name.clone(),
                        text: adv.text.clone(),
                    });
                }
            }
            let day = |weeks: u32| start.map(|s| s.add_days(7 * i64::from(weeks)));
            phases.push(RoadmapPhase {
                number: ph.number,
                name: ph.name.clone(),
                purpose: ph.purpose.clone(),
                owner: ph.owner,
                start: day(offset),
                end: day(offset + w).map(|d| d.add_days(-1)),
                start_week: offset,
                weeks: w,
                tasks,
                deliverables: ph.deliverables.clone(),
                advice,
            });
            offset += w;
        }
        Roadmap {
            start,
            ready_by: phases[4].end,
            certified_by: phases[5].end,
            phases,
        }
    }
}
