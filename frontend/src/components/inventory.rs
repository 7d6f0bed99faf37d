//! The full assessment's inventory of AI systems: add, edit and remove systems with the
//! keyboard alone. What each system is decides which Annex A controls apply and how much
//! work it brings.

use super::{checked, field_error, value_of};
use crate::drafts::{ProfileField, SystemDraft, SystemField};
use crate::state::{Action, State};
use aims_engine::{Customisation, Named, Origin, RiskTier};
use yew::prelude::*;

/// What the editor shows.
#[derive(Properties, PartialEq)]
pub struct InventoryProps {
    /// The systems so far.
    pub systems: Vec<SystemDraft>,
    /// Each system's message, by position.
    pub errors: Vec<Option<String>>,
    /// A message about the inventory as a whole.
    pub error: Option<String>,
    /// Where the changes go.
    pub dispatch: UseReducerDispatcher<State>,
}

/// A `<select>` of a wire enum's variants, labelled.
fn select<T: Named + PartialEq>(
    id: String,
    label: &str,
    chosen: T,
    label_of: fn(T) -> &'static str,
    onchange: Callback<Event>,
) -> Html {
    html! {
        <div class="field">
            <label for={id.clone()}>{ label.to_string() }</label>
            <select {id} {onchange}>
                { for T::ALL.iter().map(|&v| html! {
                    <option value={v.name()} selected={v == chosen}>{ label_of(v) }</option>
                }) }
            </select>
        </div>
    }
}

/// The inventory editor.
#[function_component(InventoryEditor)]
pub fn inventory_editor(props: &InventoryProps) -> Html {
    let add_button = use_node_ref();
    let last_name = use_node_ref();
    let previous = use_mut_ref(|| props.systems.len());
    {
        // After "Add", the new system's name takes the focus; after "Remove", the add button.
        let (add_button, last_name, previous) =
            (add_button.clone(), last_name.clone(), previous.clone());
        use_effect_with(props.systems.len(), move |&len| {
            let before = std::mem::replace(&mut *previous.borrow_mut(), len);
            let target = if len > before {
                last_name.cast::<web_sys::HtmlElement>()
            } else if len < before {
                add_button.cast::<web_sys::HtmlElement>()
            } else {
                None
            };
            if let Some(element) = target {
                let _ = element.focus();
            }
        });
    }
    let send = |field: ProfileField| {
        let dispatch = props.dispatch.clone();
        move || dispatch.dispatch(Action::Profile(field.clone()))
    };
    let on = |i: usize, make: fn(&Event) -> Option<SystemField>| {
        let dispatch = props.dispatch.clone();
        Callback::from(move |e: Event| {
            if let Some(field) = make(&e) {
                dispatch.dispatch(Action::Profile(ProfileField::System(i, field)));
            }
        })
    };
    let count = props.systems.len();
    let rows = props.systems.iter().enumerate().map(|(i, s)| {
        let id = |field: &str| format!("aims-system-{i}-{field}");
        let number = i + 1;
        let error = props.errors.get(i).cloned().flatten();
        let error_id = format!("aims-err-system-{i}");
        let name = {
            let dispatch = props.dispatch.clone();
            Callback::from(move |e: InputEvent| {
                let e: Event = e.into();
                dispatch.dispatch(Action::Profile(ProfileField::System(
                    i,
                    SystemField::Name(value_of(&e)),
                )))
            })
        };
        let remove = {
            let remove = send(ProfileField::RemoveSystem(i));
            Callback::from(move |_: MouseEvent| remove())
        };
        let shown = if s.name.trim().is_empty() {
            format!("AI system {number}")
        } else {
            s.name.trim().to_string()
        };
        html! {
            <fieldset class="system">
                <legend>{ format!("AI system {number}") }</legend>
                <div class="field">
                    <label for={id("name")}>{ "Name *" }</label>
                    <input id={id("name")} type="text" maxlength="120" value={s.name.clone()}
                        ref={if i + 1 == count { last_name.clone() } else { NodeRef::default() }}
                        oninput={name} aria-invalid={error.is_some().then_some("true")}
                        aria-describedby={error.is_some().then(|| error_id.clone())} />
                    { field_error(&error_id, &error) }
                </div>
                { select(id("origin"), "Who built it", s.origin, Origin::label,
                    on(i, |e| Origin::from_name(&value_of(e)).map(SystemField::Origin))) }
                { if s.origin == Origin::ThirdParty {
                    select(id("customisation"), "How you adapt it", s.customisation, Customisation::label,
                        on(i, |e| Customisation::from_name(&value_of(e)).map(SystemField::Customisation)))
                } else { html! {} } }
                { select(id("risk"), "EU AI Act risk tier", s.risk, RiskTier::label,
                    on(i, |e| RiskTier::from_name(&value_of(e)).map(SystemField::Risk))) }
                <div class="field check">
                    <input type="checkbox" id={id("offered")} checked={s.offered}
                        onchange={on(i, |e| Some(SystemField::Offered(checked(e))))} />
                    <label for={id("offered")}>{ "Offered to customers, or its output is" }</label>
                </div>
                { if s.risk == RiskTier::Prohibited {
                    html! { <p class="error">{ "A prohibited practice cannot be part of a certified management system: the results show what to do about it." }</p> }
                } else { html! {} } }
                <button type="button" onclick={remove} aria-label={format!("Remove {shown}")}>{ "Remove" }</button>
            </fieldset>
        }
    });
    let add = {
        let add = send(ProfileField::AddSystem);
        Callback::from(move |_: MouseEvent| add())
    };
    let full = count >= aims_engine::MAX_AI_SYSTEMS as usize;
    html! {
        <fieldset class="field inventory" aria-describedby="aims-inventory-help">
            <legend>{ "AI systems in scope *" }</legend>
            <p class="hint" id="aims-inventory-help">{ "Every model, product or service with AI that the management system will cover: what each one is decides which controls apply and how much work it brings. Leave the list empty while the first system is still planned." }</p>
            { for rows }
            { field_error("aims-err-systems", &props.error) }
            <button type="button" id="aims-add-system" ref={add_button} onclick={add} disabled={full}>{ "Add an AI system" }</button>
        </fieldset>
    }
}
