//! The results: a plain summary (score, what it means, the dates, three priorities, what is
//! already in place), the call to action and (with an API) the lead form in view, then what
//! to put in place by area, the clause radar, the estimate with its derivation, the roadmap
//! and one Download menu.

use super::lead::LeadForm;
use super::{RefineEstimate, use_heading_focus};
use crate::app::use_store;
use crate::charts::{gantt, month, radar};
use crate::components::{glossary, term};
use crate::export::{self, Kind};
use crate::state::{Action, Submission};
use aims_engine::num::{decimal, one_decimal};
use aims_engine::{Band, Gap, Mode, Range, RoadmapPhase, Severity};
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// How many priorities the summary names.
const PRIORITIES: usize = 3;
/// How many tasks a phase lists before "and N more".
const PHASE_TASKS: usize = 8;

fn range(r: Range, unit: &str) -> String {
    format!("{} {unit} (range {}–{})", r.likely, r.low, r.high)
}

/// What a band means, in plain words.
fn band_meaning(band: Band) -> &'static str {
    match band {
        Band::Early => {
            "You are at the start: most of what ISO/IEC 42001 asks for is not in place yet. That is where most organisations begin."
        }
        Band::Developing => {
            "Parts of an AI management system are in place. The work now is to fill the gaps and write down what you already do."
        }
        Band::Advanced => {
            "Most of the management system is in place. What is left is mainly evidence and a few missing pieces."
        }
        Band::AuditReady => {
            "You look ready for a certification audit. Check the few remaining items, then book the audit."
        }
    }
}

