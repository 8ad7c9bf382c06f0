//! Tiles on demand for the app: worker threads, each with its own tilers
//! (PROJ objects stay on their thread), behind byte-bounded caches.
//! Callable from any thread.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, Sender, SyncSender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use super::cache::TileCache;
use super::{ContourTiler, HillshadeTiler, RasterTiler, TileError, TileId, TileSource, VectorTiler};
use crate::crs::Transformer;
use crate::geom::Envelope;
use crate::terrain::Light;

type Reply = SyncSender<Result<Vec<u8>, TileError>>;
type Job = (TileKind, TileId, Reply);

/// What a request asks for.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum TileKind {
    /// Mapbox Vector Tiles of every feature layer.
    Vector,
    /// Shaded relief (PNG) from the elevation coverage, lit and tinted as [`Relief`] says.
    Hillshade(Relief),
    /// A raster tile pyramid of the file (an orthophoto), by table name.
    Raster(String),
    /// Contour lines (Mapbox Vector Tiles) from the elevation coverage, every
    /// `interval_dm` decimetres (coarser at low zooms: see [`super::contour`]).
    Contours { interval_dm: u32 },
}

impl TileKind {
    pub fn content_type(&self) -> &'static str {
        match self {
            TileKind::Vector | TileKind::Contours { .. } => "application/vnd.mapbox-vector-tile",
            TileKind::Hillshade(_) | TileKind::Raster(_) => "image/png",
        }
    }

    /// Contour lines every `metres` (a whole number of decimetres, as an
    /// address like `/contours/2.5/z/x/y.pbf` gives it); `None` for anything else.
    ///
    /// ```
    /// use tongtin::tiles::TileKind;
    /// assert_eq!(TileKind::contours("2.5"), Some(TileKind::Contours { interval_dm: 25 }));
    /// assert_eq!(TileKind::contours("10"), Some(TileKind::Contours { interval_dm: 100 }));
    /// assert_eq!(TileKind::contours("0"), None);
    /// assert_eq!(TileKind::contours("0.25"), None);
    /// assert_eq!(TileKind::contours("ten"), None);
    /// ```
    pub fn contours(metres: &str) -> Option<TileKind> {
        let m: f64 = metres.parse().ok()?;
        let dm = (m * 10.0).round();
        ((m * 10.0 - dm).abs() < 1e-6 && dm >= 1.0 && dm <= f64::from(u32::MAX))
            .then_some(TileKind::Contours { interval_dm: dm as u32 })
    }
}

/// How the relief is drawn, in whole units so that it can key a cache: the
/// sun's azimuth and altitude in degrees, the vertical exaggeration in
/// tenths, and whether elevations are tinted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Relief {
    pub azimuth: u16,
    pub altitude: u8,
    pub exaggeration_tenths: u16,
    pub tint: bool,
}

impl Default for Relief {
    fn default() -> Self {
        Relief {
            azimuth: 315,
            altitude: 45,
            exaggeration_tenths: 10,
            tint: false,
        }
    }
}

impl Relief {
    /// From the parts of an address `/relief/{azimuth}/{altitude}/{exaggeration}/{tint}/z/x/y.png`:
    /// azimuth 0–360, altitude 1–90, exaggeration 0.1–100 (one decimal), tint `0` or `1`.
    ///
    /// ```
    /// use tongtin::tiles::Relief;
    /// let r = Relief::parse("90", "30", "2.5", "1").unwrap();
    /// assert_eq!((r.azimuth, r.altitude, r.exaggeration_tenths, r.tint), (90, 30, 25, true));
    /// assert!(Relief::parse("400", "30", "1", "0").is_none());
    /// assert!(Relief::parse("90", "0", "1", "0").is_none());
    /// assert!(Relief::parse("90", "30", "0", "2").is_none());
    /// ```
    pub fn parse(azimuth: &str, altitude: &str, exaggeration: &str, tint: &str) -> Option<Relief> {
        let azimuth: u16 = azimuth.parse().ok().filter(|a| *a <= 360)?;
        let altitude: u8 = altitude.parse().ok().filter(|a| (1..=90).contains(a))?;
        let tenths = (exaggeration.parse::<f64>().ok()? * 10.0).round();
        let tint = match tint {
            "0" => false,
            "1" => true,
            _ => return None,
        };
        (1.0..=1000.0).contains(&tenths).then_some(Relief {
            azimuth,
            altitude,
            exaggeration_tenths: tenths as u16,
            tint,
        })
    }

