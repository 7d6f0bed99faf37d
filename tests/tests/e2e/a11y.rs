//! axe-core on every screen of the quick quiz on the demo page, error states included.

use crate::harness::{Answer, Ctx};

async fn check(ctx: &Ctx, report: &mut Vec<(String, Vec<String>)>, screen: &str) {
    let violations = ctx.axe().await;
    eprintln!("axe: {screen}: {} violation(s)", violations.len());
    report.push((screen.to_string(), violations));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_screen_passes_axe() {
    let ctx = Ctx::start().await;
    let mut report: Vec<(String, Vec<String>)> = Vec::new();

    ctx.open("/").await;
    check(&ctx, &mut report, "intro").await;

    ctx.click_button("Start").await;
    ctx.wait_screen("profile").await;
    check(&ctx, &mut report, "profile").await;
    ctx.click_button("Continue to the questions").await;
    ctx.wait_in_widget(
        "return root.querySelectorAll('.error').length >= 1;",
        "the profile's error messages",
    )
    .await;
    check(&ctx, &mut report, "profile with validation errors").await;

    ctx.el("#aims-size")
        .await
        .select_by_value("1-50")
        .await
        .unwrap();
    ctx.click_button("Continue to the questions").await;
    ctx.wait_screen("questions").await;
    check(&ctx, &mut report, "questions (first section)").await;

    // An Annex A question marked not applicable without a justification: the error.
    ctx.jump_to("Annex A").await;
    ctx.click("#q-quick-development-not_applicable").await;
    ctx.el("#q-quick-development-why").await;
    // The last page: its "See my results" checks every exclusion.
    ctx.click("section.questions .actions button.primary").await;
    ctx.wait_in_widget(
        "return !!root.querySelector('#q-quick-development-why-error');",
        "the missing justification's error",
    )
    .await;
    check(
        &ctx,
        &mut report,
        "questions (section jump list open, missing justification)",
    )
    .await;

    ctx.jump_to("Clauses 4").await;
    ctx.answer_all(|i, _| Answer::Level((i % 4) as u8 + 1))
        .await;
    check(&ctx, &mut report, "results").await;

    ctx.click_button("Send my results").await;
    ctx.wait_in_widget(
        "return root.querySelectorAll('.lead .error').length >= 2;",
        "the lead form's error messages",
    )
    .await;
    check(
        &ctx,
        &mut report,
        "results, lead form with validation errors",
    )
    .await;

    ctx.send_lead("Alan Turing", "alan@bletchley.example", "Bletchley")
        .await;
    check(&ctx, &mut report, "results, lead confirmation").await;

    ctx.assert_no_console_errors("/ (axe run)").await;
    ctx.finish().await;

    let failures: Vec<String> = report
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(screen, v)| format!("== {screen}\n{}", v.join("\n")))
        .collect();
    assert!(
        failures.is_empty(),
        "axe-core violations:\n{}",
        failures.join("\n")
    );
}
