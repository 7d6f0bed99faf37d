//! Storage: SQLite by default, PostgreSQL when the URL says so. One set of operations,
//! written once and compiled for both engines (`with_pool!`); migrations per engine.

use crate::timestamp::Timestamp;
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqlitePool, SqlitePoolOptions,
    SqliteSynchronous,
};
use sqlx::{Connection, QueryBuilder, Row};
use std::collections::HashSet;
use std::str::FromStr;
use std::time::Duration;

/// A connection pool to one of the supported engines.
#[derive(Clone, Debug)]
pub enum Database {
    /// An embedded SQLite file (the default): a pool for reads, and one connection for
    /// all writes. SQLite has one writer at a time: writes queue for that connection
    /// instead of spinning on SQLITE_BUSY, and, unlike a pooled connection, it is not
    /// pinged (a round trip to its thread) each time it is handed back.
    Sqlite {
        /// Connections for reads.
        read: SqlitePool,
        /// The one connection for writes.
        write: std::sync::Arc<tokio::sync::Mutex<SqliteConnection>>,
        /// Write transactions started, so that the background checkpoint knows when
        /// there is something to copy.
        writes: std::sync::Arc<std::sync::atomic::AtomicU64>,
    },
    /// A PostgreSQL server (several API instances may share it).
    Postgres(PgPool),
}

/// What can go wrong in storage.
#[derive(Debug)]
pub enum DbError {
    /// The database refused or failed.
    Sqlx(sqlx::Error),
    /// Migrations failed at start.
    Migrate(sqlx::migrate::MigrateError),
    /// The same idempotency key was used with a different request.
    IdempotencyConflict,
    /// The write queue's task has stopped.
    WriterGone,
    /// A stored value does not read back (it is left as it is, not overwritten).
    Unreadable(&'static str),
}

impl std::fmt::Display for DbError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DbError::Sqlx(e) => write!(f, "database error: {e}"),
            DbError::Migrate(e) => write!(f, "migration error: {e}"),
            DbError::IdempotencyConflict => {
                f.write_str("idempotency key reused with a different request")
            }
            DbError::WriterGone => f.write_str("the write queue has stopped"),
            DbError::Unreadable(what) => write!(f, "the stored {what} do not read back"),
        }
    }
}

impl std::error::Error for DbError {}

impl From<sqlx::Error> for DbError {
    fn from(e: sqlx::Error) -> DbError {
        DbError::Sqlx(e)
    }
}

/// Runs the same body against whichever pool this is (for SQLite, its read pool). SQL is
/// written once with `$1, $2, ...` placeholders, which both engines take.
macro_rules! with_pool {
    ($db:expr, |$pool:ident| $body:expr) => {
        match $db {
            Database::Sqlite { read: $pool, .. } => $body,
            Database::Postgres($pool) => $body,
        }
    };
}

/// Runs the same body with a connection that writes: for SQLite its one writing
/// connection (waiting for it), for PostgreSQL one from the pool.
macro_rules! with_writer {
    ($db:expr, |$conn:ident| $body:expr) => {
        match $db {
            Database::Sqlite { write, writes, .. } => {
                let mut guard = write.lock().await;
                writes.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let $conn: &mut sqlx::sqlite::SqliteConnection = &mut guard;
                $body
            }
            Database::Postgres(pool) => {
                let mut pooled = pool.acquire().await?;
                let $conn: &mut sqlx::PgConnection = &mut pooled;
                $body
            }
        }
    };
}

mod console;
mod settings;
pub use console::{Account, FunnelCount, LeadCursor, Role, SessionRow};
pub use settings::{BankRow, DeliveryRow, SettingsRow};

/// A new assessment to store, already evaluated by the engine.
pub struct NewAssessment {
    /// Unguessable ID (UUID v4: 122 random bits).
    pub id: String,
    /// When it was received.
    pub created_at: Timestamp,
    /// `quick` or `full`.
    pub mode: String,
    /// Bank version used.
    pub bank_version: String,
    /// Overall score (from the engine).
    pub overall: f64,
    /// Band (from the engine).
    pub band: String,
    /// Blocker count (from the engine).
    pub blockers: i64,
    /// The assessment input, without contact details.
    pub input_json: String,
    /// Client-chosen key that makes retries safe.
    pub idempotency_key: Option<String>,
    /// SHA-256 of the request body, to tell a retry from a different request.
    pub request_hash: String,
    /// Contact details, if the visitor left them.
    pub lead: Option<NewLead>,
    /// The outbox channels to queue a delivery on for the lead: `webhook` when a webhook
    /// is configured, `mail` when new-lead emails are. A delivery's body is built when it
    /// is sent, from the lead's row, so that the outbox never holds a copy of personal
    /// data that an erasure could miss.
    pub notify: Vec<&'static str>,
}

