//! The OpenAPI document as an integrator uses it: clients generated from a live server's
//! `/api/openapi.json` by `openapi-python-client` (PyPI) and `openapi-typescript` (npm),
//! and an assessment with a lead submitted through the generated Python client.
//! `cargo xtask setup` installs both generators.

use crate::helpers::{Engine, TestApp, quick_input, with_lead};
use std::path::{Path, PathBuf};
use tokio::process::Command;

/// A fresh folder for one test's files.
fn work_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("aims-clients-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).expect("work dir");
    dir
}

async fn run(command: &mut Command, what: &str) -> String {
    let out = command.output().await.unwrap_or_else(|e| {
        panic!("{what} could not start ({e}); `cargo xtask setup` installs it")
    });
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{what} failed:\n{text}");
    text
}

async fn openapi_document(app: &TestApp, dir: &Path) -> PathBuf {
    let doc = app.get("/api/openapi.json").await;
    assert_eq!(doc.status, 200);
    let path = dir.join("openapi.json");
    std::fs::write(&path, &doc.text).expect("write the document");
    path
}

#[tokio::test]
async fn a_generated_python_client_submits_an_assessment_with_a_lead() {
    let app = TestApp::spawn(Engine::Sqlite).await;
    let dir = work_dir();
    let spec = openapi_document(&app, &dir).await;

    let generated = run(
        Command::new("openapi-python-client")
            .arg("generate")
            .arg("--path")
            .arg(&spec)
            .arg("--output-path")
            .arg(dir.join("aims_client"))
            .arg("--config")
            .arg(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/api/clients/generator.yaml"
            ))
            .args(["--meta", "none"]),
        "openapi-python-client",
    )
    .await;
    assert!(
        !generated.contains("Warning") && !generated.contains("Unable to process"),
        "the generator skipped part of the document:\n{generated}"
    );

    let body = with_lead(quick_input(), "Analytical Engines", "ada@example.com");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/api/clients/submit.py");
    let printed = run(
        Command::new("python3")
            .arg(script)
            .arg(&app.base)
            .arg(body.to_string())
            .env("PYTHONPATH", &dir),
        "the generated Python client",
    )
    .await;
    let reply: serde_json::Value =
        serde_json::from_str(printed.trim()).expect("the script prints JSON");
    assert_eq!(reply["status"], 201);
    let id = reply["id"].as_str().expect("an id");
    assert_eq!(reply["report"], format!("/api/v1/assessments/{id}/report"));

    // Stored, with its lead, as if the widget had sent it.
    let stored = app.get(&format!("/api/v1/assessments/{id}")).await;
    assert_eq!(stored.status, 200);
    assert_eq!(stored.json()["result"]["band"], reply["band"]);
    let leads = app.admin_get("/api/v1/leads").await.json();
    assert_eq!(leads["total"], 1);
    assert_eq!(leads["items"][0]["email"], "ada@example.com");
    assert_eq!(leads["items"][0]["assessment_id"], id);
}

#[tokio::test]
async fn openapi_typescript_generates_the_api_types() {
    let app = TestApp::spawn(Engine::Sqlite).await;
    let dir = work_dir();
    let spec = openapi_document(&app, &dir).await;
    let bin = Path::new(env!("CARGO_MANIFEST_DIR")).join("../node_modules/.bin/openapi-typescript");
    let out = dir.join("api.d.ts");
    run(
        Command::new(bin).arg(&spec).arg("-o").arg(&out),
        "openapi-typescript",
    )
    .await;
    let types = std::fs::read_to_string(&out).expect("the generated types");
    for name in [
        "\"/api/v1/assessments\"",
        "QuickSubmission",
        "FullSubmission",
        "CreatedReply",
    ] {
        assert!(types.contains(name), "{name} is missing from the types");
    }
    // The wire names, not the Rust variant names.
    assert!(types.contains("\"develops\" | \"uses\" | \"both\""));
    assert!(types.contains("\"audit_ready\""));
}
