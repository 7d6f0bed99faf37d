//! The console's storage: accounts, their sessions and failed sign-ins, the lead list
//! paged by keyset (its cost does not grow with the page number), and the funnel's counts.

use super::{Database, DbError, LeadFilter, LeadRow};
use crate::timestamp::Timestamp;
use sqlx::QueryBuilder;

/// What an account may do in the console.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Everything, settings and erasure included.
    Owner,
    /// Reads leads and figures; changes nothing.
    Viewer,
}

impl Role {
    /// The stored and command-line name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Viewer => "viewer",
        }
    }

    /// Reads a stored or command-line name.
    pub fn parse(name: &str) -> Option<Role> {
        [Role::Owner, Role::Viewer]
            .into_iter()
            .find(|r| r.as_str() == name)
    }
}

/// An account as read for signing in.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Account {
    /// ID.
    pub id: String,
    /// Email (stored lower-case).
    pub email: String,
    /// argon2id hash in PHC form.
    pub password_hash: String,
    /// `owner` or `viewer`.
    pub role: String,
}

/// A live session and its account.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionRow {
    /// The account's ID.
    pub account_id: String,
    /// The account's email.
    pub email: String,
    /// The account's role.
    pub role: String,
    /// The token every form of this session must carry.
    pub csrf: String,
    /// When it ends.
    pub expires_at: Timestamp,
}

/// Where a page of leads starts: after this lead in newest-first order.
#[derive(Debug, Clone, PartialEq)]
pub struct LeadCursor {
    /// The last listed lead's time.
    pub created_at: Timestamp,
    /// The last listed lead's ID (ties on time are ordered by ID).
    pub id: String,
}

/// One site's count of one funnel step over a period.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FunnelCount {
    /// The embedding page's origin.
    pub origin: String,
    /// `view`, `start`, `complete` or `lead`.
    pub event: String,
    /// How many.
    pub count: i64,
}

const LEAD_COLUMNS: &str = "SELECT l.id, l.assessment_id, l.created_at, l.name, l.email, l.company, l.phone, l.role, \
     l.erased_at, a.overall, a.band, a.mode FROM leads l JOIN assessments a ON a.id = l.assessment_id WHERE 1 = 1";

impl Database {
    /// Creates an account; `Ok(false)` when the email is taken.
    pub async fn create_account(
        &self,
        email: &str,
        password_hash: &str,
        role: Role,
    ) -> Result<bool, DbError> {
        let id = uuid::Uuid::new_v4().to_string();
        let done = with_writer!(self, |conn| {
            sqlx::query(
                "INSERT INTO accounts (id, email, password_hash, role, created_at) VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (email) DO NOTHING",
            )
            .bind(&id)
            .bind(email)
            .bind(password_hash)
            .bind(role.as_str())
            .bind(Timestamp::now())
            .execute(&mut *conn)
            .await?
            .rows_affected()
        });
        Ok(done == 1)
    }

    /// The account with this (lower-case) email.
    pub async fn account_by_email(&self, email: &str) -> Result<Option<Account>, DbError> {
        with_pool!(self, |pool| {
            Ok(sqlx::query_as(
                "SELECT id, email, password_hash, role FROM accounts WHERE email = $1",
            )
            .bind(email)
            .fetch_optional(pool)
            .await?)
        })
    }