/// Contact details to store.
pub struct NewLead {
    /// Lead ID.
    pub id: String,
    /// Name.
    pub name: String,
    /// Email address.
    pub email: String,
    /// Company, may be empty.
    pub company: String,
    /// Phone number, may be empty.
    pub phone: String,
    /// Role, may be empty.
    pub role: String,
    /// Whether the report is to be emailed to them (an outbox row, not a column).
    pub send_report: bool,
}

/// One request waiting for its assessment to be written.
type Job = (
    NewAssessment,
    tokio::sync::oneshot::Sender<Result<(String, bool), DbError>>,
);

/// The write queue: request handlers hand over their assessments, one task writes them
/// in batches (group commit) and answers each once its transaction has committed.
#[derive(Clone)]
pub struct Writer {
    queue: tokio::sync::mpsc::Sender<Job>,
}

/// Most assessments written in one transaction.
const MAX_BATCH: usize = 64;

impl Writer {
    /// Starts the writing task for `db`.
    pub fn start(db: Database) -> Writer {
        let (queue, mut jobs) = tokio::sync::mpsc::channel::<Job>(4 * MAX_BATCH);
        tokio::spawn(async move {
            while let Some(first) = jobs.recv().await {
                let mut batch = vec![first];
                let drain = |batch: &mut Vec<Job>, jobs: &mut tokio::sync::mpsc::Receiver<Job>| {
                    while batch.len() < MAX_BATCH {
                        match jobs.try_recv() {
                            Ok(job) => batch.push(job),
                            Err(_) => break,
                        }
                    }
                };
                drain(&mut batch, &mut jobs);
                // Under load (more than one waiting), let the handlers that are about to
                // hand over their assessments get there first: one commit then serves
                // more of them, and commits, not rows, are most of SQLite's write cost.
                // A lone request is written at once.
                for _ in 0..2 {
                    if batch.len() < 2 || batch.len() >= MAX_BATCH {
                        break;
                    }
                    tokio::task::yield_now().await;
                    drain(&mut batch, &mut jobs);
                }
                let (items, replies): (Vec<NewAssessment>, Vec<_>) = batch.into_iter().unzip();
                match db.insert_batch(&items).await {
                    Ok(inserted) => {
                        for ((item, reply), fresh) in items.iter().zip(replies).zip(inserted) {
                            let _ = reply.send(db.answer(item, fresh).await);
                        }
                    }
                    // A failed batch is retried one by one, so each request gets its own answer.
                    Err(e) => {
                        tracing::warn!(error = %e, size = items.len(), "batch insert failed; retrying one by one");
                        for (item, reply) in items.iter().zip(replies) {
                            let answer = match db.insert_batch(std::slice::from_ref(item)).await {
                                Ok(inserted) => db.answer(item, inserted[0]).await,
                                Err(e) => Err(e),
                            };
                            let _ = reply.send(answer);
                        }
                    }
                }
            }
        });
        Writer { queue }
    }

    /// Stores an assessment with its lead and webhook delivery, all or nothing, once its
    /// batch has committed. With an idempotency key already used for the same request,
    /// returns the stored one instead (`false` in the second field); with a different
    /// request, `IdempotencyConflict`.
    pub async fn insert(&self, a: NewAssessment) -> Result<(String, bool), DbError> {
        let (reply, answer) = tokio::sync::oneshot::channel();
        self.queue
            .send((a, reply))
            .await
            .map_err(|_| DbError::WriterGone)?;
        answer.await.map_err(|_| DbError::WriterGone)?
    }
}

/// A stored assessment as read back.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StoredAssessment {
    /// ID.
    pub id: String,
    /// When it was received.
    pub created_at: Timestamp,
    /// The bank version it was evaluated with.
    pub bank_version: String,
    /// The input, as JSON text.
    pub input_json: String,
    /// The company of its lead, if one was left and not erased (for the report's title).
    pub company: Option<String>,
}

