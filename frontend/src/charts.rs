//! SVG charts: a radar of clause readiness and a Gantt timeline of the roadmap.

use aims_engine::num::{one_decimal, whole};
use aims_engine::{Date, GroupScore, Roadmap};
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

/// Month names, for dates as people plan with them.
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn month_name(d: Date) -> &'static str {
    MONTHS[usize::from(d.month().clamp(1, 12)) - 1]
}

/// "March 2028".
pub fn month(d: Date) -> String {
    format!("{} {}", month_name(d), d.year())
}

/// "Mar 2028", for an axis.
fn short_month(d: Date) -> String {
    format!("{} {}", &month_name(d)[..3], d.year())
}

/// The roadmap as a timeline: one bar per phase; the axis in months when the programme
/// has a start date, else in weeks; and the audits as milestones: Stage 1 where the last
/// phase starts, Stage 2 and the certificate where it ends. (A narrow widget shows the
/// phase list instead: the chart's text would be too small to read.)
pub fn gantt(roadmap: &Roadmap) -> Html {
    let phases = &roadmap.phases;
    let end = phases
        .iter()
        .map(|p| p.start_week + p.weeks)
        .max()
        .unwrap_or(1)
        .max(1);
    let total = f64::from(end);
    // Two rows of milestone labels above the bars, so that neighbours do not overlap.
    let (left, width, top, row) = (230.0, 300.0, 34.0, 28.0);
    let bottom = top + row * phases.len() as f64;
    let height = bottom + 24.0;
    let x = |week: f64| left + width * week / total;
    let when = |week: u32| match roadmap.start {
        Some(start) => short_month(start.add_days(7 * i64::from(week))),
        None => format!("week {week}"),
    };
    // Five ticks, evenly spaced, the last at the end of the last phase.
    let ticks: Vec<u32> = (0..=4).map(|i| (end * i + 2) / 4).collect();
    let stage1 = phases.last().map_or(end, |p| p.start_week);
    let summary = phases
        .iter()
        .map(|p| {
            format!(
                "{}. {}: {} to {}",
                p.number,
                p.name,
                when(p.start_week),
                when(p.start_week + p.weeks)
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    let milestone = |week: u32, label: &str, y: f64| {
        let mx = x(f64::from(week));
        html! {
            <g class="milestone">
                <line x1={c(mx)} y1={c(y + 3.0)} x2={c(mx)} y2={c(bottom)} />
                <text x={c(mx - 3.0)} y={c(y)} text-anchor="end">{ label.to_string() }</text>
            </g>
        }
    };
    html! {
        <svg class="gantt" viewBox={format!("0 0 570 {}", c(height))} role="img"
            aria-label={format!("Roadmap timeline: {summary}. Stage 1 audit: {}; Stage 2 audit and certificate: {}.", when(stage1), when(end))}>
            { for ticks.iter().map(|&w| {
                let tx = x(f64::from(w));
                html! {
                    <g class="tick">
                        <line x1={c(tx)} y1={c(top)} x2={c(tx)} y2={c(bottom + 4.0)} />
                        <text x={c(tx)} y={c(height - 6.0)} text-anchor="middle">{ when(w) }</text>
                    </g>
                }
            }) }
            { for phases.iter().enumerate().map(|(i, p)| {
                let y = top + row * i as f64 + 4.0;
                let x0 = x(f64::from(p.start_week));
                let w = (x(f64::from(p.start_week + p.weeks)) - x0).max(2.0);
                // The class is set on the element, not through `class={…}`, which would
                // build Yew's `Classes` set (about a kilobyte of Wasm for this one use).
                let mut g = yew::virtual_dom::VTag::new("g");
                g.add_attribute("class", format!("phase phase-{}", p.number));
                g.add_children([
                    html! { <text x="0" y={c(y + 14.0)}>{ format!("{}. {}", p.number, p.name) }</text> },
                    html! { <rect x={c(x0)} y={c(y)} width={c(w)} height="18" rx="3" /> },
                ]);
                Html::from(g)
            }) }
            { milestone(stage1, "Stage 1", 12.0) }
            { milestone(end, "Stage 2 · certified", 26.0) }
        </svg>
    }
}
