//! The organisation profile: it shapes the estimate and the roadmap.

use super::{checked, field_error, use_heading_focus, value_of};
use crate::app::use_store;
use crate::components::{ErrorSummary, InventoryEditor, term};
use crate::drafts::{CountField, ProfileField};
use crate::state::Action;
use aims_engine::{Mode, Named, Size};
use yew::prelude::*;

/// The fields of the profile form, each rendered once per render.
struct Fields {
    size: Html,
    employees: Html,
    systems: Html,
    high_risk: Html,
    sector: Html,
    frameworks: Html,
    capacity: Html,
    start: Html,
}

/// The profile screen. The quick quiz asks only the size and the AI systems before the
/// first question; the rest sharpens the estimate on the results ([`RefineEstimate`]).
#[function_component(ProfileForm)]
pub fn profile_form() -> Html {
    let state = use_store();
    let heading = use_heading_focus((1, 0), state.revision > 0);
    let submit = {
        let state = state.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            state.dispatch(Action::SubmitProfile);
        })
    };
    let f = fields(&state);
    let (intro, fields) = match state.mode {
        // A field the results ask that is not right (saved so) shows here too, so that
        // the form can always be sent.
        Mode::Quick => {
            let e = &state.profile_errors;
            let wrong = |error: &Option<String>, field: Html| error.as_ref().map(|_| field);
            let rest = [
                wrong(&e.employees, f.employees),
                wrong(&e.sector, f.sector),
                wrong(&e.capacity_fte, f.capacity),
                wrong(&e.start_date, f.start),
            ];
            (
                "Two things size the estimate; the rest can sharpen it on the results. Fields marked * are required.",
                html! { <>{ f.size }{ f.systems }{ for rest.into_iter().flatten() }</> },
            )
        }
        Mode::Full => (
            "These answers size the estimate and shape the roadmap. Fields marked * are required.",
            html! { <>{ f.size }{ f.employees }{ f.systems }{ f.sector }{ f.frameworks }{ f.capacity }{ f.start }</> },
        ),
    };
    html! {
        <section class="screen profile" aria-labelledby="aims-profile-title">
            <h2 id="aims-profile-title" tabindex="-1" ref={heading}>{ "About your organisation" }</h2>
            <p>{ intro }</p>
            <form onsubmit={submit} novalidate=true>
                <ErrorSummary errors={state.profile_errors.listed()} attempt={state.refused} />
                { fields }
                <div class="actions">
                    <button type="submit" class="primary">{ "Continue to the questions" }</button>
                </div>
            </form>
        </section>
    }
}

/// After a quick quiz, what the profile screen did not ask: each change updates the
/// results at once (a field that is not right keeps the last results and says why).
#[function_component(RefineEstimate)]
pub fn refine_estimate() -> Html {
    let state = use_store();
    let f = fields(&state);
    html! {
        <section class="refine" aria-labelledby="aims-refine-title">
            <h3 id="aims-refine-title">{ "Sharpen the estimate" }</h3>
            <p>{ "Optional: the results change as you go." }</p>
            { f.frameworks }{ f.high_risk }{ f.capacity }{ f.start }{ f.employees }{ f.sector }
        </section>
    }
}

