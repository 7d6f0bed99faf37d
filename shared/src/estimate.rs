//! Effort (person-days) and calendar time (weeks) per phase, with the derivation of each figure.

use crate::Bank;
use crate::evaluate::{Estimate, Explanation, PhaseEstimate, PhaseWeeks, Range};
use crate::input::{Mode, Status};
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

fn explain(out: &mut Vec<Explanation>, figure: &'static str, line: Line) {
    out.push(Explanation {
        figure: Text::from_static(figure),
        text: line.0,
    });
}

impl Bank {
    // Low, likely and high run side by side through several arrays: indexing reads best.
    #[allow(clippy::needless_range_loop)]
    pub(crate) fn estimate(
        &self,
        a: &Assessment,
        facts: &[crate::evaluate::ItemFacts],
    ) -> (Estimate, PhaseWeeks) {
        let m = &self.data.model;
        let p = &a.profile;
        let u = &m.uncertainty;
        let size = m.size_factors.get(p.size);
        let mut lines = Vec::with_capacity(20);

        // Work per phase, from the items, the fixed programme work and the follow-ups.
        let mut phase_effort = [[0.0f64; 3]; 6];
        let (mut open, mut unknown_items, mut per_system_open, mut risk_open, mut credited) =
            (0u32, 0u32, 0u32, 0u32, 0u32);
        let (mut reference_days, mut credit_days) = (0.0, 0.0);
        let mut needs_operation = false;
        for (item, f) in self.items.iter().zip(facts) {
            let q = &self.data.questions[item.question as usize];
            let ph = (item.phase - 1) as usize;
            for k in 0..3 {
                phase_effort[ph][k] += f.effort[k];
            }
            if f.effort[1] > 0.0 {
                open += 1;
                reference_days += item.effort_days * f.remaining;
                per_system_open += u32::from(q.per_system && f.systems > 1.0);
                risk_open += u32::from(f.high_risk > 1.0);
                if f.credit > 0.0 {
                    credited += 1;
                    credit_days += f.effort[1] / (1.0 - f.credit) * f.credit;
                }
                if item.phase <= 4 {
                    needs_operation = true;
                }
            }
            if f.status == Status::Unknown {
                unknown_items += 1;
            }
        }
        let followup = f64::from(unknown_items) * m.unknown_followup_days;
        phase_effort[1][0] += followup * u.answered_low;
        phase_effort[1][1] += followup;
        phase_effort[1][2] += followup * u.answered_high;
        let mut fixed_total = 0.0;
        for (i, ph) in m.phases.iter().enumerate() {
            let fixed = ph.fixed_effort_days * size;
            fixed_total += fixed;
            phase_effort[i][0] += fixed * u.answered_low;
            phase_effort[i][1] += fixed;
            phase_effort[i][2] += fixed * u.answered_high;
        }
        let mut total = [0.0; 3];
        for e in &phase_effort {
            for k in 0..3 {
                total[k] += e[k];
            }
        }

        let e = "effort_days";
        explain(
            &mut lines,
            e,
            Line::new("")
                .int(open)
                .t(" of ")
                .int(self.items.len() as i64)
                .t(" full-assessment items are below level 3: ")
                .n1(reference_days)
                .t(" person-days of open work for the reference organisation (51-250 staff, one AI system, nothing in place), each item's weight times the share still open at its level."),
        );
        explain(
            &mut lines,
            e,
            Line::new("Organisation size ")
                .t(p.size.as_str())
                .t(": x ")
                .n2(size)
                .t("."),
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
        if per_system_open > 0 {
            let factor = f64::min(
                1.0 + m.extra_system_factor * f64::from(p.ai_systems.saturating_sub(1)),
                m.max_system_factor,
            );
            explain(
                &mut lines,
                e,
                Line::new("")
                    .int(p.ai_systems)
                    .t(" AI systems in scope: x ")
                    .n2(factor)
                    .t(" on the ")
                    .int(per_system_open)
                    .t(" open items whose work is per system (+")
                    .n2(m.extra_system_factor)
                    .t(" per extra system, at most x ")
                    .n2(m.max_system_factor)
                    .t(")."),
            );
        }
        if risk_open > 0 {
            explain(
                &mut lines,
                e,
                Line::new("High-risk systems in scope: x ")
                    .n2(m.high_risk_factor)
                    .t(" on the ")
                    .int(risk_open)
                    .t(" open risk-sensitive items."),
            );
        }
        if credited > 0 {
            let mut line = Line::new("Reuse of ");
            let mut first = true;
            for (fi, f) in self.data.frameworks.iter().enumerate() {
                if crate::validate::has(p, f.id) {
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
                    .t(" open items (credits combine as 1 - (1 - a)(1 - b), at most ")
                    .n1(m.max_credit * 100.0)
                    .t(" % per item)."),
            );
        }
        if unknown_items > 0 {
            explain(
                &mut lines,
                e,
                Line::new("")
                    .int(unknown_items)
                    .t(" items answered \"unknown\" or not answered: counted as level 0 (likely), as level ")
                    .int(u.unknown_low_level)
                    .t(" (low) and x ")
                    .n2(u.unknown_high)
                    .t(" more (high); +")
                    .n1(followup)
                    .t(" person-days in phase 2 to find out (")
                    .n2(m.unknown_followup_days)
                    .t(" each)."),
            );
        }
        explain(
            &mut lines,
            e,
            Line::new("Work every programme does (scoping, gap assessment, internal audit and management review, audit support): +")
                .n1(fixed_total)
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
        let mut weeks: PhaseWeeks = Vec::with_capacity(6);
        let mut phases = Vec::with_capacity(6);
        for (i, ph) in m.phases.iter().enumerate() {
            let mut min = [ph.min_weeks.low, ph.min_weeks.likely, ph.min_weeks.high];
            let mut min_basis = ph.min_weeks_basis.as_str();
            if ph.number == 4 && needs_operation {
                let op = &m.operating_period_weeks;
                let op = [op.low, op.likely, op.high];
                for k in 0..3 {
                    min[k] = f64::max(min[k], op[k]);
                }
                min_basis = "controls must operate and produce records before the internal audit";
            }
            let mut w = [0u32; 3];
            for k in 0..3 {
                w[k] = whole_up(f64::max(phase_effort[i][k] / per_week, min[k])).max(1);
            }
            let work = phase_effort[i][1] / per_week;
            let figure = PHASE_WEEKS[i];
            let decided = if work > min[1] {
                "the work"
            } else {
                "the lead time"
            };
            explain(
                &mut lines,
                figure,
                Line::new("Phase ")
                    .int(ph.number)
                    .t(" ")
                    .t(&self.text.phase_name[i])
                    .t(": ")
                    .n1(phase_effort[i][1])
                    .t(" person-days / ")
                    .n1(per_week)
                    .t(" per week = ")
                    .n1(work)
                    .t(" weeks of work; at least ")
                    .n1(min[1])
                    .t(" weeks because ")
                    .t(min_basis)
                    .t("; ")
                    .t(decided)
                    .t(" decides: ")
                    .int(w[1])
                    .t(" weeks (low ")
                    .int(w[0])
                    .t(", high ")
                    .int(w[2])
                    .t(")."),
            );
            weeks.push(w);
            phases.push(PhaseEstimate {
                number: ph.number,
                name: self.text.phase_name[i].clone(),
                effort_days: range(phase_effort[i]),
                weeks: Range {
                    low: w[0],
                    likely: w[1],
                    high: w[2],
                },
            });
        }
        let sum = |upto: usize, k: usize| weeks[..upto].iter().map(|w| w[k]).sum::<u32>();
        let weeks_to_ready = Range {
            low: sum(5, 0),
            likely: sum(5, 1),
            high: sum(5, 2),
        };
        let weeks_to_certification = Range {
            low: sum(6, 0),
            likely: sum(6, 1),
            high: sum(6, 2),
        };
        explain(
            &mut lines,
            "weeks_to_ready",
            Line::new("Phases 1-5 run one after the other: ")
                .int(weeks_to_ready.likely)
                .t(" weeks (low ")
                .int(weeks_to_ready.low)
                .t(", high ")
                .int(weeks_to_ready.high)
                .t(") until ready for the Stage 1 audit."),
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
        (
            Estimate {
                effort_days: range(total),
                weeks_to_ready,
                weeks_to_certification,
                phases,
                explain: lines,
            },
            weeks,
        )
    }
}
