//! The Gap Analysis Report as print-ready HTML: the engine's document model through an
//! askama template (`templates/report.html`, escaping by default) with its stylesheet
//! (`templates/report.css`) inlined, so the page stands alone and prints to PDF.

use aims_engine::Site;
use aims_report::{Block, Document, ReportContext, gap_report};
use askama::Template;

#[derive(Template)]
#[template(path = "report.html")]
struct ReportPage<'a> {
    doc: &'a Document<'a>,
    css: &'static str,
    /// The consultancy that publishes the widget: its name and logo head the report.
    site: &'a Site,
}

/// The report as a complete HTML document (no script). Rendering fails only if a value's
/// `Display` does, which none of the model's does.
pub fn html(ctx: &ReportContext, site: &Site) -> Result<String, askama::Error> {
    let doc = gap_report(ctx);
    let page = ReportPage {
        doc: &doc,
        css: include_str!("../templates/report.css"),
        site,
    };
    page.render()
}

#[cfg(test)]
mod tests {
    use super::*;
    use aims_engine::{AnswerInput, AssessmentInput, Bank};

    const STARTUP: &str =
        include_str!("../../shared/tests/golden/startup-uses-third-party-ai.input.json");

    fn render(organisation: Option<&str>, justification: Option<&str>) -> String {
        render_for(organisation, justification, &Site::default())
    }

    fn render_for(organisation: Option<&str>, justification: Option<&str>, site: &Site) -> String {
        let mut input = AssessmentInput::from_json(STARTUP).expect("the golden input parses");
        if let Some(text) = justification {
            let answer = input.answers.iter_mut().find(|a| a.question == "q-a-6-1-2");
            *answer.expect("answered") = AnswerInput::not_applicable("q-a-6-1-2", text);
        }
        let evaluation = Bank::embedded().evaluate_input(&input).expect("valid");
        let ctx = ReportContext {
            id: "0b6f2c1e-7d7a-4c1f-9a57-3f1f8a2d9e10",
            created_at: "2027-01-04T09:30:00Z",
            organisation,
            bank: Bank::embedded(),
            input: &input,
            evaluation: &evaluation,
        };
        html(&ctx, site).expect("the report renders")
    }

    #[test]
    fn escapes_hostile_organisation_and_justification() {
        let html = render(
            Some("<script>alert(1)</script>"),
            Some("<script>alert(2)</script>"),
        );
        assert!(!html.contains("<script"), "no script element at all");
        assert!(html.contains("&#60;script&#62;alert(1)&#60;/script&#62;"));
        assert!(html.contains("&#60;script&#62;alert(2)&#60;/script&#62;"));
    }

    #[test]
    fn carries_the_consultancys_name_and_logo_escaped() {
        let site = Site {
            name: Some("Northwind <Assurance>".into()),
            logo_url: Some("https://northwind.example/logo.png".into()),
            ..Site::default()
        };
        let html = render_for(None, None, &site);
        assert!(html.contains("Prepared by <strong>Northwind &#60;Assurance&#62;</strong>"));
        assert!(html.contains(
            "<img src=\"https://northwind.example/logo.png\" alt=\"Northwind &#60;Assurance&#62;\""
        ));
        assert!(!render(None, None).contains("Prepared by"));
    }

    #[test]
    fn is_a_complete_print_ready_document() {
        let html = render(Some("Acme & Co"), None);
        assert!(html.starts_with("<!doctype html>"));
        assert!(html.contains("<meta charset=\"utf-8\">"));
        assert!(html.contains(
            "<title>Gap Analysis Report — ISO/IEC 42001 readiness — Acme &#38; Co</title>"
        ));
        assert!(html.contains("@media print"));
        assert!(html.trim_end().ends_with("</html>"));
        assert_eq!(html.matches("<article class=\"card\">").count(), 6);
        assert!(html.contains("<h3>Phase 1: Planning &#38; Scoping</h3>"));
        assert!(html.contains("<span class=\"band band-early\">Early</span>"));
        assert!(html.contains("<td class=\"sev-blocker\">Blocker</td>"));
        assert!(html.contains("<th>Size</th><td>1–50 people</td>"));
        assert!(html.contains("2027-01-04 – "));
        assert!(html.contains("not an audit"));
    }
}
