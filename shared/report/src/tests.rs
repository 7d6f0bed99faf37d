use super::*;
use aims_engine::AnswerInput;
use std::borrow::Cow;

const STARTUP: &str = include_str!("../../tests/golden/startup-uses-third-party-ai.input.json");

fn startup() -> AssessmentInput {
    AssessmentInput::from_json(STARTUP).expect("the golden input parses")
}

/// Sets the justification of a "not applicable" answer.
fn justify(input: &mut AssessmentInput, question: &str, text: &str) {
    let answer = input
        .answers
        .iter_mut()
        .find(|a| a.question == question)
        .expect("question answered");
    *answer = AnswerInput::not_applicable(question, text);
}

fn evaluate(input: &AssessmentInput) -> Evaluation {
    Bank::embedded()
        .evaluate_input(input)
        .expect("the input is valid")
}

fn context<'a>(
    organisation: Option<&'a str>,
    input: &'a AssessmentInput,
    evaluation: &'a Evaluation,
) -> ReportContext<'a> {
    ReportContext {
        id: "0b6f2c1e-7d7a-4c1f-9a57-3f1f8a2d9e10",
        created_at: "2027-01-04T09:30:00Z",
        organisation,
        bank: Bank::embedded(),
        input,
        evaluation,
    }
}

