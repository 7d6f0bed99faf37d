//! The reports about one assessment as one document model, built once from an
//! [`Evaluation`] and rendered by whoever needs it.
//!
//! - [`gap_report`] builds the Gap Analysis Report: sections of paragraphs, facts,
//!   lists and [`Table`]s. [`markdown::render`] writes it as Markdown (the widget's
//!   download and the API's `?format=md`); the API renders the same [`Document`] as HTML
//!   with a template.
//! - [`statement_of_applicability`] and [`control_register`] are [`Table`]s, written as
//!   CSV by [`csv::render`].
//!
//! The model holds text as it is (the organisation's name and justifications are
//! untrusted): each renderer escapes for its format. Adding a section is one edit here.
//!
//! ```
//! use aims_engine::{AssessmentInput, Bank};
//! use aims_report::{ReportContext, gap_report, markdown};
//!
//! let input = AssessmentInput::from_json(
//!     r#"{"mode":"quick","profile":{"size":"1-50","ai_systems":1,"role":"uses","capacity_fte":0.5}}"#,
//! )?;
//! let evaluation = Bank::embedded().evaluate_input(&input)?;
//! let ctx = ReportContext {
//!     id: "example",
//!     created_at: "2027-01-04T09:30:00Z",
//!     organisation: Some("Acme | Ltd"),
//!     bank: Bank::embedded(),
//!     input: &input,
//!     evaluation: &evaluation,
//! };
//! let md = markdown::render(&gap_report(&ctx));
//! assert!(md.contains("**Acme \\| Ltd**"));
//! # Ok::<(), aims_engine::Error>(())
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod csv;
pub mod markdown;

use aims_engine::{
    AssessmentInput, Band, Bank, Date, Evaluation, Gap, GroupScore, Mode, Question, RoadmapPhase,
    Severity, Status, num::one_decimal,
};

/// Everything a report shows about one assessment.
pub struct ReportContext<'a> {
    /// The assessment's ID.
    pub id: &'a str,
    /// When it was stored (RFC 3339) or exported (`YYYY-MM-DD`).
    pub created_at: &'a str,
    /// The company name from the lead, if any. Untrusted text.
    pub organisation: Option<&'a str>,
    /// The bank the assessment was evaluated with.
    pub bank: &'a Bank,
    /// The assessment as sent.
    pub input: &'a AssessmentInput,
    /// Its evaluation.
    pub evaluation: &'a Evaluation,
}

/// A whole report: a title, who it is about, facts about it, sections and a disclaimer.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// The report's title.
    pub title: &'static str,
    /// The organisation's name, or "Your organisation".
    pub organisation: String,
    /// Date, assessment ID, mode, bank version.
    pub facts: Vec<Fact>,
    /// The sections, in order.
    pub sections: Vec<Section>,
    /// What the report is and is not.
    pub disclaimer: &'static str,
}

/// A labelled value.
#[derive(Debug, Clone, PartialEq)]
pub struct Fact {
    /// What the value is.
    pub label: &'static str,
    /// The value.
    pub value: String,
}

/// A top-level section: its own blocks, then titled parts.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// The section's heading.
    pub heading: &'static str,
    /// Content under the heading.
    pub blocks: Vec<Block>,
    /// Titled parts after the blocks.
    pub parts: Vec<Part>,
}

/// A titled part of a section.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    /// The part's heading.
    pub heading: String,
    /// Whether it stands apart as a card (a roadmap phase) rather than running on.
    pub card: bool,
    /// Its content.
    pub blocks: Vec<Block>,
}

