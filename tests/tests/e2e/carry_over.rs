//! From the quick quiz to the full assessment in the same widget: the profile and the
//! quick answers come along as starting points, each to confirm, and a reload comes back
//! to the full assessment, not to the quiz.

use crate::harness::{Answer, Ctx};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_full_assessment_starts_from_the_quick_quiz_and_asks_to_confirm_each_carried_answer() {
    let ctx = Ctx::start().await;
    ctx.open("/").await;
    ctx.start_and_fill_profile().await;
    ctx.answer_all(|_, q| match q {
        "q-quick-context" => Answer::Level(3),
        _ => Answer::Level(1),
    })
    .await;
    ctx.click_button("Continue with the full assessment").await;

    // The profile comes first, filled in from the quiz, with a word on what came along.
    ctx.wait_screen("profile").await;
    let profile = ctx
        .in_widget(
            "return { size: root.querySelector('#aims-size').value, \
                      systems: root.querySelectorAll('fieldset.system').length, \
                      notice: root.querySelector('.notice')?.textContent ?? '' };",
        )
        .await;
    assert_eq!(profile["size"], "51-250", "{profile}");
    assert_eq!(profile["systems"], 1, "the quiz's one AI system: {profile}");
    assert!(
        profile["notice"]
            .as_str()
            .unwrap()
            .contains("from the quick quiz — please confirm"),
        "{profile}"
    );
    let violations = ctx.axe().await;
    assert!(
        violations.is_empty(),
        "axe on the carried profile:\n{}",
        violations.join("\n")
    );
    ctx.click_button("Continue to the questions").await;
    ctx.wait_screen("questions").await;
    let violations = ctx.axe().await;
    assert!(
        violations.is_empty(),
        "axe on carried answers:\n{}",
        violations.join("\n")
    );

    // Clause 4's questions start where the quiz's context question was, marked.
    assert!(ctx.section_title().await.starts_with("Clause 4"));
    let carried = ctx
        .in_widget(
            "return [...root.querySelectorAll('fieldset.question')].map(f => \
               [f.id, f.querySelector('input:checked')?.value ?? null, !!f.querySelector('.carried')]);",
        )
        .await;
    let carried = carried.as_array().unwrap();
    assert!(carried.len() >= 4, "{carried:?}");
    for q in carried {
        assert_eq!(q[1], "3", "{q}");
        assert_eq!(q[2], true, "{q}");
    }
    // Choosing the same answer again confirms it.
    let first = carried[0][0].as_str().unwrap().trim_start_matches("aims-");
    ctx.click(&format!("#{first}-3")).await;
    ctx.wait_in_widget(
        &format!(
            "return !root.querySelector({}).querySelector('.carried');",
            json!(format!("#aims-{first}"))
        ),
        "the mark gone once confirmed",
    )
    .await;

    // A reload comes back to the full assessment with what is confirmed and what is not.
    ctx.client.refresh().await.expect("reload");
    ctx.wait_ready().await;
    ctx.wait_screen("questions").await;
    let marks = ctx
        .in_widget("return root.querySelectorAll('fieldset.question .carried').length;")
        .await;
    assert_eq!(marks, json!(carried.len() - 1), "after the reload");
    assert!(ctx.section_title().await.starts_with("Clause 4"));

    // Its results say how much is still the quiz's.
    ctx.answer_all(|_, _| Answer::Level(2)).await;
    let note = ctx
        .in_widget("return root.querySelector('.partial')?.textContent ?? '';")
        .await;
    assert_eq!(note, "", "every answer confirmed: {note}");
    ctx.assert_no_console_errors("/ (quiz to assessment)").await;
    ctx.finish().await;
}
