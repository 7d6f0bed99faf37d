//! The organisation profile: it shapes the estimate and the roadmap.

use super::{checked, field_error, use_heading_focus, value_of};
use crate::app::use_store;
use crate::drafts::ProfileField;
use crate::state::Action;
use aims_engine::{Named, Role, Size};
use yew::prelude::*;

/// How the form asks about each role: the choice's wording and its hint.
fn role_copy(role: Role) -> (&'static str, &'static str) {
    match role {
        Role::Develops => (
            "We develop AI systems",
            "We build or train models or AI products, for ourselves or for customers.",
        ),
        Role::Uses => (
            "We use AI systems built by others",
            "We buy or subscribe to AI products and services and use them in our work.",
        ),
        Role::Both => ("Both", "We develop some AI systems and use others."),
    }
}

/// The profile screen.
#[function_component(ProfileForm)]
pub fn profile_form() -> Html {
    let state = use_store();
    let heading = use_heading_focus((1, 0), state.revision > 0);
    let p = &state.profile;
    let errors = &state.profile_errors;
    let send = |make: fn(String) -> ProfileField| {
        let state = state.clone();
        Callback::from(move |e: Event| state.dispatch(Action::Profile(make(value_of(&e)))))
    };
    let send_input = |make: fn(String) -> ProfileField| {
        let state = state.clone();
        Callback::from(move |e: InputEvent| {
            let e: Event = e.into();
            state.dispatch(Action::Profile(make(value_of(&e))))
        })
    };
    let invalid = |error: &Option<String>| error.is_some().then_some("true");
    let described = |error: &Option<String>, field: &str, help: Option<&str>| {
        let error = error.is_some().then(|| format!("aims-err-{field}"));
        let ids: Vec<String> = help.map(str::to_string).into_iter().chain(error).collect();
        (!ids.is_empty()).then(|| ids.join(" "))
    };
    let size = {
        let state = state.clone();
        Callback::from(move |e: Event| {
            let size = Size::from_name(&value_of(&e));
            state.dispatch(Action::Profile(ProfileField::Size(size)))
        })
    };
    let submit = {
        let state = state.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            state.dispatch(Action::SubmitProfile);
        })
    };
    let high_risk = {
        let state = state.clone();
        Callback::from(move |e: Event| {
            state.dispatch(Action::Profile(ProfileField::HighRisk(checked(&e))))
        })
    };
    let frameworks = state.bank.data().frameworks.iter().map(|f| {
        let (framework, is_on) = (f.id, p.frameworks.contains(&f.id));
        let onchange = {
            let state = state.clone();
            Callback::from(move |e: Event| {
                state.dispatch(Action::Profile(ProfileField::Framework(
                    framework,
                    checked(&e),
                )))
            })
        };
        let input_id = format!("aims-fw-{framework}");
        html! {
            <div class="check">
                <input type="checkbox" id={input_id.clone()} checked={is_on} {onchange} />
                <label for={input_id}>{ f.name.clone() }</label>
            </div>
        }
    });
    let roles = Role::ALL.iter().map(|&role| {
        let (value, (label, help)) = (role.as_str(), role_copy(role));
        let id = format!("aims-role-{value}");
        let help_id = format!("{id}-help");
        let onchange = {
            let state = state.clone();
            Callback::from(move |_: Event| {
                state.dispatch(Action::Profile(ProfileField::Role(role)))
            })
        };
        html! {
            <div class="choice">
                <input type="radio" name="aims-role" id={id.clone()} value={value}
                    checked={p.role == Some(role)} aria-describedby={help_id.clone()} {onchange} />
                <label for={id}>{ label }<span class="hint" id={help_id}>{ help }</span></label>
            </div>
        }
    });
    html! {
        <section class="screen profile" aria-labelledby="aims-profile-title">
            <h2 id="aims-profile-title" tabindex="-1" ref={heading}>{ "About your organisation" }</h2>
            <p>{ "These answers size the estimate and shape the roadmap. Fields marked * are required." }</p>
            <form onsubmit={submit} novalidate=true>
                <div class="field">
                    <label for="aims-size">{ "Organisation size *" }</label>
                    <select id="aims-size" onchange={size}
                        aria-invalid={invalid(&errors.size)} aria-describedby={described(&errors.size, "size", None)}>
                        <option value="" selected={p.size.is_none()}>{ "Choose…" }</option>
                        { for Size::ALL.iter().map(|&s| html! { <option value={s.as_str()} selected={p.size == Some(s)}>{ s.label() }</option> }) }
                    </select>
                    { field_error("aims-err-size", &errors.size) }
                </div>
                <fieldset class="field" aria-describedby={described(&errors.role, "role", None)}>
                    <legend>{ "How does your organisation work with AI? *" }</legend>
                    { for roles }
                    { field_error("aims-err-role", &errors.role) }
                </fieldset>
                <div class="field">
                    <label for="aims-ai-systems">{ "AI systems in scope *" }</label>
                    <input id="aims-ai-systems" type="number" inputmode="numeric" min="0" step="1"
                        value={p.ai_systems.clone()} oninput={send_input(ProfileField::AiSystems)}
                        aria-invalid={invalid(&errors.ai_systems)}
                        aria-describedby={described(&errors.ai_systems, "ai_systems", Some("aims-ai-systems-help"))} />
                    <p class="hint" id="aims-ai-systems-help">{ "Models, products or services with AI that the management system will cover." }</p>
                    { field_error("aims-err-ai_systems", &errors.ai_systems) }
                </div>
                <div class="field">
                    <label for="aims-sector">{ "Sector" }</label>
                    <select id="aims-sector" onchange={send(ProfileField::Sector)}
                        aria-invalid={invalid(&errors.sector)} aria-describedby={described(&errors.sector, "sector", None)}>
                        { for state.bank.data().sectors.iter().map(|s| html! {
                            <option value={s.id.clone()} selected={p.sector == s.id}>{ s.name.clone() }</option>
                        }) }
                    </select>
                    { field_error("aims-err-sector", &errors.sector) }
                </div>
                <div class="field check">
                    <input type="checkbox" id="aims-high-risk" checked={p.high_risk} onchange={high_risk}
                        aria-describedby="aims-high-risk-help" />
                    <label for="aims-high-risk">{ "At least one system is high-risk" }</label>
                    <p class="hint" id="aims-high-risk-help">{ "For example a high-risk system under the EU AI Act: credit scoring, hiring, medical or safety uses." }</p>
                </div>
                <fieldset class="field">
                    <legend>{ "Frameworks already in place" }</legend>
                    { for frameworks }
                </fieldset>
                <div class="field">
                    <label for="aims-capacity">{ "People available for the programme (full-time equivalents) *" }</label>
                    <input id="aims-capacity" type="number" inputmode="decimal" min="0.1" step="0.1"
                        value={p.capacity_fte.clone()} oninput={send_input(ProfileField::Capacity)}
                        aria-invalid={invalid(&errors.capacity_fte)}
                        aria-describedby={described(&errors.capacity_fte, "capacity_fte", Some("aims-capacity-help"))} />
                    <p class="hint" id="aims-capacity-help">{ "For example 1.5 for a full-time project lead and half of a colleague." }</p>
                    { field_error("aims-err-capacity_fte", &errors.capacity_fte) }
                </div>
                <div class="field">
                    <label for="aims-start">{ "Planned start date" }</label>
                    <input id="aims-start" type="date" value={p.start_date.clone()}
                        onchange={send(ProfileField::StartDate)}
                        aria-invalid={invalid(&errors.start_date)}
                        aria-describedby={described(&errors.start_date, "start_date", Some("aims-start-help"))} />
                    <p class="hint" id="aims-start-help">{ "Optional: with a date, the roadmap shows calendar dates." }</p>
                    { field_error("aims-err-start_date", &errors.start_date) }
                </div>
                <div class="actions">
                    <button type="submit" class="primary">{ "Continue to the questions" }</button>
                </div>
            </form>
        </section>
    }
}
