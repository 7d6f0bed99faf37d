//! The widget embedded on a page of another origin than the API, the usual case (the
//! consultancy's site on a site builder, the API on its own host).

use crate::harness::{Answer, Ctx};

/// The cross-origin test page of a server listening on `port`: opened as `localhost`, its
/// widget and API are on `127.0.0.1`.
fn page(port: u16) -> String {
    format!("http://localhost:{port}/widget/cross-origin.html")
}

fn port_of(base: &str) -> u16 {
    base.rsplit(':').next().unwrap().parse().unwrap()
}

async fn quiz_to_results(ctx: &Ctx, port: u16) {
    ctx.client.goto(&page(port)).await.expect("navigate");
    ctx.wait_ready().await;
    ctx.start_and_fill_profile().await;
    ctx.answer_all(|i, _| Answer::Level((i % 4) as u8)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_a_listed_origin_the_quiz_runs_and_the_lead_is_stored() {
    // The port is chosen first, so that the page's origin can be listed.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .unwrap()
        .port();
    let ctx = Ctx::start_with(|c| {
        c.listen = format!("127.0.0.1:{port}").parse().unwrap();
        c.allowed_origins = vec![format!("http://localhost:{port}")];
    })
    .await;
    quiz_to_results(&ctx, port).await;
    let id = ctx
        .send_lead("Grace Hopper", "grace@cobol.example", "Compilers Ltd")
        .await;
    let leads = ctx.app.admin_get("/api/v1/leads").await.json();
    assert_eq!(leads["items"][0]["assessment_id"], id.as_str());
    ctx.assert_no_console_errors("the cross-origin page").await;
    ctx.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_an_unlisted_origin_the_quiz_runs_and_says_why_results_cannot_be_sent() {
    let ctx = Ctx::start().await;
    let port = port_of(&ctx.app.base);
    quiz_to_results(&ctx, port).await;
    let message = ctx
        .wait_in_widget(
            "return root.querySelector('.lead.refused')?.textContent;",
            "the refused-origin message",
        )
        .await;
    let message = message.as_str().unwrap();
    assert!(
        message.contains(&format!(
            "does not accept results from http://localhost:{port}"
        )) && message.contains("--allowed-origins"),
        "{message}"
    );
    let form = ctx
        .in_widget("return !!root.querySelector('#aims-lead-name');")
        .await;
    assert_eq!(form, false, "no lead form that could only fail");
    ctx.assert_no_console_errors("the cross-origin page").await;
    ctx.finish().await;
}
