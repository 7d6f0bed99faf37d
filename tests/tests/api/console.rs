//! The console (`/admin`) over real HTTP: accounts made as `admin create` makes them,
//! sign-in and its cookie, CSRF on every form, lockout, roles, sessions shared by two
//! instances and ending, the lead list paged and searched, and erasure.

use crate::helpers::{Engine, TestApp, config, fresh_database, quick_input, with_lead};
use crate::on_both_engines;
use aims_backend::db::Role;
use std::collections::HashMap;

on_both_engines!(
    an_owner_signs_in_finds_a_lead_and_erases_it,
    forms_without_the_session_token_are_refused,
    a_viewer_reads_but_cannot_erase,
    an_account_locks_after_repeated_failures,
    sessions_end_on_sign_out_and_on_expiry,
    the_lead_list_pages_and_searches
);

pub const PASSWORD: &str = "correct horse battery staple";

/// A browser without JavaScript: keeps cookies, does not follow redirects.
pub struct Browser {
    base: String,
    client: reqwest::Client,
    cookies: HashMap<String, String>,
    /// The address a trusted proxy says the request came from.
    forwarded_for: Option<&'static str>,
}

pub struct Page {
    pub retry_after: String,
    pub status: u16,
    pub location: String,
    pub set_cookies: Vec<String>,
    pub html: String,
}

impl Page {
    /// The value of the page's (first) hidden CSRF field.
    pub fn csrf(&self) -> String {
        let at = self
            .html
            .find("name=\"csrf\" value=\"")
            .expect("a CSRF field")
            + 19;
        self.html[at..].split('"').next().unwrap().to_string()
    }
}

impl Browser {
    pub fn new(app: &TestApp) -> Browser {
        Browser {
            base: app.base.clone(),
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            cookies: HashMap::new(),
            forwarded_for: None,
        }
    }

    /// The same, behind the test's trusted proxy, as the client at `address`.
    fn from(app: &TestApp, address: &'static str) -> Browser {
        Browser {
            forwarded_for: Some(address),
            ..Browser::new(app)
        }
    }

