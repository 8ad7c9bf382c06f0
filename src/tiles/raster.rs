//! Raster tile pyramids of the GeoPackage (an orthophoto, a scanned map)
//! as Web Mercator tiles, in whatever CRS and tiling they were stored.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use super::grid::TileId;
use super::resample::{encode_png, PixelMap, PIXELS};
use super::source::TileSource;
use super::TileError;
use crate::crs::Transformer;
use crate::gpkg::{quote_ident, GeoPackage, GpkgError, LayerKind, TileMatrix};

/// RGBA pixels of one stored tile.
struct Decoded {
    width: usize,
    height: usize,
    rgba: Vec<u8>,
}

/// Decoded source tiles by (zoom, column, row); `None` where the pyramid has none.
type DecodedTiles = std::cell::RefCell<HashMap<(i64, i64, i64), Option<Arc<Decoded>>>>;

pub struct RasterTiler {
    gpkg: GeoPackage,
    table: String,
    origin: (f64, f64),
    levels: Vec<TileMatrix>,
    to_source: Transformer,
    decoded: DecodedTiles,
}

impl RasterTiler {
    /// The tile pyramid `table` of the file.
    pub fn open(path: &Path, table: &str) -> Result<Self, TileError> {
        let gpkg = GeoPackage::open(path)?;
        let layer = gpkg.layer(table)?;
        if layer.kind != LayerKind::Tiles {
            return Err(TileError::BadRequest(format!("'{table}' is not a tile pyramid")));
        }
        let (set, coverage_levels) = gpkg.tile_matrices(table)?;
        let (srs_id, min_x, max_y) = (set.srs_id, set.min_x, set.max_y);
        let epsg = layer.srs.as_ref().and_then(|s| s.code).map_or(srs_id, |c| c as i32);
        if coverage_levels.is_empty() {
            return Err(TileError::BadRequest(format!("'{table}' has no zoom levels")));
        }
        Ok(RasterTiler {
            to_source: Transformer::new(3857, epsg)?,
            gpkg,
            table: table.to_string(),
            origin: (min_x, max_y),
            levels: coverage_levels,
            decoded: std::cell::RefCell::new(HashMap::new()),
        })
    }

    fn stored(&self, level: &TileMatrix, col: i64, row: i64) -> Result<Option<Arc<Decoded>>, TileError> {
        let key = (level.zoom_level, col, row);
        if let Some(hit) = self.decoded.borrow().get(&key) {
            return Ok(hit.clone());
        }
        let sql = format!(
            "SELECT tile_data FROM {} WHERE zoom_level = ?1 AND tile_column = ?2 AND tile_row = ?3",
            quote_ident(&self.table)
        );
        let found = self
            .gpkg
            .connection()
            .query_row(&sql, [level.zoom_level, col, row], |r| r.get::<_, Vec<u8>>(0));
        let decoded = match found {
            Err(rusqlite::Error::QueryReturnedNoRows) => None,
            Err(source) => {
                return Err(GpkgError::Sqlite {
                    context: format!("reading a tile of '{}'", self.table),
                    source,
                }
                .into())
            }
            Ok(bytes) => Some(Arc::new(decode(&bytes).map_err(|e| {
                TileError::Gpkg(GpkgError::Corrupt {
                    path: self.gpkg.path().to_path_buf(),
                    detail: format!("'{}' tile {col},{row}: {e}", self.table),
                })
            })?)),
        };
        let mut cache = self.decoded.borrow_mut();
        if cache.len() > 512 {
            cache.clear();
        }
        cache.insert(key, decoded.clone());
        Ok(decoded)
    }

