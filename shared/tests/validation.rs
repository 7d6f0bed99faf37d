//! Bad input gets a typed error naming the question, the problem and the field.
#![forbid(unsafe_code)]

use aims_engine::{AnswerInput, AssessmentInput, Bank, Mode, ProblemKind};

fn input(mode: &str) -> AssessmentInput {
    AssessmentInput::from_json(&format!(
        r#"{{"mode":"{mode}","profile":{{"size":"51-250","ai_systems":2,"role":"develops","capacity_fte":1}}}}"#
    ))
    .unwrap()
}

fn problem(input: &AssessmentInput) -> (ProblemKind, String, String) {
    let e = Bank::embedded().validate(input).unwrap_err();
    (e.kind().clone(), e.pointer().to_string(), e.to_string())
}

#[test]
fn unknown_question_id() {
    let mut i = input("full");
    i.answers.push(AnswerInput::level("q-4-1", 2));
    i.answers.push(AnswerInput::level("q-99", 2));
    let (kind, pointer, message) = problem(&i);
    assert_eq!(
        kind,
        ProblemKind::UnknownQuestion {
            question: "q-99".into()
        }
    );
    assert_eq!(pointer, "/answers/1/question");
    assert!(message.contains("q-99"), "{message}");
}

#[test]
fn level_out_of_range_names_the_question() {
    for bad in [
        r#"7"#,
        r#"-1"#,
        r#"2.5"#,
        r#""high""#,
        r#"99999999999999999999"#,
    ] {
        let json = format!(
            r#"{{"mode":"full","profile":{{"size":"1-50","ai_systems":1,"role":"uses","capacity_fte":1}},
                "answers":[{{"question":"q-7-5","level":{bad}}}]}}"#
        );
        let i = AssessmentInput::from_json(&json).unwrap();
        let (kind, pointer, message) = problem(&i);
        assert!(
            matches!(kind, ProblemKind::LevelOutOfRange { ref question, .. } if question == "q-7-5"),
            "{bad}: {kind:?}"
        );
        assert_eq!(pointer, "/answers/0/level");
        assert!(
            message.contains("q-7-5") && message.contains("0-4"),
            "{message}"
        );
    }
}

#[test]
fn not_applicable_on_a_mandatory_clause_is_refused() {
    let mut i = input("full");
    i.answers
        .push(AnswerInput::not_applicable("q-9-2", "we never audit"));
    let (kind, pointer, _) = problem(&i);
    assert_eq!(
        kind,
        ProblemKind::NotApplicableOnMandatory {
            question: "q-9-2".into()
        }
    );
    assert_eq!(pointer, "/answers/0/level");
}

#[test]
fn not_applicable_needs_a_justification() {
    for justification in [None, Some("   ".to_string())] {
        let mut i = input("full");
        let mut a = AnswerInput::not_applicable("q-a-10-4", "x");
        a.justification = justification;
        i.answers.push(a);
        let (kind, pointer, _) = problem(&i);
        assert_eq!(
            kind,
            ProblemKind::MissingJustification {
                question: "q-a-10-4".into()
            }
        );
        assert_eq!(pointer, "/answers/0/justification");
    }
}

#[test]
fn duplicate_answers_are_refused() {
    let mut i = input("full");
    i.answers.push(AnswerInput::level("q-4-1", 2));
    i.answers.push(AnswerInput::level("q-4-1", 3));
    let (kind, pointer, _) = problem(&i);
    assert_eq!(
        kind,
        ProblemKind::DuplicateAnswer {
            question: "q-4-1".into()
        }
    );
    assert_eq!(pointer, "/answers/1/question");
}

#[test]
fn answers_from_the_other_mode_are_refused() {
    let mut i = input("quick");
    i.answers.push(AnswerInput::level("q-4-1", 2));
    let (kind, pointer, _) = problem(&i);
    assert_eq!(
        kind,
        ProblemKind::WrongMode {
            question: "q-4-1".into(),
            mode: Mode::Quick
        }
    );
    assert_eq!(pointer, "/answers/0/question");

    let mut i = input("full");
    i.answers.push(AnswerInput::level("q-quick-risk", 2));
    assert!(matches!(problem(&i).0, ProblemKind::WrongMode { .. }));
}

