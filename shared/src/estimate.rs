//! Effort (person-days) and calendar time (weeks) per phase, with the derivation of each figure.

use crate::Bank;
use crate::evaluate::{
    Estimate, Explanation, FirstScope, ItemFacts, PhaseEstimate, PhaseWeeks, Range, Scope, Span,
};
use crate::input::{Mode, RiskTier, Status};
use crate::num::{round_half_away, whole, whole_up};
use crate::text::Text;
use crate::validate::Assessment;

/// A number with a fixed count of decimals, printed through integers: float formatting
/// is slow, and this keeps the engine's text identical on every platform.
struct Fixed {
    /// The value times 10^decimals, rounded.
    scaled: i64,
    decimals: u32,
}

/// One decimal, without a trailing ".0".
fn fmt1(x: f64) -> Fixed {
    let tenths = round_half_away(x * 10.0) as i64;
    if tenths % 10 == 0 {
        Fixed {
            scaled: tenths / 10,
            decimals: 0,
        }
    } else {
        Fixed {
            scaled: tenths,
            decimals: 1,
        }
    }
}

/// Two decimals.
fn fmt2(x: f64) -> Fixed {
    Fixed {
        scaled: round_half_away(x * 100.0) as i64,
        decimals: 2,
    }
}

fn push_digits(out: &mut String, mut v: u64, width: usize) {
    let mut buf = [b'0'; 20];
    let mut i = buf.len();
    while v > 0 || buf.len() - i < width.max(1) {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
    }
    for &digit in &buf[i..] {
        out.push(char::from(digit));
    }
}

/// One explanation line, built by appending (explanations are most of the text an
/// evaluation produces, and `format!` would dominate the engine's time).
struct Line(String);

impl Line {
    fn new(text: &str) -> Line {
        let mut s = String::with_capacity(320);
        s.push_str(text);
        Line(s)
    }

    fn t(mut self, text: &str) -> Line {
        self.0.push_str(text);
        self
    }

    fn int(mut self, n: impl Into<i64>) -> Line {
        let n = n.into();
        if n < 0 {
            self.0.push('-');
        }
        push_digits(&mut self.0, n.unsigned_abs(), 1);
        self
    }

    fn fixed(mut self, f: Fixed) -> Line {
        if f.scaled < 0 {
            self.0.push('-');
        }
        let scale = 10u64.pow(f.decimals);
        let v = f.scaled.unsigned_abs();
        push_digits(&mut self.0, v / scale, 1);
        if f.decimals > 0 {
            self.0.push('.');
            push_digits(&mut self.0, v % scale, f.decimals as usize);
        }
        self
    }

    fn n1(self, x: f64) -> Line {
        self.fixed(fmt1(x))
    }

    fn n2(self, x: f64) -> Line {
        self.fixed(fmt2(x))
    }
}

/// The figure names of the phases' durations.
const PHASE_WEEKS: [&str; 6] = [
    "phase_1.weeks",
    "phase_2.weeks",
    "phase_3.weeks",
    "phase_4.weeks",
    "phase_5.weeks",
    "phase_6.weeks",
];

fn range(x: [f64; 3]) -> Range {
    Range {
        low: whole(x[0]),
        likely: whole(x[1]),
        high: whole(x[2]),
    }
}

fn range_u(x: [u32; 3]) -> Range {
    Range {
        low: x[0],
        likely: x[1],
        high: x[2],
    }
}

fn explain(out: &mut Vec<Explanation>, figure: &'static str, line: Line) {
    out.push(Explanation {
        figure: Text::from_static(figure),
        text: line.0,
    });
}

/// Work and calendar of one scope, before any explanation is written.
pub(crate) struct Plan {
    /// Person-days per phase: low, likely, high.
    pub effort: [[f64; 3]; 6],
    pub total: [f64; 3],
    /// Per phase: start week and weeks, low / likely / high.
    pub spans: PhaseWeeks,
    /// Per phase: the lead time that applied (likely), and whether the phase has open gaps.
    pub lead: [f64; 6],
    pub open: [bool; 6],
    /// The first phase (index) with open work that needs records, so that the operating
    /// period applies.
    pub records_from: Option<usize>,
    /// Person-days of the fixed programme work (all phases, likely).
    pub fixed: f64,
    /// Person-days to find out the unknown answers (likely).
    pub followup: f64,
    pub unknown_items: u32,
    /// Person-days for prohibited practices (likely).
    pub prohibited: f64,
    pub prohibited_count: u32,
}

