//! Reading a question bank without serde: the browser's `JSON.parse` builds the value and
//! this module takes it apart into the engine's [`BankData`].
//!
//! serde's generated readers for the bank's eighteen types were a large part of the
//! widget's download (the README has the figures); this reader is a fraction of that. The engine's serde reader stays the reference: the component tests read
//! banks both ways and compare, and the server only serves banks that serde accepted at
//! start. Where serde has a default (`Option` fields, `per_system`, `risk_sensitive`), so
//! does this reader; unknown fields are left alone.

use crate::json::{self, Node, Read};
use aims_engine::{
    AfterCertification, Applicability, AppliesBecause, Bands, Bank, BankData, CallToAction, Credit,
    FrameworkData, Group, Model, PerCustomisation, PerRisk, PerSize, PhaseAdvice, PhaseModel,
    PilotFirst, ProhibitedModel, Question, Requirement, RoleModel, Sector, Site, SizeModel,
    SoaModel, Source, Spread, SystemModel, Uncertainty,
};

/// The bank shipped with the engine, read once by this module.
pub fn embedded() -> &'static Bank {
    Bank::embedded_with(|json| read(json).expect("the embedded bank is validated by its tests"))
}

/// Reads bank data from JSON text. The engine's `Bank::new` then builds its indexes (the rules are checked by the server, and by the tests for the embedded bank).
pub fn read(json: &str) -> Read<BankData> {
    json::read(json, bank)
}

fn spread(n: Node) -> Spread {
    Spread {
        low: n.field("low").number(),
        likely: n.field("likely").number(),
        high: n.field("high").number(),
    }
}

fn group(n: Node) -> Group {
    Group {
        id: n.field("id").string(),
        title: n.field("title").string(),
        kind: n.field("kind").named(),
        soa_reason: n.field("soa_reason").optional(Node::string),
    }
}

fn requirement(n: Node) -> Requirement {
    Requirement {
        id: n.field("id").string(),
        title: n.field("title").string(),
        group: n.field("group").string(),
        restates: n.field("restates").optional(Node::string),
    }
}

fn question(n: Node) -> Question {
    Question {
        id: n.field("id").string(),
        refs: n.field("refs").strings(),
        quick: n.field("quick").boolean(),
        title: n.field("title").string(),
        text: n.field("text").string(),
        help: n.field("help").string(),
        phase: n.field("phase").optional(Node::small),
        owner: n.field("owner").optional(Node::named),
        effort_days: n.field("effort_days").optional(Node::number),
        per_system_days: n.field("per_system_days").or(0.0, Node::number),
        risk_sensitive: n.field("risk_sensitive").or(false, Node::boolean),
        records: n.field("records").or(false, Node::boolean),
        task: n.field("task").optional(Node::string),
        deliverable: n.field("deliverable").optional(Node::string),
        after: n.field("after").or(Vec::new(), Node::strings),
        applicability: n.field("applicability").optional(|a| Applicability {
            applies_when: a.field("applies_when").named(),
            justification: a.field("justification").string(),
        }),
    }
}

fn framework_data(n: Node) -> FrameworkData {
    FrameworkData {
        id: n.field("id").named(),
        name: n.field("name").string(),
        credits: n.field("credits").list(|c| Credit {
            refs: c.field("refs").strings(),
            share: c.field("share").number(),
            basis: c.field("basis").string(),
            source: c.field("source").string(),
        }),
        advice: n.field("advice").list(|a| PhaseAdvice {
            phase: a.field("phase").small(),
            text: a.field("text").string(),
        }),
    }
}

fn sector(n: Node) -> Sector {
    Sector {
        id: n.field("id").string(),
        name: n.field("name").string(),
        factor: n.field("factor").number(),
    }
}

fn phase(n: Node) -> PhaseModel {
    PhaseModel {
        number: n.field("number").small(),
        name: n.field("name").string(),
        purpose: n.field("purpose").string(),
        owner: n.field("owner").named(),
        fixed_effort_days: n.field("fixed_effort_days").number(),
        min_weeks: spread(n.field("min_weeks")),
        lead_time_when_open: n.field("lead_time_when_open").or(false, Node::boolean),
        min_weeks_basis: n.field("min_weeks_basis").string(),
        standard_tasks: n.field("standard_tasks").strings(),
        deliverables: n.field("deliverables").strings(),
    }
}