#[test]
fn another_bank_version_is_refused() {
    let mut i = input("quick");
    i.bank_version = Some("0.9.0".into());
    let (kind, pointer, _) = problem(&i);
    assert_eq!(
        kind,
        ProblemKind::BankVersionMismatch {
            expected: "2.0.0".into(),
            found: "0.9.0".into()
        }
    );
    assert_eq!(pointer, "/bank_version");
}

#[test]
fn profile_values_out_of_range_name_the_field() {
    let mut i = input("quick");
    i.profile.capacity_fte = 0.0;
    assert_eq!(problem(&i).1, "/profile/capacity_fte");
    let mut i = input("quick");
    i.profile.sector = "piracy".into();
    let (_, pointer, message) = problem(&i);
    assert_eq!(pointer, "/profile/sector");
    assert!(message.contains("finance"), "{message}");
    let mut i = input("quick");
    i.profile.ai_systems = Some(1_000_000);
    assert_eq!(problem(&i).1, "/profile/ai_systems");
}

#[test]
fn every_problem_is_reported_at_once() {
    let mut i = input("full");
    i.answers.push(AnswerInput::level("q-nope", 1));
    i.answers.push(AnswerInput::not_applicable("q-4-1", "no"));
    i.profile.capacity_fte = -3.0;
    let e = Bank::embedded().validate(&i).unwrap_err();
    let pointers: Vec<&str> = e.problems().iter().map(|p| p.pointer.as_str()).collect();
    assert_eq!(
        pointers,
        [
            "/profile/capacity_fte",
            "/answers/0/question",
            "/answers/1/level"
        ]
    );
    assert!(e.to_string().contains("and 2 more"));
}

#[test]
fn too_many_answers_are_refused_without_reading_them() {
    let mut i = input("full");
    for _ in 0..500 {
        i.answers.push(AnswerInput::level("q-4-1", 1));
    }
    assert!(matches!(problem(&i).0, ProblemKind::TooManyAnswers { .. }));
}

#[test]
fn overlong_justifications_are_refused() {
    let mut i = input("full");
    i.answers
        .push(AnswerInput::not_applicable("q-a-10-4", &"x".repeat(5000)));
    let (kind, pointer, _) = problem(&i);
    assert!(matches!(kind, ProblemKind::TextTooLong { max: 2000 }));
    assert_eq!(pointer, "/answers/0/justification");
}