    async fn send(&mut self, r: reqwest::RequestBuilder) -> Page {
        let cookie = self
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ");
        let r = match self.forwarded_for {
            Some(a) => r.header("x-forwarded-for", a),
            None => r,
        };
        let r = r.header("cookie", cookie).send().await.expect("request");
        let set_cookies: Vec<String> = r
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_string())
            .collect();
        for c in &set_cookies {
            let (pair, attributes) = c.split_once(';').unwrap_or((c, ""));
            let (name, value) = pair.split_once('=').unwrap();
            if value.is_empty() || attributes.contains("Max-Age=0") {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.into(), value.into());
            }
        }
        Page {
            retry_after: r
                .headers()
                .get("retry-after")
                .map(|v| v.to_str().unwrap().to_string())
                .unwrap_or_default(),
            status: r.status().as_u16(),
            location: r
                .headers()
                .get("location")
                .map(|v| v.to_str().unwrap().to_string())
                .unwrap_or_default(),
            set_cookies,
            html: r.text().await.unwrap(),
        }
    }

    pub async fn get(&mut self, path: &str) -> Page {
        let r = self.client.get(format!("{}{path}", self.base));
        self.send(r).await
    }

    pub async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Page {
        let r = self
            .client
            .post(format!("{}{path}", self.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(serde_urlencoded::to_string(form).unwrap());
        self.send(r).await
    }

    /// Posts a file upload form (`multipart/form-data`): its text fields and one file.
    pub async fn post_file(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        file: (&str, &str, &str),
    ) -> Page {
        let boundary = "----aims-test-boundary-7d3f";
        let mut body = String::new();
        for (name, value) in fields {
            body.push_str(&format!(
                "--{boundary}\r\ncontent-disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            ));
        }
        let (name, filename, content) = file;
        body.push_str(&format!(
            "--{boundary}\r\ncontent-disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\ncontent-type: application/json\r\n\r\n{content}\r\n--{boundary}--\r\n"
        ));
        let r = self
            .client
            .post(format!("{}{path}", self.base))
            .header(
                "content-type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(body);
        self.send(r).await
    }

    /// The session cookie's value.
    pub fn cookies_session(&self) -> String {
        self.cookies
            .get("aims_session")
            .cloned()
            .unwrap_or_default()
    }

    /// Signs in through the form, as a person would.
    pub async fn sign_in(&mut self, email: &str, password: &str) -> Page {
        let form = self.get("/admin/sign-in").await;
        assert_eq!(form.status, 200);
        let csrf = form.csrf();
        self.post(
            "/admin/sign-in",
            &[("email", email), ("password", password), ("csrf", &csrf)],
        )
        .await
    }
}

pub async fn account(app: &TestApp, email: &str, role: Role) {
    let config = config(&app.database_url);
    aims_backend::create_account(&config, email, PASSWORD, role)
        .await
        .expect("account created");
}

/// Submits a quick quiz with a lead; returns the lead's ID (from the admin API).
async fn lead(app: &TestApp, company: &str, email: &str) -> String {
    let r = app
        .post_json(
            "/api/v1/assessments",
            &with_lead(quick_input(), company, email),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let assessment = r.json()["id"].as_str().unwrap().to_string();
    let list = app.admin_get("/api/v1/leads?per_page=500").await.json();
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["assessment_id"] == assessment.as_str())
        .and_then(|l| l["id"].as_str())
        .expect("the lead is listed")
        .to_string()
}

/// Runs one statement on the test's database, as an operator (or the clock) would.
pub async fn sql(app: &TestApp, statement: &str) {
    if app.database_url.starts_with("postgres") {
        let pool = sqlx::PgPool::connect(&app.database_url).await.unwrap();
        sqlx::query(statement).execute(&pool).await.unwrap();
        pool.close().await;
    } else {
        let pool = sqlx::SqlitePool::connect(&app.database_url).await.unwrap();
        sqlx::query(statement).execute(&pool).await.unwrap();
        pool.close().await;
    }
}

async fn an_owner_signs_in_finds_a_lead_and_erases_it(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    account(&app, "Owner@Consultancy.example", Role::Owner).await;
    let id = lead(&app, "Fintech Ltd", "cfo@fintech.example").await;

    let mut b = Browser::new(&app);
    let before = b.get("/admin/leads").await;
    assert_eq!(
        (before.status, before.location.as_str()),
        (303, "/admin/sign-in")
    );

    let signed = b.sign_in("owner@consultancy.example", PASSWORD).await;
    assert_eq!(
        (signed.status, signed.location.as_str()),
        (303, "/admin/leads")
    );
    let session = signed
        .set_cookies
        .iter()
        .find(|c| c.starts_with("aims_session="))
        .expect("a session cookie");
    for flag in [
        "HttpOnly",
        "SameSite=Strict",
        "Path=/admin",
        "Max-Age=43200",
    ] {
        assert!(session.contains(flag), "{flag} in {session}");
    }
    assert!(
        !session.contains("Secure"),
        "plain HTTP on loopback: {session}"
    );

    let list = b.get("/admin/leads").await;
    assert_eq!(list.status, 200);
    assert!(list.html.contains("Fintech Ltd") && list.html.contains("cfo@fintech.example"));
    assert!(list.html.contains("owner@consultancy.example · owner"));

    let page = b.get(&format!("/admin/leads/{id}")).await;
    assert_eq!(page.status, 200);
    assert!(
        page.html.contains("Ada Lovelace · Fintech Ltd"),
        "{}",
        page.html
    );
    assert!(page.html.contains("Top gaps") && page.html.contains("person-days"));
    assert!(page.html.contains("/report\">Open the Gap Analysis Report"));

    let csrf = page.csrf();
    let erased = b
        .post(&format!("/admin/leads/{id}/erase"), &[("csrf", &csrf)])
        .await;
    assert_eq!(
        (erased.status, erased.location.as_str()),
        (303, "/admin/leads?erased=1")
    );
    let list = b.get("/admin/leads?erased=1").await;
    assert!(list.html.contains("personal data is erased"));
    assert!(!list.html.contains("Fintech Ltd") && !list.html.contains("cfo@fintech.example"));
    assert!(list.html.contains("Erased"));
    let csv = b.get("/admin/leads.csv").await;
    assert_eq!(csv.status, 200);
    assert!(!csv.html.contains("fintech"), "{}", csv.html);
    app.stop().await;
}

async fn forms_without_the_session_token_are_refused(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    account(&app, "owner@consultancy.example", Role::Owner).await;
    let id = lead(&app, "Fintech Ltd", "cfo@fintech.example").await;
    let mut b = Browser::new(&app);

    // A sign-in posted from elsewhere carries no sign-in cookie of ours.
    let forged = b
        .post(
            "/admin/sign-in",
            &[
                ("email", "owner@consultancy.example"),
                ("password", PASSWORD),
                ("csrf", "guess"),
            ],
        )
        .await;
    assert_eq!(forged.status, 403);
    assert!(!b.cookies.contains_key("aims_session"));

    assert_eq!(
        b.sign_in("owner@consultancy.example", PASSWORD)
            .await
            .status,
        303
    );
    for token in ["", "not-the-token"] {
        let r = b
            .post(&format!("/admin/leads/{id}/erase"), &[("csrf", token)])
            .await;
        assert_eq!(r.status, 403, "token {token:?}");
        assert!(r.html.contains("The form has expired"));
    }
    let out = b.post("/admin/sign-out", &[("csrf", "nope")]).await;
    assert_eq!(out.status, 403);
    let page = b.get(&format!("/admin/leads/{id}")).await;
    assert!(
        page.html.contains("cfo@fintech.example"),
        "nothing was erased"
    );
    app.stop().await;
}

async fn a_viewer_reads_but_cannot_erase(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    account(&app, "viewer@consultancy.example", Role::Viewer).await;
    let id = lead(&app, "Fintech Ltd", "cfo@fintech.example").await;
    let mut b = Browser::new(&app);
    assert_eq!(
        b.sign_in("viewer@consultancy.example", PASSWORD)
            .await
            .status,
        303
    );
    let page = b.get(&format!("/admin/leads/{id}")).await;
    assert_eq!(page.status, 200);
    assert!(page.html.contains("cfo@fintech.example"));
    assert!(
        !page.html.contains("/erase"),
        "a viewer is offered no erase button"
    );
    let csrf = page.csrf(); // the sign-out form's
    let r = b
        .post(&format!("/admin/leads/{id}/erase"), &[("csrf", &csrf)])
        .await;
    assert_eq!(r.status, 403);
    assert!(r.html.contains("Only an owner can erase"));
    assert!(
        b.get(&format!("/admin/leads/{id}"))
            .await
            .html
            .contains("cfo@fintech.example")
    );
    app.stop().await;
}

async fn an_account_locks_after_repeated_failures(engine: Engine) {
    let url = fresh_database(engine).await;
    let mut c = config(&url);
    c.console_lockout_after = 3;
    c.trusted_proxies = vec!["127.0.0.1".into()];
    let app = TestApp::with_config(c).await;
    account(&app, "owner@consultancy.example", Role::Owner).await;
    let owner = "owner@consultancy.example";

    // An attacker guesses from one address: three tries, then that address is locked out
    // of that email, even with the right password.
    let mut attacker = Browser::from(&app, "203.0.113.7");
    for attempt in 1..=3 {
        let r = attacker.sign_in(owner, "wrong password!").await;
        assert_eq!(r.status, 401, "attempt {attempt}");
        assert!(r.html.contains("The email or the password is not right."));
        assert_eq!(
            r.html.contains("last try from your address"),
            attempt == 3,
            "attempt {attempt}"
        );
        assert!(
            r.html.contains("value=\"owner@consultancy.example\""),
            "the email is kept"
        );
    }
    let locked = attacker.sign_in(owner, PASSWORD).await;
    assert_eq!(locked.status, 429, "the right password while locked out");
    assert!(
        locked
            .html
            .contains("Too many failed sign-ins from your address")
    );
    assert!(!locked.retry_after.is_empty());
    assert!(!attacker.cookies.contains_key("aims_session"));

    // An unknown email is answered the same way: the answers tell nothing of who exists.
    let mut prober = Browser::from(&app, "203.0.113.8");
    for attempt in 1..=3 {
        let r = prober
            .sign_in("nobody@consultancy.example", "wrong password!")
            .await;
        assert_eq!(r.status, 401);
        assert_eq!(r.html.contains("last try from your address"), attempt == 3);
    }
    assert_eq!(
        prober
            .sign_in("nobody@consultancy.example", PASSWORD)
            .await
            .status,
        429
    );

    // The owner, elsewhere, is not locked out by the attacker; behind the proxy the
    // session cookie is Secure.
    let mut real = Browser::from(&app, "198.51.100.9");
    let signed = real.sign_in(owner, PASSWORD).await;
    assert_eq!(signed.status, 303);
    assert!(
        signed
            .set_cookies
            .iter()
            .any(|c| c.starts_with("aims_session=") && c.contains("; Secure"))
    );

    // Ten guesses sent at once from one address: at most three are checked.
    let mut guessers = Vec::new();
    for _ in 0..10 {
        let mut b = Browser::from(&app, "192.0.2.44");
        let form = b.get("/admin/sign-in").await;
        guessers.push((b, form.csrf()));
    }
    let mut tasks = tokio::task::JoinSet::new();
    for (mut b, csrf) in guessers {
        tasks.spawn(async move {
            b.post(
                "/admin/sign-in",
                &[
                    ("email", "owner@consultancy.example"),
                    ("password", "guess!"),
                    ("csrf", &csrf),
                ],
            )
            .await
            .status
        });
    }
    let mut statuses = Vec::new();
    while let Some(s) = tasks.join_next().await {
        statuses.push(s.unwrap());
    }
    statuses.sort();
    assert_eq!(statuses, [401, 401, 401, 429, 429, 429, 429, 429, 429, 429]);
    app.stop().await;
}

async fn sessions_end_on_sign_out_and_on_expiry(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    account(&app, "owner@consultancy.example", Role::Owner).await;
    let mut b = Browser::new(&app);
    assert_eq!(
        b.sign_in("owner@consultancy.example", PASSWORD)
            .await
            .status,
        303
    );
    let token = b.cookies["aims_session"].clone();
    let list = b.get("/admin/leads").await;
    let out = b.post("/admin/sign-out", &[("csrf", &list.csrf())]).await;
    assert_eq!((out.status, out.location.as_str()), (303, "/admin/sign-in"));
    assert!(!b.cookies.contains_key("aims_session"));
    // The old cookie, replayed, opens nothing.
    b.cookies.insert("aims_session".into(), token);
    assert_eq!(b.get("/admin/leads").await.location, "/admin/sign-in");

    assert_eq!(
        b.sign_in("owner@consultancy.example", PASSWORD)
            .await
            .status,
        303
    );
    assert_eq!(b.get("/admin/leads").await.status, 200);
    // An hour past the session's end; the timestamp type is text on SQLite.
    if app.database_url.starts_with("postgres") {
        sql(
            &app,
            "UPDATE sessions SET expires_at = NOW() - INTERVAL '1 hour'",
        )
        .await;
    } else {
        sql(
            &app,
            "UPDATE sessions SET expires_at = '2000-01-01T00:00:00.000000Z'",
        )
        .await;
    }
    let expired = b.get("/admin/leads").await;
    assert_eq!(
        (expired.status, expired.location.as_str()),
        (303, "/admin/sign-in")
    );
    app.stop().await;
}

async fn the_lead_list_pages_and_searches(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    account(&app, "owner@consultancy.example", Role::Owner).await;
    for i in 0..53 {
        let company = if i % 10 == 0 {
            format!("Acme {i}")
        } else {
            format!("Firm {i}")
        };
        lead(&app, &company, &format!("person{i}@firm{i}.example")).await;
    }
    let mut b = Browser::new(&app);
    assert_eq!(
        b.sign_in("owner@consultancy.example", PASSWORD)
            .await
            .status,
        303
    );
    let first = b.get("/admin/leads").await;
    let rows = |p: &Page| p.html.matches("<tr>").count() - 1;
    assert_eq!(rows(&first), 50);
    assert!(first.html.contains("person52@"), "newest first");
    let at = first.html.find("rel=\"next\"").expect("an older page");
    let href = first.html[..at].rsplit("href=\"").next().unwrap();
    let href = href.split('"').next().unwrap().replace("&amp;", "&");
    let second = b.get(&href).await;
    assert_eq!(second.status, 200);
    assert_eq!(rows(&second), 3);
    assert!(second.html.contains("person0@") && !second.html.contains("person3@firm3"));
    assert!(!second.html.contains("rel=\"next\""));

    let acme = b.get("/admin/leads?q=ACME").await;
    assert_eq!(rows(&acme), 6, "Acme 0, 10, 20, 30, 40, 50");
    let by_email = b.get("/admin/leads?q=person7%40firm7").await;
    assert_eq!(rows(&by_email), 1);
    let wildcard = b.get("/admin/leads?q=%25").await;
    assert!(
        wildcard.html.contains("No leads match"),
        "% is a character, not a wildcard"
    );
    let bad = b.get("/admin/leads?from=yesterday").await;
    assert_eq!(bad.status, 400);
    assert!(bad.html.contains("Give the “from” date as YYYY-MM-DD."));
    app.stop().await;
}

/// Two instances over one PostgreSQL database: a session opened on one works on the other.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_share_their_sessions() {
    let url = fresh_database(Engine::Postgres).await;
    let a = TestApp::with_config(config(&url)).await;
    let b_app = TestApp::with_config(config(&url)).await;
    account(&a, "owner@consultancy.example", Role::Owner).await;
    let mut on_a = Browser::new(&a);
    assert_eq!(
        on_a.sign_in("owner@consultancy.example", PASSWORD)
            .await
            .status,
        303
    );
    let mut on_b = Browser::new(&b_app);
    on_b.cookies = on_a.cookies.clone();
    let list = on_b.get("/admin/leads").await;
    assert_eq!(list.status, 200, "signed in on A, served by B");
    let out = on_b
        .post("/admin/sign-out", &[("csrf", &list.csrf())])
        .await;
    assert_eq!(out.status, 303);
    assert_eq!(
        on_a.get("/admin/leads").await.location,
        "/admin/sign-in",
        "signed out on B ends it on A"
    );
    a.stop().await;
    b_app.stop().await;
}

#[tokio::test]
async fn admin_create_refuses_weak_passwords_bad_emails_and_a_taken_email() {
    let url = fresh_database(Engine::Sqlite).await;
    let c = config(&url);
    let weak = aims_backend::create_account(&c, "a@b.example", "short", Role::Owner).await;
    assert_eq!(
        weak.unwrap_err(),
        "the password is 5 characters long; use at least 12"
    );
    let bad = aims_backend::create_account(&c, "not an email", PASSWORD, Role::Owner).await;
    assert!(bad.unwrap_err().contains("is not an email address"));
    aims_backend::create_account(&c, "A@B.example", PASSWORD, Role::Owner)
        .await
        .unwrap();
    let taken = aims_backend::create_account(&c, "a@b.example", PASSWORD, Role::Viewer).await;
    assert_eq!(
        taken.unwrap_err(),
        "an account with the email a@b.example exists already"
    );
}