/// A piece of content.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// The headline score and band.
    Score {
        /// The overall score, one decimal.
        overall: String,
        /// The readiness band.
        band: Band,
    },
    /// Counts in one line (`Blockers: 2 · Major gaps: 5`).
    Counts(Vec<Fact>),
    /// A paragraph.
    Text(String),
    /// A secondary line (when a phase runs, who owns it).
    Caption(String),
    /// Labelled values as a list, the value emphasised.
    Facts(Vec<Fact>),
    /// A titled bullet list.
    Bullets {
        /// The list's title.
        title: &'static str,
        /// The items.
        items: Vec<String>,
    },
    /// Numbered steps, each a figure and what it means.
    Steps(Vec<(String, String)>),
    /// Advice from a named source.
    Note {
        /// Who gives it.
        source: String,
        /// The advice.
        text: String,
    },
    /// A table.
    Table(Table),
}

/// A table: columns, rows of cells.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    /// The columns; a table whose column names are all empty has no header row.
    pub columns: Vec<Column>,
    /// The rows, each as long as `columns`.
    pub rows: Vec<Vec<Cell>>,
    /// Whether each row's first cell names the row.
    pub row_headers: bool,
}

/// A table column.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// The heading.
    pub name: &'static str,
    /// Numbers, aligned right.
    pub numeric: bool,
}

/// A table cell.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Cell {
    /// The text.
    pub text: String,
    /// The severity it shows, for renderers that colour it.
    pub severity: Option<Severity>,
}

impl Table {
    fn new(columns: &[&'static str]) -> Table {
        Table {
            columns: columns
                .iter()
                .map(|name| Column {
                    name,
                    numeric: false,
                })
                .collect(),
            ..Table::default()
        }
    }

    /// Marks the last `n` columns numeric.
    fn numeric_last(mut self, n: usize) -> Table {
        let from = self.columns.len() - n;
        for c in &mut self.columns[from..] {
            c.numeric = true;
        }
        self
    }

    /// Adds a row of plain text cells.
    fn row(&mut self, texts: Vec<String>) {
        let row = texts.into_iter().map(|text| Cell {
            text,
            severity: None,
        });
        self.rows.push(row.collect());
    }

    /// Marks a cell of the last row as showing a severity.
    fn severity(&mut self, column: usize, severity: Option<Severity>) {
        if let Some(cell) = self.rows.last_mut().and_then(|r| r.get_mut(column)) {
            cell.severity = severity;
        }
    }

    /// Whether the header row shows (some column has a name).
    pub fn has_header(&self) -> bool {
        self.columns.iter().any(|c| !c.name.is_empty())
    }
}

const TITLE: &str = "Gap Analysis Report — ISO/IEC 42001 readiness";

const DISCLAIMER: &str = "This report is a readiness estimate computed from the answers given \
in a self-assessment. It is not an audit and does not certify conformity with ISO/IEC 42001; \
only an accredited certification body can do that. Effort and dates are estimates: the ranges \
show how uncertain they are, and answers of \"don't know\" widen them.";

/// The Gap Analysis Report.
pub fn gap_report(ctx: &ReportContext) -> Document {
    let result = &ctx.evaluation.result;
    let organisation = match ctx.organisation.map(str::trim) {
        Some(name) if !name.is_empty() => name.to_string(),
        _ => "Your organisation".to_string(),
    };
    Document {
        title: TITLE,
        organisation,
        facts: vec![
            fact("Date", report_date(ctx.created_at)),
            fact("Assessment", ctx.id.to_string()),
            fact("Mode", result.mode.label().to_string()),
            fact("Question bank", result.bank_version.to_string()),
        ],
        sections: vec![
            profile(ctx),
            readiness(ctx),
            top_gaps(ctx),
            excluded(ctx),
            estimate(ctx),
            Some(Section {
                heading: "Roadmap",
                blocks: Vec::new(),
                parts: ctx
                    .evaluation
                    .roadmap
                    .phases
                    .iter()
                    .map(|p| phase(ctx, p))
                    .collect(),
            }),
        ]
        .into_iter()
        .flatten()
        .collect(),
        disclaimer: DISCLAIMER,
    }
}

fn fact(label: &'static str, value: String) -> Fact {
    Fact { label, value }
}

fn section(heading: &'static str, blocks: Vec<Block>) -> Section {
    Section {
        heading,
        blocks,
        parts: Vec::new(),
    }
}

/// The day an RFC 3339 timestamp falls on (as written, in its own offset), as `YYYY-MM-DD`;
/// the raw text if it does not start with a date.
fn report_date(created_at: &str) -> String {
    match created_at.get(..10).map(Date::parse) {
        Some(Ok(date)) => date.to_string(),
        _ => created_at.to_string(),
    }
}

fn profile(ctx: &ReportContext) -> Option<Section> {
    let p = &ctx.input.profile;
    let data = ctx.bank.data();
    let sector = data
        .sectors
        .iter()
        .find(|s| s.id == p.sector)
        .map_or(p.sector.as_str(), |s| s.name.as_str());
    let frameworks: Vec<&str> = p
        .frameworks
        .iter()
        .map(|f| {
            data.frameworks
                .iter()
                .find(|d| d.id == *f)
                .map_or(f.as_str(), |d| d.name.as_str())
        })
        .collect();
    let rows = [
        ("Size", p.size.label().to_string()),
        ("AI systems in scope", p.ai_systems.to_string()),
        ("Role", p.role.label().to_string()),
        ("Sector", sector.to_string()),
        ("High-risk systems", yes_no(p.high_risk).to_string()),
        (
            "Frameworks in place",
            if frameworks.is_empty() {
                "None".to_string()
            } else {
                frameworks.join(", ")
            },
        ),
        ("Capacity", format!("{} FTE", p.capacity_fte)),
        (
            "Start date",
            p.start_date
                .map_or_else(|| "Not set".to_string(), |d| d.to_string()),
        ),
    ];
    let mut table = Table::new(&["", ""]);
    table.row_headers = true;
    for (label, value) in rows {
        table.row(vec![label.to_string(), value]);
    }
    Some(section("Organisation profile", vec![Block::Table(table)]))
}

fn yes_no(yes: bool) -> &'static str {
    if yes { "Yes" } else { "No" }
}

