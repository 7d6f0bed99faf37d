//! Invariants over random organisations and answers: bounds, monotonicity, determinism
//! and JSON round trips.
#![cfg(not(target_arch = "wasm32"))]
#![forbid(unsafe_code)]

use aims_engine::{
    AiSystem, AnswerInput, AssessmentInput, Band, Bank, Customisation, Evaluation, Framework, Mode,
    Origin, Profile, RiskTier, Role, Size,
};
use proptest::prelude::*;

/// One answer choice: None = unanswered, Some(-1) = unknown, Some(0..=4) = level,
/// Some(5) = not applicable (where allowed).
type Choice = Option<i8>;

fn system() -> impl Strategy<Value = AiSystem> {
    (
        prop::sample::select(Origin::ALL.to_vec()),
        prop::sample::select(Customisation::ALL.to_vec()),
        any::<bool>(),
        prop::sample::select(RiskTier::ALL.to_vec()),
    )
        .prop_map(|(origin, customisation, offered, risk)| AiSystem {
            customisation,
            offered_to_customers: offered,
            ..AiSystem::new("System", origin, risk)
        })
}

/// Names the systems one by one, as the engine wants them distinct.
fn named(mut systems: Vec<AiSystem>) -> Vec<AiSystem> {
    for (i, s) in systems.iter_mut().enumerate() {
        s.name = format!("System {}", i + 1);
    }
    systems
}

fn profile() -> impl Strategy<Value = Profile> {
    let sectors: Vec<String> = Bank::embedded()
        .data()
        .sectors
        .iter()
        .map(|s| s.id.clone())
        .collect();
    let frameworks = prop::sample::subsequence(
        vec![
            Framework::Iso27001,
            Framework::NistAiRmf,
            Framework::Gdpr,
            Framework::Iso9001,
            Framework::Soc2,
            Framework::EuAiAct,
        ],
        0..=6,
    );
    (
        prop::sample::select(Size::ALL.to_vec()),
        prop::option::of(0.0f64..1.0),
        prop::collection::vec(system(), 0..12),
        prop::sample::select(sectors),
        frameworks,
        1u32..200,
        prop::option::of(0i64..3000),
        // One profile in eight in the version 1 form: a count, a role, a high-risk flag.
        prop::option::weighted(
            0.125,
            (
                0u32..40,
                prop::sample::select(vec![Role::Develops, Role::Uses, Role::Both]),
                any::<bool>(),
            ),
        ),
    )
        .prop_map(
            |(size, within, systems, sector, frameworks, tenths, start, v1)| {
                let (low, high) = match size {
                    Size::UpTo50 => (1.0, 50.0),
                    Size::UpTo250 => (51.0, 250.0),
                    Size::UpTo1000 => (251.0, 1000.0),
                    Size::Over1000 => (1001.0, 20_000.0),
                };
                let mut p = Profile {
                    employees: within.map(|x| (low + x * (high - low)) as u32),
                    sector,
                    frameworks,
                    start_date: start
                        .map(|d| aims_engine::Date::parse("2026-01-01").unwrap().add_days(d)),
                    ..Profile::new(size, f64::from(tenths) / 10.0, named(systems))
                };
                if let Some((count, role, high_risk)) = v1 {
                    p.systems = None;
                    p.ai_systems = Some(count);
                    p.role = Some(role);
                    p.high_risk = Some(high_risk);
                }
                p
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
        bank_version: Some(bank.version().into()),
        profile: profile.clone(),
        answers,
        soa: None,
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

    #[test]
    fn adding_a_system_or_raising_its_risk_tier_never_lowers_the_effort(
        (mode, profile, choices) in assessment(),
        extra in system(),
        pick in any::<prop::sample::Index>(),
    ) {
        let mut profile = profile;
        if profile.systems.is_none() {
            profile.systems = Some(profile.inventory().into_owned());
            (profile.ai_systems, profile.role, profile.high_risk) = (None, None, None);
        }
        let before = evaluate(&build(mode, &profile, &choices)).estimate.effort_days.likely;
        let mut more = profile.clone();
        let systems = more.systems.as_mut().unwrap();
        systems.push(extra);
        *systems = named(std::mem::take(systems));
        let after = evaluate(&build(mode, &more, &choices)).estimate.effort_days.likely;
        prop_assert!(after >= before, "adding a system: {before} -> {after}");

        let mut riskier = profile.clone();
        if let Some(s) = riskier.systems.as_mut().filter(|s| !s.is_empty()) {
            let at = pick.index(s.len());
            let s = &mut s[at];
            s.risk = match s.risk {
                RiskTier::Minimal => RiskTier::Limited,
                RiskTier::Limited => RiskTier::High,
                _ => RiskTier::Prohibited,
            };
            let after = evaluate(&build(mode, &riskier, &choices)).estimate.effort_days.likely;
            prop_assert!(after >= before, "raising a risk tier: {before} -> {after}");
        }
    }

    #[test]
    fn adding_a_framework_never_raises_the_effort(
        (mode, profile, choices) in assessment(),
        framework in prop::sample::select(Framework::ALL.to_vec()),
    ) {
        let before = evaluate(&build(mode, &profile, &choices)).estimate.effort_days.likely;
        let mut more = profile.clone();
        more.frameworks.push(framework);
        let after = evaluate(&build(mode, &more, &choices)).estimate.effort_days.likely;
        prop_assert!(after <= before, "{framework}: {before} -> {after}");
    }

    #[test]
    fn version_1_profiles_and_bank_versions_still_give_a_result(
        (mode, _, choices) in assessment(),
        count in 0u32..60,
        role in prop::sample::select(vec![Role::Develops, Role::Uses, Role::Both]),
        high_risk in any::<bool>(),
    ) {
        let mut profile = Profile::new(Size::UpTo250, 1.0, Vec::new());
        (profile.systems, profile.ai_systems, profile.role, profile.high_risk) =
            (None, Some(count), Some(role), Some(high_risk));
        let mut input = build(mode, &profile, &choices);
        input.bank_version = Some("1.0.0".into());
        let e = evaluate(&input);
        prop_assert_eq!(e.result.bank_version.as_str(), Bank::embedded().version());
        prop_assert!(e.estimate.effort_days.likely > 0);
    }
}
