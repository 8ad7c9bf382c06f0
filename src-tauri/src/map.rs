//! The map's data for the open file: its tile service behind the `tiles://`
//! URI scheme, and search and identify, all delegated to the core.

use std::path::Path;
use std::sync::{Arc, Mutex};

use tauri::http::{Request, Response, StatusCode};
use tauri::Manager;
use tongtin::tiles::{Relief, TileId, TileKind, TileService};

use crate::editing::{EditOut, Stale};
use crate::ipc::IpcError;

/// Worker threads per open file: the machines have two cores.
const TILE_WORKERS: usize = 2;
const TILE_CACHE_BYTES: usize = 64 << 20;

/// The tile service of the file on screen, replaced when another is opened.
#[derive(Default)]
pub struct MapState {
    service: Mutex<Option<Arc<TileService>>>,
}

impl MapState {
    /// Starts serving the tiles of `path` and returns its extent in Web Mercator.
    pub fn open(&self, path: &Path) -> Result<Option<[f64; 4]>, IpcError> {
        let service = TileService::start(path, TILE_WORKERS, TILE_CACHE_BYTES)
            .map_err(|e| IpcError::new("tiles", e, Some(path)))?;
        let extent = service.extent().map(|e| [e.min_x, e.min_y, e.max_x, e.max_y]);
        *self.service.lock().unwrap_or_else(|p| p.into_inner()) = Some(Arc::new(service));
        Ok(extent)
    }