fn fields(state: &crate::app::Store) -> Fields {
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
    let count = |make: fn(String) -> CountField| {
        let state = state.clone();
        Callback::from(move |e: InputEvent| {
            let e: Event = e.into();
            state.dispatch(Action::Profile(ProfileField::Count(make(value_of(&e)))))
        })
    };
    let high_risk = {
        let state = state.clone();
        Callback::from(move |e: Event| {
            state.dispatch(Action::Profile(ProfileField::Count(CountField::HighRisk(
                checked(&e),
            ))))
        })
    };
    let c = &p.counts;
    // The full assessment's inventory gives each system its own risk.
    let high_risk = match state.mode {
        Mode::Quick => html! {
            <div class="field check">
                <input type="checkbox" id="aims-high-risk" checked={c.high_risk} onchange={high_risk}
                    aria-describedby="aims-high-risk-help" />
                <label for="aims-high-risk">{ "At least one of our AI systems is high-risk" }</label>
                <p class="hint" id="aims-high-risk-help">{ "High-risk under the EU AI Act: for example credit scoring, hiring, medical or safety uses." }</p>
            </div>
        },
        Mode::Full => html! {},
    };
    let number = |id: &'static str,
                  label: &'static str,
                  value: &String,
                  oninput: Callback<InputEvent>| {
        html! {
            <div class="field">
                <label for={id}>{ label }</label>
                <input {id} type="number" inputmode="numeric" min="0" step="1" value={value.clone()} {oninput}
                    aria-invalid={invalid(&errors.counts)}
                    aria-describedby={described(&errors.counts, "counts", None)} />
            </div>
        }
    };
    let systems = match state.mode {
        Mode::Quick => html! {
            <fieldset class="field">
                <legend>{ "Your AI systems *" }</legend>
                { number("aims-count-total", "How many AI systems will the management system cover?", &c.total, count(CountField::Total)) }
                { number("aims-count-built", "How many of them do you build, train or fine-tune yourselves?", &c.built, count(CountField::Built)) }
                { number("aims-count-offered", "How many do customers use, or get results from?", &c.offered, count(CountField::Offered)) }
                { field_error("aims-err-counts", &errors.counts) }
            </fieldset>
        },
        Mode::Full => html! {
            <InventoryEditor systems={p.systems.clone()} errors={errors.system_names.clone()}
                error={errors.systems.clone()} dispatch={state.dispatcher()} />
        },
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
    Fields {
        size: html! {
        <div class="field">
            <label for="aims-size">{ "Organisation size *" }</label>
            <select id="aims-size" onchange={size}
                aria-invalid={invalid(&errors.size)} aria-describedby={described(&errors.size, "size", None)}>
                <option value="" selected={p.size.is_none()}>{ "Choose…" }</option>
                { for Size::ALL.iter().map(|&s| html! { <option value={s.as_str()} selected={p.size == Some(s)}>{ s.label() }</option> }) }
            </select>
            { field_error("aims-err-size", &errors.size) }
        </div>
        },
        employees: html! {
        <div class="field">
            <label for="aims-employees">{ "Number of people" }</label>
            <input id="aims-employees" type="number" inputmode="numeric" min="1" step="1"
                value={p.employees.clone()} oninput={send_input(ProfileField::Employees)}
                aria-invalid={invalid(&errors.employees)}
                aria-describedby={described(&errors.employees, "employees", Some("aims-employees-help"))} />
            <p class="hint" id="aims-employees-help">{ "Optional: a head count inside the size band makes the estimate finer." }</p>
            { field_error("aims-err-employees", &errors.employees) }
        </div>
        },
        systems,
        high_risk,
        sector: html! {
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
        },
        frameworks: html! {
            <fieldset class="field">
                <legend>{ "Frameworks already in place" }</legend>
                { for frameworks }
            </fieldset>
        },
        capacity: html! {
        <div class="field">
            <label for="aims-capacity">{ "People available for the programme (full-time equivalents) *" }</label>
            <input id="aims-capacity" type="number" inputmode="decimal" min="0.1" step="0.1"
                value={p.capacity_fte.clone()} oninput={send_input(ProfileField::Capacity)}
                aria-invalid={invalid(&errors.capacity_fte)}
                aria-describedby={described(&errors.capacity_fte, "capacity_fte", Some("aims-capacity-help"))} />
            <div class="hint" id="aims-capacity-help">{ "In " }{ term("full-time equivalents") }{ ": for example 1.5 for a full-time project lead and half of a colleague." }</div>
            { field_error("aims-err-capacity_fte", &errors.capacity_fte) }
        </div>
        },
        start: html! {
        <div class="field">
            <label for="aims-start">{ "Planned start date" }</label>
            <input id="aims-start" type="date" value={p.start_date.clone()}
                onchange={send(ProfileField::StartDate)}
                aria-invalid={invalid(&errors.start_date)}
                aria-describedby={described(&errors.start_date, "start_date", Some("aims-start-help"))} />
            <p class="hint" id="aims-start-help">{ "Optional: with a date, the roadmap shows calendar dates." }</p>
            { field_error("aims-err-start_date", &errors.start_date) }
        </div>
        },
    }
}
