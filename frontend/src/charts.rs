//! SVG charts: a radar of clause readiness and a Gantt timeline of the roadmap.

use aims_engine::num::{one_decimal, whole};
use aims_engine::{GroupScore, RoadmapPhase};
use yew::prelude::*;

/// Formats a coordinate with one decimal.
fn c(x: f64) -> String {
    one_decimal(x)
}

/// A score as a whole number, `n/a` when there is none.
fn whole_score(score: Option<f64>) -> String {
    score.map_or_else(|| "n/a".to_string(), |s| format!("{} %", whole(s)))
}

/// A clause's name on an axis: the first word of its title ("Performance" for
/// "Performance evaluation"), so the seven fit around the chart.
fn short_name(g: &GroupScore) -> &str {
    g.title.split(' ').next().unwrap_or(&g.id)
}

/// Clause readiness as a radar chart (0 at the centre, 100 at the rim). The same figures
/// are in a table next to it for anyone who cannot see the chart.
/// `groups`: the clause scores, in order. A plain function, not a component: a component
/// type costs the Wasm about a kilobyte of Yew machinery.
pub fn radar(groups: &[GroupScore]) -> Html {
    let n = groups.len().max(3) as f64;
    let (cx, cy, r) = (160.0, 150.0, 110.0);
    let point = |i: usize, value: f64| {
        let angle = -std::f64::consts::FRAC_PI_2 + (i as f64) * 2.0 * std::f64::consts::PI / n;
        (
            // The browser's sine and cosine, so that Rust's own are not linked into the Wasm.
            cx + r * value / 100.0 * js_sys::Math::cos(angle),
            cy + r * value / 100.0 * js_sys::Math::sin(angle),
        )
    };
    let ring = |level: f64| {
        (0..groups.len())
            .map(|i| {
                let (x, y) = point(i, level);
                format!("{},{}", c(x), c(y))
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    let shape = groups
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let (x, y) = point(i, g.score.unwrap_or(0.0));
            format!("{},{}", c(x), c(y))
        })
        .collect::<Vec<_>>()
        .join(" ");
    let summary = groups
        .iter()
        .map(|g| format!("{} {}", short_name(g), whole_score(g.score)))
        .collect::<Vec<_>>()
        .join(", ");
    html! {
        <svg class="radar" viewBox="-60 0 440 300" role="img" aria-label={format!("Readiness by clause: {summary}")}>
            { for [25.0, 50.0, 75.0, 100.0].iter().map(|l| html! { <polygon class="grid" points={ring(*l)} /> }) }
            { for (0..groups.len()).map(|i| {
                let (x, y) = point(i, 100.0);
                html! { <line class="axis" x1={c(cx)} y1={c(cy)} x2={c(x)} y2={c(y)} /> }
            }) }
            <polygon class="shape" points={shape} />
            { for groups.iter().enumerate().map(|(i, g)| {
                let (x, y) = point(i, 118.0);
                let anchor = if (x - cx).abs() < 5.0 { "middle" } else if x > cx { "start" } else { "end" };
                html! {
                    <text x={c(x)} y={c(y + 4.0)} text-anchor={anchor}>
                        { format!("{} {}", short_name(g), whole_score(g.score)) }
                    </text>
                }
            }) }
        </svg>
    }
}

/// The roadmap as a timeline: one bar per phase, from its start week for its duration.
/// `phases`: the six phases (a plain function, like [`radar`]).
pub fn gantt(phases: &[RoadmapPhase]) -> Html {
    let total = phases
        .iter()
        .map(|p| p.start_week + p.weeks)
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let (left, width, row) = (250.0, 280.0, 30.0);
    let height = row * phases.len() as f64 + 30.0;
    let x = |week: f64| left + width * week / total;
    let ticks: Vec<u32> = {
        let step = if total > 52.0 {
            13
        } else if total > 20.0 {
            4
        } else {
            2
        };
        (0..=total as u32).step_by(step).collect()
    };
    let summary = phases
        .iter()
        .map(|p| {
            format!(
                "phase {} {}: weeks {}–{}",
                p.number,
                p.name,
                p.start_week,
                p.start_week + p.weeks
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    html! {
        <svg class="gantt" viewBox={format!("0 0 570 {}", c(height))} role="img"
            aria-label={format!("Roadmap timeline: {summary}")}>
            { for ticks.iter().map(|w| {
                let tx = x(f64::from(*w));
                html! {
                    <g class="tick">
                        <line x1={c(tx)} y1="0" x2={c(tx)} y2={c(height - 24.0)} />
                        <text x={c(tx)} y={c(height - 8.0)} text-anchor="middle">{ format!("w{w}") }</text>
                    </g>
                }
            }) }
            { for phases.iter().enumerate().map(|(i, p)| {
                let y = row * i as f64 + 4.0;
                let x0 = x(f64::from(p.start_week));
                let w = (x(f64::from(p.start_week + p.weeks)) - x0).max(2.0);
                // The class is set on the element, not through `class={…}`, which would
                // build Yew's `Classes` set (about a kilobyte of Wasm for this one use).
                let mut g = yew::virtual_dom::VTag::new("g");
                g.add_attribute("class", format!("phase phase-{}", p.number));
                g.add_children([
                    html! { <text x="0" y={c(y + 15.0)}>{ format!("{}. {}", p.number, p.name) }</text> },
                    html! { <rect x={c(x0)} y={c(y)} width={c(w)} height="20" rx="3" /> },
                    html! { <text class="weeks" x={c(x0 + w + 4.0)} y={c(y + 15.0)}>{ format!("{} wk", p.weeks) }</text> },
                ]);
                Html::from(g)
            }) }
        </svg>
    }
}
