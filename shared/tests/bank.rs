//! The embedded question bank: complete, consistent, and refused when broken.
#![forbid(unsafe_code)]

use aims_engine::{
    AiSystem, Bank, BankData, CallToAction, Customisation, DEFAULT_BANK_JSON, GroupKind, Mode,
    Origin, ProblemKind, RiskTier,
};

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
    assert_eq!(bank.version(), "2.0.0");
    // Version 1 assessments (stored ones, saved progress) are still evaluated.
    assert!(bank.accepts_version("1.0.0"));
    assert!(!bank.accepts_version("0.9.0"));
}

#[test]
fn annex_a_is_shown_in_its_ten_objectives() {
    let bank = Bank::embedded();
    let objectives: Vec<&str> = bank
        .data()
        .groups
        .iter()
        .filter(|g| g.kind == GroupKind::AnnexA)
        .map(|g| g.id.as_str())
        .collect();
    assert_eq!(
        objectives,
        [
            "A.2", "A.3", "A.4", "A.5", "A.6.1", "A.6.2", "A.7", "A.8", "A.9", "A.10"
        ]
    );
}

#[test]
fn every_credit_and_assumption_cites_a_published_source() {
    let d = data();
    let ids: Vec<&str> = d.sources.iter().map(|s| s.id.as_str()).collect();
    for f in &d.frameworks {
        for c in &f.credits {
            assert!(ids.contains(&c.source.as_str()), "{}: {}", f.name, c.source);
        }
    }
    let mut broken = data();
    broken.frameworks[0].credits[0].source = "hearsay".into();
    assert!(refused(broken).contains("hearsay"));
    let mut broken = data();
    broken.model.days_per_fte_week_source = "hearsay".into();
    assert!(refused(broken).contains("hearsay"));
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
    }
}

/// Every question, quick or full, asks one thing a non-expert can read: short, one
/// question mark at its end, no clause numbers or jargon in the question itself (the
/// full wording and the references come after it, in the help and the card's footer).
#[test]
fn every_question_is_in_plain_words() {
    let bank = Bank::embedded();
    let mut seen = std::collections::HashSet::new();
    for q in bank
        .questions(Mode::Quick)
        .chain(bank.questions(Mode::Full))
    {
        let t = &q.text;
        assert!(t.chars().count() <= 130, "{}: {} characters", q.id, t.len());
        assert!(
            t.ends_with('?') && t.matches('?').count() == 1,
            "{}: {t}",
            q.id
        );
        assert!(!t.chars().any(|c| c.is_ascii_digit()), "{}: {t}", q.id);
        for jargon in [
            "How far",
            "AIMS",
            "interested parties",
            "documented information",
        ] {
            assert!(!t.contains(jargon), "{}: {jargon:?} in {t}", q.id);
        }
        assert!(seen.insert(t.as_str()), "{}: asked twice: {t}", q.id);
        assert!(
            q.help.starts_with("In full: ") && q.help.len() <= 800,
            "{}",
            q.id
        );
    }
}

fn system(name: &str, origin: Origin, customisation: Customisation, offered: bool) -> AiSystem {
    AiSystem {
        customisation,
        offered_to_customers: offered,
        ..AiSystem::new(name, origin, RiskTier::Minimal)
    }
}

/// The controls the inventory proposes as not applicable in the full assessment, with
/// their justifications.
fn proposed(systems: &[AiSystem]) -> Vec<(String, String)> {
    let bank = Bank::embedded();
    bank.proposed_not_applicable(systems, Mode::Full)
        .into_iter()
        .map(|(i, why)| (bank.data().questions[i].refs[0].clone(), why))
        .collect()
}

#[test]
fn an_organisation_that_only_deploys_is_offered_the_development_and_data_exclusions_naming_its_systems()
 {
    let tools = [
        system(
            "Copilot",
            Origin::ThirdParty,
            Customisation::Prompting,
            false,
        ),
        system("Translator", Origin::ThirdParty, Customisation::None, false),
    ];
    let proposals = proposed(&tools);
    let ids: Vec<&str> = proposals.iter().map(|(r, _)| r.as_str()).collect();
    for control in [
        "A.6.1.2", "A.6.1.3", "A.6.2.2", "A.6.2.3", "A.6.2.7", "A.7.2", "A.7.3", "A.7.4", "A.7.5",
        "A.7.6", "A.8.2", "A.8.3", "A.8.5", "A.10.4",
    ] {
        assert!(ids.contains(&control), "{control} not proposed: {ids:?}");
    }
    // A deployer still tests what it deploys, monitors it and uses it responsibly.
    for control in ["A.6.2.4", "A.6.2.6", "A.9.2", "A.9.4", "A.8.4", "A.10.3"] {
        assert!(!ids.contains(&control), "{control} proposed");
    }
    for (control, why) in &proposals {
        assert!(
            why.contains("Copilot, Translator") && !why.contains("{systems}"),
            "{control}: {why}"
        );
    }
}

