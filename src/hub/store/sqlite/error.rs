//! Failures of the SQLite store.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum SqliteStoreError {
    /// The file cannot be opened or is not a SQLite database.
    #[error("cannot open the hub store {path}: {source}")]
    Open { path: PathBuf, source: rusqlite::Error },
    /// A statement failed.
    #[error("hub store (SQLite): {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// Stored JSON (a feature state, a log entry, a conflict) that does not read back.
    #[error("hub store (SQLite): unreadable stored JSON: {0}")]
    Json(#[from] serde_json::Error),
}
