//! A believable synthetic DEM: a gently rising plateau with rolling hills,
//! a ridge and a stream valley, at 10 m cells.

use super::rng::Rng;
use crate::geom::Envelope;
use crate::gpkg::{Batch, GpkgError, Grid};
use crate::progress::Progress;

pub const CELL: f64 = 10.0;

/// A north-up elevation grid; `values[row * width + col]`, row 0 at the top.
pub struct Dem {
    pub origin_x: f64,
    pub origin_y: f64,
    pub width: usize,
    pub height: usize,
    pub values: Vec<f32>,
}

impl Dem {
    /// Elevation at a point, bilinear between cell centres; `None` outside the grid.
    pub fn sample(&self, x: f64, y: f64) -> Option<f64> {
        let fx = (x - self.origin_x) / CELL - 0.5;
        let fy = (self.origin_y - y) / CELL - 0.5;
        if fx < 0.0 || fy < 0.0 || fx > (self.width - 1) as f64 || fy > (self.height - 1) as f64 {
            return None;
        }
        let (c, r) = (fx.floor() as usize, fy.floor() as usize);
        let (c1, r1) = ((c + 1).min(self.width - 1), (r + 1).min(self.height - 1));
        let (tx, ty) = (fx - c as f64, fy - r as f64);
        let v = |c: usize, r: usize| f64::from(self.values[r * self.width + c]);
        let top = v(c, r) * (1.0 - tx) + v(c1, r) * tx;
        let bottom = v(c, r1) * (1.0 - tx) + v(c1, r1) * tx;
        Some(top * (1.0 - ty) + bottom * ty)
    }
}

/// Lattice value noise in [0, 1), smooth between integer points.
fn value_noise(seed: u64, x: f64, y: f64) -> f64 {
    let hash = |ix: i64, iy: i64| {
        let mut r = Rng::new(seed ^ (ix as u64).wrapping_mul(0x9E37_79B9) ^ (iy as u64).wrapping_mul(0x85EB_CA6B) << 1);
        r.f64()
    };
    let (x0, y0) = (x.floor(), y.floor());
    let (tx, ty) = (x - x0, y - y0);
    let s = |t: f64| t * t * (3.0 - 2.0 * t);
    let (ix, iy) = (x0 as i64, y0 as i64);
    let a = hash(ix, iy) + (hash(ix + 1, iy) - hash(ix, iy)) * s(tx);
    let b = hash(ix, iy + 1) + (hash(ix + 1, iy + 1) - hash(ix, iy + 1)) * s(tx);
    a + (b - a) * s(ty)
}

/// Generates the DEM over `area` plus a 500 m margin.
pub fn generate(area: &Envelope, seed: u64) -> Dem {
    let margin = 500.0;
    let origin_x = ((area.min_x - margin) / CELL).floor() * CELL;
    let origin_y = ((area.max_y + margin) / CELL).ceil() * CELL;
    let width = ((area.max_x + margin - origin_x) / CELL).ceil() as usize;
    let height = ((origin_y - (area.min_y - margin)) / CELL).ceil() as usize;
    let (w, h) = (width as f64 * CELL, height as f64 * CELL);
    let mut rng = Rng::new(seed).fork(0x7E55);
    let ridge = (rng.range(0.1, 0.35) * w, rng.range(0.65, 0.9) * h, rng.range(-0.6, 0.6));
    let stream_phase = rng.range(0.0, std::f64::consts::TAU);
    let noise_seed = rng.next_u64();
    let mut values = Vec::with_capacity(width * height);
    for row in 0..height {
        let ly = h - (row as f64 + 0.5) * CELL;
        for col in 0..width {
            let lx = (col as f64 + 0.5) * CELL;
            let mut z = 182.0 + 0.0015 * lx + 0.0008 * ly;
            let (mut amp, mut freq) = (28.0, 1.0 / 3000.0);
            for octave in 0..5 {
                z += amp * (value_noise(noise_seed.wrapping_add(octave), lx * freq, ly * freq) - 0.5) * 2.0;
                amp *= 0.45;
                freq *= 2.1;
            }
            // A ridge of low hills (ภูเขา) running across one corner.
            let (rx, ry, slope) = ridge;
            let along = (lx - rx) * slope.cos() + (ly - ry) * slope.sin();
            let across = -(lx - rx) * slope.sin() + (ly - ry) * slope.cos();
            z += 95.0 * (-(across / 900.0).powi(2)).exp() * (-(along / 6000.0).powi(2)).exp();
            // A stream (ห้วย) meandering west to east through the middle.
            let centre = 0.45 * h + 900.0 * (lx / 2300.0 + stream_phase).sin();
            z -= 14.0 * (-((ly - centre) / 260.0).powi(2)).exp();
            values.push(z as f32);
        }
    }
    Dem {
        origin_x,
        origin_y,
        width,
        height,
        values,
    }
}

/// Writes the DEM as the `terrain` 2D gridded coverage with overview levels,
/// from one tile at zoom 0 down to 10 m cells.
pub fn write(
    b: &Batch<'_>,
    dem: &Dem,
    srs_id: i32,
    th: &str,
    en: &str,
    progress: &dyn Progress,
) -> Result<(), GpkgError> {
    let grid = Grid {
        origin_x: dem.origin_x,
        origin_y: dem.origin_y,
        cell_x: CELL,
        cell_y: CELL,
        width: dem.width,
        height: dem.height,
        values: dem.values.clone(),
    };
    crate::terrain::write_terrain(b, &grid, srs_id, th, en, progress).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relief_is_believable_and_sampling_is_bilinear() {
        let dem = generate(&Envelope::new(0.0, 0.0, 3000.0, 2000.0), 1);
        let (lo, hi) = dem
            .values
            .iter()
            .fold((f32::MAX, f32::MIN), |(lo, hi), &v| (lo.min(v), hi.max(v)));
        assert!(lo > 100.0 && hi < 450.0 && hi - lo > 10.0, "{lo}..{hi}");
        let centre = |c: usize, r: usize| {
            (
                dem.origin_x + (c as f64 + 0.5) * CELL,
                dem.origin_y - (r as f64 + 0.5) * CELL,
            )
        };
        let (x, y) = centre(10, 20);
        assert!((dem.sample(x, y).unwrap() - f64::from(dem.values[20 * dem.width + 10])).abs() < 1e-4);
        assert_eq!(dem.sample(dem.origin_x - 1.0, y), None);
    }
}
