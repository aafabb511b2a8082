//! Where a workspace's store lives.

use std::path::PathBuf;

use mandate_core::{Error, ErrorCode, Result};

/// A resolved data directory and how it was chosen (shown in the UI and by the CLI,
/// so a person knows which store they are looking at).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataDir {
    pub path: PathBuf,
    pub source: &'static str,
}

/// `--data-dir` wins, then `MANDATE_DATA_DIR`, then the platform's data directory
/// (`$XDG_DATA_HOME/mandate`, usually `~/.local/share/mandate`). Tests and
/// development always pass one of the first two, so they never touch a real store.
pub fn resolve_data_dir(flag: Option<PathBuf>) -> Result<DataDir> {
    if let Some(path) = flag {
        return Ok(DataDir {
            path,
            source: "--data-dir",
        });
    }
    if let Some(path) = std::env::var_os("MANDATE_DATA_DIR").filter(|v| !v.is_empty()) {
        return Ok(DataDir {
            path: path.into(),
            source: "MANDATE_DATA_DIR",
        });
    }
    directories::ProjectDirs::from("", "", "mandate")
        .map(|d| DataDir { path: d.data_dir().to_path_buf(), source: "default" })
        .ok_or_else(|| {
            Error::new(
                ErrorCode::Io,
                "Could not find your home folder to keep the store in. Pass --data-dir DIR or set MANDATE_DATA_DIR.",
            )
        })
}
