use rusqlite::Row;
use serde::Serialize;

use super::file::table_exists;
use super::{quote_ident, GeoPackage, GpkgError, Result, SqlContext};
use crate::geom::{Envelope, GeometryType};

/// What a registered table holds, from `gpkg_contents.data_type`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LayerKind {
    Features,
    Attributes,
    Tiles,
    Coverage,
    /// Any other data type (extensions this reader does not know), kept by name.
    Other(String),
}

impl LayerKind {
    fn from_data_type(data_type: &str) -> Self {
        match data_type {
            "features" => LayerKind::Features,
            // GeoPackage 1.0 files from old GDAL versions call attribute tables "aspatial".
            "attributes" | "aspatial" => LayerKind::Attributes,
            "tiles" => LayerKind::Tiles,
            "2d-gridded-coverage" => LayerKind::Coverage,
            other => LayerKind::Other(other.to_string()),
        }
    }

    pub fn name(&self) -> &str {
        match self {
            LayerKind::Features => "features",
            LayerKind::Attributes => "attributes",
            LayerKind::Tiles => "tiles",
            LayerKind::Coverage => "coverage",
            LayerKind::Other(s) => s,
        }
    }
}

/// A spatial reference system as the file names it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SrsRef {
    pub srs_id: i32,
    pub organization: Option<String>,
    pub code: Option<i64>,
    pub name: Option<String>,
}

impl SrsRef {
    /// `EPSG:32648`, or the bare srs_id when the file does not say more.
    pub fn authority_code(&self) -> String {
        match (&self.organization, self.code) {
            (Some(org), Some(code)) => format!("{}:{}", org.to_uppercase(), code),
            _ => format!("srs_id {}", self.srs_id),
        }
    }
}

/// The zoom levels of a tile pyramid or coverage.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TileLevels {
    pub min_zoom: i64,
    pub max_zoom: i64,
}

/// One entry of `gpkg_contents` with what Tongtin needs to show and read it.
#[derive(Clone, Debug, PartialEq)]
pub struct Layer {
    pub name: String,
    pub kind: LayerKind,
    pub identifier: Option<String>,
    pub description: Option<String>,
    pub last_change: Option<String>,
    /// The extent recorded in `gpkg_contents` (may be absent or stale in files from other tools).
    pub extent: Option<Envelope>,
    pub srs: Option<SrsRef>,
    pub geometry_column: Option<String>,
    pub geometry_type: Option<GeometryType>,
    /// The declared type name, kept verbatim when it is not one Tongtin knows.
    pub geometry_type_name: Option<String>,
    /// 0 prohibited, 1 mandatory, 2 optional (gpkg_geometry_columns.z / .m).
    pub z: u8,
    pub m: u8,
}

impl Layer {
    fn from_row(row: &Row<'_>) -> rusqlite::Result<Layer> {
        let extent = match (row.get(5)?, row.get(6)?, row.get(7)?, row.get(8)?) {
            (Some(a), Some(b), Some(c), Some(d)) => Some(Envelope::new(a, b, c, d)),
            _ => None,
        };
        let srs = row
            .get::<_, Option<i32>>(13)?
            .map(|srs_id| -> rusqlite::Result<SrsRef> {
                Ok(SrsRef {
                    srs_id,
                    organization: row.get(14)?,
                    code: row.get(15)?,
                    name: row.get(16)?,
                })
            });
        let geometry_type_name: Option<String> = row.get(10)?;
        Ok(Layer {
            name: row.get(0)?,
            kind: LayerKind::from_data_type(&row.get::<_, String>(1)?),
            identifier: row.get(2)?,
            description: row.get(3)?,
            last_change: row.get(4)?,
            extent,
            srs: srs.transpose()?,
            geometry_column: row.get(9)?,
            geometry_type: geometry_type_name.as_deref().and_then(GeometryType::from_name),
            geometry_type_name,
            z: row.get::<_, Option<u8>>(11)?.unwrap_or(0),
            m: row.get::<_, Option<u8>>(12)?.unwrap_or(0),
        })
    }

    /// The name of the layer's R-tree index table, following the GeoPackage convention.
    pub fn rtree_name(&self) -> Option<String> {
        self.geometry_column
            .as_ref()
            .map(|c| format!("rtree_{}_{}", self.name, c))
    }
}