#[test]
fn what_each_system_is_decides_what_applies() {
    let rag = system("Answers", Origin::ThirdParty, Customisation::Rag, false);
    let ids = |systems: &[AiSystem]| -> Vec<String> {
        proposed(systems).into_iter().map(|(r, _)| r).collect()
    };
    // Retrieval on our own documents brings the data controls, not the development ones.
    let with_rag = ids(std::slice::from_ref(&rag));
    assert!(
        !with_rag.iter().any(|r| r.starts_with("A.7.")),
        "{with_rag:?}"
    );
    assert!(with_rag.contains(&"A.6.2.2".to_string()));
    // Fine-tuning is development.
    let tuned = system(
        "Tuned",
        Origin::ThirdParty,
        Customisation::FineTuning,
        false,
    );
    let with_tuned = ids(&[tuned]);
    assert!(
        !with_tuned
            .iter()
            .any(|r| r.starts_with("A.6.") || r.starts_with("A.7."))
    );
    // Offering a system to customers brings A.10.4 and the information controls.
    let offered = system("Portal", Origin::ThirdParty, Customisation::Prompting, true);
    let with_offered = ids(&[offered]);
    for control in ["A.10.4", "A.8.2", "A.8.3", "A.8.5"] {
        assert!(!with_offered.iter().any(|r| r == control), "{control}");
    }
    // A high-risk system affects people outside even when used internally.
    let high = AiSystem {
        risk: RiskTier::High,
        ..system("Screening", Origin::ThirdParty, Customisation::None, false)
    };
    assert!(!ids(&[high]).iter().any(|r| r == "A.8.3"));
    // Building one system in-house is enough for every development and data control.
    let built = system("Model", Origin::InHouse, Customisation::None, false);
    let with_built = ids(&[built, rag]);
    assert!(
        !with_built
            .iter()
            .any(|r| r.starts_with("A.6.") || r.starts_with("A.7."))
    );
    // While no system is in the inventory, nothing needs these controls yet.
    let none = ids(&[]);
    assert!(
        proposed(&[])
            .iter()
            .all(|(_, why)| why.contains("none is in the inventory yet"))
    );
    assert!(none.contains(&"A.10.4".to_string()) && none.contains(&"A.6.1.2".to_string()));
}

#[test]
fn the_quick_quiz_and_the_full_assessment_agree_on_what_is_excluded() {
    let bank = Bank::embedded();
    let tools = [system(
        "Chat",
        Origin::ThirdParty,
        Customisation::Prompting,
        false,
    )];
    let full: Vec<String> = proposed(&tools).into_iter().map(|(r, _)| r).collect();
    // The quick quiz applies the inventory's exclusions itself: the same controls.
    let mut profile = aims_engine::Profile::new(aims_engine::Size::UpTo50, 0.5, tools.to_vec());
    profile.sector = "other".into();
    let input = aims_engine::AssessmentInput {
        mode: Mode::Quick,
        bank_version: None,
        profile,
        answers: Vec::new(),
        soa: None,
    };
    let result = bank.evaluate_input(&input).unwrap().result;
    let excluded: Vec<String> = result
        .requirements
        .iter()
        .filter(|r| r.status == aims_engine::Status::NotApplicable)
        .map(|r| r.id.to_string())
        .collect();
    let mut expected: Vec<String> = full
        .iter()
        .flat_map(|r| {
            let q = bank
                .questions(Mode::Full)
                .find(|q| &q.refs[0] == r)
                .unwrap();
            q.refs.clone()
        })
        .collect();
    expected.sort();
    let mut excluded_sorted = excluded.clone();
    excluded_sorted.sort();
    assert_eq!(excluded_sorted, expected);
    assert!(
        result
            .requirements
            .iter()
            .filter(|r| r.status == aims_engine::Status::NotApplicable)
            .all(|r| r
                .justification
                .as_deref()
                .is_some_and(|j| j.contains("Chat")))
    );
    // The quick questions whose controls are all excluded are proposed as a whole.
    let quick: Vec<&str> = bank
        .proposed_not_applicable(&tools, Mode::Quick)
        .into_iter()
        .map(|(i, _)| bank.data().questions[i].id.as_str())
        .collect();
    assert_eq!(quick, ["q-quick-development", "q-quick-data"]);
    assert!(bank.allows_not_applicable("q-a-6-2-4"));
    assert!(!bank.allows_not_applicable("q-9-2"));
}

