//! Map tiles made on demand from the GeoPackage: Mapbox Vector Tiles of the
//! feature layers, shaded relief and contour lines from the elevation
//! coverage. The app serves them through its custom URI scheme and
//! `tongtin tiles` writes exactly the same bytes to MBTiles or a folder.

mod cache;
pub mod clip;
pub mod contour;
mod elevation;
mod error;
pub mod export;
mod grid;
mod hillshade;
pub mod mvt;
mod pyramid;
mod raster;
mod resample;
mod service;
pub mod simplify;
mod source;
pub mod thin;
pub mod tint;
mod vector;

pub use cache::TileCache;
pub use contour::ContourTiler;
pub use error::TileError;
pub use grid::{tile_size, TileId, HALF_WORLD};
pub use hillshade::HillshadeTiler;
pub use pyramid::{make_tiles, plan};
pub use raster::RasterTiler;
pub use service::{Relief, TileKind, TileService};
pub use source::TileSource;
pub use vector::{VectorTiler, BUFFER, DENSE_POINTS, FULL_DETAIL_ZOOM, THIN_ABOVE, THIN_CELL_PIXELS};
