//! Lead webhook: deliveries wait in the `outbox` table (written in the same transaction
//! as the lead) and are retried with exponential backoff, so a CRM outage loses nothing.

use crate::db::Database;
use crate::metrics::{Metrics, inc};
use std::sync::Arc;
use std::time::Duration;

/// How often the outbox is polled.
const POLL: Duration = Duration::from_millis(500);
/// Longest wait between two attempts.
const MAX_BACKOFF_SECS: i64 = 3600;

/// The wait before attempt `attempts + 1`: 1 s, 2 s, 4 s, ... up to an hour.
pub fn backoff_secs(attempts: i64) -> i64 {
    let exp = attempts.clamp(0, 12) as u32;
    (1i64 << exp).min(MAX_BACKOFF_SECS)
}

/// The HTTP(S) client for deliveries: rustls with the ring provider, system roots.
pub fn client() -> Result<reqwest::Client, reqwest::Error> {
    crate::install_tls_provider();
    reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
}

/// Delivers due webhooks until the task is aborted.
pub async fn deliver_forever(db: Database, metrics: Arc<Metrics>, url: String) {
    let client = match client() {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(error = %e, "webhook client could not be built; deliveries stay queued");
            return;
        }
    };
    loop {
        if let Err(e) = deliver_due(&db, &metrics, &client, &url).await {
            tracing::warn!(error = %e, "webhook outbox could not be read");
        }
        tokio::time::sleep(POLL).await;
    }
}

async fn deliver_due(
    db: &Database,
    metrics: &Metrics,
    client: &reqwest::Client,
    url: &str,
) -> Result<(), crate::db::DbError> {
    let now = crate::http::now();
    for item in db.due_outbox(&now, 20).await? {
        // Claim the item first so that another instance does not send it too.
        let lease = crate::http::timestamp_in(60);
        if !db
            .claim_outbox(&item.id, &item.next_attempt_at, &lease)
            .await?
        {
            continue;
        }
        let sent = client
            .post(url)
            .header("content-type", "application/json")
            .body(item.payload.clone())
            .send()
            .await;
        let outcome = match sent {
            Ok(r) if r.status().is_success() => Ok(()),
            Ok(r) => Err(format!("receiver answered {}", r.status())),
            Err(e) => Err(format!("could not reach the receiver: {}", e.without_url())),
        };
        let now = crate::http::now();
        match outcome {
            Ok(()) => {
                inc(&metrics.webhook_delivered);
                db.record_delivery(&item.id, &now, Ok(())).await?;
            }
            Err(error) => {
                inc(&metrics.webhook_failed);
                let next = crate::http::timestamp_in(backoff_secs(item.attempts));
                tracing::info!(outbox = %item.id, attempts = item.attempts + 1, %error, "webhook delivery failed; will retry");
                db.record_delivery(&item.id, &now, Err((next, error)))
                    .await?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::backoff_secs;

    #[tokio::test]
    async fn https_receivers_are_supported() {
        let client = super::client().expect("client builds");
        // Nothing listens on this port: the error must be about connecting, which shows
        // the https scheme itself is understood (a client without TLS refuses it up front).
        let err = client
            .post("https://127.0.0.1:9/hook")
            .send()
            .await
            .unwrap_err();
        assert!(err.is_connect(), "{err:?}");
    }

    #[test]
    fn backoff_doubles_up_to_an_hour() {
        assert_eq!(backoff_secs(0), 1);
        assert_eq!(backoff_secs(3), 8);
        assert_eq!(backoff_secs(40), 3600);
    }
}
