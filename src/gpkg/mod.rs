//! The OGC GeoPackage engine: open, list, read and write, nothing Tongtin-specific.
//!
//! Reading connections are opened read-only so that inspecting a file can
//! never change it. Writing connections use WAL, `synchronous=FULL` and one
//! transaction per [`Batch`], and register the `ST_*` SQL functions that the
//! R-tree triggers of GeoPackage files call.

mod conformance;
mod coverage;
mod error;
mod features;
mod file;
mod functions;
mod layers;
mod srs;
mod tables;
mod tiles;
mod write;

pub use coverage::{Coverage, Grid};
pub use error::{GpkgError, Result};
pub use features::{Column, Feature, FeatureQuery, FeatureSet, Value};
pub use file::{table_exists, GeoPackage, GpkgVersion};
pub use layers::{Layer, LayerKind, SrsRef, TileLevels};
pub use srs::{known_srs, KnownSrs};
pub use tables::{ColumnDef, GeometryColumnDef, SqlType, TableDef};
pub use tiles::{CoverageDef, TileMatrix, TileMatrixSet};
pub use write::{Batch, Inserter};

pub(crate) use error::SqlContext;

/// Quotes an SQL identifier (table or column name), Thai names included.
pub fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Quotes an SQL string literal.
pub fn quote_literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// The current time as GeoPackage writes `last_change`.
pub fn timestamp_now() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}
