//! End-to-end: the real backend (fresh SQLite database, admin token) serving the built
//! widget, driven in headless Chromium through ChromeDriver, as a visitor would use it.
//!
//! Needs the built widget (`cargo xtask widget`, which `cargo xtask test` runs first),
//! Chromium and ChromeDriver (`cargo xtask setup`; `CHROMEDRIVER` and `CHROME_BIN`
//! override `/usr/bin/chromedriver` and `/usr/bin/chromium`) and axe-core from `npm ci`.
//! Each test starts its own server, ChromeDriver and browser; they take turns.
#![forbid(unsafe_code)]

#[allow(dead_code)]
#[path = "../api/helpers.rs"]
mod helpers;

mod harness;

mod a11y;
mod admin_console;
mod carry_over;
mod console;
mod cross_origin;
mod errors;
mod events;
mod full;
mod hostile;
mod inventory;
mod keyboard;
mod results;
mod roadmap;
mod timing;
mod words;
