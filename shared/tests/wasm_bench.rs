//! The engine's speed in a real browser: one full assessment (validate + score + estimate +
//! roadmap) in WebAssembly in headless Chromium, the same work the native criterion
//! benchmark (`benches/evaluate.rs`) measures. A benchmark, not a test: it is ignored by
//! default and prints its figure for `cargo xtask bench-all`, which runs it with
//!
//! `CHROMEDRIVER=/usr/bin/chromedriver cargo test --release -p aims-engine --target wasm32-unknown-unknown --test wasm_bench -- --include-ignored --nocapture`
//!
//! Budget (PRODUCT.md §5): 1 ms median.
#![forbid(unsafe_code)]
#![cfg(target_arch = "wasm32")]

use aims_engine::{AssessmentInput, Bank};
use std::hint::black_box;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen]
extern "C" {
    /// `performance.now()`: milliseconds, coarsened by the browser (to 100 µs in a page
    /// that is not cross-origin isolated), so the samples time batches of evaluations.
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn now() -> f64;
}

/// Evaluations per timed batch: a batch takes a few milliseconds, well above the timer's
/// resolution.
const BATCH: u32 = 200;
/// How long evaluations run untimed first, in milliseconds.
const WARM_UP_MS: f64 = 1000.0;
/// Timed batches; the figure is their median.
const SAMPLES: usize = 101;

#[wasm_bindgen_test]
#[ignore = "a benchmark: run by `cargo xtask bench-all`"]
fn evaluate_full_assessment_in_the_browser() {
    let bank = Bank::embedded();
    let input = AssessmentInput::from_json(include_str!(
        "golden/scaleup-iso27001-builds-models.input.json"
    ))
    .expect("golden input parses");
    let once = || {
        let assessment = bank.validate(black_box(&input)).expect("valid");
        black_box(bank.evaluate(&assessment));
    };
    // Warm-up: V8 compiles Wasm with a baseline compiler first and optimises the hot
    // functions later, in the background; the samples start once that has happened.
    let warm_up_until = now() + WARM_UP_MS;
    while now() < warm_up_until {
        once();
    }
    let mut per_evaluation_us: Vec<f64> = (0..SAMPLES)
        .map(|_| {
            let start = now();
            for _ in 0..BATCH {
                once();
            }
            (now() - start) * 1000.0 / f64::from(BATCH)
        })
        .collect();
    per_evaluation_us.sort_by(f64::total_cmp);
    let median = per_evaluation_us[SAMPLES / 2];
    console_log!(
        "AIMS-BENCH engine.wasm.full_assessment_us {median:.2} (median of {SAMPLES} batches of {BATCH}; min {:.2}, max {:.2})",
        per_evaluation_us[0],
        per_evaluation_us[SAMPLES - 1]
    );
    assert!(median > 0.0, "the timer moved");
}
