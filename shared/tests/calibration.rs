//! Calibration: organisations common in practice, each checked against the time to
//! certification that published sources give for its kind (`docs/METHOD.md`, section 10).
//!
//! `cargo test -p aims-engine --test calibration -- --nocapture` prints the table.
#![forbid(unsafe_code)]

use aims_engine::{
    AiSystem, AnswerInput, AssessmentInput, Bank, Customisation, Evaluation, Framework, Mode,
    Origin, Profile, RiskTier, Size,
};

/// One kind of organisation, with the published range of weeks to certification.
struct Archetype {
    name: &'static str,
    size: Size,
    employees: u32,
    sector: &'static str,
    frameworks: &'static [Framework],
    fte: f64,
    systems: Vec<AiSystem>,
    /// The level of every answer, by question ID.
    answers: fn(&str) -> u8,
    /// Published weeks to certification for this kind: the likely figure must fall inside.
    published: (u32, u32),
    source: &'static str,
}

fn system(name: &str, origin: Origin, c: Customisation, offered: bool, risk: RiskTier) -> AiSystem {
    AiSystem {
        customisation: c,
        offered_to_customers: offered,
        ..AiSystem::new(name, origin, risk)
    }
}

fn saas(name: &str) -> AiSystem {
    system(
        name,
        Origin::ThirdParty,
        Customisation::Prompting,
        false,
        RiskTier::Minimal,
    )
}

fn model(name: &str, risk: RiskTier) -> AiSystem {
    system(name, Origin::InHouse, Customisation::None, true, risk)
}

/// Nothing formal yet: practices exist here and there (level 1).
fn from_scratch(_: &str) -> u8 {
    1
}

/// A working management system close to ready: implemented, a few things only documented.
fn close_to_ready(q: &str) -> u8 {
    match q {
        "q-9-2" | "q-9-3" | "q-a-5-5" | "q-a-8-3" | "q-6-1-4" => 2,
        _ => 3,
    }
}

/// Policies and roles written, risk work started, little operating yet.
fn documented(q: &str) -> u8 {
    if q.starts_with("q-4") || q.starts_with("q-5") || q.starts_with("q-a-2") {
        2
    } else {
        1
    }
}

use Framework::{EuAiAct, Gdpr, Iso9001, Iso27001, NistAiRmf, Soc2};

