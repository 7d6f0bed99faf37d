//! What the widget is, how long it takes, what happens to the answers.

use super::use_heading_focus;
use crate::app::use_store;
use crate::state::{Action, mode_name};
use aims_engine::Mode;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The first screen.
#[function_component(Intro)]
pub fn intro() -> Html {
    let state = use_store();
    let heading = use_heading_focus((0, 0), state.revision > 0);
    let total = state.total_questions();
    let minutes = match state.mode {
        Mode::Quick => "about 5 minutes".to_string(),
        // About a minute and a half a question, in half hours: "about 1½ hours".
        Mode::Full => {
            let halves = ((total * 3 / 2).max(30) + 15) / 30;
            let time = match (halves / 2, halves % 2) {
                (0, _) => "half an hour".to_string(),
                (1, 0) => "an hour".to_string(),
                (hours, 1) => format!("{hours}½ hours"),
                (hours, _) => format!("{hours} hours"),
            };
            format!("about {time}, in as many sittings as you like")
        }
    };
    let start = {
        let state = state.clone();
        Callback::from(move |_| state.dispatch(Action::Start))
    };
    let import = {
        let state = state.clone();
        Callback::from(move |e: Event| {
            let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() else {
                return;
            };
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            input.set_value("");
            let state = state.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let text = wasm_bindgen_futures::JsFuture::from(file.text()).await;
                let text = text
                    .ok()
                    .and_then(|t| t.dyn_into::<js_sys::JsString>().ok())
                    .map(String::from)
                    .unwrap_or_default();
                state.dispatch(Action::Import(text));
            });
        })
    };
    let privacy = if state.api.is_some() {
        "Your answers stay in this browser and are scored here. Nothing is sent anywhere unless you choose to submit your results at the end."
    } else {
        "Your answers stay in this browser and are scored here. This widget sends nothing anywhere."
    };
    html! {
        <section class="screen intro" aria-labelledby="aims-intro-title">
            <h2 id="aims-intro-title" tabindex="-1" ref={heading}>
                { "How ready are you for ISO/IEC 42001?" }
            </h2>
            <p>
                { "ISO/IEC 42001 is the certifiable standard for managing AI responsibly. This " }
                { mode_name(state.mode) }
                { " tells you how far your organisation is from certification, what is missing, how long it is likely to take and in what order to work." }
            </p>
            if let Some(intro) = state.bank.data().site.as_ref().and_then(|s| s.intro.clone()) {
                <p class="site-intro">{ intro }</p>
            }
            <ul class="facts">
                <li>{ format!("{total} questions, {minutes}.") }</li>
                <li>{ "You get a readiness score, your top gaps, an effort and time estimate, and a six-phase roadmap." }</li>
                <li>{ "Progress is saved in this browser, so you can stop and come back." }</li>
            </ul>
            <p class="privacy"><strong>{ "Privacy: " }</strong>{ privacy }</p>
            <div class="actions">
                <button type="button" class="primary" onclick={start}>{ "Start" }</button>
                <label class="button file">
                    { "Resume from a saved file" }
                    <input type="file" accept=".json,application/json" onchange={import} />
                </label>
            </div>
        </section>
    }
}
