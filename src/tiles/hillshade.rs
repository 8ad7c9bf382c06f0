//! Shaded-relief raster tiles in Web Mercator from the elevation coverage:
//! the offline base map under everything.

use std::path::Path;

use super::grid::TileId;
use super::resample::{encode_png, PixelMap, PIXELS};
use super::source::TileSource;
use super::TileError;
use crate::crs::Transformer;
use crate::gpkg::{Coverage, GeoPackage, Grid, LayerKind};
use crate::terrain::{hillshade, Light};

pub struct HillshadeTiler {
    gpkg: GeoPackage,
    coverage: Coverage,
    to_dem: Transformer,
    light: Light,
}

impl HillshadeTiler {
    /// The first elevation coverage of the file, `None` when it has none.
    pub fn open(path: &Path, light: Light) -> Result<Option<Self>, TileError> {
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
        let to_dem = Transformer::new(3857, epsg)?;
        Ok(Some(HillshadeTiler {
            gpkg,
            coverage,
            to_dem,
            light,
        }))
    }

    fn render(&self, id: TileId) -> Result<Option<Vec<u8>>, TileError> {
        let bounds = id.bounds();
        let area = self.to_dem.transform_envelope(&bounds)?;
        let set = &self.coverage.set;
        if area.max_x < set.min_x || area.min_x > set.max_x || area.max_y < set.min_y || area.min_y > set.max_y {
            return Ok(None);
        }
        let ground_pixel = area.width() / PIXELS as f64;
        let level = *self.coverage.level_for(ground_pixel.max(1e-9));
        let grid = self.coverage.read(&self.gpkg, &level, &area, 2)?;
        let shade = hillshade(&grid, &self.light);
        if shade.iter().all(|&v| v == 0) {
            return Ok(None);
        }
        let map = PixelMap::new(id, &self.to_dem)?;
        let mut pixels = vec![0u8; PIXELS * PIXELS * 2];
        for py in 0..PIXELS {
            for px in 0..PIXELS {
                let (x, y) = map.at(px, py);
                if let Some(v) = sample(&grid, &shade, x, y) {
                    pixels[(py * PIXELS + px) * 2] = v;
                    pixels[(py * PIXELS + px) * 2 + 1] = 255;
                }
            }
        }
        encode_png(&pixels, png::ColorType::GrayscaleAlpha).map(Some)
    }
}

/// Bilinear shade at (x, y), from the cells that have a value.
fn sample(grid: &Grid, shade: &[u8], x: f64, y: f64) -> Option<u8> {
    let fx = (x - grid.origin_x) / grid.cell_x - 0.5;
    let fy = (grid.origin_y - y) / grid.cell_y - 0.5;
    if fx < 0.0 || fy < 0.0 || fx >= (grid.width - 1) as f64 || fy >= (grid.height - 1) as f64 {
        return None;
    }
    let (c, r) = (fx as usize, fy as usize);
    let (tx, ty) = (fx - c as f64, fy - r as f64);
    let mut sum = 0.0;
    let mut weight = 0.0;
    for (dc, dr, w) in [
        (0, 0, (1.0 - tx) * (1.0 - ty)),
        (1, 0, tx * (1.0 - ty)),
        (0, 1, (1.0 - tx) * ty),
        (1, 1, tx * ty),
    ] {
        let v = shade[(r + dr) * grid.width + c + dc];
        if v > 0 {
            sum += f64::from(v) * w;
            weight += w;
        }
    }
    (weight > 0.25).then(|| (sum / weight).round() as u8)
}

impl TileSource for HillshadeTiler {
    fn content_type(&self) -> &'static str {
        "image/png"
    }

    fn tile(&self, id: TileId) -> Result<Vec<u8>, TileError> {
        Ok(self.render(id)?.unwrap_or_default())
    }
}
