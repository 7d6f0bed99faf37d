//! New-lead emails through a real SMTP server (aiosmtpd, from PyPI, started here): the
//! message reaches every recipient with the right subject; with the mail server down it
//! waits in the outbox and arrives once, when the server comes up; an erased lead is never
//! mailed; half a mail configuration, or one it cannot use, stops the server at start.

use crate::helpers::{Engine, TestApp, config, fresh_database, quick_input, with_lead};
use crate::on_both_engines;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

on_both_engines!(
    a_new_lead_is_emailed_to_the_consultancy,
    with_the_mail_server_down_the_email_waits_and_arrives_once,
    an_erased_lead_is_never_emailed,
    recipients_set_in_the_console_replace_the_flags,
    the_report_goes_to_the_visitor_only_when_they_ask
);

/// aiosmtpd on a port, saving what it receives into a maildir.
struct Smtp {
    child: Child,
    dir: PathBuf,
}

impl Drop for Smtp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

async fn start_smtp(port: u16) -> Smtp {
    let dir = std::env::temp_dir().join(format!("aims-mail-{}", uuid::Uuid::new_v4().simple()));
    let child = Command::new("python3")
        .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}")])
        .args(["-c", "aiosmtpd.handlers.Mailbox"])
        .arg(&dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("python3 -m aiosmtpd (`pip install aiosmtpd`; `cargo xtask setup` does)");
    let started = Instant::now();
    while tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .is_err()
    {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "aiosmtpd did not start"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Smtp { child, dir }
}

impl Smtp {
    /// The messages received so far.
    fn messages(&self) -> Vec<String> {
        std::fs::read_dir(self.dir.join("new"))
            .map(|d| {
                d.filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
                    .collect()
            })
            .unwrap_or_default()
    }

    async fn wait_for(&self, n: usize) -> Vec<String> {
        let started = Instant::now();
        loop {
            let got = self.messages();
            if got.len() >= n {
                return got;
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "{n} message(s) not within 30 s"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

async fn app_mailing_to(engine: Engine, port: u16) -> TestApp {
    let url = fresh_database(engine).await;
    let mut c = config(&url);
    c.smtp_url = Some(format!("smtp://127.0.0.1:{port}").into());
    c.mail_from = Some("AIMS Readiness <readiness@consultancy.example>".into());
    c.notify_email = vec![
        "sales@consultancy.example".into(),
        "ceo@consultancy.example".into(),
    ];
    c.public_url = Some("https://readiness.consultancy.example/".into());
    TestApp::with_config(c).await
}

async fn submit(app: &TestApp, lead: bool) -> String {
    let body = if lead {
        with_lead(quick_input(), "Fintech Ltd", "ada@fintech.example")
    } else {
        quick_input()
    };
    let r = app.post_json("/api/v1/assessments", &body).await;
    assert_eq!(r.status, 201, "{}", r.text);
    r.json()["id"].as_str().unwrap().to_string()
}

/// The mail rows of the outbox: (attempts, delivered).
async fn mail_outbox(app: &TestApp) -> Vec<(i64, bool)> {
    let q = "SELECT attempts, delivered_at IS NOT NULL FROM outbox WHERE channel = 'mail'";
    if app.database_url.starts_with("postgres") {
        let pool = sqlx::PgPool::connect(&app.database_url).await.unwrap();
        sqlx::query_as(q).fetch_all(&pool).await.unwrap()
    } else {
        let pool = sqlx::SqlitePool::connect(&app.database_url).await.unwrap();
        sqlx::query_as(q).fetch_all(&pool).await.unwrap()
    }
}

async fn a_new_lead_is_emailed_to_the_consultancy(engine: Engine) {
    let port = free_port();
    let smtp = start_smtp(port).await;
    let app = app_mailing_to(engine, port).await;
    submit(&app, false).await;
    let assessment = submit(&app, true).await;
    let got = smtp.wait_for(1).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(smtp.messages().len(), 1, "one email, for the one lead");
    // The body is quoted-printable: undo its soft line breaks.
    let m = got[0].replace("\r\n", "\n").replace("=\n", "");
    assert!(
        m.contains("To: sales@consultancy.example, ceo@consultancy.example"),
        "{m}"
    );
    assert!(
        m.contains("From: \"AIMS Readiness\" <readiness@consultancy.example>")
            || m.contains("From: AIMS Readiness <readiness@consultancy.example>"),
        "{m}"
    );
    assert!(m.contains("Reply-To: ada@fintech.example"), "{m}");
    assert!(
        m.contains("Subject: New lead: Ada Lovelace (Fintech Ltd), readiness "),
        "{m}"
    );
    assert!(m.contains("Email: ada@fintech.example"), "{m}");
    assert!(
        m.contains(&format!(
            "https://readiness.consultancy.example/api/v1/assessments/{assessment}/report"
        )),
        "{m}"
    );
    assert!(
        m.contains("https://readiness.consultancy.example/admin/leads/"),
        "{m}"
    );
    assert_eq!(mail_outbox(&app).await, vec![(1, true)]);
    app.stop().await;
}

async fn with_the_mail_server_down_the_email_waits_and_arrives_once(engine: Engine) {
    let port = free_port();
    let app = app_mailing_to(engine, port).await;
    submit(&app, true).await;
    let started = Instant::now();
    while !mail_outbox(&app)
        .await
        .iter()
        .any(|(attempts, _)| *attempts >= 1)
    {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "no failed attempt recorded"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        !mail_outbox(&app).await[0].1,
        "not delivered while the server is down"
    );
    let smtp = start_smtp(port).await;
    smtp.wait_for(1).await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(smtp.messages().len(), 1, "delivered once");
    let rows = mail_outbox(&app).await;
    assert!(rows.len() == 1 && rows[0].1 && rows[0].0 >= 2, "{rows:?}");
    app.stop().await;
}

async fn an_erased_lead_is_never_emailed(engine: Engine) {
    let port = free_port();
    let app = app_mailing_to(engine, port).await;
    submit(&app, true).await;
    let leads = app.admin_get("/api/v1/leads").await.json();
    let id = leads["items"][0]["id"].as_str().unwrap().to_string();
    assert_eq!(app.admin_delete(&format!("/api/v1/leads/{id}")).await, 204);
    assert!(
        mail_outbox(&app).await.is_empty(),
        "the erasure took the email with it"
    );
    let smtp = start_smtp(port).await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert!(smtp.messages().is_empty());
    app.stop().await;
}

#[tokio::test]
async fn half_a_mail_configuration_stops_the_server_at_start() {
    let url = fresh_database(Engine::Sqlite).await;
    let mut c = config(&url);
    c.smtp_url = Some("smtp://127.0.0.1:2525".to_string().into());
    let Err(e) = aims_backend::Application::build(c.clone()).await else {
        panic!("started without a sender and recipients");
    };
    assert_eq!(
        e,
        "emails need both --smtp-url and --mail-from (and --notify-email, or recipients set in the console, for new-lead emails)"
    );
    c.mail_from = Some("readiness@consultancy.example".into());
    c.notify_email = vec!["sales@consultancy.example".into()];
    c.smtp_url = Some("ftp://127.0.0.1:2525".to_string().into());
    let Err(e) = aims_backend::Application::build(c.clone()).await else {
        panic!("started with a mail server URL it cannot use");
    };
    assert!(e.starts_with("--smtp-url is not usable"), "{e}");
    c.smtp_url = Some("smtp://127.0.0.1:2525".to_string().into());
    c.notify_email = vec!["not an address".into()];
    let Err(e) = aims_backend::Application::build(c).await else {
        panic!("started with a bad recipient");
    };
    assert!(
        e.starts_with("--notify-email \"not an address\" is not an address"),
        "{e}"
    );
}

async fn recipients_set_in_the_console_replace_the_flags(engine: Engine) {
    use crate::console::{Browser, PASSWORD, account};
    let port = free_port();
    let smtp = start_smtp(port).await;
    let url = fresh_database(engine).await;
    let mut c = config(&url);
    c.smtp_url = Some(format!("smtp://127.0.0.1:{port}").into());
    c.mail_from = Some("readiness@consultancy.example".into());
    // No --notify-email: the console sets who is told.
    let app = TestApp::with_config(c).await;
    submit(&app, true).await;
    assert!(mail_outbox(&app).await.is_empty(), "nobody to tell yet");

    account(
        &app,
        "owner@consultancy.example",
        aims_backend::db::Role::Owner,
    )
    .await;
    let mut b = Browser::new(&app);
    b.sign_in("owner@consultancy.example", PASSWORD).await;
    let form = b.get("/admin/settings").await;
    assert!(!form.html.contains("No mail server is configured"));
    let at = form.html.find("name=\"revision\" value=\"").unwrap() + 23;
    let revision = form.html[at..].split('"').next().unwrap().to_string();
    let saved = b
        .post(
            "/admin/settings",
            &[
                ("csrf", &form.csrf()),
                ("revision", &revision),
                ("notify_emails", "Partner@Consultancy.example"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.html);
    submit(&app, true).await;
    let got = smtp.wait_for(1).await;
    let m = got[0].replace("\r\n", "\n");
    assert!(m.contains("To: partner@consultancy.example"), "{m}");
    app.stop().await;
}

async fn the_report_goes_to_the_visitor_only_when_they_ask(engine: Engine) {
    let port = free_port();
    let smtp = start_smtp(port).await;
    let app = app_mailing_to(engine, port).await;
    // The widget offers the opt-in because this server can send it.
    assert_eq!(
        app.get("/api/v1/bank").await.json()["site"]["emails_report"],
        true
    );
    submit(&app, true).await; // ada@fintech.example, no opt-in
    let mut body = with_lead(quick_input(), "Navy Labs", "grace@navy.example");
    body["lead"]["send_report"] = true.into();
    let r = app.post_json("/api/v1/assessments", &body).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let assessment = r.json()["id"].as_str().unwrap().to_string();
    // Two new-lead emails to the consultancy, one report to Grace.
    let got = smtp.wait_for(3).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let all: Vec<String> = smtp
        .messages()
        .iter()
        .map(|m| m.replace("\r\n", "\n").replace("=\n", ""))
        .collect();
    assert_eq!(all.len(), 3, "{got:?}");
    let reports: Vec<&String> = all
        .iter()
        .filter(|m| m.contains("Subject: Your ISO/IEC 42001 Gap Analysis Report"))
        .collect();
    assert_eq!(reports.len(), 1, "only the visitor who asked");
    let report = reports[0];
    assert!(report.contains("\nTo: grace@navy.example"), "{report}");
    assert!(
        report.contains("Reply-To: sales@consultancy.example"),
        "{report}"
    );
    assert!(
        report.contains("filename=\"gap-analysis-report.html\""),
        "{report}"
    );
    assert!(
        report.contains(&format!(
            "https://readiness.consultancy.example/api/v1/assessments/{assessment}/report"
        )),
        "{report}"
    );
    assert!(
        !all.iter().any(|m| m.contains("\nTo: ada@fintech.example")),
        "no report for the lead that did not ask"
    );
    // The greeting does not repeat what the visitor typed as their name.
    assert!(report.contains("Hello,\n"), "{report}");

    // The same address asks again the same day (in other letters): the consultancy hears
    // of the lead, the address gets no second report.
    let mut again = with_lead(quick_input(), "Navy Labs", "Grace@NAVY.example");
    again["lead"]["send_report"] = true.into();
    let r = app.post_json("/api/v1/assessments", &again).await;
    assert_eq!(r.status, 201, "{}", r.text);
    smtp.wait_for(4).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let reports = smtp
        .messages()
        .iter()
        .filter(|m| m.contains("Subject: Your ISO/IEC 42001 Gap Analysis Report"))
        .count();
    assert_eq!(reports, 1, "one report per address a day");
    app.stop().await;
}