fn parse_csv(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = ::csv::Reader::from_reader(text.as_bytes());
    let header = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.expect("record").iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

#[test]
fn escapes_markdown_special_characters() {
    let m = markdown::escape;
    assert_eq!(
        m("a|b\\c*d_e`f<g>h[i](j)"),
        "a\\|b\\\\c\\*d\\_e\\`f\\<g\\>h\\[i\\](j)"
    );
    assert_eq!(m("one\r\ntwo\nthree\rfour"), "one two three four");
    assert_eq!(m("# heading"), "\\# heading");
    assert!(matches!(m("Acme Ltd"), Cow::Borrowed(_)));
}

#[test]
fn csv_cells_cannot_start_formulas() {
    let c = csv::cell;
    assert_eq!(c("=1+1"), "'=1+1");
    assert_eq!(c("+1"), "'+1");
    assert_eq!(c("-2"), "'-2");
    assert_eq!(c("@SUM(A1)"), "'@SUM(A1)");
    assert_eq!(c("\tx"), "'\tx");
    assert_eq!(c("\rx"), "'\rx");
    assert_eq!(c("a=b"), "a=b");
    assert_eq!(c(""), "");
    assert!(matches!(c("Acme, Inc."), Cow::Borrowed(_)));
    // Where a spreadsheet splitting on `;`, `,` or a tab would start a cell, too.
    assert_eq!(
        c("Bob;=2+5+cmd|' /C calc'!A0"),
        "Bob;'=2+5+cmd|' /C calc'!A0"
    );
    assert_eq!(c("a, -1;  @x\t+y"), "a, '-1;  '@x\t'+y");
    assert_eq!(c("  =1"), "'  =1");
    assert_eq!(c("list:\n- one\n- two"), "list:\n- one\n- two");
}

#[test]
fn csv_rows_quote_every_cell_a_spreadsheet_could_split() {
    let mut out = String::new();
    let cells = [
        "Bob;=2",
        "tab\there",
        "a,b",
        "say \"hi\"",
        "two\nlines",
        "plain",
    ];
    csv::write_row(&mut out, &cells);
    assert_eq!(
        out,
        "\"Bob;'=2\",\"tab\there\",\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",plain\r\n"
    );
}

#[test]
fn csv_cells_are_safe_for_any_text() {
    // Every character that matters, in every order up to four long: no cell, split at
    // any separator, starts a formula, and only apostrophes were added.
    let alphabet = [
        '=', '+', '-', '@', ',', ';', '\t', '\r', '\n', ' ', 'a', '\'',
    ];
    let mut texts = vec![String::new()];
    for _ in 0..4 {
        let longer: Vec<String> = texts
            .iter()
            .flat_map(|t| alphabet.iter().map(move |c| format!("{t}{c}")))
            .collect();
        texts.extend(longer);
    }
    texts.sort();
    texts.dedup();
    let formula = |s: &str| s.trim_start_matches(' ').starts_with(['=', '+', '-', '@']);
    for text in &texts {
        let cell = csv::cell(text);
        assert!(!cell.starts_with(['\t', '\r']), "{text:?} -> {cell:?}");
        assert!(!formula(&cell), "{text:?} -> {cell:?}");
        for part in cell.split([',', ';', '\t']).skip(1) {
            assert!(!formula(part), "{text:?} -> {cell:?}");
        }
        assert_eq!(cell.replace('\'', ""), text.replace('\'', ""), "{text:?}");
    }
}

#[test]
fn the_report_has_every_section_phase_and_step() {
    let input = startup();
    let evaluation = evaluate(&input);
    let doc = gap_report(&context(Some("  Acme Ltd "), &input, &evaluation));
    assert_eq!(doc.organisation, "Acme Ltd");
    let headings: Vec<&str> = doc.sections.iter().map(|s| s.heading).collect();
    assert_eq!(
        headings,
        [
            "Organisation profile",
            "Readiness",
            "Top gaps",
            "Statement of Applicability",
            "Estimate",
            "Roadmap",
            "Years 1–3 after certification"
        ]
    );
    let roadmap = doc
        .sections
        .iter()
        .find(|s| s.heading == "Roadmap")
        .expect("roadmap");
    let phases: Vec<&str> = roadmap.parts.iter().map(|p| &*p.heading).collect();
    assert_eq!(
        phases,
        [
            "Phase 1: Planning & Scoping",
            "Phase 2: Gap Assessment & Risk Baseline",
            "Phase 3: Policy & Governance",
            "Phase 4: Operationalizing Controls",
            "Phase 5: Internal Audit & Readiness",
            "Phase 6: Certification & Continuous Improvement",
        ]
    );
    let md = markdown::render(&doc);
    assert!(md.starts_with("# Gap Analysis Report — ISO/IEC 42001 readiness\n\n**Acme Ltd**\n"));
    assert!(md.contains("- Date: 2027-01-04\n"));
    assert!(md.contains("| Size | 1–50 people |"));
    assert!(md.contains("Compliance & Legal"));
    assert!(md.contains("2027-01-04 – "));
    for x in &evaluation.estimate.explain {
        assert!(md.contains(&*markdown::escape(&x.text)), "{}", x.text);
    }
    assert!(md.contains("not an audit"));
}

#[test]
fn reports_without_a_start_date_show_week_offsets() {
    let mut input = startup();
    input.profile.start_date = None;
    let evaluation = evaluate(&input);
    let md = markdown::render(&gap_report(&context(None, &input, &evaluation)));
    assert!(md.contains("week 0 – week "));
    assert!(md.contains("**Your organisation**"));
}

#[test]
fn markdown_escapes_hostile_organisation_and_justification() {
    let mut input = startup();
    justify(&mut input, "q-a-6-1-2", "<script>alert(2)</script> | *x*");
    let evaluation = evaluate(&input);
    let ctx = context(
        Some("Acme | Evil [click](https://evil.example) <b>"),
        &input,
        &evaluation,
    );
    let md = markdown::render(&gap_report(&ctx));
    assert!(md.contains("Acme \\| Evil \\[click\\](https://evil.example) \\<b\\>"));
    assert!(md.contains("\\<script\\>alert(2)\\</script\\> \\| \\*x\\*"));
    assert!(!md.contains("Acme | Evil"));
    assert!(!md.contains("<b>") && !md.contains("<script>"));
}

#[test]
fn statement_of_applicability_lists_every_annex_a_control() {
    let input = startup();
    let evaluation = evaluate(&input);
    let soa = statement_of_applicability(&context(None, &input, &evaluation));
    let (header, rows) = parse_csv(&csv::render(&soa));

    assert_eq!(
        header,
        [
            "control",
            "title",
            "objective",
            "included",
            "justification",
            "status",
            "score",
            "gap_severity",
            "systems",
            "owner",
            "evidence",
            "question",
            "version",
            "date",
            "approved_by"
        ]
    );
    assert_eq!(rows.len(), 38);
    let annex: Vec<&str> = Bank::embedded()
        .data()
        .requirements
        .iter()
        .map(|r| r.id.as_str())
        .filter(|id| id.starts_with("A."))
        .collect();
    let controls: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(controls, annex, "bank order");

    let excluded: Vec<(&str, &str)> = input
        .answers
        .iter()
        .filter_map(|a| Some((a.question.as_str(), a.justification.as_deref()?)))
        .collect();
    assert_eq!(excluded.len(), 8);
    for (question, justification) in excluded {
        let refs = &Bank::embedded().question(question).expect("question").refs;
        for control in refs {
            let row = rows.iter().find(|r| &r[0] == control).expect("row");
            assert_eq!(
                &row[3..9],
                ["no", justification, "not_applicable", "", "", ""]
            );
            assert_eq!(row[11], question);
        }
    }
    let a22 = rows.iter().find(|r| r[0] == "A.2.2").expect("A.2.2");
    assert_eq!(a22[2], "A.2 Policies related to AI");
    let score = evaluation
        .result
        .requirements
        .iter()
        .find(|r| r.id == "A.2.2");
    let score = score.and_then(|r| r.score).expect("A.2.2 is scored");
    assert_eq!(&a22[3], "yes");
    assert!(a22[4].contains("clause 5.2"), "{}", a22[4]);
    assert_eq!(&a22[5..8], ["1", &score.to_string(), "blocker"]);
    assert_eq!(a22[9], "Leadership");
    assert!(
        !a22[10].is_empty() && !a22[10].starts_with("Evidence"),
        "{}",
        a22[10]
    );
    // An unsigned draft, dated the day of the export.
    for row in &rows {
        assert_eq!(&row[12..], ["draft", "2027-01-04", ""]);
    }
}

#[test]
fn the_statement_carries_the_systems_and_the_document_fields_it_is_given() {
    let mut input = AssessmentInput::from_json(
        r#"{"mode":"full","profile":{"size":"51-250","capacity_fte":1,"systems":[
            {"name":"Claims triage","origin":"third_party","customisation":"rag","offered_to_customers":false,"risk":"high"},
            {"name":"Quote bot","origin":"in_house","offered_to_customers":true,"risk":"limited"}]},
           "soa":{"version":"1.2","date":"2027-03-01","approved_by":"Chief Executive"}}"#,
    )
    .expect("valid input");
    input.answers.push(AnswerInput::level("q-a-10-4", 4));
    let evaluation = evaluate(&input);
    let ctx = context(None, &input, &evaluation);
    let (_, rows) = parse_csv(&csv::render(&statement_of_applicability(&ctx)));
    let row = |control: &str| rows.iter().find(|r| r[0] == control).expect("row").clone();
    for r in &rows {
        assert_eq!(&r[12..], ["1.2", "2027-03-01", "Chief Executive"]);
    }
    // Development controls name only the system built in-house.
    let a612 = row("A.6.1.2");
    assert_eq!(a612[8], "Quote bot");
    assert!(a612[4].contains("Quote bot") && !a612[4].contains("Claims triage"));
    // Data controls: the retrieval system and the in-house one.
    assert_eq!(row("A.7.4")[8], "Claims triage; Quote bot");
    // A high-risk system adds the EU AI Act duty behind the control.
    assert!(row("A.6.2.6")[4].contains("Claims triage") && row("A.6.2.6")[4].contains("Art. 72"));
    // Measured and improving: no gap.
    assert_eq!(&row("A.10.4")[5], "4");
    assert_eq!(&row("A.10.4")[7], "");

    let md = markdown::render(&gap_report(&ctx));
    assert!(md.contains("## Statement of Applicability"));
    assert!(md.contains("Chief Executive"));
}

