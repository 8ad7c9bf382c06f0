//! Reading 2D gridded coverages (elevation) as GDAL writes them: 16-bit PNG
//! tiles with per-tile and per-coverage scale and offset (`TILE_FORMAT=PNG`,
//! datatype `integer`), or 32-bit float TIFF tiles (`TILE_FORMAT=TIFF`,
//! datatype `float`). Each tile is decoded by what its bytes are.

use std::collections::HashMap;
use std::sync::Mutex;

use super::{quote_ident, GeoPackage, GpkgError, Result, SqlContext, TileMatrix, TileMatrixSet};
use crate::geom::Envelope;

/// A window of elevations: row-major from the top, `NaN` where there is no data.
#[derive(Clone, Debug, PartialEq)]
pub struct Grid {
    /// Top-left corner of the top-left cell.
    pub origin_x: f64,
    pub origin_y: f64,
    pub cell_x: f64,
    pub cell_y: f64,
    pub width: usize,
    pub height: usize,
    pub values: Vec<f32>,
}

impl Grid {
    pub fn get(&self, col: usize, row: usize) -> f32 {
        self.values[row * self.width + col]
    }

    /// The value of the cell holding (x, y), as `gdallocationinfo` reports it.
    pub fn cell_at(&self, x: f64, y: f64) -> Option<f32> {
        let c = ((x - self.origin_x) / self.cell_x).floor();
        let r = ((self.origin_y - y) / self.cell_y).floor();
        (c >= 0.0 && r >= 0.0 && (c as usize) < self.width && (r as usize) < self.height)
            .then(|| self.get(c as usize, r as usize))
            .filter(|v| v.is_finite())
    }

    /// Bilinear value between cell centres; `None` outside or next to missing data.
    pub fn sample(&self, x: f64, y: f64) -> Option<f64> {
        let fx = (x - self.origin_x) / self.cell_x - 0.5;
        let fy = (self.origin_y - y) / self.cell_y - 0.5;
        if fx < 0.0 || fy < 0.0 || fx > (self.width - 1) as f64 || fy > (self.height - 1) as f64 {
            return None;
        }
        let (c, r) = (fx.floor() as usize, fy.floor() as usize);
        let (c1, r1) = ((c + 1).min(self.width - 1), (r + 1).min(self.height - 1));
        let (tx, ty) = (fx - c as f64, fy - r as f64);
        let v = |c, r| f64::from(self.get(c, r));
        let value = (v(c, r) * (1.0 - tx) + v(c1, r) * tx) * (1.0 - ty) + (v(c, r1) * (1.0 - tx) + v(c1, r1) * tx) * ty;
        value.is_finite().then_some(value)
    }
}

/// A decoded tile's elevations, shared between readers.
type Tile = std::sync::Arc<Vec<f32>>;

/// An elevation coverage of a GeoPackage.
pub struct Coverage {
    pub table: String,
    pub srs_id: i32,
    pub set: TileMatrixSet,
    pub levels: Vec<TileMatrix>,
    scale: f64,
    offset: f64,
    data_null: Option<f64>,
    decoded: Mutex<HashMap<(i64, i64, i64), Option<Tile>>>,
}

impl GeoPackage {
    /// Opens the coverage `table` for reading.
    pub fn coverage(&self, table: &str) -> Result<Coverage> {
        let (set, levels) = self.tile_matrices(table)?;
        let (scale, offset, data_null): (f64, f64, Option<f64>) = self
            .conn
            .query_row("SELECT scale, offset, data_null FROM gpkg_2d_gridded_coverage_ancillary WHERE tile_matrix_set_name = ?1", [table], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .context(format!("reading the coverage description of '{table}'"))?;
        Ok(Coverage {
            table: table.to_string(),
            srs_id: set.srs_id,
            set,
            levels,
            scale,
            offset,
            data_null,
            decoded: Mutex::new(HashMap::new()),
        })
    }
}

impl Coverage {
    /// The coarsest level whose cells are no larger than `cell` (the finest if none is).
    pub fn level_for(&self, cell: f64) -> &TileMatrix {
        self.levels
            .iter()
            .find(|l| l.pixel_x_size <= cell)
            .unwrap_or_else(|| self.levels.last().expect("a coverage has levels"))
    }

    /// The cells of `level` covering `area` (plus `margin` cells around it).
    pub fn read(&self, gpkg: &GeoPackage, level: &TileMatrix, area: &Envelope, margin: usize) -> Result<Grid> {
        let (px, py) = (level.pixel_x_size, level.pixel_y_size);
        let col0 = ((area.min_x - self.set.min_x) / px).floor() as i64 - margin as i64;
        let col1 = ((area.max_x - self.set.min_x) / px).ceil() as i64 + margin as i64;
        let row0 = ((self.set.max_y - area.max_y) / py).floor() as i64 - margin as i64;
        let row1 = ((self.set.max_y - area.min_y) / py).ceil() as i64 + margin as i64;
        let (width, height) = ((col1 - col0).max(1) as usize, (row1 - row0).max(1) as usize);
        let mut values = vec![f32::NAN; width * height];
        let (tw, th) = (level.tile_width, level.tile_height);
        for tile_row in row0.div_euclid(th)..=(row1 - 1).div_euclid(th) {
            for tile_col in col0.div_euclid(tw)..=(col1 - 1).div_euclid(tw) {
                if tile_row < 0 || tile_col < 0 || tile_row >= level.matrix_height || tile_col >= level.matrix_width {
                    continue;
                }
                let Some(cells) = self.tile(gpkg, level, tile_col, tile_row)? else {
                    continue;
                };
                for r in 0..th {
                    let gr = tile_row * th + r - row0;
                    if gr < 0 || gr >= height as i64 {
                        continue;
                    }
                    for c in 0..tw {
                        let gc = tile_col * tw + c - col0;
                        if gc >= 0 && gc < width as i64 {
                            values[gr as usize * width + gc as usize] = cells[(r * tw + c) as usize];
                        }
                    }
                }
            }
        }
        Ok(Grid {
            origin_x: self.set.min_x + col0 as f64 * px,
            origin_y: self.set.max_y - row0 as f64 * py,
            cell_x: px,
            cell_y: py,
            width,
            height,
            values,
        })
    }

