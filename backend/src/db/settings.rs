//! What owners change in the console: one row of settings, its revision watched by every
//! instance, and the question banks uploaded (kept for good, by version).

use super::{Database, DbError};
use crate::timestamp::Timestamp;

/// The stored settings: the revision and the JSON body. Not `Debug`: the body holds the
/// webhook's URL and secret.
#[derive(Clone, sqlx::FromRow)]
pub struct SettingsRow {
    /// Raised by one on every change.
    pub revision: i64,
    /// The settings as JSON.
    pub body: String,
    /// When they were last changed.
    pub updated_at: Timestamp,
    /// Who changed them (the account's email).
    pub updated_by: String,
}

/// An uploaded bank, without its text.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct BankRow {
    /// Its version (`2.1.0`), unique.
    pub version: String,
    /// When it was uploaded.
    pub uploaded_at: Timestamp,
    /// Who uploaded it.
    pub uploaded_by: String,
}

/// A delivery from the outbox, as the console lists it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DeliveryRow {
    /// The outbox ID (the `webhook-id` header).
    pub id: String,
    /// Attempts made.
    pub attempts: i64,
    /// When it was delivered.
    pub delivered_at: Option<Timestamp>,
    /// When it is tried next, while not delivered.
    pub next_attempt_at: Timestamp,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
}

impl Database {
    /// The settings' revision, 0 before the first change.
    pub async fn settings_revision(&self) -> Result<i64, DbError> {
        with_pool!(self, |pool| {
            let revision: Option<i64> =
                sqlx::query_scalar("SELECT revision FROM settings WHERE id = 1")
                    .fetch_optional(pool)
                    .await?;
            Ok(revision.unwrap_or(0))
        })
    }

    /// The stored settings, if any were ever saved.
    pub async fn settings(&self) -> Result<Option<SettingsRow>, DbError> {
        with_pool!(self, |pool| {
            Ok(sqlx::query_as(
                "SELECT revision, body, updated_at, updated_by FROM settings WHERE id = 1",
            )
            .fetch_optional(pool)
            .await?)
        })
    }

    /// Saves the settings if they are still at `revision` (so that two owners saving at
    /// once do not silently overwrite each other); `Ok(false)` when someone saved first.
    pub async fn save_settings(
        &self,
        revision: i64,
        body: &str,
        by: &str,
    ) -> Result<bool, DbError> {
        let now = Timestamp::now();
        let done = with_writer!(self, |conn| {
            if revision == 0 {
                sqlx::query(
                    "INSERT INTO settings (id, revision, body, updated_at, updated_by) VALUES (1, 1, $1, $2, $3) \
                     ON CONFLICT (id) DO NOTHING",
                )
                .bind(body)
                .bind(now)
                .bind(by)
                .execute(&mut *conn)
                .await?
                .rows_affected()
            } else {
                sqlx::query(
                    "UPDATE settings SET revision = revision + 1, body = $1, updated_at = $2, updated_by = $3 \
                     WHERE id = 1 AND revision = $4",
                )
                .bind(body)
                .bind(now)
                .bind(by)
                .bind(revision)
                .execute(&mut *conn)
                .await?
                .rows_affected()
            }
        });
        Ok(done == 1)
    }

    /// Stores an uploaded bank; `Ok(false)` when its version is taken.
    pub async fn store_bank(&self, version: &str, body: &str, by: &str) -> Result<bool, DbError> {
        let done = with_writer!(self, |conn| {
            sqlx::query(
                "INSERT INTO banks (version, body, uploaded_at, uploaded_by) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (version) DO NOTHING",
            )
            .bind(version)
            .bind(body)
            .bind(Timestamp::now())
            .bind(by)
            .execute(&mut *conn)
            .await?
            .rows_affected()
        });
        Ok(done == 1)
    }

    /// The uploaded banks, newest first.
    pub async fn banks(&self) -> Result<Vec<BankRow>, DbError> {
        with_pool!(self, |pool| {
            Ok(sqlx::query_as(
                "SELECT version, uploaded_at, uploaded_by FROM banks ORDER BY uploaded_at DESC, version DESC",
            )
            .fetch_all(pool)
            .await?)
        })
    }

    /// The text of an uploaded bank.
    pub async fn bank_text(&self, version: &str) -> Result<Option<String>, DbError> {
        with_pool!(self, |pool| {
            Ok(
                sqlx::query_scalar("SELECT body FROM banks WHERE version = $1")
                    .bind(version)
                    .fetch_optional(pool)
                    .await?,
            )
        })
    }

    /// The latest webhook deliveries, newest first.
    pub async fn recent_deliveries(&self, limit: i64) -> Result<Vec<DeliveryRow>, DbError> {
        with_pool!(self, |pool| {
            Ok(sqlx::query_as(
                "SELECT id, attempts, delivered_at, next_attempt_at, last_error FROM outbox \
                 WHERE channel = 'webhook' ORDER BY COALESCE(delivered_at, next_attempt_at) DESC, id LIMIT $1",
            )
            .bind(limit)
            .fetch_all(pool)
            .await?)
        })
    }
}
