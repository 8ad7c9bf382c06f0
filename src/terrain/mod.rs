//! Terrain analysis on elevation grids: one algorithm per file.

mod hillshade;

pub use hillshade::{hillshade, Light};
