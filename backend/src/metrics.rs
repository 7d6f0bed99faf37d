//! Counters and gauges exposed at `/metrics` in the OpenMetrics text format, with
//! `prometheus-client`.

use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::{counter::Counter, family::Family, gauge::Gauge};
use prometheus_client::registry::Registry;

/// An HTTP status class as a label (`class="2xx"`).
type Class = [(&'static str, &'static str); 1];

/// Process-wide counters and gauges. Each instance counts its own; Prometheus adds them up.
pub struct Metrics {
    /// HTTP responses by status class: the `2xx`, `4xx` and `5xx` counters of the
    /// registered family, taken from it once so that counting a response takes no lock.
    responses: [Counter; 3],
    /// Requests refused by the rate limit.
    pub rate_limited: Counter,
    /// Evaluations computed (stored or not).
    pub evaluations: Counter,
    /// Assessments stored.
    pub assessments_stored: Counter,
    /// Idempotent replays answered from storage.
    pub idempotent_replays: Counter,
    /// Leads stored.
    pub leads_stored: Counter,
    /// Leads erased.
    pub leads_erased: Counter,
    /// Webhook deliveries that succeeded.
    pub webhook_delivered: Counter,
    /// Webhook deliveries that failed (and will be retried).
    pub webhook_failed: Counter,
    /// Anonymous assessments deleted by the retention.
    pub assessments_expired: Counter,
    /// Assessments refused by the per-client daily cap.
    pub daily_cap_refused: Counter,
    /// Admin requests refused for a wrong token or a lockout.
    pub admin_auth_failed: Counter,
    /// Assessments in the database (read from it at start and every minute, kept up to
    /// date in between by this instance's own writes).
    pub assessments: Gauge,
    /// Webhook deliveries not yet made (likewise).
    pub webhook_pending: Gauge,
    tracked_clients: Gauge,
    connections_open: Gauge,
    registry: Registry,
}

impl Default for Metrics {
    fn default() -> Metrics {
        let family = Family::<Class, Counter>::default();
        let class = |name| family.get_or_create(&[("class", name)]).clone();
        let mut m = Metrics {
            responses: [class("2xx"), class("4xx"), class("5xx")],
            rate_limited: Counter::default(),
            evaluations: Counter::default(),
            assessments_stored: Counter::default(),
            idempotent_replays: Counter::default(),
            leads_stored: Counter::default(),
            leads_erased: Counter::default(),
            webhook_delivered: Counter::default(),
            webhook_failed: Counter::default(),
            assessments_expired: Counter::default(),
            daily_cap_refused: Counter::default(),
            admin_auth_failed: Counter::default(),
            assessments: Gauge::default(),
            webhook_pending: Gauge::default(),
            tracked_clients: Gauge::default(),
            connections_open: Gauge::default(),
            registry: Registry::default(),
        };
        let r = &mut m.registry;
        let responses = "HTTP responses by status class";
        r.register("aims_http_responses", responses, family);
        for (name, help, counter) in [
            (
                "rate_limited",
                "Requests refused by the per-IP rate limit",
                &m.rate_limited,
            ),
            (
                "evaluations",
                "Assessments evaluated by the engine",
                &m.evaluations,
            ),
            (
                "assessments_stored",
                "Assessments stored",
                &m.assessments_stored,
            ),
            (
                "idempotent_replays",
                "Retries answered with the stored assessment",
                &m.idempotent_replays,
            ),
            ("leads_stored", "Leads stored", &m.leads_stored),
            (
                "leads_erased",
                "Leads whose personal data was erased",
                &m.leads_erased,
            ),
            (
                "webhook_delivered",
                "Lead webhooks delivered",
                &m.webhook_delivered,
            ),
            (
                "webhook_failed",
                "Lead webhook attempts that failed",
                &m.webhook_failed,
            ),
            (
                "assessments_expired",
                "Assessments without a lead deleted after the retention period",
                &m.assessments_expired,
            ),
            (
                "daily_cap_refused",
                "Submissions refused by the per-client daily cap",
                &m.daily_cap_refused,
            ),
            (
                "admin_auth_failed",
                "Admin requests refused for a wrong token or a lockout",
                &m.admin_auth_failed,
            ),
        ] {
            r.register(format!("aims_{name}"), help, counter.clone());
        }
        for (name, help, gauge) in [
            ("assessments", "Assessments in the database", &m.assessments),
            (
                "webhook_pending",
                "Lead webhooks not yet delivered",
                &m.webhook_pending,
            ),
            (
                "tracked_clients",
                "Clients the per-client limits remember",
                &m.tracked_clients,
            ),
            (
                "connections_open",
                "Client connections open",
                &m.connections_open,
            ),
        ] {
            r.register(format!("aims_{name}"), help, gauge.clone());
        }
        m
    }
}

impl Metrics {
    /// Counts a response of this status.
    pub fn response(&self, status: u16) {
        let class = match status {
            200..=399 => 0,
            400..=499 => 1,
            _ => 2,
        };
        self.responses[class].inc();
    }

    /// Sets the database gauges from the database itself (two `COUNT`s: at start and
    /// once a minute, never per request).
    pub async fn refresh_gauges(&self, db: &crate::db::Database) -> Result<(), crate::db::DbError> {
        self.assessments.set(db.count_assessments().await?);
        self.webhook_pending.set(db.pending_outbox().await?);
        Ok(())
    }

    /// The OpenMetrics text exposition, with the gauges read from memory now: clients the
    /// per-client limits remember, and open connections.
    pub fn render(&self, tracked: usize, connections: usize) -> String {
        self.tracked_clients.set(tracked as i64);
        self.connections_open.set(connections as i64);
        let mut out = String::with_capacity(2048);
        encode(&mut out, &self.registry).expect("writing to a String does not fail");
        out
    }
}
