//! Telling the host page what happens: `CustomEvent`s on the host element and, inside an
//! iframe, the same messages to the parent window.

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CustomEvent, CustomEventInit, Element};

/// Dispatches `name` (`aims:ready`, `aims:complete`, `aims:lead-submitted`) with `detail`
/// on the host element (bubbling, composed), and posts `{type, detail}` to the parent
/// window when the widget runs in a frame. The details carry no personal data.
pub fn emit(host: &Element, name: &str, fields: &[(&str, JsValue)]) {
    let detail = js_sys::Object::new();
    for (key, value) in fields {
        let _ = js_sys::Reflect::set(&detail, &(*key).into(), value);
    }
    let init = CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_detail(&detail);
    if let Ok(event) = CustomEvent::new_with_event_init_dict(name, &init) {
        let _ = host.dispatch_event(&event);
    }
    let Some(window) = web_sys::window() else {
        return;
    };
    if let Ok(Some(parent)) = window.parent()
        && !js_sys::Object::is(&parent, &window)
    {
        let message = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&message, &"type".into(), &name.into());
        let _ = js_sys::Reflect::set(&message, &"detail".into(), &detail);
        let _ = parent.post_message(message.unchecked_ref(), "*");
    }
}
