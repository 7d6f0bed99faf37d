//! Reports about one stored assessment: the Gap Analysis Report (print-ready HTML and
//! Markdown), the Statement of Applicability and the AI Control Register (CSV).
//!
//! Everything here is a pure function of a [`ReportContext`]. Text that comes from
//! outside the program (the organisation's name, justifications) and text from the bank
//! is escaped for the output format on the way out: [`escape_html`] for HTML,
//! [`escape_md`] for Markdown and [`csv_cell`] against spreadsheet formula injection.

use crate::{
    Action, AssessmentInput, Band, Bank, Date, Evaluation, Gap, GroupScore, Mode, Owner, Question,
    Range, RequirementScore, RoadmapPhase, Role, Severity, Status,
};
use std::borrow::Cow;
use std::fmt::Write as _;

/// Everything a report shows about one stored assessment.
pub struct ReportContext<'a> {
    /// The assessment's ID.
    pub id: &'a str,
    /// When it was stored, RFC 3339.
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

const TITLE: &str = "Gap Analysis Report — ISO/IEC 42001 readiness";

const DISCLAIMER: &str = "This report is a readiness estimate computed from the answers given \
in a self-assessment. It is not an audit and does not certify conformity with ISO/IEC 42001; \
only an accredited certification body can do that. Effort and dates are estimates: the ranges \
show how uncertain they are, and answers of \"don't know\" widen them.";

/// Writes formatted text to a `String`, which cannot fail.
macro_rules! put {
    ($out:expr, $($arg:tt)*) => {
        let _ = write!($out, $($arg)*);
    };
}

// ---------------------------------------------------------------------------------------
// Escaping
// ---------------------------------------------------------------------------------------

/// Escapes text for HTML element content and quoted attribute values
/// (`&`, `<`, `>`, `"` and `'`).
pub fn escape_html(text: &str) -> Cow<'_, str> {
    if !text.contains(['&', '<', '>', '"', '\'']) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Escapes text for use inline in Markdown (a paragraph, a list item or a table cell):
/// the characters that start emphasis, code, links, HTML or table cells get a backslash,
/// and line breaks become spaces so the text cannot start a new block.
pub fn escape_md(text: &str) -> Cow<'_, str> {
    const SPECIAL: [char; 13] = [
        '|', '\\', '*', '_', '`', '<', '>', '[', ']', '#', '~', '\n', '\r',
    ];
    if !text.contains(SPECIAL) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push(' ');
            }
            '\n' => out.push(' '),
            '|' | '\\' | '*' | '_' | '`' | '<' | '>' | '[' | ']' | '#' | '~' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Makes a text cell safe to open in a spreadsheet. A spreadsheet reads a cell that
/// starts with `=`, `+`, `-` or `@` (after spaces), a tab or a carriage return as a
/// formula; such a cell gets a leading `'`. The same is done wherever a separator
/// (`,`, `;` or a tab) inside the cell is followed by a formula character, since a
/// spreadsheet set to that separator, or an import that ignores quotes, would start a
/// cell there. The writer quotes every cell holding a separator, a quote or a line break.
///
/// ```
/// use aims_engine::report::csv_cell;
/// assert_eq!(csv_cell("=1+1"), "'=1+1");
/// assert_eq!(csv_cell("Bob;=2+5+cmd|' /C calc'!A0"), "Bob;'=2+5+cmd|' /C calc'!A0");
/// assert_eq!(csv_cell("plain, text"), "plain, text");
/// ```
pub fn csv_cell(text: &str) -> Cow<'_, str> {
    const FORMULA: [char; 4] = ['=', '+', '-', '@'];
    const SEPARATORS: [char; 3] = [',', ';', '\t'];
    let risky_at = |rest: &str| rest.trim_start_matches(' ').starts_with(FORMULA);
    let inner = text
        .match_indices(SEPARATORS)
        .any(|(i, sep)| risky_at(&text[i + sep.len()..]));
    if !inner && !risky_at(text) && !text.starts_with(['\t', '\r']) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 4);
    if risky_at(text) || text.starts_with(['\t', '\r']) {
        out.push('\'');
    }
    let mut rest = text;
    while let Some((i, sep)) = rest.match_indices(SEPARATORS).next() {
        out.push_str(&rest[..i + sep.len()]);
        rest = &rest[i + sep.len()..];
        if risky_at(rest) {
            let spaces = rest.len() - rest.trim_start_matches(' ').len();
            out.push_str(&rest[..spaces]);
            out.push('\'');
            rest = &rest[spaces..];
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

// ---------------------------------------------------------------------------------------
// Labels shared by the HTML and Markdown reports
// ---------------------------------------------------------------------------------------

fn organisation_name<'a>(ctx: &ReportContext<'a>) -> &'a str {
    match ctx.organisation.map(str::trim) {
        Some(name) if !name.is_empty() => name,
        _ => "Your organisation",
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

/// How a mode is named in reports and on screen.
pub fn mode_label(mode: Mode) -> &'static str {
    match mode {
        Mode::Quick => "Quick quiz",
        Mode::Full => "Full assessment",
    }
}

/// How a band is named in reports and on screen.
pub fn band_label(band: Band) -> &'static str {
    match band {
        Band::Early => "Early",
        Band::Developing => "Developing",
        Band::Advanced => "Advanced",
        Band::AuditReady => "Audit-ready",
    }
}

