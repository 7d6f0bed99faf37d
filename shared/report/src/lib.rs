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
    AssessmentInput, Band, Bank, Date, Evaluation, GroupScore, Mode, Question, RoadmapPhase,
    Severity, Status,
    num::{decimal, one_decimal},
};
use std::borrow::Cow;

/// Text in a document: borrowed from the assessment, its evaluation or the bank where it
/// can be, owned where it is made up (numbers, dates, joined lists).
pub type Str<'a> = Cow<'a, str>;

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
pub struct Document<'a> {
    /// The report's title.
    pub title: &'static str,
    /// The organisation's name, or "Your organisation".
    pub organisation: &'a str,
    /// Date, assessment ID, mode, bank version.
    pub facts: Vec<Fact<'a>>,
    /// The sections, in order.
    pub sections: Vec<Section<'a>>,
    /// What the report is and is not.
    pub disclaimer: &'static str,
}

/// A labelled value.
#[derive(Debug, Clone, PartialEq)]
pub struct Fact<'a> {
    /// What the value is.
    pub label: &'static str,
    /// The value.
    pub value: Str<'a>,
}

/// A top-level section: its own blocks, then titled parts.
#[derive(Debug, Clone, PartialEq)]
pub struct Section<'a> {
    /// The section's heading.
    pub heading: &'static str,
    /// Content under the heading.
    pub blocks: Vec<Block<'a>>,
    /// Titled parts after the blocks.
    pub parts: Vec<Part<'a>>,
}

/// A titled part of a section.
#[derive(Debug, Clone, PartialEq)]
pub struct Part<'a> {
    /// The part's heading.
    pub heading: Str<'a>,
    /// Whether it stands apart as a card (a roadmap phase) rather than running on.
    pub card: bool,
    /// Its content.
    pub blocks: Vec<Block<'a>>,
}

/// A piece of content.
#[derive(Debug, Clone, PartialEq)]
pub enum Block<'a> {
    /// The headline score and band.
    Score {
        /// The overall score, one decimal.
        overall: String,
        /// The readiness band.
        band: Band,
    },
    /// Counts in one line (`Blockers: 2 · Major gaps: 5`).
    Counts(Vec<Fact<'a>>),
    /// A paragraph.
    Text(Str<'a>),
    /// A secondary line (when a phase runs, who owns it).
    Caption(String),
    /// Labelled values as a list, the value emphasised.
    Facts(Vec<Fact<'a>>),
    /// A titled bullet list.
    Bullets {
        /// The list's title.
        title: &'static str,
        /// The items.
        items: Vec<&'a str>,
    },
    /// Numbered steps, each a figure and what it means.
    Steps(Vec<(&'a str, &'a str)>),
    /// Advice from a named source.
    Note {
        /// Who gives it.
        source: &'a str,
        /// The advice.
        text: &'a str,
    },
    /// A table.
    Table(Table<'a>),
}

/// A table: columns, rows of cells.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table<'a> {
    /// The columns; a table whose column names are all empty has no header row.
    pub columns: Vec<Column>,
    /// The rows, each as long as `columns`.
    pub rows: Vec<Vec<Cell<'a>>>,
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
pub struct Cell<'a> {
    /// The text.
    pub text: Str<'a>,
    /// The severity it shows, for renderers that colour it.
    pub severity: Option<Severity>,
}

impl<'a> Table<'a> {
    fn new(columns: &[&'static str], numeric_from: usize) -> Table<'a> {
        let columns = columns.iter().enumerate().map(|(i, name)| Column {
            name,
            numeric: i >= numeric_from,
        });
        Table {
            columns: columns.collect(),
            ..Table::default()
        }
    }

    /// Adds a row of plain text cells.
    fn row(&mut self, texts: Vec<Str<'a>>) {
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

/// No column is numeric.
const TEXT: usize = usize::MAX;

const TITLE: &str = "Gap Analysis Report — ISO/IEC 42001 readiness";

const DISCLAIMER: &str = "This report is a readiness estimate computed from the answers given \
in a self-assessment. It is not an audit and does not certify conformity with ISO/IEC 42001; \
only an accredited certification body can do that. Effort and dates are estimates: the ranges \
show how uncertain they are, and answers of \"don't know\" widen them.";

fn b(text: &str) -> Str<'_> {
    Cow::Borrowed(text)
}

fn n(value: impl ToString) -> Str<'static> {
    Cow::Owned(value.to_string())
}

/// A number as [`decimal`] writes it (up to three decimals).
fn d(value: f64) -> Str<'static> {
    Cow::Owned(decimal(value))
}

fn fact<'a>(label: &'static str, value: Str<'a>) -> Fact<'a> {
    Fact { label, value }
}

fn section<'a>(heading: &'static str, blocks: Vec<Block<'a>>) -> Section<'a> {
    Section {
        heading,
        blocks,
        parts: Vec::new(),
    }
}

/// The Gap Analysis Report.
pub fn gap_report<'a>(ctx: &ReportContext<'a>) -> Document<'a> {
    let result = &ctx.evaluation.result;
    let organisation = match ctx.organisation.map(str::trim) {
        Some(name) if !name.is_empty() => name,
        _ => "Your organisation",
    };
    let mut sections = vec![profile(ctx), readiness(ctx), top_gaps(ctx)];
    sections.push(applicability(ctx));
    sections.push(estimate(ctx));
    let phases = ctx.evaluation.roadmap.phases.iter();
    sections.push(Section {
        heading: "Roadmap",
        blocks: Vec::new(),
        parts: phases.map(|p| phase(ctx, p)).collect(),
    });
    sections.push(years(ctx));
    Document {
        title: TITLE,
        organisation,
        facts: vec![
            fact("Date", report_date(ctx.created_at)),
            fact("Assessment", b(ctx.id)),
            fact("Mode", b(result.mode.label())),
            fact("Question bank", b(&result.bank_version)),
        ],
        sections,
        disclaimer: DISCLAIMER,
    }
}

/// The day an RFC 3339 timestamp falls on (as written, in its own offset), as `YYYY-MM-DD`;
/// the raw text if it does not start with a date.
fn report_date(created_at: &str) -> Str<'_> {
    match created_at.get(..10).map(Date::parse) {
        Some(Ok(date)) => n(date),
        _ => b(created_at),
    }
}