    /// Opens a session (stored by its token's hash).
    pub async fn open_session(
        &self,
        account_id: &str,
        token_hash: &str,
        csrf: &str,
        expires_at: Timestamp,
    ) -> Result<(), DbError> {
        with_writer!(self, |conn| {
            sqlx::query(
                "INSERT INTO sessions (token_hash, account_id, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(token_hash)
            .bind(account_id)
            .bind(csrf)
            .bind(Timestamp::now())
            .bind(expires_at)
            .execute(&mut *conn)
            .await?;
        });
        Ok(())
    }

    /// The live session with this token hash, if it has not expired.
    pub async fn session(&self, token_hash: &str) -> Result<Option<SessionRow>, DbError> {
        with_pool!(self, |pool| {
            Ok(sqlx::query_as(
                "SELECT s.account_id, a.email, a.role, s.csrf, s.expires_at FROM sessions s \
                 JOIN accounts a ON a.id = s.account_id WHERE s.token_hash = $1 AND s.expires_at > $2",
            )
            .bind(token_hash)
            .bind(Timestamp::now())
            .fetch_optional(pool)
            .await?)
        })
    }

    /// Ends a session.
    pub async fn close_session(&self, token_hash: &str) -> Result<(), DbError> {
        with_writer!(self, |conn| {
            sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
                .bind(token_hash)
                .execute(&mut *conn)
                .await?;
        });
        Ok(())
    }

    /// Deletes the sessions that have expired; returns how many.
    pub async fn delete_expired_sessions(&self, now: Timestamp) -> Result<u64, DbError> {
        Ok(with_writer!(self, |conn| {
            sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
                .bind(now)
                .execute(&mut *conn)
                .await?
                .rows_affected()
        }))
    }

    /// One page of leads, newest first, starting after `after`; `search` matches the
    /// company or the email, case-insensitively. Reads `limit + 1` rows so that the caller
    /// knows whether another page follows.
    pub async fn lead_page(
        &self,
        filter: &LeadFilter,
        search: Option<&str>,
        after: Option<&LeadCursor>,
        limit: i64,
    ) -> Result<Vec<LeadRow>, DbError> {
        // `!` escapes the wildcards (a backslash would depend on PostgreSQL's string
        // settings). Both sides are lowered by the database: Unicode in PostgreSQL, ASCII
        // letters only in SQLite.
        let search = search.map(str::trim).filter(|t| !t.is_empty()).map(|text| {
            let escaped: String = text
                .chars()
                .flat_map(|c| match c {
                    '%' | '_' | '!' => vec!['!', c],
                    c => vec![c],
                })
                .collect();
            format!("%{escaped}%")
        });
        // The builder is typed by engine: the same statements are built for each.
        with_pool!(self, |pool| {
            let mut q = QueryBuilder::new(LEAD_COLUMNS);
            if let Some(band) = &filter.band {
                q.push(" AND a.band = ").push_bind(band.clone());
            }
            if let Some(from) = filter.from {
                q.push(" AND l.created_at >= ").push_bind(from);
            }
            if let Some(to) = filter.to {
                q.push(" AND l.created_at < ").push_bind(to);
            }
            if let Some(pattern) = &search {
                q.push(" AND (LOWER(l.company) LIKE LOWER(")
                    .push_bind(pattern.clone())
                    .push(") ESCAPE '!' OR LOWER(l.email) LIKE LOWER(")
                    .push_bind(pattern.clone())
                    .push(") ESCAPE '!')");
            }
            // A row-value comparison, which both engines answer with a range scan of the
            // (created_at, id) index: a deep page costs what the first does.
            if let Some(c) = after {
                q.push(" AND (l.created_at, l.id) < (")
                    .push_bind(c.created_at)
                    .push(", ")
                    .push_bind(c.id.clone())
                    .push(")");
            }
            q.push(" ORDER BY l.created_at DESC, l.id DESC LIMIT ")
                .push_bind(limit + 1);
            Ok(q.build_query_as().fetch_all(pool).await?)
        })
    }

    /// One lead by ID.
    pub async fn lead(&self, id: &str) -> Result<Option<LeadRow>, DbError> {
        with_pool!(self, |pool| {
            let mut q = QueryBuilder::new(LEAD_COLUMNS);
            q.push(" AND l.id = ").push_bind(id.to_string());
            Ok(q.build_query_as().fetch_optional(pool).await?)
        })
    }

    /// Adds one to a day's count of a funnel step (one statement: exact under concurrency).
    pub async fn count_event(
        &self,
        day: &str,
        origin: &str,
        mode: &str,
        event: &str,
    ) -> Result<(), DbError> {
        with_writer!(self, |conn| {
            sqlx::query(
                "INSERT INTO funnel (day, origin, mode, event, count) VALUES ($1, $2, $3, $4, 1) \
                 ON CONFLICT (day, origin, mode, event) DO UPDATE SET count = funnel.count + 1",
            )
            .bind(day)
            .bind(origin)
            .bind(mode)
            .bind(event)
            .execute(&mut *conn)
            .await?;
        });
        Ok(())
    }

    /// The funnel's counts per site and step from day `from` to day `to` (both included,
    /// `YYYY-MM-DD`), of one mode or of both.
    pub async fn funnel(
        &self,
        from: &str,
        to: &str,
        mode: Option<&str>,
    ) -> Result<Vec<FunnelCount>, DbError> {
        with_pool!(self, |pool| {
            let mut q = QueryBuilder::new(
                "SELECT origin, event, CAST(SUM(count) AS BIGINT) AS count FROM funnel WHERE day >= ",
            );
            q.push_bind(from.to_string())
                .push(" AND day <= ")
                .push_bind(to.to_string());
            if let Some(mode) = mode {
                q.push(" AND mode = ").push_bind(mode.to_string());
            }
            q.push(" GROUP BY origin, event ORDER BY origin, event");
            Ok(q.build_query_as().fetch_all(pool).await?)
        })
    }
}
