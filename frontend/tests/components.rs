//! Component tests in a real browser (headless Chromium through wasm-bindgen-test):
//! the widget mounted into a host element, driven through its shadow DOM as a visitor
//! would.
//!
//! `cargo test -p aims-widget --target wasm32-unknown-unknown` with `CHROMEDRIVER` set.
#![forbid(unsafe_code)]
#![cfg(target_arch = "wasm32")]

use aims_engine::Bank;
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

fn storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

/// A widget on the page, and ways to drive it.
struct Widget {
    host: Element,
}

impl Widget {
    /// Mounts a widget with `id` (its storage key's last part) and `mode`.
    async fn mount(id: &str, mode: &str, bank: Option<Rc<Bank>>) -> Widget {
        let host = document().create_element("div").unwrap();
        host.set_id(id);
        host.set_attribute("data-aims-readiness", "").unwrap();
        host.set_attribute("data-mode", mode).unwrap();
        document().body().unwrap().append_child(&host).unwrap();
        aims_widget::mount(host.clone(), bank).unwrap();
        let w = Widget { host };
        w.settle().await;
        w
    }

    /// Lets Yew render what the last action changed.
    async fn settle(&self) {
        for _ in 0..3 {
            yew::platform::time::sleep(Duration::from_millis(5)).await;
        }
    }

    fn find(&self, selector: &str) -> Option<Element> {
        self.host
            .shadow_root()
            .expect("the widget lives in an open shadow root")
            .query_selector(selector)
            .unwrap()
    }

    fn get(&self, selector: &str) -> Element {
        self.find(selector)
            .unwrap_or_else(|| panic!("no element matches {selector}"))
    }

    fn text(&self, selector: &str) -> String {
        self.get(selector).text_content().unwrap_or_default()
    }

    fn all_text(&self) -> String {
        self.get(".aims").text_content().unwrap_or_default()
    }

    async fn click(&self, selector: &str) {
        self.get(selector).unchecked_into::<HtmlElement>().click();
        self.settle().await;
    }

    /// Clicks the first button whose text contains `label`.
    async fn press(&self, label: &str) {
        let buttons = self
            .host
            .shadow_root()
            .unwrap()
            .query_selector_all("button")
            .unwrap();
        for i in 0..buttons.length() {
            let b: HtmlElement = buttons.item(i).unwrap().unchecked_into();
            if b.text_content().unwrap_or_default().contains(label) {
                b.click();
                self.settle().await;
                return;
            }
        }
        panic!("no button labelled {label:?}");
    }

    async fn fire(&self, element: &Element, kind: &str) {
        let init = web_sys::EventInit::new();
        init.set_bubbles(true);
        let event = web_sys::Event::new_with_event_init_dict(kind, &init).unwrap();
        element.dispatch_event(&event).unwrap();
        self.settle().await;
    }

    async fn select(&self, selector: &str, value: &str) {
        let s: HtmlSelectElement = self.get(selector).unchecked_into();
        s.set_value(value);
        self.fire(&s, "change").await;
    }

    async fn type_into(&self, selector: &str, value: &str) {
        let element = self.get(selector);
        if let Some(t) = element.dyn_ref::<HtmlTextAreaElement>() {
            t.set_value(value);
        } else {
            element.unchecked_ref::<HtmlInputElement>().set_value(value);
        }
        self.fire(&element, "input").await;
    }

    /// Intro → profile (a scale-up that uses AI) → questions.
    async fn start_with_profile(&self, role: &str) {
        self.press("Start").await;
        self.select("#aims-size", "51-250").await;
        if role == "develops" && self.find("#aims-count-built").is_some() {
            self.type_into("#aims-count-built", "1").await;
        }
        self.press("Continue to the questions").await;
    }

    fn overall(&self) -> f64 {
        self.text(".live-overall").trim().parse().unwrap()
    }

    fn remove(self) {
        self.host.remove();
    }
}

