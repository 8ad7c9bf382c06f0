use std::path::PathBuf;

use thiserror::Error;

use crate::geom::GeometryError;

/// Everything that can go wrong opening, reading or writing a GeoPackage.
///
/// Each variant names the file (or table) so that a message alone tells the
/// user what failed; none of them is raised after a partial write, because
/// every write happens in one SQLite transaction.
#[derive(Debug, Error)]
pub enum GpkgError {
    /// The path does not exist.
    #[error("{path}: file not found")]
    NotFound { path: PathBuf },
    /// The path exists but is a directory or another non-file.
    #[error("{path}: not a regular file")]
    NotAFile { path: PathBuf },
    /// The path could not be read at the operating-system level.
    #[error("{path}: cannot read: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    /// The file does not begin with the SQLite header.
    #[error("{path}: not a GeoPackage (not an SQLite database: {detail})")]
    NotSqlite { path: PathBuf, detail: String },
    /// An SQLite database without the GeoPackage tables and application id.
    #[error("{path}: not a GeoPackage (SQLite database without {missing})")]
    NotGeoPackage { path: PathBuf, missing: String },
    /// The file is shorter than its own header says.
    #[error("{path}: file is truncated ({actual} bytes, the header says {expected})")]
    Truncated { path: PathBuf, actual: u64, expected: u64 },
    /// The file exists but SQLite refuses or fails on it.
    #[error("{path}: damaged GeoPackage: {detail}")]
    Corrupt { path: PathBuf, detail: String },
    /// `create` was asked to overwrite an existing file.
    #[error("{path}: already exists")]
    AlreadyExists { path: PathBuf },
    /// A write through a handle opened read-only.
    #[error("{path}: opened read-only, cannot write")]
    ReadOnly { path: PathBuf },
    /// A table named by the caller is not a layer of this file.
    #[error("no layer named '{0}'")]
    NoSuchLayer(String),
    /// A layer that already exists was to be created again.
    #[error("layer '{0}' already exists")]
    LayerExists(String),
    /// A column named by the caller is not in the table.
    #[error("layer '{table}' has no column '{column}'")]
    NoSuchColumn { table: String, column: String },
    /// An SRS id that `gpkg_spatial_ref_sys` does not define and Tongtin cannot add.
    #[error("unknown spatial reference system {0}")]
    UnknownSrs(i32),
    /// A geometry that does not fit its column (type, dimension or SRS).
    #[error("layer '{table}': {detail}")]
    GeometryMismatch { table: String, detail: String },
    /// A stored geometry blob that cannot be decoded.
    #[error("layer '{table}', feature {fid}: {source}")]
    BadGeometry {
        table: String,
        fid: i64,
        source: GeometryError,
    },
    /// Any other SQLite failure, with the statement's purpose.
    #[error("{context}: {source}")]
    Sqlite { context: String, source: rusqlite::Error },
}

pub type Result<T, E = GpkgError> = std::result::Result<T, E>;

/// Attaches what was being done to an SQLite error.
pub(crate) trait SqlContext<T> {
    fn context(self, what: impl Into<String>) -> Result<T>;
}

impl<T> SqlContext<T> for rusqlite::Result<T> {
    fn context(self, what: impl Into<String>) -> Result<T> {
        self.map_err(|source| GpkgError::Sqlite {
            context: what.into(),
            source,
        })
    }
}
