//! Tile pyramids and 2D gridded coverages (elevation) written as GDAL reads them.

use rusqlite::OptionalExtension;

use super::{quote_ident, quote_literal, Batch, GpkgError, Result, SqlContext};

/// The raw PNG value that marks a cell without data.
const PNG_NODATA: u16 = 65535;

/// The bounds and CRS of a tile pyramid (`gpkg_tile_matrix_set`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TileMatrixSet {
    pub srs_id: i32,
    pub min_x: f64,
    pub min_y: f64,
    pub max_x: f64,
    pub max_y: f64,
}

/// One zoom level of a pyramid (`gpkg_tile_matrix`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TileMatrix {
    pub zoom_level: i64,
    pub matrix_width: i64,
    pub matrix_height: i64,
    pub tile_width: i64,
    pub tile_height: i64,
    pub pixel_x_size: f64,
    pub pixel_y_size: f64,
}

/// An elevation coverage stored as 16-bit PNG tiles with per-tile scale and offset.
#[derive(Clone, Debug, PartialEq)]
pub struct CoverageDef {
    pub name: String,
    pub identifier: String,
    pub description: String,
    pub set: TileMatrixSet,
    /// The extent of the cells that hold data (recorded in `gpkg_contents`).
    pub data_extent: (f64, f64, f64, f64),
    pub uom: String,
}

impl super::GeoPackage {
    /// The bounds and zoom levels of a tile or coverage table, coarsest level first.
    pub fn tile_matrices(&self, table: &str) -> Result<(TileMatrixSet, Vec<TileMatrix>)> {
        let set = self
            .conn
            .query_row(
                "SELECT srs_id, min_x, min_y, max_x, max_y FROM gpkg_tile_matrix_set WHERE table_name = ?1",
                [table],
                |r| {
                    Ok(TileMatrixSet {
                        srs_id: r.get(0)?,
                        min_x: r.get(1)?,
                        min_y: r.get(2)?,
                        max_x: r.get(3)?,
                        max_y: r.get(4)?,
                    })
                },
            )
            .map_err(|_| GpkgError::NoSuchLayer(table.to_string()))?;
        let mut stmt = self
            .conn
            .prepare("SELECT zoom_level, matrix_width, matrix_height, tile_width, tile_height, pixel_x_size, pixel_y_size FROM gpkg_tile_matrix WHERE table_name = ?1 ORDER BY zoom_level")
            .context("reading gpkg_tile_matrix")?;
        let levels = stmt
            .query_map([table], |r| {
                Ok(TileMatrix {
                    zoom_level: r.get(0)?,
                    matrix_width: r.get(1)?,
                    matrix_height: r.get(2)?,
                    tile_width: r.get(3)?,
                    tile_height: r.get(4)?,
                    pixel_x_size: r.get(5)?,
                    pixel_y_size: r.get(6)?,
                })
            })
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .context("reading gpkg_tile_matrix")?;
        Ok((set, levels))
    }
}

