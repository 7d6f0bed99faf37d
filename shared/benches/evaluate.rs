//! One full assessment: validate + score + estimate + roadmap. Budget: 20 µs median.
//!
//! `cargo bench -p aims-engine --bench evaluate`
#![forbid(unsafe_code)]

use aims_engine::{AssessmentInput, Bank};
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

fn full_assessment() -> AssessmentInput {
    AssessmentInput::from_json(include_str!(
        "../tests/golden/scaleup-iso27001-builds-models.input.json"
    ))
    .expect("golden input parses")
}

fn evaluate(c: &mut Criterion) {
    let bank = Bank::embedded();
    let input = full_assessment();
    c.bench_function("evaluate_full_assessment", |b| {
        b.iter(|| {
            let assessment = bank.validate(black_box(&input)).expect("valid");
            black_box(bank.evaluate(&assessment))
        })
    });
}

criterion_group!(benches, evaluate);
criterion_main!(benches);