fn profile<'a>(ctx: &ReportContext<'a>) -> Section<'a> {
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
    let frameworks = if frameworks.is_empty() {
        b("None")
    } else {
        n(frameworks.join(", "))
    };
    let start = p.start_date.map_or(b("Not set"), n);
    let systems = p.inventory();
    let mut table = Table::new(&["", ""], TEXT);
    table.row_headers = true;
    let size = match p.employees {
        Some(people) => n(format_args!("{people} people")),
        None => b(p.size.label()),
    };
    for (label, value) in [
        ("Size", size),
        ("AI systems in scope", n(systems.len())),
        ("Sector", b(sector)),
        ("Frameworks in place", frameworks),
        (
            "Capacity",
            n(format_args!("{} FTE", decimal(p.capacity_fte))),
        ),
        ("Start date", start),
    ] {
        table.row(vec![b(label), value]);
    }
    let mut blocks = vec![Block::Table(table)];
    if !systems.is_empty() {
        let mut list = Table::new(
            &[
                "AI system",
                "Built",
                "Customisation",
                "Offered to customers",
                "Risk tier",
            ],
            TEXT,
        );
        for s in systems.iter() {
            list.row(vec![
                n(&s.name),
                b(s.origin.label()),
                b(s.customisation.label()),
                b(yes_no(s.offered_to_customers)),
                b(s.risk.label()),
            ]);
        }
        blocks.push(Block::Table(list));
    }
    section("Organisation profile", blocks)
}

fn yes_no(yes: bool) -> &'static str {
    if yes { "Yes" } else { "No" }
}

fn group_part<'a>(
    heading: &'static str,
    column: &'static str,
    groups: &'a [GroupScore],
) -> Part<'a> {
    let mut table = Table::new(&[column, "Title", "Score", "Blockers"], 2);
    for g in groups {
        let score = g.score.map_or(b("n/a"), |s| n(one_decimal(s)));
        table.row(vec![b(&g.id), b(&g.title), score, n(g.blockers)]);
    }
    Part {
        heading: b(heading),
        card: false,
        blocks: vec![Block::Table(table)],
    }
}

fn readiness<'a>(ctx: &ReportContext<'a>) -> Section<'a> {
    let r = &ctx.evaluation.result;
    Section {
        heading: "Readiness",
        blocks: vec![
            Block::Score {
                overall: one_decimal(r.overall),
                band: r.band,
            },
            Block::Counts(vec![
                fact("Blockers", n(r.blockers)),
                fact("Major gaps", n(r.majors)),
                fact("Minor gaps", n(r.minors)),
            ]),
            Block::Text(n(format_args!(
                "{} of {} questions answered; {} unknown; {} not applicable.",
                r.answered, r.questions, r.unknowns, r.not_applicable
            ))),
        ],
        parts: vec![
            group_part("Clauses", "Clause", &r.clauses),
            group_part("Annex A objectives", "Objective", &r.objectives),
        ],
    }
}