#[wasm_bindgen_test]
async fn answering_updates_the_live_score() {
    storage().clear().unwrap();
    let w = Widget::mount("score-test", "quick", None).await;
    assert!(
        w.all_text()
            .contains("How ready are you for ISO/IEC 42001?")
    );
    w.start_with_profile("develops").await;
    assert!(w.text(".progress-text").starts_with("0 of 19 answered"));
    assert!(
        w.find(".live-overall").is_none(),
        "no score before the first answer"
    );

    let first = w.get("fieldset.question input[value='4']").id();
    w.click(&format!("#{first}")).await;
    let after = w.overall();
    assert!(after > 0.0, "the first answer shows a score: {after}");
    assert!(w.text(".progress-text").starts_with("1 of 19 answered"));

    // Lowering the same answer lowers the score again.
    let zero = first.replace("-4", "-0");
    w.click(&format!("#{zero}")).await;
    assert!(w.overall() < after);
    w.remove();
}

#[wasm_bindgen_test]
async fn not_applicable_requires_a_justification() {
    storage().clear().unwrap();
    let w = Widget::mount("na-test", "full", None).await;
    w.start_with_profile("develops").await;
    // Jump to the life-cycle objective (A.6.2), where controls may be excluded.
    w.press("A.6.2 · ").await;
    let title = w.text("#aims-section-title");
    assert!(title.starts_with("A.6.2"), "on section {title}");

    w.click("#q-a-6-2-5-not_applicable").await;
    assert!(
        w.find("#q-a-6-2-5-why").is_some(),
        "a justification box appears"
    );
    w.press("Next section").await;
    assert_eq!(w.text("#aims-section-title"), title, "stays on the section");
    assert!(w.all_text().contains("Give a justification"));
    assert_eq!(
        w.get("#q-a-6-2-5-why")
            .get_attribute("aria-invalid")
            .as_deref(),
        Some("true")
    );

    w.type_into("#q-a-6-2-5-why", "We deploy no models ourselves.")
        .await;
    assert!(!w.all_text().contains("Give a justification"));
    w.press("Next section").await;
    assert_ne!(
        w.text("#aims-section-title"),
        title,
        "moves on once justified"
    );

    // Mandatory clause questions offer no "not applicable" at all.
    w.press("Clause 9 · ").await;
    assert!(w.find("#q-9-2-not_applicable").is_none());
    w.remove();
}

#[wasm_bindgen_test]
async fn a_returning_visitor_resumes_where_they_left() {
    storage().clear().unwrap();
    let w = Widget::mount("resume-test", "quick", None).await;
    w.start_with_profile("uses").await;
    let radio = w.get("fieldset.question input[value='3']").id();
    w.click(&format!("#{radio}")).await;
    w.press("Next section").await;
    let section = w.text("#aims-section-title");
    w.remove();

    // Saved under a versioned key.
    let saved = storage()
        .get_item("aims-readiness/v1/quick/resume-test")
        .unwrap()
        .expect("progress is saved");
    assert!(saved.contains("\"bank_version\":\"2.0.0\""));

    let again = Widget::mount("resume-test", "quick", None).await;
    assert_eq!(again.text("#aims-section-title"), section);
    assert!(again.text(".progress-text").starts_with("1 of 19 answered"));
    again.press("Back").await;
    assert!(
        again
            .get(&format!("#{radio}"))
            .unchecked_into::<HtmlInputElement>()
            .checked()
    );

    // Start over (from the results) clears it.
    let last = again
        .host
        .shadow_root()
        .unwrap()
        .query_selector_all(".section-link")
        .unwrap();
    let last: HtmlElement = last.item(last.length() - 1).unwrap().unchecked_into();
    last.click();
    again.settle().await;
    again.press("See my results").await;
    again.press("Start over").await;
    again.press("Yes, start over").await;
    assert!(again.all_text().contains("How ready are you"));
    assert!(
        storage()
            .get_item("aims-readiness/v1/quick/resume-test")
            .unwrap()
            .is_none()
    );
    again.remove();
}