impl Bank {
    // Low, likely and high run side by side through several arrays: indexing reads best.
    #[allow(clippy::needless_range_loop)]
    pub(crate) fn plan(&self, a: &Assessment, scope: &Scope, facts: &[ItemFacts]) -> Plan {
        let m = &self.data.model;
        let u = &m.uncertainty;
        let mut effort = [[0.0f64; 3]; 6];
        let mut open = [false; 6];
        // The operating period runs from the start of the first phase with a control
        // that keeps records (those already operating keep producing them), as long as
        // any such control is still open. Closing one never moves the start later.
        let (mut records_first, mut records_open) = (usize::MAX, false);
        let mut unknown_items = 0u32;
        for (item, f) in self.items.iter().zip(facts) {
            let ph = (item.phase - 1) as usize;
            for k in 0..3 {
                effort[ph][k] += f.effort[k];
            }
            if item.records && item.phase <= 4 && f.status != Status::NotApplicable {
                records_first = records_first.min(ph);
                records_open |= f.effort[1] > 0.0;
            }
            if f.effort[1] > 0.0 {
                open[ph] = true;
            }
            if f.status == Status::Unknown {
                unknown_items += 1;
            }
        }
        let records_from = records_open.then_some(records_first);
        let followup = f64::from(unknown_items) * m.unknown_followup_days;
        let prohibited_count = a
            .systems
            .iter()
            .filter(|s| s.risk == RiskTier::Prohibited)
            .count() as u32;
        let prohibited = f64::from(prohibited_count) * m.prohibited.effort_days;
        let mut add = |phase: usize, days: f64| {
            effort[phase][0] += days * u.answered_low;
            effort[phase][1] += days;
            effort[phase][2] += days * u.answered_high;
        };
        add(1, followup);
        add(0, prohibited);
        if prohibited_count > 0 {
            open[0] = true;
        }
        let mut fixed = 0.0;
        for (i, ph) in m.phases.iter().enumerate() {
            let days = ph.fixed_effort_days * scope.size * scope.roles * a.sector_factor;
            fixed += days;
            add(i, days);
        }
        let mut total = [0.0; 3];
        for e in &effort {
            for k in 0..3 {
                total[k] += e[k];
            }
        }

        // Calendar: phases 1, 2, 5 and 6 one after the other; phase 4 (the technical
        // workstream) starts once phase 3's lead time (the AI policy's approval) has
        // passed and runs alongside the rest of phase 3, both drawing on one capacity.
        let per_week = a.profile.capacity_fte * m.days_per_fte_week;
        let op = &m.operating_period_weeks;
        let op = [op.low, op.likely, op.high];
        let mut lead = [0.0; 6];
        let mut spans: PhaseWeeks = vec![
            Span {
                start: [0; 3],
                weeks: [0; 3],
            };
            6
        ];
        for k in 0..3 {
            let lead_of = |i: usize| {
                let ph = &m.phases[i];
                let w = [ph.min_weeks.low, ph.min_weeks.likely, ph.min_weeks.high][k];
                if ph.lead_time_when_open && !open[i] {
                    0.0
                } else {
                    w
                }
            };
            let work = |i: usize| effort[i][k] / per_week;
            // Time runs continuously and is rounded up to whole weeks only at the phase
            // boundaries, so that six roundings do not add up; every phase keeps a week.
            let (mut t, mut week) = (0.0f64, 0u32);
            let mut starts = [0.0f64; 6];
            let sequential = |i: usize, t: &mut f64, week: &mut u32, spans: &mut PhaseWeeks| {
                *t += f64::max(work(i), lead_of(i));
                let end = u32::max(whole_up(*t), *week + 1);
                spans[i].start[k] = *week;
                spans[i].weeks[k] = end - *week;
                *week = end;
            };
            sequential(0, &mut t, &mut week, &mut spans);
            starts[1] = t;
            sequential(1, &mut t, &mut week, &mut spans);
            starts[2] = t;
            let d5 = f64::max(work(4), lead_of(4));
            let lead3 = lead_of(2);
            let d3 = f64::max(work(2), lead3);
            let offset4 = f64::min(d3, lead3);
            starts[3] = t + offset4;
            // Controls must operate, producing records, from the start of the first phase
            // that puts one in place until the internal audit and management review at
            // the end of phase 5.
            let records = records_from.map_or(0.0, |r| starts[r] + op[k] - d5 - starts[3]);
            let lead4 = f64::max(lead_of(3), records);
            let end3 = t + d3;
            let end4 = f64::max(
                t + offset4 + f64::max(work(3), lead4),
                t + work(2) + work(3),
            );
            let (start3, start4) = (week, week + whole(offset4));
            let week3 = u32::max(whole_up(end3), start3 + 1);
            let week4 = u32::max(whole_up(end4), start4 + 1);
            spans[2].start[k] = start3;
            spans[2].weeks[k] = week3 - start3;
            spans[3].start[k] = start4;
            spans[3].weeks[k] = week4 - start4;
            t = f64::max(end3, end4);
            week = week3.max(week4);
            sequential(4, &mut t, &mut week, &mut spans);
            sequential(5, &mut t, &mut week, &mut spans);
            if k == 1 {
                lead = [0, 1, 2, 3, 4, 5].map(lead_of);
                lead[3] = lead4;
            }
        }
        Plan {
            effort,
            total,
            spans,
            lead,
            open,
            records_from,
            fixed,
            followup,
            unknown_items,
            prohibited,
            prohibited_count,
        }
    }

