//! The console in headless Chromium: sign in by keyboard alone, see the lead the widget
//! has just sent, open it, erase it, and see the visit in the funnel (a page with
//! analytics off counts nothing); axe-core on every console page.

use crate::harness::{Answer, Ctx};
use fantoccini::Locator;
use fantoccini::key::Key;

async fn axe_clean(ctx: &Ctx, page: &str) {
    let violations = ctx.axe().await;
    assert!(
        violations.is_empty(),
        "axe on the console's {page}: {violations:#?}"
    );
}

/// Presses Tab until the element with this id has the focus.
async fn tab_to(ctx: &Ctx, id: &str) {
    for _ in 0..8 {
        ctx.keys(&[Key::Tab]).await;
        let focused = ctx
            .js("return document.activeElement?.id ?? '';", vec![])
            .await;
        if focused == id {
            return;
        }
    }
    panic!("#{id} not reached with Tab");
}

async fn text(ctx: &Ctx) -> String {
    ctx.js("return document.body.innerText;", vec![])
        .await
        .as_str()
        .unwrap()
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_owner_signs_in_sees_the_widgets_lead_and_erases_it() {
    let ctx = Ctx::start().await;
    let config = crate::helpers::config(&ctx.app.database_url);
    aims_backend::create_account(
        &config,
        "owner@consultancy.example",
        "correct horse battery staple",
        aims_backend::db::Role::Owner,
    )
    .await
    .expect("an owner account");

    // A page with analytics off sends no funnel step, even once the visitor starts.
    ctx.open("/embed?analytics=off").await;
    ctx.click_button("Start").await;
    ctx.wait_screen("profile").await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let sent = "return performance.getEntriesByType('resource').filter(e => e.name.includes('/api/v1/events')).length;";
    assert_eq!(
        ctx.js(sent, vec![]).await,
        0,
        "no event from a page with analytics off"
    );

    // A visitor takes the quick quiz and leaves their details.
    ctx.open("/").await;
    ctx.start_and_fill_profile().await;
    ctx.answer_all(|i, _| Answer::Level((i % 4) as u8 + 1))
        .await;
    let assessment = ctx
        .send_lead(
            "Katherine Johnson",
            "katherine@orbit.example",
            "Orbit Analytics",
        )
        .await;

    // The consultant signs in with the keyboard only.
    ctx.client.goto(&ctx.url("/admin/leads")).await.unwrap();
    ctx.wait_for(
        "return document.querySelector('#email') !== null;",
        "the sign-in form",
    )
    .await;
    axe_clean(&ctx, "sign-in page").await;
    tab_to(&ctx, "email").await;
    ctx.type_text("owner@consultancy.example").await;
    tab_to(&ctx, "password").await;
    ctx.type_text("wrong password").await;
    ctx.keys(&[Key::Enter]).await;
    ctx.wait_for(
        "return document.body.innerText.includes('There is a problem');",
        "the sign-in error",
    )
    .await;
    axe_clean(&ctx, "sign-in page with its error").await;
    tab_to(&ctx, "password").await;
    ctx.type_text("correct horse battery staple").await;
    ctx.keys(&[Key::Enter]).await;
    ctx.wait_for(
        "return document.querySelector('h1')?.textContent === 'Leads';",
        "the lead list",
    )
    .await;
    let list = text(&ctx).await;
    assert!(
        list.contains("Orbit Analytics") && list.contains("katherine@orbit.example"),
        "{list}"
    );
    axe_clean(&ctx, "lead list").await;

    // The lead's page: the score the server computed, and the report's link.
    ctx.client
        .find(Locator::Css("tbody a"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    ctx.wait_for(
        "return document.body.innerText.includes('Top gaps');",
        "the lead's page",
    )
    .await;
    let page = text(&ctx).await;
    assert!(
        page.contains("Katherine Johnson · Orbit Analytics"),
        "{page}"
    );
    let report = ctx
        .js(
            "return document.querySelector('a[href$=\"/report\"]').getAttribute('href');",
            vec![],
        )
        .await;
    assert_eq!(
        report,
        format!("/api/v1/assessments/{assessment}/report").as_str()
    );
    axe_clean(&ctx, "lead page").await;

    // Erase: back on the list, the person is gone and the result stays.
    ctx.client
        .find(Locator::Css("button.danger"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    ctx.wait_for(
        "return document.body.innerText.includes('personal data is erased');",
        "the erasure notice",
    )
    .await;
    let after = text(&ctx).await;
    assert!(
        !after.contains("Orbit Analytics") && !after.contains("katherine@"),
        "{after}"
    );
    assert!(after.contains("Erased"));
    axe_clean(&ctx, "lead list after an erasure").await;

    // The funnel: the one visit with analytics, each step once.
    ctx.client.goto(&ctx.url("/admin/funnel")).await.unwrap();
    ctx.wait_for(
        "return document.querySelector('h1')?.textContent === 'Funnel';",
        "the funnel",
    )
    .await;
    let rows = ctx
        .js(
            "return [...document.querySelectorAll('table')[0].tBodies[0].rows].map(r => r.cells[0].textContent + ' ' + r.cells[1].textContent);",
            vec![],
        )
        .await;
    assert_eq!(
        rows,
        serde_json::json!([
            "Saw the widget 1",
            "Started 1",
            "Saw their results 1",
            "Left their details 1"
        ])
    );
    axe_clean(&ctx, "funnel").await;

    // A filter that matches nothing, and a bad date: both pages pass axe too.
    ctx.client
        .goto(&ctx.url("/admin/leads?q=nobody&from=soon"))
        .await
        .unwrap();
    ctx.wait_for(
        "return document.body.innerText.includes('There is a problem');",
        "the filter error",
    )
    .await;
    axe_clean(&ctx, "lead list with a filter error").await;
    ctx.finish().await;
}

/// Signs in through the form (the keyboard-only path is the test above).
async fn sign_in(ctx: &Ctx, email: &str) {
    ctx.client.goto(&ctx.url("/admin/sign-in")).await.unwrap();
    ctx.wait_for(
        "return document.querySelector('#email') !== null;",
        "the sign-in form",
    )
    .await;
    ctx.client
        .find(Locator::Css("#email"))
        .await
        .unwrap()
        .send_keys(email)
        .await
        .unwrap();
    ctx.client
        .find(Locator::Css("#password"))
        .await
        .unwrap()
        .send_keys("correct horse battery staple")
        .await
        .unwrap();
    ctx.keys(&[Key::Enter]).await;
    ctx.wait_for(
        "return document.querySelector('h1')?.textContent === 'Leads';",
        "the lead list",
    )
    .await;
}

/// Replaces a console field's value by typing, as a person would.
async fn fill(ctx: &Ctx, id: &str, value: &str) {
    let field = ctx
        .client
        .find(Locator::Css(&format!("#{id}")))
        .await
        .unwrap();
    field.clear().await.unwrap();
    field.send_keys(value).await.unwrap();
}

async fn submit(ctx: &Ctx, css: &str) {
    ctx.client
        .find(Locator::Css(css))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_owner_rebrands_the_widget_and_swaps_its_question_bank() {
    let ctx = Ctx::start().await;
    let config = crate::helpers::config(&ctx.app.database_url);
    aims_backend::create_account(
        &config,
        "owner@consultancy.example",
        "correct horse battery staple",
        aims_backend::db::Role::Owner,
    )
    .await
    .expect("an owner account");
    sign_in(&ctx, "owner@consultancy.example").await;

    // Branding: a colour too light is named next to its field; a dark one is saved.
    ctx.client.goto(&ctx.url("/admin/settings")).await.unwrap();
    ctx.wait_for(
        "return document.querySelector('h1')?.textContent.startsWith('Branding');",
        "the settings page",
    )
    .await;
    axe_clean(&ctx, "settings page").await;
    fill(&ctx, "name", "Northwind Assurance").await;
    fill(&ctx, "accent", "#ffee00").await;
    fill(
        &ctx,
        "intro",
        "Northwind has taken 40 firms to certification.",
    )
    .await;
    fill(&ctx, "cta_label", "Book a readiness call").await;
    fill(
        &ctx,
        "cta_url",
        "https://northwind.example/book?band={band}",
    )
    .await;
    submit(&ctx, "button.primary").await;
    ctx.wait_for(
        "return document.querySelector('#accent-error')?.textContent.includes('too light');",
        "the accent's error",
    )
    .await;
    axe_clean(&ctx, "settings page with an error").await;
    fill(&ctx, "accent", "#0f5132").await;
    submit(&ctx, "button.primary").await;
    ctx.wait_for(
        "return document.body.innerText.includes('Saved.');",
        "the saved notice",
    )
    .await;
    axe_clean(&ctx, "settings page, saved").await;

    // The widget shows them: name, intro, accent, and the call to action on the results.
    ctx.open("/").await;
    let brand = ctx
        .in_widget("return root.querySelector('.brand')?.textContent.trim();")
        .await;
    assert_eq!(brand, "Northwind Assurance");
    let intro = ctx
        .in_widget("return root.querySelector('.site-intro')?.textContent;")
        .await;
    assert_eq!(intro, "Northwind has taken 40 firms to certification.");
    let start = ctx
        .in_widget(
            "return getComputedStyle([...root.querySelectorAll('button.primary')].find(b => b.textContent.trim() === 'Start')).backgroundColor;",
        )
        .await;
    assert_eq!(start, "rgb(15, 81, 50)", "the accent #0f5132");
    ctx.start_and_fill_profile().await;
    ctx.answer_all(|_, _| Answer::Level(2)).await;
    let cta = ctx
        .wait_in_widget(
            "const a = root.querySelector('p.cta a'); return a && [a.textContent, a.getAttribute('href')];",
            "the call to action",
        )
        .await;
    assert_eq!(cta[0], "Book a readiness call");
    let href = cta[1].as_str().unwrap();
    let band = href
        .strip_prefix("https://northwind.example/book?band=")
        .unwrap_or_else(|| panic!("{href}"));
    assert!(
        ["early", "developing", "advanced", "audit_ready"].contains(&band),
        "the visitor's band in the link: {href}"
    );

    // A broken bank: every problem is listed with its pointer, and nothing is stored.
    let mut bank: serde_json::Value = serde_json::from_str(aims_engine::DEFAULT_BANK_JSON).unwrap();
    bank["version"] = "9.0.0".into();
    bank["accepts_versions"] = serde_json::json!([]);
    let first = bank["questions"]
        .as_array()
        .unwrap()
        .iter()
        .position(|q| q["quick"] == true)
        .unwrap();
    bank["questions"][first]["text"] = "Is your board behind an AI management system?".into();
    let mut broken = bank.clone();
    broken["version"] = "nine".into();
    broken["sectors"][0]["factor"] = 9.into();
    let dir = std::env::temp_dir().join(format!("aims-banks-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let (broken_file, good_file) = (dir.join("broken.json"), dir.join("good.json"));
    std::fs::write(&broken_file, broken.to_string()).unwrap();
    std::fs::write(&good_file, bank.to_string()).unwrap();

    ctx.client.goto(&ctx.url("/admin/banks")).await.unwrap();
    ctx.wait_for(
        "return document.querySelector('h1')?.textContent === 'Question bank';",
        "the bank page",
    )
    .await;
    axe_clean(&ctx, "question bank page").await;
    let upload = |file: std::path::PathBuf| {
        let ctx = &ctx;
        async move {
            ctx.client
                .find(Locator::Css("#bank"))
                .await
                .unwrap()
                .send_keys(file.to_str().unwrap())
                .await
                .unwrap();
            submit(ctx, "form[enctype] button.primary").await;
        }
    };
    upload(broken_file).await;
    let problems = ctx
        .wait_for(
            "const items = [...document.querySelectorAll('.problems li')]; return items.length && items.map(li => li.textContent);",
            "the bank's problems",
        )
        .await;
    let problems = problems.to_string();
    assert!(
        problems.contains("/version: ") && problems.contains("/sectors/0/factor: "),
        "{problems}"
    );
    axe_clean(&ctx, "question bank page with problems").await;

    // A good one: previewed, then activated; the widget asks its questions.
    upload(good_file).await;
    ctx.wait_for(
        "return document.body.innerText.includes('passed every check');",
        "the preview",
    )
    .await;
    assert!(
        text(&ctx)
            .await
            .contains("Is your board behind an AI management system?")
    );
    axe_clean(&ctx, "bank preview").await;
    submit(&ctx, "button.primary").await;
    ctx.wait_for(
        "return document.body.innerText.includes('Bank 9.0.0 is active');",
        "the activation notice",
    )
    .await;
    std::fs::remove_dir_all(&dir).ok();

    // The webhook page, empty and with a refused secret.
    ctx.client.goto(&ctx.url("/admin/webhook")).await.unwrap();
    ctx.wait_for(
        "return document.querySelector('h1')?.textContent === 'Webhook';",
        "the webhook page",
    )
    .await;
    axe_clean(&ctx, "webhook page").await;
    fill(&ctx, "url", "https://hooks.northwind.example/leads").await;
    fill(&ctx, "secret", "too short").await;
    submit(&ctx, "form[action='/admin/webhook'] button.primary").await;
    ctx.wait_for(
        "return document.querySelector('#secret-error') !== null;",
        "the secret's error",
    )
    .await;
    axe_clean(&ctx, "webhook page with an error").await;

    ctx.js("localStorage.clear();", vec![]).await;
    ctx.open("/").await;
    ctx.start_and_fill_profile().await;
    let shown = ctx
        .wait_in_widget(
            "return [...root.querySelectorAll('fieldset.question legend')].map(l => l.textContent).join(' | ');",
            "the first questions",
        )
        .await;
    assert!(
        shown
            .as_str()
            .unwrap()
            .contains("Is your board behind an AI management system?"),
        "{shown}"
    );
    ctx.finish().await;
}