#[wasm_bindgen_test]
async fn a_newer_bank_keeps_valid_answers_and_says_what_was_dropped() {
    storage().clear().unwrap();
    let saved = r#"{"bank_version":"1.0.0","screen":"questions","section":0,
        "profile":{"size":"51-250","ai_systems":"2","role":"both","sector":"other","high_risk":false,
                   "frameworks":["iso27001"],"capacity_fte":"1","start_date":""},
        "answers":[{"question":"q-quick-context","level":2},
                   {"question":"q-quick-retired","level":3}]}"#;
    storage()
        .set_item("aims-readiness/v1/quick/bank-test", saved)
        .unwrap();
    let newer = aims_engine::DEFAULT_BANK_JSON.replacen(
        "\"version\": \"2.0.0\"",
        "\"version\": \"2.1.0\"",
        1,
    );
    assert_ne!(
        newer,
        aims_engine::DEFAULT_BANK_JSON,
        "the version was bumped"
    );
    let bank = Rc::new(Bank::from_json(&newer).unwrap());
    let w = Widget::mount("bank-test", "quick", Some(bank)).await;
    let notice = w.text(".notice");
    assert!(
        notice.contains("updated from version 1.0.0 to 2.1.0"),
        "{notice}"
    );
    assert!(notice.contains("q-quick-retired"), "{notice}");
    assert!(!notice.contains("q-quick-context"), "{notice}");
    assert!(w.text(".progress-text").starts_with("1 of 19 answered"));
    w.press("Dismiss").await;
    assert!(w.find(".notice").is_none());
    w.remove();
}

/// The widget reads banks without serde (to keep serde's generated readers out of its
/// download): it must read every bank exactly as the engine's serde reader does, and say
/// where a bank it cannot read goes wrong.
#[wasm_bindgen_test]
fn the_widget_reads_banks_exactly_as_the_engine_does() {
    use aims_engine::{BankData, DEFAULT_BANK_JSON};
    use aims_widget::bank::read;
    use serde_json::{Value, json};

    let by_serde = |text: &str| serde_json::from_str::<BankData>(text).unwrap();
    assert_eq!(
        read(DEFAULT_BANK_JSON).unwrap(),
        by_serde(DEFAULT_BANK_JSON)
    );

    // A custom bank as a server sends it (`GET /api/v1/bank` writes the data with serde,
    // leaving out absent options and false flags), with every optional field varied.
    let mut bank: Value = serde_json::from_str(DEFAULT_BANK_JSON).unwrap();
    let questions = bank["questions"].as_array_mut().unwrap();
    for (i, q) in questions.iter_mut().enumerate().take(12) {
        let q = q.as_object_mut().unwrap();
        match i % 4 {
            0 => {
                for key in ["phase", "owner", "effort_days", "task", "deliverable"] {
                    q.remove(key);
                }
            }
            1 => {
                q.insert("per_system_days".into(), json!(0.5));
                q.insert("risk_sensitive".into(), json!(true));
                q.insert("records".into(), json!(true));
                q.insert("after".into(), json!(["q-4-1"]));
                q.insert("owner".into(), json!("third_party"));
            }
            2 => {
                q.insert("applicability".into(), Value::Null);
                q.insert("effort_days".into(), json!(0.25));
            }
            _ => {
                q.insert(
                    "applicability".into(),
                    json!({ "applies_when": "prepares_data", "justification": "Not ours: {systems}." }),
                );
            }
        }
    }
    bank["version"] = json!("2.1.0");
    bank["accepts_versions"] = json!(["1.0.0", "2.0.0"]);
    bank["requirements"][0]["restates"] = Value::Null;
    bank["sources"][0]["url"] = Value::Null;
    bank["model"]["severity_by_level"] = json!(["blocker", null, "major", "minor", null]);
    let served = serde_json::to_string(&by_serde(&bank.to_string())).unwrap();
    assert_eq!(read(&served).unwrap(), by_serde(&served));

    // What cannot be read is refused, with the place.
    let broken = |pointer: &str, value: Value| {
        let mut b = bank.clone();
        *b.pointer_mut(pointer).unwrap() = value;
        read(&b.to_string()).unwrap_err()
    };
    assert_eq!(
        broken("/questions/3/quick", json!("yes")),
        "/questions/3/quick: expected true or false"
    );
    assert_eq!(
        broken("/model/level_points", json!([0, 1, 2])),
        "/model/level_points: expected five items, one per level 0-4"
    );
    assert!(
        broken("/groups/0/kind", json!("annex")).starts_with("/groups/0/kind: expected one of")
    );
    assert_eq!(
        broken("/model/phases/2/number", json!(2.5)),
        "/model/phases/2/number: expected a whole number from 0 to 255"
    );
    assert_eq!(read("{\"id\": ").unwrap_err(), "not valid JSON");
    assert_eq!(read("[]").unwrap_err(), "/: expected an object");
}

