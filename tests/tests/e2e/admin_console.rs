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