fn readiness(ctx: &ReportContext) -> Option<Section> {
    let r = &ctx.evaluation.result;
    let group_part = |heading: &str, column: &'static str, groups: &[GroupScore]| {
        let mut table = Table::new(&[column, "Title", "Score", "Blockers"]).numeric_last(2);
        for g in groups {
            table.row(vec![
                g.id.to_string(),
                g.title.to_string(),
                g.score.map_or_else(|| "n/a".to_string(), one_decimal),
                g.blockers.to_string(),
            ]);
        }
        Part {
            heading: heading.to_string(),
            card: false,
            blocks: vec![Block::Table(table)],
        }
    };
    Some(Section {
        heading: "Readiness",
        blocks: vec![
            Block::Score {
                overall: one_decimal(r.overall),
                band: r.band,
            },
            Block::Counts(vec![
                fact("Blockers", r.blockers.to_string()),
                fact("Major gaps", r.majors.to_string()),
                fact("Minor gaps", r.minors.to_string()),
            ]),
            Block::Text(format!(
                "{} of {} questions answered; {} unknown; {} not applicable.",
                r.answered, r.questions, r.unknowns, r.not_applicable
            )),
        ],
        parts: vec![
            group_part("Clauses", "Clause", &r.clauses),
            group_part("Annex A objectives", "Objective", &r.objectives),
        ],
    })
}