/// A CSS class for a band (`band-early` … `band-ready`).
pub fn band_class(band: Band) -> &'static str {
    match band {
        Band::Early => "band-early",
        Band::Developing => "band-developing",
        Band::Advanced => "band-advanced",
        Band::AuditReady => "band-ready",
    }
}

/// How an owner role is named in reports and on screen.
pub fn owner_label(owner: Owner) -> &'static str {
    match owner {
        Owner::Leadership => "Leadership",
        Owner::Technical => "Technical teams",
        Owner::ComplianceLegal => "Compliance & Legal",
        Owner::Data => "Data teams",
        Owner::ThirdParty => "Third-party partners",
    }
}

/// How a severity is named in reports and on screen.
pub fn severity_label(severity: Severity) -> &'static str {
    match severity {
        Severity::Blocker => "Blocker",
        Severity::Major => "Major",
        Severity::Minor => "Minor",
    }
}

/// The wire name, as used in the CSV files.
pub fn severity_code(severity: Severity) -> &'static str {
    match severity {
        Severity::Blocker => "blocker",
        Severity::Major => "major",
        Severity::Minor => "minor",
    }
}

/// How a task's kind of work is named in reports and on screen.
pub fn action_label(action: Action) -> &'static str {
    match action {
        Action::Establish => "Establish",
        Action::Operate => "Put into operation",
        Action::Improve => "Measure and improve",
        Action::Confirm => "Confirm current state",
        Action::Standard => "Standard programme work",
        Action::Pilot => "Pilot",
    }
}

/// The wire name, as used in the CSV files.
fn action_code(action: Action) -> &'static str {
    match action {
        Action::Establish => "establish",
        Action::Operate => "operate",
        Action::Improve => "improve",
        Action::Confirm => "confirm",
        Action::Standard => "standard",
        Action::Pilot => "pilot",
    }
}

/// An answer as shown in reports (`3 — implemented`, `Unknown`).
pub fn status_label(status: Status) -> Cow<'static, str> {
    match status {
        Status::Level(level) => {
            let name = match level.get() {
                0 => "not started",
                1 => "ad hoc",
                2 => "defined",
                3 => "implemented",
                _ => "measured",
            };
            Cow::Owned(format!("{} — {name}", level.get()))
        }
        Status::Unknown => Cow::Borrowed("Unknown"),
        Status::NotApplicable => Cow::Borrowed("Not applicable"),
    }
}

/// The wire form, as used in the CSV files (`0`–`4`, `unknown`, `not_applicable`).
fn status_code(status: Status) -> Cow<'static, str> {
    match status {
        Status::Level(level) => Cow::Owned(level.get().to_string()),
        Status::Unknown => Cow::Borrowed("unknown"),
        Status::NotApplicable => Cow::Borrowed("not_applicable"),
    }
}

/// How a role is named in reports and on screen.
pub fn role_label(role: Role) -> &'static str {
    match role {
        Role::Develops => "Develops AI systems",
        Role::Uses => "Uses AI systems built by others",
        Role::Both => "Develops and uses AI systems",
    }
}

fn sector_name<'a>(bank: &'a Bank, id: &'a str) -> &'a str {
    bank.data()
        .sectors
        .iter()
        .find(|s| s.id == id)
        .map_or(id, |s| s.name.as_str())
}

fn frameworks_label(ctx: &ReportContext) -> String {
    let names: Vec<&str> = ctx
        .input
        .profile
        .frameworks
        .iter()
        .map(|f| {
            ctx.bank
                .data()
                .frameworks
                .iter()
                .find(|d| d.id == *f)
                .map_or(f.as_str(), |d| d.name.as_str())
        })
        .collect();
    if names.is_empty() {
        "None".to_string()
    } else {
        names.join(", ")
    }
}

/// The profile as (label, value) pairs, values not yet escaped.
fn profile_rows(ctx: &ReportContext) -> Vec<(&'static str, String)> {
    let p = &ctx.input.profile;
    vec![
        ("Size", format!("{} people", p.size.as_str())),
        ("AI systems in scope", p.ai_systems.to_string()),
        ("Role", role_label(p.role).to_string()),
        ("Sector", sector_name(ctx.bank, &p.sector).to_string()),
        (
            "High-risk systems",
            if p.high_risk { "Yes" } else { "No" }.to_string(),
        ),
        ("Frameworks in place", frameworks_label(ctx)),
        ("Capacity", format!("{} FTE", p.capacity_fte)),
        (
            "Start date",
            p.start_date
                .map_or_else(|| "Not set".to_string(), |d| d.to_string()),
        ),
    ]
}

fn score_label(score: Option<f64>) -> String {
    score.map_or_else(|| "n/a".to_string(), crate::num::one_decimal)
}

fn plural(n: u32, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}

/// When a phase runs: its dates, or week offsets from the programme start.
fn phase_when(phase: &RoadmapPhase) -> String {
    let length = plural(phase.weeks, "week", "weeks");
    match (phase.start, phase.end) {
        (Some(start), Some(end)) => format!("{start} – {end} ({length})"),
        _ => format!(
            "week {} – week {} ({length})",
            phase.start_week,
            phase.start_week + phase.weeks
        ),
    }
}

/// Effort of a phase from the estimate, if it has one.
fn phase_effort(ctx: &ReportContext, number: u8) -> Option<Range> {
    ctx.evaluation
        .estimate
        .phases
        .iter()
        .find(|p| p.number == number)
        .map(|p| p.effort_days)
}

