//! The six-phase roadmap: tasks from the gaps, owners, deliverables, dates and reuse advice.

use crate::Bank;
use crate::evaluate::{
    Action, Advice, Gap, ItemFacts, PhaseWeeks, Roadmap, RoadmapPhase, Task, Year,
};
use crate::input::Status;
use crate::num::round_to;
use crate::validate::Assessment;

impl Bank {
    /// Moves each gap task after the tasks of the same list it depends on (the bank's
    /// `after`), keeping the order otherwise. `questions` holds each task's question index
    /// and moves with it.
    fn order_by_dependencies(&self, tasks: &mut Vec<Task>, questions: &mut Vec<Option<u16>>) {
        let deps = |q: Option<u16>| q.map_or(&[][..], |q| self.after[q as usize].as_slice());
        // Few tasks per phase and short chains: a pass per move is plenty.
        for _ in 0..tasks.len() {
            let misplaced = questions.iter().enumerate().find_map(|(i, &q)| {
                let needs = deps(q);
                if needs.is_empty() {
                    return None;
                }
                let last_dep = questions
                    .iter()
                    .rposition(|o| o.is_some_and(|o| needs.contains(&o)))?;
                (last_dep > i).then_some((i, last_dep))
            });
            let Some((from, to)) = misplaced else {
                return;
            };
            let task = tasks.remove(from);
            tasks.insert(to, task);
            let question = questions.remove(from);
            questions.insert(to, question);
        }
    }

    pub(crate) fn roadmap(
        &self,
        a: &Assessment,
        facts: &[ItemFacts],
        gaps: &[Gap],
        gap_items: &[u16],
        weeks: &PhaseWeeks,
        running_fte: f64,
    ) -> Roadmap {
        let m = &self.data.model;
        let p = &a.profile;
        let start = p.start_date;
        let mut phases = Vec::with_capacity(6);
        // Gaps about prohibited practices come first and have no item.
        let prohibited = gaps.len() - gap_items.len();
        for (i, ph) in m.phases.iter().enumerate() {
            let (offset, w) = (weeks[i].start[1], weeks[i].weeks[1]);
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
            // Each task's question, while the gap tasks are put in order.
            let mut questions = Vec::with_capacity(tasks.capacity());
            let mut advice = Vec::with_capacity(4);
            if ph.number == 1 && a.systems.len() as u64 >= u64::from(m.pilot_first.min_systems) {
                questions.push(None);
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
                    source: format!("{} AI systems in scope", a.systems.len()).into(),
                    text: self.text.pilot_advice.clone(),
                });
            }
            if ph.number == 1 {
                for g in &gaps[..prohibited] {
                    questions.push(None);
                    tasks.push(Task {
                        title: g.title.clone(),
                        owner: g.owner,
                        action: g.action,
                        severity: Some(g.severity),
                        refs: Some(g.refs.clone()),
                        question: None,
                        deliverable: None,
                        effort_days: g.effort_days.likely,
                    });
                }
            }
            // Gaps are already sorted blockers first, then larger first.
            for (g, &item) in gaps[prohibited..].iter().zip(gap_items) {
                if g.phase != ph.number {
                    continue;
                }
                let qi = self.items[item as usize].question as usize;
                questions.push(Some(qi as u16));
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
            self.order_by_dependencies(&mut tasks, &mut questions);
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
        }
        let certified = weeks[5].start[1] + weeks[5].weeks[1];
        let years = self
            .text
            .years
            .iter()
            .enumerate()
            .map(|(y, events)| {
                let first = certified + 52 * y as u32;
                let day = |week: u32| start.map(|s| s.add_days(7 * i64::from(week)));
                Year {
                    number: y as u8 + 1,
                    start: day(first),
                    end: day(first + 52).map(|d| d.add_days(-1)),
                    events: events.clone(),
                    fte: running_fte,
                }
            })
            .collect();
        Roadmap {
            start,
            ready_by: phases[4].end,
            certified_by: phases[5].end,
            phases,
            years,
        }
    }
}
