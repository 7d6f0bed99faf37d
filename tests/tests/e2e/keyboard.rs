//! The quick quiz on the demo page with the keyboard only, then the lead, read back
//! through the admin API.

use crate::harness::{Answer, Ctx, Focus};
use fantoccini::key::Key;

/// The answers given, in question order.
fn answer_for(i: usize) -> Answer {
    [
        Answer::Level(2),
        Answer::Level(3),
        Answer::Level(1),
        Answer::Level(0),
        Answer::Level(4),
        Answer::Unknown,
    ][i % 6]
}

fn is_button(f: &Focus, text: &str) -> bool {
    f.in_widget && f.tag == "button" && f.text == text
}

/// A keyboard user sees where the focus is.
fn assert_focus_visible(f: &Focus) {
    assert!(
        !f.outline.starts_with("none"),
        "no visible focus indicator on {f} (outline: {})",
        f.outline
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quick_quiz_with_the_keyboard_only_then_the_lead_reaches_the_admin_api() {
    keyboard_only_quiz(None).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_a_phone_too_the_quick_quiz_works_with_the_keyboard_only() {
    keyboard_only_quiz(Some((390, 844))).await;
}

/// The whole quick quiz and the lead with the keyboard, at the default desktop window or
/// at `size`.
async fn keyboard_only_quiz(size: Option<(u32, u32)>) {
    let ctx = Ctx::start().await;
    if let Some((w, h)) = size {
        ctx.client
            .set_window_size(w, h)
            .await
            .expect("the window size");
    }
    ctx.open("/").await;

    // Intro: Tab into the widget to "Start"; one Tab too far and back with Shift+Tab.
    let start = ctx
        .tab_to("the Start button", 10, |f| is_button(f, "Start"))
        .await;
    assert_focus_visible(&start);
    ctx.keys(&[Key::Tab]).await;
    assert_ne!(ctx.focus().await.text, "Start", "Tab moves on from Start");
    ctx.shift_tab().await;
    let back = ctx.focus().await;
    assert!(
        is_button(&back, "Start"),
        "Shift+Tab returns to Start, not {back}"
    );
    ctx.keys(&[Key::Enter]).await;
    ctx.wait_screen("profile").await;
    // The new screen's heading takes the focus (so screen readers announce it).
    ctx.wait_focus("aims-profile-title").await;

    // Profile: size with the arrow keys, the counts of AI systems with ArrowUp, submit
    // with Enter.
    ctx.tab_to("the size field", 5, |f| f.id == "aims-size")
        .await;
    ctx.keys(&[Key::Down, Key::Down]).await;
    let size = ctx
        .in_widget("return root.querySelector('#aims-size').value;")
        .await;
    assert_eq!(size, "51-250", "two presses of ArrowDown on the size list");
    ctx.tab_to("the AI systems count", 4, |f| f.id == "aims-count-total")
        .await;
    ctx.keys(&[Key::Up, Key::Up]).await;
    let systems = ctx
        .in_widget("return root.querySelector('#aims-count-total').value;")
        .await;
    assert_eq!(systems, "3", "two presses of ArrowUp from the default 1");
    ctx.tab_to("the built-in-house count", 2, |f| {
        f.id == "aims-count-built"
    })
    .await;
    ctx.keys(&[Key::Up]).await;
    // The quick quiz asks nothing more before the questions.
    let submit = ctx
        .tab_to("the submit button", 2, |f| {
            is_button(f, "Continue to the questions")
        })
        .await;
    assert_focus_visible(&submit);
    ctx.keys(&[Key::Enter]).await;
    ctx.wait_screen("questions").await;
    ctx.wait_focus("aims-section-title").await;

    // Questions: per question, Tab into its radio group, pick with Space or the arrows;
    // per section, Tab to the next button and press Enter.
    let mut answered = 0;
    let mut sections = 0;
    loop {
        sections += 1;
        for q in ctx.section_questions().await {
            let answer = answer_for(answered);
            let f = ctx
                .tab_to(&format!("the answers to {q}"), 6, |f| f.name == q)
                .await;
            assert_eq!(
                f.id,
                format!("{q}-0"),
                "Tab enters {q}'s radios at the first"
            );
            assert_focus_visible(&f);
            if answer == Answer::Level(0) {
                ctx.keys(&[Key::Space]).await;
            } else {
                ctx.keys(&vec![Key::Down; answer.position()]).await;
            }
            let f = ctx.focus().await;
            let want = format!("{q}-{}", answer.suffix());
            assert!(
                f.id == want && f.checked,
                "{q}: expected {want} picked, focus on {f}"
            );
            answered += 1;
        }
        let progress = ctx
            .in_widget("return root.querySelector('.progress-text').textContent;")
            .await;
        assert!(
            progress
                .as_str()
                .unwrap()
                .starts_with(&format!("{answered} of 19 answered")),
            "progress after {answered} answers: {progress}"
        );
        let live = ctx
            .in_widget("return root.querySelector('.live-overall')?.textContent;")
            .await;
        assert!(live.is_string(), "the live score is shown");
        let next = ctx
            .tab_to("the next button", 6, |f| {
                is_button(f, "Next section") || is_button(f, "See my results")
            })
            .await;
        let title = ctx.section_title().await;
        ctx.keys(&[Key::Enter]).await;
        if next.text == "See my results" {
            break;
        }
        ctx.wait_in_widget(
            &format!(
                "return root.querySelector('#aims-section-title').textContent !== {};",
                serde_json::json!(title)
            ),
            "the next section",
        )
        .await;
        ctx.wait_focus("aims-section-title").await;
    }
    assert_eq!(answered, 19, "the quick quiz has 19 questions");
    ctx.wait_screen("results").await;
    ctx.wait_focus("aims-results-title").await;
    let (overall, shown, band) = ctx.shown_result().await;
    assert_eq!(shown, Ctx::shown_score(overall, true), "the score shown");
    eprintln!("{sections} sections; results: overall {overall} ({shown}), band {band}");

    // What the profile did not ask sharpens the estimate on the results.
    ctx.tab_to("the high-risk box", 80, |f| f.id == "aims-high-risk")
        .await;
    ctx.keys(&[Key::Space]).await;
    assert!(ctx.focus().await.checked, "Space ticks the high-risk box");
    // The results follow at once; the lead carries what the page now shows.
    let (overall, _, band) = ctx.shown_result().await;

    // The lead, typed in.
    ctx.tab_to("the name field", 40, |f| f.id == "aims-lead-name")
        .await;
    ctx.type_text("Grace Hopper").await;
    ctx.keys(&[Key::Tab]).await;
    assert_eq!(ctx.focus().await.id, "aims-lead-email");
    ctx.type_text("grace@navy.example").await;
    ctx.keys(&[Key::Tab]).await;
    assert_eq!(ctx.focus().await.id, "aims-lead-company");
    ctx.type_text("Keyboard Ltd").await;
    ctx.keys(&[Key::Tab]).await;
    assert_eq!(ctx.focus().await.id, "aims-lead-phone");
    ctx.type_text("+1 202 555 0143").await;
    ctx.keys(&[Key::Tab]).await;
    assert_eq!(ctx.focus().await.id, "aims-lead-role");
    ctx.type_text("Rear admiral").await;
    ctx.keys(&[Key::Tab]).await;
    assert_eq!(ctx.focus().await.id, "aims-lead-consent");
    ctx.keys(&[Key::Space]).await;
    assert!(ctx.focus().await.checked, "consent ticked");
    ctx.tab_to("the send button", 3, |f| is_button(f, "Send my results"))
        .await;
    ctx.keys(&[Key::Enter]).await;
    let id = ctx.assessment_id().await;
    eprintln!("lead stored as assessment {id}");

    // The lead as the consultancy sees it.
    let leads = ctx.app.admin_get("/api/v1/leads").await;
    assert_eq!(leads.status, 200, "{}", leads.text);
    let leads = leads.json();
    let items = leads["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{leads}");
    let lead = &items[0];
    assert_eq!(lead["assessment_id"], id.as_str());
    assert_eq!(lead["name"], "Grace Hopper");
    assert_eq!(lead["email"], "grace@navy.example");
    assert_eq!(lead["company"], "Keyboard Ltd");
    assert_eq!(lead["phone"], "+1 202 555 0143");
    assert_eq!(lead["role"], "Rear admiral");
    assert_eq!(lead["mode"], "quick");
    assert_eq!(
        lead["overall"].as_f64(),
        Some(overall),
        "the server's overall equals the one the page showed exactly"
    );
    assert_eq!(lead["band"], band.as_str());

    ctx.assert_no_console_errors("/ (keyboard quiz)").await;
    ctx.finish().await;
}

/// After "Send my results" the form (and the focused button) is replaced by the
/// confirmation, and the focus falls back to the page's `<body>`: a keyboard or screen
/// reader user is thrown to the top of the host page. The confirmation's heading
/// (`#aims-lead-title` in frontend/src/pages/lead.rs) could take the focus, as the
/// screen headings do (`use_heading_focus`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_focus_stays_in_the_widget_after_sending_the_lead() {
    let ctx = Ctx::start().await;
    ctx.open("/").await;
    ctx.start_and_fill_profile().await;
    ctx.answer_all(|i, _| answer_for(i)).await;
    ctx.el("#aims-lead-name")
        .await
        .send_keys("Grace Hopper")
        .await
        .unwrap();
    ctx.el("#aims-lead-email")
        .await
        .send_keys("grace@navy.example")
        .await
        .unwrap();
    ctx.click("#aims-lead-consent").await;
    ctx.keys(&[Key::Tab]).await;
    assert!(is_button(&ctx.focus().await, "Send my results"));
    ctx.keys(&[Key::Enter]).await;
    ctx.assessment_id().await;
    let f = ctx.focus().await;
    ctx.finish().await;
    assert!(
        f.in_widget,
        "after sending the lead the focus is on {f}, outside the widget"
    );
}
