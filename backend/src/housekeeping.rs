//! Background chores: delete anonymous assessments past their retention and console
//! sessions past their end, forget quiet clients in the per-client limits, and re-read the
//! database gauges.

use crate::AppState;
use crate::timestamp::Timestamp;
use std::time::Duration;

/// How often the limits are pruned and the gauges re-read.
const EVERY: Duration = Duration::from_secs(60);
/// How often the retention runs (and once at start).
const RETENTION_EVERY: Duration = Duration::from_secs(3600);

/// Runs the chores until the task is aborted.
pub async fn run_forever(state: AppState) {
    let mut tick = tokio::time::interval(EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut last_retention: Option<tokio::time::Instant> = None;
    loop {
        tick.tick().await;
        // The first round is at start, where the gauges were just read: re-reading them
        // now could overwrite the first requests' increments with a count taken before
        // those requests committed.
        let first = last_retention.is_none();
        if last_retention.is_none_or(|t| t.elapsed() >= RETENTION_EVERY) {
            last_retention = Some(tokio::time::Instant::now());
            expire(&state).await;
            if let Err(e) = state.db.delete_expired_sessions(Timestamp::now()).await {
                tracing::warn!(error = %e, "expired console sessions could not be deleted; will retry");
            }
        }
        state.limits.prune();
        state.sign_ins.prune();
        if !first && let Err(e) = state.metrics.refresh_gauges(&state.db).await {
            tracing::warn!(error = %e, "gauges could not be read from the database");
        }
    }
}

/// Deletes the assessments without a lead made more than `--retention-days` ago.
async fn expire(state: &AppState) {
    let days = state.config.retention_days;
    if days == 0 {
        return;
    }
    let cutoff = Timestamp::in_secs(-i64::from(days) * 24 * 3600);
    match state.db.delete_expired(cutoff).await {
        Ok(0) => {}
        Ok(n) => {
            state.metrics.assessments_expired.inc_by(n);
            state.metrics.assessments.dec_by(n as i64);
            tracing::info!(
                deleted = n,
                retention_days = days,
                "anonymous assessments past their retention deleted"
            );
        }
        Err(e) => tracing::warn!(error = %e, "retention could not run; will retry"),
    }
}
