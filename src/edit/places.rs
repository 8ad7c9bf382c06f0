//! What an edit is checked against and filled in from: the municipality's
//! boundary, its village areas and its terrain, read once per editor.

use crate::geom::{decode_blob, geometry_contains_point, Envelope, Geometry};
use crate::gpkg::{Coverage, GeoPackage, GpkgError};

/// The coverage that holds ground elevation.
const TERRAIN: &str = "terrain";

pub struct Places {
    boundary: Vec<Geometry>,
    villages: Vec<(i64, Geometry)>,
    terrain: Option<Coverage>,
}

impl Places {
    pub fn load(gpkg: &GeoPackage) -> Result<Places, GpkgError> {
        Ok(Places {
            boundary: polygons(gpkg, "boundary", None)?.into_iter().map(|(_, g)| g).collect(),
            villages: polygons(gpkg, "villages", Some("village_no"))?,
            terrain: if gpkg.has_table(TERRAIN)? {
                gpkg.coverage(TERRAIN).ok()
            } else {
                None
            },
        })
    }

    /// Whether (x, y) lies inside the municipality; true when the file has no boundary.
    pub fn inside_boundary(&self, x: f64, y: f64) -> bool {
        self.boundary.is_empty() || self.boundary.iter().any(|g| geometry_contains_point(g, x, y))
    }

    /// The number of the village whose area holds (x, y).
    pub fn village_at(&self, x: f64, y: f64) -> Option<i64> {
        self.villages
            .iter()
            .find(|(_, g)| geometry_contains_point(g, x, y))
            .map(|(n, _)| *n)
    }

    /// Ground elevation at (x, y), in the terrain's CRS (the municipality's).
    pub fn elevation_at(&self, gpkg: &GeoPackage, srs_id: i32, x: f64, y: f64) -> Option<f64> {
        let t = self.terrain.as_ref().filter(|t| t.srs_id == srs_id)?;
        let level = t.levels.last()?;
        let grid = t.read(gpkg, level, &Envelope::from_xy(x, y), 1).ok()?;
        grid.sample(x, y).map(|v| (v * 100.0).round() / 100.0)
    }
}

fn polygons(gpkg: &GeoPackage, layer: &str, number: Option<&str>) -> Result<Vec<(i64, Geometry)>, GpkgError> {
    if !gpkg.has_table(layer)? {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT geom, {} FROM {} WHERE geom IS NOT NULL",
        number.map_or("0".to_string(), crate::gpkg::quote_ident),
        crate::gpkg::quote_ident(layer)
    );
    let conn = gpkg.connection();
    let mut stmt = conn.prepare(&sql).map_err(|source| GpkgError::Sqlite {
        context: format!("reading {layer}"),
        source,
    })?;
    let rows: Vec<(Vec<u8>, Option<i64>)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .and_then(|rows| rows.collect())
        .map_err(|source| GpkgError::Sqlite {
            context: format!("reading {layer}"),
            source,
        })?;
    Ok(rows
        .into_iter()
        .filter_map(|(blob, n)| Some((n.unwrap_or(0), decode_blob(&blob).ok()?.geometry)))
        .collect())
}