fn model(n: Node) -> Model {
    let bands = n.field("bands");
    let size = n.field("size");
    let sizes = size.field("band_employees");
    let roles = n.field("roles");
    let systems = n.field("systems");
    let third = systems.field("third_party");
    let risk = systems.field("risk");
    let prohibited = n.field("prohibited");
    let after = n.field("after_certification");
    let uncertainty = n.field("uncertainty");
    let pilot = n.field("pilot_first");
    let soa = n.field("soa");
    let because = soa.field("applies_because");
    Model {
        level_points: n.field("level_points").five(Node::number),
        severity_by_level: n
            .field("severity_by_level")
            .five(|s| s.optional(Node::named)),
        bands: Bands {
            developing: bands.field("developing").number(),
            advanced: bands.field("advanced").number(),
            audit_ready: bands.field("audit_ready").number(),
        },
        size: SizeModel {
            band_employees: PerSize {
                up_to_50: sizes.field("1-50").number(),
                up_to_250: sizes.field("51-250").number(),
                up_to_1000: sizes.field("251-1000").number(),
                over_1000: sizes.field("1001+").number(),
            },
            curve: size
                .field("curve")
                .list(|p| p.exactly(Node::number, "[employees, factor]")),
            source: size.field("source").string(),
        },
        roles: RoleModel {
            deployer: roles.field("deployer").number(),
            producer: roles.field("producer").number(),
            several: roles.field("several").number(),
            source: roles.field("source").string(),
        },
        systems: SystemModel {
            in_house: systems.field("in_house").number(),
            third_party: PerCustomisation {
                none: third.field("none").number(),
                prompting: third.field("prompting").number(),
                rag: third.field("rag").number(),
                fine_tuning: third.field("fine_tuning").number(),
            },
            risk: PerRisk {
                prohibited: risk.field("prohibited").number(),
                high: risk.field("high").number(),
                limited: risk.field("limited").number(),
                minimal: risk.field("minimal").number(),
            },
            offered: systems.field("offered").number(),
            additional_share: systems.field("additional_share").number(),
            source: systems.field("source").string(),
        },
        prohibited: ProhibitedModel {
            title: prohibited.field("title").string(),
            explanation: prohibited.field("explanation").string(),
            effort_days: prohibited.field("effort_days").number(),
        },
        max_credit: n.field("max_credit").number(),
        unknown_followup_days: n.field("unknown_followup_days").number(),
        days_per_fte_week: n.field("days_per_fte_week").number(),
        days_per_fte_week_source: n.field("days_per_fte_week_source").string(),
        operating_period_weeks: spread(n.field("operating_period_weeks")),
        uncertainty: Uncertainty {
            answered_low: uncertainty.field("answered_low").number(),
            answered_high: uncertainty.field("answered_high").number(),
            unknown_low_level: uncertainty.field("unknown_low_level").small(),
            unknown_high: uncertainty.field("unknown_high").number(),
            quick_low: uncertainty.field("quick_low").number(),
            quick_high: uncertainty.field("quick_high").number(),
        },
        pilot_first: PilotFirst {
            min_systems: pilot.field("min_systems").whole(u32::MAX),
            task: pilot.field("task").string(),
            advice: pilot.field("advice").string(),
        },
        phases: n.field("phases").list(phase),
        after_certification: AfterCertification {
            years: after.field("years").list(Node::strings),
            base_fte: after.field("base_fte").number(),
            per_system_fte: after.field("per_system_fte").number(),
            source: after.field("source").string(),
        },
        soa: SoaModel {
            draft_version: soa.field("draft_version").string(),
            restated: soa.field("restated").string(),
            chosen: soa.field("chosen").string(),
            high_risk: soa.field("high_risk").string(),
            applies_because: AppliesBecause {
                develops: because.field("develops").string(),
                prepares_data: because.field("prepares_data").string(),
                offers: because.field("offers").string(),
                informs_users: because.field("informs_users").string(),
                affects_others: because.field("affects_others").string(),
            },
        },
    }
}

fn bank(n: Node) -> BankData {
    n.object();
    BankData {
        id: n.field("id").string(),
        version: n.field("version").string(),
        accepts_versions: n.field("accepts_versions").or(Vec::new(), Node::strings),
        title: n.field("title").string(),
        groups: n.field("groups").list(group),
        requirements: n.field("requirements").list(requirement),
        questions: n.field("questions").list(question),
        frameworks: n.field("frameworks").list(framework_data),
        sectors: n.field("sectors").list(sector),
        sources: n.field("sources").list(|s| Source {
            id: s.field("id").string(),
            title: s.field("title").string(),
            url: s.field("url").optional(Node::string),
        }),
        model: model(n.field("model")),
        site: n.field("site").optional(|s| Site {
            cta: s.field("cta").optional(|c| CallToAction {
                label: c.field("label").string(),
                url: c.field("url").string(),
            }),
            name: s.field("name").optional(Node::string),
            logo_url: s.field("logo_url").optional(Node::string),
            accent: s.field("accent").optional(Node::string),
            intro: s.field("intro").optional(Node::string),
            privacy_url: s.field("privacy_url").optional(Node::string),
            emails_report: s.field("emails_report").or(false, Node::boolean),
        }),
    }
}
