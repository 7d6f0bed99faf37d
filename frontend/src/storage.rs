//! Progress saved in `localStorage` under a versioned key, so a returning visitor resumes.

use crate::drafts::ProfileDraft;
use crate::json::{self, Node};
use crate::state::Screen;
use aims_engine::{AnswerInput, Framework, Named, Role, Size};
use serde::{Deserialize, Serialize};

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

/// What is kept in `localStorage` between visits.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Saved {
    /// The bank version the answers were given against.
    pub bank_version: String,
    /// The screen to come back to.
    pub screen: Screen,
    /// The section to come back to.
    pub section: usize,
    /// The profile form.
    pub profile: ProfileDraft,
    /// The answers, in the wire format.
    pub answers: Vec<AnswerInput>,
}

impl Saved {
    /// Writes saved progress as JSON (what [`Saved::from_json`] reads).
    pub fn to_json(&self) -> String {
        json::object(|o| {
            o.string("bank_version", &self.bank_version);
            o.string("screen", self.screen.name());
            o.number("section", self.section as f64);
            let p = &self.profile;
            o.object("profile", |o| {
                o.string("size", p.size.map_or("", Size::as_str));
                o.string("ai_systems", &p.ai_systems);
                o.string("role", p.role.map_or("", Role::as_str));
                o.string("sector", &p.sector);
                o.boolean("high_risk", p.high_risk);
                o.strings("frameworks", p.frameworks.iter().map(|f| f.as_str()));
                o.string("capacity_fte", &p.capacity_fte);
                o.string("start_date", &p.start_date);
            });
            o.objects("answers", &self.answers, json::write_answer);
        })
    }

    /// Reads saved progress; `None` when it cannot be read. In the browser with
    /// `JSON.parse` and the readers of [`crate::json`]; natively (unit tests) with serde.
    pub fn from_json(text: &str) -> Option<Saved> {
        if cfg!(target_arch = "wasm32") {
            json::read(text, |n| {
                n.object();
                let profile = n.field("profile");
                let draft = ProfileDraft::default();
                let text_or =
                    |key: &str, default: String| profile.field(key).or(default, Node::string);
                // A choice the form no longer offers reads as not chosen yet.
                let chosen = |key: &str| text_or(key, String::new());
                Saved {
                    bank_version: n.field("bank_version").string(),
                    screen: n.field("screen").named(),
                    section: n.field("section").whole(u32::MAX) as usize,
                    profile: ProfileDraft {
                        size: Size::from_name(&chosen("size")),
                        ai_systems: text_or("ai_systems", draft.ai_systems),
                        role: Role::from_name(&chosen("role")),
                        sector: text_or("sector", draft.sector),
                        high_risk: profile
                            .field("high_risk")
                            .or(draft.high_risk, Node::boolean),
                        frameworks: (profile.field("frameworks").or(Vec::new(), Node::strings))
                            .iter()
                            .filter_map(|f| Framework::from_name(f))
                            .collect(),
                        capacity_fte: text_or("capacity_fte", draft.capacity_fte),
                        start_date: text_or("start_date", draft.start_date),
                    },
                    answers: n.field("answers").list(json::answer),
                }
            })
            .ok()
        } else {
            serde_json::from_str(text).ok()
        }
    }
}
