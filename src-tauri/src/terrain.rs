//! The terrain over IPC: elevation under the cursor, profiles, drains that
//! run uphill and the tint's legend, for the file on the map. Positions
//! arrive and leave in EPSG:3857; the core works in the terrain's CRS.

use std::path::Path;

use serde::{Deserialize, Serialize};
use tongtin::crs::Transformer;
use tongtin::gpkg::GeoPackage;
use tongtin::terrain::{Surface, TerrainError};

use crate::ipc::IpcError;

fn terrain_error(e: TerrainError, path: &Path) -> IpcError {
    let code = match e {
        TerrainError::NoTerrain { .. } => "no_terrain",
        _ => "terrain",
    };
    IpcError::new(code, e, Some(path))
}

fn crs_error(e: impl ToString) -> IpcError {
    IpcError::new("crs", e, None)
}

/// A line to profile: a feature's geometry, or one drawn on the map.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum ProfileOf {
    Feature { layer: String, uid: String },
    Line { coordinates: Vec<[f64; 2]> },
}

#[derive(Debug, Serialize)]
pub struct ProfilePointOut {
    pub distance: f64,
    /// EPSG:3857, to mark the point on the map when the chart is hovered.
    pub at: [f64; 2],
    pub elevation: Option<f64>,
    pub slope_pct: Option<f64>,
}

#[derive(Debug, Serialize)]
pub struct ProfileOut {
    pub points: Vec<ProfilePointOut>,
    pub length: f64,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub climb: f64,
    pub descent: f64,
    pub steepest_pct: Option<f64>,
}

#[derive(Debug, Serialize)]
pub struct UphillOut {
    pub fid: i64,
    pub uid: String,
    pub road_code: Option<String>,
    pub start_elevation: f64,
    pub end_elevation: f64,
    pub rise: f64,
    /// The drain's start, EPSG:3857.
    pub at: [f64; 2],
}

/// The tint's colours by elevation, lowest first (`#rrggbb`).
#[derive(Debug, Serialize)]
pub struct LegendOut {
    pub stops: Vec<(f64, String)>,
}

/// The ground elevation at `at` (EPSG:3857); `None` off the terrain.
pub fn elevation_at(path: &Path, at: [f64; 2]) -> Result<Option<f64>, IpcError> {
    let gpkg = GeoPackage::open(path).map_err(|e| IpcError::new("gpkg", e, Some(path)))?;
    let surface = match Surface::open(&gpkg) {
        Ok(s) => s,
        Err(TerrainError::NoTerrain { .. }) => return Ok(None),
        Err(e) => return Err(terrain_error(e, path)),
    };
    let (x, y) = Transformer::new(3857, surface.srs_id())
        .and_then(|t| t.convert(at[0], at[1]))
        .map_err(crs_error)?;
    surface.elevation_at(x, y).map_err(|e| terrain_error(e, path))
}

pub fn profile(path: &Path, of: ProfileOf) -> Result<ProfileOut, IpcError> {
    let gpkg = GeoPackage::open(path).map_err(|e| IpcError::new("gpkg", e, Some(path)))?;
    let surface = Surface::open(&gpkg).map_err(|e| terrain_error(e, path))?;
    let srs = surface.srs_id();
    let line: Vec<(f64, f64)> = match of {
        ProfileOf::Line { coordinates } => {
            let t = Transformer::new(3857, srs).map_err(crs_error)?;
            coordinates
                .iter()
                .map(|c| t.convert(c[0], c[1]))
                .collect::<Result<_, _>>()
                .map_err(crs_error)?
        }
        ProfileOf::Feature { layer, uid } => tongtin::terrain::feature_line(&gpkg, &layer, &uid, srs)
            .map_err(|e| terrain_error(e, path))?
            .ok_or_else(|| IpcError::new("not_found_feature", format!("{layer} {uid}: no line"), Some(path)))?,
    };
    let p = tongtin::terrain::profile(&surface, &line, None).map_err(|e| terrain_error(e, path))?;
    let to_web = Transformer::new(srs, 3857).map_err(crs_error)?;
    Ok(ProfileOut {
        points: p
            .points
            .iter()
            .map(|q| {
                let (x, y) = to_web.convert(q.x, q.y).unwrap_or((f64::NAN, f64::NAN));
                ProfilePointOut {
                    distance: q.distance,
                    at: [x, y],
                    elevation: q.elevation,
                    slope_pct: q.slope_pct,
                }
            })
            .collect(),
        length: p.length,
        min: p.min,
        max: p.max,
        climb: p.climb,
        descent: p.descent,
        steepest_pct: p.steepest_pct,
    })
}

/// Drains recorded against the slope (end more than 0.5 m above start), worst first.
pub fn uphill_drains(path: &Path) -> Result<Vec<UphillOut>, IpcError> {
    const TOLERANCE_M: f64 = 0.5;
    let gpkg = GeoPackage::open(path).map_err(|e| IpcError::new("gpkg", e, Some(path)))?;
    let surface = Surface::open(&gpkg).map_err(|e| terrain_error(e, path))?;
    let to_web = Transformer::new(surface.srs_id(), 3857).map_err(crs_error)?;
    Ok(tongtin::terrain::uphill_drains(&surface, TOLERANCE_M)
        .map_err(|e| terrain_error(e, path))?
        .into_iter()
        .map(|d| {
            let (x, y) = to_web.convert(d.start.0, d.start.1).unwrap_or((f64::NAN, f64::NAN));
            UphillOut {
                fid: d.fid,
                uid: d.uid,
                road_code: d.road_code,
                start_elevation: d.start_elevation,
                end_elevation: d.end_elevation,
                rise: d.rise,
                at: [x, y],
            }
        })
        .collect())
}

/// The tint's legend for the file's terrain; `None` without terrain.
pub fn legend(path: &Path) -> Result<Option<LegendOut>, IpcError> {
    let tiler = tongtin::tiles::HillshadeTiler::open(path, Default::default(), true)
        .map_err(|e| IpcError::new("tiles", e, Some(path)))?;
    Ok(tiler.and_then(|t| t.tint_range()).map(|(min, max)| LegendOut {
        stops: tongtin::tiles::tint::legend(min, max)
            .into_iter()
            .map(|(e, c)| (e, format!("#{:02x}{:02x}{:02x}", c[0], c[1], c[2])))
            .collect(),
    }))
}
