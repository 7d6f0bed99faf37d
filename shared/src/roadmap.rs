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
        gap_items: &[u16],
        weeks: &PhaseWeeks,
    ) -> Roadmap {
        let m = &self.data.model;
        let p = &a.profile;
        let start = p.start_date;
        let mut phases = Vec::with_capacity(6);
        let mut offset = 0u32;
        for (i, ph) in m.phases.iter().enumerate() {
            let w = weeks[i][1];
            let unknowns = if ph.number == 2 {
                facts.iter().filter(|f| f.status == Status::Unknown).count()
            } else {
                0
            };
            let mut tasks = Vec::with_capacity(
                1 + gaps.iter().filter(|g| g.phase == ph.number).count()
                    + unknowns
                    + self.text.phase_tasks[i].len(),
            );
            let mut advice = Vec::with_capacity(4);
            if ph.number == 1 && p.ai_systems >= m.pilot_first.min_systems {
                tasks.push(Task {
                    title: self.text.pilot_task.clone(),
                    owner: ph.owner,
                    action: Action::Pilot,
                    severity: None,
                    refs: Some(self.text.pilot_refs.clone()),
                    question: None,
                    deliverable: None,
                    effort_days: 0.0,
                });
                advice.push(Advice {
                    source: format!("{} AI systems in scope", p.ai_systems).into(),
                    text: self.text.pilot_advice.clone(),
                });
            }
            // Gaps are already sorted blockers first, then larger first.
            for (g, &item) in gaps.iter().zip(gap_items) {
                if g.phase != ph.number {
                    continue;
                }
                let qi = self.items[item as usize].question as usize;
                tasks.push(Task {
                    title: self.text.question_task[qi].clone(),
                    owner: g.owner,
                    action: g.action,
                    severity: Some(g.severity),
                    refs: Some(g.refs.clone()),
                    question: Some(g.question.clone()),
                    deliverable: self.text.question_deliverable[qi].clone(),
                    effort_days: g.effort_days.likely,
                });
            }
            if ph.number == 2 {
                for (item, f) in self.items.iter().zip(facts) {
                    if f.status != Status::Unknown {
                        continue;
                    }
                    let qi = item.question as usize;
                    tasks.push(Task {
                        title: format!(
                            "Find out where \"{}\" stands today and record the evidence",
                            self.text.question_title[qi]
                        )
                        .into(),
                        owner: item.owner,
                        action: Action::Confirm,
                        severity: None,
                        refs: Some(self.text.question_refs[qi].clone()),
                        question: Some(self.text.question_id[qi].clone()),
                        deliverable: None,
                        effort_days: round_to(m.unknown_followup_days, 1),
                    });
                }
            }
            for t in &self.text.phase_tasks[i] {
                tasks.push(Task {
                    title: t.clone(),
                    owner: ph.owner,
                    action: Action::Standard,
                    severity: None,
                    refs: None,
                    question: None,
                    deliverable: None,
                    effort_days: 0.0,
                });
            }
            for (fi, f) in self.data.frameworks.iter().enumerate() {
                if !crate::validate::has(p, f.id) {
                    continue;
                }
                for (phase, text) in &self.text.framework_advice[fi] {
                    if *phase == ph.number {
                        advice.push(Advice {
                            source: self.text.framework_name[fi].clone(),
                            text: text.clone(),
                        });
                    }
                }
            }
            let day = |weeks: u32| start.map(|s| s.add_days(7 * i64::from(weeks)));
            phases.push(RoadmapPhase {
                number: ph.number,
                name: self.text.phase_name[i].clone(),
                purpose: self.text.phase_purpose[i].clone(),
                owner: ph.owner,
                start: day(offset),
                end: day(offset + w).map(|d| d.add_days(-1)),
                start_week: offset,
                weeks: w,
                tasks,
                deliverables: self.text.phase_deliverables[i].clone(),
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
