//! Pieces the screens are made of: one question, the inventory, the error summary, the
//! glossary, and the form helpers every field uses.

mod error_summary;
mod glossary;
mod inventory;
mod question;

pub use error_summary::ErrorSummary;
pub use glossary::{glossary, term};
pub use inventory::InventoryEditor;
pub use question::QuestionCard;

use yew::prelude::*;

/// Reads the value of the input, select or textarea an event came from.
pub(crate) fn value_of(event: &Event) -> String {
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
pub(crate) fn checked(event: &Event) -> bool {
    event
        .target_dyn_into::<web_sys::HtmlInputElement>()
        .is_some_and(|i| i.checked())
}

/// An error message under a field, referenced by the field's `aria-describedby`.
pub(crate) fn field_error(id: &str, message: &Option<String>) -> Html {
    match message {
        Some(m) => html! { <p class="error" id={id.to_string()}>{ m.clone() }</p> },
        None => html! {},
    }
}
