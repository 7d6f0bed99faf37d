//! The API over real HTTP: each test starts the real server on port 0 with a fresh
//! database, once on SQLite and once on PostgreSQL (a fresh database on the local
//! server at 127.0.0.1:5432, or `AIMS_TEST_POSTGRES_URL`).
#![forbid(unsafe_code)]

mod admin;
mod assessments;
mod clients;
mod connections;
mod console;
mod console_bench;
mod erasure;
mod funnel;
mod helpers;
mod hostile;
mod mail;
mod meta;
mod quotas;
mod settings;
mod webhook;
