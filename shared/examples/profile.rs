//! Evaluates one full assessment many times, for profilers:
//! `valgrind --tool=callgrind target/release/examples/profile`.

use aims_engine::{AssessmentInput, Bank};
use std::hint::black_box;

fn main() {
    let input = AssessmentInput::from_json(include_str!(
        "../tests/golden/scaleup-iso27001-builds-models.input.json"
    ))
    .expect("golden input parses");
    let bank = Bank::embedded();
    let rounds: u32 = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(2000);
    for _ in 0..rounds {
        let assessment = bank.validate(black_box(&input)).expect("valid");
        black_box(bank.evaluate(&assessment));
    }
}