/// A lead as the admin sees it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema, sqlx::FromRow)]
pub struct LeadRow {
    /// Lead ID.
    pub id: String,
    /// The assessment it came with.
    pub assessment_id: String,
    /// When it was left.
    pub created_at: Timestamp,
    /// Name (null once erased).
    pub name: Option<String>,
    /// Email (null once erased).
    pub email: Option<String>,
    /// Company (null once erased).
    pub company: Option<String>,
    /// Phone number (null once erased, empty when not given).
    pub phone: Option<String>,
    /// Role (null once erased, empty when not given).
    pub role: Option<String>,
    /// When the personal data was erased.
    pub erased_at: Option<Timestamp>,
    /// The assessment's overall score.
    pub overall: f64,
    /// The assessment's band.
    pub band: String,
    /// The assessment's mode.
    pub mode: String,
}

/// Filters for the lead list.
#[derive(Debug, Clone, Default)]
pub struct LeadFilter {
    /// Only this band.
    pub band: Option<String>,
    /// Created at or after.
    pub from: Option<Timestamp>,
    /// Created before.
    pub to: Option<Timestamp>,
}

/// A webhook delivery that is due.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OutboxItem {
    /// ID (also the delivery ID the receiver sees, the same on every retry).
    pub id: String,
    /// The lead to tell about.
    pub lead_id: String,
    /// Attempts so far.
    pub attempts: i64,
    /// When it became due (used to claim it).
    pub next_attempt_at: Timestamp,
}

/// What a lead webhook tells: the lead and its assessment's headline, read when sent.
#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow)]
pub struct LeadEvent {
    /// Always `lead.created`.
    #[sqlx(skip)]
    pub event: &'static str,
    /// Lead ID.
    pub lead_id: String,
    /// The assessment it came with.
    pub assessment_id: String,
    /// When it was left.
    pub created_at: Timestamp,
    /// Name.
    pub name: String,
    /// Email.
    pub email: String,
    /// Company, may be empty.
    pub company: String,
    /// Phone number, may be empty.
    pub phone: String,
    /// Role, may be empty.
    pub role: String,
    /// Overall score.
    pub overall: f64,
    /// Band.
    pub band: String,
    /// Blockers.
    pub blockers: i64,
    /// The report's path.
    #[sqlx(skip)]
    pub report: String,
}

/// WAL size (in 4 KiB pages) at which the SQLite writer checkpoints itself.
const WAL_BACKSTOP_FRAMES: u32 = 8000;

/// How often the background checkpoint runs while there are writes.
const CHECKPOINT_EVERY: Duration = Duration::from_millis(20);

