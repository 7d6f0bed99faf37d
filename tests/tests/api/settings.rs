//! The console's settings over real HTTP: branding and call to action reach the widget's
//! bank (cached by entity tag) and the reports, on every instance; a viewer changes
//! nothing; banks are uploaded, checked with every problem listed, previewed, activated,
//! and kept, so that older assessments still read; the webhook is set, tested and listed.

use crate::console::{Browser, PASSWORD, account};
use crate::helpers::{Engine, TestApp, config, fresh_database, quick_input, with_lead};
use crate::on_both_engines;
use crate::webhook::{expected_signature, receiver, wait_for_metric};
use aims_backend::db::Role;
use std::time::{Duration, Instant};

on_both_engines!(
    an_owner_brands_the_widget_and_its_reports,
    a_second_instance_serves_the_new_settings,
    an_uploaded_bank_is_checked_previewed_activated_and_kept,
    the_webhook_is_set_tested_and_its_deliveries_listed
);

const OWNER: &str = "owner@consultancy.example";
const VIEWER: &str = "viewer@consultancy.example";

async fn signed_in(app: &TestApp, email: &str, role: Role) -> Browser {
    account(app, email, role).await;
    let mut b = Browser::new(app);
    let r = b.sign_in(email, PASSWORD).await;
    assert_eq!(r.status, 303, "{}", r.html);
    b
}

fn branding<'a>(csrf: &'a str, revision: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("csrf", csrf),
        ("revision", revision),
        ("name", "Northwind <Assurance>"),
        ("logo_url", "https://northwind.example/logo.png"),
        ("accent", "#0F5132"),
        ("intro", "We have taken 40 firms to certification."),
        ("privacy_url", "https://northwind.example/privacy"),
        ("cta_label", "Book a readiness call"),
        ("cta_url", "https://northwind.example/book?band={band}"),
        (
            "notify_emails",
            "sales@northwind.example, delivery@northwind.example",
        ),
    ]
}

/// The hidden revision field of the settings form.
fn revision(html: &str) -> String {
    let at = html
        .find("name=\"revision\" value=\"")
        .expect("a revision field")
        + 23;
    html[at..].split('"').next().unwrap().to_string()
}

async fn an_owner_brands_the_widget_and_its_reports(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let before = app.get("/api/v1/bank").await;
    assert!(before.json().get("site").is_none(), "no branding yet");
    let mut owner = signed_in(&app, OWNER, Role::Owner).await;

    // Bad values: every one named next to its field, nothing stored.
    let form = owner.get("/admin/settings").await;
    assert_eq!(form.status, 200);
    let (csrf, rev) = (form.csrf(), revision(&form.html));
    let mut bad = branding(&csrf, &rev);
    bad[4] = ("accent", "#ffff00");
    bad[3] = ("logo_url", "javascript:alert(1)");
    bad[9] = ("notify_emails", "sales@northwind.example, not-an-address");
    let refused = owner.post("/admin/settings", &bad).await;
    assert_eq!(refused.status, 422, "{}", refused.html);
    for (field, words) in [
        ("accent", "too light"),
        ("logo_url", "https://"),
        ("notify_emails", "not-an-address"),
    ] {
        assert!(
            refused.html.contains(&format!("href=\"#{field}\""))
                && refused.html.contains(&format!("id=\"{field}-error\""))
                && refused.html.contains(words),
            "{field}: {}",
            refused.html
        );
    }
    assert!(app.get("/api/v1/bank").await.json().get("site").is_none());

    // Good values: saved, then served with the bank.
    let saved = owner.post("/admin/settings", &branding(&csrf, &rev)).await;
    assert_eq!(
        (saved.status, saved.location.as_str()),
        (303, "/admin/settings?saved=1"),
        "{}",
        saved.html
    );
    let bank = app.get("/api/v1/bank").await;
    let site = &bank.json()["site"];
    assert_eq!(site["name"], "Northwind <Assurance>");
    assert_eq!(site["accent"], "#0f5132", "stored lower-case");
    assert_eq!(site["logo_url"], "https://northwind.example/logo.png");
    assert_eq!(site["privacy_url"], "https://northwind.example/privacy");
    assert_eq!(site["cta"]["label"], "Book a readiness call");
    assert_eq!(
        site["cta"]["url"],
        "https://northwind.example/book?band={band}"
    );

    // One request, cached: the entity tag answers 304 until the next change.
    let etag = bank.header("etag").to_string();
    assert!(etag.starts_with('"'), "{etag}");
    assert_eq!(bank.header("cache-control"), "no-cache");
    let again = app
        .client
        .get(app.url("/api/v1/bank"))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);

    // The report carries the consultancy's name and logo, escaped.
    let r = app
        .post_json(
            "/api/v1/assessments",
            &with_lead(quick_input(), "Fintech Ltd", "cfo@fintech.example"),
        )
        .await;
    let id = r.json()["id"].as_str().unwrap().to_string();
    let report = app.get(&format!("/api/v1/assessments/{id}/report")).await;
    assert!(
        report
            .text
            .contains("Prepared by <strong>Northwind &#60;Assurance&#62;</strong>"),
        "{}",
        report.text
    );
    assert!(
        report
            .text
            .contains("<img src=\"https://northwind.example/logo.png\"")
    );

    // A stale form (opened before this save) does not overwrite it silently.
    let mut stale = branding(&csrf, &rev);
    stale[2] = ("name", "Overwritten");
    let conflict = owner.post("/admin/settings", &stale).await;
    assert_eq!(conflict.status, 409);
    assert!(conflict.html.contains("Someone saved the settings"));
    assert_eq!(
        app.get("/api/v1/bank").await.json()["site"]["name"],
        "Northwind <Assurance>"
    );
    let unchanged = app
        .client
        .get(app.url("/api/v1/bank"))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(unchanged.status(), 304, "not changed by the refused save");

    // A viewer sees the settings, and cannot change them.
    let mut viewer = signed_in(&app, VIEWER, Role::Viewer).await;
    let page = viewer.get("/admin/settings").await;
    assert_eq!(page.status, 200);
    assert!(page.html.contains("<fieldset disabled>") && page.html.contains("Northwind"));
    let page_rev = revision(&page.html);
    let page_csrf = page.csrf();
    let mut attempt = branding(&page_csrf, &page_rev);
    attempt[2] = ("name", "Viewer was here");
    let refused = viewer.post("/admin/settings", &attempt).await;
    assert_eq!(refused.status, 403);
    assert_eq!(
        app.get("/api/v1/bank").await.json()["site"]["name"],
        "Northwind <Assurance>"
    );
    // And a form without the session's token is refused, as everywhere in the console.
    let forged = owner
        .post("/admin/settings", &branding("forged", &page_rev))
        .await;
    assert_eq!(forged.status, 403);
    app.stop().await;
}