fn top_gaps(ctx: &ReportContext) -> Option<Section> {
    let gaps: Vec<&Gap> = ctx
        .evaluation
        .result
        .gaps
        .iter()
        .filter(|g| g.severity != Severity::Minor)
        .collect();
    if gaps.is_empty() {
        let none = Block::Text("No blocker or major gaps.".to_string());
        return Some(section("Top gaps", vec![none]));
    }
    let mut table = Table::new(&[
        "Ref",
        "Title",
        "Severity",
        "Current level",
        "Owner",
        "Action",
        "Likely effort (person-days)",
    ])
    .numeric_last(1);
    for g in gaps {
        table.row(vec![
            g.reference.to_string(),
            g.title.to_string(),
            g.severity.label().to_string(),
            g.status.label().into_owned(),
            g.owner.label().to_string(),
            g.action.label().to_string(),
            one_decimal(g.effort_days.likely),
        ]);
        table.severity(2, Some(g.severity));
    }
    Some(section("Top gaps", vec![Block::Table(table)]))
}

/// Annex A controls answered "not applicable", with their justifications.
fn excluded(ctx: &ReportContext) -> Option<Section> {
    let mut table = Table::new(&["Control", "Title", "Justification"]);
    for r in &ctx.evaluation.result.requirements {
        if r.status == Status::NotApplicable {
            table.row(vec![
                r.id.to_string(),
                r.title.to_string(),
                r.justification.as_deref().unwrap_or("").to_string(),
            ]);
        }
    }
    (!table.rows.is_empty()).then(|| {
        section(
            "Controls excluded as not applicable",
            vec![Block::Table(table)],
        )
    })
}

fn estimate(ctx: &ReportContext) -> Option<Section> {
    let estimate = &ctx.evaluation.estimate;
    let roadmap = &ctx.evaluation.roadmap;
    let mut table = Table::new(&["", "Low", "Likely", "High"]).numeric_last(3);
    table.row_headers = true;
    for (label, range) in [
        ("Effort (person-days)", estimate.effort_days),
        ("Weeks to audit-ready", estimate.weeks_to_ready),
        ("Weeks to certification", estimate.weeks_to_certification),
    ] {
        table.row(vec![
            label.to_string(),
            range.low.to_string(),
            range.likely.to_string(),
            range.high.to_string(),
        ]);
    }
    let milestones: Vec<Fact> = [
        ("Programme start", roadmap.start),
        ("Likely ready for the Stage 1 audit", roadmap.ready_by),
        ("Likely certified (Stage 2 done)", roadmap.certified_by),
    ]
    .into_iter()
    .filter_map(|(label, date)| Some(fact(label, date?.to_string())))
    .collect();
    let mut blocks = vec![Block::Table(table)];
    if !milestones.is_empty() {
        blocks.push(Block::Facts(milestones));
    }
    let steps = estimate
        .explain
        .iter()
        .map(|x| (x.figure.to_string(), x.text.to_string()))
        .collect();
    Some(Section {
        heading: "Estimate",
        blocks,
        parts: vec![Part {
            heading: "How this is computed".to_string(),
            card: false,
            blocks: vec![Block::Steps(steps)],
        }],
    })
}

