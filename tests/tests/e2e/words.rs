//! Plain words: a quick question asks one thing in everyday language with its clause
//! reference after it, and the words of certification open their meaning with one tap,
//! on the questions and on the results (axe-clean while open).

use crate::harness::{Answer, Ctx};
use serde_json::{Value, json};

/// Opens the term `name` (a disclosure) and returns what it says.
async fn open_term(ctx: &Ctx, name: &str) -> String {
    let summary = ctx
        .wait_in_widget(
            &format!(
                "return [...root.querySelectorAll('details.term summary')].find(s => s.textContent === {});",
                json!(name)
            ),
            &format!("the term {name}"),
        )
        .await;
    ctx.click_element(&ctx.element(&summary), name).await;
    let meaning = ctx
        .wait_in_widget(
            &format!(
                "const s = [...root.querySelectorAll('details.term summary')].find(s => s.textContent === {}); \
                 const d = s.parentElement; const m = d.querySelector('.meaning'); \
                 return d.open && m.getBoundingClientRect().height > 0 ? m.textContent : null;",
                json!(name)
            ),
            &format!("the meaning of {name}"),
        )
        .await;
    meaning.as_str().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn questions_speak_plainly_and_terms_explain_themselves_in_one_tap() {
    let ctx = Ctx::start().await;
    ctx.open("/").await;
    ctx.start_and_fill_profile().await;

    // Each question: a title, one plain question, then its reference, small.
    let first = ctx
        .in_widget(
            "const f = root.querySelector('fieldset.question legend'); \
             return [...f.children].map(c => [c.className, c.textContent, parseFloat(getComputedStyle(c).fontSize)]);",
        )
        .await;
    let parts: Vec<&Value> = first.as_array().unwrap().iter().collect();
    let classes: Vec<&str> = parts.iter().map(|p| p[0].as_str().unwrap()).collect();
    assert_eq!(classes, ["title", "text", "refs"], "{first}");
    let text = parts[1][1].as_str().unwrap();
    assert!(
        text.ends_with('?') && !text.starts_with(char::is_numeric),
        "{text}"
    );
    assert!(
        text.split_whitespace().count() <= 25,
        "one short question: {text}"
    );
    assert!(
        parts[2][1]
            .as_str()
            .unwrap()
            .starts_with("ISO/IEC 42001 4.")
    );
    assert!(
        parts[2][2].as_f64() < parts[1][2].as_f64(),
        "the reference is smaller: {first}"
    );

    // The Annex A page says what Annex A is, one tap away.
    ctx.jump_to("Annex A").await;
    let annex = open_term(&ctx, "Annex A").await;
    assert!(annex.contains("38 controls"), "{annex}");

    // The results: the audits and the units explained where they appear, and all of them
    // together at the end.
    ctx.jump_to("Clauses 4").await;
    ctx.answer_all(|i, _| Answer::Level((i % 4) as u8)).await;
    let stage1 = open_term(&ctx, "Stage 1 audit").await;
    assert!(stage1.contains("documents"), "{stage1}");
    let days = open_term(&ctx, "person-days").await;
    assert!(days.contains("one day"), "{days}");
    let listed = ctx
        .in_widget("return root.querySelectorAll('details.glossary dt').length;")
        .await;
    assert_eq!(listed, json!(8));
    let violations = ctx.axe().await;
    assert!(
        violations.is_empty(),
        "axe with terms open:\n{}",
        violations.join("\n")
    );
    ctx.assert_no_console_errors("/ (plain words)").await;
    ctx.finish().await;
}
