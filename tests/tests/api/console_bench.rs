//! Benchmark (ignored; `cargo xtask bench-api` runs it in release): the console with a
//! million stored leads, on SQLite and on PostgreSQL. The lead list's pages (the first, and older ones
//! reached by their keyset links) timed over real HTTP, a company search, and the server
//! process's memory while the whole CSV export streams. Figures as `AIMS-BENCH` lines.

use crate::console::{Browser, PASSWORD, account};
use crate::helpers::{Engine, TestApp, config, fresh_database};
use aims_backend::db::Role;
use std::time::{Duration, Instant};

const LEADS: i64 = 1_000_000;

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

fn percentile(mut xs: Vec<f64>, p: f64) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[((xs.len() as f64 - 1.0) * p).round() as usize]
}

fn next_link(html: &str) -> Option<String> {
    let at = html.find("rel=\"next\"")?;
    let href = html[..at].rsplit("href=\"").next()?;
    Some(href.split('"').next()?.replace("&amp;", "&"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "benchmark: cargo xtask bench-api"]
async fn console_with_a_million_leads() {
    million(Engine::Sqlite).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "benchmark: cargo xtask bench-api"]
async fn console_with_a_million_leads_on_postgres() {
    million(Engine::Postgres).await
}

/// Stores a million leads (and their assessments), one a second from 2026-01-01.
async fn seed(engine: Engine, url: &str) {
    if engine == Engine::Postgres {
        let pool = sqlx::PgPool::connect(url).await.unwrap();
        let series = format!("FROM generate_series(1, {LEADS}) AS i");
        sqlx::query(&format!(
            "INSERT INTO assessments (id, created_at, mode, bank_version, overall, band, blockers, input_json, request_hash) \
             SELECT 'a' || lpad(i::text, 7, '0'), to_timestamp(1767225600 + i), 'quick', '2.0.0', (i % 100)::float8, \
             CASE i % 4 WHEN 0 THEN 'early' WHEN 1 THEN 'developing' WHEN 2 THEN 'advanced' ELSE 'audit_ready' END, \
             0, '{{}}', 'x' {series}"
        ))
        .execute(&pool)
        .await
        .unwrap();
        sqlx::query(&format!(
            "INSERT INTO leads (id, assessment_id, created_at, name, email, company, phone, role, consent) \
             SELECT 'l' || lpad(i::text, 7, '0'), 'a' || lpad(i::text, 7, '0'), to_timestamp(1767225600 + i), 'Person ' || i, \
             'p' || i || '@firm' || (i % 5000) || '.example', 'Firm ' || (i % 5000), '', '', true {series}"
        ))
        .execute(&pool)
        .await
        .unwrap();
        sqlx::query("ANALYZE").execute(&pool).await.unwrap();
        pool.close().await;
        return;
    }
    {
        let pool = sqlx::SqlitePool::connect(url).await.unwrap();
        let series = format!(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {LEADS})"
        );
        let time = "strftime('%Y-%m-%dT%H:%M:%S', 1767225600 + i, 'unixepoch') || '.000000Z'";
        sqlx::query(&format!(
            "{series} INSERT INTO assessments (id, created_at, mode, bank_version, overall, band, blockers, input_json, request_hash) \
             SELECT printf('a%07d', i), {time}, 'quick', '2.0.0', i % 100, \
             CASE i % 4 WHEN 0 THEN 'early' WHEN 1 THEN 'developing' WHEN 2 THEN 'advanced' ELSE 'audit_ready' END, \
             0, '{{}}', 'x' FROM n"
        ))
        .execute(&pool)
        .await
        .unwrap();
        sqlx::query(&format!(
            "{series} INSERT INTO leads (id, assessment_id, created_at, name, email, company, phone, role, consent) \
             SELECT printf('l%07d', i), printf('a%07d', i), {time}, printf('Person %d', i), \
             printf('p%d@firm%d.example', i, i % 5000), printf('Firm %d', i % 5000), '', '', 1 FROM n"
        ))
        .execute(&pool)
        .await
        .unwrap();
        pool.close().await;
    }
}

/// The time of the 900,000th newest lead, as the list's page links write it.
async fn deep_cursor(engine: Engine, url: &str) -> String {
    let q = "SELECT created_at FROM leads WHERE id = 'l0100000'";
    if engine == Engine::Postgres {
        let pool = sqlx::PgPool::connect(url).await.unwrap();
        let t: String = sqlx::query_scalar(
            "SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') FROM leads WHERE id = 'l0100000'",
        )
        .fetch_one(&pool)
        .await
        .unwrap();
        pool.close().await;
        return t;
    }
    let pool = sqlx::SqlitePool::connect(url).await.unwrap();
    let t: String = sqlx::query_scalar(q).fetch_one(&pool).await.unwrap();
    pool.close().await;
    t
}

async fn million(engine: Engine) {
    let url = fresh_database(engine).await;
    let app = TestApp::with_config(config(&url)).await;
    account(&app, "owner@consultancy.example", Role::Owner).await;
    let started = Instant::now();
    seed(engine, &url).await;
    println!(
        "stored {LEADS} leads in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let mut b = Browser::new(&app);
    assert_eq!(
        b.sign_in("owner@consultancy.example", PASSWORD)
            .await
            .status,
        303
    );
    // Warm up, then the first page 50 times and 150 older pages, each reached by the link
    // of the page before.
    b.get("/admin/leads").await;
    let mut times = Vec::new();
    for _ in 0..50 {
        let t = Instant::now();
        let page = b.get("/admin/leads").await;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        assert_eq!(page.status, 200);
    }
    let mut link = next_link(&b.get("/admin/leads").await.html);
    for _ in 0..150 {
        let href = link.expect("an older page");
        let t = Instant::now();
        let page = b.get(&href).await;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        link = next_link(&page.html);
    }
    // Deep pages: from the 900,000th newest lead on, each reached by the link before.
    let deep_from = deep_cursor(engine, &url).await;
    let mut link = Some(format!("/admin/leads?after={deep_from}~l0100000"));
    for _ in 0..50 {
        let href = link.expect("an older page");
        let t = Instant::now();
        let page = b.get(&href).await;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        let main = page.html.find("<main").unwrap_or(0);
        assert!(
            page.html.contains("href=\"/admin/leads/l009"),
            "the page holds the deep leads: {} {}",
            page.status,
            page.html[page.html.find("<tbody").unwrap_or(main)..]
                .chars()
                .take(500)
                .collect::<String>()
        );
        link = next_link(&page.html);
    }
    let n = times.len();
    println!(
        "AIMS-BENCH console.{engine:?}.leads.page_p99_ms {:.1} (p50 {:.1} ms, {n} pages of 50 from {LEADS} leads: the first, the 150 after it, and 50 from the 900,000th on)",
        percentile(times.clone(), 0.99),
        percentile(times, 0.5)
    );
    let t = Instant::now();
    let search = b.get("/admin/leads?q=nobody%20at%20all").await;
    assert!(search.html.contains("No leads match"));
    println!(
        "AIMS-BENCH console.{engine:?}.leads.search_ms {:.0} (a search that matches nothing, so scans all {LEADS} leads: no index for it)",
        t.elapsed().as_secs_f64() * 1000.0
    );

    // The whole CSV, read as it streams; the process's memory sampled meanwhile.
    let before = rss_kib();
    let peak = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(before));
    let sampler = {
        let peak = peak.clone();
        tokio::spawn(async move {
            loop {
                peak.fetch_max(rss_kib(), std::sync::atomic::Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        })
    };
    let t = Instant::now();
    let cookie = format!("aims_session={}", b.cookies_session());
    let mut r = app
        .client
        .get(app.url("/admin/leads.csv"))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let (mut bytes, mut lines) = (0usize, 0usize);
    while let Some(chunk) = r.chunk().await.unwrap() {
        bytes += chunk.len();
        lines += chunk.iter().filter(|&&c| c == b'\n').count();
    }
    sampler.abort();
    assert_eq!(lines as i64, LEADS + 1, "every lead and the header");
    let grew = peak
        .load(std::sync::atomic::Ordering::Relaxed)
        .saturating_sub(before);
    println!(
        "AIMS-BENCH console.{engine:?}.csv.rss_growth_mib {:.1} ({:.0} MiB of CSV for {LEADS} leads in {:.1} s; process RSS {:.0} MiB before)",
        grew as f64 / 1024.0,
        bytes as f64 / 1048576.0,
        t.elapsed().as_secs_f64(),
        before as f64 / 1024.0
    );
    app.stop().await;
}
