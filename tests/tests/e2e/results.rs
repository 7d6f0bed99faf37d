//! The results screen as a prospect meets it: a plain summary with the call to action in
//! the first screen (on a phone too), priorities and areas instead of a wall of blockers,
//! one Download menu, and a lead confirmation that a reload keeps.

use crate::harness::{Answer, Ctx};
use serde_json::{Value, json};

/// A mixed set of answers: some in place, some missing, a few "don't know".
fn answer_for(i: usize) -> Answer {
    match i % 4 {
        0 => Answer::Level(3),
        1 => Answer::Level(1),
        2 => Answer::Level(0),
        _ => Answer::Unknown,
    }
}

/// How far below the top of the results heading `css` ends, and the window's height.
async fn below_heading(ctx: &Ctx, css: &str) -> (f64, f64) {
    let v = ctx
        .in_widget(&format!(
            "const h = root.querySelector('#aims-results-title').getBoundingClientRect(); \
             const e = root.querySelector({}); \
             return e ? [e.getBoundingClientRect().bottom - h.top, window.innerHeight] : null;",
            json!(css)
        ))
        .await;
    let v = v
        .as_array()
        .unwrap_or_else(|| panic!("{css} on the results screen"));
    (v[0].as_f64().unwrap(), v[1].as_f64().unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_a_phone_the_results_lead_with_a_summary_and_the_call_to_action_and_a_sent_lead_survives_a_reload()
 {
    let ctx = Ctx::start_with(|c| {
        c.cta_label = Some("Book your readiness call".into());
        c.cta_url = Some("https://consultancy.example/book?band={band}&score={score}".into());
    })
    .await;
    ctx.client
        .set_window_size(390, 844)
        .await
        .expect("a phone-sized window");
    ctx.open("/").await;
    ctx.start_and_fill_profile().await;
    ctx.answer_all(|i, _| answer_for(i)).await;
    ctx.wait_screen("results").await;
    let (overall, shown, band) = ctx.shown_result().await;
    assert_eq!(
        shown,
        Ctx::shown_score(overall, true),
        "a quick quiz shows a whole score"
    );

    // The summary says what the score means and when, in words.
    let summary = ctx
        .in_widget(
            "const t = s => root.querySelector(s)?.textContent ?? ''; \
             return { overall: t('.overall'), meaning: t('.meaning'), timeline: t('.timeline'), \
               partial: t('.partial') };",
        )
        .await;
    assert!(
        summary["overall"].as_str().unwrap().starts_with("about "),
        "{summary}"
    );
    assert!(
        summary["timeline"]
            .as_str()
            .unwrap()
            .contains("Stage 1 audit"),
        "{summary}"
    );
    assert!(
        !summary["meaning"].as_str().unwrap().is_empty(),
        "{summary}"
    );
    assert!(
        summary["partial"].as_str().unwrap().contains("don't know"),
        "a quiz with \"don't know\" answers says what they do to the estimate: {summary}"
    );

    // The consultancy's call to action, with the band and score in its address, ends
    // within the first screen of results.
    let cta = ctx
        .in_widget(
            "const a = root.querySelector('.cta a'); \
             return a && [a.textContent.trim(), a.getAttribute('href')];",
        )
        .await;
    assert_eq!(
        cta,
        json!([
            "Book your readiness call",
            format!(
                "https://consultancy.example/book?band={band}&score={}",
                overall.round()
            )
        ])
    );
    let (bottom, height) = below_heading(&ctx, ".cta a").await;
    assert!(
        bottom <= height,
        "at 390 px the call to action ends {bottom} px below the results heading, \
         past the first screen ({height} px)"
    );
    let counts = ctx
        .in_widget(
            "return [root.querySelectorAll('.priorities > li').length, \
               [...root.querySelectorAll('.area summary')].map(s => s.textContent), \
               [...root.querySelectorAll('.radar text')].map(t => t.textContent)];",
        )
        .await;
    assert_eq!(counts[0], json!(3), "three priorities: {counts}");
    let areas: Vec<&str> = counts[1]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(
        areas.iter().any(|a| a.starts_with("Leadership: "))
            && areas.iter().all(|a| a.contains(" to put in place")),
        "gaps summarised per area: {areas:?}"
    );
    assert!(
        counts[2].as_array().unwrap().contains(&Value::from(
            ctx.in_widget(
                "const r = [...root.querySelectorAll('.scores tbody tr')].find(r => r.textContent.startsWith('5 ')); \
                 return 'Leadership ' + Math.round(parseFloat(r.children[1].textContent)) + ' %';"
            )
            .await
            .as_str()
            .unwrap()
        )),
        "the radar's axes are named: {counts}"
    );

    // The exports are in one menu, closed until asked for.
    ctx.capture_downloads().await;
    let report = ctx.download("Gap report (Markdown)").await;
    assert!(report.name.ends_with(".md"), "{}", report.name);

    // The lead, then a reload: the confirmation is still there, not an empty form.
    let id = ctx
        .send_lead("Ada Lovelace", "ada@fintech.example", "Fintech Ltd")
        .await;
    ctx.client.refresh().await.expect("reload");
    ctx.wait_ready().await;
    ctx.wait_screen("results").await;
    assert_eq!(
        ctx.assessment_id().await,
        id,
        "after a reload the same confirmation"
    );
    let after = ctx
        .in_widget(
            "return [!!root.querySelector('#aims-lead-name'), \
               root.querySelector('.lead.done a')?.getAttribute('href')];",
        )
        .await;
    assert_eq!(after[0], json!(false), "no second lead form after a reload");
    assert!(
        after[1]
            .as_str()
            .is_some_and(|h| h.ends_with(&format!("/api/v1/assessments/{id}/report"))),
        "{after}"
    );
    let leads = ctx.app.admin_get("/api/v1/leads").await.json();
    assert_eq!(leads["items"].as_array().unwrap().len(), 1, "{leads}");

    ctx.assert_no_console_errors("/ (results at 390 px)").await;
    ctx.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_configured_call_to_action_it_leads_to_the_lead_form_and_a_host_page_can_set_its_own()
 {
    let ctx = Ctx::start().await;
    ctx.open("/").await;
    ctx.start_and_fill_profile().await;
    ctx.answer_all(|i, _| answer_for(i)).await;
    ctx.wait_screen("results").await;
    let (overall, _, band) = ctx.shown_result().await;

    // The default: the form that emails the report, one press away.
    ctx.click_button("Email me this report").await;
    assert_eq!(ctx.focus().await.id, "aims-lead-name");

    // A host page's data-cta-* win (the same widget id, so the results come back).
    ctx.open("/widget/cta.html").await;
    ctx.wait_screen("results").await;
    let cta = ctx
        .in_widget(
            "return [...root.querySelectorAll('.cta a')].map(a => [a.textContent.trim(), a.getAttribute('href')]);",
        )
        .await;
    let expected = json!([
        "Talk to an auditor",
        format!("https://host.example/talk?b={band}&s={}", overall.round())
    ]);
    assert_eq!(
        cta,
        json!([expected, expected]),
        "under the summary and again at the end"
    );
    ctx.assert_no_console_errors("/widget/cta.html").await;
    ctx.finish().await;
}