fn archetypes() -> Vec<Archetype> {
    let plain = |n: usize, prefix: &str| -> Vec<AiSystem> {
        (1..=n).map(|i| saas(&format!("{prefix} {i}"))).collect()
    };
    vec![
        Archetype {
            name: "Small firm using two SaaS assistants",
            size: Size::UpTo50,
            employees: 20,
            sector: "professional_services",
            frameworks: &[Gdpr],
            fte: 0.5,
            systems: plain(2, "Assistant"),
            answers: from_scratch,
            published: (13, 26),
            source: "small organisations, narrow scope: 3-6 months",
        },
        Archetype {
            name: "Eight-person agency, one SaaS tool",
            size: Size::UpTo50,
            employees: 8,
            sector: "other",
            frameworks: &[],
            fte: 0.4,
            systems: plain(1, "Writing assistant"),
            answers: from_scratch,
            published: (13, 26),
            source: "small organisations, narrow scope: 3-6 months",
        },
        Archetype {
            name: "AI-native start-up, three models of its own",
            size: Size::UpTo50,
            employees: 20,
            sector: "technology",
            frameworks: &[],
            fte: 0.5,
            systems: vec![
                model("Ranking model", RiskTier::Minimal),
                model("Support chatbot", RiskTier::Limited),
                model("Document parser", RiskTier::Minimal),
            ],
            answers: from_scratch,
            published: (13, 39),
            source: "small organisations: 3-6 months; hicomply 3-9",
        },
        Archetype {
            name: "Public agency using two SaaS tools",
            size: Size::UpTo1000,
            employees: 300,
            sector: "public_sector",
            frameworks: &[Gdpr],
            fte: 0.5,
            systems: vec![
                saas("Meeting summaries"),
                system(
                    "Citizen enquiry drafting",
                    Origin::ThirdParty,
                    Customisation::Rag,
                    false,
                    RiskTier::Limited,
                ),
            ],
            answers: from_scratch,
            published: (26, 52),
            source: "deployers need far less than providers; 6-12 months (Cycore 4-12)",
        },
        Archetype {
            name: "Scale-up with ISO/IEC 27001, builds one model, deploys two",
            size: Size::UpTo250,
            employees: 150,
            sector: "technology",
            frameworks: &[Iso27001, Gdpr],
            fte: 1.0,
            systems: vec![
                model("Fraud scoring", RiskTier::Limited),
                system(
                    "Sales assistant",
                    Origin::ThirdParty,
                    Customisation::Rag,
                    false,
                    RiskTier::Minimal,
                ),
                saas("Code assistant"),
            ],
            answers: from_scratch,
            published: (26, 39),
            source: "6-9 months with a mature ISO/IEC 27001 system",
        },
        Archetype {
            name: "The same scale-up without ISO/IEC 27001",
            size: Size::UpTo250,
            employees: 150,
            sector: "technology",
            frameworks: &[Gdpr],
            fte: 1.0,
            systems: vec![
                model("Fraud scoring", RiskTier::Limited),
                system(
                    "Sales assistant",
                    Origin::ThirdParty,
                    Customisation::Rag,
                    false,
                    RiskTier::Minimal,
                ),
                saas("Code assistant"),
            ],
            answers: from_scratch,
            published: (39, 65),
            source: "9-15 months from scratch",
        },
        Archetype {
            name: "200-person firm from a standing start",
            size: Size::UpTo250,
            employees: 200,
            sector: "retail",
            frameworks: &[],
            fte: 1.0,
            systems: vec![
                model("Demand forecast", RiskTier::Minimal),
                system(
                    "Product copy",
                    Origin::ThirdParty,
                    Customisation::FineTuning,
                    true,
                    RiskTier::Limited,
                ),
                saas("Service desk assistant"),
                saas("Office assistant"),
            ],
            answers: from_scratch,
            published: (39, 78),
            source: "a 200-person firm from a standing start: 9-18 months",
        },
        Archetype {
            name: "Bank with ISO/IEC 27001 and high-risk credit scoring",
            size: Size::Over1000,
            employees: 2000,
            sector: "finance",
            frameworks: &[Iso27001, Gdpr, Soc2],
            fte: 3.0,
            systems: {
                let mut s = vec![
                    model("Credit scoring", RiskTier::High),
                    model("Transaction monitoring", RiskTier::High),
                    model("Customer chatbot", RiskTier::Limited),
                ];
                s.extend(plain(5, "Productivity tool"));
                s
            },
            answers: documented,
            published: (26, 78),
            source: "6-18 months (iso42001consultant.com)",
        },
        Archetype {
            name: "Mature organisation close to ready",
            size: Size::UpTo1000,
            employees: 250 + 50,
            sector: "technology",
            frameworks: &[Iso27001, NistAiRmf, Gdpr],
            fte: 0.75,
            systems: vec![
                model("Recommendation engine", RiskTier::Minimal),
                saas("Code assistant"),
            ],
            answers: close_to_ready,
            published: (10, 16),
            source: "mature firms with 0.5-1 FTE: about 90 days; 10-12 weeks is the floor",
        },
        Archetype {
            name: "Hospital group providing a high-risk triage model",
            size: Size::UpTo1000,
            employees: 800,
            sector: "healthcare",
            frameworks: &[Iso27001, Gdpr, EuAiAct],
            fte: 2.0,
            systems: vec![
                model("Triage model", RiskTier::High),
                saas("Clinical notes assistant"),
            ],
            answers: from_scratch,
            published: (26, 52),
            source: "6-9 months with ISO/IEC 27001, up to 12 for high-risk providers",
        },
        Archetype {
            name: "Consultancy with ISO 9001 using SaaS AI",
            size: Size::UpTo250,
            employees: 60,
            sector: "professional_services",
            frameworks: &[Iso9001, Gdpr],
            fte: 0.5,
            systems: plain(3, "Research assistant"),
            answers: from_scratch,
            published: (17, 39),
            source: "4-9 months (hicomply 3-9, Cycore 4-12)",
        },
        Archetype {
            name: "Manufacturer with ISO 9001, a fine-tuned vision model",
            size: Size::UpTo1000,
            employees: 400,
            sector: "manufacturing",
            frameworks: &[Iso9001],
            fte: 1.0,
            systems: vec![
                system(
                    "Defect detection",
                    Origin::ThirdParty,
                    Customisation::FineTuning,
                    false,
                    RiskTier::Minimal,
                ),
                model("Maintenance forecast", RiskTier::Minimal),
            ],
            answers: from_scratch,
            published: (26, 52),
            source: "6-9 months with ISO 9001, 9-15 from scratch",
        },
        Archetype {
            name: "Enterprise with forty systems, from scratch",
            size: Size::Over1000,
            employees: 5000,
            sector: "telecom",
            frameworks: &[Gdpr],
            fte: 2.0,
            systems: {
                let mut s: Vec<AiSystem> = (1..=10)
                    .map(|i| model(&format!("Network model {i}"), RiskTier::Minimal))
                    .collect();
                s.push(model("Customer eligibility", RiskTier::High));
                s.extend(plain(29, "Business tool"));
                s
            },
            answers: from_scratch,
            published: (52, 78),
            source: "large enterprise from scratch: 15-18 months (iso42001consultant.com), 12-18 (regulome)",
        },
    ]
}

