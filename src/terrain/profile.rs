//! An elevation profile along a line: distance, ground elevation and slope,
//! sampled at every cell's width and at every vertex.

use serde::Serialize;

use super::{Surface, TerrainError};
use crate::geom::Envelope;

/// One sample of a profile.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct ProfilePoint {
    /// Metres from the start of the line.
    pub distance: f64,
    pub x: f64,
    pub y: f64,
    /// `None` where the terrain has no data.
    pub elevation: Option<f64>,
    /// Percent rise from the previous sample (`None` at the start and next to no data).
    pub slope_pct: Option<f64>,
}

/// The profile of a line and what an engineer reads off it first.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Profile {
    pub points: Vec<ProfilePoint>,
    pub length: f64,
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// Total climb and descent along the line, in metres.
    pub climb: f64,
    pub descent: f64,
    /// The steepest slope between samples, in percent (up or down).
    pub steepest_pct: Option<f64>,
}

/// The profile of `line` (in the terrain's CRS), a sample every `step`
/// metres (the cell size when `None`) and at every vertex.
pub fn profile(surface: &Surface<'_>, line: &[(f64, f64)], step: Option<f64>) -> Result<Profile, TerrainError> {
    let step = step
        .filter(|s| s.is_finite() && *s > 0.0)
        .unwrap_or(surface.cell_size());
    let mut area: Option<Envelope> = None;
    for &(x, y) in line {
        area.get_or_insert(Envelope::from_xy(x, y)).expand_xy(x, y);
    }
    let grid = match area {
        Some(a) => Some(surface.window(&a)?),
        None => None,
    };
    let mut points: Vec<ProfilePoint> = Vec::new();
    let mut walked = 0.0;
    let mut push = |distance: f64, x: f64, y: f64| {
        let elevation = grid.as_ref().and_then(|g| g.sample(x, y));
        let slope_pct = points.last().and_then(|p| {
            let (a, b) = (p.elevation?, elevation?);
            let run = distance - p.distance;
            (run > 0.0).then(|| (b - a) / run * 100.0)
        });
        points.push(ProfilePoint {
            distance,
            x,
            y,
            elevation,
            slope_pct,
        });
    };
    if let Some(&(x, y)) = line.first() {
        push(0.0, x, y);
    }
    for pair in line.windows(2) {
        let ((x0, y0), (x1, y1)) = (pair[0], pair[1]);
        let len = (x1 - x0).hypot(y1 - y0);
        if len == 0.0 || !len.is_finite() {
            continue;
        }
        let n = (len / step).ceil().max(1.0) as usize;
        for i in 1..=n {
            let f = i as f64 / n as f64;
            push(walked + f * len, x0 + f * (x1 - x0), y0 + f * (y1 - y0));
        }
        walked += len;
    }
    let elevations: Vec<f64> = points.iter().filter_map(|p| p.elevation).collect();
    let (mut climb, mut descent) = (0.0, 0.0);
    for pair in points.windows(2) {
        if let (Some(a), Some(b)) = (pair[0].elevation, pair[1].elevation) {
            if b > a {
                climb += b - a;
            } else {
                descent += a - b;
            }
        }
    }
    Ok(Profile {
        length: walked,
        min: elevations.iter().copied().reduce(f64::min),
        max: elevations.iter().copied().reduce(f64::max),
        climb,
        descent,
        steepest_pct: points
            .iter()
            .filter_map(|p| p.slope_pct)
            .reduce(|a, b| if b.abs() > a.abs() { b } else { a }),
        points,
    })
}
