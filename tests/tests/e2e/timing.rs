//! Time from navigation to the first interactive screen (`aims:ready` performance mark)
//! on the demo page: measured and printed, not asserted against a budget.

use crate::harness::Ctx;

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
