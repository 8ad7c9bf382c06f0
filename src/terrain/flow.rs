//! Drains whose water would have to run uphill: a drain is recorded from
//! where water enters to where it leaves, so its end must not lie higher
//! than its start.

use serde::Serialize;

use super::{Surface, TerrainError};
use crate::geom::{decode_blob, Envelope, Shape};

/// A drain whose recorded end lies higher than its start.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct UphillDrain {
    pub fid: i64,
    pub uid: String,
    /// The road the drain runs along, when the register says.
    pub road_code: Option<String>,
    pub start_elevation: f64,
    pub end_elevation: f64,
    /// How much higher the end lies, in metres.
    pub rise: f64,
    /// The drain's start, in the terrain's CRS.
    pub start: (f64, f64),
}

/// Every drain whose end lies more than `tolerance` metres above its start,
/// the worst first. Drains off the terrain are left out.
pub fn uphill_drains(surface: &Surface<'_>, tolerance: f64) -> Result<Vec<UphillDrain>, TerrainError> {
    let drains = surface.drains()?;
    type Ends<'a> = (i64, &'a str, Option<&'a str>, (f64, f64), (f64, f64));
    let ends: Vec<Ends> = drains
        .iter()
        .filter_map(|d| {
            let g = decode_blob(&d.geometry).ok()?.geometry;
            let line = match g.shape {
                Shape::LineString(cs) => cs,
                Shape::MultiLineString(ls) => ls.into_iter().flatten().collect(),
                _ => return None,
            };
            let (a, b) = (line.first()?, line.last()?);
            Some((d.fid, d.uid.as_str(), d.road_code.as_deref(), (a.x, a.y), (b.x, b.y)))
        })
        .collect();
    let mut area: Option<Envelope> = None;
    for (_, _, _, a, b) in &ends {
        for &(x, y) in [a, b] {
            area.get_or_insert(Envelope::from_xy(x, y)).expand_xy(x, y);
        }
    }
    let Some(area) = area else { return Ok(Vec::new()) };
    let grid = surface.window(&area)?;
    let mut out: Vec<UphillDrain> = ends
        .into_iter()
        .filter_map(|(fid, uid, road, a, b)| {
            let (start_elevation, end_elevation) = (grid.sample(a.0, a.1)?, grid.sample(b.0, b.1)?);
            let rise = end_elevation - start_elevation;
            (rise > tolerance).then(|| UphillDrain {
                fid,
                uid: uid.to_string(),
                road_code: road.map(str::to_string),
                start_elevation,
                end_elevation,
                rise,
                start: a,
            })
        })
        .collect();
    out.sort_by(|a, b| b.rise.total_cmp(&a.rise));
    Ok(out)
}
