//! Counters exposed at `/metrics` in the Prometheus text format.

use std::fmt::Write;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};

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
    /// Anonymous assessments deleted by the retention.
    pub assessments_expired: AtomicU64,
    /// Assessments refused by the per-client daily cap.
    pub daily_cap_refused: AtomicU64,
    /// Admin requests refused for a wrong token or a lockout.
    pub admin_auth_failed: AtomicU64,
    /// Gauge: assessments in the database (read from it at start and every minute,
    /// kept up to date in between by this instance's own writes).
    pub assessments: AtomicI64,
    /// Gauge: webhook deliveries not yet made (likewise).
    pub webhook_pending: AtomicI64,
}

/// Adds one.
pub fn inc(counter: &AtomicU64) {
    counter.fetch_add(1, Ordering::Relaxed);
}

/// Adds `n` (negative: takes away) to a gauge.
pub fn add(gauge: &AtomicI64, n: i64) {
    gauge.fetch_add(n, Ordering::Relaxed);
}

impl Metrics {
    /// Sets the database gauges from the database itself (two `COUNT`s: at start and
    /// once a minute, never per request).
    pub async fn refresh_gauges(&self, db: &crate::db::Database) -> Result<(), crate::db::DbError> {
        let stored = db.count_assessments().await?;
        let pending = db.pending_outbox().await?;
        self.assessments.store(stored, Ordering::Relaxed);
        self.webhook_pending.store(pending, Ordering::Relaxed);
        Ok(())
    }

    /// The Prometheus text exposition, with the gauges read from memory now: clients the
    /// per-client limits remember, and open connections.
    pub fn render(&self, tracked: usize, connections: usize) -> String {
        let stored = self.assessments.load(Ordering::Relaxed).max(0);
        let outbox_pending = self.webhook_pending.load(Ordering::Relaxed).max(0);
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
            (
                "aims_assessments_expired_total",
                "Assessments without a lead deleted after the retention period.",
                &self.assessments_expired,
            ),
            (
                "aims_daily_cap_refused_total",
                "Submissions refused by the per-client daily cap.",
                &self.daily_cap_refused,
            ),
            (
                "aims_admin_auth_failed_total",
                "Admin requests refused for a wrong token or a lockout.",
                &self.admin_auth_failed,
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
        let _ = writeln!(
            out,
            "# HELP aims_tracked_clients Clients the per-client limits remember.\n# TYPE aims_tracked_clients gauge\naims_tracked_clients {tracked}"
        );
        let _ = writeln!(
            out,
            "# HELP aims_connections_open Client connections open.\n# TYPE aims_connections_open gauge\naims_connections_open {connections}"
        );
        out
    }
}
