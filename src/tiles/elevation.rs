//! The file's elevation coverage as the terrain tilers open it.

use std::path::Path;

use super::TileError;
use crate::gpkg::{Coverage, GeoPackage, LayerKind};

/// The first elevation coverage of the file at `path` with the EPSG code of
/// its CRS; `None` when the file has none.
pub fn open_elevation(path: &Path) -> Result<Option<(GeoPackage, Coverage, i32)>, TileError> {
    let gpkg = GeoPackage::open(path)?;
    let Some(layer) = gpkg.layers()?.into_iter().find(|l| l.kind == LayerKind::Coverage) else {
        return Ok(None);
    };
    let coverage = gpkg.coverage(&layer.name)?;
    let epsg = layer
        .srs
        .as_ref()
        .and_then(|s| s.code)
        .map_or(coverage.srs_id, |c| c as i32);
    Ok(Some((gpkg, coverage, epsg)))
}
