//! The four screens: intro, profile, questions, results.

mod intro;
mod lead;
mod profile;
mod questions;
mod results;

pub use intro::Intro;
pub use profile::ProfileForm;
use profile::RefineEstimate;
pub use questions::Questions;
pub use results::Results;

use yew::prelude::*;

pub(crate) use crate::components::{checked, field_error, value_of};

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
