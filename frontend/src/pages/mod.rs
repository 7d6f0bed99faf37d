//! The four screens: intro, profile, questions, results.

mod intro;
mod lead;
mod profile;
mod questions;
mod results;

pub use intro::Intro;
pub use profile::ProfileForm;
pub use questions::Questions;
pub use results::Results;

use yew::prelude::*;

/// A screen heading that takes the focus when the visitor moves to it (not on first load,
/// so the widget never steals focus from the host page), so screen readers announce it.
#[hook]
fn use_heading_focus(key: (u8, usize), navigated: bool) -> NodeRef {
    let heading = use_node_ref();
    {
        let heading = heading.clone();
        use_effect_with(key, move |_| {
            if navigated && let Some(h) = heading.cast::<web_sys::HtmlElement>() {
                let _ = h.focus();
            }
        });
    }
    heading
}

/// Reads the value of the input, select or textarea an event came from.
fn value_of(event: &Event) -> String {
    use wasm_bindgen::JsCast;
    let Some(target) = event.target() else {
        return String::new();
    };
    if let Some(i) = target.dyn_ref::<web_sys::HtmlInputElement>() {
        i.value()
    } else if let Some(s) = target.dyn_ref::<web_sys::HtmlSelectElement>() {
        s.value()
    } else if let Some(t) = target.dyn_ref::<web_sys::HtmlTextAreaElement>() {
        t.value()
    } else {
        String::new()
    }
}

/// Whether the checkbox an event came from is ticked.
fn checked(event: &Event) -> bool {
    event
        .target_dyn_into::<web_sys::HtmlInputElement>()
        .is_some_and(|i| i.checked())
}

/// An error message under a field, referenced by the field's `aria-describedby`.
fn field_error(id: &str, message: Option<&String>) -> Html {
    match message {
        Some(m) => html! { <p class="error" id={id.to_string()}>{ m.clone() }</p> },
        None => html! {},
    }
}
