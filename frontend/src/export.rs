//! Files the visitor can download: answers as JSON (re-importable), the Markdown report,
//! the AI Control Register and the Statement of Applicability as CSV.

use crate::state::State;
use aims_report::{ReportContext, csv, markdown};
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
