//! Invariants over random organisations and answers: bounds, monotonicity, determinism
//! and JSON round trips.
#![cfg(not(target_arch = "wasm32"))]
#![forbid(unsafe_code)]

use aims_engine::{
    AnswerInput, AssessmentInput, Band, Bank, Evaluation, Framework, Mode, Profile, Role, Size,
};
use proptest::prelude::*;

/// One answer choice: None = unanswered, Some(-1) = unknown, Some(0..=4) = level,
/// Some(5) = not applicable (where allowed).
type Choice = Option<i8>;

fn profile() -> impl Strategy<Value = Profile> {
    let sectors: Vec<String> = Bank::embedded()
        .data()
        .sectors
        .iter()
        .map(|s| s.id.clone())
        .collect();
    (
        prop::sample::select(Size::ALL.to_vec()),
        0u32..40,
        prop::sample::select(vec![Role::Develops, Role::Uses, Role::Both]),
        prop::sample::select(sectors),
        any::<bool>(),
        prop::sample::subsequence(
            vec![
                Framework::Iso27001,
                Framework::NistAiRmf,
                Framework::Gdpr,
                Framework::Iso9001,
                Framework::Soc2,
                Framework::EuAiAct,
            ],
            0..=6,
        ),
        1u32..200,
        prop::option::of(0i64..3000),
    )
        .prop_map(
            |(size, ai_systems, role, sector, high_risk, frameworks, tenths, start)| Profile {
                size,
                ai_systems,
                role,
                sector,
                high_risk,
                frameworks,
                capacity_fte: f64::from(tenths) / 10.0,
                start_date: start
                    .map(|d| aims_engine::Date::parse("2026-01-01").unwrap().add_days(d)),
            },
        )
}

fn assessment() -> impl Strategy<Value = (Mode, Profile, Vec<Choice>)> {
    prop::sample::select(vec![Mode::Quick, Mode::Full]).prop_flat_map(|mode| {
        let n = Bank::embedded().questions(mode).count();
        (
            Just(mode),
            profile(),
            prop::collection::vec(prop::option::weighted(0.9, -1i8..=5), n),
        )
    })
}

fn build(mode: Mode, profile: &Profile, choices: &[Choice]) -> AssessmentInput {
    let bank = Bank::embedded();
    let mut answers = Vec::new();
    for (q, choice) in bank.questions(mode).zip(choices) {
        match choice {
            None => {}
            Some(-1) => answers.push(AnswerInput::unknown(&q.id)),
            Some(5) if bank.allows_not_applicable(&q.id) => {
                answers.push(AnswerInput::not_applicable(&q.id, "Out of scope for us."))
            }
            Some(5) => answers.push(AnswerInput::level(&q.id, 4)),
            Some(l) => answers.push(AnswerInput::level(&q.id, *l as u8)),
        }
    }
    AssessmentInput {
        mode,
        bank_version: Some("1.0.0".into()),
        profile: profile.clone(),
        answers,
    }
}

fn evaluate(input: &AssessmentInput) -> Evaluation {
    Bank::embedded()
        .evaluate_input(input)
        .expect("generated input is valid")
}

/// Raises one answer by one step on the scale unanswered = unknown < 0 < 1 < 2 < 3 < 4.
/// Not-applicable answers are not on the scale and stay as they are.
fn raise(choice: Choice) -> Choice {
    match choice {
        None | Some(-1) => Some(0),
        Some(l @ 0..=3) => Some(l + 1),
        other => other,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 192, ..ProptestConfig::default() })]

    #[test]
    fn scores_and_figures_stay_within_bounds((mode, profile, choices) in assessment()) {
        let e = evaluate(&build(mode, &profile, &choices));
        let r = &e.result;
        prop_assert!((0.0..=100.0).contains(&r.overall));
        for g in r.clauses.iter().chain(&r.objectives) {
            prop_assert!(g.score.is_none_or(|s| (0.0..=100.0).contains(&s)), "{} {:?}", g.id, g.score);
        }
        for q in &r.requirements {
            prop_assert!(q.score.is_none_or(|s| (0.0..=100.0).contains(&s)));
        }
        prop_assert!(r.clauses.iter().all(|c| c.score.is_some()), "clauses are mandatory");
        if r.blockers > 0 {
            prop_assert_ne!(r.band, Band::AuditReady);
        }
        for x in [e.estimate.effort_days, e.estimate.weeks_to_ready, e.estimate.weeks_to_certification] {
            prop_assert!(x.low <= x.likely && x.likely <= x.high, "{:?}", x);
        }
        prop_assert!(e.estimate.weeks_to_ready.likely < e.estimate.weeks_to_certification.likely);
        prop_assert_eq!(e.roadmap.phases.iter().map(|p| p.number).collect::<Vec<_>>(), vec![1, 2, 3, 4, 5, 6]);
        for g in &r.gaps {
            prop_assert!(g.effort_days.low <= g.effort_days.likely && g.effort_days.likely <= g.effort_days.high);
        }
    }

    #[test]
    fn raising_one_answer_never_lowers_a_score_nor_raises_the_likely_effort(
        (mode, profile, choices) in assessment(),
        pick in any::<prop::sample::Index>(),
    ) {
        let i = pick.index(choices.len());
        let mut raised = choices.clone();
        raised[i] = raise(choices[i]);
        let before = evaluate(&build(mode, &profile, &choices));
        let after = evaluate(&build(mode, &profile, &raised));
        prop_assert!(after.result.overall >= before.result.overall);
        for (b, a) in before.result.clauses.iter().zip(&after.result.clauses).chain(before.result.objectives.iter().zip(&after.result.objectives)) {
            prop_assert!(a.score >= b.score, "{}: {:?} -> {:?}", b.id, b.score, a.score);
        }
        prop_assert!(after.estimate.effort_days.likely <= before.estimate.effort_days.likely);
        prop_assert!(after.estimate.weeks_to_ready.likely <= before.estimate.weeks_to_ready.likely);
        prop_assert!(after.result.blockers <= before.result.blockers);
    }

    #[test]
    fn same_input_gives_the_same_bytes((mode, profile, choices) in assessment()) {
        let input = build(mode, &profile, &choices);
        let first = serde_json::to_string(&evaluate(&input)).unwrap();
        let second = serde_json::to_string(&evaluate(&input.clone())).unwrap();
        prop_assert_eq!(&first, &second);
        // A bank parsed afresh from the same data gives the same result too.
        let fresh = Bank::from_json(aims_engine::DEFAULT_BANK_JSON).unwrap();
        let third = serde_json::to_string(&fresh.evaluate_input(&input).unwrap()).unwrap();
        prop_assert_eq!(&first, &third);
    }

    #[test]
    fn inputs_and_results_survive_a_json_round_trip((mode, profile, choices) in assessment()) {
        let input = build(mode, &profile, &choices);
        let json = serde_json::to_string(&input).unwrap();
        let read = AssessmentInput::from_json(&json).unwrap();
        prop_assert_eq!(&read, &input);
        let evaluation = evaluate(&input);
        let json = serde_json::to_string(&evaluation).unwrap();
        let back: Evaluation = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(back, evaluation);
    }
}
