//! A host page with hostile CSS: the widget keeps its look and works, and its own CSS
//! does not reach the host page.

use crate::harness::{Answer, Ctx};
use serde_json::{Value, json};

/// The computed properties compared between the host page's button and a reference.
const LOOK: &str = "['display', 'background-color', 'color', 'border-top-color', 'border-top-width', \
    'border-top-style', 'border-top-left-radius', 'font-family', 'font-size', 'padding-top', 'min-height', \
    'cursor']";

/// Computed styles of some widget elements, for comparison. Not the width: the widget's
/// `max-width` is in `rem`, so the host's 40px root font size changes it (see
/// `widget_width_does_not_follow_the_host_root_font_size`).
const WIDGET_LOOK_JS: &str = "\
    const props = ['display', 'color', 'background-color', 'font-family', 'font-size', 'font-weight', \
      'line-height', 'border-top-width', 'border-top-style', 'border-top-color', 'border-top-left-radius', \
      'padding-top', 'padding-left', 'margin-top', 'visibility']; \
    const pick = el => { const s = getComputedStyle(el); \
      return Object.fromEntries(props.map(p => [p, s.getPropertyValue(p)])); }; \
    const start = [...root.querySelectorAll('button')].find(b => b.textContent.trim() === 'Start'); \
    return { aims: pick(root.querySelector('.aims')), h2: pick(root.querySelector('h2')), \
      p: pick(root.querySelector('p')), li: pick(root.querySelector('li')), start: pick(start), \
      file: pick(root.querySelector('label.file')) };";

/// Every widget button is displayed (computed style inside the shadow root, and a box),
/// except those in a menu (a `<details>`) that is closed.
async fn widget_buttons_visible(ctx: &Ctx, screen: &str) {
    let hidden = ctx
        .in_widget(
            "return [...root.querySelectorAll('button')].filter(b => \
               !b.closest('details:not([open])') && (getComputedStyle(b).display === 'none' \
               || getComputedStyle(b).visibility === 'hidden' || b.getClientRects().length === 0)).map(b => b.textContent.trim());",
        )
        .await;
    assert_eq!(
        hidden,
        json!([]),
        "hidden widget buttons on the {screen} screen"
    );
    let count = ctx
        .in_widget("return root.querySelectorAll('button').length;")
        .await;
    assert!(count.as_u64().unwrap() > 0, "{screen}: no buttons at all");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_host_css_neither_breaks_the_widget_nor_catches_its_styles() {
    let ctx = Ctx::start().await;
    ctx.open("/widget/hostile.html").await;

    // The widget looks exactly as on the demo page, whose CSS is polite.
    ctx.open("/").await;
    let polite = ctx.in_widget(WIDGET_LOOK_JS).await;
    ctx.open("/widget/hostile.html").await;
    let look = ctx.in_widget(WIDGET_LOOK_JS).await;
    assert_eq!(
        look, polite,
        "the host page's CSS changed how the widget looks"
    );
    assert_eq!(look["aims"]["font-size"], "16px", "{look}");
    assert_eq!(look["aims"]["color"], "rgb(27, 31, 36)", "{look}");
    assert_eq!(
        look["start"]["background-color"], "rgb(29, 78, 216)",
        "{look}"
    );
    assert_eq!(look["start"]["border-top-left-radius"], "8px", "{look}");
    widget_buttons_visible(&ctx, "intro").await;

    // And works: started, answered and scored with real clicks (which need the
    // elements displayed and not covered).
    ctx.start_and_fill_profile().await;
    widget_buttons_visible(&ctx, "questions").await;
    ctx.answer_all(|i, _| match i % 3 {
        0 => Answer::Level(3),
        1 => Answer::Level(1),
        _ => Answer::Unknown,
    })
    .await;
    let (overall, shown, _) = ctx.shown_result().await;
    assert_eq!(shown, Ctx::shown_score(overall, true));
    widget_buttons_visible(&ctx, "results").await;

    // The host page's own button looks exactly like the same button under the same CSS
    // on a page without the widget.
    let script = format!(
        "const done = arguments[arguments.length - 1]; \
         const props = {LOOK}; \
         const pick = el => {{ const s = getComputedStyle(el); return Object.fromEntries(props.map(p => [p, s.getPropertyValue(p)])); }}; \
         const css = document.querySelector('style').textContent; \
         const frame = document.createElement('iframe'); \
         frame.srcdoc = `<!doctype html><html lang=en><head><style>${{css}}</style></head>` \
           + `<body><p><button id=host-button type=button>Host page button</button></p></body></html>`; \
         frame.onload = () => done({{ host: pick(document.getElementById('host-button')), \
           reference: pick(frame.contentDocument.getElementById('host-button')) }}); \
         document.body.append(frame);"
    );
    let v: Value = ctx
        .client
        .execute_async(&script, vec![])
        .await
        .expect("compare the host button");
    assert_eq!(
        v["host"], v["reference"],
        "the widget's CSS reached the host page's button"
    );
    assert_ne!(v["host"]["background-color"], "rgb(29, 78, 216)");
    assert_ne!(v["host"]["border-top-left-radius"], "8px");
    assert_eq!(
        v["host"]["font-size"], "40px",
        "the host's own rule still applies"
    );

    ctx.assert_no_console_errors("/widget/hostile.html").await;
    ctx.finish().await;
}

/// A site with the common `html { font-size: 62.5% }` (1rem = 10px) gets the same
/// widget width as any other (the widget sizes itself in its own `em`, not the host's
/// `rem`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn widget_width_does_not_follow_the_host_root_font_size() {
    let ctx = Ctx::start().await;
    let width = "return root.querySelector('.aims').getBoundingClientRect().width;";
    ctx.open("/").await;
    let polite = ctx.in_widget(width).await.as_f64().unwrap();
    ctx.open("/widget/root-font.html").await;
    let small_rem = ctx.in_widget(width).await.as_f64().unwrap();
    ctx.assert_no_console_errors("/widget/root-font.html").await;
    ctx.finish().await;
    assert_eq!(
        small_rem, polite,
        "the widget is {small_rem}px wide on a page with html {{ font-size: 62.5% }}, {polite}px on the demo page"
    );
}

