//! The embeddable AIMS Readiness widget. For now it re-exports the engine so that the
//! engine's Wasm build is exercised from the crate the widget will grow in.

pub use aims_engine as engine;
