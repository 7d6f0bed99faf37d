//! Progress saved in `localStorage` under a versioned key, so a returning visitor resumes.

use crate::state::Saved;

/// The storage key for a widget: versioned by the saved format, per mode, and per host
/// element `id` when the page has several widgets of one mode.
pub fn key(mode: aims_engine::Mode, element_id: &str) -> String {
    let mut key = format!("aims-readiness/v1/{}", mode.as_str());
    if !element_id.is_empty() {
        key.push('/');
        key.push_str(element_id);
    }
    key
}

fn storage() -> Option<web_sys::Storage> {
    // Storage may be refused (privacy settings, sandboxed iframes): then nothing is saved.
    web_sys::window()?.local_storage().ok()?
}

/// What was saved under `key`, if anything readable.
pub fn load(key: &str) -> Option<Saved> {
    let text = storage()?.get_item(key).ok()??;
    Saved::from_json(&text)
}

/// Saves progress (best effort: a full or refused storage only means no resume).
pub fn save(key: &str, saved: &Saved) {
    if let Some(s) = storage() {
        let _ = s.set_item(key, &saved.to_json());
    }
}

/// Forgets the progress.
pub fn clear(key: &str) {
    if let Some(s) = storage() {
        let _ = s.remove_item(key);
    }
}