/// Copies committed WAL frames into the SQLite database file, concurrently with the writer
/// (a PASSIVE checkpoint waits for no one), until the pool is closed, so that the writer's
/// commits do not stall on them (the README's benchmark section has the figures).
async fn checkpoint_in_background(
    pool: SqlitePool,
    writes: std::sync::Arc<std::sync::atomic::AtomicU64>,
) {
    let mut tick = tokio::time::interval(CHECKPOINT_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut seen = 0;
    while !pool.is_closed() {
        tick.tick().await;
        let now = writes.load(std::sync::atomic::Ordering::Relaxed);
        if now == seen {
            continue;
        }
        seen = now;
        if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
            .execute(&pool)
            .await
        {
            tracing::debug!(error = %e, "background checkpoint failed; the writer's own will follow");
        }
    }
}

impl Database {
    /// Connects, creating the SQLite file and its folder when needed, and runs migrations.
    pub async fn connect(url: &str) -> Result<Database, DbError> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(10))
                .connect(url)
                .await?;
            sqlx::migrate!("./migrations/postgres")
                .run(&pool)
                .await
                .map_err(DbError::Migrate)?;
            Ok(Database::Postgres(pool))
        } else {
            let path = url
                .trim_start_matches("sqlite://")
                .trim_start_matches("sqlite:");
            let path = path.split('?').next().unwrap_or(path);
            if let Some(parent) = std::path::Path::new(path).parent()
                && !parent.as_os_str().is_empty()
            {
                std::fs::create_dir_all(parent).map_err(|e| DbError::Sqlx(sqlx::Error::Io(e)))?;
            }
            let options = SqliteConnectOptions::from_str(&format!("sqlite://{path}"))?
                .create_if_missing(true)
                // WAL with synchronous=NORMAL: a committed transaction survives a crash of
                // the process (kill -9); only a power loss could lose the last commits.
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                // Deleted and overwritten content is zeroed in the file, not left in
                // free space where a copy of the file would still show it (erasure).
                .pragma("secure_delete", "ON")
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10));
            // Checkpoints (copying the WAL back into the database file, with an fsync)
            // run on a reader connection in the background, so that the writer, and the
            // requests waiting for its commits, do not stall on them; the writer's own
            // automatic checkpoint stays as a backstop that lets the WAL start over.
            let mut write = SqliteConnection::connect_with(
                &options
                    .clone()
                    .pragma("wal_autocheckpoint", WAL_BACKSTOP_FRAMES.to_string()),
            )
            .await?;
            sqlx::migrate!("./migrations/sqlite")
                .run(&mut write)
                .await
                .map_err(DbError::Migrate)?;
            // A local file needs no liveness check before each use.
            let read = SqlitePoolOptions::new()
                .max_connections(8)
                .test_before_acquire(false)
                .connect_with(options)
                .await?;
            let writes = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
            tokio::spawn(checkpoint_in_background(read.clone(), writes.clone()));
            Ok(Database::Sqlite {
                read,
                write: std::sync::Arc::new(tokio::sync::Mutex::new(write)),
                writes,
            })
        }
    }

    /// Which engine, for logs and metrics.
    pub fn engine(&self) -> &'static str {
        match self {
            Database::Sqlite { .. } => "sqlite",
            Database::Postgres(_) => "postgres",
        }
    }

    /// Whether the database answers.
    pub async fn ping(&self) -> Result<(), DbError> {
        with_pool!(self, |pool| {
            sqlx::query("SELECT 1").execute(pool).await?;
        });
        Ok(())
    }

    /// Closes the pools (the SQLite writing connection closes when its last user is
    /// gone).
    pub async fn close(&self) {
        with_pool!(self, |pool| pool.close().await)
    }

    /// Stores several assessments in one transaction with one multi-row statement per
    /// table (group commit), through the writing connection. Returns, for each, whether it was inserted (`false`: its
    /// idempotency key was taken; see [`Database::replay`]).
    pub async fn insert_batch(&self, items: &[NewAssessment]) -> Result<Vec<bool>, DbError> {
        // Which of `items` the statement stored, given how many it stored: all of them,
        // or (when some idempotency keys were taken) those whose fresh IDs are now there.
        macro_rules! stored_ids {
            ($executor:expr, $count:expr) => {{
                let mut stored = HashSet::new();
                if $count == items.len() as u64 {
                    stored.extend(items.iter().map(|a| a.id.clone()));
                } else {
                    let mut q = QueryBuilder::new("SELECT id FROM assessments WHERE id IN (");
                    let mut ids = q.separated(", ");
                    for a in items {
                        ids.push_bind(&a.id);
                    }
                    q.push(")");
                    let rows: Vec<(String,)> = q.build_query_as().fetch_all($executor).await?;
                    stored.extend(rows.into_iter().map(|(id,)| id));
                }
                stored
            }};
        }
        with_writer!(self, |conn| {
            let mut q = QueryBuilder::new(
                "INSERT INTO assessments (id, created_at, mode, bank_version, overall, band, \
                 blockers, input_json, idempotency_key, request_hash) ",
            );
            q.push_values(items, |mut row, a| {
                row.push_bind(&a.id)
                    .push_bind(a.created_at)
                    .push_bind(&a.mode)
                    .push_bind(&a.bank_version)
                    .push_bind(a.overall)
                    .push_bind(&a.band)
                    .push_bind(a.blockers)
                    .push_bind(&a.input_json)
                    .push_bind(&a.idempotency_key)
                    .push_bind(&a.request_hash);
            });
            q.push(" ON CONFLICT (idempotency_key) DO NOTHING");
            if items.iter().all(|a| a.lead.is_none()) {
                // Without leads the batch is one statement, which is its own transaction:
                // committed when it completes, without the round trips of BEGIN and
                // COMMIT (nor, in SQLite, a statement journal).
                let count = q.build().execute(&mut *conn).await?.rows_affected();
                let inserted = stored_ids!(&mut *conn, count);
                return Ok(items.iter().map(|a| inserted.contains(&a.id)).collect());
            }
            let mut tx = conn.begin().await?;
            let count = q.build().execute(&mut *tx).await?.rows_affected();
            let inserted = stored_ids!(&mut *tx, count);
            let with_lead: Vec<(&NewAssessment, &NewLead)> = items
                .iter()
                .filter(|a| inserted.contains(&a.id))
                .filter_map(|a| a.lead.as_ref().map(|l| (a, l)))
                .collect();
            if !with_lead.is_empty() {
                let mut q = QueryBuilder::new(
                    "INSERT INTO leads (id, assessment_id, created_at, name, email, company, phone, role, consent) ",
                );
                q.push_values(&with_lead, |mut row, (a, lead)| {
                    row.push_bind(&lead.id)
                        .push_bind(&a.id)
                        .push_bind(a.created_at)
                        .push_bind(&lead.name)
                        .push_bind(&lead.email)
                        .push_bind(&lead.company)
                        .push_bind(&lead.phone)
                        .push_bind(&lead.role)
                        .push_bind(true);
                });
                q.build().execute(&mut *tx).await?;
                let queued: Vec<_> = with_lead
                    .iter()
                    .flat_map(|(a, lead)| a.notify.iter().map(move |channel| (a, lead, *channel)))
                    .collect();
                if !queued.is_empty() {
                    let mut q = QueryBuilder::new(
                        "INSERT INTO outbox (id, lead_id, attempts, next_attempt_at, channel) ",
                    );
                    q.push_values(queued, |mut row, (a, lead, channel)| {
                        row.push_bind(uuid::Uuid::new_v4().to_string())
                            .push_bind(&lead.id)
                            .push_bind(0i64)
                            .push_bind(a.created_at)
                            .push_bind(channel);
                    });
                    q.build().execute(&mut *tx).await?;
                }
            }
            tx.commit().await?;
            Ok(items.iter().map(|a| inserted.contains(&a.id)).collect())
        })
    }

    /// What a writer answers for `a`: its own ID when it was inserted, else the one stored
    /// under its idempotency key.
    async fn answer(&self, a: &NewAssessment, inserted: bool) -> Result<(String, bool), DbError> {
        if inserted {
            Ok((a.id.clone(), true))
        } else {
            self.replay(a).await
        }
    }

    /// The assessment stored under `a`'s idempotency key, if it was the same request.
    async fn replay(&self, a: &NewAssessment) -> Result<(String, bool), DbError> {
        with_pool!(self, |pool| {
            let (id, hash): (String, String) = sqlx::query_as(
                "SELECT id, request_hash FROM assessments WHERE idempotency_key = $1",
            )
            .bind(&a.idempotency_key)
            .fetch_one(pool)
            .await?;
            if hash != a.request_hash {
                return Err(DbError::IdempotencyConflict);
            }
            Ok((id, false))
        })
    }

    /// One stored assessment.
    pub async fn assessment(&self, id: &str) -> Result<Option<StoredAssessment>, DbError> {
        with_pool!(self, |pool| {
            Ok(sqlx::query_as("SELECT a.id, a.created_at, a.bank_version, a.input_json, \
                 (SELECT l.company FROM leads l WHERE l.assessment_id = a.id AND l.erased_at IS NULL LIMIT 1) AS company \
                 FROM assessments a WHERE a.id = $1")
            .bind(id)
            .fetch_optional(pool)
            .await?)
        })
    }

    /// Number of stored assessments.
    pub async fn count_assessments(&self) -> Result<i64, DbError> {
        with_pool!(self, |pool| {
            Ok(sqlx::query_scalar("SELECT COUNT(*) FROM assessments")
                .fetch_one(pool)
                .await?)
        })
    }

    /// Leads, newest first.
    pub async fn leads(
        &self,
        filter: &LeadFilter,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<LeadRow>, i64), DbError> {
        let band = filter.band.clone();
        let (from, to) = (filter.from, filter.to);
        with_pool!(self, |pool| {
            let rows = sqlx::query_as("SELECT l.id, l.assessment_id, l.created_at, l.name, l.email, l.company, l.phone, l.role, l.erased_at, \
                 a.overall, a.band, a.mode FROM leads l JOIN assessments a ON a.id = l.assessment_id \
                 WHERE ($1 IS NULL OR a.band = $2) AND ($3 IS NULL OR l.created_at >= $4) \
                 AND ($5 IS NULL OR l.created_at < $6) \
                 ORDER BY l.created_at DESC, l.id DESC LIMIT $7 OFFSET $8")
            .bind(&band)
            .bind(&band)
            .bind(from)
            .bind(from)
            .bind(to)
            .bind(to)
            .bind(limit)
            .bind(offset)
            .fetch_all(pool)
            .await?;
            let total: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM leads l JOIN assessments a ON a.id = l.assessment_id \
                 WHERE ($1 IS NULL OR a.band = $2) AND ($3 IS NULL OR l.created_at >= $4) \
                 AND ($5 IS NULL OR l.created_at < $6)",
            )
            .bind(&band)
            .bind(&band)
            .bind(from)
            .bind(from)
            .bind(to)
            .bind(to)
            .fetch_one(pool)
            .await?;
            Ok((rows, total))
        })
    }

    /// Erases a lead's personal data, keeping the anonymous assessment: the lead's name,
    /// email, company, phone and role are blanked and its webhook deliveries (sent or not) deleted, in
    /// one transaction. On SQLite the WAL is then checkpointed and truncated, so that no
    /// earlier version of the row stays in it (with `secure_delete`, none stays in the
    /// database file's free space either); on PostgreSQL the two tables are vacuumed, so
    /// that the old row version leaves their pages (the server's WAL keeps it until its
    /// segments are recycled; see the README). Returns `None` when there is no such lead,
    /// else how many webhook deliveries were still pending.
    pub async fn erase_lead(&self, id: &str, now: Timestamp) -> Result<Option<i64>, DbError> {
        let (found, pending) = with_writer!(self, |conn| {
            let mut tx = conn.begin().await?;
            let n = sqlx::query(
                "UPDATE leads SET name = NULL, email = NULL, company = NULL, phone = NULL, role = NULL, \
                 erased_at = COALESCE(erased_at, $1) WHERE id = $2",
            )
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            let pending: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM outbox WHERE lead_id = $1 AND channel = 'webhook' AND delivered_at IS NULL",
            )
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
            sqlx::query("DELETE FROM outbox WHERE lead_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            if n > 0 && matches!(self, Database::Postgres(_)) {
                // The old row version stays in the table's pages until a VACUUM prunes it;
                // do it now (skipping it if autovacuum holds the table: it is on it).
                if let Err(e) = sqlx::query("VACUUM (SKIP_LOCKED) leads, outbox")
                    .execute(&mut *conn)
                    .await
                {
                    tracing::warn!(error = %e, "VACUUM after an erasure failed; autovacuum will prune the old row");
                }
            }
            if n > 0 && matches!(self, Database::Sqlite { .. }) {
                // Copies every frame into the database file and empties the WAL; waits
                // (busy timeout) for readers of older snapshots to finish first. It is
                // refused at once while the background checkpoint runs: try again.
                let mut truncated = false;
                for _ in 0..100 {
                    let row = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                        .fetch_one(&mut *conn)
                        .await?;
                    if row.try_get::<i64, _>(0)? == 0 {
                        truncated = true;
                        break;
                    }
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
                if !truncated {
                    tracing::warn!(
                        "the WAL could not be truncated after an erasure; the next checkpoint will"
                    );
                }
            }
            (n > 0, pending)
        });
        Ok(found.then_some(pending))
    }

    /// Deletes assessments without a lead created before `cutoff`, a batch at a time so
    /// that other writes go on in between. Returns how many were deleted.
    pub async fn delete_expired(&self, cutoff: Timestamp) -> Result<u64, DbError> {
        const BATCH: i64 = 500;
        let mut total = 0;
        loop {
            let n = with_writer!(self, |conn| {
                sqlx::query(
                    "DELETE FROM assessments WHERE id IN (SELECT a.id FROM assessments a \
                     WHERE a.created_at < $1 \
                     AND NOT EXISTS (SELECT 1 FROM leads l WHERE l.assessment_id = a.id) LIMIT $2)",
                )
                .bind(cutoff)
                .bind(BATCH)
                .execute(&mut *conn)
                .await?
                .rows_affected()
            });
            total += n;
            if n < BATCH as u64 {
                return Ok(total);
            }
            tokio::task::yield_now().await;
        }
    }

    /// What the webhook for a lead says, read now; `None` once the lead is erased.
    pub async fn lead_event(&self, lead_id: &str) -> Result<Option<LeadEvent>, DbError> {
        with_pool!(self, |pool| {
            let event: Option<LeadEvent> = sqlx::query_as(
                "SELECT l.id AS lead_id, l.assessment_id, l.created_at, \
                 COALESCE(l.name, '') AS name, COALESCE(l.email, '') AS email, \
                 COALESCE(l.company, '') AS company, COALESCE(l.phone, '') AS phone, \
                 COALESCE(l.role, '') AS role, a.overall, a.band, a.blockers \
                 FROM leads l JOIN assessments a ON a.id = l.assessment_id \
                 WHERE l.id = $1 AND l.erased_at IS NULL",
            )
            .bind(lead_id)
            .fetch_optional(pool)
            .await?;
            Ok(event.map(|e| LeadEvent {
                event: "lead.created",
                report: format!("/api/v1/assessments/{}/report", e.assessment_id),
                ..e
            }))
        })
    }

    /// Deliveries of a channel (`webhook`, `mail`) due now, oldest first.
    pub async fn due_outbox(
        &self,
        channel: &str,
        now: Timestamp,
        limit: i64,
    ) -> Result<Vec<OutboxItem>, DbError> {
        with_pool!(self, |pool| {
            let rows = sqlx::query_as("SELECT id, lead_id, attempts, next_attempt_at FROM outbox WHERE channel = $1 AND delivered_at IS NULL \
                 AND next_attempt_at <= $2 ORDER BY next_attempt_at LIMIT $3")
            .bind(channel)
            .bind(now)
            .bind(limit)
            .fetch_all(pool)
            .await?;
            Ok(rows)
        })
    }

    /// Claims a due delivery until `lease`, so that one instance sends it; `false` when
    /// another instance claimed it first.
    pub async fn claim_outbox(
        &self,
        id: &str,
        due: Timestamp,
        lease: Timestamp,
    ) -> Result<bool, DbError> {
        with_writer!(self, |conn| {
            let n = sqlx::query("UPDATE outbox SET next_attempt_at = $1 WHERE id = $2 AND next_attempt_at = $3 AND delivered_at IS NULL")
            .bind(lease)
            .bind(id)
            .bind(due)
            .execute(&mut *conn)
            .await?
            .rows_affected();
            Ok(n == 1)
        })
    }

    /// Reports emailed since `day_ago` to `email` (any case), and to anyone since
    /// `hour_ago`: what the report email's limits count, across every instance.
    pub async fn reports_sent(
        &self,
        email: &str,
        day_ago: Timestamp,
        hour_ago: Timestamp,
    ) -> Result<(i64, i64), DbError> {
        with_pool!(self, |pool| {
            let (to_address,): (i64,) = sqlx::query_as(
                "SELECT COUNT(*) FROM outbox o JOIN leads l ON l.id = o.lead_id \
                 WHERE o.channel = 'report' AND o.delivered_at > $1 AND lower(l.email) = lower($2)",
            )
            .bind(day_ago)
            .bind(email)
            .fetch_one(pool)
            .await?;
            let (in_hour,): (i64,) = sqlx::query_as(
                "SELECT COUNT(*) FROM outbox WHERE channel = 'report' AND delivered_at > $1",
            )
            .bind(hour_ago)
            .fetch_one(pool)
            .await?;
            Ok((to_address, in_hour))
        })
    }

    /// Records a delivery attempt: delivered, or to retry at `next` with the error.
    pub async fn record_delivery(
        &self,
        id: &str,
        now: Timestamp,
        outcome: Result<(), (Timestamp, String)>,
    ) -> Result<(), DbError> {
        with_writer!(self, |conn| {
            match &outcome {
                Ok(()) => {
                    sqlx::query("UPDATE outbox SET delivered_at = $1, attempts = attempts + 1 WHERE id = $2")
                    .bind(now)
                    .bind(id)
                    .execute(&mut *conn)
                    .await?;
                }
                Err((next, error)) => {
                    sqlx::query("UPDATE outbox SET attempts = attempts + 1, next_attempt_at = $1, last_error = $2 WHERE id = $3")
                    .bind(*next)
                    .bind(error)
                    .bind(id)
                    .execute(&mut *conn)
                    .await?;
                }
            }
            Ok(())
        })
    }

    /// Webhook deliveries not yet made.
    pub async fn pending_outbox(&self) -> Result<i64, DbError> {
        with_pool!(self, |pool| {
            Ok(sqlx::query_scalar(
                "SELECT COUNT(*) FROM outbox WHERE channel = 'webhook' AND delivered_at IS NULL",
            )
            .fetch_one(pool)
            .await?)
        })
    }
}
