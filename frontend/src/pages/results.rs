//! The results: score and band, clause radar, top gaps, the estimate with its derivation,
//! the roadmap, downloads and (with an API) the lead form.

use super::lead::LeadForm;
use super::use_heading_focus;
use crate::app::use_store;
use crate::charts::{gantt, radar};
use crate::export::{self, Kind};
use crate::state::Action;
use aims_engine::num::{decimal, one_decimal};
use aims_engine::{Band, Mode, Range, RoadmapPhase, Severity};
use yew::prelude::*;

/// How many gaps the summary lists.
const TOP_GAPS: usize = 10;
/// How many tasks a phase lists before "and N more".
const PHASE_TASKS: usize = 8;

fn range(r: Range, unit: &str) -> String {
    format!("{} {unit} (range {}–{})", r.likely, r.low, r.high)
}

// The badges below write each `class` as a literal: a computed one goes through Yew's
// `Classes` set, which costs the Wasm about a kilobyte.

/// A gap's severity badge.
fn severity_badge(s: Severity) -> Html {
    let label = s.label();
    match s {
        Severity::Blocker => html! { <span class="sev sev-blocker">{ label }</span> },
        Severity::Major => html! { <span class="sev sev-major">{ label }</span> },
        Severity::Minor => html! { <span class="sev sev-minor">{ label }</span> },
    }
}

/// The readiness band's badge.
fn band_badge(band: Band) -> Html {
    let (label, name) = (band.label(), band.as_str());
    match band {
        Band::Early => html! { <p class="band band-early" data-band={name}>{ label }</p> },
        Band::Developing => {
            html! { <p class="band band-developing" data-band={name}>{ label }</p> }
        }
        Band::Advanced => html! { <p class="band band-advanced" data-band={name}>{ label }</p> },
        Band::AuditReady => html! { <p class="band band-ready" data-band={name}>{ label }</p> },
    }
}

fn phase_view(p: &RoadmapPhase) -> Html {
    let when = match (p.start, p.end) {
        (Some(s), Some(e)) => format!("{s} to {e}"),
        _ => format!("weeks {}–{}", p.start_week, p.start_week + p.weeks),
    };
    let more = p.tasks.len().saturating_sub(PHASE_TASKS);
    html! {
        <li class="phase">
            <details>
                <summary>
                    <span class="phase-name">{ format!("{}. {}", p.number, p.name) }</span>
                    <span class="phase-when">{ format!(" · {when} · {} week(s) · led by {}", p.weeks, p.owner.label()) }</span>
                </summary>
                <p>{ p.purpose.to_string() }</p>
                <h5>{ "Tasks" }</h5>
                <ul class="tasks">
                    { for p.tasks.iter().take(PHASE_TASKS).map(|t| html! {
                        <li>
                            if let Some(s) = t.severity {
                                { severity_badge(s) }{ " " }
                            }
                            { t.title.to_string() }
                            <span class="meta">{ format!(" — {} · {}", t.owner.label(), t.action.label()) }</span>
                        </li>
                    }) }
                    if more > 0 { <li class="meta">{ format!("and {more} more in the report") }</li> }
                </ul>
                <h5>{ "Deliverables" }</h5>
                <ul>{ for p.deliverables.iter().map(|d| html! { <li>{ d.to_string() }</li> }) }</ul>
                if !p.advice.is_empty() {
                    <h5>{ "Advice" }</h5>
                    <ul>{ for p.advice.iter().map(|a| html! { <li><strong>{ format!("{}: ", a.source) }</strong>{ a.text.to_string() }</li> }) }</ul>
                }
            </details>
        </li>
    }
}

