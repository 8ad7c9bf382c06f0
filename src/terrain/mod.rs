//! Terrain analysis on elevation grids: one algorithm per file.

mod contour;
mod error;
mod geotiff;
mod hillshade;
mod import;
mod store;
mod warp;

pub use contour::{contours, Contour, ContourError, MAX_LEVELS};
pub use error::{DemProblem, TerrainError};
pub use geotiff::{DataType, GeoTiff, MAX_CELLS};
pub use hillshade::{hillshade, Light};
pub use import::{import, prepare, ImportReport, Prepared};
pub use store::{write_terrain, Stored, TERRAIN};
