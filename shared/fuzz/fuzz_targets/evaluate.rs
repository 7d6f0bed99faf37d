//! Any bytes as an assessment: parsing, validation and evaluation must never panic, and
//! whatever evaluates must be bounded and deterministic.

#![no_main]

use aims_engine::{AssessmentInput, Bank};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(input) = AssessmentInput::from_json(text) else {
        return;
    };
    let bank = Bank::embedded();
    if let Ok(evaluation) = bank.evaluate_input(&input) {
        let r = &evaluation.result;
        assert!((0.0..=100.0).contains(&r.overall), "overall {}", r.overall);
        assert_eq!(evaluation.roadmap.phases.len(), 6);
        let e = &evaluation.estimate;
        assert!(
            e.effort_days.low <= e.effort_days.likely && e.effort_days.likely <= e.effort_days.high
        );
        // Same input, same result.
        assert_eq!(bank.evaluate_input(&input).ok().as_ref(), Some(&evaluation));
    }
});
