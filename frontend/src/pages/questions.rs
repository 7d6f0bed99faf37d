//! The questionnaire, one section (clause or Annex A objective) at a time, with the live
//! score.

use super::use_heading_focus;
use crate::app::{BankRef, use_store};
use crate::components::{ErrorSummary, QuestionCard, term};
use crate::state::Action;
use aims_engine::num::one_decimal;
use yew::prelude::*;

/// The questions screen.
#[function_component(Questions)]
pub fn questions() -> Html {
    let state = use_store();
    let section = state.sections.get(state.section).cloned();
    let missing: Vec<(String, String)> = section
        .iter()
        .flat_map(|s| s.questions.iter())
        .filter(|i| state.missing_justifications.contains(i))
        .map(|&i| {
            let q = &state.bank.data().questions[i];
            (
                format!("{}-why", q.id),
                format!("{}: say why it does not apply", q.title),
            )
        })
        .collect();
    // Sent back to a section for a missing justification, the focus goes to that field
    // (the error summary's), not to the heading.
    let heading = use_heading_focus((2, state.section), state.revision > 0 && missing.is_empty());
    let Some(section) = section else {
        return html! {};
    };
    let total = state.total_questions();
    let answered = state.answered();
    let last = state.section + 1 == state.sections.len();

    let nav = state.sections.iter().enumerate().map(|(i, s)| {
        let done = s
            .questions
            .iter()
            .filter(|&&q| state.answers[q].is_some())
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

    // No score before the first answer: "0 / 100 · Early · 62 blockers" says nothing yet.
    let live = state.evaluation.as_ref().filter(|_| answered > 0).map(|e| {
        html! {
            <p class="live-score">
                { "Score so far " }
                <strong class="live-overall">{ one_decimal(e.result.overall) }</strong>
                { format!(" / 100 · {}", e.result.band.label()) }
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
                        { format!("{answered} of {total} answered") }
                        <span class="where">{ format!(" · page {} of {}", state.section + 1, state.sections.len()) }</span>
                    </p>
                    { for live }
                </div>
            </div>
            <details class="sections">
                <summary>{ "Jump to a section" }</summary>
                <nav aria-label="Sections"><ol>{ for nav }</ol></nav>
            </details>
            <h2 id="aims-section-title" tabindex="-1" ref={heading}>{ section.title.clone() }</h2>
            if section.annex_a {
                <div class="hint annex-a">
                    { term("Annex A") }
                    { " controls: mark one not applicable when it does not fit your AI systems, with the reason; it goes into your " }
                    { term("Statement of Applicability") }{ "." }
                </div>
            }
            <ErrorSummary errors={missing} attempt={state.refused} />
            // Below the heading, which takes the focus: the next Tab reaches it.
            { suggestion }
            { for section.questions.iter().map(|&i| html! {
                <QuestionCard bank={BankRef(state.bank.clone())} index={i}
                    answer={state.answers[i].clone()} missing={state.missing_justifications.contains(&i)}
                    unconfirmed={state.unconfirmed.contains(&i)}
                    dispatch={state.dispatcher()} />
            }) }
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
    let Ok(profile) = state.profile.to_profile(&state.bank, state.mode) else {
        return html! {};
    };
    let proposals = state
        .bank
        .proposed_not_applicable(&profile.inventory(), state.mode);
    let open = proposals
        .iter()
        .filter(|(i, _)| state.answers[*i].is_none())
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
            <p>{ format!("Your AI systems make {open} Annex A control(s) not applicable: none of the systems needs them. You can mark them not applicable with a justification that names the systems, and change any of them later.") }</p>
            <button type="button" onclick={accept}>{ "Mark them not applicable" }</button>
        </div>
    }
}