    pub fn light(&self) -> Light {
        Light {
            azimuth: f64::from(self.azimuth),
            altitude: f64::from(self.altitude),
            z_factor: f64::from(self.exaggeration_tenths) / 10.0,
            ..Light::default()
        }
    }
}

/// Serves the tiles of one GeoPackage.
pub struct TileService {
    path: PathBuf,
    jobs: Option<Sender<Job>>,
    workers: Vec<JoinHandle<()>>,
    cache_bytes: usize,
    extent: Option<Envelope>,
    /// One cache per kind: edits invalidate the vector tiles only.
    caches: Mutex<HashMap<TileKind, TileCache>>,
}

impl TileService {
    /// Starts `workers` threads for the file. The file is opened once here so
    /// that a bad file fails now, not on the first tile.
    pub fn start(path: &Path, workers: usize, cache_bytes: usize) -> Result<Self, TileError> {
        let extent = VectorTiler::open(path, None)?.mercator_extent()?;
        let (tx, rx) = mpsc::channel::<Job>();
        let rx = Arc::new(Mutex::new(rx));
        let handles = (0..workers.max(1))
            .map(|_| {
                let rx = Arc::clone(&rx);
                let path = path.to_path_buf();
                std::thread::spawn(move || work(&path, &rx))
            })
            .collect();
        Ok(TileService {
            path: path.to_path_buf(),
            jobs: Some(tx),
            workers: handles,
            cache_bytes,
            extent,
            caches: Mutex::new(HashMap::new()),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The extent of the feature layers in Web Mercator, `None` when they are empty.
    pub fn extent(&self) -> Option<Envelope> {
        self.extent
    }

    /// A tile's bytes, from the cache when it has them; empty when the tile
    /// has nothing to show.
    pub fn tile(&self, kind: TileKind, id: TileId) -> Result<Arc<Vec<u8>>, TileError> {
        if let Some(hit) = self
            .caches
            .lock()
            .map_err(|_| TileError::Stopped)?
            .get_mut(&kind)
            .and_then(|c| c.get(id))
        {
            return Ok(hit);
        }
        let (reply, answer) = mpsc::sync_channel(1);
        self.jobs
            .as_ref()
            .ok_or(TileError::Stopped)?
            .send((kind.clone(), id, reply))
            .map_err(|_| TileError::Stopped)?;
        let bytes = Arc::new(answer.recv().map_err(|_| TileError::Stopped)??);
        let mut caches = self.caches.lock().map_err(|_| TileError::Stopped)?;
        caches
            .entry(kind)
            .or_insert_with(|| TileCache::new(self.cache_bytes))
            .put(id, Arc::clone(&bytes));
        Ok(bytes)
    }

    /// Forgets the cached vector tiles that an edit inside `area` (in the
    /// CRS `srs_id`) may have changed; returns how many.
    pub fn invalidate(&self, area: &Envelope, srs_id: i32) -> Result<usize, TileError> {
        let mercator = Transformer::new(srs_id, 3857)?.transform_envelope(area)?;
        let mut caches = self.caches.lock().map_err(|_| TileError::Stopped)?;
        Ok(caches.get_mut(&TileKind::Vector).map_or(0, |c| c.invalidate(&mercator)))
    }

    /// How many vector tiles are cached.
    pub fn cached(&self) -> usize {
        self.caches
            .lock()
            .map(|c| c.get(&TileKind::Vector).map_or(0, TileCache::len))
            .unwrap_or(0)
    }
}

impl Drop for TileService {
    fn drop(&mut self) {
        self.jobs.take();
        for w in self.workers.drain(..) {
            let _ = w.join();
        }
    }
}

/// Relief tilers (sun positions, tint) a worker keeps open at once.
const MAX_RELIEFS: usize = 8;

/// One worker: its own tilers, opened once (raster pyramids when first asked for).
fn work(path: &Path, jobs: &Mutex<Receiver<Job>>) {
    let vector = VectorTiler::open(path, None).map_err(|e| e.to_string());
    let mut reliefs: HashMap<Relief, Result<Option<HillshadeTiler>, String>> = HashMap::new();
    let mut rasters: HashMap<String, Result<RasterTiler, String>> = HashMap::new();
    let mut contours: HashMap<u32, Result<Option<ContourTiler>, String>> = HashMap::new();
    loop {
        let job = match jobs.lock() {
            Ok(rx) => rx.recv(),
            Err(_) => return,
        };
        let Ok((kind, id, reply)) = job else { return };
        let source: Result<Option<&dyn TileSource>, String> = match &kind {
            TileKind::Vector => vector
                .as_ref()
                .map(|t| Some(t as &dyn TileSource))
                .map_err(Clone::clone),
            TileKind::Hillshade(r) => {
                // Each sun position a user tries opens a tiler; keep the last few.
                if reliefs.len() >= MAX_RELIEFS && !reliefs.contains_key(r) {
                    reliefs.clear();
                }
                reliefs
                    .entry(*r)
                    .or_insert_with(|| HillshadeTiler::open(path, r.light(), r.tint).map_err(|e| e.to_string()))
                    .as_ref()
                    .map(|t| t.as_ref().map(|t| t as &dyn TileSource))
                    .map_err(Clone::clone)
            }
            TileKind::Raster(table) => rasters
                .entry(table.clone())
                .or_insert_with(|| RasterTiler::open(path, table).map_err(|e| e.to_string()))
                .as_ref()
                .map(|t| Some(t as &dyn TileSource))
                .map_err(Clone::clone),
            TileKind::Contours { interval_dm } => contours
                .entry(*interval_dm)
                .or_insert_with(|| ContourTiler::open(path, f64::from(*interval_dm) / 10.0).map_err(|e| e.to_string()))
                .as_ref()
                .map(|t| t.as_ref().map(|t| t as &dyn TileSource))
                .map_err(Clone::clone),
        };
        let result = match source {
            Ok(Some(s)) => s.tile(id),
            Ok(None) => Ok(Vec::new()),
            Err(e) => Err(TileError::BadRequest(e)),
        };
        let _ = reply.send(result);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::{generate, DemoOptions};
    use crate::progress::Silent;

    #[test]
    fn serves_the_tiler_bytes_and_forgets_edited_areas() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("demo.gpkg");
        generate(&path, &DemoOptions::default(), false, &Silent).unwrap();
        let service = TileService::start(&path, 2, 64 << 20).unwrap();
        let direct = VectorTiler::open(&path, None).unwrap();
        let extent = direct.mercator_extent().unwrap().unwrap();
        let tiles: Vec<TileId> = TileId::covering(&extent, 13).collect();
        for &id in &tiles {
            assert_eq!(
                *service.tile(TileKind::Vector, id).unwrap(),
                direct.tile(id).unwrap(),
                "tile {id}"
            );
        }
        assert_eq!(service.cached(), tiles.len());
        let g = crate::gpkg::GeoPackage::open(&path).unwrap();
        let pole = g.layer("poles").unwrap();
        let e = pole.extent.unwrap();
        let spot = Envelope::new(e.min_x, e.min_y, e.min_x + 10.0, e.min_y + 10.0);
        let dropped = service.invalidate(&spot, 32648).unwrap();
        assert!(dropped >= 1 && dropped < tiles.len(), "{dropped} of {}", tiles.len());
        assert_eq!(service.cached(), tiles.len() - dropped);
        let relief = service
            .tile(TileKind::Hillshade(Relief::default()), tiles[tiles.len() / 2])
            .unwrap();
        assert_eq!(&relief[1..4], b"PNG", "the demo's terrain gives shaded relief");
        let tinted = Relief {
            tint: true,
            azimuth: 90,
            ..Relief::default()
        };
        let colour = service
            .tile(TileKind::Hillshade(tinted), tiles[tiles.len() / 2])
            .unwrap();
        let mut reader = png::Decoder::new(std::io::Cursor::new(colour.as_slice()))
            .read_info()
            .unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let frame = reader.next_frame(&mut buf).unwrap();
        assert_eq!(frame.color_type, png::ColorType::Rgba);
        assert!(
            buf.chunks(4).any(|p| p[3] == 255 && (p[0] != p[1] || p[1] != p[2])),
            "tinted relief has colour"
        );
        assert_ne!(colour, relief, "another sun, another tile");
        let kind = TileKind::contours("10").unwrap();
        let lines = service.tile(kind.clone(), tiles[tiles.len() / 2]).unwrap();
        let direct = crate::tiles::ContourTiler::open(&path, 10.0).unwrap().unwrap();
        assert_eq!(*lines, direct.tile(tiles[tiles.len() / 2]).unwrap());
        assert!(!lines.is_empty(), "the demo's terrain has contours");
        assert_eq!(kind.content_type(), "application/vnd.mapbox-vector-tile");
        assert!(matches!(
            service.tile(TileKind::Contours { interval_dm: 0 }, tiles[0]),
            Err(TileError::BadRequest(_))
        ));
    }
}