fn top_gaps<'a>(ctx: &ReportContext<'a>) -> Section<'a> {
    let gaps = ctx.evaluation.result.gaps.iter();
    let mut table = Table::new(
        &[
            "Ref",
            "Title",
            "Severity",
            "Current level",
            "Owner",
            "Action",
            "Likely effort (person-days)",
        ],
        6,
    );
    for g in gaps.filter(|g| g.severity != Severity::Minor) {
        table.row(vec![
            b(&g.reference),
            b(&g.title),
            b(g.severity.label()),
            g.status.label(),
            b(g.owner.label()),
            b(g.action.label()),
            n(one_decimal(g.effort_days.likely)),
        ]);
        table.severity(2, Some(g.severity));
    }
    if table.rows.is_empty() {
        let none = Block::Text(b("No blocker or major gaps."));
        return section("Top gaps", vec![none]);
    }
    section("Top gaps", vec![Block::Table(table)])
}

/// The Statement of Applicability: its document fields, then every Annex A control.
fn applicability<'a>(ctx: &ReportContext<'a>) -> Section<'a> {
    let soa = &ctx.evaluation.result.soa;
    let mut table = Table::new(
        &["Control", "Title", "Included", "Justification", "Status"],
        TEXT,
    );
    for c in &soa.controls {
        table.row(vec![
            b(&c.control),
            b(&c.title),
            b(if c.included { "Yes" } else { "No" }),
            b(&c.justification),
            c.status.label(),
        ]);
    }
    let facts = vec![
        fact("Version", b(&soa.version)),
        fact("Date", soa_date(ctx)),
        fact(
            "Approved by",
            b(soa.approved_by.as_deref().unwrap_or(NOT_APPROVED)),
        ),
        fact("Controls included", n(soa.included)),
        fact("Controls excluded", n(soa.excluded)),
    ];
    section(
        "Statement of Applicability",
        vec![Block::Facts(facts), Block::Table(table)],
    )
}

/// What the approver fields show until someone has approved the statement.
const NOT_APPROVED: &str = "Not yet approved";

/// The statement's date as set, otherwise the day of the report.
fn soa_date<'a>(ctx: &ReportContext<'a>) -> Str<'a> {
    match ctx.evaluation.result.soa.date {
        Some(date) => n(date),
        None => report_date(ctx.created_at),
    }
}

fn estimate<'a>(ctx: &ReportContext<'a>) -> Section<'a> {
    let estimate = &ctx.evaluation.estimate;
    let roadmap = &ctx.evaluation.roadmap;
    let mut table = Table::new(&["", "Low", "Likely", "High"], 1);
    table.row_headers = true;
    for (label, range) in [
        ("Effort (person-days)", estimate.effort_days),
        ("Weeks to audit-ready", estimate.weeks_to_ready),
        ("Weeks to certification", estimate.weeks_to_certification),
    ] {
        table.row(vec![b(label), n(range.low), n(range.likely), n(range.high)]);
    }
    let mut blocks = vec![Block::Table(table)];
    let mut milestones = Vec::new();
    for (label, date) in [
        ("Programme start", roadmap.start),
        ("Likely ready for the Stage 1 audit", roadmap.ready_by),
        ("Likely certified (Stage 2 done)", roadmap.certified_by),
    ] {
        if let Some(date) = date {
            milestones.push(fact(label, n(date)));
        }
    }
    if !milestones.is_empty() {
        blocks.push(Block::Facts(milestones));
    }
    let steps = estimate.explain.iter().map(|x| (&*x.figure, &*x.text));
    Section {
        heading: "Estimate",
        blocks,
        parts: vec![Part {
            heading: b("How this is computed"),
            card: false,
            blocks: vec![Block::Steps(steps.collect())],
        }],
    }
}

/// The three years of the certificate after the Stage 2 audit, and what running the
/// AIMS costs.
fn years<'a>(ctx: &ReportContext<'a>) -> Section<'a> {
    let mut table = Table::new(&["Year", "When", "What happens", "FTE"], 3);
    for y in &ctx.evaluation.roadmap.years {
        let when = match (y.start, y.end) {
            (Some(start), Some(end)) => n(format_args!("{start} – {end}")),
            _ => n(format_args!("year {} after certification", y.number)),
        };
        let events: Vec<&str> = y.events.iter().map(|e| &**e).collect();
        table.row(vec![
            n(y.number),
            when,
            n(events.join("; ")),
            n(decimal(y.fte)),
        ]);
    }
    Section {
        heading: "Years 1–3 after certification",
        blocks: vec![Block::Table(table)],
        parts: Vec::new(),
    }
}