#[test]
fn malformed_json_points_at_the_bad_value() {
    let cases = [
        (r#"{"mode":"fast","profile":{}}"#, "/mode"),
        (
            r#"{"mode":"quick","profile":{"size":"51-250","ai_systems":-2,"role":"uses","capacity_fte":1}}"#,
            "/profile/ai_systems",
        ),
        (
            r#"{"mode":"quick","profile":{"size":"51-250","ai_systems":2,"role":"uses","capacity_fte":1,"start_date":"2027-02-30"}}"#,
            "/profile/start_date",
        ),
        (
            r#"{"mode":"quick","profile":{"size":"51-250","ai_systems":2,"role":"uses","capacity_fte":1,"frameworks":["iso27001","cmmi"]}}"#,
            "/profile/frameworks/1",
        ),
        (
            r#"{"mode":"quick","profile":{"size":"51-250","ai_systems":2,"role":"uses","capacity_fte":1},"answers":[{"question":"q-quick-risk","level":null}]}"#,
            "/answers/0/level",
        ),
        (
            r#"{"mode":"quick","profile":{"size":"51-250","ai_systems":2,"role":"uses","capacity_fte":1},"score":99}"#,
            "/score",
        ),
    ];
    for (json, pointer) in cases {
        let e = AssessmentInput::from_json(json).unwrap_err();
        assert!(matches!(e.kind(), ProblemKind::Json { .. }), "{json}");
        assert_eq!(e.pointer(), pointer, "{json}: {e}");
    }
    let e = AssessmentInput::from_json(r#"{"mode":"quick""#).unwrap_err();
    assert!(e.to_string().contains("EOF"), "{e}");
}

#[test]
fn control_and_direction_override_characters_are_refused_in_justifications() {
    for (bad, code) in [
        ("We deploy none\u{0}", 0),
        ("Not used \u{202E}gnissecorp", 0x202E),
        ("escape \u{1b}[31m", 0x1B),
        ("isolate \u{2067}x", 0x2067),
        ("C1 \u{85} control", 0x85),
    ] {
        let mut i = input("full");
        i.answers
            .push(AnswerInput::not_applicable("q-a-6-2-5", bad));
        let (kind, pointer, message) = problem(&i);
        assert_eq!(
            kind,
            ProblemKind::ForbiddenCharacter { code_point: code },
            "{bad:?}"
        );
        assert_eq!(pointer, "/answers/0/justification");
        assert!(message.contains(&format!("U+{code:04X}")), "{message}");
    }
    // Line breaks and tabs are text.
    let mut i = input("full");
    i.answers.push(AnswerInput::not_applicable(
        "q-a-6-2-5",
        "We deploy no models:\r\n\t- all AI is bought\n- as SaaS",
    ));
    assert!(Bank::embedded().validate(&i).is_ok());
}

#[test]
fn lead_names_refuse_control_and_direction_override_characters() {
    for bad in [
        "Ada\u{0}",
        "Ada \u{202E}ecalovoL",
        "Ada\nLovelace",
        "Ada\u{2066}",
    ] {
        let lead = aims_engine::Lead {
            name: bad.into(),
            email: "ada@example.org".into(),
            company: Some(bad.into()),
            phone: Some(format!("+44 20 {bad}")),
            role: Some(bad.into()),
            consent: true,
            send_report: false,
        };
        let fields: Vec<_> = lead.problems().iter().map(|p| p.field).collect();
        assert_eq!(fields, ["name", "company", "phone", "role"], "{bad:?}");
    }
    assert!(!aims_engine::valid_email("ada\u{202E}@example.org"));
}

#[test]
fn phone_and_role_are_optional_and_checked_when_given() {
    let lead = |phone: &str, role: &str| aims_engine::Lead {
        name: "Ada".into(),
        email: "ada@example.org".into(),
        phone: Some(phone.into()),
        role: Some(role.into()),
        consent: true,
        ..Default::default()
    };
    let fields = |l: aims_engine::Lead| l.problems().iter().map(|p| p.field).collect::<Vec<_>>();
    assert!(fields(lead("", " ")).is_empty(), "empty means not given");
    assert!(fields(lead("+49 (30) 1234-5678", "Head of compliance")).is_empty());
    assert_eq!(fields(lead("0800 CALL NOW", "")), ["phone"]);
    assert_eq!(fields(lead("12 34", "")), ["phone"], "too few digits");
    assert_eq!(fields(lead(&"1".repeat(31), "")), ["phone"], "too long");
    assert_eq!(fields(lead("", &"r".repeat(101))), ["role"]);
}

#[test]
fn an_inventory_and_a_version_1_count_cannot_be_given_together() {
    let both = AssessmentInput::from_json(
        r#"{"mode":"quick","profile":{"size":"1-50","capacity_fte":1,"ai_systems":2,
            "systems":[{"name":"Chat","origin":"third_party","risk":"minimal"}]}}"#,
    )
    .unwrap();
    let (_, pointer, message) = problem(&both);
    assert_eq!(pointer, "/profile/ai_systems");
    assert!(message.contains("systems"), "{message}");
}

