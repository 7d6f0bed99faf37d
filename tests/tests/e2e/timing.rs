//! Time from navigation to the first interactive screen (`aims:ready` performance mark)
//! on the demo page: measured and printed, not asserted against a budget.
//!
//! The ignored `widget_timing_benchmark` is the widget part of `cargo xtask bench-all`.

use crate::harness::{Answer, Ctx, HOST};
use serde_json::json;

const LOADS: usize = 10;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn time_to_first_interactive_on_the_demo_page() {
    let ctx = Ctx::start().await;
    let mut times = Vec::with_capacity(LOADS);
    for _ in 0..LOADS {
        ctx.open("/").await;
        let v = ctx
            .js(
                "const m = performance.getEntriesByName('aims:ready'); \
                 const n = performance.getEntriesByType('navigation')[0]; \
                 return m.length ? [m[0].startTime, n ? n.domContentLoadedEventEnd : null] : null;",
                vec![],
            )
            .await;
        let ready = v[0]
            .as_f64()
            .unwrap_or_else(|| panic!("no aims:ready performance mark: {v}"));
        assert!(ready > 0.0, "{v}");
        eprintln!(
            "aims:ready at {ready:.1} ms (DOMContentLoaded ended at {:.1} ms)",
            v[1].as_f64().unwrap_or(f64::NAN)
        );
        times.push(ready);
    }
    let first = times[0];
    let mut sorted = times.clone();
    sorted.sort_by(f64::total_cmp);
    let median = (sorted[LOADS / 2 - 1] + sorted[LOADS / 2]) / 2.0;
    println!(
        "time to first interactive on /: median {median:.1} ms over {LOADS} loads \
         (first, cold cache: {first:.1} ms; min {:.1}, max {:.1})",
        sorted[0],
        sorted[LOADS - 1]
    );
    ctx.assert_no_console_errors("/ (timing)").await;
    ctx.finish().await;
}

/// Loads per figure in the benchmark.
const BENCH_LOADS: usize = 20;
/// Completed quick quizzes in the benchmark (each is about 20 answers clicked in).
const BENCH_QUIZZES: usize = 10;

/// The median of the figures (the mean of the middle two for an even count).
fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    let n = xs.len();
    if n % 2 == 1 {
        xs[n / 2]
    } else {
        (xs[n / 2 - 1] + xs[n / 2]) / 2.0
    }
}

/// Prints one figure in the form `cargo xtask bench-all` reads.
fn report(key: &str, xs: Vec<f64>) {
    let (min, max) = xs.iter().fold((f64::INFINITY, 0.0_f64), |(lo, hi), &x| {
        (lo.min(x), hi.max(x))
    });
    let n = xs.len();
    println!(
        "AIMS-BENCH {key} {:.1} (median of {n}; min {min:.1}, max {max:.1})",
        median(xs)
    );
}

/// The `aims:ready` mark of the page just opened, in ms after navigation started.
async fn ready_mark(ctx: &Ctx) -> f64 {
    let v = ctx
        .js(
            "const m = performance.getEntriesByName('aims:ready'); return m.length ? m[0].startTime : null;",
            vec![],
        )
        .await;
    v.as_f64()
        .unwrap_or_else(|| panic!("no aims:ready performance mark: {v}"))
}

/// Opens the demo page with nothing saved: a first-time visitor.
async fn open_fresh(ctx: &Ctx) {
    ctx.js("localStorage.clear();", vec![]).await;
    ctx.open("/").await;
    assert_eq!(ctx.screen().await, "intro");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a benchmark: run by `cargo xtask bench-all` (in a release build)"]
async fn widget_timing_benchmark() {
    let ctx = Ctx::start().await;
    ctx.open("/").await;

    // A first-time visitor: navigation → the intro screen with its Start button.
    let mut fresh = Vec::with_capacity(BENCH_LOADS);
    for _ in 0..BENCH_LOADS {
        open_fresh(&ctx).await;
        fresh.push(ready_mark(&ctx).await);
    }
    report("widget.first_interactive.fresh_ms", fresh);

    // A returning visitor whose progress was saved on the questions screen: navigation →
    // the first question, answerable.
    ctx.start_and_fill_profile().await;
    let mut resumed = Vec::with_capacity(BENCH_LOADS);
    for _ in 0..BENCH_LOADS {
        ctx.open("/").await;
        assert_eq!(ctx.screen().await, "questions", "the visitor resumes");
        resumed.push(ready_mark(&ctx).await);
    }
    report("widget.first_question.resumed_ms", resumed);

    // The quick quiz answered with clicks, then the click on "See my results" timed until
    // the results are in the page (`aims:complete`, sent after they render) and until the
    // frame that shows them (the next animation frame).
    let (mut in_page, mut shown) = (Vec::new(), Vec::new());
    for _ in 0..BENCH_QUIZZES {
        open_fresh(&ctx).await;
        ctx.start_and_fill_profile().await;
        ctx.answer_all_but_the_last_click(|i, _| Answer::Level((i % 5) as u8))
            .await;
        let v = ctx
            .js_async(
                &format!(
                    "const host = document.querySelector({host}); \
                     const button = [...host.shadowRoot.querySelectorAll('button')] \
                       .find(b => b.textContent.trim() === 'See my results'); \
                     let t0 = 0; \
                     host.addEventListener('aims:complete', () => {{ \
                       const t1 = performance.now(); \
                       requestAnimationFrame(() => done([t1 - t0, performance.now() - t0])); \
                     }}, {{ once: true }}); \
                     t0 = performance.now(); \
                     button.click();",
                    host = json!(HOST)
                ),
                vec![],
            )
            .await;
        ctx.wait_screen("results").await;
        in_page.push(v[0].as_f64().expect("time to aims:complete"));
        shown.push(v[1].as_f64().expect("time to the next frame"));
    }
    report("widget.results.in_page_ms", in_page);
    report("widget.results.next_frame_ms", shown);

    ctx.assert_no_console_errors("/ (timing benchmark)").await;
    ctx.finish().await;
}
