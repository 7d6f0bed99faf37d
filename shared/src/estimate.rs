//! Effort (person-days) and calendar time (weeks) per phase, with the derivation of each figure.

use crate::Bank;
use crate::evaluate::{Estimate, Explanation, PhaseEstimate, PhaseWeeks, Range};
use crate::input::{Mode, Status};
use crate::num::{whole, whole_up};
use crate::text::Text;
use crate::validate::Assessment;

/// A number with a fixed count of decimals, printed through integers (float formatting
/// is slow, and this keeps the engine's text identical on every platform).
struct Fixed {
    /// The value times 10^decimals, rounded.
    scaled: i64,
    decimals: u32,
}

impl std::fmt::Display for Fixed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let scale = 10i64.pow(self.decimals);
        let sign = if self.scaled < 0 { "-" } else { "" };
        let (whole, fraction) = (self.scaled.abs() / scale, self.scaled.abs() % scale);
        if self.decimals == 0 {
            write!(f, "{sign}{whole}")
        } else {
            write!(
                f,
                "{sign}{whole}.{fraction:0width$}",
                width = self.decimals as usize
            )
        }
    }
}

/// One decimal, without a trailing ".0".
fn fmt1(x: f64) -> Fixed {
    let tenths = (x * 10.0).round() as i64;
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
        scaled: (x * 100.0).round() as i64,
        decimals: 2,
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

fn explain(out: &mut Vec<Explanation>, figure: &'static str, text: String) {
    out.push(Explanation {
        figure: Text::from_static(figure),
        text,
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
        let mut lines = Vec::new();

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
            format!(
                "{open} of {} full-assessment items are below level 3: {} person-days of open work for the reference organisation (51-250 staff, one AI system, nothing in place), each item's weight times the share still open at its level.",
                self.items.len(),
                fmt1(reference_days)
            ),
        );
        explain(
            &mut lines,
            e,
            format!("Organisation size {}: x {}.", p.size.as_str(), fmt2(size)),
        );
        if a.sector_factor != 1.0 {
            explain(
                &mut lines,
                e,
                format!("Sector {}: x {}.", p.sector, fmt2(a.sector_factor)),
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
                format!(
                    "{} AI systems in scope: x {} on the {per_system_open} open items whose work is per system (+{} per extra system, at most x {}).",
                    p.ai_systems,
                    fmt2(factor),
                    fmt2(m.extra_system_factor),
                    fmt2(m.max_system_factor)
                ),
            );
        }
        if risk_open > 0 {
            explain(
                &mut lines,
                e,
                format!(
                    "High-risk systems in scope: x {} on the {risk_open} open risk-sensitive items.",
                    fmt2(m.high_risk_factor)
                ),
            );
        }
        if credited > 0 {
            let names: Vec<&str> = self
                .data
                .frameworks
                .iter()
                .filter(|f| crate::validate::has(p, f.id))
                .map(|f| f.name.as_str())
                .collect();
            explain(
                &mut lines,
                e,
                format!(
                    "Reuse of {}: -{} person-days on {credited} open items (credits combine as 1 - (1 - a)(1 - b), at most {} % per item).",
                    names.join(", "),
                    fmt1(credit_days),
                    fmt1(m.max_credit * 100.0)
                ),
            );
        }
        if unknown_items > 0 {
            explain(
                &mut lines,
                e,
                format!(
                    "{unknown_items} items answered \"unknown\" or not answered: counted as level 0 (likely), as level {} (low) and x {} more (high); +{} person-days in phase 2 to find out ({} each).",
                    u.unknown_low_level,
                    fmt2(u.unknown_high),
                    fmt1(followup),
                    fmt2(m.unknown_followup_days)
                ),
            );
        }
        explain(
            &mut lines,
            e,
            format!(
                "Work every programme does (scoping, gap assessment, internal audit and management review, audit support): +{} person-days.",
                fmt1(fixed_total)
            ),
        );
        let mut range_text = format!(
            "Range: low = likely x {}, high = likely x {}",
            fmt2(u.answered_low),
            fmt2(u.answered_high)
        );
        if a.mode == Mode::Quick {
            range_text.push_str(&format!(
                ", widened by x {} / x {} because each quick answer stands for a whole group of requirements",
                fmt2(u.quick_low), fmt2(u.quick_high)
            ));
        }
        range_text.push_str(&format!(
            ". Total: {} (low {}, high {}) person-days.",
            whole(total[1]),
            whole(total[0]),
            whole(total[2])
        ));
        explain(&mut lines, e, range_text);

        // Calendar.
        let per_week = p.capacity_fte * m.days_per_fte_week;
        explain(
            &mut lines,
            "weeks_to_ready",
            format!(
                "Capacity {} FTE x {} productive programme days per FTE per week = {} person-days per week.",
                fmt2(p.capacity_fte),
                fmt1(m.days_per_fte_week),
                fmt1(per_week)
            ),
        );
        let mut weeks: PhaseWeeks = Vec::with_capacity(6);
        let mut phases = Vec::with_capacity(6);
        for (i, ph) in m.phases.iter().enumerate() {
            let mut min = [ph.min_weeks.low, ph.min_weeks.likely, ph.min_weeks.high];
            let mut min_basis = ph.min_weeks_basis.clone();
            if ph.number == 4 && needs_operation {
                let op = &m.operating_period_weeks;
                let op = [op.low, op.likely, op.high];
                for k in 0..3 {
                    min[k] = f64::max(min[k], op[k]);
                }
                min_basis = "controls must operate and produce records before the internal audit"
                    .to_string();
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
                format!(
                    "Phase {} {}: {} person-days / {} per week = {} weeks of work; at least {} weeks because {}; {decided} decides: {} weeks (low {}, high {}).",
                    ph.number,
                    ph.name,
                    fmt1(phase_effort[i][1]),
                    fmt1(per_week),
                    fmt1(work),
                    fmt1(min[1]),
                    min_basis,
                    w[1],
                    w[0],
                    w[2]
                ),
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
            format!(
                "Phases 1-5 run one after the other: {} weeks (low {}, high {}) until ready for the Stage 1 audit.",
                weeks_to_ready.likely, weeks_to_ready.low, weeks_to_ready.high
            ),
        );
        explain(
            &mut lines,
            "weeks_to_certification",
            format!(
                "Plus phase 6 (Stage 1 review, fixing its findings, Stage 2 audit): {} weeks (low {}, high {}) until certification.",
                weeks_to_certification.likely,
                weeks_to_certification.low,
                weeks_to_certification.high
            ),
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