    /// One decoded tile, `None` where the pyramid has none; decoded tiles are kept.
    fn tile(&self, gpkg: &GeoPackage, level: &TileMatrix, col: i64, row: i64) -> Result<Option<Tile>> {
        let key = (level.zoom_level, col, row);
        if let Some(hit) = self.decoded.lock().ok().and_then(|d| d.get(&key).cloned()) {
            return Ok(hit);
        }
        let sql = format!(
            "SELECT t.tile_data, a.scale, a.offset FROM {} t LEFT JOIN gpkg_2d_gridded_tile_ancillary a ON a.tpudt_name = ?1 AND a.tpudt_id = t.id
             WHERE t.zoom_level = ?2 AND t.tile_column = ?3 AND t.tile_row = ?4",
            quote_ident(&self.table)
        );
        let found = gpkg
            .conn
            .query_row(&sql, rusqlite::params![self.table, level.zoom_level, col, row], |r| {
                Ok((
                    r.get::<_, Vec<u8>>(0)?,
                    r.get::<_, Option<f64>>(1)?,
                    r.get::<_, Option<f64>>(2)?,
                ))
            });
        let decoded = match found {
            Err(rusqlite::Error::QueryReturnedNoRows) => None,
            Err(e) => {
                return Err(GpkgError::Sqlite {
                    context: format!("reading a tile of '{}'", self.table),
                    source: e,
                })
            }
            Ok((bytes, tile_scale, tile_offset)) => {
                let expected = level.tile_width.saturating_mul(level.tile_height).max(0) as usize;
                let raw = decode_tile(&bytes)
                    .and_then(|raw| {
                        if raw.len() == expected {
                            Ok(raw)
                        } else {
                            Err(format!("{} cells, the tile matrix says {expected}", raw.len()))
                        }
                    })
                    .map_err(|detail| GpkgError::Corrupt {
                        path: gpkg.path().to_path_buf(),
                        detail: format!("coverage '{}' tile {col},{row}: {detail}", self.table),
                    })?;
                let (ts, to) = (tile_scale.unwrap_or(1.0), tile_offset.unwrap_or(0.0));
                let null = self.data_null.map(|n| n as f32);
                Some(std::sync::Arc::new(
                    raw.into_iter()
                        .map(|v| {
                            if Some(v) == null || !v.is_finite() {
                                f32::NAN
                            } else {
                                ((f64::from(v) * ts + to) * self.scale + self.offset) as f32
                            }
                        })
                        .collect(),
                ))
            }
        };
        if let Ok(mut d) = self.decoded.lock() {
            d.insert(key, decoded.clone());
        }
        Ok(decoded)
    }
}

/// The raw values of a tile, PNG or TIFF, before scale and offset.
fn decode_tile(bytes: &[u8]) -> std::result::Result<Vec<f32>, String> {
    match bytes {
        [0x89, b'P', b'N', b'G', ..] => Ok(decode_png16(bytes)?.into_iter().map(f32::from).collect()),
        [b'I', b'I', 42, 0, ..] | [b'M', b'M', 0, 42, ..] => decode_float_tiff(bytes),
        _ => Err("neither PNG nor TIFF".into()),
    }
}

/// A single-band Float32 TIFF tile, as GDAL writes with `TILE_FORMAT=TIFF`.
fn decode_float_tiff(bytes: &[u8]) -> std::result::Result<Vec<f32>, String> {
    let mut decoder = tiff::decoder::Decoder::new(std::io::Cursor::new(bytes)).map_err(|e| e.to_string())?;
    match decoder.colortype().map_err(|e| e.to_string())? {
        tiff::ColorType::Gray(32) => {}
        other => return Err(format!("unsupported TIFF {other:?} (32-bit float grey expected)")),
    }
    match decoder.read_image().map_err(|e| e.to_string())? {
        tiff::decoder::DecodingResult::F32(v) => Ok(v),
        _ => Err("TIFF samples are not 32-bit floats".into()),
    }
}

fn decode_png16(bytes: &[u8]) -> std::result::Result<Vec<u16>, String> {
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder.read_info().map_err(|e| e.to_string())?;
    let mut buf = vec![0; reader.output_buffer_size().ok_or("PNG too large")?];
    let info = reader.next_frame(&mut buf).map_err(|e| e.to_string())?;
    match (info.color_type, info.bit_depth) {
        (png::ColorType::Grayscale, png::BitDepth::Sixteen) => Ok(buf[..info.buffer_size()]
            .chunks_exact(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect()),
        (png::ColorType::Grayscale, png::BitDepth::Eight) => {
            Ok(buf[..info.buffer_size()].iter().map(|&v| u16::from(v)).collect())
        }
        other => Err(format!("unsupported PNG {other:?} (16-bit grey expected)")),
    }
}