/// Assessments, saved progress and imports are read without serde too: every golden
/// input reads exactly as the engine's serde reader reads it, saved progress comes back
/// as it was written, and a file that is not an assessment is refused with the place.
#[wasm_bindgen_test]
fn the_widget_reads_assessments_and_saved_progress_as_serde_does() {
    use aims_engine::AssessmentInput;
    use aims_widget::json::{assessment_input, read};
    use aims_widget::storage::Saved;
    use serde_json::{Value, json};

    let goldens = [
        include_str!("../../shared/tests/golden/enterprise-high-risk-from-scratch.input.json"),
        include_str!("../../shared/tests/golden/mature-close-to-ready.input.json"),
        include_str!("../../shared/tests/golden/quick-quiz-scaleup.input.json"),
        include_str!("../../shared/tests/golden/scaleup-iso27001-builds-models.input.json"),
        include_str!("../../shared/tests/golden/startup-uses-third-party-ai.input.json"),
    ];
    for text in goldens {
        let by_serde = AssessmentInput::from_json(text).unwrap();
        assert_eq!(read(text, assessment_input).unwrap(), by_serde);
        // Without the optional parts, their defaults.
        let mut bare: Value = serde_json::from_str(text).unwrap();
        let profile = bare["profile"].as_object_mut().unwrap();
        for key in ["sector", "high_risk", "frameworks", "start_date"] {
            profile.remove(key);
        }
        bare.as_object_mut().unwrap().remove("answers");
        bare.as_object_mut().unwrap().remove("bank_version");
        let bare = bare.to_string();
        assert_eq!(
            read(&bare, assessment_input).unwrap(),
            AssessmentInput::from_json(&bare).unwrap()
        );
    }
    // Levels of every kind the engine later judges: numbers, text, fractions.
    let mut odd: Value = serde_json::from_str(goldens[2]).unwrap();
    odd["answers"] = json!([
        { "question": "q-4-1", "level": 7 },
        { "question": "q-4-2", "level": 2.5 },
        { "question": "q-4-3", "level": "maybe" },
        { "question": "q-a-2-2", "level": "not_applicable", "justification": "No." },
    ]);
    let odd = odd.to_string();
    assert_eq!(
        read(&odd, assessment_input).unwrap(),
        AssessmentInput::from_json(&odd).unwrap()
    );

    let refused = |pointer: &str, value: Value| {
        let mut doc: Value = serde_json::from_str(goldens[0]).unwrap();
        *doc.pointer_mut(pointer).unwrap() = value;
        read(&doc.to_string(), assessment_input).unwrap_err()
    };
    assert_eq!(
        refused("/profile/capacity_fte", json!("lots")),
        "/profile/capacity_fte: expected a number"
    );
    assert!(
        refused("/profile/size", json!("huge")).starts_with("/profile/size: expected one of 1-50")
    );
    assert!(
        refused("/profile/start_date", json!("2027-02-30"))
            .starts_with("/profile/start_date: expected a date")
    );
    assert_eq!(
        refused("/answers/1/level", json!(null)),
        "/answers/1/level: expected a level 0-4, \"unknown\" or \"not_applicable\""
    );

    // Saved progress: what is read is written back the same, and reads back equal.
    let text = json!({
        "bank_version": "1.0.0",
        "screen": "questions",
        "section": 3,
        "profile": { "size": "51-250", "employees": "180", "sector": "health",
                     "counts": { "total": "4", "built": "1", "offered": "2", "high_risk": true },
                     "systems": [ { "name": "Triage", "origin": "in_house", "customisation": "none",
                                    "offered": true, "risk": "high" } ],
                     "frameworks": ["gdpr", "soc2"], "capacity_fte": "1.5",
                     "start_date": "2027-03-01" },
        "answers": serde_json::from_str::<Value>(goldens[1]).unwrap()["answers"],
        "unconfirmed": ["q-4-1"],
        "sent": { "id": "a1", "report": "https://api.example/api/v1/assessments/a1/report" },
    })
    .to_string();
    let saved = Saved::from_json(&text).expect("saved progress reads");
    assert_eq!(saved.profile.systems[0].name, "Triage");
    assert_eq!(saved.profile.counts.offered, "2");
    assert_eq!(saved.unconfirmed, ["q-4-1"]);
    assert_eq!(saved.sent.as_ref().unwrap().id, "a1");
    let written = saved.to_json();
    assert_eq!(Saved::from_json(&written), Some(saved), "{written}");
    // Progress saved before the quiz could go on to the full assessment reads too.
    let older = json!({ "bank_version": "1.0.0", "screen": "intro", "section": 0,
                        "profile": {}, "answers": [] });
    let older = Saved::from_json(&older.to_string()).expect("older progress reads");
    assert!(older.unconfirmed.is_empty() && older.sent.is_none());
    assert!(Saved::from_json("{\"screen\": \"elsewhere\"}").is_none());
}