#[test]
fn formulas_in_justifications_are_neutralised() {
    let formula = r#"=HYPERLINK("https://evil.example","Click, here")"#;
    let mut input = startup();
    justify(&mut input, "q-a-7-2", formula);
    let evaluation = evaluate(&input);
    let soa = statement_of_applicability(&context(None, &input, &evaluation));
    let (_, rows) = parse_csv(&csv::render(&soa));
    let row = rows.iter().find(|r| r[0] == "A.7.2").expect("A.7.2");
    assert_eq!(row[4], format!("'{formula}"));
}

#[test]
fn control_register_lists_every_full_question() {
    let input = startup();
    let evaluation = evaluate(&input);
    let register = control_register(&context(None, &input, &evaluation));
    let (header, rows) = parse_csv(&csv::render(&register));

    assert_eq!(
        header,
        [
            "question",
            "requirements",
            "title",
            "owner",
            "phase",
            "status",
            "severity",
            "action",
            "task",
            "deliverable",
            "effort_days_likely",
            "evidence_examples"
        ]
    );
    assert_eq!(rows.len(), 62);

    let row = |id: &str| rows.iter().find(|r| r[0] == id).expect("row").clone();
    let question = Bank::embedded().question("q-6-1-2").expect("question");
    let risk = row("q-6-1-2");
    assert_eq!(risk[1], "6.1.2 8.2");
    assert_eq!(risk[3], "Compliance & Legal");
    assert_eq!(risk[4], "2");
    assert_eq!(&risk[5..8], ["0", "blocker", "establish"]);
    assert_eq!(risk[8], question.task.as_deref().expect("task"));
    assert_ne!(risk[10], "0", "an open blocker has effort");
    assert_eq!(risk[11], question.help);

    let excluded = row("q-a-6-1-2");
    assert_eq!(&excluded[5..8], ["not_applicable", "", "maintain"]);
    assert_eq!(excluded[10], "0");
}

#[test]
fn quick_assessments_render_too() {
    let input = AssessmentInput::from_json(
        r#"{"mode":"quick","profile":{"size":"51-250","ai_systems":3,"role":"develops",
            "capacity_fte":1.5},"answers":[{"question":"q-quick-context","level":3}]}"#,
    )
    .expect("valid");
    let evaluation = evaluate(&input);
    let ctx = context(Some("Acme"), &input, &evaluation);
    assert!(markdown::render(&gap_report(&ctx)).contains("- Mode: Quick quiz\n"));
    assert_eq!(statement_of_applicability(&ctx).rows.len(), 38);
    assert_eq!(control_register(&ctx).rows.len(), 62);
}