    fn render(&self, id: TileId) -> Result<Vec<u8>, TileError> {
        let bounds = id.bounds();
        let area = self.to_source.transform_envelope(&bounds)?;
        let ground = area.width() / PIXELS as f64;
        let level = *self
            .levels
            .iter()
            .rev()
            .find(|l| l.pixel_x_size >= ground * 0.75)
            .unwrap_or(&self.levels[self.levels.len() - 1]);
        let map = PixelMap::new(id, &self.to_source)?;
        let mut rgba = vec![0u8; PIXELS * PIXELS * 4];
        let mut any = false;
        for py in 0..PIXELS {
            for px in 0..PIXELS {
                let (x, y) = map.at(px, py);
                let gx = ((x - self.origin.0) / level.pixel_x_size).floor();
                let gy = ((self.origin.1 - y) / level.pixel_y_size).floor();
                if gx < 0.0 || gy < 0.0 {
                    continue;
                }
                let (gx, gy) = (gx as i64, gy as i64);
                let (col, row) = (gx / level.tile_width, gy / level.tile_height);
                if col >= level.matrix_width || row >= level.matrix_height {
                    continue;
                }
                let Some(tile) = self.stored(&level, col, row)? else {
                    continue;
                };
                let (ix, iy) = ((gx % level.tile_width) as usize, (gy % level.tile_height) as usize);
                if ix >= tile.width || iy >= tile.height {
                    continue;
                }
                let src = &tile.rgba[(iy * tile.width + ix) * 4..][..4];
                rgba[(py * PIXELS + px) * 4..][..4].copy_from_slice(src);
                any |= src[3] > 0;
            }
        }
        if !any {
            return Ok(Vec::new());
        }
        encode_png(&rgba, png::ColorType::Rgba)
    }
}

impl TileSource for RasterTiler {
    fn content_type(&self) -> &'static str {
        "image/png"
    }

    fn tile(&self, id: TileId) -> Result<Vec<u8>, TileError> {
        self.render(id)
    }
}

/// PNG or JPEG tile bytes to RGBA.
fn decode(bytes: &[u8]) -> Result<Decoded, String> {
    if bytes.starts_with(b"\x89PNG") {
        let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
        let mut reader = decoder.read_info().map_err(|e| e.to_string())?;
        let mut buf = vec![0; reader.output_buffer_size().ok_or("PNG too large")?];
        let info = reader.next_frame(&mut buf).map_err(|e| e.to_string())?;
        let (w, h) = (info.width as usize, info.height as usize);
        let px = &buf[..info.buffer_size()];
        let rgba = match info.color_type {
            png::ColorType::Rgba => px.to_vec(),
            png::ColorType::Rgb => px.chunks_exact(3).flat_map(|c| [c[0], c[1], c[2], 255]).collect(),
            png::ColorType::GrayscaleAlpha => px.chunks_exact(2).flat_map(|c| [c[0], c[0], c[0], c[1]]).collect(),
            png::ColorType::Grayscale => px.iter().flat_map(|&g| [g, g, g, 255]).collect(),
            png::ColorType::Indexed => return Err("palette PNG was not expanded".into()),
        };
        return Ok(Decoded {
            width: w,
            height: h,
            rgba,
        });
    }
    if bytes.starts_with(&[0xFF, 0xD8]) {
        let mut decoder = jpeg_decoder::Decoder::new(bytes);
        let pixels = decoder.decode().map_err(|e| e.to_string())?;
        let info = decoder.info().ok_or("JPEG without header")?;
        let rgba = match info.pixel_format {
            jpeg_decoder::PixelFormat::RGB24 => pixels.chunks_exact(3).flat_map(|c| [c[0], c[1], c[2], 255]).collect(),
            jpeg_decoder::PixelFormat::L8 => pixels.iter().flat_map(|&g| [g, g, g, 255]).collect(),
            other => return Err(format!("unsupported JPEG pixel format {other:?}")),
        };
        return Ok(Decoded {
            width: usize::from(info.width),
            height: usize::from(info.height),
            rgba,
        });
    }
    Err("tiles must be PNG or JPEG (WebP and TIFF are not supported)".into())
}
