//! The working set: the features around the view, handed to the map's
//! editing interactions (snapping, moving, reshaping) in Web Mercator. The
//! rest of the file stays in tiles, so editing a million-pole file is as
//! quick as editing the demo.

use rusqlite::OptionalExtension;

use super::EditError;
use crate::crs::Transformer;
use crate::geom::{decode_blob, Envelope, Geometry};
use crate::gpkg::{quote_ident, GeoPackage, GpkgError};

/// One feature of the working set, its geometry in EPSG:3857.
#[derive(Clone, Debug, PartialEq)]
pub struct WorkingFeature {
    pub layer: String,
    pub fid: i64,
    pub uid: String,
    pub geometry: Geometry,
}

/// The features of `layers` meeting `view` (EPSG:3857), at most `limit` per layer.
pub fn working_set(
    gpkg: &GeoPackage,
    layers: &[&str],
    view: &Envelope,
    limit: usize,
) -> Result<Vec<WorkingFeature>, EditError> {
    let conn = gpkg.connection();
    let sql_err = |source| {
        EditError::Gpkg(GpkgError::Sqlite {
            context: "reading the features around the view".into(),
            source,
        })
    };
    let mut out = Vec::new();
    for &layer in layers {
        let Some((column, srs)) = super::rows::geometry_column(conn, layer).map_err(sql_err)? else {
            continue;
        };
        let rtree = format!("rtree_{layer}_{column}");
        let indexed: Option<i64> = conn
            .query_row("SELECT 1 FROM sqlite_master WHERE name = ?1", [&rtree], |r| r.get(0))
            .optional()
            .map_err(sql_err)?;
        if indexed.is_none() {
            continue;
        }
        let area = Transformer::new(3857, srs)
            .and_then(|t| t.transform_envelope(view))
            .map_err(|e| {
                EditError::Gpkg(GpkgError::GeometryMismatch {
                    table: layer.to_string(),
                    detail: e.to_string(),
                })
            })?;
        let to_web = Transformer::new(srs, 3857).map_err(|e| {
            EditError::Gpkg(GpkgError::GeometryMismatch {
                table: layer.to_string(),
                detail: e.to_string(),
            })
        })?;
        let mut stmt = conn
            .prepare_cached(&format!(
                "SELECT t.fid, t.uid, t.{c} FROM {t} t JOIN {r} r ON r.id = t.fid
                 WHERE r.maxx >= ?1 AND r.minx <= ?3 AND r.maxy >= ?2 AND r.miny <= ?4 LIMIT ?5",
                c = quote_ident(&column),
                t = quote_ident(layer),
                r = quote_ident(&rtree)
            ))
            .map_err(sql_err)?;
        let rows: Vec<(i64, Option<String>, Option<Vec<u8>>)> = stmt
            .query_map(
                rusqlite::params![area.min_x, area.min_y, area.max_x, area.max_y, limit as i64],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .and_then(|rows| rows.collect())
            .map_err(sql_err)?;
        for (fid, uid, blob) in rows {
            let (Some(uid), Some(blob)) = (uid, blob) else { continue };
            let Ok(stored) = decode_blob(&blob) else { continue };
            let mut geometry = stored.geometry;
            if geometry.is_empty() || to_web.transform(&mut geometry).is_err() {
                continue;
            }
            out.push(WorkingFeature {
                layer: layer.to_string(),
                fid,
                uid,
                geometry,
            });
        }
    }
    Ok(out)
}

impl super::Editor {
    /// The EPSG code of a feature layer's geometry column.
    pub fn layer_srs(&self, layer: &str) -> Result<Option<i32>, EditError> {
        Ok(super::rows::geometry_column(self.gpkg().connection(), layer)?.map(|(_, srs)| srs))
    }

    /// A feature's uid and values (geometry column included) by fid.
    pub fn feature_by_fid(&self, layer: &str, fid: i64) -> Result<Option<(String, crate::journal::Row)>, EditError> {
        let conn = self.gpkg().connection();
        let uid: Option<String> = conn
            .query_row(
                &format!("SELECT uid FROM {} WHERE fid = ?1", quote_ident(layer)),
                [fid],
                |r| r.get(0),
            )
            .optional()?;
        let Some(uid) = uid else { return Ok(None) };
        Ok(super::rows::read(conn, layer, &uid)?.map(|(_, row)| (uid, row)))
    }
}