fn evaluate(a: &Archetype) -> Evaluation {
    evaluate_with(Bank::embedded(), a)
}

fn evaluate_with(bank: &Bank, a: &Archetype) -> Evaluation {
    let profile = Profile {
        employees: Some(a.employees),
        sector: a.sector.to_string(),
        frameworks: a.frameworks.to_vec(),
        ..Profile::new(a.size, a.fte, a.systems.clone())
    };
    // The organisation accepts what its inventory proposes as not applicable.
    let proposed = bank.proposed_not_applicable(&a.systems, Mode::Full);
    let answers = bank
        .questions(Mode::Full)
        .map(|q| {
            let qi = bank.question_index(&q.id).unwrap();
            match proposed.iter().find(|(i, _)| *i == qi) {
                Some((_, why)) => AnswerInput::not_applicable(&q.id, why),
                None => AnswerInput::level(&q.id, (a.answers)(&q.id)),
            }
        })
        .collect();
    let input = AssessmentInput {
        mode: Mode::Full,
        bank_version: None,
        profile,
        answers,
        soa: None,
    };
    bank.evaluate_input(&input).unwrap()
}

#[test]
fn every_archetype_lands_in_its_published_range() {
    let mut failures = Vec::new();
    println!(
        "| archetype | effort days (low/likely/high) | weeks to certification (low/likely/high) | published | source |"
    );
    println!("|---|---|---|---|---|");
    for a in archetypes() {
        let e = evaluate(&a).estimate;
        let (d, w) = (e.effort_days, e.weeks_to_certification);
        println!(
            "| {} | {}/{}/{} | {}/{}/{} | {}-{} | {} |",
            a.name,
            d.low,
            d.likely,
            d.high,
            w.low,
            w.likely,
            w.high,
            a.published.0,
            a.published.1,
            a.source
        );
        if !(a.published.0..=a.published.1).contains(&w.likely) {
            failures.push(format!(
                "{}: {} weeks, published {}-{}",
                a.name, w.likely, a.published.0, a.published.1
            ));
        }
    }
    assert!(archetypes().len() >= 12);
    assert!(
        failures.is_empty(),
        "outside the published range: {failures:#?}"
    );
}