    pub fn current(&self) -> Option<Arc<TileService>> {
        self.service.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

/// Drops the cached tiles an edit made stale, so the map shows the edit at once.
fn invalidate(app: &tauri::AppHandle, stale: &Stale) {
    if let Some(service) = app.state::<MapState>().current() {
        for (area, srs) in stale {
            let _ = service.invalidate(area, *srs);
        }
    }
}

/// Drops every cached vector tile (after a sync brought other people's changes).
pub fn invalidate_all(app: &tauri::AppHandle) {
    const WORLD: f64 = 20_037_508.342_789_244;
    if let Some(service) = app.state::<MapState>().current() {
        let _ = service.invalidate(&tongtin::geom::Envelope::new(-WORLD, -WORLD, WORLD, WORLD), 3857);
    }
}

pub fn redrawn(app: &tauri::AppHandle, result: Result<(EditOut, Stale), IpcError>) -> Result<EditOut, IpcError> {
    result.map(|(out, stale)| {
        invalidate(app, &stale);
        out
    })
}

pub fn redrawn_maybe(
    app: &tauri::AppHandle,
    result: Result<Option<(EditOut, Stale)>, IpcError>,
) -> Result<Option<EditOut>, IpcError> {
    result.map(|o| {
        o.map(|(out, stale)| {
            invalidate(app, &stale);
            out
        })
    })
}

/// Parses `/vector/Z/X/Y.pbf`, `/hillshade/Z/X/Y.png` (the default sun),
/// `/relief/AZIMUTH/ALTITUDE/EXAGGERATION/TINT/Z/X/Y.png`, `/contours/INTERVAL_M/Z/X/Y.pbf`
/// or `/raster/TABLE/Z/X/Y.png`.
fn parse(path: &str) -> Option<(TileKind, TileId)> {
    let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let (kind, zxy) = match parts.as_slice() {
        ["vector", rest @ ..] => (TileKind::Vector, rest),
        ["hillshade", rest @ ..] => (TileKind::Hillshade(Relief::default()), rest),
        ["relief", azimuth, altitude, exaggeration, tint, rest @ ..] => (
            TileKind::Hillshade(Relief::parse(azimuth, altitude, exaggeration, tint)?),
            rest,
        ),
        ["contours", interval, rest @ ..] => (TileKind::contours(interval)?, rest),
        ["raster", table, rest @ ..] => (TileKind::Raster(percent_decode(table)?), rest),
        _ => return None,
    };
    let [z, x, y] = zxy else { return None };
    let y = y.split('.').next()?;
    TileId::new(z.parse().ok()?, x.parse().ok()?, y.parse().ok()?).map(|id| (kind, id))
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            out.push(u8::from_str_radix(s.get(i + 1..i + 3)?, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Answers one `tiles://` request: 200 with the tile (or `/photo/ID`, a
/// photo's bytes), 204 for a tile with nothing in it, 404 for an address that
/// is no tile, 503 when no file is open.
pub fn respond(state: &MapState, request: &Request<Vec<u8>>) -> Response<Vec<u8>> {
    let reply = |status: StatusCode, kind: &str, body: Vec<u8>| {
        Response::builder()
            .status(status)
            .header("Content-Type", kind)
            .header("Access-Control-Allow-Origin", "*")
            .body(body)
            .unwrap_or_default()
    };
    let Some(service) = state.current() else {
        return reply(
            StatusCode::SERVICE_UNAVAILABLE,
            "text/plain",
            b"no file is open".to_vec(),
        );
    };
    if let Some(id) = request.uri().path().strip_prefix("/photo/") {
        let found = id.parse::<i64>().ok().and_then(|id| {
            let gpkg = tongtin::gpkg::GeoPackage::open(service.path()).ok()?;
            tongtin::edit::photo_data(gpkg.connection(), id).ok().flatten()
        });
        return match found {
            Some((kind, bytes)) => reply(StatusCode::OK, &kind, bytes),
            None => reply(StatusCode::NOT_FOUND, "text/plain", b"no such photo".to_vec()),
        };
    }
    let Some((kind, id)) = parse(request.uri().path()) else {
        return reply(StatusCode::NOT_FOUND, "text/plain", b"no such tile".to_vec());
    };
    match service.tile(kind.clone(), id) {
        Ok(bytes) if bytes.is_empty() => reply(StatusCode::NO_CONTENT, kind.content_type(), Vec::new()),
        Ok(bytes) => reply(StatusCode::OK, kind.content_type(), bytes.to_vec()),
        Err(e) => reply(
            StatusCode::INTERNAL_SERVER_ERROR,
            "text/plain",
            e.to_string().into_bytes(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tile_addresses() {
        assert_eq!(
            parse("/vector/14/12345/7000.pbf"),
            Some((TileKind::Vector, TileId::new(14, 12345, 7000).unwrap()))
        );
        assert_eq!(
            parse("/hillshade/3/1/2.png").map(|t| t.0),
            Some(TileKind::Hillshade(Relief::default()))
        );
        assert_eq!(
            parse("/relief/90/30/2.5/1/3/1/2.png").map(|t| t.0),
            Relief::parse("90", "30", "2.5", "1").map(TileKind::Hillshade)
        );
        assert_eq!(parse("/relief/900/30/2.5/1/3/1/2.png"), None);
        assert_eq!(
            parse("/contours/10/14/12839/7408.pbf").map(|t| t.0),
            Some(TileKind::Contours { interval_dm: 100 })
        );
        assert_eq!(parse("/contours/0/14/12839/7408.pbf"), None);
        assert_eq!(
            parse("/raster/%E0%B8%A0%E0%B8%B2%E0%B8%9E/3/1/2.png").map(|t| t.0),
            Some(TileKind::Raster("ภาพ".into()))
        );
        assert_eq!(parse("/vector/2/9/0.pbf"), None, "x beyond the grid");
        assert_eq!(parse("/vector/a/b/c"), None);
        assert_eq!(parse("/other/1/0/0.pbf"), None);
    }

    #[test]
    fn without_a_file_tiles_are_unavailable() {
        let state = MapState::default();
        let request = Request::builder()
            .uri("tiles://localhost/vector/1/0/0.pbf")
            .body(Vec::new())
            .unwrap();
        assert_eq!(respond(&state, &request).status(), StatusCode::SERVICE_UNAVAILABLE);
        let bad = Request::builder()
            .uri("tiles://localhost/nothing")
            .body(Vec::new())
            .unwrap();
        assert_eq!(respond(&state, &bad).status(), StatusCode::SERVICE_UNAVAILABLE);
    }
}
