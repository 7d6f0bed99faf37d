//! The questionnaire, one section (clause or Annex A objective) at a time, with the live
//! score.

use super::{use_heading_focus, value_of};
use crate::app::use_store;
use crate::drafts::Choice;
use crate::state::Action;
use aims_engine::Question;
use aims_engine::num::one_decimal;
use yew::prelude::*;

const LEVELS: [(u8, &str, &str); 5] = [
    (0, "Not started", "Nothing exists yet."),
    (1, "Ad hoc", "It happens, but informally and undocumented."),
    (
        2,
        "Defined",
        "Documented and approved, not yet operating with evidence.",
    ),
    (3, "Implemented", "Operating, with records that show it."),
    (
        4,
        "Measured",
        "Monitored with measures and improved over time.",
    ),
];

/// The questions screen.
#[function_component(Questions)]
pub fn questions() -> Html {
    let state = use_store();
    let heading = use_heading_focus((2, state.section), state.revision > 0);
    let Some(section) = state.sections.get(state.section).cloned() else {
        return html! {};
    };
    let total = state.total_questions();
    let answered = state.answered();
    let last = state.section + 1 == state.sections.len();
    let questions = &state.bank.data().questions;

    let nav = state.sections.iter().enumerate().map(|(i, s)| {
        let done = s
            .questions
            .iter()
            .filter(|&&q| state.answers.contains_key(&questions[q].id))
            .count();
        let onclick = {
            let state = state.clone();
            Callback::from(move |_| state.dispatch(Action::GoToSection(i)))
        };
        let current = (i == state.section).then_some("step");
        html! {
            <li>
                <button type="button" class="section-link" aria-current={current} {onclick}>
                    <span>{ s.title.clone() }</span>
                    <span class="count">{ format!("{done}/{}", s.questions.len()) }</span>
                </button>
            </li>
        }
    });

    let suggestion = suggestions_banner(&state);
    let live = state.evaluation.as_ref().map(|e| {
        html! {
            <p class="live-score">
                { "Readiness so far: " }
                <strong class="live-overall">{ one_decimal(e.result.overall) }</strong>
                { format!(" / 100 · {} · {} blocker(s)", e.result.band.label(), e.result.blockers) }
            </p>
        }
    });
    let back = {
        let state = state.clone();
        Callback::from(move |_| state.dispatch(Action::Back))
    };
    let next = {
        let state = state.clone();
        Callback::from(move |_| state.dispatch(Action::Next))
    };

    html! {
        <section class="screen questions" aria-labelledby="aims-section-title">
            <div class="progress">
                <progress max={total.to_string()} value={answered.to_string()} aria-label="Questions answered" />
                <div aria-live="polite" aria-atomic="true">
                    <p class="progress-text">
                        { format!("{answered} of {total} answered · section {} of {}", state.section + 1, state.sections.len()) }
                    </p>
                    { for live }
                </div>
            </div>
            <details class="sections">
                <summary>{ "Jump to a section" }</summary>
                <nav aria-label="Sections"><ol>{ for nav }</ol></nav>
            </details>
            { suggestion }
            <h2 id="aims-section-title" tabindex="-1" ref={heading}>{ section.title.clone() }</h2>
            { for section.questions.iter().map(|&i| question_view(&state, &questions[i])) }
            <div class="actions">
                <button type="button" onclick={back}>{ "Back" }</button>
                <button type="button" class="primary" onclick={next}>
                    { if last { "See my results" } else { "Next section" } }
                </button>
            </div>
        </section>
    }
}

/// Offers to mark the controls the bank proposes as not applicable for this role.
fn suggestions_banner(state: &crate::app::Store) -> Html {
    let Ok(profile) = state.profile.to_profile(&state.bank) else {
        return html! {};
    };
    let proposals = state.bank.proposed_not_applicable(profile.role, state.mode);
    let open = proposals
        .iter()
        .filter(|(q, _)| !state.answers.contains_key(&q.id))
        .count();
    if open == 0 {
        return html! {};
    }
    let accept = {
        let state = state.clone();
        Callback::from(move |_| state.dispatch(Action::AcceptSuggestions))
    };
    html! {
        <div class="suggestion">
            <p>{ format!("{open} Annex A control(s) usually do not apply to organisations with your role. You can mark them not applicable with a suggested justification, and change any of them later.") }</p>
            <button type="button" onclick={accept}>{ "Mark them not applicable" }</button>
        </div>
    }
}

fn question_view(state: &crate::app::Store, q: &Question) -> Html {
    let answer = state.answers.get(&q.id);
    let choice = answer.map(|a| a.choice);
    let na_allowed = state.bank.allows_not_applicable(&q.id);
    let missing = state.missing_justifications.contains(&q.id);
    let name = q.id.clone();
    let option = |value: &str, choice_here: Choice, label: &str, hint: &str| {
        let id = format!("{}-{value}", q.id);
        let onchange = {
            let state = state.clone();
            let question = q.id.clone();
            Callback::from(move |_: Event| {
                state.dispatch(Action::Answer(question.clone(), choice_here))
            })
        };
        html! {
            <div class="choice">
                <input type="radio" name={name.clone()} id={id.clone()} value={value.to_string()}
                    checked={choice == Some(choice_here)} {onchange} />
                <label for={id}>
                    <span class="label">{ label.to_string() }</span>
                    if !hint.is_empty() { <span class="hint">{ hint.to_string() }</span> }
                </label>
            </div>
        }
    };
    let justification = (choice == Some(Choice::NotApplicable)).then(|| {
        let id = format!("{}-why", q.id);
        let err_id = format!("{}-why-error", q.id);
        let oninput = {
            let state = state.clone();
            let question = q.id.clone();
            Callback::from(move |e: InputEvent| {
                let e: Event = e.into();
                state.dispatch(Action::Justify(question.clone(), value_of(&e)))
            })
        };
        html! {
            <div class="field justification">
                <label for={id.clone()}>{ "Why does this control not apply? (goes into the Statement of Applicability) *" }</label>
                <textarea id={id} rows="2" maxlength="2000" required=true
                    value={answer.map(|a| a.justification.clone()).unwrap_or_default()}
                    aria-invalid={missing.then_some("true")}
                    aria-describedby={missing.then(|| err_id.clone())} {oninput} />
                if missing {
                    <p class="error" id={err_id}>{ "Give a justification: an auditor will ask why this control is excluded." }</p>
                }
            </div>
        }
    });
    html! {
        <fieldset class="question" id={format!("aims-{}", q.id)}>
            <legend>
                <span class="refs">{ q.refs.join(", ") }</span>
                <span class="title">{ q.title.clone() }</span>
                <span class="text">{ q.text.clone() }</span>
            </legend>
            <details class="help">
                <summary>{ "What good looks like" }</summary>
                <p>{ q.help.clone() }</p>
            </details>
            <div class="levels">
                { for LEVELS.iter().map(|(n, label, hint)| option(&n.to_string(), Choice::Level(*n), &format!("{n} · {label}"), hint)) }
                { option("unknown", Choice::Unknown, "Don't know", "Counted as not started, and it widens the estimate.") }
                if na_allowed {
                    { option("not_applicable", Choice::NotApplicable, "Not applicable", "This control does not apply to us.") }
                }
            </div>
            { for justification }
        </fieldset>
    }
}
