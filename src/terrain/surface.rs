//! The terrain coverage as a surface to sample: elevations at points, read
//! from the finest level in windows around what is asked.

use super::{TerrainError, TERRAIN};
use crate::geom::Envelope;
use crate::gpkg::{Coverage, GeoPackage, Grid};

/// The file's terrain, ready to be sampled in its CRS.
/// A drain as the flow check reads it.
pub(super) struct DrainRow {
    pub fid: i64,
    pub uid: String,
    pub road_code: Option<String>,
    /// The GeoPackage geometry blob.
    pub geometry: Vec<u8>,
}

pub struct Surface<'g> {
    gpkg: &'g GeoPackage,
    coverage: Coverage,
}

impl<'g> Surface<'g> {
    /// The file's `terrain` coverage; [`TerrainError::NoTerrain`] without one.
    pub fn open(gpkg: &'g GeoPackage) -> Result<Self, TerrainError> {
        if !gpkg.has_table(TERRAIN)? {
            return Err(TerrainError::NoTerrain {
                path: gpkg.path().to_path_buf(),
            });
        }
        Ok(Surface {
            gpkg,
            coverage: gpkg.coverage(TERRAIN)?,
        })
    }

    /// The EPSG code of the terrain's CRS.
    pub fn srs_id(&self) -> i32 {
        self.coverage.srs_id
    }

    /// The size of the finest cells, in CRS units.
    pub fn cell_size(&self) -> f64 {
        self.coverage.levels.last().map_or(1.0, |l| l.pixel_x_size)
    }

    /// The area the terrain has data for (`gpkg_contents`), else its tile matrix set.
    pub fn extent(&self) -> Result<Envelope, TerrainError> {
        let recorded: Option<(f64, f64, f64, f64)> = self
            .gpkg
            .connection()
            .query_row(
                "SELECT min_x, min_y, max_x, max_y FROM gpkg_contents WHERE table_name = ?1",
                [TERRAIN],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .ok();
        let s = &self.coverage.set;
        Ok(match recorded {
            Some((a, b, c, d)) => Envelope::new(a, b, c, d),
            None => Envelope::new(s.min_x, s.min_y, s.max_x, s.max_y),
        })
    }

    /// The finest cells covering `area` (plus one cell around, for sampling near its edge).
    pub fn window(&self, area: &Envelope) -> Result<Grid, TerrainError> {
        self.read(area, 1)
    }

    /// Exactly the finest cells covering `area`: the raster GDAL reads for the same extent.
    pub fn cells(&self, area: &Envelope) -> Result<Grid, TerrainError> {
        self.read(area, 0)
    }

    fn read(&self, area: &Envelope, margin: usize) -> Result<Grid, TerrainError> {
        let finest = self.coverage.levels.last().ok_or_else(|| TerrainError::NoTerrain {
            path: self.gpkg.path().to_path_buf(),
        })?;
        Ok(self.coverage.read(self.gpkg, finest, area, margin)?)
    }

    /// Every drain with a geometry, for the flow check.
    pub(super) fn drains(&self) -> Result<Vec<DrainRow>, TerrainError> {
        if !self.gpkg.has_table("drains")? {
            return Ok(Vec::new());
        }
        let sql_err = |source| crate::gpkg::GpkgError::Sqlite {
            context: "reading the drains".into(),
            source,
        };
        let mut stmt = self
            .gpkg
            .connection()
            .prepare(
                "SELECT fid, uid, road_code, geom FROM drains WHERE geom IS NOT NULL AND uid IS NOT NULL ORDER BY fid",
            )
            .map_err(sql_err)?;
        let rows = stmt
            .query_map([], |r| {
                Ok(DrainRow {
                    fid: r.get(0)?,
                    uid: r.get(1)?,
                    road_code: r.get(2)?,
                    geometry: r.get(3)?,
                })
            })
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(sql_err)?;
        Ok(rows)
    }

    /// The ground elevation at (x, y), interpolated between cell centres;
    /// `None` outside the terrain or next to a cell without data.
    pub fn elevation_at(&self, x: f64, y: f64) -> Result<Option<f64>, TerrainError> {
        Ok(self.window(&Envelope::from_xy(x, y))?.sample(x, y))
    }
}

/// The line of a feature (`layer`, `uid`) in CRS `srs`, for a profile;
/// `None` when it has no line geometry.
pub fn feature_line(
    gpkg: &GeoPackage,
    layer: &str,
    uid: &str,
    srs: i32,
) -> Result<Option<Vec<(f64, f64)>>, TerrainError> {
    use rusqlite::OptionalExtension;
    let sql = format!("SELECT geom FROM {} WHERE uid = ?1", crate::gpkg::quote_ident(layer));
    let blob: Option<Vec<u8>> = gpkg
        .connection()
        .query_row(&sql, [uid], |r| r.get(0))
        .optional()
        .map_err(|source| crate::gpkg::GpkgError::Sqlite {
            context: format!("reading {layer} {uid}"),
            source,
        })?;
    let Some(stored) = blob.and_then(|b| crate::geom::decode_blob(&b).ok()) else {
        return Ok(None);
    };
    let mut g = stored.geometry;
    if stored.srs_id != srs {
        crate::crs::Transformer::new(stored.srs_id, srs)?.transform(&mut g)?;
    }
    Ok(match g.shape {
        crate::geom::Shape::LineString(cs) => Some(cs.iter().map(|c| (c.x, c.y)).collect()),
        crate::geom::Shape::MultiLineString(ls) => Some(ls.iter().flatten().map(|c| (c.x, c.y)).collect()),
        _ => None,
    })
}
