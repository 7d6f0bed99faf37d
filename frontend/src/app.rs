//! The root component: owns the state, saves it, loads the API's bank, tells the host page
//! what happens, and shows the current screen.

use crate::state::{Action, Screen, State, Submission};
use crate::{host, pages, service, storage};
use aims_engine::{Bank, CallToAction, Mode};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The state handle every component reads and dispatches to.
pub type Store = UseReducerHandle<State>;

/// A shared question bank, compared by identity.
#[derive(Debug, Clone)]
pub struct BankRef(pub Rc<Bank>);

impl PartialEq for BankRef {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// What the host element says.
#[derive(Properties, PartialEq, Clone)]
pub struct AppProps {
    /// The host element (events are dispatched on it).
    pub host: web_sys::Element,
    /// `data-mode`.
    pub mode: Mode,
    /// `data-api`: `None` for a pure self-assessment with no network use.
    pub api: Option<AttrValue>,
    /// A bank to use instead of the embedded one.
    #[prop_or_default]
    pub bank: Option<BankRef>,
}

/// The host element's `data-cta-label` and `data-cta-url`, when they make a valid call
/// to action (an invalid one is ignored, with a console warning, and the server's is used).
fn host_cta(host: &web_sys::Element) -> Option<CallToAction> {
    let url = host.get_attribute("data-cta-url")?;
    let label = host.get_attribute("data-cta-label");
    CallToAction::checked(label.as_deref(), &url)
        .map_err(|(field, reason)| {
            web_sys::console::warn_1(&format!("data-cta-{field} ignored: {reason}").into());
        })
        .ok()
}

/// The funnel steps of this page view: which were counted, which wait for the API's
/// answer on the page's origin, and that answer.
#[derive(Default)]
struct Funnel {
    counted: Vec<(&'static str, Mode)>,
    waiting: Vec<(&'static str, Mode)>,
    origin_allowed: Option<bool>,
}

/// The widget.
#[function_component(App)]
pub fn app(props: &AppProps) -> Html {
    let id = use_memo(props.host.clone(), |host| host.id());
    let state = {
        let props = props.clone();
        let id = id.clone();
        use_reducer(move || {
            let bank = props
                .bank
                .map(|b| b.0)
                .unwrap_or_else(|| Rc::new(crate::bank::embedded().clone()));
            let mut fresh = State::new(bank, props.mode, props.api.map(|a| a.to_string()));
            fresh.host_cta = host_cta(&props.host);
            // A quick quiz that went on to the full assessment comes back as that.
            let full = (props.mode == Mode::Quick)
                .then(|| storage::load(&storage::continued_key(&id)))
                .flatten();
            match full {
                Some(saved) => {
                    let mut full = fresh.restarted(Mode::Full);
                    full.from_quiz = true;
                    full.resume(saved)
                }
                None => match storage::load(&storage::key(props.mode, &id)) {
                    Some(saved) => fresh.resume(saved),
                    None => fresh,
                },
            }
        })
    };

    // Save progress after every change; a fresh start leaves nothing behind.
    {
        let state = state.clone();
        let (id, host_mode) = (id.clone(), props.mode);
        use_effect_with(state.revision, move |_| {
            let key = match state.from_quiz {
                true => storage::continued_key(&id),
                false => storage::key(state.mode, &id),
            };
            if state.screen == Screen::Intro && state.answers.iter().all(Option::is_none) {
                storage::clear(&key);
                // Starting over also forgets the full assessment the quiz went on to.
                if host_mode == Mode::Quick {
                    storage::clear(&storage::continued_key(&id));
                }
            } else {
                storage::save(&key, &state.saved());
            }
        });
    }

    // The funnel: each step counted once per page view and mode (a visitor who edits
    // their answers sees the results again but completed once); a view once per page
    // view, whatever the mode (a quiz carried over to the full assessment was one view).
    // Steps wait for the API's answer on this page's origin: an origin it does not accept
    // counts nothing (and the browser would log each refused request).
    let funnel = use_mut_ref(Funnel::default);
    let count_once = {
        let host = props.host.clone();
        let funnel = funnel.clone();
        move |event: &'static str, mode: Mode| {
            let mut f = funnel.borrow_mut();
            let seen = f
                .counted
                .iter()
                .any(|&(e, m)| e == event && (m == mode || event == "view"));
            if !seen {
                f.counted.push((event, mode));
                match f.origin_allowed {
                    Some(true) => service::funnel(&host, event, mode),
                    Some(false) => {}
                    None => f.waiting.push((event, mode)),
                }
            }
        }
    };
    {
        let count_once = count_once.clone();
        let started = state.screen != Screen::Intro;
        use_effect_with((started, state.mode), move |&(started, mode)| {
            count_once("view", mode);
            if started {
                count_once("start", mode);
            }
        });
    }

    // Ready, and the API's bank when there is an API.
    {
        let state = state.clone();
        let host = props.host.clone();
        let funnel = funnel.clone();
        use_effect_with((), move |_| {
            // For the host page and for measuring: the first screen is on the page and
            // answers input (mark `aims:ready` in the Performance timeline).
            let _ = host.set_attribute("data-aims-ready", "");
            if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
                let _ = p.mark("aims:ready");
            }
            host::emit(
                &host,
                "aims:ready",
                &[
                    ("mode", state.mode.as_str().into()),
                    ("bank_version", state.bank.version().into()),
                ],
            );
            if let Some(api) = state.api.clone() {
                wasm_bindgen_futures::spawn_local(async move {
                    // Without the API's bank the embedded one is used: same engine, and the
                    // server checks the version when the visitor submits.
                    if let Ok((bank, origin_allowed)) = service::fetch_bank(&api).await {
                        let waiting = {
                            let mut f = funnel.borrow_mut();
                            f.origin_allowed = Some(origin_allowed);
                            std::mem::take(&mut f.waiting)
                        };
                        if origin_allowed {
                            for (event, mode) in waiting {
                                service::funnel(&host, event, mode);
                            }
                        }
                        state.dispatch(Action::BankLoaded(BankRef(Rc::new(bank))));
                        if !origin_allowed {
                            let origin = web_sys::window().and_then(|w| w.location().origin().ok());
                            state.dispatch(Action::OriginRefused(origin.unwrap_or_default()));
                        }
                    }
                });
            }
        });
    }

