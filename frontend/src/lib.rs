//! The embeddable AIMS Readiness widget: a quick quiz and a full ISO/IEC 42001 gap
//! assessment that run entirely in the browser, scored by the same engine as the API.
//!
//! A page embeds it with one element and one script:
//!
//! ```html
//! <div data-aims-readiness data-api="https://consultancy.example" data-mode="quick"></div>
//! <script type="module" src="https://consultancy.example/widget/aims-readiness.js"></script>
//! ```
//!
//! Every `[data-aims-readiness]` element gets its own widget inside a Shadow DOM, so the
//! host page's CSS and the widget's cannot reach each other. Without `data-api` the
//! widget makes no network request at all.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod app;
pub mod bank;
mod charts;
mod components;
pub mod drafts;
pub mod export;
mod host;
pub mod json;
mod pages;
pub mod service;
pub mod state;
pub mod storage;

use aims_engine::Mode;
use wasm_bindgen::prelude::*;

/// The widget's stylesheet (`src/style.css` without comments and insignificant
/// whitespace, see `build.rs`), placed inside each shadow root.
pub const STYLE: &str = include_str!(concat!(env!("OUT_DIR"), "/style.min.css"));

/// Mounts a widget into every `[data-aims-readiness]` element not yet mounted; runs when
/// the module loads, and may be called again after the page adds elements.
#[wasm_bindgen(js_name = mountAll)]
pub fn mount_all() -> u32 {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return 0;
    };
    let Ok(list) = document.query_selector_all("[data-aims-readiness]:not([data-aims-mounted])")
    else {
        return 0;
    };
    let mut mounted = 0;
    for i in 0..list.length() {
        if let Some(element) = list
            .item(i)
            .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
            && mount(element, None).is_ok()
        {
            mounted += 1;
        }
    }
    mounted
}

/// Mounts one widget into `host`, reading `data-mode` and `data-api` from it. `bank`
/// replaces the embedded question bank (tests use it).
pub fn mount(
    host: web_sys::Element,
    bank: Option<std::rc::Rc<aims_engine::Bank>>,
) -> Result<(), JsValue> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    host.set_attribute("data-aims-mounted", "")?;
    let mode = match host.get_attribute("data-mode").as_deref() {
        Some("full") => Mode::Full,
        _ => Mode::Quick,
    };
    // `data-api=""` means the page's own origin; no attribute means no network at all.
    let api = host.get_attribute("data-api").map(|a| a.trim().to_string());
    let shadow =
        host.attach_shadow(&web_sys::ShadowRootInit::new(web_sys::ShadowRootMode::Open))?;
    add_style(&document, &shadow)?;
    let root = document.create_element("div")?;
    root.set_class_name("aims-root");
    shadow.append_child(&root)?;
    let props = app::AppProps {
        host: host.clone(),
        mode,
        api: api.map(Into::into),
        bank: bank.map(app::BankRef),
    };
    yew::Renderer::<app::App>::with_root_and_props(root, props).render();
    Ok(())
}

/// Gives the shadow root the widget's stylesheet: a constructed sheet where the browser
/// has them (no inline `<style>`, so a host page's strict `style-src` CSP is no obstacle),
/// a `<style>` element otherwise.
fn add_style(document: &web_sys::Document, shadow: &web_sys::ShadowRoot) -> Result<(), JsValue> {
    if let Ok(sheet) = web_sys::CssStyleSheet::new()
        && sheet.replace_sync(STYLE).is_ok()
        && js_sys::Reflect::set(
            shadow,
            &"adoptedStyleSheets".into(),
            &js_sys::Array::of1(&sheet),
        )
        .is_ok()
    {
        return Ok(());
    }
    let style = document.create_element("style")?;
    style.set_text_content(Some(STYLE));
    shadow.append_child(&style)?;
    Ok(())
}

/// Runs when the module is instantiated: mounts every widget on the page.
#[wasm_bindgen(start)]
pub fn start() {
    mount_all();
}