/// Blockers and majors, in the evaluation's order.
fn top_gaps<'a>(ctx: &ReportContext<'a>) -> impl Iterator<Item = &'a Gap> {
    ctx.evaluation
        .result
        .gaps
        .iter()
        .filter(|g| g.severity != Severity::Minor)
}

/// Annex A controls answered "not applicable".
fn excluded_controls<'a>(ctx: &ReportContext<'a>) -> impl Iterator<Item = &'a RequirementScore> {
    ctx.evaluation
        .result
        .requirements
        .iter()
        .filter(|r| r.status == Status::NotApplicable)
}

fn milestones(ctx: &ReportContext) -> Vec<(&'static str, String)> {
    let roadmap = &ctx.evaluation.roadmap;
    [
        ("Programme start", roadmap.start),
        ("Likely ready for the Stage 1 audit", roadmap.ready_by),
        ("Likely certified (Stage 2 done)", roadmap.certified_by),
    ]
    .into_iter()
    .filter_map(|(label, date)| date.map(|d| (label, d.to_string())))
    .collect()
}

// ---------------------------------------------------------------------------------------
// HTML
// ---------------------------------------------------------------------------------------

const STYLE: &str = r#"
:root { --ink: #1d2330; --muted: #5b6472; --line: #d9dee6; --accent: #1f5fbf; --soft: #f4f6fa; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
       color: var(--ink); background: #fff; max-width: 60rem; margin: 2rem auto; padding: 0 1.25rem; }
h1 { font-size: 1.7rem; margin: 0 0 .25rem; }
h2 { font-size: 1.25rem; margin: 2rem 0 .75rem; padding-bottom: .25rem; border-bottom: 2px solid var(--line); }
h3 { font-size: 1.05rem; margin: 1.25rem 0 .5rem; }
p, ul, ol { margin: .5rem 0; }
.meta { color: var(--muted); margin: 0 0 1.5rem; }
.meta span { margin-right: 1.25rem; white-space: nowrap; }
table { width: 100%; border-collapse: collapse; margin: .5rem 0 1rem; font-size: .92rem; }
th, td { text-align: left; vertical-align: top; padding: .4rem .55rem; border-bottom: 1px solid var(--line); }
th { background: var(--soft); font-weight: 600; }
td.num, th.num { text-align: right; white-space: nowrap; }
.score { font-size: 2.4rem; font-weight: 700; margin-right: .75rem; }
.band { display: inline-block; padding: .15rem .65rem; border-radius: 1rem; font-weight: 600; border: 1px solid currentColor; }
.band-early { color: #a32020; } .band-developing { color: #a35a00; }
.band-advanced { color: #1f5fbf; } .band-ready { color: #1d7a3a; }
.counts span { margin-right: 1.25rem; }
.sev-blocker { color: #a32020; font-weight: 600; } .sev-major { color: #a35a00; font-weight: 600; }
.sev-minor { color: var(--muted); }
.phase { border: 1px solid var(--line); border-radius: .5rem; padding: .75rem 1rem; margin: 1rem 0; }
.phase h3 { margin-top: 0; }
.phase .when { color: var(--muted); }
.advice { background: var(--soft); padding: .5rem .75rem; border-radius: .35rem; }
.explain li { margin: .2rem 0; }
.figure { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .85em; color: var(--muted); }
.disclaimer { color: var(--muted); font-size: .9rem; border-top: 1px solid var(--line); margin-top: 2rem; padding-top: .75rem; }
@media print {
  @page { size: A4; margin: 18mm 16mm 20mm; }
  * { background: transparent !important; box-shadow: none !important; }
  body { font-size: 10pt; max-width: none; margin: 0; padding: 0; color: #000; }
  h2 { break-after: avoid; page-break-after: avoid; }
  h3 { break-after: avoid; page-break-after: avoid; }
  table { width: 100%; }
  thead { display: table-header-group; }
  tr, .phase { break-inside: avoid; page-break-inside: avoid; }
  .phase { border-color: #999; }
  th, td { border-bottom-color: #999; }
}
"#;

/// The Gap Analysis Report as a complete, print-ready HTML document (no script).
pub fn html(ctx: &ReportContext) -> String {
    let e = escape_html;
    let result = &ctx.evaluation.result;
    let estimate = &ctx.evaluation.estimate;
    let organisation = organisation_name(ctx);
    let mut out = String::with_capacity(64 * 1024);

    put!(
        out,
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"robots\" content=\"noindex\">\n<title>{} — {}</title>\n<style>{STYLE}</style>\n\
         </head>\n<body>\n",
        e(TITLE),
        e(organisation)
    );

    // Header.
    put!(
        out,
        "<header>\n<h1>{}</h1>\n<p class=\"org\"><strong>{}</strong></p>\n<p class=\"meta\">\
         <span>Date: {}</span><span>Assessment: {}</span><span>Mode: {}</span>\
         <span>Question bank: {}</span></p>\n</header>\n",
        e(TITLE),
        e(organisation),
        e(&report_date(ctx.created_at)),
        e(ctx.id),
        e(mode_label(result.mode)),
        e(&result.bank_version)
    );

    // Profile.
    out.push_str("<section>\n<h2>Organisation profile</h2>\n<table class=\"profile\">\n<tbody>\n");
    for (label, value) in profile_rows(ctx) {
        put!(
            out,
            "<tr><th>{}</th><td>{}</td></tr>\n",
            e(label),
            e(&value)
        );
    }
    out.push_str("</tbody>\n</table>\n</section>\n");

    // Readiness.
    put!(
        out,
        "<section>\n<h2>Readiness</h2>\n<p><span class=\"score\">{}</span>\
         <span class=\"band {}\">{}</span></p>\n<p class=\"counts\"><span>Blockers: <strong>{}</strong></span>\
         <span>Major gaps: <strong>{}</strong></span><span>Minor gaps: <strong>{}</strong></span></p>\n\
         <p>{} of {} questions answered; {} unknown; {} not applicable.</p>\n",
        crate::num::one_decimal(result.overall),
        band_class(result.band),
        e(band_label(result.band)),
        result.blockers,
        result.majors,
        result.minors,
        result.answered,
        result.questions,
        result.unknowns,
        result.not_applicable
    );
    html_group_table(&mut out, "Clauses", "Clause", &result.clauses);
    html_group_table(
        &mut out,
        "Annex A objectives",
        "Objective",
        &result.objectives,
    );
    out.push_str("</section>\n");

    // Top gaps.
    out.push_str("<section>\n<h2>Top gaps</h2>\n");
    let gaps: Vec<&Gap> = top_gaps(ctx).collect();
    if gaps.is_empty() {
        out.push_str("<p>No blocker or major gaps.</p>\n");
    } else {
        out.push_str(
            "<table class=\"gaps\">\n<thead><tr><th>Ref</th><th>Title</th><th>Severity</th>\
             <th>Current level</th><th>Owner</th><th>Action</th>\
             <th class=\"num\">Likely effort (person-days)</th></tr></thead>\n<tbody>\n",
        );
        for g in gaps {
            put!(
                out,
                "<tr><td>{}</td><td>{}</td><td class=\"sev-{}\">{}</td><td>{}</td><td>{}</td>\
                 <td>{}</td><td class=\"num\">{}</td></tr>\n",
                e(&g.reference),
                e(&g.title),
                severity_code(g.severity),
                e(severity_label(g.severity)),
                e(&status_label(g.status)),
                e(owner_label(g.owner)),
                e(action_label(g.action)),
                crate::num::one_decimal(g.effort_days.likely)
            );
        }
        out.push_str("</tbody>\n</table>\n");
    }
    out.push_str("</section>\n");

    // Excluded controls.
    let excluded: Vec<&RequirementScore> = excluded_controls(ctx).collect();
    if !excluded.is_empty() {
        out.push_str(
            "<section>\n<h2>Controls excluded as not applicable</h2>\n<table class=\"excluded\">\n\
             <thead><tr><th>Control</th><th>Title</th><th>Justification</th></tr></thead>\n<tbody>\n",
        );
        for r in excluded {
            put!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                e(&r.id),
                e(&r.title),
                e(r.justification.as_deref().unwrap_or(""))
            );
        }
        out.push_str("</tbody>\n</table>\n</section>\n");
    }

    // Estimate.
    out.push_str(
        "<section>\n<h2>Estimate</h2>\n<table class=\"estimate\">\n<thead><tr><th></th>\
         <th class=\"num\">Low</th><th class=\"num\">Likely</th><th class=\"num\">High</th></tr></thead>\n<tbody>\n",
    );
    for (label, range) in [
        ("Effort (person-days)", estimate.effort_days),
        ("Weeks to audit-ready", estimate.weeks_to_ready),
        ("Weeks to certification", estimate.weeks_to_certification),
    ] {
        put!(
            out,
            "<tr><th>{}</th><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
            e(label),
            range.low,
            range.likely,
            range.high
        );
    }
    out.push_str("</tbody>\n</table>\n");
    let dates = milestones(ctx);
    if !dates.is_empty() {
        out.push_str("<ul class=\"milestones\">\n");
        for (label, date) in dates {
            put!(
                out,
                "<li>{}: <strong>{}</strong></li>\n",
                e(label),
                e(&date)
            );
        }
        out.push_str("</ul>\n");
    }
    out.push_str("<h3>How this is computed</h3>\n<ol class=\"explain\">\n");
    for x in &estimate.explain {
        put!(
            out,
            "<li><span class=\"figure\">{}</span> {}</li>\n",
            e(&x.figure),
            e(&x.text)
        );
    }
    out.push_str("</ol>\n</section>\n");

    // Roadmap.
    out.push_str("<section>\n<h2>Roadmap</h2>\n");
    for phase in &ctx.evaluation.roadmap.phases {
        html_phase(&mut out, ctx, phase);
    }
    out.push_str("</section>\n");

    put!(
        out,
        "<footer class=\"disclaimer\">\n<p>{}</p>\n</footer>\n</body>\n</html>\n",
        e(DISCLAIMER)
    );
    out
}

fn html_group_table(out: &mut String, heading: &str, column: &str, groups: &[GroupScore]) {
    let e = escape_html;
    put!(
        out,
        "<h3>{}</h3>\n<table class=\"groups\">\n<thead><tr><th>{}</th><th>Title</th>\
         <th class=\"num\">Score</th><th class=\"num\">Blockers</th></tr></thead>\n<tbody>\n",
        e(heading),
        e(column)
    );
    for g in groups {
        put!(
            out,
            "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
            e(&g.id),
            e(&g.title),
            e(&score_label(g.score)),
            g.blockers
        );
    }
    out.push_str("</tbody>\n</table>\n");
}

fn html_phase(out: &mut String, ctx: &ReportContext, phase: &RoadmapPhase) {
    let e = escape_html;
    put!(
        out,
        "<article class=\"phase\">\n<h3>Phase {}: {}</h3>\n<p class=\"when\">{} · Owner: {}",
        phase.number,
        e(&phase.name),
        e(&phase_when(phase)),
        e(owner_label(phase.owner))
    );
    if let Some(effort) = phase_effort(ctx, phase.number) {
        put!(
            out,
            " · Effort: {}–{} person-days (likely {})",
            effort.low,
            effort.high,
            effort.likely
        );
    }
    put!(out, "</p>\n<p>{}</p>\n", e(&phase.purpose));

    if !phase.deliverables.is_empty() {
        out.push_str("<p><strong>Deliverables</strong></p>\n<ul>\n");
        for d in phase.deliverables.iter() {
            put!(out, "<li>{}</li>\n", e(d));
        }
        out.push_str("</ul>\n");
    }
    if !phase.tasks.is_empty() {
        out.push_str(
            "<table class=\"tasks\">\n<thead><tr><th>Task</th><th>Owner</th><th>Severity</th></tr></thead>\n<tbody>\n",
        );
        for t in &phase.tasks {
            let (class, severity) = match t.severity {
                Some(s) => (severity_code(s), severity_label(s)),
                None => ("none", ""),
            };
            put!(
                out,
                "<tr><td>{}</td><td>{}</td><td class=\"sev-{}\">{}</td></tr>\n",
                e(&t.title),
                e(owner_label(t.owner)),
                class,
                e(severity)
            );
        }
        out.push_str("</tbody>\n</table>\n");
    }
    for a in &phase.advice {
        put!(
            out,
            "<p class=\"advice\"><strong>{}:</strong> {}</p>\n",
            e(&a.source),
            e(&a.text)
        );
    }
    out.push_str("</article>\n");
}

// ---------------------------------------------------------------------------------------
// Markdown
// ---------------------------------------------------------------------------------------

/// The Gap Analysis Report in Markdown (GitHub-flavoured tables).
pub fn markdown(ctx: &ReportContext) -> String {
    let m = escape_md;
    let result = &ctx.evaluation.result;
    let estimate = &ctx.evaluation.estimate;
    let mut out = String::with_capacity(48 * 1024);

    put!(out, "# {}\n\n", m(TITLE));
    put!(out, "**{}**\n\n", m(organisation_name(ctx)));
    put!(out, "- Date: {}\n", m(&report_date(ctx.created_at)));
    put!(out, "- Assessment: {}\n", m(ctx.id));
    put!(out, "- Mode: {}\n", m(mode_label(result.mode)));
    put!(out, "- Question bank: {}\n\n", m(&result.bank_version));

    out.push_str("## Organisation profile\n\n| | |\n|---|---|\n");
    for (label, value) in profile_rows(ctx) {
        put!(out, "| {} | {} |\n", m(label), m(&value));
    }

    put!(
        out,
        "\n## Readiness\n\n**Overall score: {} / 100 — {}**\n\n\
         Blockers: {} · Major gaps: {} · Minor gaps: {}\n\n\
         {} of {} questions answered; {} unknown; {} not applicable.\n\n",
        crate::num::one_decimal(result.overall),
        m(band_label(result.band)),
        result.blockers,
        result.majors,
        result.minors,
        result.answered,
        result.questions,
        result.unknowns,
        result.not_applicable
    );
    md_group_table(&mut out, "Clauses", "Clause", &result.clauses);
    md_group_table(
        &mut out,
        "Annex A objectives",
        "Objective",
        &result.objectives,
    );

    out.push_str("## Top gaps\n\n");
    let gaps: Vec<&Gap> = top_gaps(ctx).collect();
    if gaps.is_empty() {
        out.push_str("No blocker or major gaps.\n\n");
    } else {
        out.push_str(
            "| Ref | Title | Severity | Current level | Owner | Action | Likely effort (person-days) |\n\
             |---|---|---|---|---|---|---:|\n",
        );
        for g in gaps {
            put!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} |\n",
                m(&g.reference),
                m(&g.title),
                m(severity_label(g.severity)),
                m(&status_label(g.status)),
                m(owner_label(g.owner)),
                m(action_label(g.action)),
                crate::num::one_decimal(g.effort_days.likely)
            );
        }
        out.push('\n');
    }

    let excluded: Vec<&RequirementScore> = excluded_controls(ctx).collect();
    if !excluded.is_empty() {
        out.push_str(
            "## Controls excluded as not applicable\n\n| Control | Title | Justification |\n|---|---|---|\n",
        );
        for r in excluded {
            put!(
                out,
                "| {} | {} | {} |\n",
                m(&r.id),
                m(&r.title),
                m(r.justification.as_deref().unwrap_or(""))
            );
        }
        out.push('\n');
    }

    out.push_str("## Estimate\n\n| | Low | Likely | High |\n|---|---:|---:|---:|\n");
    for (label, range) in [
        ("Effort (person-days)", estimate.effort_days),
        ("Weeks to audit-ready", estimate.weeks_to_ready),
        ("Weeks to certification", estimate.weeks_to_certification),
    ] {
        put!(
            out,
            "| {} | {} | {} | {} |\n",
            m(label),
            range.low,
            range.likely,
            range.high
        );
    }
    out.push('\n');
    let dates = milestones(ctx);
    if !dates.is_empty() {
        for (label, date) in dates {
            put!(out, "- {}: **{}**\n", m(label), m(&date));
        }
        out.push('\n');
    }
    out.push_str("### How this is computed\n\n");
    for (i, x) in estimate.explain.iter().enumerate() {
        put!(out, "{}. {}: {}\n", i + 1, m(&x.figure), m(&x.text));
    }
    out.push('\n');

    out.push_str("## Roadmap\n\n");
    for phase in &ctx.evaluation.roadmap.phases {
        md_phase(&mut out, ctx, phase);
    }

    put!(out, "---\n\n*{}*\n", m(DISCLAIMER));
    out
}

fn md_group_table(out: &mut String, heading: &str, column: &str, groups: &[GroupScore]) {
    let m = escape_md;
    put!(
        out,
        "### {}\n\n| {} | Title | Score | Blockers |\n|---|---|---:|---:|\n",
        m(heading),
        m(column)
    );
    for g in groups {
        put!(
            out,
            "| {} | {} | {} | {} |\n",
            m(&g.id),
            m(&g.title),
            m(&score_label(g.score)),
            g.blockers
        );
    }
    out.push('\n');
}

fn md_phase(out: &mut String, ctx: &ReportContext, phase: &RoadmapPhase) {
    let m = escape_md;
    put!(out, "### Phase {}: {}\n\n", phase.number, m(&phase.name));
    put!(
        out,
        "{} · Owner: {}",
        m(&phase_when(phase)),
        m(owner_label(phase.owner))
    );
    if let Some(effort) = phase_effort(ctx, phase.number) {
        put!(
            out,
            " · Effort: {}–{} person-days (likely {})",
            effort.low,
            effort.high,
            effort.likely
        );
    }
    put!(out, "\n\n{}\n\n", m(&phase.purpose));

    if !phase.deliverables.is_empty() {
        out.push_str("**Deliverables**\n\n");
        for d in phase.deliverables.iter() {
            put!(out, "- {}\n", m(d));
        }
        out.push('\n');
    }
    if !phase.tasks.is_empty() {
        out.push_str("| Task | Owner | Severity |\n|---|---|---|\n");
        for t in &phase.tasks {
            put!(
                out,
                "| {} | {} | {} |\n",
                m(&t.title),
                m(owner_label(t.owner)),
                m(t.severity.map_or("", severity_label))
            );
        }
        out.push('\n');
    }
    for a in &phase.advice {
        put!(out, "> **{}:** {}\n\n", m(&a.source), m(&a.text));
    }
}

// ---------------------------------------------------------------------------------------
// CSV
// ---------------------------------------------------------------------------------------

/// A CSV document being written: RFC 4180, CRLF line ends, a cell quoted when it holds a
/// comma, a quote or a line break.
struct CsvWriter(String);

fn csv_writer() -> CsvWriter {
    CsvWriter(String::new())
}

fn write_row(writer: &mut CsvWriter, row: &[Cow<'_, str>]) {
    for (i, cell) in row.iter().enumerate() {
        if i > 0 {
            writer.0.push(',');
        }
        if cell.contains([',', ';', '\t', '"', '\r', '\n']) {
            writer.0.push('"');
            writer.0.push_str(&cell.replace('"', "\"\""));
            writer.0.push('"');
        } else {
            writer.0.push_str(cell);
        }
    }
    writer.0.push_str("\r\n");
}

fn finish(writer: CsvWriter) -> String {
    writer.0
}

/// A number written by this module (never a formula, so not prefixed).
fn number(x: f64) -> Cow<'static, str> {
    Cow::Owned(x.to_string())
}

/// The gap covering a requirement, if any.
fn gap_for_requirement<'a>(ctx: &ReportContext<'a>, id: &str) -> Option<&'a Gap> {
    ctx.evaluation
        .result
        .gaps
        .iter()
        .find(|g| g.refs.iter().any(|r| r.as_str() == id))
}

/// The Statement of Applicability: one row per Annex A control, in bank order.
///
/// Columns: `control,title,objective,applicable,justification,status,score,gap_severity`.
pub fn soa_csv(ctx: &ReportContext) -> String {
    let groups = &ctx.bank.data().groups;
    let mut writer = csv_writer();
    write_row(
        &mut writer,
        &[
            "control",
            "title",
            "objective",
            "applicable",
            "justification",
            "status",
            "score",
            "gap_severity",
        ]
        .map(Cow::Borrowed),
    );
    for r in ctx
        .evaluation
        .result
        .requirements
        .iter()
        .filter(|r| r.id.starts_with("A."))
    {
        let objective = groups
            .iter()
            .find(|g| g.id == r.group.as_str())
            .map_or_else(|| r.group.to_string(), |g| format!("{} {}", g.id, g.title));
        let applicable = if r.status == Status::NotApplicable {
            "no"
        } else {
            "yes"
        };
        let severity = gap_for_requirement(ctx, &r.id).map_or("", |g| severity_code(g.severity));
        write_row(
            &mut writer,
            &[
                csv_cell(&r.id),
                csv_cell(&r.title),
                csv_cell(&objective),
                Cow::Borrowed(applicable),
                csv_cell(r.justification.as_deref().unwrap_or("")),
                status_code(r.status),
                r.score.map_or(Cow::Borrowed(""), number),
                Cow::Borrowed(severity),
            ],
        );
    }
    finish(writer)
}

/// The AI Control Register: one row per full-assessment question, in bank order.
///
/// Columns: `question,requirements,title,owner,phase,status,severity,action,task,
/// deliverable,effort_days_likely,evidence_examples`. A question without a gap is
/// `maintain` with no severity and no effort.
pub fn controls_csv(ctx: &ReportContext) -> String {
    let result = &ctx.evaluation.result;
    let mut writer = csv_writer();
    write_row(
        &mut writer,
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
        ]
        .map(Cow::Borrowed),
    );
    for q in ctx.bank.questions(Mode::Full) {
        let gap = result.gaps.iter().find(|g| g.question.as_str() == q.id);
        let status = gap
            .map(|g| g.status)
            .or_else(|| requirement_status(ctx, q))
            .unwrap_or(Status::Unknown);
        let owner = q.owner.or(gap.map(|g| g.owner)).map_or("", owner_label);
        let phase = q.phase.or(gap.map(|g| g.phase));
        let requirements = q.refs.join(" ");
        write_row(
            &mut writer,
            &[
                csv_cell(&q.id),
                csv_cell(&requirements),
                csv_cell(&q.title),
                Cow::Borrowed(owner),
                phase.map_or(Cow::Borrowed(""), |p| Cow::Owned(p.to_string())),
                status_code(status),
                Cow::Borrowed(gap.map_or("", |g| severity_code(g.severity))),
                Cow::Borrowed(gap.map_or("maintain", |g| action_code(g.action))),
                csv_cell(q.task.as_deref().unwrap_or("")),
                csv_cell(q.deliverable.as_deref().unwrap_or("")),
                number(gap.map_or(0.0, |g| g.effort_days.likely)),
                csv_cell(&q.help),
            ],
        );
    }
    finish(writer)
}

/// The answer recorded for the first requirement a question covers.
fn requirement_status(ctx: &ReportContext, q: &Question) -> Option<Status> {
    let first = q.refs.first()?;
    ctx.evaluation
        .result
        .requirements
        .iter()
        .find(|r| r.id.as_str() == first)
        .map(|r| r.status)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::AnswerInput;

    const STARTUP: &str =
        include_str!("../../shared/tests/golden/startup-uses-third-party-ai.input.json");

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
        let mut reader = csv::Reader::from_reader(text.as_bytes());
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
    fn escapes_html_special_characters() {
        assert_eq!(
            escape_html(r#"<a href="x">Tom & Jerry's</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;"
        );
        assert!(matches!(escape_html("plain text"), Cow::Borrowed(_)));
    }

    #[test]
    fn escapes_markdown_special_characters() {
        assert_eq!(
            escape_md("a|b\\c*d_e`f<g>h[i](j)"),
            "a\\|b\\\\c\\*d\\_e\\`f\\<g\\>h\\[i\\](j)"
        );
        assert_eq!(escape_md("one\r\ntwo\nthree\rfour"), "one two three four");
        assert_eq!(escape_md("# heading"), "\\# heading");
        assert!(matches!(escape_md("Acme Ltd"), Cow::Borrowed(_)));
    }

    #[test]
    fn csv_cells_cannot_start_formulas() {
        assert_eq!(csv_cell("=1+1"), "'=1+1");
        assert_eq!(csv_cell("+1"), "'+1");
        assert_eq!(csv_cell("-2"), "'-2");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("\tx"), "'\tx");
        assert_eq!(csv_cell("\rx"), "'\rx");
        assert_eq!(csv_cell("a=b"), "a=b");
        assert_eq!(csv_cell(""), "");
        assert!(matches!(csv_cell("Acme, Inc."), Cow::Borrowed(_)));
        // Where a spreadsheet splitting on `;`, `,` or a tab would start a cell, too.
        assert_eq!(
            csv_cell("Bob;=2+5+cmd|' /C calc'!A0"),
            "Bob;'=2+5+cmd|' /C calc'!A0"
        );
        assert_eq!(csv_cell("a, -1;  @x\t+y"), "a, '-1;  '@x\t'+y");
        assert_eq!(csv_cell("  =1"), "'  =1");
        assert_eq!(csv_cell("list:\n- one\n- two"), "list:\n- one\n- two");
    }

    #[test]
    fn csv_rows_quote_every_cell_a_spreadsheet_could_split() {
        let mut w = csv_writer();
        let cells = [
            "Bob;=2",
            "tab\there",
            "a,b",
            "say \"hi\"",
            "two\nlines",
            "plain",
        ];
        let row: Vec<Cow<'_, str>> = cells.iter().map(|c| csv_cell(c)).collect();
        write_row(&mut w, &row);
        assert_eq!(
            finish(w),
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
        for text in &texts {
            let cell = csv_cell(text);
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{text:?} -> {cell:?}"
            );
            for part in cell.split([',', ';', '\t']).skip(1) {
                assert!(
                    !part
                        .trim_start_matches(' ')
                        .starts_with(['=', '+', '-', '@']),
                    "{text:?} -> {cell:?}"
                );
            }
            assert!(
                !cell
                    .trim_start_matches(' ')
                    .starts_with(['=', '+', '-', '@']),
                "{text:?} -> {cell:?}"
            );
            assert_eq!(cell.replace('\'', ""), text.replace('\'', ""), "{text:?}");
        }
    }

    #[test]
    fn html_escapes_hostile_organisation_and_justification() {
        let mut input = startup();
        justify(&mut input, "q-a-6-1-2", "<script>alert(2)</script>");
        let evaluation = evaluate(&input);
        let ctx = context(Some("<script>alert(1)</script>"), &input, &evaluation);
        let html = html(&ctx);

        assert!(!html.contains("<script"), "no script element at all");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(html.contains("&lt;script&gt;alert(2)&lt;/script&gt;"));
    }

    #[test]
    fn html_is_a_complete_print_ready_document() {
        let input = startup();
        let evaluation = evaluate(&input);
        let html = html(&context(Some("Acme Ltd"), &input, &evaluation));

        assert!(html.starts_with("<!doctype html>"));
        assert!(html.contains("<meta charset=\"utf-8\">"));
        assert!(
            html.contains(
                "<title>Gap Analysis Report — ISO/IEC 42001 readiness — Acme Ltd</title>"
            )
        );
        assert!(html.contains("@media print"));
        assert!(html.trim_end().ends_with("</html>"));

        let phases = &Bank::embedded().data().model.phases;
        assert_eq!(phases.len(), 6);
        for phase in phases {
            assert!(html.contains(&*escape_html(&phase.name)), "{}", phase.name);
        }
        for name in [
            "Planning &amp; Scoping",
            "Gap Assessment &amp; Risk Baseline",
            "Policy &amp; Governance",
            "Operationalizing Controls",
            "Internal Audit &amp; Readiness",
            "Certification &amp; Continuous Improvement",
        ] {
            assert!(html.contains(name), "{name}");
        }
        // Human labels, the dated roadmap and every step of the derivation.
        assert!(html.contains("Early"));
        assert!(html.contains("Compliance &amp; Legal"));
        assert!(html.contains("2027-01-04 – "));
        for x in &evaluation.estimate.explain {
            assert!(html.contains(&*escape_html(&x.text)));
        }
        assert!(html.contains("not an audit"));
    }

    #[test]
    fn reports_without_a_start_date_show_week_offsets() {
        let mut input = startup();
        input.profile.start_date = None;
        let evaluation = evaluate(&input);
        let ctx = context(None, &input, &evaluation);
        let html = html(&ctx);
        assert!(html.contains("week 0 – week "));
        assert!(html.contains("Your organisation"));
        assert!(markdown(&ctx).contains("week 0 – week "));
    }

    #[test]
    fn markdown_escapes_hostile_organisation() {
        let input = startup();
        let evaluation = evaluate(&input);
        let ctx = context(
            Some("Acme | Evil [click](https://evil.example) <b>"),
            &input,
            &evaluation,
        );
        let md = markdown(&ctx);
        assert!(md.starts_with("# Gap Analysis Report — ISO/IEC 42001 readiness\n"));
        assert!(md.contains("Acme \\| Evil \\[click\\](https://evil.example) \\<b\\>"));
        assert!(!md.contains("Acme | Evil"));
        assert!(!md.contains("<b>"));
        for phase in &Bank::embedded().data().model.phases {
            assert!(md.contains(&*escape_md(&phase.name)), "{}", phase.name);
        }
    }

    #[test]
    fn statement_of_applicability_lists_every_annex_a_control() {
        let input = startup();
        let evaluation = evaluate(&input);
        let (header, rows) = parse_csv(&soa_csv(&context(None, &input, &evaluation)));

        assert_eq!(
            header,
            [
                "control",
                "title",
                "objective",
                "applicable",
                "justification",
                "status",
                "score",
                "gap_severity"
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
                assert_eq!(row[3], "no", "{control}");
                assert_eq!(row[4], justification, "{control}");
                assert_eq!(row[5], "not_applicable");
                assert_eq!(row[6], "");
                assert_eq!(row[7], "");
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
        assert_eq!(&a22[3..], ["yes", "", "1", &score.to_string(), "blocker"]);
    }

    #[test]
    fn formulas_in_justifications_are_neutralised() {
        let formula = r#"=HYPERLINK("https://evil.example","Click, here")"#;
        let mut input = startup();
        justify(&mut input, "q-a-7-2", formula);
        let evaluation = evaluate(&input);
        let (_, rows) = parse_csv(&soa_csv(&context(None, &input, &evaluation)));
        let row = rows.iter().find(|r| r[0] == "A.7.2").expect("A.7.2");
        assert_eq!(row[4], format!("'{formula}"));
    }

    #[test]
    fn control_register_lists_every_full_question() {
        let input = startup();
        let evaluation = evaluate(&input);
        let (header, rows) = parse_csv(&controls_csv(&context(None, &input, &evaluation)));

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
        let bank = Bank::embedded();
        let risk = row("q-6-1-2");
        let question = bank.question("q-6-1-2").expect("question");
        assert_eq!(risk[1], "6.1.2 8.2");
        assert_eq!(risk[3], "Compliance & Legal");
        assert_eq!(risk[4], "2");
        assert_eq!(&risk[5..8], ["0", "blocker", "establish"]);
        assert_eq!(risk[8], question.task.as_deref().expect("task"));
        assert_eq!(risk[10], "4");
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
        assert!(html(&ctx).contains("Quick quiz"));
        assert!(markdown(&ctx).contains("Quick quiz"));
        assert_eq!(parse_csv(&soa_csv(&ctx)).1.len(), 38);
        assert_eq!(parse_csv(&controls_csv(&ctx)).1.len(), 62);
    }
}