/// A refusal from the API is read without serde as well: the visitor sees the problem's
/// detail, and each field problem lands on its field.
#[wasm_bindgen_test]
fn a_refusal_from_the_api_names_the_fields() {
    use aims_widget::service::{ApiError, refused};

    let invalid_lead = r#"{"type":"/problems/invalid-lead","title":"Invalid lead","status":422,
        "detail":"Give a valid email address.",
        "errors":[{"pointer":"/lead/email","detail":"Give a valid email address."}]}"#;
    assert_eq!(
        refused(invalid_lead),
        ApiError::Refused {
            detail: "Give a valid email address.".into(),
            fields: vec![("email".into(), "Give a valid email address.".into())],
        }
    );
    assert_eq!(
        refused(r#"{"title":"Payload too large","status":413}"#),
        ApiError::Refused {
            detail: "Payload too large".into(),
            fields: Vec::new()
        }
    );
    assert_eq!(
        refused("<html>Bad gateway</html>"),
        ApiError::Refused {
            detail: "the request was refused".into(),
            fields: Vec::new()
        }
    );
}

/// Numbers the widget writes (exports, saved progress, the body it sends) are the browser's
/// own text for them: the text Rust writes across the range the engine accepts, and text
/// that reads back as the same number everywhere else, so the server scores what the
/// visitor saw.
#[wasm_bindgen_test]
fn numbers_are_written_as_rust_writes_them() {
    use aims_widget::json::number_text;

    let mut x = 0.0f64;
    while x <= 500.0 {
        assert_eq!(number_text(x), x.to_string(), "{x}");
        x += 0.37;
    }
    for x in [0.1, 1.5, 2.0, 4.0, 0.1 + 0.2, 1.0 / 3.0, 123_456.789, -2.5] {
        assert_eq!(number_text(x), x.to_string(), "{x}");
    }
    for x in [1e-7, 1e21, 1e300, f64::MIN_POSITIVE, f64::MAX] {
        assert_eq!(number_text(x).parse::<f64>(), Ok(x), "{x}");
    }
}
