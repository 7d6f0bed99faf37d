//! Golden vectors: archetype organisations, evaluated and compared byte for byte with the
//! expected output. The same files are checked natively and in Wasm.
//!
//! Regenerate after an intended change with `GOLDEN_UPDATE=1 cargo test -p aims-engine --test golden`
//! and review the diff.
#![forbid(unsafe_code)]

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use aims_engine::{AssessmentInput, Bank, Evaluation};

macro_rules! archetype {
    ($name:literal) => {
        (
            $name,
            include_str!(concat!("golden/", $name, ".input.json")),
            include_str!(concat!("golden/", $name, ".expected.json")),
        )
    };
}

const ARCHETYPES: [(&str, &str, &str); 5] = [
    archetype!("startup-uses-third-party-ai"),
    archetype!("scaleup-iso27001-builds-models"),
    archetype!("enterprise-high-risk-from-scratch"),
    archetype!("mature-close-to-ready"),
    archetype!("quick-quiz-scaleup"),
];

fn evaluate(input: &str) -> (Evaluation, String) {
    let input = AssessmentInput::from_json(input).expect("golden input parses");
    let evaluation = Bank::embedded()
        .evaluate_input(&input)
        .expect("golden input is valid");
    let mut json = serde_json::to_string_pretty(&evaluation).expect("serialises");
    json.push('\n');
    (evaluation, json)
}

#[test]
fn archetypes_match_their_golden_files_byte_for_byte() {
    let mut mismatched = Vec::new();
    for (name, input, expected) in ARCHETYPES {
        let (_, actual) = evaluate(input);
        if actual != expected {
            #[cfg(not(target_arch = "wasm32"))]
            if std::env::var_os("GOLDEN_UPDATE").is_some() {
                let path = format!(
                    "{}/tests/golden/{name}.expected.json",
                    env!("CARGO_MANIFEST_DIR")
                );
                std::fs::write(path, &actual).expect("write golden file");
                continue;
            }
            mismatched.push(name);
        }
    }
    assert!(
        mismatched.is_empty(),
        "results differ from the golden files: {mismatched:?}"
    );
}

#[test]
fn golden_outputs_read_back_to_the_same_evaluation() {
    for (_, input, expected) in ARCHETYPES {
        let (evaluation, _) = evaluate(input);
        let read: Evaluation = serde_json::from_str(expected).expect("golden output parses");
        assert_eq!(read, evaluation);
    }
}
