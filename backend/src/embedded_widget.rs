//! The built widget inside the binary (the `embedded-widget` feature): written once to a
//! folder named after its content, which the server then serves like `--widget-dir`.

use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

include!(concat!(env!("OUT_DIR"), "/embedded_widget.rs"));

/// Whether this binary carries the widget.
pub fn present() -> bool {
    !FILES.is_empty()
}

/// Writes the embedded files under `parent` (once per content) and returns the folder.
pub fn extract(parent: &Path) -> Result<PathBuf, String> {
    let mut hash = Sha256::new();
    for (name, bytes) in FILES {
        hash.update(name.as_bytes());
        hash.update(bytes);
    }
    let digest = hash.finalize();
    let tag: String = digest[..6].iter().map(|b| format!("{b:02x}")).collect();
    let dir = parent.join(format!("aims-widget-{tag}"));
    let fail =
        |e: std::io::Error| format!("cannot write the embedded widget to {}: {e}", dir.display());
    std::fs::create_dir_all(&dir).map_err(fail)?;
    for (name, bytes) in FILES {
        let path = dir.join(name);
        if std::fs::metadata(&path).map(|m| m.len()).ok() != Some(bytes.len() as u64) {
            // Written beside, then renamed: a second instance starting at the same time
            // never serves half a file.
            let partial = dir.join(format!(".{name}.{}", std::process::id()));
            std::fs::write(&partial, bytes).map_err(fail)?;
            std::fs::rename(&partial, &path).map_err(fail)?;
        }
    }
    Ok(dir)
}
