//! Progress saved in `localStorage` under a versioned key, so a returning visitor resumes.

use crate::drafts::{Counts, ProfileDraft, SystemDraft};
use crate::json::{self, Node};
use crate::state::Screen;
use aims_engine::{AnswerInput, Framework, Named, Role, Size};

/// The storage key for a widget: versioned by the saved format, per mode, and per host
/// element `id` when the page has several widgets of one mode.
pub fn key(mode: aims_engine::Mode, element_id: &str) -> String {
    named_key(mode.as_str(), element_id)
}

fn named_key(name: &str, element_id: &str) -> String {
    let mut key = format!("aims-readiness/v1/{name}");
    if !element_id.is_empty() {
        key.push('/');
        key.push_str(element_id);
    }
    key
}

/// The storage key of the full assessment a quick quiz widget went on to: its own, so
/// that it never meets a full assessment begun elsewhere on the site.
pub fn continued_key(element_id: &str) -> String {
    named_key("quick-then-full", element_id)
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
#[derive(Debug, Clone, PartialEq)]
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
    /// The lead already sent from these answers, so a reload shows its confirmation
    /// instead of an empty form that invites a second one.
    pub sent: Option<Sent>,
    /// The IDs of answers carried over from the quick quiz, not confirmed yet.
    pub unconfirmed: Vec<String>,
}

/// A stored lead, as its confirmation shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Sent {
    /// The assessment's ID.
    pub id: String,
    /// The link to the server's report.
    pub report: String,
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
                o.string("employees", &p.employees);
                let c = &p.counts;
                o.object("counts", |o| {
                    o.string("total", &c.total);
                    o.string("built", &c.built);
                    o.string("offered", &c.offered);
                    o.boolean("high_risk", c.high_risk);
                });
                o.objects("systems", &p.systems, |o, s| {
                    o.string("name", &s.name);
                    o.string("origin", s.origin.as_str());
                    o.string("customisation", s.customisation.as_str());
                    o.boolean("offered", s.offered);
                    o.string("risk", s.risk.as_str());
                });
                o.string("sector", &p.sector);
                o.strings("frameworks", p.frameworks.iter().map(|f| f.as_str()));
                o.string("capacity_fte", &p.capacity_fte);
                o.string("start_date", &p.start_date);
            });
            o.objects("answers", &self.answers, json::write_answer);
            o.strings("unconfirmed", self.unconfirmed.iter().map(String::as_str));
            if let Some(sent) = &self.sent {
                o.object("sent", |o| {
                    o.string("id", &sent.id);
                    o.string("report", &sent.report);
                });
            }
        })
    }

    /// Reads saved progress; `None` when it cannot be read. With `JSON.parse` and the
    /// readers of [`crate::json`], so in the browser only (the component tests read back
    /// what [`Saved::to_json`] writes).
    pub fn from_json(text: &str) -> Option<Saved> {
        json::read(text, |n| {
            n.object();
            let profile = n.field("profile");
            let draft = ProfileDraft::default();
            let text_or = |key: &str, default: String| profile.field(key).or(default, Node::string);
            // A choice the form no longer offers reads as not chosen yet.
            let chosen = |key: &str| text_or(key, String::new());
            Saved {
                bank_version: n.field("bank_version").string(),
                screen: n.field("screen").named(),
                section: n.field("section").whole(u32::MAX) as usize,
                profile: {
                    let text = |n: &Node, key: &str, default: &str| {
                        n.field(key).or(default.to_string(), Node::string)
                    };
                    // Progress saved before the inventory: a count and a role.
                    let (counts, systems) = if profile.field("counts").is_missing() {
                        let count = text(&profile, "ai_systems", "1")
                            .trim()
                            .parse()
                            .unwrap_or(1);
                        let role = Role::from_name(&chosen("role"));
                        let high = profile.field("high_risk").or(false, Node::boolean);
                        ProfileDraft::from_v1(count, role, high)
                    } else {
                        let c = profile.field("counts");
                        let systems = profile.field("systems").list(|s| SystemDraft {
                            name: text(&s, "name", ""),
                            origin: s.field("origin").named(),
                            customisation: s.field("customisation").named(),
                            offered: s.field("offered").or(false, Node::boolean),
                            risk: s.field("risk").named(),
                        });
                        (
                            Counts {
                                total: text(&c, "total", "1"),
                                built: text(&c, "built", "0"),
                                offered: text(&c, "offered", "0"),
                                high_risk: c.field("high_risk").or(false, Node::boolean),
                            },
                            systems,
                        )
                    };
                    ProfileDraft {
                        size: Size::from_name(&chosen("size")),
                        employees: text_or("employees", draft.employees),
                        counts,
                        systems,
                        sector: text_or("sector", draft.sector),
                        frameworks: (profile.field("frameworks").or(Vec::new(), Node::strings))
                            .iter()
                            .filter_map(|f| Framework::from_name(f))
                            .collect(),
                        capacity_fte: text_or("capacity_fte", draft.capacity_fte),
                        start_date: text_or("start_date", draft.start_date),
                    }
                },
                answers: n.field("answers").list(json::answer),
                unconfirmed: n.field("unconfirmed").or(Vec::new(), Node::strings),
                sent: n.field("sent").optional(|s| Sent {
                    id: s.field("id").string(),
                    report: s.field("report").string(),
                }),
            }
        })
        .ok()
    }
}