    /// The first scope when many systems are in scope: the heaviest system alone.
    fn first_scope(&self, a: &Assessment) -> Option<FirstScope> {
        let m = &self.data.model;
        if (a.systems.len() as u64) < u64::from(m.pilot_first.min_systems) {
            return None;
        }
        let sy = &m.systems;
        let heaviest = a.systems.iter().fold(&a.systems[0], |best, s| {
            let w = |s: &crate::AiSystem| sy.weight(s) * sy.risk_factor(s.risk);
            if w(s) > w(best) { s } else { best }
        });
        let pilot = std::slice::from_ref(heaviest);
        let scope = self.scope(a, pilot);
        let facts = self.facts(a, &scope);
        let plan = self.plan(a, &scope, &facts);
        let end = |k: usize| plan.spans[5].start[k] + plan.spans[5].weeks[k];
        Some(FirstScope {
            system: heaviest.name.as_str().into(),
            effort_days: range(plan.total),
            weeks_to_certification: range_u([end(0), end(1), end(2)]),
        })
    }

    pub(crate) fn estimate(
        &self,
        a: &Assessment,
        scope: &Scope,
        facts: &[ItemFacts],
    ) -> (Estimate, PhaseWeeks) {
        let m = &self.data.model;
        let p = &a.profile;
        let u = &m.uncertainty;
        let plan = self.plan(a, scope, facts);
        let mut lines = Vec::with_capacity(24);

        let (mut open_items, mut credited) = (0u32, 0u32);
        let (mut reference_days, mut credit_days) = (0.0, 0.0);
        for (item, f) in self.items.iter().zip(facts) {
            if f.effort[1] > 0.0 {
                open_items += 1;
                reference_days += (item.effort_days + item.per_system_days) * f.remaining;
                if f.credit > 0.0 {
                    credited += 1;
                    credit_days += f.effort[1] / (1.0 - f.credit) * f.credit;
                }
            }
        }
        let e = "effort_days";
        explain(
            &mut lines,
            e,
            Line::new("")
                .int(open_items)
                .t(" of ")
                .int(self.items.len() as i64)
                .t(" full-assessment items are below level 3: ")
                .n1(reference_days)
                .t(" person-days of open work for the reference organisation (150 people, one in-house minimal-risk AI system, nothing in place), each item's weight times the share still open at its level."),
        );
        explain(
            &mut lines,
            e,
            Line::new("Organisation-wide work for ")
                .int(whole(a.employees))
                .t(if p.employees.is_some() {
                    " people"
                } else {
                    " people (the middle of the size band)"
                })
                .t(": x ")
                .n2(scope.size)
                .t(", read off a curve with no steps that grows more slowly than head count, as certification audit time does."),
        );
        explain(
            &mut lines,
            e,
            Line::new("Roles: the organisation ")
                .t(scope.role_name)
                .t(": x ")
                .n2(scope.roles)
                .t(" on organisation-wide work (certification audit time for one AI role is about half that for several)."),
        );
        if a.sector_factor != 1.0 {
            explain(
                &mut lines,
                e,
                Line::new("Sector ")
                    .t(&p.sector)
                    .t(": x ")
                    .n2(a.sector_factor)
                    .t("."),
            );
        }
        let sy = &m.systems;
        let line = if a.systems.is_empty() {
            Line::new("No AI system in the inventory yet: no per-system work is counted.")
        } else {
            Line::new("")
                .int(a.systems.len() as i64)
                .t(" AI systems in scope: per-system work counts the heaviest system in full and every other at ")
                .n1(sy.additional_share * 100.0)
                .t(" % of its weight (in-house ")
                .n2(sy.in_house)
                .t(", bought and used as delivered ")
                .n2(sy.third_party.none)
                .t(", with prompting ")
                .n2(sy.third_party.prompting)
                .t(", retrieval ")
                .n2(sy.third_party.rag)
                .t(", fine-tuned ")
                .n2(sy.third_party.fine_tuning)
                .t("; x ")
                .n2(sy.offered)
                .t(" when offered to customers): ")
                .n2(scope.worth)
                .t(" systems' worth, ")
                .n2(scope.risk_worth)
                .t(" on risk-sensitive work with the risk tiers (high-risk x ")
                .n2(sy.risk.high)
                .t(", transparency obligations x ")
                .n2(sy.risk.limited)
                .t(").")
        };
        explain(&mut lines, e, line);
        if credited > 0 {
            let mut line = Line::new("Reuse of ");
            let mut first = true;
            for fi in 0..self.data.frameworks.len() {
                if scope.active[fi] {
                    line = line
                        .t(if first { "" } else { ", " })
                        .t(&self.text.framework_name[fi]);
                    first = false;
                }
            }
            explain(
                &mut lines,
                e,
                line.t(": -")
                    .n1(credit_days)
                    .t(" person-days on ")
                    .int(credited)
                    .t(" open items (credits follow published crosswalks, combine as 1 - (1 - a)(1 - b), at most ")
                    .n1(m.max_credit * 100.0)
                    .t(" % per item)."),
            );
        }
        if plan.unknown_items > 0 {
            explain(
                &mut lines,
                e,
                Line::new("")
                    .int(plan.unknown_items)
                    .t(" items answered \"unknown\" or not answered: counted as level 0 (likely), as level ")
                    .int(u.unknown_low_level)
                    .t(" (low) and x ")
                    .n2(u.unknown_high)
                    .t(" more (high); +")
                    .n1(plan.followup)
                    .t(" person-days in phase 2 to find out (")
                    .n2(m.unknown_followup_days)
                    .t(" each)."),
            );
        }
        if plan.prohibited_count > 0 {
            explain(
                &mut lines,
                e,
                Line::new("")
                    .int(plan.prohibited_count)
                    .t(" prohibited practices in the inventory: +")
                    .n1(plan.prohibited)
                    .t(" person-days in phase 1 to withdraw or redesign them."),
            );
        }
        explain(
            &mut lines,
            e,
            Line::new("Work every programme does (scoping, gap assessment, internal audit and management review, audit support), organisation-wide: +")
                .n1(plan.fixed)
                .t(" person-days."),
        );
        let mut range_line = Line::new("Range: low = likely x ")
            .n2(u.answered_low)
            .t(", high = likely x ")
            .n2(u.answered_high);
        if a.mode == Mode::Quick {
            range_line = range_line
                .t(", widened by x ")
                .n2(u.quick_low)
                .t(" / x ")
                .n2(u.quick_high)
                .t(" because each quick answer stands for a whole group of requirements");
        }
        let total = plan.total;
        explain(
            &mut lines,
            e,
            range_line
                .t(". Total: ")
                .int(whole(total[1]))
                .t(" (low ")
                .int(whole(total[0]))
                .t(", high ")
                .int(whole(total[2]))
                .t(") person-days."),
        );

        // Calendar.
        let per_week = p.capacity_fte * m.days_per_fte_week;
        explain(
            &mut lines,
            "weeks_to_ready",
            Line::new("Capacity ")
                .n2(p.capacity_fte)
                .t(" FTE x ")
                .n1(m.days_per_fte_week)
                .t(" productive programme days per FTE per week = ")
                .n1(per_week)
                .t(" person-days per week."),
        );
        let mut phases = Vec::with_capacity(6);
        for (i, ph) in m.phases.iter().enumerate() {
            let span = &plan.spans[i];
            let work = plan.effort[i][1] / per_week;
            let mut line = Line::new("Phase ")
                .int(ph.number)
                .t(" ")
                .t(&self.text.phase_name[i])
                .t(": ")
                .n1(plan.effort[i][1])
                .t(" person-days / ")
                .n1(per_week)
                .t(" per week = ")
                .n1(work)
                .t(" weeks of work; ");
            line = if plan.lead[i] > 0.0 {
                let line = line.t("at least ").n1(plan.lead[i]).t(" weeks because ");
                let records = plan.records_from.filter(|_| i == 3);
                if let Some(r) = records.filter(|_| plan.lead[i] > ph.min_weeks.likely) {
                    line.t("controls put in place from phase ")
                        .int(r as i64 + 1)
                        .t(" on must operate and produce records for ")
                        .n1(m.operating_period_weeks.likely)
                        .t(" weeks, until the internal audit and management review at the end of phase 5")
                } else {
                    line.t(&ph.min_weeks_basis)
                }
            } else if ph.lead_time_when_open && !plan.open[i] {
                line.t("no open gap in this phase, so no lead time")
            } else {
                line.t("no lead time")
            };
            if i == 3 {
                line = line
                    .t("; it starts in week ")
                    .int(span.start[1])
                    .t(", once the AI policy is approved, and shares the capacity with phase 3");
            }
            explain(
                &mut lines,
                PHASE_WEEKS[i],
                line.t(": ")
                    .int(span.weeks[1])
                    .t(" weeks (low ")
                    .int(span.weeks[0])
                    .t(", high ")
                    .int(span.weeks[2])
                    .t(")."),
            );
            phases.push(PhaseEstimate {
                number: ph.number,
                name: self.text.phase_name[i].clone(),
                effort_days: range(plan.effort[i]),
                start_week: range_u(span.start),
                weeks: range_u(span.weeks),
            });
        }
        let end = |i: usize, k: usize| plan.spans[i].start[k] + plan.spans[i].weeks[k];
        let weeks_to_ready = range_u([end(4, 0), end(4, 1), end(4, 2)]);
        let weeks_to_certification = range_u([end(5, 0), end(5, 1), end(5, 2)]);
        explain(
            &mut lines,
            "weeks_to_ready",
            Line::new("Phases 1, 2 and 5 follow each other, with phases 3 and 4 overlapping between them: ready for the Stage 1 audit after ")
                .int(weeks_to_ready.likely)
                .t(" weeks (low ")
                .int(weeks_to_ready.low)
                .t(", high ")
                .int(weeks_to_ready.high)
                .t(")."),
        );
        explain(
            &mut lines,
            "weeks_to_certification",
            Line::new("Plus phase 6 (Stage 1 review, fixing its findings, Stage 2 audit): ")
                .int(weeks_to_certification.likely)
                .t(" weeks (low ")
                .int(weeks_to_certification.low)
                .t(", high ")
                .int(weeks_to_certification.high)
                .t(") until certification."),
        );
        let first_scope = self.first_scope(a);
        if let Some(f) = &first_scope {
            explain(
                &mut lines,
                "first_scope",
                Line::new("First scope: certifying the AIMS on \"")
                    .t(&f.system)
                    .t("\" alone first would take ")
                    .int(f.effort_days.likely)
                    .t(" person-days and ")
                    .int(f.weeks_to_certification.likely)
                    .t(" weeks; the other systems join the scope at a surveillance audit."),
            );
        }
        let org = scope.size * scope.roles * a.sector_factor;
        let running = m.after_certification.base_fte * org
            + m.after_certification.per_system_fte * scope.risk_worth;
        let running_fte = crate::num::round_to(running, 2);
        explain(
            &mut lines,
            "running_fte",
            Line::new("Running the AIMS after certification: ")
                .n2(m.after_certification.base_fte)
                .t(" FTE a year x ")
                .n2(org)
                .t(" for the organisation, + ")
                .n2(m.after_certification.per_system_fte)
                .t(" FTE per system's worth x ")
                .n2(scope.risk_worth)
                .t(" = ")
                .n2(running_fte)
                .t(" FTE a year (internal audit, management review, risk and impact reviews, monitoring, surveillance audits)."),
        );
        (
            Estimate {
                effort_days: range(total),
                weeks_to_ready,
                weeks_to_certification,
                phases,
                first_scope,
                running_fte,
                saved_days: crate::num::round_to(credit_days, 1),
                explain: lines,
            },
            plan.spans,
        )
    }
}