fn plural(n: u32, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn phase(ctx: &ReportContext, phase: &RoadmapPhase) -> Part {
    let length = plural(phase.weeks, "week", "weeks");
    let mut when = match (phase.start, phase.end) {
        (Some(start), Some(end)) => format!("{start} – {end} ({length})"),
        _ => format!(
            "week {} – week {} ({length})",
            phase.start_week,
            phase.start_week + phase.weeks
        ),
    };
    when.push_str(" · Owner: ");
    when.push_str(phase.owner.label());
    let effort = ctx
        .evaluation
        .estimate
        .phases
        .iter()
        .find(|p| p.number == phase.number);
    if let Some(e) = effort.map(|p| p.effort_days) {
        let line = format!(
            " · Effort: {}–{} person-days (likely {})",
            e.low, e.high, e.likely
        );
        when.push_str(&line);
    }
    let mut blocks = vec![Block::Caption(when), Block::Text(phase.purpose.to_string())];
    if !phase.deliverables.is_empty() {
        blocks.push(Block::Bullets {
            title: "Deliverables",
            items: phase.deliverables.iter().map(|d| d.to_string()).collect(),
        });
    }
    if !phase.tasks.is_empty() {
        let mut table = Table::new(&["Task", "Owner", "Severity"]);
        for t in &phase.tasks {
            let severity = t.severity.map_or("", Severity::label);
            table.row(vec![
                t.title.to_string(),
                t.owner.label().to_string(),
                severity.to_string(),
            ]);
            table.severity(2, t.severity);
        }
        blocks.push(Block::Table(table));
    }
    blocks.extend(phase.advice.iter().map(|a| Block::Note {
        source: a.source.to_string(),
        text: a.text.to_string(),
    }));
    Part {
        heading: format!("Phase {}: {}", phase.number, phase.name),
        card: true,
        blocks,
    }
}

/// The Statement of Applicability: one row per Annex A control, in bank order.
///
/// Columns: `control,title,objective,applicable,justification,status,score,gap_severity`.
pub fn statement_of_applicability(ctx: &ReportContext) -> Table {
    let result = &ctx.evaluation.result;
    let groups = &ctx.bank.data().groups;
    let mut table = Table::new(&[
        "control",
        "title",
        "objective",
        "applicable",
        "justification",
        "status",
        "score",
        "gap_severity",
    ]);
    for r in result
        .requirements
        .iter()
        .filter(|r| r.id.starts_with("A."))
    {
        let objective = groups
            .iter()
            .find(|g| g.id == r.group.as_str())
            .map_or_else(|| r.group.to_string(), |g| format!("{} {}", g.id, g.title));
        let gap = result
            .gaps
            .iter()
            .find(|g| g.refs.iter().any(|x| *x == *r.id));
        table.row(vec![
            r.id.to_string(),
            r.title.to_string(),
            objective,
            if r.status == Status::NotApplicable {
                "no"
            } else {
                "yes"
            }
            .to_string(),
            r.justification.as_deref().unwrap_or("").to_string(),
            r.status.code().into_owned(),
            r.score.map_or_else(String::new, |s| s.to_string()),
            gap.map_or("", |g| g.severity.as_str()).to_string(),
        ]);
    }
    table
}

/// The AI Control Register: one row per full-assessment question, in bank order.
///
/// Columns: `question,requirements,title,owner,phase,status,severity,action,task,
/// deliverable,effort_days_likely,evidence_examples`. A question without a gap is
/// `maintain` with no severity and no effort.
pub fn control_register(ctx: &ReportContext) -> Table {
    let result = &ctx.evaluation.result;
    let mut table = Table::new(&[
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
        "evidence_examples",
    ]);
    for q in ctx.bank.questions(Mode::Full) {
        let gap = result.gaps.iter().find(|g| g.question.as_str() == q.id);
        let status = gap
            .map(|g| g.status)
            .or_else(|| requirement_status(ctx, q))
            .unwrap_or(Status::Unknown);
        let owner = q.owner.or(gap.map(|g| g.owner));
        let phase = q.phase.or(gap.map(|g| g.phase));
        table.row(vec![
            q.id.to_string(),
            q.refs.join(" "),
            q.title.to_string(),
            owner.map_or("", |o| o.label()).to_string(),
            phase.map_or_else(String::new, |p| p.to_string()),
            status.code().into_owned(),
            gap.map_or("", |g| g.severity.as_str()).to_string(),
            gap.map_or("maintain", |g| g.action.as_str()).to_string(),
            q.task.as_deref().unwrap_or("").to_string(),
            q.deliverable.as_deref().unwrap_or("").to_string(),
            gap.map_or(0.0, |g| g.effort_days.likely).to_string(),
            q.help.to_string(),
        ]);
    }
    table
}

/// The answer recorded for the first requirement a question covers.
fn requirement_status(ctx: &ReportContext, q: &Question) -> Option<Status> {
    let first = q.refs.first()?;
    ctx.evaluation
        .result
        .requirements
        .iter()
        .find(|r| *r.id == **first)
        .map(|r| r.status)
}

#[cfg(test)]
mod tests;