/// One gap as a list item: its severity, reference, title, who leads it and the effort.
fn gap_item(g: &Gap) -> Html {
    html! {
        <li>
            { severity_badge(g.severity) }
            { " " }{ g.title.to_string() }
            <span class="meta">{ format!(" ({}) — {} · {} · about {} person-days", g.reference, g.action.label(), g.owner.label(), decimal(g.effort_days.likely)) }</span>
            if let Some(why) = &g.explanation { <p class="hint">{ why.to_string() }</p> }
        </li>
    }
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
        (Some(s), Some(e)) => format!("{} to {}", month(s), month(e)),
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
    let quick = state.mode == Mode::Quick;

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

    // The call to action: the consultancy's link, else the lead form (with an API) or the
    // report's download.
    let lead_form = state.api.is_some() && state.origin_refused.is_none();
    let cta = if let Some(cta) = state.call_to_action() {
        html! { <p class="cta"><a class="button primary" href={cta.url} target="_blank" rel="noopener">{ cta.label }</a></p> }
    } else if lead_form {
        if matches!(state.submission, Submission::Done { .. }) {
            html! {}
        } else {
            // The form is in this screen: bring its first field into view with the focus.
            let to_form = Callback::from(|e: MouseEvent| {
                let field = e
                    .target_dyn_into::<web_sys::Element>()
                    .and_then(|b| b.closest(".results").ok().flatten())
                    .and_then(|s| s.query_selector("#aims-lead-name").ok().flatten())
                    .and_then(|f| f.dyn_into::<web_sys::HtmlElement>().ok());
                if let Some(field) = field {
                    let _ = field.focus();
                }
            });
            html! { <p class="cta"><button type="button" class="primary" onclick={to_form}>{ "Email me this report" }</button></p> }
        }
    } else {
        html! { <p class="cta"><button type="button" class="primary" onclick={download(Kind::Markdown)}>{ "Download the report" }</button></p> }
    };

    // Honest precision: a quick quiz gives a whole score and ranges.
    let score = if quick {
        html! { <>{ "about " }<span class="number" data-overall={decimal(r.overall)}>{ aims_engine::num::whole(r.overall) }</span></> }
    } else {
        html! { <span class="number" data-overall={decimal(r.overall)}>{ one_decimal(r.overall) }</span> }
    };
    let weeks = |x: Range| {
        if quick {
            format!("{}–{} weeks", x.low, x.high)
        } else {
            format!("about {} weeks", x.likely)
        }
    };
    let (stage1, certified) = match (roadmap.ready_by, roadmap.certified_by) {
        (Some(ready), Some(done)) => (
            format!("around {}", month(ready)),
            format!("around {}", month(done)),
        ),
        _ => (
            format!("in {}", weeks(e.weeks_to_ready)),
            format!("in {}", weeks(e.weeks_to_certification)),
        ),
    };
    let timeline = format!("Ready for the Stage 1 audit {stage1}; certified {certified}.");
    let go_full = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| state.dispatch(Action::ContinueInFull))
    };
    let full_questions = state
        .bank
        .data()
        .questions
        .iter()
        .filter(|q| !q.quick)
        .count();
    let unanswered = r.questions.saturating_sub(r.answered);
    let open = r.unknowns;

    // Three priorities: must-fix items first, then in the roadmap's order.
    let mut priorities: Vec<&Gap> = r.gaps.iter().collect();
    priorities.sort_by_key(|g| (g.severity != Severity::Blocker, g.phase));
    priorities.truncate(PRIORITIES);

    // What is already in place: the strongest areas.
    let mut strong: Vec<_> = r
        .clauses
        .iter()
        .chain(&r.objectives)
        .filter_map(|g| Some((g, g.score?)))
        .filter(|(_, s)| *s >= 60.0)
        .collect();
    strong.sort_by(|a, b| b.1.total_cmp(&a.1));
    strong.truncate(3);

    // The gaps by area, in the bank's order of clauses and objectives: each gap's area is
    // looked up once, through the requirement it closes.
    let mut areas: Vec<(&str, &str, Vec<&Gap>)> = r
        .clauses
        .iter()
        .chain(&r.objectives)
        .map(|g| (g.id.as_ref(), g.title.as_ref(), Vec::new()))
        .collect();
    for gap in &r.gaps {
        let group = r
            .requirements
            .iter()
            .find(|q| q.id == gap.reference)
            .map(|q| &q.group);
        if let Some(area) = areas
            .iter_mut()
            .find(|a| Some(a.0) == group.map(|g| g.as_ref()))
        {
            area.2.push(gap);
        }
    }
    areas.retain(|(_, _, gaps)| !gaps.is_empty());

    html! {
        <section class="screen results" data-mode={state.mode.as_str()} aria-labelledby="aims-results-title">
            <h2 id="aims-results-title" tabindex="-1" ref={heading}>{ "Your ISO/IEC 42001 readiness" }</h2>
            <div class="score-card">
                <p class="overall">{ score }{ " / 100" }</p>
                { band_badge(r.band) }
                <p class="meaning">{ band_meaning(r.band) }</p>
                <p class="timeline">{ timeline }</p>
                if r.blockers > 0 {
                    <p class="blockers">{ format!("{} must-fix item(s) stand between you and certification; they come first below.", r.blockers) }</p>
                }
                if !state.unconfirmed.is_empty() {
                    <p class="partial" role="note">{ format!(
                        "{} answers still come from the quick quiz, not confirmed: the estimate is only as good as they are.",
                        state.unconfirmed.len()
                    ) }</p>
                }
                if open > 0 {
                    <p class="partial" role="note">{ format!(
                        "{open} of {} answers {} \"don't know\"{}: counted as not in place, so the estimate may run long.",
                        r.questions,
                        if unanswered > 0 { "are missing or" } else { "are" },
                        if unanswered > 0 { format!(" ({unanswered} unanswered)") } else { String::new() },
                    ) }</p>
                }
            </div>
            { cta.clone() }
            if quick {
                <div class="go-full">
                    <p class="hint">{ format!("A quick quiz gives wide ranges. The full gap assessment ({full_questions} questions, one per requirement or control) narrows them, and starts from your answers here.") }</p>
                    <button type="button" onclick={go_full}>{ "Continue with the full assessment" }</button>
                </div>
            }

            <h3>{ "Your three priorities" }</h3>
            if priorities.is_empty() {
                <p>{ "Nothing left to put in place: every requirement is implemented or better." }</p>
            } else {
                <ol class="priorities">{ for priorities.iter().map(|g| gap_item(g)) }</ol>
            }
            <h3>{ "What you already do well" }</h3>
            <ul class="strengths">
                if e.saved_days > 0.0 {
                    <li>{ format!("What you already have in place (such as ISO/IEC 27001 or a GDPR programme) saves about {} person-days of work.", decimal(e.saved_days)) }</li>
                }
                { for strong.iter().map(|(g, s)| html! { <li>{ format!("{}: {} %", g.title, aims_engine::num::whole(*s)) }</li> }) }
                if e.saved_days <= 0.0 && strong.is_empty() {
                    <li>{ "Little is in place yet. That is usual at the start, and the roadmap below begins with the basics." }</li>
                }
            </ul>

            if quick { <RefineEstimate /> }
            if state.api.is_some() { <LeadForm /> }

            <h3>{ "What to put in place" }</h3>
            if areas.is_empty() {
                <p>{ "No gaps: every requirement is implemented or better." }</p>
            } else {
                <ul class="areas">
                    { for areas.iter().map(|(id, title, gaps)| {
                        let must = gaps.iter().filter(|g| g.severity == Severity::Blocker).count();
                        html! {
                            <li><details class="area">
                                <summary>
                                    { format!("{title}: {} thing(s) to put in place", gaps.len()) }
                                    if must > 0 { { format!(", {must} before certification") } }
                                    <span class="meta">{ format!(" ({id})") }</span>
                                </summary>
                                <ul class="gaps">{ for gaps.iter().map(|g| gap_item(g)) }</ul>
                            </details></li>
                        }
                    }) }
                </ul>
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

            <h3>{ "Estimate" }</h3>
            <dl class="estimate">
                <dt>{ "Effort to readiness, in " }{ term("person-days") }</dt><dd>{ range(e.effort_days, "person-days") }</dd>
                <dt>{ "Ready for the Stage 1 audit" }</dt><dd>{ format!("{}{}", range(e.weeks_to_ready, "weeks"), roadmap.ready_by.map(|d| format!(", around {}", month(d))).unwrap_or_default()) }</dd>
                <dt>{ "Certified (Stage 2 done)" }</dt><dd>{ format!("{}{}", range(e.weeks_to_certification, "weeks"), roadmap.certified_by.map(|d| format!(", around {}", month(d))).unwrap_or_default()) }</dd>
                if let Some(first) = &e.first_scope {
                    <dt>{ format!("First scope: {} alone", first.system) }</dt>
                    <dd>{ format!("{}, {}", range(first.weeks_to_certification, "weeks"), range(first.effort_days, "person-days")) }</dd>
                }
                if e.saved_days > 0.0 {
                    <dt>{ "Saved by what you already have in place" }</dt>
                    <dd>{ format!("about {} person-days", decimal(e.saved_days)) }</dd>
                }
                <dt>{ "Running the AIMS once certified" }</dt><dd>{ format!("about {} FTE a year", decimal(e.running_fte)) }</dd>
            </dl>
            <details class="explain">
                <summary>{ "How is this computed?" }</summary>
                <ul>{ for e.explain.iter().map(|x| html! { <li>{ x.text.clone() }</li> }) }</ul>
            </details>

            <h3>{ "Roadmap" }</h3>
            <ul class="milestones">
                <li>{ term("Stage 1 audit") }{ " (the certification body reads your documents): " }<strong>{ stage1 }</strong></li>
                <li>{ term("Stage 2 audit") }{ " (it checks the system at work), then the certificate: " }<strong>{ certified }</strong></li>
            </ul>
            <div class="chart">{ gantt(roadmap) }</div>
            <ol class="phases">{ for roadmap.phases.iter().map(phase_view) }</ol>
            <h3>{ "Years 1–3 after certification" }</h3>
            <ol class="years">{ for roadmap.years.iter().map(|y| html! {
                <li>
                    <strong>{ match (y.start, y.end) {
                        (Some(s), Some(e)) => format!("Year {}: {} – {}", y.number, month(s), month(e)),
                        _ => format!("Year {}", y.number),
                    } }</strong>
                    <ul>{ for y.events.iter().map(|t| html! { <li>{ t.to_string() }</li> }) }</ul>
                </li>
            }) }</ol>

            { glossary() }
            { cta }
            <details class="downloads">
                <summary>{ "Download" }</summary>
                <div class="actions">
                    <button type="button" onclick={download(Kind::Markdown)}>{ "Gap report (Markdown)" }</button>
                    <button type="button" onclick={download(Kind::Controls)}>{ "Control register (CSV)" }</button>
                    <button type="button" onclick={download(Kind::Soa)}>{ "Statement of Applicability (CSV)" }</button>
                    <button type="button" onclick={print}>{ "Print or save as PDF" }</button>
                    <button type="button" onclick={download(Kind::Json)}>{ "Your answers, to import later (JSON)" }</button>
                </div>
            </details>

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
