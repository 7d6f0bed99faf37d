//! The embedded question bank: complete, consistent, and refused when broken.
#![forbid(unsafe_code)]

use aims_engine::{Bank, BankData, DEFAULT_BANK_JSON, GroupKind, Mode, ProblemKind, Role};

/// Every requirement ISO/IEC 42001 certification looks at (PRODUCT.md §3).
const CLAUSES: [&str; 27] = [
    "4.1", "4.2", "4.3", "4.4", "5.1", "5.2", "5.3", "6.1.1", "6.1.2", "6.1.3", "6.1.4", "6.2",
    "6.3", "7.1", "7.2", "7.3", "7.4", "7.5", "8.1", "8.2", "8.3", "8.4", "9.1", "9.2", "9.3",
    "10.1", "10.2",
];
const ANNEX_A: [&str; 38] = [
    "A.2.2", "A.2.3", "A.2.4", "A.3.2", "A.3.3", "A.4.2", "A.4.3", "A.4.4", "A.4.5", "A.4.6",
    "A.5.2", "A.5.3", "A.5.4", "A.5.5", "A.6.1.2", "A.6.1.3", "A.6.2.2", "A.6.2.3", "A.6.2.4",
    "A.6.2.5", "A.6.2.6", "A.6.2.7", "A.6.2.8", "A.7.2", "A.7.3", "A.7.4", "A.7.5", "A.7.6",
    "A.8.2", "A.8.3", "A.8.4", "A.8.5", "A.9.2", "A.9.3", "A.9.4", "A.10.2", "A.10.3", "A.10.4",
];

fn data() -> BankData {
    serde_json::from_str(DEFAULT_BANK_JSON).unwrap()
}

fn refused(data: BankData) -> String {
    match Bank::new(data) {
        Ok(_) => panic!("a broken bank was accepted"),
        Err(e) => {
            assert!(e.kind().is_bank_problem());
            e.to_string()
        }
    }
}

#[test]
fn embedded_bank_is_valid_and_versioned() {
    let bank = Bank::from_json(DEFAULT_BANK_JSON).expect("embedded bank is valid");
    assert_eq!(bank.data().id, "iso42001-readiness");
    assert_eq!(bank.version(), "1.0.0");
}

#[test]
fn full_mode_covers_every_clause_subclause_and_every_annex_a_control() {
    let bank = Bank::embedded();
    let ids: Vec<&str> = bank
        .data()
        .requirements
        .iter()
        .map(|r| r.id.as_str())
        .collect();
    let expected: Vec<&str> = CLAUSES.iter().chain(ANNEX_A.iter()).copied().collect();
    assert_eq!(ids, expected);
    for id in expected {
        let covering = bank
            .questions(Mode::Full)
            .filter(|q| q.refs.iter().any(|r| r == id))
            .count();
        assert_eq!(covering, 1, "{id} is covered by {covering} full questions");
        let covering = bank
            .questions(Mode::Quick)
            .filter(|q| q.refs.iter().any(|r| r == id))
            .count();
        assert_eq!(covering, 1, "{id} is covered by {covering} quick questions");
    }
    for r in &bank.data().requirements {
        let kind = bank
            .data()
            .groups
            .iter()
            .find(|g| g.id == r.group)
            .unwrap()
            .kind;
        assert_eq!(
            kind == GroupKind::AnnexA,
            r.id.starts_with("A."),
            "{}",
            r.id
        );
    }
}

#[test]
fn quick_quiz_has_fifteen_to_twenty_named_groups() {
    let quick: Vec<_> = Bank::embedded().questions(Mode::Quick).collect();
    assert!(
        (15..=20).contains(&quick.len()),
        "{} quick questions",
        quick.len()
    );
    for q in quick {
        assert!(!q.title.is_empty() && !q.refs.is_empty());
    }
}

#[test]
fn every_full_question_carries_its_estimator_data() {
    for q in Bank::embedded().questions(Mode::Full) {
        assert!((1..=6).contains(&q.phase.unwrap()), "{}", q.id);
        assert!(
            q.owner.is_some() && q.task.is_some() && q.deliverable.is_some(),
            "{}",
            q.id
        );
        let e = q.effort_days.unwrap();
        assert!(e > 0.0 && e <= 20.0, "{}: {e}", q.id);
        assert!(q.text.len() <= 300 && q.help.len() <= 400, "{}", q.id);
    }
}

#[test]
fn development_controls_are_proposed_not_applicable_for_organisations_that_only_use_ai() {
    let bank = Bank::embedded();
    let proposed = bank.proposed_not_applicable(Role::Uses, Mode::Full);
    let ids: Vec<&str> = proposed.iter().map(|(q, _)| q.refs[0].as_str()).collect();
    assert!(
        ids.contains(&"A.6.2.4") && ids.contains(&"A.7.2"),
        "{ids:?}"
    );
    assert!(proposed.iter().all(|(_, why)| why.len() > 20));
    assert!(
        bank.proposed_not_applicable(Role::Develops, Mode::Full)
            .is_empty()
    );
    assert_eq!(
        bank.proposed_not_applicable(Role::Uses, Mode::Quick).len(),
        1
    );
    assert!(bank.allows_not_applicable("q-a-6-2-4"));
    assert!(!bank.allows_not_applicable("q-9-2"));
}

#[test]
fn duplicate_question_ids_are_refused() {
    let mut d = data();
    let copy = d.questions[0].clone();
    d.questions.push(copy);
    assert!(refused(d).contains("appears twice"));
}

#[test]
fn references_to_unknown_requirements_are_refused() {
    let mut d = data();
    d.questions[0].refs.push("4.9".into());
    let message = refused(d);
    assert!(
        message.contains("/questions/0/refs/1") && message.contains("4.9"),
        "{message}"
    );
}

#[test]
fn an_uncovered_requirement_is_refused() {
    let mut d = data();
    d.questions.retain(|q| q.id != "q-a-10-4");
    assert!(refused(d).contains("A.10.4"));
}

#[test]
fn weights_and_factors_out_of_range_are_refused() {
    let mut d = data();
    d.questions[3].effort_days = Some(-1.0);
    assert!(refused(d).contains("effort_days"));

    let mut d = data();
    d.frameworks[0].credits[0].share = 1.5;
    assert!(refused(d).contains("share"));

    let mut d = data();
    d.model.level_points = [0.0, 60.0, 40.0, 100.0, 100.0];
    assert!(refused(d).contains("level_points"));

    let mut d = data();
    d.model.phases.pop();
    assert!(refused(d).contains("six phases"));

    let mut d = data();
    d.sectors[0].factor = 9.0;
    assert!(refused(d).contains("sectors"));
}

#[test]
fn not_applicable_cannot_be_proposed_for_a_mandatory_clause() {
    let mut d = data();
    let with = d
        .questions
        .iter()
        .find(|q| q.applicability.is_some())
        .unwrap()
        .applicability
        .clone();
    d.questions[0].applicability = with;
    assert!(refused(d).contains("mandatory clause"));
}

#[test]
fn malformed_bank_json_names_the_field() {
    let broken =
        DEFAULT_BANK_JSON.replacen("\"effort_days\": ", "\"effort_days\": \"many\", \"x\": ", 1);
    let e = Bank::from_json(&broken).unwrap_err();
    assert!(matches!(e.kind(), ProblemKind::Json { .. }));
    assert_eq!(e.pointer(), "/questions/0/effort_days");
}
