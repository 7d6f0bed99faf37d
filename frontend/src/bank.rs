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
    Applicability, Bands, Bank, BankData, Credit, FrameworkData, Group, Model, PhaseAdvice,
    PhaseModel, PilotFirst, Question, Requirement, Sector, SizeFactors, Spread, Uncertainty,
};

/// The bank shipped with the engine, read once by this module.
pub fn embedded() -> &'static Bank {
    Bank::embedded_with(|json| read(json).expect("the embedded bank is validated by its tests"))
}

/// Reads bank data from JSON text. The engine's `Bank::new` then checks it.
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
    }
}

fn requirement(n: Node) -> Requirement {
    Requirement {
        id: n.field("id").string(),
        title: n.field("title").string(),
        group: n.field("group").string(),
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
        per_system: n.field("per_system").or(false, Node::boolean),
        risk_sensitive: n.field("risk_sensitive").or(false, Node::boolean),
        task: n.field("task").optional(Node::string),
        deliverable: n.field("deliverable").optional(Node::string),
        applicability: n.field("applicability").optional(|a| Applicability {
            not_applicable_for_roles: a.field("not_applicable_for_roles").list(Node::named),
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
        min_weeks_basis: n.field("min_weeks_basis").string(),
        standard_tasks: n.field("standard_tasks").strings(),
        deliverables: n.field("deliverables").strings(),
    }
}

fn model(n: Node) -> Model {
    let bands = n.field("bands");
    let sizes = n.field("size_factors");
    let uncertainty = n.field("uncertainty");
    let pilot = n.field("pilot_first");
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
        size_factors: SizeFactors {
            up_to_50: sizes.field("1-50").number(),
            up_to_250: sizes.field("51-250").number(),
            up_to_1000: sizes.field("251-1000").number(),
            over_1000: sizes.field("1001+").number(),
        },
        extra_system_factor: n.field("extra_system_factor").number(),
        max_system_factor: n.field("max_system_factor").number(),
        high_risk_factor: n.field("high_risk_factor").number(),
        max_credit: n.field("max_credit").number(),
        unknown_followup_days: n.field("unknown_followup_days").number(),
        days_per_fte_week: n.field("days_per_fte_week").number(),
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
    }
}

fn bank(n: Node) -> BankData {
    n.object();
    BankData {
        id: n.field("id").string(),
        version: n.field("version").string(),
        title: n.field("title").string(),
        groups: n.field("groups").list(group),
        requirements: n.field("requirements").list(requirement),
        questions: n.field("questions").list(question),
        frameworks: n.field("frameworks").list(framework_data),
        sectors: n.field("sectors").list(sector),
        model: model(n.field("model")),
    }
}
