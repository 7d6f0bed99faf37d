//! Lead webhook: deliveries wait in the `outbox` table (written in the same transaction
//! as the lead) and are retried with exponential backoff, so a CRM outage loses nothing.
//!
//! A delivery's body is built when it is sent, from the lead's row: the outbox holds no
//! copy of personal data, and an erased lead is never sent. Redirects are never
//! followed (a receiver answering 3xx could otherwise send the lead anywhere, or turn
//! the POST into a bodiless GET): any 3xx is a failed attempt, retried. Every delivery
//! is signed the way Standard Webhooks (standardwebhooks.com) describes: headers
//! `webhook-id` (the same on every retry), `webhook-timestamp` (Unix seconds) and
//! `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`.

use crate::AppState;
use crate::db::Database;
use crate::metrics::Metrics;
use crate::timestamp::Timestamp;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretString};
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

/// The HTTP(S) client for deliveries: rustls with the ring provider, system roots, no
/// redirects.
pub fn client() -> Result<reqwest::Client, reqwest::Error> {
    crate::install_tls_provider();
    reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .redirect(reqwest::redirect::Policy::none())
        .build()
}

/// The `webhook-signature` value for a delivery: `v1,` and the base64 of the
/// HMAC-SHA256, keyed with the secret's bytes, of `"{id}.{timestamp}.{body}"`.
pub fn signature(secret: &SecretString, id: &str, timestamp: i64, body: &[u8]) -> String {
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.expose_secret().as_bytes())
        .expect("HMAC takes keys of any length");
    mac.update(id.as_bytes());
    mac.update(b".");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    let tag = mac.finalize().into_bytes();
    format!(
        "v1,{}",
        base64::engine::general_purpose::STANDARD.encode(tag)
    )
}

/// Delivers due webhooks until the task is aborted, to the receiver set now (the
/// console's, else the flags'); with none set, deliveries wait.
pub async fn deliver_forever(state: AppState) {
    let client = match client() {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(error = %e, "webhook client could not be built; deliveries stay queued");
            return;
        }
    };
    loop {
        if let Some((url, secret)) = state.live().webhook(&state.config)
            && let Err(e) = deliver_due(
                &state.db,
                &state.metrics,
                &client,
                url.expose_secret(),
                &secret,
            )
            .await
        {
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
    secret: &SecretString,
) -> Result<(), crate::db::DbError> {
    for item in db.due_outbox("webhook", Timestamp::now(), 20).await? {
        // Claim the item first so that another instance does not send it too.
        let lease = Timestamp::in_secs(60);
        if !db
            .claim_outbox(&item.id, item.next_attempt_at, lease)
            .await?
        {
            continue;
        }
        // Erased since it was queued (the erasure deletes the delivery too): nothing to send.
        let Some(event) = db.lead_event(&item.lead_id).await? else {
            continue;
        };
        let body = serde_json::to_vec(&event).expect("events serialise");
        let timestamp = Timestamp::now().unix();
        let sent = client
            .post(url)
            .header("content-type", "application/json")
            .header("webhook-id", &item.id)
            .header("webhook-timestamp", timestamp.to_string())
            .header(
                "webhook-signature",
                signature(secret, &item.id, timestamp, &body),
            )
            .body(body)
            .send()
            .await;
        let outcome = match sent {
            Ok(r) if r.status().is_success() => Ok(()),
            Ok(r) if r.status().is_redirection() => Err(format!(
                "receiver answered {}; redirects are not followed",
                r.status()
            )),
            Ok(r) => Err(format!("receiver answered {}", r.status())),
            Err(e) => Err(format!("could not reach the receiver: {}", e.without_url())),
        };
        let now = Timestamp::now();
        match outcome {
            Ok(()) => {
                db.record_delivery(&item.id, now, Ok(())).await?;
                metrics.webhook_delivered.inc();
                metrics.webhook_pending.dec_by(1);
            }
            Err(error) => {
                metrics.webhook_failed.inc();
                let next = Timestamp::in_secs(backoff_secs(item.attempts));
                tracing::info!(outbox = %item.id, attempts = item.attempts + 1, %error, "webhook delivery failed; will retry");
                db.record_delivery(&item.id, now, Err((next, error)))
                    .await?;
            }
        }
    }
    Ok(())
}

/// Sends one signed test delivery now (`"event": "webhook.test"`, no personal data) and
/// says how the receiver answered.
pub async fn send_test(url: &str, secret: &SecretString) -> Result<String, String> {
    let client = client().map_err(|e| format!("the client could not be built: {e}"))?;
    let id = format!("test_{}", uuid::Uuid::new_v4().simple());
    let timestamp = Timestamp::now().unix();
    let body = serde_json::to_vec(&serde_json::json!({
        "event": "webhook.test",
        "sent_at": Timestamp::now().to_string(),
    }))
    .expect("JSON serialises");
    let sent = client
        .post(url)
        .header("content-type", "application/json")
        .header("webhook-id", &id)
        .header("webhook-timestamp", timestamp.to_string())
        .header(
            "webhook-signature",
            signature(secret, &id, timestamp, &body),
        )
        .body(body)
        .send()
        .await;
    match sent {
        Ok(r) if r.status().is_success() => Ok(format!("the receiver answered {}", r.status())),
        Ok(r) if r.status().is_redirection() => Err(format!(
            "the receiver answered {}; redirects are not followed",
            r.status()
        )),
        Ok(r) => Err(format!("the receiver answered {}", r.status())),
        Err(e) => Err(format!("could not reach the receiver: {}", e.without_url())),
    }
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
    fn signatures_follow_standard_webhooks() {
        // The message of the Standard Webhooks specification's example, signed with our
        // test secret; the expected value was computed with Python's hmac module, whose
        // result for the specification's own key matches the specification.
        let secret = secrecy::SecretString::from("test-webhook-secret-0123456789abcdef");
        let sig = super::signature(
            &secret,
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1614265330,
            br#"{"test": 2432232314}"#,
        );
        assert_eq!(sig, "v1,v7k8nQCw/qzOBnYCbUN1PmHusviPGMlQRNwXCje9tcM=");
        let a = super::signature(&secret, "id", 1, b"body");
        assert_ne!(a, super::signature(&secret, "id", 2, b"body"));
        assert_ne!(a, super::signature(&secret, "id", 1, b"bodY"));
        assert_ne!(a, super::signature(&secret, "iD", 1, b"body"));
        assert_ne!(
            a,
            super::signature(&"j".repeat(32).into(), "id", 1, b"body")
        );
    }

    #[test]
    fn backoff_doubles_up_to_an_hour() {
        assert_eq!(backoff_secs(0), 1);
        assert_eq!(backoff_secs(3), 8);
        assert_eq!(backoff_secs(40), 3600);
    }
}
