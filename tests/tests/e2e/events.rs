//! What the host page hears: CustomEvents on the demo page, postMessage from a frame.

use crate::harness::{Answer, Ctx};
use serde_json::{Value, json};

fn answers(i: usize, _: &str) -> Answer {
    Answer::Level([4, 2, 3, 0, 1][i % 5])
}

/// The demo page's `#events` list, parsed: (name, detail).
async fn demo_events(ctx: &Ctx) -> Vec<(String, Value)> {
    let v = ctx
        .js(
            "return [...document.querySelectorAll('#events li')].map(li => li.textContent);",
            vec![],
        )
        .await;
    v.as_array()
        .unwrap()
        .iter()
        .map(|line| {
            let line = line.as_str().unwrap();
            let (name, detail) = line.split_once(' ').unwrap_or((line, "null"));
            (
                name.to_string(),
                serde_json::from_str(detail).unwrap_or(Value::Null),
            )
        })
        .collect()
}

async fn wait_event(ctx: &Ctx, name: &str) {
    ctx.wait_for(
        &format!(
            "return [...document.querySelectorAll('#events li')].some(li => li.textContent.startsWith({}));",
            json!(format!("{name} "))
        ),
        &format!("{name} in the demo page's event log"),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_host_page_hears_ready_complete_and_lead_submitted() {
    let ctx = Ctx::start().await;
    ctx.open("/").await;
    wait_event(&ctx, "aims:ready").await;
    let events = demo_events(&ctx).await;
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0].1["mode"], "quick");
    assert!(events[0].1["bank_version"].is_string(), "{events:?}");

    ctx.start_and_fill_profile().await;
    ctx.answer_all(answers).await;
    let (overall, _, band) = ctx.shown_result().await;
    wait_event(&ctx, "aims:complete").await;
    let events = demo_events(&ctx).await;
    let complete: Vec<&Value> = events
        .iter()
        .filter(|(n, _)| n == "aims:complete")
        .map(|(_, d)| d)
        .collect();
    assert_eq!(complete.len(), 1, "one aims:complete: {events:?}");
    assert_eq!(complete[0]["overall"].as_f64(), Some(overall), "{events:?}");
    assert_eq!(complete[0]["band"], band.as_str());
    assert!(complete[0]["blockers"].is_u64(), "{events:?}");

    let id = ctx
        .send_lead("Hedy Lamarr", "hedy@spread.example", "Frequency Hopping")
        .await;
    wait_event(&ctx, "aims:lead-submitted").await;
    let events = demo_events(&ctx).await;
    let names: Vec<&str> = events.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        ["aims:ready", "aims:complete", "aims:lead-submitted"],
        "{events:?}"
    );
    assert_eq!(events[2].1, json!({ "id": id }));

    ctx.assert_no_console_errors("/ (events)").await;
    ctx.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_framing_the_widget_receives_its_messages() {
    let ctx = Ctx::start().await;
    ctx.open_framed_widget().await;
    ctx.start_and_fill_profile().await;
    ctx.answer_all(answers).await;
    let (overall, _, band) = ctx.shown_result().await;
    ctx.client.enter_parent_frame().await.unwrap();

    let messages = ctx
        .wait_for(
            "const m = window.aimsMessages; \
             return m.some(x => x.data && x.data.type === 'aims:complete') ? m : null;",
            "aims:complete in the parent window",
        )
        .await;
    eprintln!("messages from the frame: {messages}");
    let all = messages.as_array().unwrap();
    for m in all {
        assert_eq!(m["fromFrame"], true, "{m}");
        assert_eq!(m["origin"], ctx.app.base.as_str(), "{m}");
    }
    // The frame reports its height as it changes; frame.js sizes the iframe to it.
    let heights: Vec<f64> = all
        .iter()
        .filter(|m| m["data"]["type"] == "aims:height")
        .map(|m| m["data"]["detail"]["height"].as_f64().unwrap())
        .collect();
    assert!(
        heights.len() >= 2,
        "one height per screen at least: {heights:?}"
    );
    assert!(heights.iter().all(|h| *h > 100.0), "{heights:?}");
    let last = *heights.last().unwrap();
    let sized = ctx
        .wait_for(
            &format!(
                "const f = document.getElementById('frame');                  return f.clientHeight === {last} ? f.style.height : null;"
            ),
            "the iframe sized to the last height",
        )
        .await;
    assert_eq!(sized, format!("{last}px"));
    let messages: Vec<&Value> = all
        .iter()
        .filter(|m| m["data"]["type"] != "aims:height")
        .collect();
    let types: Vec<&str> = messages
        .iter()
        .map(|m| m["data"]["type"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(types, ["aims:ready", "aims:complete"], "{messages:?}");
    for m in &messages {
        assert_eq!(m["fromFrame"], true, "{m}");
        assert_eq!(m["origin"], ctx.app.base.as_str(), "{m}");
    }
    assert_eq!(messages[0]["data"]["detail"]["mode"], "quick");
    let detail = &messages[1]["data"]["detail"];
    assert_eq!(detail["overall"].as_f64(), Some(overall), "{detail}");
    assert_eq!(detail["band"], band.as_str());

    ctx.assert_no_console_errors("/widget/frame.html").await;
    ctx.finish().await;
}
