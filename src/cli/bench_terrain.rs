//! `bench --parts terrain`: contour lines of the whole demo DEM side by side
//! with `gdal_contour` on the same cells, and single terrain tile requests
//! (shaded relief, contours) through the app's tile service.

use std::collections::HashSet;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use tongtin::crs::Transformer;
use tongtin::geom::{Envelope, Shape};
use tongtin::gpkg::{GeoPackage, Grid, LayerKind};
use tongtin::terrain::{contours, Contour};
use tongtin::tiles::{TileId, TileKind, TileService};

use super::bench::{fail, stats};
use super::exit::{self, Failure};

/// The contour interval of the comparison, in metres.
const INTERVAL: f64 = 10.0;
/// Timed runs of each side; the median is reported.
const RUNS: usize = 5;
const TILES: usize = 200;
const TILE_ZOOMS: (u8, u8) = (12, 16);

/// The GDAL side in one process (no start-up, no output file): the GeoTIFF
/// read and contoured into a Memory layer, timed from the open.
const GDAL_IN_PROCESS: &str = r#"
import json, sys, time
from osgeo import gdal, ogr
gdal.UseExceptions()
tif, interval, runs = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
times = []
for _ in range(runs):
    t = time.perf_counter()
    ds = gdal.Open(tif)
    band = ds.GetRasterBand(1)
    mem = ogr.GetDriverByName('Memory').CreateDataSource('')
    lyr = mem.CreateLayer('contour', geom_type=ogr.wkbLineString)
    lyr.CreateField(ogr.FieldDefn('id', ogr.OFTInteger))
    lyr.CreateField(ogr.FieldDefn('elev', ogr.OFTReal))
    nodata = band.GetNoDataValue()
    gdal.ContourGenerate(band, interval, 0, [], int(nodata is not None), nodata or 0, lyr, 0, 1)
    times.append((time.perf_counter() - t) * 1000)
    lines = lyr.GetFeatureCount()
print(json.dumps({"ms": times, "lines": lines}))
"#;

