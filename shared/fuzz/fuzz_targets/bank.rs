//! Any bytes as a question bank: reading and validating must never panic; a bank that
//! validates must evaluate an empty assessment of either mode.

#![no_main]

use aims_engine::{AssessmentInput, Bank, Mode, Profile, Role, Size};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(bank) = Bank::from_json(text) else {
        return;
    };
    for mode in [Mode::Quick, Mode::Full] {
        let input = AssessmentInput {
            mode,
            bank_version: None,
            profile: Profile {
                sector: bank
                    .data()
                    .sectors
                    .first()
                    .map(|s| s.id.clone())
                    .unwrap_or_default(),
                ..Profile::new(
                    Size::UpTo250,
                    1.0,
                    aims_engine::v1_inventory(2, Role::Both, false),
                )
            },
            answers: Vec::new(),
            soa: None,
        };
        if let Ok(e) = bank.evaluate_input(&input) {
            assert_eq!(e.roadmap.phases.len(), 6);
        }
    }
});