impl GeoPackage {
    /// Every layer registered in `gpkg_contents`, in name order. Cheap: no table is scanned.
    pub fn layers(&self) -> Result<Vec<Layer>> {
        let has_geometry_columns = table_exists(&self.conn, "gpkg_geometry_columns").context("reading the schema")?;
        let sql = if has_geometry_columns {
            include_str!("sql/layers.sql")
        } else {
            include_str!("sql/layers_no_geometry.sql")
        };
        let corrupt = |e: rusqlite::Error| GpkgError::Corrupt {
            path: self.path().to_path_buf(),
            detail: e.to_string(),
        };
        let mut stmt = self.conn.prepare_cached(sql).map_err(corrupt)?;
        let rows = stmt.query_map([], Layer::from_row).map_err(corrupt)?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(corrupt)
    }

    pub fn layer(&self, name: &str) -> Result<Layer> {
        self.layers()?
            .into_iter()
            .find(|l| l.name == name)
            .ok_or_else(|| GpkgError::NoSuchLayer(name.to_string()))
    }

    /// Rows of a feature or attribute table, or tiles of a tile/coverage table.
    ///
    /// Uses GDAL's `gpkg_ogr_contents` cache when its triggers keep it exact,
    /// so that a million-row layer is counted without a scan.
    pub fn count(&self, layer: &Layer) -> Result<u64> {
        if let Some(n) = self.cached_count(&layer.name)? {
            return Ok(n);
        }
        let sql = format!("SELECT COUNT(*) FROM {}", quote_ident(&layer.name));
        self.conn
            .query_row(&sql, [], |r| r.get::<_, i64>(0))
            .map(|n| n.max(0) as u64)
            .map_err(|e| GpkgError::Corrupt {
                path: self.path().to_path_buf(),
                detail: format!("layer '{}': {e}", layer.name),
            })
    }

    fn cached_count(&self, table: &str) -> Result<Option<u64>> {
        if !self.has_table("gpkg_ogr_contents")? {
            return Ok(None);
        }
        let sql = "SELECT o.feature_count FROM gpkg_ogr_contents o
                   WHERE lower(o.table_name) = lower(?1)
                     AND (SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?1
                          AND name IN ('trigger_insert_feature_count_' || ?1, 'trigger_delete_feature_count_' || ?1)) = 2";
        match self.conn.query_row(sql, [table], |r| r.get::<_, Option<i64>>(0)) {
            Ok(n) => Ok(n.map(|n| n.max(0) as u64)),
            Err(rusqlite::Error::QueryReturnedNoRows) => Ok(None),
            Err(e) => Err(GpkgError::Sqlite {
                context: "reading gpkg_ogr_contents".into(),
                source: e,
            }),
        }
    }

    /// The zoom levels of a tiles or coverage layer.
    pub fn tile_levels(&self, layer: &Layer) -> Result<Option<TileLevels>> {
        if !self.has_table("gpkg_tile_matrix")? {
            return Ok(None);
        }
        self.conn
            .query_row(
                "SELECT MIN(zoom_level), MAX(zoom_level) FROM gpkg_tile_matrix WHERE table_name = ?1",
                [&layer.name],
                |r| Ok(r.get::<_, Option<i64>>(0)?.zip(r.get::<_, Option<i64>>(1)?)),
            )
            .map(|z| z.map(|(min_zoom, max_zoom)| TileLevels { min_zoom, max_zoom }))
            .context("reading gpkg_tile_matrix")
    }

    /// Whether the layer has the R-tree index the extension registers.
    pub fn has_spatial_index(&self, layer: &Layer) -> Result<bool> {
        match layer.rtree_name() {
            Some(rtree) => self.has_table(&rtree),
            None => Ok(false),
        }
    }

    /// The extent computed from the data, for layers whose `gpkg_contents` has none.
    pub fn computed_extent(&self, layer: &Layer) -> Result<Option<Envelope>> {
        let Some(column) = &layer.geometry_column else {
            return Ok(None);
        };
        let sql = if self.has_spatial_index(layer)? {
            format!(
                "SELECT MIN(minx), MIN(miny), MAX(maxx), MAX(maxy) FROM {}",
                quote_ident(&layer.rtree_name().unwrap_or_default())
            )
        } else {
            let c = quote_ident(column);
            format!(
                "SELECT MIN(ST_MinX({c})), MIN(ST_MinY({c})), MAX(ST_MaxX({c})), MAX(ST_MaxY({c})) FROM {}",
                quote_ident(&layer.name)
            )
        };
        self.conn
            .query_row(&sql, [], |r| {
                Ok(match (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?) {
                    (Some(a), Some(b), Some(c), Some(d)) => Some(Envelope::new(a, b, c, d)),
                    _ => None,
                })
            })
            .context(format!("computing the extent of '{}'", layer.name))
    }
}
