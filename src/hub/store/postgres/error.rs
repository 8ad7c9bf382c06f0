//! Failures of the PostgreSQL store.

#[derive(Debug, thiserror::Error)]
pub enum PostgresStoreError {
    /// The URL does not parse as a PostgreSQL connection string.
    #[error("malformed PostgreSQL URL: {0}")]
    Url(String),
    /// The server cannot be reached or refuses the connection.
    #[error("cannot connect to PostgreSQL at {target}: {}", message(.source))]
    Connect { target: String, source: postgres::Error },
    /// PostGIS is missing (not installed, or no right to create the extension).
    #[error("PostGIS is not available in this database ({0}); install postgresql-15-postgis-3 and run CREATE EXTENSION postgis as a superuser")]
    NoPostgis(String),
    /// A statement failed.
    #[error("hub store (PostgreSQL): {}", message(.0))]
    Postgres(#[from] postgres::Error),
    /// Stored JSON that does not read back.
    #[error("hub store (PostgreSQL): unreadable stored JSON: {0}")]
    Json(#[from] serde_json::Error),
}

/// The server's own message where there is one (postgres::Error's display
/// is only "db error"), else the error and its causes.
pub fn message(e: &postgres::Error) -> String {
    if let Some(db) = e.as_db_error() {
        return format!("{}: {}", db.severity(), db.message());
    }
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        let s_text = s.to_string();
        if !text.contains(&s_text) {
            text.push_str(": ");
            text.push_str(&s_text);
        }
        source = s.source();
    }
    text
}
