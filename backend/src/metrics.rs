//! Counters exposed at `/metrics` in the Prometheus text format.

use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};

/// Process-wide counters. Each instance counts its own; Prometheus adds them up.
#[derive(Default)]
pub struct Metrics {
    /// Responses by class.
    pub responses_2xx: AtomicU64,
    /// Client errors.
    pub responses_4xx: AtomicU64,
    /// Server errors.
    pub responses_5xx: AtomicU64,
    /// Requests refused by the rate limit.
    pub rate_limited: AtomicU64,
    /// Evaluations computed (stored or not).
    pub evaluations: AtomicU64,
    /// Assessments stored.
    pub assessments_stored: AtomicU64,
    /// Idempotent replays answered from storage.
    pub idempotent_replays: AtomicU64,
    /// Leads stored.
    pub leads_stored: AtomicU64,
    /// Leads erased.
    pub leads_erased: AtomicU64,
    /// Webhook deliveries that succeeded.
    pub webhook_delivered: AtomicU64,
    /// Webhook deliveries that failed (and will be retried).
    pub webhook_failed: AtomicU64,
}

/// Adds one.
pub fn inc(counter: &AtomicU64) {
    counter.fetch_add(1, Ordering::Relaxed);
}

impl Metrics {
    /// The Prometheus text exposition, with gauges read from the database.
    pub fn render(&self, stored: i64, outbox_pending: i64) -> String {
        let mut out = String::with_capacity(1024);
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        let _ = writeln!(
            out,
            "# HELP aims_http_responses_total HTTP responses by status class."
        );
        let _ = writeln!(out, "# TYPE aims_http_responses_total counter");
        for (class, c) in [
            ("2xx", &self.responses_2xx),
            ("4xx", &self.responses_4xx),
            ("5xx", &self.responses_5xx),
        ] {
            let _ = writeln!(
                out,
                "aims_http_responses_total{{class=\"{class}\"}} {}",
                get(c)
            );
        }
        let counters = [
            (
                "aims_rate_limited_total",
                "Requests refused by the per-IP rate limit.",
                &self.rate_limited,
            ),
            (
                "aims_evaluations_total",
                "Assessments evaluated by the engine.",
                &self.evaluations,
            ),
            (
                "aims_assessments_stored_total",
                "Assessments stored.",
                &self.assessments_stored,
            ),
            (
                "aims_idempotent_replays_total",
                "Retries answered with the stored assessment.",
                &self.idempotent_replays,
            ),
            (
                "aims_leads_stored_total",
                "Leads stored.",
                &self.leads_stored,
            ),
            (
                "aims_leads_erased_total",
                "Leads whose personal data was erased.",
                &self.leads_erased,
            ),
            (
                "aims_webhook_delivered_total",
                "Lead webhooks delivered.",
                &self.webhook_delivered,
            ),
            (
                "aims_webhook_failed_total",
                "Lead webhook attempts that failed.",
                &self.webhook_failed,
            ),
        ];
        for (name, help, c) in counters {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} counter\n{name} {}",
                get(c)
            );
        }
        let _ = writeln!(
            out,
            "# HELP aims_assessments Assessments in the database.\n# TYPE aims_assessments gauge\naims_assessments {stored}"
        );
        let _ = writeln!(
            out,
            "# HELP aims_webhook_pending Lead webhooks not yet delivered.\n# TYPE aims_webhook_pending gauge\naims_webhook_pending {outbox_pending}"
        );
        out
    }
}