#[test]
fn controls_that_restate_a_mandatory_clause_cannot_be_excluded() {
    let bank = Bank::embedded();
    for (question, clause) in [
        ("q-a-2-2", "5.2"),
        ("q-a-3-2", "5.3"),
        ("q-a-5-2", "6.1.4"),
        ("q-a-5-3", "8.4"),
        ("q-a-5-4", "6.1.4"),
    ] {
        assert!(!bank.allows_not_applicable(question), "{question}");
        let mut input = aims_engine::AssessmentInput::from_json(
            r#"{"mode":"full","profile":{"size":"1-50","capacity_fte":1,"systems":[]}}"#,
        )
        .unwrap();
        input.answers.push(aims_engine::AnswerInput::not_applicable(
            question,
            "We think not.",
        ));
        let e = bank.validate(&input).unwrap_err();
        assert_eq!(e.pointer(), "/answers/0/level");
        match e.kind() {
            ProblemKind::NotExcludable { clause: c, .. } => assert_eq!(c, clause),
            other => panic!("{question}: {other:?}"),
        }
        assert!(e.to_string().contains(clause), "{e}");
    }
    assert!(bank.allows_not_applicable("q-a-5-5"));
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

fn with_cta(label: &str, url: &str) -> BankData {
    let mut d = data();
    d.site = Some(aims_engine::Site {
        cta: Some(CallToAction {
            label: label.into(),
            url: url.into(),
        }),
        ..Default::default()
    });
    d
}

#[test]
fn a_call_to_action_must_be_a_short_label_and_a_web_address() {
    let good = with_cta(
        "Book a call",
        "https://consultancy.example/book?band={band}",
    );
    let bank = Bank::new(good).expect("a valid call to action is accepted");
    let cta = bank
        .data()
        .site
        .as_ref()
        .and_then(|s| s.cta.as_ref())
        .unwrap();
    assert_eq!(cta.label, "Book a call");
    for (label, url, field) in [
        ("", "https://consultancy.example", "label"),
        ("Two\nlines", "https://consultancy.example", "label"),
        (&"x".repeat(61), "https://consultancy.example", "label"),
        ("Book", "javascript:alert(1)", "url"),
        ("Book", "/relative/path", "url"),
        ("Book", "https://consultancy.example/a b", "url"),
        ("Book", "https://consultancy.example/\"><script>", "url"),
    ] {
        let message = refused(with_cta(label, url));
        assert!(
            message.contains(&format!("/site/cta/{field}")),
            "{label:?} {url:?}: {message}"
        );
    }
}

fn with_site(site: aims_engine::Site) -> BankData {
    let mut d = data();
    d.site = Some(site);
    d
}

#[test]
fn a_site_brands_the_widget_with_checked_values() {
    use aims_engine::Site;
    let good = Site {
        name: Some("Northwind Assurance".into()),
        logo_url: Some("https://northwind.example/logo.png".into()),
        accent: Some("#0f5132".into()),
        intro: Some("Northwind has taken 40 firms to certification.\nAsk us how.".into()),
        privacy_url: Some("https://northwind.example/privacy".into()),
        cta: None,
        emails_report: false,
    };
    Bank::new(with_site(good.clone())).expect("a valid site is accepted");
    let cases: [(Site, &str, &str); 6] = [
        (
            Site {
                name: Some(" ".into()),
                ..good.clone()
            },
            "/site/name",
            "1 to 80",
        ),
        (
            Site {
                logo_url: Some("http://northwind.example/logo.png".into()),
                ..good.clone()
            },
            "/site/logo_url",
            "https://",
        ),
        (
            Site {
                logo_url: Some("https://x.example/\"onerror=\"".into()),
                ..good.clone()
            },
            "/site/logo_url",
            "quotes",
        ),
        (
            Site {
                accent: Some("blue".into()),
                ..good.clone()
            },
            "/site/accent",
            "#rrggbb",
        ),
        (
            Site {
                intro: Some("x".repeat(601)),
                ..good.clone()
            },
            "/site/intro",
            "600",
        ),
        (
            Site {
                privacy_url: Some("javascript:alert(1)".into()),
                ..good.clone()
            },
            "/site/privacy_url",
            "https://",
        ),
    ];
    for (site, pointer, words) in cases {
        let message = refused(with_site(site));
        assert!(
            message.contains(pointer) && message.contains(words),
            "{message}"
        );
    }
}

#[test]
fn every_problem_of_a_broken_bank_is_listed_with_its_pointer() {
    let mut d = data();
    d.version = "two".into();
    d.questions[3].effort_days = Some(-1.0);
    d.frameworks[0].credits[0].share = 1.5;
    d.sectors[0].factor = 9.0;
    d.model.level_points = [0.0, 60.0, 40.0, 100.0, 100.0];
    d.site = Some(aims_engine::Site {
        accent: Some("eeeeee".into()),
        ..Default::default()
    });
    let e = Bank::new(d).unwrap_err();
    let pointers: Vec<&str> = e.problems().iter().map(|p| p.pointer.as_str()).collect();
    assert_eq!(
        pointers,
        [
            "/version",
            "/questions/3/effort_days",
            "/frameworks/0/credits/0/share",
            "/sectors/0/factor",
            "/site/accent",
            "/model/level_points",
        ],
        "{e}"
    );
    assert!(e.problems().iter().all(|p| p.kind.is_bank_problem()));
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