impl Batch<'_> {
    /// Creates the tile table, its tile matrix set and levels, and registers it
    /// as a 2D gridded coverage.
    pub fn create_coverage(&self, def: &CoverageDef, levels: &[TileMatrix]) -> Result<()> {
        let what = format!("creating coverage '{}'", def.name);
        let sql = self.sql();
        self.ensure_srs(def.set.srs_id)?;
        self.ensure_srs(4979)?;
        // The extension's tables and its registration rows, once per file (the
        // rows have a NULL column_name, which UNIQUE does not keep from repeating).
        let extension_there: bool = sql
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE name = 'gpkg_2d_gridded_coverage_ancillary')",
                [],
                |r| r.get(0),
            )
            .context(what.clone())?;
        if !extension_there {
            sql.execute_batch(include_str!("sql/coverage.sql"))
                .context(what.clone())?;
        }
        sql.execute_batch(&format!(
            "CREATE TABLE {} (id INTEGER PRIMARY KEY AUTOINCREMENT,zoom_level INTEGER NOT NULL,tile_column INTEGER NOT NULL,tile_row INTEGER NOT NULL,tile_data BLOB NOT NULL,UNIQUE (zoom_level, tile_column, tile_row))",
            quote_ident(&def.name)
        ))
        .context(what.clone())?;
        let (min_x, min_y, max_x, max_y) = def.data_extent;
        sql.execute(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change, min_x, min_y, max_x, max_y, srs_id)
             VALUES (?1, '2d-gridded-coverage', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            rusqlite::params![def.name, def.identifier, def.description, super::timestamp_now(), min_x, min_y, max_x, max_y, def.set.srs_id],
        )
        .context(what.clone())?;
        let s = def.set;
        sql.execute(
            "INSERT INTO gpkg_tile_matrix_set (table_name, srs_id, min_x, min_y, max_x, max_y) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            rusqlite::params![def.name, s.srs_id, s.min_x, s.min_y, s.max_x, s.max_y],
        )
        .context(what.clone())?;
        for m in levels {
            sql.execute(
                "INSERT INTO gpkg_tile_matrix (table_name, zoom_level, matrix_width, matrix_height, tile_width, tile_height, pixel_x_size, pixel_y_size)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                rusqlite::params![def.name, m.zoom_level, m.matrix_width, m.matrix_height, m.tile_width, m.tile_height, m.pixel_x_size, m.pixel_y_size],
            )
            .context(what.clone())?;
        }
        // precision 0.001 m: GDAL rounds values to the declared precision, and
        // per-tile 16-bit scaling keeps millimetres over the relief of a tambon.
        sql.execute(
            "INSERT INTO gpkg_2d_gridded_coverage_ancillary (tile_matrix_set_name, datatype, scale, offset, precision, data_null, grid_cell_encoding, uom, field_name, quantity_definition)
             VALUES (?1, 'integer', 1.0, 0.0, 0.001, ?2, 'grid-value-is-area', ?3, 'Height', 'Height')",
            rusqlite::params![def.name, f64::from(PNG_NODATA), def.uom],
        )
        .context(what.clone())?;
        sql.execute_batch(&format!(
            "INSERT INTO gpkg_extensions (table_name, column_name, extension_name, definition, scope) VALUES ({}, 'tile_data', 'gpkg_2d_gridded_coverage', 'http://docs.opengeospatial.org/is/17-066r1/17-066r1.html', 'read-write')",
            quote_literal(&def.name)
        ))
        .context(what)
    }

    /// Removes the 2D gridded coverage `table` if there is one: its tiles,
    /// tile matrices, ancillary and extension rows and its `gpkg_contents`
    /// row. Refuses to remove a layer of another kind of the same name.
    pub fn drop_coverage(&self, table: &str) -> Result<()> {
        let what = format!("removing coverage '{table}'");
        let sql = self.sql();
        let kind: Option<String> = sql
            .query_row(
                "SELECT data_type FROM gpkg_contents WHERE table_name = ?1",
                [table],
                |r| r.get(0),
            )
            .optional()
            .context(what.clone())?;
        match kind.as_deref() {
            None => return Ok(()),
            Some("2d-gridded-coverage") => {}
            Some(_) => return Err(GpkgError::LayerExists(table.to_string())),
        }
        for (t, column) in [
            ("gpkg_2d_gridded_tile_ancillary", "tpudt_name"),
            ("gpkg_2d_gridded_coverage_ancillary", "tile_matrix_set_name"),
            ("gpkg_tile_matrix", "table_name"),
            ("gpkg_tile_matrix_set", "table_name"),
            ("gpkg_extensions", "table_name"),
        ] {
            let exists: bool = sql
                .query_row(
                    "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE name = ?1)",
                    [t],
                    |r| r.get(0),
                )
                .context(what.clone())?;
            if exists {
                sql.execute(&format!("DELETE FROM {t} WHERE lower({column}) = lower(?1)"), [table])
                    .context(what.clone())?;
            }
        }
        sql.execute_batch(&format!("DROP TABLE IF EXISTS {}", quote_ident(table)))
            .context(what.clone())?;
        sql.execute("DELETE FROM gpkg_contents WHERE table_name = ?1", [table])
            .context(what)?;
        Ok(())
    }

    /// Writes one tile of elevations (row-major, `NaN` for no data) and
    /// returns its quantisation step (0 when every cell is the same); a tile
    /// without any data is not written, as GDAL does, and gives `None`.
    pub fn write_coverage_tile(
        &self,
        table: &str,
        level: &TileMatrix,
        column: i64,
        row: i64,
        cells: &[f32],
    ) -> Result<Option<f64>> {
        let (w, h) = (level.tile_width as usize, level.tile_height as usize);
        if cells.len() != w * h {
            return Err(GpkgError::GeometryMismatch {
                table: table.to_string(),
                detail: format!(
                    "coverage tile has {} cells, the tile matrix says {}",
                    cells.len(),
                    w * h
                ),
            });
        }
        let valid: Vec<f64> = cells.iter().filter(|v| v.is_finite()).map(|&v| f64::from(v)).collect();
        if valid.is_empty() {
            return Ok(None);
        }
        let min = valid.iter().copied().fold(f64::INFINITY, f64::min);
        let max = valid.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let mean = valid.iter().sum::<f64>() / valid.len() as f64;
        let std_dev = (valid.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / valid.len() as f64).sqrt();
        let scale = if max > min {
            (max - min) / f64::from(PNG_NODATA - 1)
        } else {
            1.0
        };
        let raw: Vec<u16> = cells
            .iter()
            .map(|&v| {
                if v.is_finite() {
                    ((f64::from(v) - min) / scale)
                        .round()
                        .clamp(0.0, f64::from(PNG_NODATA - 1)) as u16
                } else {
                    PNG_NODATA
                }
            })
            .collect();
        let png = encode_png16(w as u32, h as u32, &raw).map_err(|e| GpkgError::GeometryMismatch {
            table: table.to_string(),
            detail: format!("encoding a coverage tile: {e}"),
        })?;
        let what = format!("writing a tile of '{table}'");
        self.sql()
            .execute(
                &format!(
                    "INSERT INTO {} (zoom_level, tile_column, tile_row, tile_data) VALUES (?1, ?2, ?3, ?4)",
                    quote_ident(table)
                ),
                rusqlite::params![level.zoom_level, column, row, png],
            )
            .context(what.clone())?;
        let id = self.sql().last_insert_rowid();
        self.sql()
            .execute(
                "INSERT INTO gpkg_2d_gridded_tile_ancillary (tpudt_name, tpudt_id, scale, offset, min, max, mean, std_dev) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                rusqlite::params![table, id, scale, min, min, max, mean, std_dev],
            )
            .context(what)?;
        Ok(Some(if max > min { scale } else { 0.0 }))
    }
}

fn encode_png16(width: u32, height: u32, raw: &[u16]) -> Result<Vec<u8>, png::EncodingError> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Sixteen);
    let mut writer = encoder.write_header()?;
    let bytes: Vec<u8> = raw.iter().flat_map(|v| v.to_be_bytes()).collect();
    writer.write_image_data(&bytes)?;
    writer.finish()?;
    Ok(out)
}
