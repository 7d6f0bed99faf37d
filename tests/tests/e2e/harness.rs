//! One browser test's world: the real server (fresh SQLite file, admin token) serving a
//! copy of the built widget plus this suite's own pages, a ChromeDriver of its own on a
//! free port, and one headless Chromium session, all ended by [`Ctx::finish`] (or, if
//! the test panics, by `Drop`).
//!
//! Tests take turns (one browser at a time): on two cores, parallel browsers would only
//! make each other slow and the timing test meaningless.

use crate::helpers::{self, TestApp};
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::elements::{Element, ElementRef};
use fantoccini::key::Key;
use fantoccini::wd::{Capabilities, WebDriverCompatibleCommand};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Every page here holds exactly one widget.
pub const HOST: &str = "[data-aims-readiness]";

/// How long to wait for anything the widget should do by itself.
const PATIENCE: Duration = Duration::from_secs(15);

static ONE_BROWSER_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ sits in the workspace")
        .to_path_buf()
}

/// The built widget: `$AIMS_WIDGET_DIR` or `target/widget`.
fn built_widget() -> PathBuf {
    let dir = std::env::var_os("AIMS_WIDGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("target/widget"));
    assert!(
        dir.join("aims-readiness.js").is_file(),
        "\n\nThe end-to-end tests need the built widget, and {} is missing.\n\
         Build it first with:\n\n    cargo xtask widget\n\n\
         (`cargo xtask test` builds it before running the tests.)\n",
        dir.join("aims-readiness.js").display()
    );
    dir
}

fn chromedriver_path() -> PathBuf {
    let path = std::env::var_os("CHROMEDRIVER")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromedriver"));
    assert!(
        path.is_file(),
        "ChromeDriver not found at {} (set CHROMEDRIVER, or run `cargo xtask setup`)",
        path.display()
    );
    path
}

fn chromium_path() -> PathBuf {
    let path = std::env::var_os("CHROME_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    assert!(
        path.is_file(),
        "Chromium not found at {} (set CHROME_BIN, or run `cargo xtask setup`)",
        path.display()
    );
    path
}

/// A scratch folder removed when dropped.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The copy of the built widget that the server serves under `/widget/`, with the test
/// pages next to it (so `/widget/hostile.html` is same-origin with the API).
fn widget_dir(scratch: &Path) -> PathBuf {
    let dir = scratch.join("widget");
    std::fs::create_dir_all(&dir).expect("scratch widget folder");
    for entry in std::fs::read_dir(built_widget()).expect("read the built widget") {
        let entry = entry.expect("widget file");
        if entry.file_type().map(|t| t.is_file()).unwrap_or(false) {
            std::fs::copy(entry.path(), dir.join(entry.file_name())).expect("copy widget file");
        }
    }
    for (name, text) in [
        ("hostile.html", include_str!("pages/hostile.html")),
        ("frame.html", include_str!("pages/frame.html")),
        ("root-font.html", include_str!("pages/root-font.html")),
        ("cross-origin.html", include_str!("pages/cross-origin.html")),
        ("csp-wasm.html", include_str!("pages/csp-wasm.html")),
        ("below-fold.html", include_str!("pages/below-fold.html")),
        ("cta.html", include_str!("pages/cta.html")),
    ] {
        std::fs::write(dir.join(name), text).expect("write test page");
    }
    // An ordinary host page with the widget below the fold, and the same page without it
    // (the host-page benchmark compares them).
    let host = include_str!("pages/host-page.html");
    let snippet = "<div id=\"quiz\" data-aims-readiness data-mode=\"quick\"></div>\n    \
                   <script type=\"module\" src=\"/widget/aims-readiness.js\"></script>";
    for (name, widget) in [("host-with.html", snippet), ("host-without.html", "")] {
        std::fs::write(dir.join(name), host.replace("<!--WIDGET-->", widget))
            .expect("write test page");
    }
    // SurveyJS, from the workspace's npm packages, with a form of the full assessment's size.
    std::fs::write(
        dir.join("surveyjs.html"),
        include_str!("pages/surveyjs.html"),
    )
    .expect("write test page");
    for file in [
        "survey-core/survey.core.min.js",
        "survey-js-ui/survey-js-ui.min.js",
        "survey-core/survey-core.min.css",
    ] {
        let from = workspace().join("node_modules").join(file);
        let name = Path::new(file).file_name().expect("a file name");
        // Only the benchmark needs them; `npm ci` (cargo xtask setup) installs them.
        let _ = std::fs::copy(&from, dir.join(name));
    }
    // The same page under a policy that does not let WebAssembly compile.
    let strict = include_str!("pages/csp-wasm.html").replace(" 'wasm-unsafe-eval'", "");
    std::fs::write(dir.join("csp-strict.html"), strict).expect("write test page");
    dir
}

/// ChromeDriver in a process group of its own, so that Chromium (which it starts and
/// which outlives it when it is killed) goes with it.
struct Driver {
    child: Child,
    url: String,
}

impl Driver {
    async fn start(log: &Path) -> Driver {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        use std::os::unix::process::CommandExt;
        let child = Command::new(chromedriver_path())
            .arg(format!("--port={port}"))
            .arg(format!("--log-path={}", log.display()))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .expect("start chromedriver");
        let driver = Driver {
            child,
            url: format!("http://127.0.0.1:{port}"),
        };
        let status = format!("{}/status", driver.url);
        let started = Instant::now();
        loop {
            if let Ok(r) = reqwest::get(&status).await
                && let Ok(v) = r.json::<Value>().await
                && v["value"]["ready"] == true
            {
                return driver;
            }
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "chromedriver did not become ready on port {port}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Kills ChromeDriver and everything in its process group (Chromium included).
    fn kill(&mut self) {
        let group = self.child.id();
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{group}")])
            .stderr(Stdio::null())
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        self.kill();
    }
}

/// `POST /session/{id}/se/log`: ChromeDriver's browser log (console messages, uncaught
/// errors, failed loads), emptied by each read.
#[derive(Debug)]
struct BrowserLog;

impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!("session/{}/se/log", session_id.unwrap_or("")))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (
            http::Method::POST,
            Some(json!({ "type": "browser" }).to_string()),
        )
    }
}

