//! Making many tiles at once on worker threads, each with its own tiler
//! (PROJ objects cannot cross threads).

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

use std::collections::HashSet;

use super::export::PackageInfo;
use super::mvt::EXTENT;
use super::{tile_size, BUFFER};
use super::{TileError, TileId, VectorTiler};
use crate::crs::Transformer;
use crate::geom::Envelope;
use crate::progress::Progress;

/// The tiles of zooms `min..=max` over the layers' extent, or over `bbox`
/// (given in the CRS of the first layer), with the package's description.
pub fn plan(
    path: &Path,
    layers: Option<&[String]>,
    min: u8,
    max: u8,
    bbox: Option<Envelope>,
) -> Result<(Vec<TileId>, PackageInfo), TileError> {
    if min > max || max > 24 {
        return Err(TileError::BadRequest(format!(
            "zoom range {min}-{max} must be increasing and at most 24"
        )));
    }
    let tiler = VectorTiler::open(path, layers)?;
    let area = match bbox {
        Some(b) => tiler.to_mercator(&b)?,
        None => tiler.mercator_extent()?,
    };
    let Some(area) = area else {
        return Err(TileError::BadRequest("the layers are empty: nothing to tile".into()));
    };
    // Only tiles that some feature (with the tile buffer) reaches: the others
    // would be empty, and a million-pole extent has far more of those.
    let mut touched: HashSet<TileId> = HashSet::new();
    tiler.feature_envelopes(|e| {
        for z in min..=max {
            let m = BUFFER * tile_size(z) / f64::from(EXTENT);
            let padded = Envelope::new(e.min_x - m, e.min_y - m, e.max_x + m, e.max_y + m);
            touched.extend(TileId::covering(&padded, z));
        }
    })?;
    let mut tiles: Vec<TileId> = touched.into_iter().filter(|t| t.bounds().intersects(&area)).collect();
    tiles.sort();
    let to_degrees = Transformer::new(3857, 4326)?;
    let (west, south) = to_degrees.convert(area.min_x, area.min_y)?;
    let (east, north) = to_degrees.convert(area.max_x, area.max_y)?;
    let info = PackageInfo {
        name: path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("tongtin")
            .to_string(),
        layers: tiler.tile_fields(),
        min_zoom: min,
        max_zoom: max,
        bounds: Envelope::new(west, south, east, north),
    };
    Ok((tiles, info))
}

/// Makes `tiles` with `workers` threads, passes each non-empty tile through
/// `encode` there (compression), and hands it to `sink` on the calling
/// thread, in completion order. Stops at the first error.
pub fn make_tiles(
    path: &Path,
    layers: Option<&[String]>,
    tiles: &[TileId],
    workers: usize,
    encode: fn(Vec<u8>) -> Vec<u8>,
    progress: &dyn Progress,
    mut sink: impl FnMut(TileId, Vec<u8>) -> Result<(), TileError>,
) -> Result<usize, TileError> {
    let next = AtomicUsize::new(0);
    let (tx, rx) = mpsc::sync_channel::<Result<(TileId, Vec<u8>), TileError>>(256);
    let mut written = 0;
    std::thread::scope(|scope| -> Result<(), TileError> {
        for _ in 0..workers.max(1) {
            let tx = tx.clone();
            let next = &next;
            scope.spawn(move || {
                let tiler = match VectorTiler::open(path, layers) {
                    Ok(t) => t,
                    Err(e) => {
                        let _ = tx.send(Err(e));
                        return;
                    }
                };
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(&id) = tiles.get(i) else { break };
                    let result = tiler
                        .tile(id)
                        .map(|bytes| (id, if bytes.is_empty() { bytes } else { encode(bytes) }));
                    let failed = result.is_err();
                    if tx.send(result).is_err() || failed {
                        break;
                    }
                }
            });
        }
        drop(tx);
        // Drain the channel even after a failure, so that no worker stays
        // blocked on a full channel while the scope waits for it.
        let mut first_error = None;
        for result in rx.iter() {
            if first_error.is_some() {
                continue;
            }
            let outcome = result.and_then(|(id, bytes)| {
                progress.advance(1);
                if bytes.is_empty() {
                    return Ok(());
                }
                written += 1;
                sink(id, bytes)
            });
            if let Err(e) = outcome {
                next.store(tiles.len(), Ordering::Relaxed);
                first_error = Some(e);
            }
        }
        first_error.map_or(Ok(()), Err)
    })?;
    Ok(written)
}