#[test]
fn every_system_needs_its_own_name_and_the_inventory_has_a_limit() {
    let read = |systems: &str| {
        AssessmentInput::from_json(&format!(
            r#"{{"mode":"full","profile":{{"size":"1-50","capacity_fte":1,"systems":{systems}}}}}"#
        ))
        .unwrap()
    };
    let unnamed = read(r#"[{"name":" ","origin":"in_house","risk":"high"}]"#);
    assert_eq!(problem(&unnamed).1, "/profile/systems/0/name");
    let twice = read(
        r#"[{"name":"A","origin":"in_house","risk":"high"},{"name":"A","origin":"third_party","risk":"minimal"}]"#,
    );
    assert_eq!(problem(&twice).1, "/profile/systems/1/name");
    let many: Vec<String> = (0..=aims_engine::MAX_AI_SYSTEMS)
        .map(|i| format!(r#"{{"name":"S{i}","origin":"third_party","risk":"minimal"}}"#))
        .collect();
    let too_many = read(&format!("[{}]", many.join(",")));
    assert_eq!(problem(&too_many).1, "/profile/systems");
    let bad_tier = AssessmentInput::from_json(
        r#"{"mode":"full","profile":{"size":"1-50","capacity_fte":1,"systems":[{"name":"A","origin":"in_house","risk":"extreme"}]}}"#,
    )
    .unwrap_err();
    assert_eq!(bad_tier.pointer(), "/profile/systems/0/risk");
}

#[test]
fn a_head_count_must_fall_inside_its_size_band() {
    let i = AssessmentInput::from_json(
        r#"{"mode":"quick","profile":{"size":"1-50","employees":80,"capacity_fte":1,"systems":[]}}"#,
    )
    .unwrap();
    let (_, pointer, message) = problem(&i);
    assert_eq!(pointer, "/profile/employees");
    assert!(message.contains("1-50"), "{message}");
}

#[test]
fn a_prohibited_practice_is_a_blocker_of_its_own() {
    let i = AssessmentInput::from_json(
        r#"{"mode":"quick","profile":{"size":"1-50","capacity_fte":1,"systems":[
            {"name":"Emotion scanner","origin":"third_party","risk":"prohibited"}]}}"#,
    )
    .unwrap();
    let e = aims_engine::Bank::embedded().evaluate_input(&i).unwrap();
    let gap = &e.result.gaps[0];
    assert_eq!(gap.severity, aims_engine::Severity::Blocker);
    assert_eq!(gap.system.as_deref(), Some("Emotion scanner"));
    assert!(gap.title.contains("Emotion scanner") && gap.explanation.is_some());
    assert!(
        e.roadmap.phases[0]
            .tasks
            .iter()
            .any(|t| t.title.contains("Emotion scanner"))
    );
}

#[test]
fn statement_document_fields_must_be_short_single_lines() {
    for (field, value) in [
        ("version", "\"\""),
        ("version", "\"   \""),
        ("version", "\"v1\\nsigned\""),
        ("approved_by", &format!("\"{}\"", "x".repeat(121))),
        ("approved_by", "\"Board\\u0007\""),
    ] {
        let json = format!(
            r#"{{"mode":"quick","profile":{{"size":"1-50","capacity_fte":1,"systems":[]}},"soa":{{"{field}":{value}}}}}"#
        );
        let i = AssessmentInput::from_json(&json).unwrap();
        let (kind, pointer, message) = problem(&i);
        assert!(
            matches!(kind, ProblemKind::InvalidSoa { field: f, .. } if f == field),
            "{value}: {kind:?}"
        );
        assert_eq!(pointer, format!("/soa/{field}"));
        assert!(message.contains(field), "{message}");
    }
    let err = AssessmentInput::from_json(
        r#"{"mode":"quick","profile":{"size":"1-50","capacity_fte":1},"soa":{"date":"2027-02-30"}}"#,
    )
    .unwrap_err();
    assert_eq!(err.pointer(), "/soa/date");
    let err = AssessmentInput::from_json(
        r#"{"mode":"quick","profile":{"size":"1-50","capacity_fte":1},"soa":{"signed":true}}"#,
    )
    .unwrap_err();
    assert!(err.to_string().contains("signed"), "{err}");
}
