//! The full assessment's inventory of AI systems, built with the keyboard alone, and the
//! Annex A controls it proposes as not applicable, justified with the systems' names.

use crate::harness::{Ctx, Focus};
use fantoccini::key::Key;
use serde_json::json;

fn is_button(f: &Focus, text: &str) -> bool {
    f.in_widget && f.tag == "button" && f.text == text
}

async fn value(ctx: &Ctx, id: &str) -> String {
    let v = ctx
        .in_widget(&format!(
            "return root.querySelector({})?.value ?? null;",
            json!(format!("#{id}"))
        ))
        .await;
    v.as_str()
        .unwrap_or_else(|| panic!("#{id} is not on the screen"))
        .to_string()
}

async fn systems_shown(ctx: &Ctx) -> u64 {
    ctx.in_widget("return root.querySelectorAll('fieldset.system').length;")
        .await
        .as_u64()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_inventory_is_built_with_the_keyboard_and_names_its_systems_in_proposed_exclusions() {
    let ctx = Ctx::start().await;
    ctx.open("/embed?mode=full").await;
    ctx.tab_to("the Start button", 10, |f| is_button(f, "Start"))
        .await;
    ctx.keys(&[Key::Enter]).await;
    ctx.wait_screen("profile").await;
    ctx.wait_focus("aims-profile-title").await;
    ctx.tab_to("the size field", 5, |f| f.id == "aims-size")
        .await;
    ctx.keys(&[Key::Down, Key::Down]).await;
    assert_eq!(value(&ctx, "aims-size").await, "51-250");

    // Add a system: its name takes the focus.
    ctx.tab_to("the add button", 30, |f| is_button(f, "Add an AI system"))
        .await;
    ctx.keys(&[Key::Enter]).await;
    ctx.wait_focus("aims-system-0-name").await;
    ctx.type_text("Claims triage").await;
    // Bought (the default), adapted with retrieval, high-risk.
    ctx.tab_to("the first system's origin", 2, |f| {
        f.id == "aims-system-0-origin"
    })
    .await;
    assert_eq!(value(&ctx, "aims-system-0-origin").await, "third_party");
    ctx.tab_to("the first system's customisation", 2, |f| {
        f.id == "aims-system-0-customisation"
    })
    .await;
    ctx.keys(&[Key::Down]).await;
    assert_eq!(value(&ctx, "aims-system-0-customisation").await, "rag");
    ctx.tab_to("the first system's risk tier", 2, |f| {
        f.id == "aims-system-0-risk"
    })
    .await;
    ctx.keys(&[Key::Up, Key::Up]).await;
    assert_eq!(value(&ctx, "aims-system-0-risk").await, "high");

    // A second system, then removed again: the focus returns to the add button.
    ctx.tab_to("the add button", 6, |f| is_button(f, "Add an AI system"))
        .await;
    ctx.keys(&[Key::Enter]).await;
    ctx.wait_focus("aims-system-1-name").await;
    ctx.type_text("Office assistant").await;
    assert_eq!(systems_shown(&ctx).await, 2);
    ctx.tab_to("the second system's remove button", 8, |f| {
        f.in_widget && f.tag == "button" && f.text == "Remove"
    })
    .await;
    let label = ctx
        .in_widget("return root.activeElement?.getAttribute('aria-label');")
        .await;
    assert_eq!(
        label, "Remove Office assistant",
        "the button names its system"
    );
    ctx.keys(&[Key::Enter]).await;
    let add = ctx.focus().await;
    assert!(
        is_button(&add, "Add an AI system"),
        "after removing, the focus is on the add button, not {add}"
    );
    assert_eq!(systems_shown(&ctx).await, 1);
    assert_eq!(value(&ctx, "aims-system-0-name").await, "Claims triage");

    ctx.tab_to("the submit button", 25, |f| {
        is_button(f, "Continue to the questions")
    })
    .await;
    ctx.keys(&[Key::Enter]).await;
    ctx.wait_screen("questions").await;

    // The banner proposes the controls no system needs; accepting fills in their
    // justifications, naming the system.
    let banner = ctx
        .wait_in_widget(
            "return root.querySelector('.suggestion p')?.textContent;",
            "the proposed exclusions",
        )
        .await;
    assert!(
        banner.as_str().unwrap().contains("not applicable"),
        "{banner}"
    );
    ctx.tab_to("the accept button", 10, |f| {
        is_button(f, "Mark them not applicable")
    })
    .await;
    ctx.keys(&[Key::Enter]).await;
    ctx.wait_in_widget(
        "return !root.querySelector('.suggestion');",
        "the banner gone",
    )
    .await;

    // Walk the sections and collect every control marked not applicable.
    let mut excluded = Vec::new();
    loop {
        let marked = ctx
            .in_widget(
                "return [...root.querySelectorAll('fieldset.question')]
                    .filter(f => f.querySelector('input[id$=\"-not_applicable\"]:checked'))
                    .map(f => [f.id.replace(/^aims-/, ''), f.querySelector('textarea')?.value || '']);",
            )
            .await;
        for pair in marked.as_array().unwrap() {
            excluded.push((
                pair[0].as_str().unwrap().to_string(),
                pair[1].as_str().unwrap().to_string(),
            ));
        }
        if !ctx.next_section().await {
            ctx.click_button("See my results").await;
            break;
        }
    }
    let ids: Vec<&str> = excluded.iter().map(|(q, _)| q.as_str()).collect();
    for development in [
        "q-a-6-1-2",
        "q-a-6-1-3",
        "q-a-6-2-2",
        "q-a-6-2-3",
        "q-a-6-2-7",
    ] {
        assert!(
            ids.contains(&development),
            "{development} proposed: {ids:?}"
        );
    }
    assert!(ids.contains(&"q-a-10-4"), "nothing is offered: {ids:?}");
    for kept in ["q-a-7-4", "q-a-8-3", "q-a-6-2-4"] {
        assert!(
            !ids.contains(&kept),
            "{kept} applies to a high-risk RAG system: {ids:?}"
        );
    }
    for (q, why) in &excluded {
        assert!(why.contains("Claims triage"), "{q}: {why}");
        assert!(!why.contains("Office assistant"), "{q}: {why}");
    }

    // The Statement of Applicability carries the exclusions and who needs the rest.
    ctx.wait_screen("results").await;
    ctx.capture_downloads().await;
    let soa = ctx.download("Statement of Applicability (CSV)").await;
    let mut reader = csv::Reader::from_reader(soa.text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let row = |control: &str| {
        rows.iter()
            .find(|r| &r[0] == control)
            .unwrap_or_else(|| panic!("{control} row"))
            .clone()
    };
    let a612 = row("A.6.1.2");
    assert_eq!(&a612[col("included")], "no");
    assert!(a612[col("justification")].contains("Claims triage"));
    let a74 = row("A.7.4");
    assert_eq!(&a74[col("included")], "yes");
    assert_eq!(&a74[col("systems")], "Claims triage");
    assert!(a74[col("justification")].contains("Claims triage"));

    ctx.assert_no_console_errors("/embed?mode=full").await;
    ctx.finish().await;
}
