//! A summary of a GeoPackage's layers: what `tongtin info` prints and the app lists.

use serde::Serialize;

use crate::gpkg::{GeoPackage, GpkgError, LayerKind};
use crate::model::{schema_version, MigrateError};

#[derive(Debug, Serialize)]
pub struct FileInfo {
    pub file: String,
    pub gpkg_version: Option<String>,
    /// The Tongtin data model version, `None` for other GeoPackages.
    pub schema_version: Option<u32>,
    pub layers: Vec<LayerInfo>,
}

#[derive(Debug, Serialize)]
pub struct LayerInfo {
    pub name: String,
    /// features, attributes, tiles, coverage (or the data_type of an unknown kind).
    pub kind: String,
    pub identifier: Option<String>,
    pub geometry_type: Option<String>,
    /// As in gpkg_geometry_columns: 0 prohibited, 1 mandatory, 2 optional.
    pub z: u8,
    pub m: u8,
    /// `EPSG:32648`.
    pub srs: Option<String>,
    pub srs_id: Option<i32>,
    pub count: u64,
    /// What `count` counts: features, rows or tiles.
    pub count_of: &'static str,
    /// min x, min y, max x, max y in the layer's SRS.
    pub extent: Option<[f64; 4]>,
    /// Lowest and highest zoom level of tile and coverage layers.
    pub zoom_levels: Option<[i64; 2]>,
    pub spatial_index: bool,
}

impl LayerInfo {
    /// `XY`, `XYZ`, `XYM` or `XYZM` (optional ordinates count as present).
    pub fn dimensions(&self) -> &'static str {
        match (self.z > 0, self.m > 0) {
            (false, false) => "XY",
            (true, false) => "XYZ",
            (false, true) => "XYM",
            (true, true) => "XYZM",
        }
    }
}

pub fn file_info(gpkg: &GeoPackage) -> Result<FileInfo, GpkgError> {
    let schema_version = match schema_version(gpkg) {
        Ok(v) => v,
        Err(MigrateError::Gpkg(e)) => return Err(e),
        Err(_) => None,
    };
    let mut layers = Vec::new();
    for layer in gpkg.layers()? {
        let exists = gpkg.has_table(&layer.name)?;
        let count = if exists { gpkg.count(&layer)? } else { 0 };
        let extent = match layer.extent {
            Some(e) => Some(e),
            None if exists => gpkg.computed_extent(&layer)?,
            None => None,
        };
        let zoom_levels = match layer.kind {
            LayerKind::Tiles | LayerKind::Coverage => gpkg.tile_levels(&layer)?.map(|z| [z.min_zoom, z.max_zoom]),
            _ => None,
        };
        layers.push(LayerInfo {
            kind: layer.kind.name().to_string(),
            identifier: layer.identifier.clone(),
            geometry_type: layer.geometry_type_name.clone(),
            z: layer.z,
            m: layer.m,
            srs: layer.srs.as_ref().map(|s| s.authority_code()),
            srs_id: layer.srs.as_ref().map(|s| s.srs_id),
            count,
            count_of: match layer.kind {
                LayerKind::Features => "features",
                LayerKind::Tiles | LayerKind::Coverage => "tiles",
                _ => "rows",
            },
            extent: extent.map(|e| [e.min_x, e.min_y, e.max_x, e.max_y]),
            zoom_levels,
            spatial_index: exists && gpkg.has_spatial_index(&layer)?,
            name: layer.name,
        });
    }
    Ok(FileInfo {
        file: gpkg.path().display().to_string(),
        gpkg_version: gpkg.version().map(|v| v.to_string()),
        schema_version,
        layers,
    })
}
