//! One question: its five levels, "don't know", "not applicable" where the bank allows it,
//! and the justification an exclusion needs. A component of its own, so an answer or a
//! keystroke re-renders one fieldset, not the whole section.

use super::value_of;
use crate::app::BankRef;
use crate::drafts::{AnswerDraft, Choice};
use crate::state::{Action, State};
use yew::prelude::*;

const LEVELS: [(&str, &str); 5] = [
    ("Not started", "Nothing exists yet."),
    ("Ad hoc", "It happens, but informally and undocumented."),
    (
        "Defined",
        "Documented and approved, not yet operating with evidence.",
    ),
    ("Implemented", "Operating, with records that show it."),
    (
        "Measured",
        "Monitored with measures and improved over time.",
    ),
];

/// What a question shows: everything that, when it changes, is worth a re-render.
#[derive(Properties, PartialEq)]
pub struct QuestionProps {
    /// The bank the question is in (compared by identity).
    pub bank: BankRef,
    /// The question's index in the bank's list.
    pub index: usize,
    /// The answer so far.
    pub answer: Option<AnswerDraft>,
    /// Whether the visitor tried to move on while its exclusion has no justification.
    pub missing: bool,
    /// Whether the answer was carried over from the quick quiz and is not confirmed yet.
    pub unconfirmed: bool,
    /// Where the answers go.
    pub dispatch: UseReducerDispatcher<State>,
}

/// One question of the questionnaire.
#[function_component(QuestionCard)]
pub fn question_card(props: &QuestionProps) -> Html {
    let bank = &props.bank.0;
    let (q, index, missing) = (
        &bank.data().questions[props.index],
        props.index,
        props.missing,
    );
    let choice = props.answer.as_ref().map(|a| a.choice);
    let option = |value: &str, choice_here: Choice, label: &str, hint: &str| {
        let id = format!("{}-{value}", q.id);
        let dispatch = props.dispatch.clone();
        let onchange =
            Callback::from(move |_: Event| dispatch.dispatch(Action::Answer(index, choice_here)));
        // A click on the answer already chosen confirms one carried over from the quiz.
        let dispatch = props.dispatch.clone();
        let onclick = Callback::from(move |_: MouseEvent| {
            dispatch.dispatch(Action::Answer(index, choice_here))
        });
        html! {
            <div class="choice">
                <input type="radio" name={q.id.clone()} id={id.clone()} value={value.to_string()}
                    checked={choice == Some(choice_here)} {onchange} {onclick} />
                <label for={id}>
                    <span class="label">{ label.to_string() }</span>
                    if !hint.is_empty() { <span class="hint">{ hint.to_string() }</span> }
                </label>
            </div>
        }
    };
    let justification = props.answer.as_ref().filter(|a| a.choice == Choice::NotApplicable).map(|a| {
        let id = format!("{}-why", q.id);
        let err_id = format!("{}-why-error", q.id);
        let dispatch = props.dispatch.clone();
        let oninput = Callback::from(move |e: InputEvent| {
            dispatch.dispatch(Action::Justify(index, value_of(&e.into())))
        });
        html! {
            <div class="field justification">
                <label for={id.clone()}>{ "Why does this control not apply? (goes into the Statement of Applicability) *" }</label>
                <textarea id={id} rows="2" maxlength="2000" required=true
                    value={a.justification.clone()}
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
                <span class="title">{ q.title.clone() }</span>
                <span class="text">{ q.text.clone() }</span>
                <span class="refs">{ "ISO/IEC 42001 " }{ q.refs.join(", ") }</span>
            </legend>
            if props.unconfirmed {
                <p class="carried">{ "From the quick quiz — please confirm: choose the answer that fits, or the same one again." }</p>
            }
            <details class="help">
                <summary>{ "What good looks like" }</summary>
                <p>{ q.help.clone() }</p>
            </details>
            <div class="levels">
                { for LEVELS.iter().zip(0u8..).map(|((label, hint), n)| option(&n.to_string(), Choice::Level(n), &format!("{n} · {label}"), hint)) }
                { option("unknown", Choice::Unknown, "Don't know", "Counted as not started, and it widens the estimate.") }
                if bank.allows_not_applicable(&q.id) {
                    { option("not_applicable", Choice::NotApplicable, "Not applicable", "This control does not apply to us.") }
                }
            </div>
            { for justification }
        </fieldset>
    }
}
