//! The lead form: contact details sent with the answers (never a score) to the API.

use super::{checked, field_error, value_of};
use crate::app::use_store;
use crate::components::ErrorSummary;
use crate::drafts::LeadField;
use crate::state::{Action, Submission};
use yew::prelude::*;

/// Name, email, company and consent, with inline messages, retry and confirmation.
#[function_component(LeadForm)]
pub fn lead_form() -> Html {
    let state = use_store();
    let errors = &state.lead_errors;
    let lead = &state.lead;
    // The confirmation replaces the form and its focused button: move the focus to the
    // confirmation, so keyboard and screen-reader users stay where they were.
    let confirmation = use_node_ref();
    {
        let confirmation = confirmation.clone();
        let done = matches!(state.submission, Submission::Done { .. });
        use_effect_with(done, move |done| {
            if *done && let Some(h) = confirmation.cast::<web_sys::HtmlElement>() {
                let _ = h.focus();
            }
        });
    }
    if let Some(origin) = &state.origin_refused {
        let api = state.api.as_deref().unwrap_or_default();
        return html! {
            <section class="lead refused" aria-labelledby="aims-lead-title">
                <h3 id="aims-lead-title">{ "Results cannot be sent from this page" }</h3>
                <p role="status">{ format!("The server at {api} does not accept results from {origin}. Use Download below to keep your report. The site's owner can add {origin} to the server's allowed origins (--allowed-origins).") }</p>
            </section>
        };
    }
    if let Submission::Done { id, report } = &state.submission {
        return html! {
            <section class="lead done" aria-labelledby="aims-lead-title">
                <h3 id="aims-lead-title" tabindex="-1" ref={confirmation}>{ "Thank you" }</h3>
                <p role="status">{ "Your results were sent. We will be in touch." }</p>
                if state.lead.send_report {
                    <p>{ "The report is on its way to your inbox." }</p>
                }
                <p>{ "Reference: " }<code class="assessment-id">{ id.clone() }</code></p>
                <p><a href={report.clone()} target="_blank" rel="noopener">{ "Open the Gap Analysis Report" }</a></p>
            </section>
        };
    }
    let input = |make: fn(String) -> LeadField| {
        let state = state.clone();
        Callback::from(move |e: InputEvent| {
            let e: Event = e.into();
            state.dispatch(Action::Lead(make(value_of(&e))))
        })
    };
    let consent = {
        let state = state.clone();
        Callback::from(move |e: Event| {
            state.dispatch(Action::Lead(LeadField::Consent(checked(&e))))
        })
    };
    let send_report = {
        let state = state.clone();
        Callback::from(move |e: Event| {
            state.dispatch(Action::Lead(LeadField::SendReport(checked(&e))))
        })
    };
    let submit = {
        let state = state.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            state.dispatch(Action::SubmitLead);
        })
    };
    let sending = matches!(state.submission, Submission::Sending { .. });
    let invalid = |error: &Option<String>| error.is_some().then_some("true");
    let described = |error: &Option<String>, field: &str| {
        error.is_some().then(|| format!("aims-err-lead-{field}"))
    };
    let status = match &state.submission {
        Submission::Sending { .. } => html! { <p class="status">{ "Sending…" }</p> },
        Submission::Failed { message, retry, .. } => html! {
            <div class="status failed" role="alert">
                <p>{ message.clone() }</p>
                if *retry { <button type="submit" class="primary">{ "Try again" }</button> }
            </div>
        },
        _ => html! {},
    };
    html! {
        <section class="lead" aria-labelledby="aims-lead-title">
            <h3 id="aims-lead-title">{ "Talk to us about your roadmap" }</h3>
            <p>{ "Send your answers to get the full report and a call about your next steps. The score is recomputed on our server from your answers." }</p>
            <form onsubmit={submit} novalidate=true>
                <ErrorSummary errors={errors.listed()} attempt={state.refused} />
                { text_field("name", "Name *", "text", "name", &lead.name, &errors.name, input(LeadField::Name)) }
                { text_field("email", "Work email *", "email", "email", &lead.email, &errors.email, input(LeadField::Email)) }
                { text_field("company", "Company (optional)", "text", "organization", &lead.company, &errors.company, input(LeadField::Company)) }
                { text_field("phone", "Phone (optional)", "tel", "tel", &lead.phone, &errors.phone, input(LeadField::Phone)) }
                { text_field("role", "Your role (optional)", "text", "organization-title", &lead.role, &errors.role, input(LeadField::Role)) }
                <div class="field check">
                    <input id="aims-lead-consent" type="checkbox" checked={lead.consent} onchange={consent}
                        aria-invalid={invalid(&errors.consent)} aria-describedby={described(&errors.consent, "consent")} />
                    <label for="aims-lead-consent">{ "I agree that my contact details and answers are stored to follow up on this assessment. I can ask for them to be erased at any time. *" }</label>
                    { field_error("aims-err-lead-consent", &errors.consent) }
                </div>
                if state.bank.data().site.as_ref().is_some_and(|s| s.emails_report) {
                    <div class="field check">
                        <input id="aims-lead-send-report" type="checkbox" checked={lead.send_report} onchange={send_report} />
                        <label for="aims-lead-send-report">{ "Email me the Gap Analysis Report (optional)" }</label>
                    </div>
                }
                if let Some(url) = state.bank.data().site.as_ref().and_then(|s| s.privacy_url.clone()) {
                    <p><a href={url} target="_blank" rel="noopener">{ "How we handle your data (privacy notice)" }</a></p>
                }
                { status }
                if !matches!(state.submission, Submission::Failed { retry: true, .. }) {
                    <div class="actions">
                        <button type="submit" class="primary" disabled={sending}>{ "Send my results" }</button>
                    </div>
                }
            </form>
        </section>
    }
}

/// One text field of the lead form (`aims-lead-{field}`), its message under it.
fn text_field(
    field: &str,
    label: &'static str,
    kind: &'static str,
    autocomplete: &'static str,
    value: &str,
    error: &Option<String>,
    oninput: Callback<InputEvent>,
) -> Html {
    let (id, error_id) = (
        format!("aims-lead-{field}"),
        format!("aims-err-lead-{field}"),
    );
    html! {
        <div class="field">
            <label for={id.clone()}>{ label }</label>
            <input {id} type={kind} {autocomplete} value={value.to_string()} {oninput}
                aria-invalid={error.is_some().then_some("true")}
                aria-describedby={error.is_some().then(|| error_id.clone())} />
            { field_error(&error_id, error) }
        </div>
    }
}
