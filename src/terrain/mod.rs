//! Terrain analysis on elevation grids: one algorithm per file.

mod contour;
mod error;
mod flow;
mod geotiff;
mod geotiff_write;
mod hillshade;
mod import;
mod profile;
mod store;
mod surface;
mod warp;

pub use contour::{contours, Contour, ContourError, MAX_LEVELS};
pub use error::{DemProblem, TerrainError};
pub use flow::{uphill_drains, UphillDrain};
pub use geotiff::{DataType, GeoTiff, MAX_CELLS};
pub use geotiff_write::{write_gray8, Georef};
pub use hillshade::{hillshade, Light};
pub use import::{import, prepare, ImportReport, Prepared};
pub use profile::{profile, Profile, ProfilePoint};
pub use store::{write_terrain, Stored, TERRAIN};
pub use surface::{feature_line, Surface};
