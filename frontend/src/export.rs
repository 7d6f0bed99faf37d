//! Files the visitor can download: answers as JSON (re-importable), the Markdown report,
//! the AI Control Register and the Statement of Applicability as CSV.

use crate::drafts::ProfileDraft;
use crate::json;
use crate::state::{Screen, State, mode_name};
use aims_engine::AssessmentInput;
use aims_report::{ReportContext, csv, markdown};
use serde::Deserialize;
use wasm_bindgen::{JsCast, JsValue};

/// The kinds of download.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `aims-readiness.json`: the answers and profile, importable again.
    Json,
    /// `aims-gap-report.md`.
    Markdown,
    /// `aims-control-register.csv`.
    Controls,
    /// `aims-statement-of-applicability.csv`.
    Soa,
}

impl Kind {
    /// The file name offered.
    pub fn file_name(self) -> &'static str {
        match self {
            Kind::Json => "aims-readiness.json",
            Kind::Markdown => "aims-gap-report.md",
            Kind::Controls => "aims-control-register.csv",
            Kind::Soa => "aims-statement-of-applicability.csv",
        }
    }

    fn mime(self) -> &'static str {
        match self {
            Kind::Json => "application/json",
            Kind::Markdown => "text/markdown;charset=utf-8",
            Kind::Controls | Kind::Soa => "text/csv;charset=utf-8",
        }
    }
}

/// Today's date in the browser, `YYYY-MM-DD` (local time).
pub fn today() -> String {
    let now = js_sys::Date::new_0();
    format!(
        "{:04}-{:02}-{:02}",
        now.get_full_year(),
        now.get_month() + 1,
        now.get_date()
    )
}

/// The file's content, if the assessment can be evaluated.
pub fn content(state: &State, kind: Kind) -> Option<String> {
    if kind == Kind::Json {
        return state.export_json();
    }
    let input = state.input()?;
    let evaluation = state.evaluation.as_ref()?;
    let company = state.lead.company.trim();
    let date = today();
    let ctx = ReportContext {
        id: "not stored (exported from the browser)",
        created_at: &date,
        organisation: (!company.is_empty()).then_some(company),
        bank: &state.bank,
        input: &input,
        evaluation,
    };
    Some(match kind {
        Kind::Markdown => markdown::render(&aims_report::gap_report(&ctx)),
        Kind::Controls => csv::render(&aims_report::control_register(&ctx)),
        Kind::Soa => csv::render(&aims_report::statement_of_applicability(&ctx)),
        Kind::Json => unreachable!("handled above"),
    })
}

/// Offers `content` as a download.
pub fn download(kind: Kind, content: &str) -> Result<(), JsValue> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let parts = js_sys::Array::of1(&JsValue::from_str(content));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(kind.mime());
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let link: web_sys::HtmlAnchorElement = document.create_element("a")?.dyn_into()?;
    link.set_href(&url);
    link.set_download(kind.file_name());
    link.click();
    // Revoke once the browser has started the download.
    wasm_bindgen_futures::spawn_local(async move {
        yew::platform::time::sleep(std::time::Duration::from_secs(30)).await;
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    Ok(())
}

/// Reads an import: an export, or a bare assessment in the wire format. In the browser
/// with `JSON.parse` and the readers of [`crate::json`]; natively (unit tests) with serde.
fn read_import(text: &str) -> Result<AssessmentInput, String> {
    if cfg!(target_arch = "wasm32") {
        json::read(text, |n| {
            let format = n.field("format");
            if format.is_missing() {
                return Ok(json::assessment_input(n));
            }
            match format.string() {
                f if f == EXPORT_FORMAT => Ok(json::assessment_input(n.field("input"))),
                f => Err(format!("unknown format \"{f}\"")),
            }
        })
        .and_then(|input| input)
    } else {
        match serde_json::from_str::<ExportIn>(text) {
            Ok(export) if export.format == EXPORT_FORMAT => Ok(export.input),
            Ok(export) => Err(format!("unknown format \"{}\"", export.format)),
            Err(_) => AssessmentInput::from_json(text).map_err(|e| e.to_string()),
        }
    }
}

/// What the import reads: an export, whose summary is ignored.
#[derive(Deserialize)]
struct ExportIn {
    format: String,
    input: AssessmentInput,
    #[serde(default)]
    #[allow(dead_code)]
    summary: serde::de::IgnoredAny,
}

/// The export format's name.
pub const EXPORT_FORMAT: &str = "aims-readiness-export/1";

impl State {
    /// The JSON export: `format`, the assessment in the wire format as `input`, and the
    /// headline figures as `summary` (ignored on import).
    pub fn export_json(&self) -> Option<String> {
        let input = self.input()?;
        Some(json::object(|o| {
            o.string("format", EXPORT_FORMAT);
            o.object("input", |o| json::write_assessment_input(o, &input));
            if let Some(e) = &self.evaluation {
                o.object("summary", |o| {
                    o.number("overall", e.result.overall);
                    o.string("band", e.result.band.as_str());
                    o.number("blockers", f64::from(e.result.blockers));
                    o.number(
                        "effort_days_likely",
                        f64::from(e.estimate.effort_days.likely),
                    );
                    o.number(
                        "weeks_to_ready_likely",
                        f64::from(e.estimate.weeks_to_ready.likely),
                    );
                });
            }
        }))
    }

    /// Resumes from an exported file (or a bare wire-format assessment).
    pub(crate) fn import(&mut self, text: &str) {
        let input = match read_import(text) {
            Ok(i) => i,
            Err(e) => {
                self.notice = Some(format!(
                    "That file is not a readiness export this widget can read ({e})."
                ));
                return;
            }
        };
        if input.mode != self.mode {
            self.notice = Some(format!(
                "That file holds a {} answer set; this widget runs the {}.",
                mode_name(input.mode),
                mode_name(self.mode)
            ));
            return;
        }
        self.profile = ProfileDraft::from_profile(&input.profile);
        self.profile_errors = Default::default();
        // Imported answers are the visitor's own, none of them carried over from a quiz.
        self.unconfirmed.clear();
        let version = input
            .bank_version
            .clone()
            .unwrap_or_else(|| self.bank.version().to_string());
        self.restore_answers(&input.answers, &version);
        self.section = 0;
        self.missing_justifications.clear();
        self.recompute();
        self.screen = if self.evaluation.is_some() {
            Screen::Questions
        } else {
            Screen::Profile
        };
        if self.notice.is_none() {
            self.notice = Some(format!(
                "Imported {} answer(s). Check them and go on where you left off.",
                self.answers.iter().flatten().count()
            ));
        }
    }
}