/// The results screen.
#[function_component(Results)]
pub fn results() -> Html {
    let state = use_store();
    let heading = use_heading_focus((3, 0), state.revision > 0);
    let confirm_reset = use_state(|| false);
    let Some(evaluation) = state.evaluation.clone() else {
        return html! {};
    };
    let r = &evaluation.result;
    let e = &evaluation.estimate;
    let roadmap = &evaluation.roadmap;

    let download = |kind: Kind| {
        let state = state.clone();
        Callback::from(move |_| {
            if let Some(content) = export::content(&state, kind) {
                let _ = export::download(kind, &content);
            }
        })
    };
    let print = Callback::from(|_| {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    });
    let edit = {
        let state = state.clone();
        Callback::from(move |_| state.dispatch(Action::EditAnswers))
    };
    let ask_reset = {
        let confirm_reset = confirm_reset.clone();
        Callback::from(move |_| confirm_reset.set(true))
    };
    let cancel_reset = {
        let confirm_reset = confirm_reset.clone();
        Callback::from(move |_| confirm_reset.set(false))
    };
    let reset = {
        let state = state.clone();
        Callback::from(move |_| state.dispatch(Action::StartOver))
    };
    let ready_by = roadmap
        .ready_by
        .map(|d| format!(", around {d}"))
        .unwrap_or_default();

    html! {
        <section class="screen results" aria-labelledby="aims-results-title">
            <h2 id="aims-results-title" tabindex="-1" ref={heading}>{ "Your ISO/IEC 42001 readiness" }</h2>
            <div class="score-card">
                <p class="overall"><span class="number" data-overall={decimal(r.overall)}>{ one_decimal(r.overall) }</span>{ " / 100" }</p>
                { band_badge(r.band) }
                <p class="counts">{ format!("{} blocker(s) · {} major gap(s) · {} minor · {} unknown", r.blockers, r.majors, r.minors, r.unknowns) }</p>
                if r.blockers > 0 {
                    <p>{ "Certification is not possible while blockers remain, whatever the score." }</p>
                }
                if state.mode == Mode::Quick {
                    <p class="hint">{ "A quick quiz gives wide ranges. The full gap assessment narrows them." }</p>
                }
            </div>
            if let Some(cta) = state.call_to_action() {
                <p class="cta"><a class="button primary" href={cta.url} target="_blank" rel="noopener">{ cta.label }</a></p>
            }

            <h3>{ "Readiness by clause" }</h3>
            <div class="chart-row">
                { radar(&r.clauses) }
                <table class="scores">
                    <caption>{ "Clauses 4–10 (all mandatory)" }</caption>
                    <thead><tr><th scope="col">{ "Clause" }</th><th scope="col">{ "Score" }</th><th scope="col">{ "Blockers" }</th></tr></thead>
                    <tbody>
                        { for r.clauses.iter().map(|g| html! {
                            <tr><th scope="row">{ format!("{} {}", g.id, g.title) }</th>
                                <td>{ g.score.map_or("n/a".into(), one_decimal) }</td>
                                <td>{ g.blockers }</td></tr>
                        }) }
                    </tbody>
                </table>
            </div>
            <table class="scores">
                <caption>{ "Annex A objectives" }</caption>
                <thead><tr><th scope="col">{ "Objective" }</th><th scope="col">{ "Score" }</th></tr></thead>
                <tbody>
                    { for r.objectives.iter().map(|g| html! {
                        <tr><th scope="row">{ format!("{} {}", g.id, g.title) }</th>
                            <td>{ g.score.map_or("not applicable".into(), one_decimal) }</td></tr>
                    }) }
                </tbody>
            </table>

            <h3>{ "Top gaps" }</h3>
            if r.gaps.is_empty() {
                <p>{ "No gaps: every requirement is implemented or better." }</p>
            } else {
                <ol class="gaps">
                    { for r.gaps.iter().take(TOP_GAPS).map(|g| html! {
                        <li>
                            { severity_badge(g.severity) }
                            { " " }<strong>{ g.reference.to_string() }</strong>{ format!(" {}", g.title) }
                            <span class="meta">{ format!(" — {} · {} · about {} person-days", g.action.label(), g.owner.label(), decimal(g.effort_days.likely)) }</span>
                            if let Some(why) = &g.explanation { <p class="hint">{ why.to_string() }</p> }
                        </li>
                    }) }
                </ol>
                if r.gaps.len() > TOP_GAPS {
                    <p class="hint">{ format!("{} more gap(s) in the report and the control register.", r.gaps.len() - TOP_GAPS) }</p>
                }
            }

            <h3>{ "Estimate" }</h3>
            <dl class="estimate">
                <dt>{ "Effort to readiness" }</dt><dd>{ range(e.effort_days, "person-days") }</dd>
                <dt>{ "Ready for the Stage 1 audit" }</dt><dd>{ format!("{}{ready_by}", range(e.weeks_to_ready, "weeks")) }</dd>
                <dt>{ "Certified (Stage 2 done)" }</dt><dd>{ range(e.weeks_to_certification, "weeks") }</dd>
                if let Some(first) = &e.first_scope {
                    <dt>{ format!("First scope: {} alone", first.system) }</dt>
                    <dd>{ format!("{}, {}", range(first.weeks_to_certification, "weeks"), range(first.effort_days, "person-days")) }</dd>
                }
                if e.saved_days > 0.0 {
                    <dt>{ "Saved by what you already have in place" }</dt>
                    <dd>{ format!("about {} person-days", aims_engine::num::decimal(e.saved_days)) }</dd>
                }
                <dt>{ "Running the AIMS once certified" }</dt><dd>{ format!("about {} FTE a year", aims_engine::num::decimal(e.running_fte)) }</dd>
            </dl>
            <details class="explain">
                <summary>{ "How is this computed?" }</summary>
                <ul>{ for e.explain.iter().map(|x| html! { <li>{ x.text.clone() }</li> }) }</ul>
            </details>

            <h3>{ "Roadmap" }</h3>
            { gantt(&roadmap.phases) }
            <ol class="phases">{ for roadmap.phases.iter().map(phase_view) }</ol>
            <h3>{ "Years 1–3 after certification" }</h3>
            <ol class="years">{ for roadmap.years.iter().map(|y| html! {
                <li>
                    <strong>{ match (y.start, y.end) {
                        (Some(s), Some(e)) => format!("Year {}: {s} – {e}", y.number),
                        _ => format!("Year {}", y.number),
                    } }</strong>
                    <ul>{ for y.events.iter().map(|t| html! { <li>{ t.to_string() }</li> }) }</ul>
                </li>
            }) }</ol>

            <h3>{ "Save and share" }</h3>
            <div class="actions downloads">
                <button type="button" onclick={download(Kind::Json)}>{ "Download answers (JSON)" }</button>
                <button type="button" onclick={download(Kind::Markdown)}>{ "Gap report (Markdown)" }</button>
                <button type="button" onclick={download(Kind::Controls)}>{ "Control register (CSV)" }</button>
                <button type="button" onclick={download(Kind::Soa)}>{ "Statement of Applicability (CSV)" }</button>
                <button type="button" onclick={print}>{ "Print or save as PDF" }</button>
            </div>

            if state.api.is_some() { <LeadForm /> }

            <div class="actions">
                <button type="button" onclick={edit}>{ "Change my answers" }</button>
                if *confirm_reset {
                    <span role="alert">{ "Clear every answer in this browser? " }</span>
                    <button type="button" class="danger" onclick={reset}>{ "Yes, start over" }</button>
                    <button type="button" onclick={cancel_reset}>{ "Cancel" }</button>
                } else {
                    <button type="button" onclick={ask_reset}>{ "Start over" }</button>
                }
            </div>
        </section>
    }
}