/// Polls `path` on `app` until `test` holds for its JSON (at most 10 s).
async fn eventually(app: &TestApp, path: &str, test: impl Fn(&serde_json::Value) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let body = app.get(path).await.json();
        if test(&body) {
            return;
        }
        assert!(Instant::now() < deadline, "never: {body}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn a_second_instance_serves_the_new_settings(engine: Engine) {
    let url = fresh_database(engine).await;
    let a = TestApp::with_config(config(&url)).await;
    let b = TestApp::with_config(config(&url)).await;
    let mut owner = signed_in(&a, OWNER, Role::Owner).await;
    let form = owner.get("/admin/settings").await;
    let saved = owner
        .post(
            "/admin/settings",
            &branding(&form.csrf(), &revision(&form.html)),
        )
        .await;
    assert_eq!(saved.status, 303);
    // The instance that saved serves it at once; the other within its watch interval.
    assert_eq!(
        a.get("/api/v1/bank").await.json()["site"]["name"],
        "Northwind <Assurance>"
    );
    eventually(&b, "/api/v1/bank", |bank| {
        bank["site"]["name"] == "Northwind <Assurance>"
    })
    .await;
    a.stop().await;
    b.stop().await;
}

/// The embedded bank as an owner would start a custom one: a new version, a question of
/// its own.
fn custom_bank(version: &str, first_question: &str) -> String {
    let mut bank: serde_json::Value = serde_json::from_str(aims_engine::DEFAULT_BANK_JSON).unwrap();
    bank["version"] = version.into();
    bank["accepts_versions"] = serde_json::json!([]);
    let quick = bank["questions"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|q| q["quick"] == true)
        .unwrap();
    quick["text"] = first_question.into();
    serde_json::to_string_pretty(&bank).unwrap()
}

async fn an_uploaded_bank_is_checked_previewed_activated_and_kept(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let old_version = app.get("/api/v1/bank").await.json()["version"]
        .as_str()
        .unwrap()
        .to_string();
    // An assessment made with the bank in use before any upload.
    let earlier = app.post_json("/api/v1/assessments", &quick_input()).await;
    assert_eq!(earlier.status, 201);
    let earlier_id = earlier.json()["id"].as_str().unwrap().to_string();

    let mut owner = signed_in(&app, OWNER, Role::Owner).await;
    let list = owner.get("/admin/banks").await;
    assert_eq!(list.status, 200);
    assert!(list.html.contains(&old_version) && list.html.contains("Built in"));
    let csrf = list.csrf();

    // A broken bank: every problem listed with its pointer, nothing stored.
    let mut broken: serde_json::Value =
        serde_json::from_str(&custom_bank("9.0.0", "Do you?")).unwrap();
    broken["version"] = "nine".into();
    broken["sectors"][0]["factor"] = 9.into();
    broken["site"] = serde_json::json!({ "accent": "eeeeee" });
    let refused = owner
        .post_file(
            "/admin/banks",
            &[("csrf", &csrf)],
            ("bank", "broken.json", &broken.to_string()),
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.html);
    for pointer in ["/version", "/sectors/0/factor", "/site/accent"] {
        assert!(
            refused.html.contains(&format!("<code>{pointer}</code>")),
            "{pointer}: {}",
            refused.html
        );
    }
    // Only a signed-in owner may send a body that large: anyone else is held to the
    // API's 64 KiB before the server reads it.
    let anonymous = app
        .post_raw(
            "/admin/banks",
            &"x".repeat(100_000),
            "multipart/form-data; boundary=x",
            None,
        )
        .await;
    assert_eq!(anonymous.status, 413);
    assert!(
        anonymous.text.contains("at most 65536 bytes"),
        "{}",
        anonymous.text
    );
    let not_json = owner
        .post_file(
            "/admin/banks",
            &[("csrf", &csrf)],
            ("bank", "x.json", "{\"id\": "),
        )
        .await;
    assert_eq!(not_json.status, 422);
    // Sound, but with an accent too light to read on.
    let mut pale: serde_json::Value =
        serde_json::from_str(&custom_bank("9.0.0", "Do you?")).unwrap();
    pale["site"] = serde_json::json!({ "accent": "#eeeeee" });
    let refused = owner
        .post_file(
            "/admin/banks",
            &[("csrf", &csrf)],
            ("bank", "pale.json", &pale.to_string()),
        )
        .await;
    assert_eq!(refused.status, 422);
    assert!(
        refused
            .html
            .contains("<code>/site/accent</code>: #eeeeee is too light")
    );
    assert!(!owner.get("/admin/banks").await.html.contains("9.0.0"));

    // A good one: stored, not yet active, previewed.
    let text = custom_bank("9.0.0", "Is your board behind an AI management system?");
    let stored = owner
        .post_file(
            "/admin/banks",
            &[("csrf", &csrf)],
            ("bank", "ours.json", &text),
        )
        .await;
    assert_eq!(
        (stored.status, stored.location.as_str()),
        (303, "/admin/banks/9.0.0?uploaded=1"),
        "{}",
        stored.html
    );
    let preview = owner.get("/admin/banks/9.0.0?uploaded=1").await;
    assert!(
        preview
            .html
            .contains("Is your board behind an AI management system?")
    );
    assert!(preview.html.contains("Not active"));
    assert_eq!(app.get("/api/v1/bank").await.json()["version"], old_version);

    // The same version again is refused: every version is kept as it was.
    let again = owner
        .post_file(
            "/admin/banks",
            &[("csrf", &csrf)],
            ("bank", "ours.json", &text),
        )
        .await;
    assert_eq!(again.status, 409);
    assert!(again.html.contains("version 9.0.0 is taken"));

    // A viewer cannot activate it.
    let mut viewer = signed_in(&app, VIEWER, Role::Viewer).await;
    let v_csrf = viewer.get("/admin/banks").await.csrf();
    let no = viewer
        .post("/admin/banks/9.0.0/activate", &[("csrf", &v_csrf)])
        .await;
    assert_eq!(no.status, 403);

    // Activated: the widget's bank and new assessments use it.
    let on = owner
        .post("/admin/banks/9.0.0/activate", &[("csrf", &csrf)])
        .await;
    assert_eq!(on.status, 303);
    let bank = app.get("/api/v1/bank").await.json();
    assert_eq!(bank["version"], "9.0.0");
    assert!(
        bank["questions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|q| q["text"] == "Is your board behind an AI management system?")
    );
    let mut input = quick_input();
    input["bank_version"] = "9.0.0".into();
    let made = app.post_json("/api/v1/assessments", &input).await;
    assert_eq!(made.status, 201, "{}", made.text);
    // A visitor who started with the earlier bank still submits, and the assessment is
    // stored with the bank it was answered with.
    let old_input = quick_input();
    let late = app.post_json("/api/v1/assessments", &old_input).await;
    assert_eq!(
        late.status, 201,
        "answers for the old version: {}",
        late.text
    );
    let late_id = late.json()["id"].as_str().unwrap().to_string();
    let late = app.get(&format!("/api/v1/assessments/{late_id}")).await;
    assert_eq!(
        late.json()["result"]["bank_version"],
        old_version,
        "{}",
        late.text
    );
    let mut unknown = quick_input();
    unknown["bank_version"] = "7.7.7".into();
    let refused = app.post_json("/api/v1/assessments", &unknown).await;
    assert_eq!(refused.status, 422, "{}", refused.text);
    assert!(refused.text.contains("/bank_version"), "{}", refused.text);

    // The earlier assessment is still read with the bank it was made with.
    let read = app.get(&format!("/api/v1/assessments/{earlier_id}")).await;
    assert_eq!(read.status, 200, "{}", read.text);
    let report = app
        .get(&format!("/api/v1/assessments/{earlier_id}/report"))
        .await;
    assert_eq!(report.status, 200);

    // Back to the server's own bank.
    let own = owner
        .post("/admin/banks/own/activate", &[("csrf", &csrf)])
        .await;
    assert_eq!(own.status, 303);
    assert_eq!(app.get("/api/v1/bank").await.json()["version"], old_version);
    let made_id = made.json()["id"].as_str().unwrap().to_string();
    let still = app.get(&format!("/api/v1/assessments/{made_id}")).await;
    assert_eq!(
        still.status, 200,
        "made with 9.0.0, read after it was replaced"
    );
    app.stop().await;
}

async fn the_webhook_is_set_tested_and_its_deliveries_listed(engine: Engine) {
    let (hook, received, _) = receiver(0).await;
    let app = TestApp::spawn(engine).await;
    let mut owner = signed_in(&app, OWNER, Role::Owner).await;
    let page = owner.get("/admin/webhook").await;
    assert_eq!(page.status, 200);
    assert!(page.html.contains("off (no --webhook-url)"));
    let csrf = page.csrf();

    let short = owner
        .post(
            "/admin/webhook",
            &[("csrf", &csrf), ("url", &hook), ("secret", "short")],
        )
        .await;
    assert_eq!(short.status, 422);
    assert!(short.html.contains("id=\"secret-error\""));

    // Leads do not cross the internet unencrypted.
    let plain = owner
        .post(
            "/admin/webhook",
            &[
                ("csrf", &csrf),
                ("url", "http://203.0.113.7/hooks/aims"),
                ("secret", crate::helpers::WEBHOOK_SECRET),
            ],
        )
        .await;
    assert_eq!(plain.status, 422);
    assert!(
        plain.html.contains("Use https:// for a receiver outside"),
        "{}",
        plain.html
    );

    let secret = crate::helpers::WEBHOOK_SECRET;
    let saved = owner
        .post(
            "/admin/webhook",
            &[("csrf", &csrf), ("url", &hook), ("secret", secret)],
        )
        .await;
    assert_eq!(saved.status, 200, "{}", saved.html);
    assert!(saved.html.contains("set in the console"));
    // The receiver's path (which can hold its token) is not shown.
    assert!(!saved.html.contains("/hook\""), "{}", saved.html);

    // A test delivery, signed like the real ones.
    let tested = owner.post("/admin/webhook/test", &[("csrf", &csrf)]).await;
    assert!(tested.html.contains("Test delivered"), "{}", tested.html);
    let test = received.lock().unwrap()[0].clone();
    assert!(test.body.contains("\"webhook.test\""));
    assert_eq!(test.signature, expected_signature(&test));

    // A lead goes to the receiver set in the console, and shows as delivered.
    let r = app
        .post_json(
            "/api/v1/assessments",
            &with_lead(quick_input(), "Fintech Ltd", "cfo@fintech.example"),
        )
        .await;
    assert_eq!(r.status, 201);
    wait_for_metric(&app, "aims_webhook_delivered_total", |n| n == 1).await;
    let listed = owner.get("/admin/webhook").await;
    assert!(listed.html.contains("Delivered "), "{}", listed.html);
    assert!(received.lock().unwrap()[1].body.contains("lead.created"));

    // Turned off: the next lead is not queued for anyone.
    let off = owner
        .post("/admin/webhook", &[("csrf", &csrf), ("off", "1")])
        .await;
    assert!(off.html.contains("turned off in the console"));
    app.post_json(
        "/api/v1/assessments",
        &with_lead(quick_input(), "Other Ltd", "cto@other.example"),
    )
    .await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(received.lock().unwrap().len(), 2);
    assert_eq!(app.metric("aims_webhook_pending").await, Some(0));
    app.stop().await;
}