/// What has the keyboard focus, looking through shadow roots.
#[derive(Debug, Clone)]
pub struct Focus {
    pub tag: String,
    pub id: String,
    pub kind: String,
    pub name: String,
    pub text: String,
    pub checked: bool,
    pub in_widget: bool,
    pub outline: String,
}

impl std::fmt::Display for Focus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "<{}", self.tag)?;
        for (k, v) in [("id", &self.id), ("type", &self.kind), ("name", &self.name)] {
            if !v.is_empty() {
                write!(f, " {k}=\"{v}\"")?;
            }
        }
        write!(f, ">{}", self.text)
    }
}

const FOCUS_JS: &str = r#"
let a = document.activeElement, inWidget = false;
while (a && a.shadowRoot && a.shadowRoot.activeElement) { a = a.shadowRoot.activeElement; inWidget = true; }
if (!a) return null;
const style = getComputedStyle(a);
return { tag: a.tagName.toLowerCase(), id: a.id || "", kind: a.type || "", name: a.name || "",
  text: (a.textContent || "").trim().replace(/\s+/g, " ").slice(0, 60), checked: !!a.checked,
  inWidget, outline: style.outlineStyle + " " + style.outlineWidth };
"#;

/// Which screen the widget shows: `intro`, `profile`, `questions` or `results`.
const SCREEN_JS: &str = r#"
const root = document.querySelector(arguments[0])?.shadowRoot;
const s = root && root.querySelector("section.screen");
return s ? ["intro", "profile", "questions", "results"].find(c => s.classList.contains(c)) || "" : "";
"#;

/// Remembers every file the widget offers for download instead of downloading it:
/// `URL.createObjectURL` keeps the Blob, a download link's `click` records it.
const CAPTURE_DOWNLOADS_JS: &str = r#"
if (!window.aimsDownloads) {
  window.aimsDownloads = [];
  const blobs = new Map();
  const create = URL.createObjectURL;
  URL.createObjectURL = function (object) {
    const url = create.call(URL, object);
    blobs.set(url, object);
    return url;
  };
  const click = HTMLAnchorElement.prototype.click;
  HTMLAnchorElement.prototype.click = function () {
    if (this.hasAttribute("download")) {
      window.aimsDownloads.push({ name: this.download, blob: blobs.get(this.href) });
      return;
    }
    return click.call(this);
  };
}
"#;

