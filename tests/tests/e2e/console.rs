//! Nothing logged as an error on any page that holds the widget: the demo page, both
//! embed pages (with their strict CSP), the hostile page and a page framing /embed. The
//! other tests also check the console after their whole journeys (results, downloads,
//! lead submission).

use crate::harness::Ctx;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_console_errors_on_any_page() {
    let ctx = Ctx::start().await;
    for page in ["/", "/embed", "/embed?mode=full", "/widget/hostile.html"] {
        ctx.open(page).await;
        ctx.click_button("Start").await;
        ctx.wait_screen("profile").await;
        ctx.click_button("Continue to the questions").await;
        ctx.wait_in_widget(
            "return !!root.querySelector('.error');",
            "the profile's errors",
        )
        .await;
        ctx.assert_no_console_errors(page).await;
        // The widget saves progress; the next page starts afresh.
        ctx.js("localStorage.clear();", vec![]).await;
    }

    ctx.open_framed_widget().await;
    ctx.click_button("Start").await;
    ctx.wait_screen("profile").await;
    ctx.client.enter_parent_frame().await.unwrap();
    ctx.assert_no_console_errors("/widget/frame.html (framing /embed)")
        .await;
    ctx.finish().await;
}
