//! Building the widget for the backend to serve: Wasm (size profile) → wasm-bindgen
//! `--target web` → `wasm-opt -Oz` (npm binaryen) → content-hashed names → `.br`/`.gz`,
//! plus the stable loader `aims-readiness.js` that a host page includes.

use crate::{WASM_TARGET, cargo, root, status, step};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Where the backend serves the widget from (its `--widget-dir` default).
pub fn out_dir() -> PathBuf {
    root().join("target/widget")
}

/// One file of the built widget, with its transfer sizes.
pub struct Built {
    pub name: String,
    pub raw: u64,
    pub gzip: u64,
    pub brotli: u64,
}

/// Installs the npm tools (wasm-opt, terser, axe-core, and SurveyJS to compare sizes with) if
/// they are missing.
pub fn npm_tools() -> Result<(), String> {
    let root = root();
    if root.join("node_modules/.bin/wasm-opt").exists()
        && root.join("node_modules/axe-core/axe.min.js").exists()
        && root.join("node_modules/terser/package.json").exists()
        && root.join("node_modules/.bin/openapi-typescript").exists()
        && root
            .join("node_modules/survey-js-ui/survey-js-ui.min.js")
            .exists()
    {
        return Ok(());
    }
    let mut c = Command::new("npm");
    c.current_dir(&root).args(["ci", "--no-audit", "--no-fund"]);
    status(
        c,
        "npm ci (binaryen, terser, axe-core, openapi-typescript, survey-core, survey-js-ui)",
    )
}

/// Compiles the widget to Wasm with the size profile and returns the file.
///
/// Where the nightly toolchain and its `rust-src` are installed (they are on our
/// machines), the standard library is rebuilt for size as well: panics abort on the spot
/// without formatting a message, `Debug` formatting and panic locations are left out,
/// and `optimize_for_size` picks std's smaller algorithms (sorting, integer formatting,
/// float parsing; same results); the README says what that saves. Otherwise, and if that
/// build fails, the
/// stable toolchain builds it. `AIMS_WIDGET_STABLE=1` forces stable.
fn compile() -> Result<PathBuf, String> {
    let root = root();
    let args = [
        "build",
        "-p",
        "aims-widget",
        "--lib",
        "--target",
        WASM_TARGET,
        "--profile",
        "wasm-release",
    ];
    if std::env::var_os("AIMS_WIDGET_STABLE").is_none() && nightly_with_src() {
        step("Widget: Wasm build (size profile, nightly: std rebuilt for size)");
        let mut c = crate::nightly_cargo();
        c.args(args)
            .args([
                "-Z",
                "build-std=std,panic_abort",
                "-Z",
                "build-std-features=optimize_for_size",
                "--target-dir",
                "target/wasm-nightly",
            ])
            .env(
                "RUSTFLAGS",
                "-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none",
            );
        match status(c, "widget wasm build (nightly)") {
            Ok(()) => {
                return Ok(root.join(format!(
                    "target/wasm-nightly/{WASM_TARGET}/wasm-release/aims_widget.wasm"
                )));
            }
            Err(e) => println!("{e}; building with the stable toolchain instead"),
        }
    }
    step("Widget: Wasm build (size profile, stable)");
    let mut c = cargo();
    c.args(args);
    status(c, "widget wasm build")?;
    Ok(root.join(format!(
        "target/{WASM_TARGET}/wasm-release/aims_widget.wasm"
    )))
}

/// Whether the nightly toolchain with `rust-src` is there (adding `rust-src` if needed).
fn nightly_with_src() -> bool {
    let has = |args: &[&str], needle: &str| {
        Command::new("rustup").args(args).output().is_ok_and(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .any(|l| l.starts_with(needle))
        })
    };
    if !has(&["toolchain", "list"], "nightly") {
        return false;
    }
    has(
        &["component", "list", "--installed", "--toolchain", "nightly"],
        "rust-src",
    ) || Command::new("rustup")
        .args(["component", "add", "rust-src", "--toolchain", "nightly"])
        .status()
        .is_ok_and(|s| s.success())
}

/// FNV-1a, 64 bits: enough to tell two builds of a file apart in a cache-busting name.
fn content_hash(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")[..12].to_string()
}

fn read(path: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), String> {
    std::fs::write(path, bytes).map_err(|e| format!("{}: {e}", path.display()))
}