pub fn run(data: &Path) -> Result<(), Failure> {
    let g = GeoPackage::open(data).map_err(|e| exit::reading(data, e))?;
    let layers = g.layers().map_err(|e| exit::reading(data, e))?;
    let Some(terrain) = layers.into_iter().find(|l| l.kind == LayerKind::Coverage) else {
        return Err(fail(format!("{} has no elevation coverage", data.display())));
    };
    let extent = terrain
        .extent
        .ok_or_else(|| fail(format!("the coverage '{}' has no extent", terrain.name)))?;
    let grid = read_grid(data, &g, &terrain.name, &extent)?;
    drop(g);

    // The finest level as GDAL reads it, exported once (not timed).
    let tif = data.with_file_name("terrain.tif");
    let source = format!("GPKG:{}:{}", path_str(data)?, terrain.name);
    command("gdal_translate", &["-q", &source, path_str(&tif)?])?;
    let out = data.with_file_name("terrain_contours.gpkg");
    let mut gdal_ms = Vec::new();
    for _ in 0..RUNS {
        let _ = std::fs::remove_file(&out);
        let t = Instant::now();
        command(
            "gdal_contour",
            &[
                "-q",
                "-f",
                "GPKG",
                "-a",
                "elev",
                "-i",
                &INTERVAL.to_string(),
                path_str(&tif)?,
                path_str(&out)?,
            ],
        )?;
        gdal_ms.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let (gdal_lines, gdal_vertices) = written_lines(&out)?;
    let in_process = gdal_in_process(&tif)?;

    let mut read_ms = Vec::new();
    let mut contour_ms = Vec::new();
    let mut ours: Vec<Contour> = Vec::new();
    for _ in 0..RUNS {
        let t = Instant::now();
        let g = GeoPackage::open(data).map_err(|e| exit::reading(data, e))?;
        let grid = read_grid(data, &g, &terrain.name, &extent)?;
        let lines = contours(&grid, INTERVAL, 0.0).map_err(fail)?;
        read_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        drop(lines);
        let t = Instant::now();
        ours = contours(&grid, INTERVAL, 0.0).map_err(fail)?;
        contour_ms.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let vertices: usize = ours.iter().map(|c| c.line.len()).sum();
    let (gdal, whole, alone) = (median(&gdal_ms), median(&read_ms), median(&contour_ms));
    say!(
        "| contours of the whole DEM, {INTERVAL} m | {} × {} cells of {} m ({:.1} M), median of {RUNS} runs; GDAL: `gdal_contour -i {INTERVAL}` on the GeoTIFF `gdal_translate` exports (process, GPKG output), and `gdal.ContourGenerate` in Python to a Memory layer | gdal_contour {gdal:.0} ms, in process {:.0} ms: {gdal_lines} lines, {gdal_vertices} vertices | **Tongtin {alone:.0} ms** contouring ({:.1}× faster than gdal_contour, {:.1}× than in process), {whole:.0} ms with opening the file and reading the coverage: {} lines, {vertices} vertices |",
        grid.width,
        grid.height,
        grid.cell_x,
        (grid.width * grid.height) as f64 / 1e6,
        in_process.0,
        gdal / alone,
        in_process.0 / alone,
        ours.len(),
    );
    if gdal_lines != ours.len() || in_process.1 != ours.len() {
        return Err(fail(format!(
            "gdal_contour drew {gdal_lines} lines ({} in process), Tongtin {}",
            in_process.1,
            ours.len()
        )));
    }

    let epsg = terrain
        .srs
        .as_ref()
        .map(|s| s.code.map_or(s.srs_id, |c| c as i32))
        .ok_or_else(|| fail(format!("the coverage '{}' has no CRS", terrain.name)))?;
    let to_web = Transformer::new(epsg, 3857).map_err(fail)?;
    let area = to_web.transform_envelope(&extent).map_err(fail)?;
    let service = TileService::start(data, 1, 64 << 20).map_err(fail)?;
    for (kind, what, target) in [
        (
            TileKind::Hillshade(tongtin::tiles::Relief::default()),
            "shaded relief (PNG)",
            " (target: under 20 ms)",
        ),
        (
            TileKind::Hillshade(tongtin::tiles::Relief {
                azimuth: 90,
                altitude: 30,
                exaggeration_tenths: 30,
                tint: true,
            }),
            "tinted relief, sun east at 30°, ×3 (RGBA PNG)",
            " (target: under 20 ms)",
        ),
        (
            TileKind::Contours { interval_dm: 100 },
            "contour lines every 10 m (MVT)",
            "",
        ),
    ] {
        let mut times = Vec::with_capacity(TILES);
        let mut with_data = 0;
        for id in random_tiles(&area) {
            let t = Instant::now();
            let bytes = service.tile(kind.clone(), id).map_err(fail)?;
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            with_data += usize::from(!bytes.is_empty());
        }
        say!(
            "| single terrain tile request | {what}: {TILES} random tiles z{}–{} over the DEM ({with_data} with data), through the tile service, cold cache{target} | — | Tongtin {} |",
            TILE_ZOOMS.0,
            TILE_ZOOMS.1,
            stats(times)
        );
    }
    Ok(())
}

/// The coverage's finest level over `extent`.
fn read_grid(data: &Path, g: &GeoPackage, table: &str, extent: &Envelope) -> Result<Grid, Failure> {
    let coverage = g.coverage(table).map_err(|e| exit::reading(data, e))?;
    let finest = *coverage
        .levels
        .last()
        .ok_or_else(|| fail(format!("the coverage '{table}' has no tile matrix")))?;
    coverage.read(g, &finest, extent, 0).map_err(|e| exit::reading(data, e))
}

/// `TILES` distinct tiles of zooms `TILE_ZOOMS` around random points of `area`.
fn random_tiles(area: &Envelope) -> Vec<TileId> {
    let mut seed = 0x07E4_4A1A_u64;
    let mut next = || {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (seed >> 11) as f64 / (1u64 << 53) as f64
    };
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(TILES);
    while out.len() < TILES {
        let (x, y) = (area.min_x + next() * area.width(), area.min_y + next() * area.height());
        let z = TILE_ZOOMS.0 + (next() * f64::from(TILE_ZOOMS.1 - TILE_ZOOMS.0 + 1)) as u8;
        if let Some(id) = TileId::covering(&Envelope::from_xy(x, y), z.min(TILE_ZOOMS.1)).next() {
            if seen.insert(id) {
                out.push(id);
            }
        }
    }
    out
}

/// Lines and vertices of gdal_contour's output, read with Tongtin's reader.
fn written_lines(path: &Path) -> Result<(usize, usize), Failure> {
    let g = GeoPackage::open(path).map_err(|e| exit::reading(path, e))?;
    let layer = g.layer("contour").map_err(|e| exit::reading(path, e))?;
    let set = g.read_features(&layer, None).map_err(|e| exit::reading(path, e))?;
    let vertices = set
        .features
        .iter()
        .map(|f| match f.geometry.as_ref().map(|g| &g.shape) {
            Some(Shape::LineString(cs)) => cs.len(),
            _ => 0,
        })
        .sum();
    Ok((set.features.len(), vertices))
}

/// Median milliseconds and lines of GDAL contouring in one Python process.
fn gdal_in_process(tif: &Path) -> Result<(f64, usize), Failure> {
    let out = Command::new("/usr/bin/python3")
        .args([
            "-c",
            GDAL_IN_PROCESS,
            path_str(tif)?,
            &INTERVAL.to_string(),
            &RUNS.to_string(),
        ])
        .output()
        .map_err(|e| fail(format!("python3 with GDAL could not be started ({e})")))?;
    if !out.status.success() {
        return Err(fail(format!(
            "the GDAL side failed: {}",
            String::from_utf8_lossy(&out.stderr)
        )));
    }
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).map_err(fail)?;
    let ms: Vec<f64> = doc["ms"]
        .as_array()
        .map(|a| a.iter().filter_map(serde_json::Value::as_f64).collect())
        .unwrap_or_default();
    let lines = doc["lines"].as_u64().unwrap_or(0) as usize;
    if ms.is_empty() {
        return Err(fail("the GDAL side reported no times"));
    }
    Ok((median(&ms), lines))
}

fn median(v: &[f64]) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    s[s.len() / 2]
}

fn command(program: &str, args: &[&str]) -> Result<(), Failure> {
    let out = Command::new(program).args(args).output().map_err(|e| {
        fail(format!(
            "{program} could not be started ({e}); run scripts/install-deps.sh"
        ))
    })?;
    if out.status.success() {
        Ok(())
    } else {
        Err(fail(format!(
            "{program} failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )))
    }
}

fn path_str(p: &Path) -> Result<&str, Failure> {
    p.to_str().ok_or_else(|| fail(format!("{} is not UTF-8", p.display())))
}