    // Results shown: tell the host.
    {
        let host = props.host.clone();
        let summary = (state.screen == Screen::Results)
            .then(|| state.evaluation.clone())
            .flatten()
            .map(|e| {
                (
                    e.result.overall.to_bits(),
                    e.result.band.as_str(),
                    e.result.blockers,
                )
            });
        let (count_once, mode) = (count_once.clone(), state.mode);
        use_effect_with(summary, move |summary| {
            if let Some((overall, band, blockers)) = *summary {
                count_once("complete", mode);
                host::emit(
                    &host,
                    "aims:complete",
                    &[
                        ("overall", f64::from_bits(overall).into()),
                        ("band", band.into()),
                        ("blockers", blockers.into()),
                    ],
                );
            }
        });
    }

    // Send the lead when the reducer says so; one idempotency key per set of details, so a
    // retry after a network failure cannot store the assessment twice.
    {
        let idempotency = use_mut_ref(service::new_idempotency_key);
        let attempt = match state.submission {
            Submission::Sending { attempt } => attempt,
            _ => 0,
        };
        let state = state.clone();
        let host = props.host.clone();
        let count_once = count_once.clone();
        use_effect_with(attempt, move |&attempt| {
            if attempt == 0 {
                return;
            }
            let (Some(api), Some(body)) = (state.api.clone(), state.lead_body()) else {
                return;
            };
            let key = idempotency.borrow().clone();
            wasm_bindgen_futures::spawn_local(async move {
                match service::submit(&api, body, &key).await {
                    Ok(id) => {
                        host::emit(&host, "aims:lead-submitted", &[("id", id.as_str().into())]);
                        count_once("lead", state.mode);
                        state.dispatch(Action::LeadStored { id });
                    }
                    Err(error) => {
                        if !error.retryable() {
                            *idempotency.borrow_mut() = service::new_idempotency_key();
                        }
                        let fields = match &error {
                            service::ApiError::Refused { fields, .. } => fields.clone(),
                            _ => Vec::new(),
                        };
                        state.dispatch(Action::LeadFailed {
                            message: error.message(),
                            retry: error.retryable(),
                            fields,
                        });
                    }
                }
            });
        });
    }

    let page = match state.screen {
        Screen::Intro => html! { <pages::Intro /> },
        Screen::Profile => html! { <pages::ProfileForm /> },
        Screen::Questions => html! { <pages::Questions /> },
        Screen::Results => html! { <pages::Results /> },
    };
    let notice = state.notice.clone().map(|text| {
        let dismiss = {
            let state = state.clone();
            Callback::from(move |_| state.dispatch(Action::DismissNotice))
        };
        html! {
            <div class="notice" role="status">
                <p>{ text }</p>
                <button type="button" class="link" onclick={dismiss}>{ "Dismiss" }</button>
            </div>
        }
    });

    // The consultancy's branding, from the bank's site block (checked by the server).
    let site = state.bank.data().site.clone().unwrap_or_default();
    // Set through the CSSOM on the host element (inherited into the shadow root): a
    // `style` attribute would be refused by a strict `style-src` CSP, such as /embed's.
    {
        let host = props.host.clone();
        use_effect_with(site.accent.clone(), move |accent| {
            if let (Some(accent), Some(host)) = (accent, host.dyn_ref::<web_sys::HtmlElement>()) {
                let _ = host.style().set_property("--site-a", accent);
            }
        });
    }
    let brand = (site.name.is_some() || site.logo_url.is_some()).then(|| {
        html! {
            <p class="brand">
                if let Some(logo) = site.logo_url {
                    <img src={logo} alt={site.name.clone().unwrap_or_default()} height="40" />
                }
                if let Some(name) = site.name {
                    <span>{ name }</span>
                }
            </p>
        }
    });

    html! {
        <ContextProvider<Store> context={state}>
            <div class="aims" lang="en">
                { for brand }
                { for notice }
                { page }
            </div>
        </ContextProvider<Store>>
    }
}

/// The state handle, from any component under [`App`].
#[hook]
pub fn use_store() -> Store {
    use_context::<Store>().expect("components live under App")
}
