//! With the `embedded-widget` feature, puts the built widget (`cargo xtask widget`, in
//! `target/widget`, or `AIMS_WIDGET_BUILD`) into the binary, so that a release is one
//! file. Without it, the binary carries no widget and serves `--widget-dir`.

use std::fmt::Write as _;
use std::path::PathBuf;

fn main() {
    println!("cargo::rerun-if-env-changed=AIMS_WIDGET_BUILD");
    println!("cargo::rerun-if-changed=build.rs");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR"));
    let mut code = String::from("pub static FILES: &[(&str, &[u8])] = &[\n");
    if std::env::var_os("CARGO_FEATURE_EMBEDDED_WIDGET").is_some() {
        let dir = std::env::var_os("AIMS_WIDGET_BUILD").map_or_else(
            || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/widget"),
            PathBuf::from,
        );
        println!("cargo::rerun-if-changed={}", dir.display());
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| {
                panic!(
                    "the embedded-widget feature needs the built widget in {} ({e}): run `cargo xtask widget` first",
                    dir.display()
                )
            })
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|p| p.is_file())
            .collect();
        files.sort();
        assert!(
            files.iter().any(|p| p.ends_with("aims-readiness.js")),
            "{} holds no aims-readiness.js: run `cargo xtask widget` first",
            dir.display()
        );
        for path in files {
            println!("cargo::rerun-if-changed={}", path.display());
            let name = path.file_name().expect("file name").to_string_lossy();
            let path = path.canonicalize().expect("widget file");
            writeln!(
                code,
                "    ({name:?}, include_bytes!({:?})),",
                path.display().to_string()
            )
            .expect("write");
        }
    }
    code.push_str("];\n");
    std::fs::write(out.join("embedded_widget.rs"), code).expect("write embedded_widget.rs");
}
