//! The funnel: `POST /api/v1/events` counts exactly under concurrent load, keeps nothing
//! but the day, site, mode, step and count, refuses other origins and any other field,
//! and the console shows the counts and conversions.

use crate::console::{Browser, PASSWORD, account};
use crate::helpers::{Engine, TestApp};
use crate::on_both_engines;
use aims_backend::db::Role;
use sqlx::Row;

on_both_engines!(
    events_are_counted_exactly_under_concurrent_load,
    events_from_elsewhere_or_with_more_are_refused_and_not_stored
);

const SITE: &str = "https://consultancy.example";

async fn event(app: &TestApp, origin: Option<&str>, body: &str) -> u16 {
    let mut r = app
        .client
        .post(app.url("/api/v1/events"))
        .header("content-type", "application/json")
        .body(body.to_string());
    if let Some(o) = origin {
        r = r.header("origin", o);
    }
    r.send().await.unwrap().status().as_u16()
}

/// Every row of the funnel table, with every column it has.
async fn stored(app: &TestApp) -> Vec<Vec<String>> {
    let statement = "SELECT * FROM funnel ORDER BY origin, mode, event";
    let read = |row: &dyn Fn(usize) -> String, n: usize| (0..n).map(row).collect::<Vec<_>>();
    if app.database_url.starts_with("postgres") {
        let pool = sqlx::PgPool::connect(&app.database_url).await.unwrap();
        let rows = sqlx::query(statement).fetch_all(&pool).await.unwrap();
        rows.iter()
            .map(|r| {
                assert_eq!(r.len(), 5, "day, origin, mode, event, count: nothing else");
                let mut v = read(&|i| r.try_get::<String, _>(i).unwrap_or_default(), 4);
                v.push(r.get::<i64, _>(4).to_string());
                v
            })
            .collect()
    } else {
        let pool = sqlx::SqlitePool::connect(&app.database_url).await.unwrap();
        let rows = sqlx::query(statement).fetch_all(&pool).await.unwrap();
        rows.iter()
            .map(|r| {
                assert_eq!(r.len(), 5, "day, origin, mode, event, count: nothing else");
                let mut v = read(&|i| r.try_get::<String, _>(i).unwrap_or_default(), 4);
                v.push(r.get::<i64, _>(4).to_string());
                v
            })
            .collect()
    }
}

async fn events_are_counted_exactly_under_concurrent_load(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let plan = [
        ("view", "quick", 120),
        ("start", "quick", 70),
        ("complete", "quick", 40),
        ("lead", "quick", 9),
        ("view", "full", 5),
    ];
    // 32 at a time: as many connections as a client may hold open, and then some waiting.
    let gate = std::sync::Arc::new(tokio::sync::Semaphore::new(32));
    let mut tasks = tokio::task::JoinSet::new();
    for (step, mode, n) in plan {
        for _ in 0..n {
            let (client, url) = (app.client.clone(), app.url("/api/v1/events"));
            let gate = gate.clone();
            tasks.spawn(async move {
                let _turn = gate.acquire().await.unwrap();
                client
                    .post(url)
                    .header("origin", SITE)
                    .header("content-type", "application/json")
                    .body(format!(r#"{{"event":"{step}","mode":"{mode}"}}"#))
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16()
            });
        }
    }
    while let Some(status) = tasks.join_next().await {
        assert_eq!(status.unwrap(), 204);
    }
    // The server's own page counts too, under its own origin.
    assert_eq!(
        event(&app, Some(&app.base), r#"{"event":"view","mode":"quick"}"#).await,
        204
    );

    let today = time_today();
    let rows = stored(&app).await;
    let expect = |origin: &str, mode: &str, step: &str, n: i64| {
        vec![
            today.clone(),
            origin.to_string(),
            mode.to_string(),
            step.to_string(),
            n.to_string(),
        ]
    };
    assert_eq!(
        rows,
        vec![
            expect(SITE, "full", "view", 5),
            expect(SITE, "quick", "complete", 40),
            expect(SITE, "quick", "lead", 9),
            expect(SITE, "quick", "start", 70),
            expect(SITE, "quick", "view", 120),
            expect("this server's pages", "quick", "view", 1),
        ]
    );

    account(&app, "viewer@consultancy.example", Role::Viewer).await;
    let mut b = Browser::new(&app);
    assert_eq!(
        b.sign_in("viewer@consultancy.example", PASSWORD)
            .await
            .status,
        303
    );
    let page = b.get("/admin/funnel?mode=quick").await;
    assert_eq!(page.status, 200);
    let html = page.html;
    // views 121, starts 70 (58 % of views), results 40 (57 % of starts), leads 9 (23 %).
    for cell in [
        "<th scope=\"row\">Saw the widget</th><td class=\"num\">121</td><td class=\"num\">–</td><td class=\"num\">100 %</td>",
        "<th scope=\"row\">Started</th><td class=\"num\">70</td><td class=\"num\">58 %</td><td class=\"num\">58 %</td>",
        "<th scope=\"row\">Saw their results</th><td class=\"num\">40</td><td class=\"num\">57 %</td><td class=\"num\">33 %</td>",
        "<th scope=\"row\">Left their details</th><td class=\"num\">9</td><td class=\"num\">23 %</td><td class=\"num\">7 %</td>",
    ] {
        assert!(html.contains(cell), "{cell} in {html}");
    }
    assert!(html.contains("<th scope=\"row\">https://consultancy.example</th><td class=\"num\">120</td><td class=\"num\">70</td><td class=\"num\">40</td><td class=\"num\">9</td><td class=\"num\">8 %</td>"));
    assert!(
        html.contains("121 views, 70 starts, 40 results, 9 leads (7 % of views)"),
        "the chart's title"
    );
    let both = b.get("/admin/funnel").await.html;
    assert!(
        both.contains("<td class=\"num\">126</td>"),
        "both modes: 126 views"
    );
    let past = b
        .get("/admin/funnel?from=2001-01-01&to=2001-01-31")
        .await
        .html;
    assert!(past.contains("Nothing counted in this period."));
    let bad = b.get("/admin/funnel?from=2001-02-01&to=2001-01-31").await;
    assert_eq!(bad.status, 400);
    assert!(bad.html.contains("The period ends before it starts."));
    app.stop().await;
}

fn time_today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = secs.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

async fn events_from_elsewhere_or_with_more_are_refused_and_not_stored(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let good = r#"{"event":"view","mode":"quick"}"#;
    assert_eq!(event(&app, None, good).await, 403, "no origin");
    let own_host = app.base.trim_start_matches("http://").to_string();
    assert_eq!(
        event(&app, Some(&format!("x://{own_host}")), good).await,
        403,
        "not http(s)"
    );
    assert_eq!(
        event(&app, Some("https://elsewhere.example"), good).await,
        403
    );
    for body in [
        r#"{"event":"view","mode":"quick","email":"ada@example.com"}"#,
        r#"{"event":"view","mode":"quick","visitor":"4f1c"}"#,
        r#"{"event":"click","mode":"quick"}"#,
        r#"{"event":"view","mode":"fast"}"#,
        r#"{"event":"view"}"#,
        "not json",
    ] {
        assert_eq!(event(&app, Some(SITE), body).await, 400, "{body}");
    }
    let wrong_type = app
        .client
        .post(app.url("/api/v1/events"))
        .header("origin", SITE)
        .header("content-type", "text/plain")
        .body(good)
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_type.status().as_u16(), 415);
    assert!(stored(&app).await.is_empty(), "nothing stored");
    app.stop().await;
}
