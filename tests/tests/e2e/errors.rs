//! Errors a visitor can see, on a phone: a refused submit moves the focus to the first
//! field that is not right and puts a summary with links at the top (the GOV.UK
//! pattern); the sticky progress bar is one line and never covers what has the focus; a
//! chosen answer shows as a whole selected option.

use crate::harness::{Answer, Ctx};
use serde_json::{Value, json};

/// The element's box and the progress bar's bottom edge, in window coordinates.
async fn boxes(ctx: &Ctx, css: &str) -> Value {
    ctx.in_widget(&format!(
        "const r = root.querySelector({}).getBoundingClientRect(); \
         const p = root.querySelector('.progress')?.getBoundingClientRect(); \
         return {{ top: r.top, bottom: r.bottom, bar: p ? p.bottom : 0, \
                   barHeight: p ? p.height : 0, window: window.innerHeight }};",
        json!(css)
    ))
    .await
}

/// Whether what has the focus sits below the progress bar and inside the window.
async fn focus_in_clear_view(ctx: &Ctx, id: &str) {
    let b = boxes(ctx, &format!("[id=\"{id}\"]")).await;
    let (top, bottom, bar, window) = (
        b["top"].as_f64().unwrap(),
        b["bottom"].as_f64().unwrap(),
        b["bar"].as_f64().unwrap(),
        b["window"].as_f64().unwrap(),
    );
    assert!(
        top >= bar - 0.5 && bottom <= window,
        "#{id} is at {top}..{bottom}, the progress bar ends at {bar}, the window at {window}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_a_phone_refused_forms_focus_the_first_wrong_field_and_list_every_error() {
    let ctx = Ctx::start().await;
    ctx.client
        .set_window_size(390, 844)
        .await
        .expect("a phone-sized window");
    ctx.open("/").await;
    ctx.click_button("Start").await;
    ctx.wait_screen("profile").await;

    // Continue with nothing chosen: the focus goes to the size, the summary names it.
    ctx.click_button("Continue to the questions").await;
    ctx.wait_focus("aims-size").await;
    let summary = ctx
        .wait_in_widget(
            "const s = root.querySelector('.error-summary'); if (!s) return null; \
             const r = s.getBoundingClientRect(); \
             return { links: [...s.querySelectorAll('a')].map(a => [a.getAttribute('href'), a.textContent]), \
                      message: root.querySelector('#aims-err-size')?.textContent, \
                      title: s.querySelector('h3')?.textContent, bottom: r.bottom, top: r.top };",
            "the error summary",
        )
        .await;
    assert_eq!(summary["title"], "There is a problem", "{summary}");
    assert_eq!(
        summary["links"][0],
        json!(["#aims-size", summary["message"]]),
        "{summary}"
    );
    assert!(
        summary["top"].as_f64().unwrap() >= 0.0,
        "the summary is in view: {summary}"
    );
    // Its link takes the focus back to the field from anywhere.
    ctx.in_widget("root.activeElement?.blur();").await;
    let link = ctx
        .in_widget("return root.querySelector('.error-summary a');")
        .await;
    ctx.click_element(&ctx.element(&link), "the summary's link")
        .await;
    ctx.wait_focus("aims-size").await;
    assert!(
        !ctx.js("return location.hash;", vec![])
            .await
            .as_str()
            .unwrap()
            .contains("aims-size"),
        "the host page's address is left alone"
    );

    ctx.el("#aims-size")
        .await
        .select_by_value("51-250")
        .await
        .expect("choose a size");
    ctx.click_button("Continue to the questions").await;
    ctx.wait_screen("questions").await;
    assert_eq!(
        ctx.in_widget("return root.querySelector('.error-summary');")
            .await,
        Value::Null,
        "no summary once the form is right"
    );

    // The chosen answer is the whole option, not only its dot.
    let first = ctx.section_questions().await[0].clone();
    ctx.answer(&first, Answer::Level(2)).await;
    let look = ctx
        .in_widget(&format!(
            "const style = id => getComputedStyle(root.querySelector(id).closest('.choice')); \
             const on = style({}), off = style({}); \
             return [on.borderTopColor, off.borderTopColor, on.backgroundColor, off.backgroundColor];",
            json!(format!("#{first}-2")),
            json!(format!("#{first}-3"))
        ))
        .await;
    assert_ne!(look[0], look[1], "the chosen option has a border: {look}");
    assert_ne!(look[2], look[3], "and a background: {look}");

    // The progress bar, with the live score, is one line and a small part of the screen.
    let line = ctx
        .in_widget(
            "const t = root.querySelector('.progress-text').getBoundingClientRect(); \
             const l = root.querySelector('.live-score').getBoundingClientRect(); \
             return [t.top, l.top, t.height];",
        )
        .await;
    assert_eq!(line[0], line[1], "count and score on one line: {line}");
    let bar = boxes(&ctx, ".progress").await;
    assert!(
        bar["barHeight"].as_f64().unwrap() <= 0.08 * bar["window"].as_f64().unwrap(),
        "the progress bar takes {bar}"
    );

    // Every later page's heading takes the focus below the bar, not under it.
    while ctx.next_section().await {
        ctx.wait_focus("aims-section-title").await;
        focus_in_clear_view(&ctx, "aims-section-title").await;
        if ctx.section_title().await.starts_with("Annex A") {
            break;
        }
    }

    // An exclusion without a reason: the results wait, the focus goes to the reason's field.
    ctx.click("#q-quick-development-not_applicable").await;
    ctx.el("#q-quick-development-why").await;
    ctx.click_button("See my results").await;
    ctx.wait_focus("q-quick-development-why").await;
    focus_in_clear_view(&ctx, "q-quick-development-why").await;
    let links = ctx
        .wait_in_widget(
            "return [...root.querySelectorAll('.error-summary a')].map(a => a.textContent);",
            "the error summary",
        )
        .await;
    assert_eq!(links.as_array().unwrap().len(), 1, "{links}");
    assert!(
        links[0]
            .as_str()
            .unwrap()
            .ends_with("say why it does not apply"),
        "{links}"
    );
    ctx.assert_no_console_errors("/ (error states)").await;
    ctx.finish().await;
}
