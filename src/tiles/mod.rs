//! Map tiles made on demand from the GeoPackage: Mapbox Vector Tiles of the
//! feature layers. The app serves them through its custom URI scheme and
//! `tongtin tiles` writes exactly the same bytes to MBTiles or a folder.

mod cache;
pub mod clip;
mod error;
pub mod export;
mod grid;
pub mod mvt;
mod pyramid;
mod service;
pub mod simplify;
pub mod thin;
mod vector;

pub use cache::TileCache;
pub use error::TileError;
pub use grid::{tile_size, TileId, HALF_WORLD};
pub use pyramid::{make_tiles, plan};
pub use service::TileService;
pub use vector::{VectorTiler, BUFFER, FULL_DETAIL_ZOOM, THIN_ABOVE};