/// A file the widget offered.
#[derive(Debug)]
pub struct Download {
    pub name: String,
    pub mime: String,
    pub text: String,
}

/// An answer to give to a question.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Answer {
    Level(u8),
    Unknown,
    NotApplicable(&'static str),
}

impl Answer {
    /// The suffix of the radio's id, `<question-id>-<suffix>`.
    pub fn suffix(self) -> String {
        match self {
            Answer::Level(n) => n.to_string(),
            Answer::Unknown => "unknown".into(),
            Answer::NotApplicable(_) => "not_applicable".into(),
        }
    }

    /// Its position among the question's radios.
    pub fn position(self) -> usize {
        match self {
            Answer::Level(n) => n as usize,
            Answer::Unknown => 5,
            Answer::NotApplicable(_) => 6,
        }
    }
}

/// One test's server, browser and helpers.
pub struct Ctx {
    pub app: TestApp,
    pub client: Client,
    driver: Driver,
    _scratch: Scratch,
    _turn: tokio::sync::MutexGuard<'static, ()>,
}

impl Ctx {
    /// Starts the server and a browser (waiting for the previous test's to end).
    pub async fn start() -> Ctx {
        Ctx::start_with(|_| {}).await
    }

    /// The same, with the server's configuration changed first.
    pub async fn start_with(configure: impl FnOnce(&mut aims_backend::Config)) -> Ctx {
        let turn = ONE_BROWSER_AT_A_TIME.lock().await;
        let scratch = Scratch(
            std::env::temp_dir().join(format!("aims-e2e-{}", uuid::Uuid::new_v4().simple())),
        );
        let widget = widget_dir(&scratch.0);
        // A fresh SQLite file in the scratch folder, removed with it.
        let database = format!("sqlite://{}/db/aims.db", scratch.0.display());
        let mut config = helpers::config(&database);
        config.widget_dir = widget;
        configure(&mut config);
        let app = TestApp::with_config(config).await;
        let driver = Driver::start(&scratch.0.join("chromedriver.log")).await;
        let mut caps = Capabilities::new();
        caps.insert("browserName".into(), json!("chrome"));
        caps.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": chromium_path(),
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update",
                    "--no-first-run", "--window-size=1280,1000",
                ],
                "prefs": {
                    "download.default_directory": scratch.0.join("downloads"),
                    "download.prompt_for_download": false,
                },
            }),
        );
        caps.insert("goog:loggingPrefs".into(), json!({ "browser": "ALL" }));
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&driver.url)
            .await
            .expect("a Chromium session through chromedriver");
        Ctx {
            app,
            client,
            driver,
            _scratch: scratch,
            _turn: turn,
        }
    }

    /// Ends the browser session, ChromeDriver and the server.
    pub async fn finish(mut self) {
        let _ = tokio::time::timeout(Duration::from_secs(10), self.client.clone().close()).await;
        self.driver.kill();
        self.app.stop().await;
    }

    pub fn url(&self, path: &str) -> String {
        self.app.url(path)
    }

    /// Opens a page and waits for its widget's first screen.
    pub async fn open(&self, path: &str) {
        self.client.goto(&self.url(path)).await.expect("navigate");
        self.wait_ready().await;
    }

    /// Opens the test page that frames `/embed`, and switches into the frame once its
    /// widget is ready (`client.enter_parent_frame()` switches back).
    pub async fn open_framed_widget(&self) {
        self.client
            .goto(&self.url("/widget/frame.html"))
            .await
            .expect("navigate to the framing page");
        self.client.enter_frame(0).await.expect("the frame");
        self.wait_ready().await;
    }

    /// Waits until the widget on the current page (or frame) says it is ready.
    pub async fn wait_ready(&self) {
        self.wait_for(
            &format!(
                "const h = document.querySelector('{HOST}'); \
                 return !!(h && h.hasAttribute('data-aims-ready') && h.shadowRoot \
                 && h.shadowRoot.querySelector('section.screen'));"
            ),
            "the widget's first screen (data-aims-ready)",
        )
        .await;
    }

    /// Runs a script (a function body; `arguments` as given).
    pub async fn js(&self, script: &str, args: Vec<Value>) -> Value {
        self.client
            .execute(script, args)
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
    }

    /// Runs a script in the widget's shadow root, bound to `root`.
    pub async fn in_widget(&self, body: &str) -> Value {
        let script = format!(
            "const host = document.querySelector('{HOST}'); const root = host && host.shadowRoot; {body}"
        );
        self.js(&script, vec![]).await
    }

    /// Runs an async script: it gets `done` to call with its result.
    pub async fn js_async(&self, body: &str, args: Vec<Value>) -> Value {
        let script = format!("const done = arguments[arguments.length - 1]; {body}");
        self.client
            .execute_async(&script, args)
            .await
            .unwrap_or_else(|e| panic!("async script failed: {e}\n{body}"))
    }

    /// Polls a script until it returns something truthy, and returns that.
    pub async fn wait_for(&self, script: &str, what: &str) -> Value {
        let started = Instant::now();
        loop {
            let v = self.js(script, vec![]).await;
            let truthy = match &v {
                Value::Null => false,
                Value::Bool(b) => *b,
                Value::String(s) => !s.is_empty(),
                Value::Number(n) => n.as_f64() != Some(0.0),
                _ => true,
            };
            if truthy {
                return v;
            }
            assert!(
                started.elapsed() < PATIENCE,
                "waited {PATIENCE:?} for {what}; the widget shows the {:?} screen",
                self.screen().await
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    /// Polls a script run in the widget's shadow root (`root`).
    pub async fn wait_in_widget(&self, body: &str, what: &str) -> Value {
        self.wait_for(
            &format!(
                "const host = document.querySelector('{HOST}'); const root = host && host.shadowRoot; \
                 if (!root) return null; {body}"
            ),
            what,
        )
        .await
    }

    /// The screen the widget shows.
    pub async fn screen(&self) -> String {
        self.js(SCREEN_JS, vec![json!(HOST)])
            .await
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    /// Waits for a screen.
    pub async fn wait_screen(&self, screen: &str) {
        let started = Instant::now();
        loop {
            let now = self.screen().await;
            if now == screen {
                return;
            }
            assert!(
                started.elapsed() < PATIENCE,
                "waited {PATIENCE:?} for the {screen} screen; the widget shows {now:?}"
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    /// An element inside the widget, found the WebDriver way (through its shadow root).
    pub async fn el(&self, css: &str) -> Element {
        self.wait_in_widget(
            &format!("return !!root.querySelector({});", json!(css)),
            &format!("{css} in the widget"),
        )
        .await;
        self.client
            .find(Locator::Css(HOST))
            .await
            .expect("the widget's host element")
            .shadow_root()
            .await
            .expect("an open shadow root")
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css} in the shadow root: {e}"))
    }

    /// A button inside the widget, by its visible text.
    pub async fn button(&self, text: &str) -> Element {
        let v = self
            .wait_in_widget(
                &format!(
                    "return [...root.querySelectorAll('button')].find(b => b.textContent.trim() === {});",
                    json!(text)
                ),
                &format!("a button \"{text}\" in the widget"),
            )
            .await;
        self.element(&v)
    }

    /// An element that a script returned.
    pub fn element(&self, v: &Value) -> Element {
        let id = v
            .as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("not an element: {v}"));
        Element::from_element_id(self.client.clone(), ElementRef::from(id.to_string()))
    }

    /// Clicks an element the WebDriver way, after scrolling it to the middle of the
    /// window (ChromeDriver scrolls it to an edge, where the widget's sticky progress
    /// bar can cover it, as it would for a visitor scrolled that far).
    pub async fn click_element(&self, element: &Element, what: &str) {
        let arg = serde_json::to_value(element).expect("element reference");
        self.js(
            "arguments[0].scrollIntoView({ block: 'center', inline: 'nearest' });",
            vec![arg],
        )
        .await;
        element
            .click()
            .await
            .unwrap_or_else(|e| panic!("click {what}: {e}"));
    }

    pub async fn click(&self, css: &str) {
        self.click_element(&self.el(css).await, css).await;
    }

    pub async fn click_button(&self, text: &str) {
        self.click_element(&self.button(text).await, &format!("\"{text}\""))
            .await;
    }

    // ---- Keyboard -------------------------------------------------------------------

    /// Presses and releases keys, one after the other, on whatever has the focus.
    pub async fn keys(&self, keys: &[Key]) {
        let mut seq = KeyActions::new("keyboard".into());
        for &k in keys {
            seq = seq
                .then(KeyAction::Down { value: k.into() })
                .then(KeyAction::Up { value: k.into() });
        }
        self.client.perform_actions(seq).await.expect("key actions");
    }

    /// Shift+Tab.
    pub async fn shift_tab(&self) {
        let seq = KeyActions::new("keyboard".into())
            .then(KeyAction::Down {
                value: Key::Shift.into(),
            })
            .then(KeyAction::Down {
                value: Key::Tab.into(),
            })
            .then(KeyAction::Up {
                value: Key::Tab.into(),
            })
            .then(KeyAction::Up {
                value: Key::Shift.into(),
            });
        self.client.perform_actions(seq).await.expect("shift+tab");
    }

    /// Types text on the keyboard into whatever has the focus.
    pub async fn type_text(&self, text: &str) {
        let mut seq = KeyActions::new("keyboard".into());
        for c in text.chars() {
            seq = seq
                .then(KeyAction::Down { value: c })
                .then(KeyAction::Up { value: c });
        }
        self.client.perform_actions(seq).await.expect("typing");
    }

    /// What has the focus.
    pub async fn focus(&self) -> Focus {
        let v = self.js(FOCUS_JS, vec![]).await;
        let s = |k: &str| v[k].as_str().unwrap_or("").to_string();
        Focus {
            tag: s("tag"),
            id: s("id"),
            kind: s("kind"),
            name: s("name"),
            text: s("text"),
            checked: v["checked"].as_bool().unwrap_or(false),
            in_widget: v["inWidget"].as_bool().unwrap_or(false),
            outline: s("outline"),
        }
    }

    /// Waits until the element with this id has the focus (the widget moves it to a
    /// screen's heading after rendering).
    pub async fn wait_focus(&self, id: &str) {
        let started = Instant::now();
        loop {
            let f = self.focus().await;
            if f.id == id {
                return;
            }
            assert!(
                started.elapsed() < Duration::from_secs(5),
                "expected the focus on #{id}, it is on {f}"
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    /// Presses Tab until the focus is on what `wanted` accepts (at most `max` times).
    pub async fn tab_to(&self, what: &str, max: usize, wanted: impl Fn(&Focus) -> bool) -> Focus {
        let mut seen = Vec::new();
        for _ in 0..max {
            self.keys(&[Key::Tab]).await;
            let f = self.focus().await;
            if wanted(&f) {
                return f;
            }
            seen.push(f.to_string());
        }
        panic!(
            "{what} was not reached with {max} presses of Tab; the focus went through:\n  {}",
            seen.join("\n  ")
        );
    }

    // ---- Filling in the quiz with the mouse -------------------------------------------

    /// Intro → profile, filled in with clicks → questions.
    pub async fn start_and_fill_profile(&self) {
        self.click_button("Start").await;
        self.wait_screen("profile").await;
        self.el("#aims-size")
            .await
            .select_by_value("51-250")
            .await
            .expect("choose a size");
        self.click_button("Continue to the questions").await;
        self.wait_screen("questions").await;
    }

    /// The ids of the questions in the current section.
    pub async fn section_questions(&self) -> Vec<String> {
        let v = self
            .in_widget(
                "return [...root.querySelectorAll('fieldset.question')].map(f => f.id.replace(/^aims-/, ''));",
            )
            .await;
        v.as_array()
            .expect("question ids")
            .iter()
            .map(|x| x.as_str().unwrap().to_string())
            .collect()
    }

    /// Opens "Jump to a section" and goes to the section whose title starts with `prefix`.
    pub async fn jump_to(&self, prefix: &str) {
        let open = self
            .in_widget("return root.querySelector('details.sections').open;")
            .await;
        if open != json!(true) {
            let summary = self
                .in_widget("return root.querySelector('details.sections summary');")
                .await;
            self.click_element(&self.element(&summary), "Jump to a section")
                .await;
        }
        let link = self
            .wait_in_widget(
                &format!(
                    "return [...root.querySelectorAll('.section-link')].find(b => b.textContent.trim().startsWith({}));",
                    json!(prefix)
                ),
                &format!("the section link {prefix}"),
            )
            .await;
        self.click_element(&self.element(&link), prefix).await;
        self.wait_in_widget(
            &format!(
                "return root.querySelector('#aims-section-title')?.textContent.startsWith({});",
                json!(prefix)
            ),
            &format!("the section {prefix}"),
        )
        .await;
    }

    /// The current section's title.
    pub async fn section_title(&self) -> String {
        self.in_widget("return root.querySelector('#aims-section-title')?.textContent || '';")
            .await
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    /// Answers one question with clicks (and types the justification of a "not applicable").
    pub async fn answer(&self, question: &str, answer: Answer) {
        let id = format!("#{question}-{}", answer.suffix());
        self.click(&id).await;
        if let Answer::NotApplicable(why) = answer {
            let field = self.el(&format!("#{question}-why")).await;
            field.send_keys(why).await.expect("type the justification");
        }
        self.wait_in_widget(
            &format!("return root.querySelector({}).checked;", json!(id)),
            &format!("{id} checked"),
        )
        .await;
    }

    /// Answers every question, section by section, with clicks, and goes to the results.
    /// Returns how many questions were answered.
    pub async fn answer_all(&self, choose: impl Fn(usize, &str) -> Answer) -> usize {
        let n = self.answer_all_but_the_last_click(choose).await;
        self.click_button("See my results").await;
        self.wait_screen("results").await;
        n
    }

    /// Answers every question, section by section, with clicks, and stops on the last
    /// section with its "See my results" button not yet clicked. Returns how many questions
    /// were answered.
    pub async fn answer_all_but_the_last_click(
        &self,
        choose: impl Fn(usize, &str) -> Answer,
    ) -> usize {
        let mut n = 0;
        loop {
            for q in self.section_questions().await {
                self.answer(&q, choose(n, &q)).await;
                n += 1;
            }
            if !self.next_section().await {
                return n;
            }
        }
    }

    /// Clicks "Next section" and waits for the next section; on the last section, clicks
    /// nothing and returns false.
    pub async fn next_section(&self) -> bool {
        let title = self.section_title().await;
        let next = self
            .wait_in_widget(
                "return root.querySelector('section.questions .actions button.primary');",
                "the next button",
            )
            .await;
        let next = self.element(&next);
        if next.text().await.unwrap() == "See my results" {
            return false;
        }
        self.click_element(&next, "the next button").await;
        self.wait_in_widget(
            &format!(
                "return (root.querySelector('#aims-section-title')?.textContent || '') !== {};",
                json!(title)
            ),
            "the next section",
        )
        .await;
        true
    }

    /// The exact overall score and band the results screen shows.
    pub async fn shown_result(&self) -> (f64, String, String) {
        let v = self
            .wait_in_widget(
                "const n = root.querySelector('.overall .number'), b = root.querySelector('.band'); \
                 return n && b ? [n.getAttribute('data-overall'), n.textContent, b.getAttribute('data-band')] : null;",
                "the score on the results screen",
            )
            .await;
        let overall: f64 = v[0]
            .as_str()
            .expect("data-overall")
            .parse()
            .expect("data-overall is a number");
        (
            overall,
            v[1].as_str().unwrap().to_string(),
            v[2].as_str().unwrap().to_string(),
        )
    }

    /// How the results show an exact overall score: a whole number after a quick quiz
    /// (which cannot claim more precision), one decimal after the full assessment.
    pub fn shown_score(overall: f64, quick: bool) -> String {
        if quick {
            format!("{}", overall.round())
        } else {
            format!("{overall:.1}")
        }
    }

    /// Fills in the lead form with clicks and typing, sends it, and returns the id shown.
    pub async fn send_lead(&self, name: &str, email: &str, company: &str) -> String {
        self.el("#aims-lead-name")
            .await
            .send_keys(name)
            .await
            .unwrap();
        self.el("#aims-lead-email")
            .await
            .send_keys(email)
            .await
            .unwrap();
        self.el("#aims-lead-company")
            .await
            .send_keys(company)
            .await
            .unwrap();
        self.click("#aims-lead-consent").await;
        self.click_button("Send my results").await;
        self.assessment_id().await
    }

    /// Waits for the confirmation and returns the reference it shows.
    pub async fn assessment_id(&self) -> String {
        self.wait_in_widget(
            "return root.querySelector('.assessment-id')?.textContent.trim();",
            "the confirmation with the assessment id",
        )
        .await
        .as_str()
        .unwrap()
        .to_string()
    }

    // ---- Downloads, console, accessibility --------------------------------------------

    pub async fn capture_downloads(&self) {
        self.js(CAPTURE_DOWNLOADS_JS, vec![]).await;
    }

    /// Clicks a download button and returns the file it offered.
    pub async fn download(&self, button: &str) -> Download {
        let before = self
            .js("return (window.aimsDownloads || []).length;", vec![])
            .await
            .as_u64()
            .expect("capture_downloads first");
        // The files are in the results' Download menu: open it as a visitor would.
        let open = self
            .in_widget("return root.querySelector('details.downloads')?.open ?? true;")
            .await;
        if open == json!(false) {
            self.click("details.downloads > summary").await;
        }
        self.click_button(button).await;
        self.wait_for(
            &format!("return window.aimsDownloads.length > {before};"),
            &format!("the file from \"{button}\""),
        )
        .await;
        let v = self
            .js_async(
                "const d = window.aimsDownloads[window.aimsDownloads.length - 1]; \
                 if (!d.blob) { done({ name: d.name, mime: '', text: null }); return; } \
                 d.blob.text().then(text => done({ name: d.name, mime: d.blob.type, text }));",
                vec![],
            )
            .await;
        Download {
            name: v["name"].as_str().unwrap_or("").to_string(),
            mime: v["mime"].as_str().unwrap_or("").to_string(),
            text: v["text"]
                .as_str()
                .unwrap_or_else(|| panic!("\"{button}\" offered no Blob: {v}"))
                .to_string(),
        }
    }

    /// Reads (and empties) the browser's log.
    pub async fn browser_log(&self) -> Vec<Value> {
        let v = self
            .client
            .issue_cmd(BrowserLog)
            .await
            .expect("chromedriver's browser log");
        v.as_array().cloned().unwrap_or_default()
    }

    /// Asserts that nothing was logged as an error (console.error, uncaught exceptions,
    /// failed requests) since the last look.
    pub async fn assert_no_console_errors(&self, page: &str) {
        let mut errors = Vec::new();
        for e in self.browser_log().await {
            if e["level"] != "SEVERE" {
                continue;
            }
            let message = e["message"].as_str().unwrap_or("");
            errors.push(format!("{message} [{}]", e["source"]));
        }
        assert!(
            errors.is_empty(),
            "console errors on {page}:\n  {}",
            errors.join("\n  ")
        );
    }

    /// Runs axe-core on the whole document (it walks open shadow roots) and returns the
    /// violations, readably.
    pub async fn axe(&self) -> Vec<String> {
        let loaded = self
            .js("return typeof window.axe === 'object';", vec![])
            .await;
        if loaded != json!(true) {
            let path = workspace().join("node_modules/axe-core/axe.min.js");
            let source = std::fs::read_to_string(&path).unwrap_or_else(|e| {
                panic!(
                    "{}: {e} (axe-core comes from `npm ci` at the workspace root)",
                    path.display()
                )
            });
            self.js(&source, vec![]).await;
        }
        let v = self
            .js_async(
                "axe.run(document, { resultTypes: ['violations'] }).then(r => done(r.violations.map(v => ({ \
                   id: v.id, impact: v.impact, help: v.help, \
                   nodes: v.nodes.map(n => ({ target: n.target, html: n.html, why: n.failureSummary })) \
                 })))).catch(e => done({ error: String(e) }));",
                vec![],
            )
            .await;
        if let Some(e) = v.get("error") {
            panic!("axe.run failed: {e}");
        }
        v.as_array()
            .expect("violations")
            .iter()
            .map(|v| {
                let nodes: Vec<String> = v["nodes"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|n| {
                        format!(
                            "    at {}\n      {}\n      {}",
                            n["target"],
                            n["html"].as_str().unwrap_or(""),
                            n["why"].as_str().unwrap_or("").replace('\n', "\n      ")
                        )
                    })
                    .collect();
                format!(
                    "{} ({}): {}\n{}",
                    v["id"].as_str().unwrap_or(""),
                    v["impact"].as_str().unwrap_or(""),
                    v["help"].as_str().unwrap_or(""),
                    nodes.join("\n")
                )
            })
            .collect()
    }
}
