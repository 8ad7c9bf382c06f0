use thiserror::Error;

use crate::crs::CrsError;
use crate::gpkg::GpkgError;

/// Why a tile could not be made.
#[derive(Debug, Error)]
pub enum TileError {
    /// The GeoPackage could not be read.
    #[error(transparent)]
    Gpkg(#[from] GpkgError),
    /// A layer's CRS cannot be transformed to Web Mercator.
    #[error(transparent)]
    Crs(#[from] CrsError),
    /// A layer asked for is not a feature layer of the file.
    #[error("'{0}' is not a feature layer of this file")]
    NotAFeatureLayer(String),
    /// A tile address outside the grid (z above 24, x or y past the edge).
    #[error("no tile {z}/{x}/{y}")]
    BadTile { z: u32, x: u32, y: u32 },
    /// A tile package could not be written.
    #[error(transparent)]
    Export(#[from] super::export::ExportError),
    /// A zoom range or box the caller gave makes no sense.
    #[error("{0}")]
    BadRequest(String),
    /// The tile service has stopped (the app is closing).
    #[error("the tile service has stopped")]
    Stopped,
}