#[test]
fn iso_27001_shortens_a_mid_size_programme_by_30_to_40_percent() {
    let all = archetypes();
    let with = evaluate(&all[4]).estimate;
    let without = evaluate(&all[5]).estimate;
    let saved = 1.0 - f64::from(with.effort_days.likely) / f64::from(without.effort_days.likely);
    assert!(
        (0.30..=0.40).contains(&saved),
        "ISO/IEC 27001 saves {:.0} % of the effort",
        saved * 100.0
    );
    let weeks = 1.0
        - f64::from(with.weeks_to_certification.likely)
            / f64::from(without.weeks_to_certification.likely);
    assert!(
        (0.25..=0.45).contains(&weeks),
        "ISO/IEC 27001 saves {:.0} % of the calendar",
        weeks * 100.0
    );
}

#[test]
fn an_organisation_that_only_deploys_needs_about_half_the_work_of_one_that_builds() {
    // ISO/IEC 42006 gives about 3.5 auditor-days for one role against 6.5 for several.
    let mut a = archetypes().remove(4);
    a.frameworks = &[];
    let builds = evaluate(&a).estimate.effort_days.likely;
    a.systems = (1..=3).map(|i| saas(&format!("Tool {i}"))).collect();
    let deploys = evaluate(&a).estimate.effort_days.likely;
    let ratio = f64::from(deploys) / f64::from(builds);
    assert!(
        (0.4..=0.7).contains(&ratio),
        "deploying costs {:.0} % of building",
        ratio * 100.0
    );
}

#[test]
fn head_count_moves_the_effort_without_steps() {
    let mut a = archetypes().remove(5);
    let mut last = None;
    for employees in [48u32, 49, 50, 51, 52] {
        a.employees = employees;
        a.size = if employees <= 50 {
            Size::UpTo50
        } else {
            Size::UpTo250
        };
        let days = f64::from(evaluate(&a).estimate.effort_days.likely);
        if let Some(previous) = last {
            assert!(days >= previous, "{employees} people cost less than fewer");
            assert!(
                days <= previous * 1.03,
                "{employees} people cost {days} days against {previous}: a step"
            );
        }
        last = Some(days);
    }
}

/// The sensitivity table of `docs/METHOD.md`: how far weeks to certification (likely)
/// move when one assumption is 20 % higher. Run with
/// `cargo test -p aims-engine --test calibration sensitivity -- --ignored --nocapture`.
#[test]
#[ignore = "prints the table for the method document"]
fn sensitivity() {
    type Change = fn(&mut aims_engine::BankData);
    let changes: [(&str, Change); 7] = [
        ("productive days per FTE week", |d| {
            d.model.days_per_fte_week *= 1.2
        }),
        ("organisation-wide weights", |d| {
            for q in &mut d.questions {
                if let Some(e) = &mut q.effort_days {
                    *e *= 1.2;
                }
            }
        }),
        ("per-system weights", |d| {
            for q in &mut d.questions {
                q.per_system_days *= 1.2;
            }
        }),
        ("share of each further system", |d| {
            d.model.systems.additional_share *= 1.2
        }),
        ("deployer role factor", |d| d.model.roles.deployer *= 1.2),
        ("operating period", |d| {
            let o = &mut d.model.operating_period_weeks;
            (o.low, o.likely, o.high) = (o.low * 1.2, o.likely * 1.2, o.high * 1.2);
        }),
        ("phase lead times", |d| {
            for p in &mut d.model.phases {
                let w = &mut p.min_weeks;
                (w.low, w.likely, w.high) = (w.low * 1.2, w.likely * 1.2, w.high * 1.2);
            }
        }),
    ];
    let weeks = |bank: &Bank, a: &Archetype| {
        f64::from(
            evaluate_with(bank, a)
                .estimate
                .weeks_to_certification
                .likely,
        )
    };
    let base = Bank::embedded();
    print!("| archetype |");
    for (name, _) in &changes {
        print!(" {name} +20 % |");
    }
    println!("\n|---|{}", "---|".repeat(changes.len()));
    for a in archetypes() {
        let before = weeks(base, &a);
        print!("| {} ({before} weeks) |", a.name);
        for (_, change) in &changes {
            let mut data = base.data().clone();
            change(&mut data);
            let bank = Bank::new(data).unwrap();
            let after = weeks(&bank, &a);
            print!(" {:+.0} % |", (after / before - 1.0) * 100.0);
        }
        println!();
    }
}