fn phase<'a>(ctx: &ReportContext<'a>, phase: &'a RoadmapPhase) -> Part<'a> {
    let weeks = phase.weeks;
    let length = format!("{weeks} {}", if weeks == 1 { "week" } else { "weeks" });
    let mut when = match (phase.start, phase.end) {
        (Some(start), Some(end)) => format!("{start} – {end} ({length})"),
        _ => format!(
            "week {} – week {} ({length})",
            phase.start_week,
            phase.start_week + weeks
        ),
    };
    when.push_str(" · Owner: ");
    when.push_str(phase.owner.label());
    let phases = &ctx.evaluation.estimate.phases;
    if let Some(e) = phases.iter().find(|p| p.number == phase.number) {
        let e = e.effort_days;
        let line = format!(
            " · Effort: {}–{} person-days (likely {})",
            e.low, e.high, e.likely
        );
        when.push_str(&line);
    }
    let mut blocks = vec![Block::Caption(when), Block::Text(b(&phase.purpose))];
    if !phase.deliverables.is_empty() {
        blocks.push(Block::Bullets {
            title: "Deliverables",
            items: phase.deliverables.iter().map(|d| &**d).collect(),
        });
    }
    if !phase.tasks.is_empty() {
        let mut table = Table::new(&["Task", "Owner", "Severity"], TEXT);
        for t in &phase.tasks {
            let severity = t.severity.map_or("", Severity::label);
            table.row(vec![b(&t.title), b(t.owner.label()), b(severity)]);
            table.severity(2, t.severity);
        }
        blocks.push(Block::Table(table));
    }
    for a in &phase.advice {
        blocks.push(Block::Note {
            source: &a.source,
            text: &a.text,
        });
    }
    Part {
        heading: n(format_args!("Phase {}: {}", phase.number, phase.name)),
        card: true,
        blocks,
    }
}

/// The Statement of Applicability: one row per Annex A control, in bank order, with the
/// document's fields on every row.
///
/// Columns: `control,title,objective,included,justification,status,score,gap_severity,
/// systems,owner,evidence,question,version,date,approved_by`. `systems` is a `; `-separated
/// list (empty: organisation-wide); `approved_by` is empty until someone approved it.
pub fn statement_of_applicability<'a>(ctx: &ReportContext<'a>) -> Table<'a> {
    let result = &ctx.evaluation.result;
    let soa = &result.soa;
    let mut table = Table::new(
        &[
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
            "approved_by",
        ],
        TEXT,
    );
    let groups = &ctx.bank.data().groups;
    let date = soa_date(ctx);
    for c in &soa.controls {
        let objective = groups
            .iter()
            .find(|g| g.id == c.objective.as_str())
            .map_or(b(&c.objective), |g| n(format_args!("{} {}", g.id, g.title)));
        let score = result.requirements.iter().find(|r| r.id == c.control);
        let systems: Vec<&str> = c.systems.iter().map(|s| s.as_str()).collect();
        table.row(vec![
            b(&c.control),
            b(&c.title),
            objective,
            b(if c.included { "yes" } else { "no" }),
            b(&c.justification),
            c.status.code(),
            score.and_then(|r| r.score).map_or(b(""), d),
            b(c.gap.map_or("", |g| g.as_str())),
            n(systems.join("; ")),
            b(c.owner.label()),
            b(&c.evidence),
            b(&c.question),
            b(&soa.version),
            date.clone(),
            b(soa.approved_by.as_deref().unwrap_or("")),
        ]);
    }
    table
}

/// The AI Control Register: one row per full-assessment question, in bank order.
///
/// Columns: `question,requirements,title,owner,phase,status,severity,action,task,
/// deliverable,effort_days_likely,evidence_examples`. A question without a gap is
/// `maintain` with no severity and no effort.
pub fn control_register<'a>(ctx: &ReportContext<'a>) -> Table<'a> {
    let result = &ctx.evaluation.result;
    let mut table = Table::new(
        &[
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
        ],
        TEXT,
    );
    for q in ctx.bank.questions(Mode::Full) {
        let gap = result.gaps.iter().find(|g| g.question.as_str() == q.id);
        let status = gap
            .map(|g| g.status)
            .or_else(|| requirement_status(ctx, q))
            .unwrap_or(Status::Unknown);
        let owner = q.owner.or(gap.map(|g| g.owner));
        let phase = q.phase.or(gap.map(|g| g.phase));
        table.row(vec![
            b(&q.id),
            n(q.refs.join(" ")),
            b(&q.title),
            b(owner.map_or("", |o| o.label())),
            phase.map_or(b(""), n),
            status.code(),
            b(gap.map_or("", |g| g.severity.as_str())),
            b(gap.map_or("maintain", |g| g.action.as_str())),
            b(q.task.as_deref().unwrap_or("")),
            b(q.deliverable.as_deref().unwrap_or("")),
            d(gap.map_or(0.0, |g| g.effort_days.likely)),
            b(&q.help),
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