/// Without `data-api` the widget is a pure self-assessment: a whole quiz to the results
/// fetches nothing but the widget's own files, and there is no lead form.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_data_api_the_widget_makes_no_network_request() {
    let ctx = Ctx::start().await;
    ctx.open("/widget/root-font.html").await;
    ctx.start_and_fill_profile().await;
    ctx.answer_all(|i, _| {
        if i % 2 == 0 {
            Answer::Level(2)
        } else {
            Answer::Unknown
        }
    })
    .await;
    let (overall, shown, _) = ctx.shown_result().await;
    assert_eq!(shown, Ctx::shown_score(overall, true));
    let lead_form = ctx
        .in_widget("return root.querySelector('#aims-lead-name') !== null;")
        .await;
    assert_eq!(lead_form, Value::Bool(false), "no API, no lead form");
    let fetched = ctx
        .js(
            "return performance.getEntriesByType('resource').map(e => e.name);",
            vec![],
        )
        .await;
    let widget = ctx.url("/widget/");
    let fetched: Vec<&str> = fetched
        .as_array()
        .expect("resource entries")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(!fetched.is_empty(), "the widget's own files are listed");
    for name in &fetched {
        assert!(
            name.starts_with(&widget),
            "{name} was fetched by a widget without data-api"
        );
    }
    ctx.assert_no_console_errors("/widget/root-font.html").await;
    ctx.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn under_a_strict_content_security_policy_the_widget_runs_or_says_what_to_allow() {
    let ctx = Ctx::start().await;
    // script-src 'self' only: WebAssembly may not be compiled. The element tells the site's
    // owner what to add instead of staying empty.
    ctx.client
        .goto(&ctx.url("/widget/csp-strict.html"))
        .await
        .expect("navigate");
    let message = ctx
        .wait_for(
            "const h = document.querySelector('[data-aims-readiness]'); \
             return h.getAttribute('data-aims-error') && [h.getAttribute('data-aims-error'), h.textContent];",
            "the loader's message",
        )
        .await;
    assert_eq!(message[0], "csp", "{message}");
    assert!(
        message[1].as_str().unwrap().contains("'wasm-unsafe-eval'"),
        "{message}"
    );
    let refused = ctx.browser_log().await;
    assert!(
        refused.iter().any(|e| e["level"] == "SEVERE"),
        "the browser reports the refusal to the site's owner too"
    );

    // With 'wasm-unsafe-eval' (and still style-src 'self', connect-src 'self'), the quiz
    // runs to its results.
    ctx.open("/widget/csp-wasm.html").await;
    let accent = ctx
        .in_widget("return getComputedStyle(root.querySelector('button.primary')).backgroundColor;")
        .await;
    assert_eq!(accent, "rgb(29, 78, 216)", "the widget's own styles apply");
    ctx.start_and_fill_profile().await;
    ctx.answer_all(|i, _| Answer::Level((i % 5) as u8)).await;
    let (overall, _, band) = ctx.shown_result().await;
    assert!((0.0..=100.0).contains(&overall), "{overall} {band}");
    ctx.assert_no_console_errors("the page with 'wasm-unsafe-eval'")
        .await;
    ctx.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_widget_below_the_fold_waits_until_it_is_near_and_keeps_its_room() {
    let ctx = Ctx::start().await;
    ctx.client
        .goto(&ctx.url("/widget/below-fold.html"))
        .await
        .expect("navigate");
    ctx.wait_for(
        "return document.readyState === 'complete';",
        "the page loaded",
    )
    .await;
    // Long enough for the idle-time prefetch; the widget must still not have started.
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let before = ctx
        .js(
            "const h = document.getElementById('quiz'); \
             return [h.hasAttribute('data-aims-mounted'), h.offsetHeight, \
                     document.getElementById('below').getBoundingClientRect().top + scrollY];",
            vec![],
        )
        .await;
    assert_eq!(before[0], false, "started before it came near: {before}");
    assert!(
        before[1].as_f64().unwrap() >= 400.0,
        "the element keeps the widget's room: {before}"
    );
    // Scrolled near, it starts.
    ctx.js("document.getElementById('quiz').scrollIntoView();", vec![])
        .await;
    ctx.wait_ready().await;
    ctx.click_button("Start").await;
    ctx.wait_screen("profile").await;
    ctx.assert_no_console_errors("the long page").await;

    // data-load="eager" starts at once, without scrolling.
    ctx.client
        .goto("about:blank")
        .await
        .expect("leave the page");
    ctx.client
        .goto(&ctx.url("/widget/below-fold.html#eager"))
        .await
        .expect("navigate");
    ctx.wait_ready().await;
    let far = ctx
        .js(
            "return document.getElementById('quiz').getBoundingClientRect().top - innerHeight;",
            vec![],
        )
        .await;
    assert!(
        far.as_f64().unwrap() > 600.0,
        "started while still {far} px below the viewport"
    );
    ctx.finish().await;
}
