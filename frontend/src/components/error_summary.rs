//! The error summary of the GOV.UK Design System: after a refused submit, a box at the top
//! of the form lists every field that is not right, each a link to its field, and the focus
//! moves to the first of those fields (so its message is read out with it).

use wasm_bindgen::JsCast;
use yew::prelude::*;

/// What the summary lists.
#[derive(Properties, PartialEq)]
pub struct ErrorSummaryProps {
    /// Each field that is not right: its element `id` and the message.
    pub errors: Vec<(String, String)>,
    /// Refused submits so far; each new one shows the summary and moves the focus (not the
    /// ones before the form was shown: coming back to a form is not a new refusal).
    pub attempt: u32,
}

/// Focuses the element with `id` in the widget that holds `near`.
fn focus_in_widget(near: &NodeRef, id: &str) {
    let field = near
        .cast::<web_sys::Element>()
        .and_then(|e| e.closest(".aims").ok().flatten())
        .and_then(|w| w.query_selector(&format!("[id=\"{id}\"]")).ok().flatten())
        .and_then(|f| f.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(field) = field {
        let _ = field.focus();
    }
}

/// The summary, shown once a submit was refused and while something is still not right.
#[function_component(ErrorSummary)]
pub fn error_summary(props: &ErrorSummaryProps) -> Html {
    let summary = use_node_ref();
    let shown_at = *use_state(|| props.attempt);
    {
        let (summary, first) = (summary.clone(), props.errors.first().map(|e| e.0.clone()));
        use_effect_with(props.attempt, move |&attempt| {
            if let (true, Some(first)) = (attempt > shown_at, first) {
                focus_in_widget(&summary, &first);
            }
        });
    }
    if props.attempt <= shown_at || props.errors.is_empty() {
        return html! {};
    }
    let links = props
        .errors
        .iter()
        .map(|(id, message)| {
            let onclick = {
                let (summary, id) = (summary.clone(), id.clone());
                Callback::from(move |e: MouseEvent| {
                    // The widget sits in a shadow root, where a fragment link cannot reach.
                    e.prevent_default();
                    focus_in_widget(&summary, &id);
                })
            };
            html! { <li><a href={format!("#{id}")} {onclick}>{ message.clone() }</a></li> }
        })
        .collect::<Html>();
    html! {
        <div class="error-summary" ref={summary} role="alert" aria-labelledby="aims-error-summary-title">
            <h3 id="aims-error-summary-title">{ "There is a problem" }</h3>
            <ul>{ links }</ul>
        </div>
    }
}