/// Builds the widget into [`out_dir`] and returns its files with their sizes.
pub fn build() -> Result<Vec<Built>, String> {
    let root = root();
    npm_tools()?;
    let wasm_file = compile()?;

    step("Widget: wasm-bindgen, wasm-opt, hashed names, compression");
    let work = root.join("target/widget-build");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).map_err(|e| e.to_string())?;
    let mut c = Command::new("wasm-bindgen");
    c.current_dir(&root)
        .args([
            "--target",
            "web",
            "--no-typescript",
            "--out-name",
            "aims-readiness",
            "--out-dir",
        ])
        .arg(&work)
        .arg(&wasm_file);
    status(c, "wasm-bindgen")?;
    // After a first -Oz, `--flatten --rereloop` rebuilds each function's control flow
    // from scratch and a second -Oz cleans up after it; `--converge` repeats that -Oz
    // while it still shrinks the file (about 20 s; the README says what it saves).
    // The import and export names wasm-bindgen chose (`__wbg_setAttribute_f75317b2b5cabfb4`,
    // closure shims named after their full Rust types) become one or two letters; wasm-opt
    // prints the new names, and `glue.mjs` applies them to the JS glue and minifies it
    // with terser.
    let wasm_opt = |extra: &[&str], input: &Path, output: &Path| {
        let mut c = Command::new(root.join("node_modules/.bin/wasm-opt"));
        c.args([
            "--enable-bulk-memory",
            "--enable-nontrapping-float-to-int",
            "--enable-sign-ext",
            "--enable-mutable-globals",
        ])
        .args(extra)
        .arg(input)
        .arg("-o")
        .arg(output);
        let out = c.output().map_err(|e| format!("wasm-opt: {e}"))?;
        if out.status.success() {
            Ok(out.stdout)
        } else {
            Err(format!(
                "wasm-opt failed: {}",
                String::from_utf8_lossy(&out.stderr)
            ))
        }
    };
    let optimised = work.join("optimised.wasm");
    wasm_opt(
        &[
            "-Oz",
            "--flatten",
            "--rereloop",
            "-Oz",
            "--converge",
            "--strip-debug",
            "--strip-producers",
        ],
        &work.join("aims-readiness_bg.wasm"),
        &optimised,
    )?;
    // Renaming is a pass of its own: under `--converge` it would run again each round.
    let renamed = work.join("renamed.wasm");
    let new_names = wasm_opt(
        &["--minify-imports-and-exports-and-modules"],
        &optimised,
        &renamed,
    )?;
    let names = work.join("names.json");
    write(&names, &new_names)?;
    let glue_file = work.join("glue.min.js");
    let mut c = Command::new("node");
    c.arg(root.join("xtask/glue.mjs"))
        .arg(&names)
        .arg(&renamed)
        .arg(work.join("aims-readiness.js"))
        .arg(&glue_file);
    status(c, "JS glue: new names and terser")?;

    let wasm = read(&renamed)?;
    let glue = read(&glue_file)?;
    let wasm_name = format!("aims-readiness.{}.wasm", content_hash(&wasm));
    let glue_name = format!("aims-readiness.{}.js", content_hash(&glue));
    // The loader as written in `xtask/loader.js`, with its file names, and of its comments
    // only the four lines that tell a site's owner how to include it.
    let loader: String = include_str!("../loader.js")
        .lines()
        .enumerate()
        .filter(|(i, line)| *i < 4 || !line.trim_start().starts_with("//"))
        .map(|(_, line)| format!("{line}\n"))
        .collect::<String>()
        .replace("__GLUE__", &glue_name)
        .replace("__WASM__", &wasm_name);

    let out = out_dir();
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;
    write(&out.join(&wasm_name), &wasm)?;
    write(&out.join(&glue_name), &glue)?;
    write(&out.join("aims-readiness.js"), loader.as_bytes())?;
    let names = [wasm_name, glue_name, "aims-readiness.js".to_string()];
    let paths: Vec<PathBuf> = names.iter().map(|n| out.join(n)).collect();
    let sizes = compress(&paths, true)?;
    Ok(names
        .into_iter()
        .zip(sizes)
        .map(|(name, s)| Built {
            name,
            raw: s.raw,
            gzip: s.gzip,
            brotli: s.brotli,
        })
        .collect())
}

/// A file's size, and its size compressed as a server would send it.
pub struct Sizes {
    pub raw: u64,
    pub gzip: u64,
    pub brotli: u64,
}

/// The transfer sizes of files, compressed as the widget's own files are.
pub fn transfer_sizes(files: &[PathBuf]) -> Result<Vec<Sizes>, String> {
    compress(files, false)
}

/// Compresses files with Node's zlib (brotli at quality 11, gzip at level 9) and returns
/// the sizes; with `write`, also writes `<file>.br` and `<file>.gz` next to each.
fn compress(files: &[PathBuf], write: bool) -> Result<Vec<Sizes>, String> {
    let script = "const z=require('zlib'),fs=require('fs');\
        const [write,...files]=process.argv.slice(1);\
        for(const f of files){const b=fs.readFileSync(f);\
        const br=z.brotliCompressSync(b,{params:{[z.constants.BROTLI_PARAM_QUALITY]:11,[z.constants.BROTLI_PARAM_SIZE_HINT]:b.length}});\
        const gz=z.gzipSync(b,{level:9});\
        if(write==='write'){fs.writeFileSync(f+'.br',br);fs.writeFileSync(f+'.gz',gz);}\
        console.log(b.length,gz.length,br.length);}";
    let out = Command::new("node")
        .arg("-e")
        .arg(script)
        .arg(if write { "write" } else { "measure" })
        .args(files)
        .output()
        .map_err(|e| format!("compression (node zlib): {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "compression (node zlib) failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let sizes: Vec<Sizes> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| {
            let mut n = l.split(' ').map(|x| x.parse::<u64>().ok());
            Some(Sizes {
                raw: n.next()??,
                gzip: n.next()??,
                brotli: n.next()??,
            })
        })
        .collect();
    if sizes.len() == files.len() {
        Ok(sizes)
    } else {
        Err("compression (node zlib) gave no sizes".into())
    }
}

/// The size budget for everything the widget transfers, brotli.
pub const BUDGET_BROTLI: u64 = 150 * 1000;

/// Prints the size table.
pub fn report(files: &[Built]) {
    println!("\n| file | raw | gzip | brotli |");
    println!("|---|---:|---:|---:|");
    let (mut raw, mut gz, mut br) = (0, 0, 0);
    for f in files {
        println!("| {} | {} | {} | {} |", f.name, f.raw, f.gzip, f.brotli);
        raw += f.raw;
        gz += f.gzip;
        br += f.brotli;
    }
    println!("| **total** (Wasm incl. bank and CSS, JS) | {raw} | {gz} | {br} |");
    println!(
        "\nwidget transfer, brotli: {:.1} KB of the {:.0} KB budget ({})",
        br as f64 / 1000.0,
        BUDGET_BROTLI as f64 / 1000.0,
        if br <= BUDGET_BROTLI {
            "within"
        } else {
            "OVER"
        }
    );
}
