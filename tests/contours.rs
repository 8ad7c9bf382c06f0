//! Contour lines against `gdal_contour` on the same DEM: the demo's terrain
//! exported to GeoTIFF by GDAL, contoured by GDAL and by Tongtin from the
//! coverage itself. Same lines level by level, every vertex of each within
//! half a cell of the other's lines; and contour tiles GDAL's MVT driver reads.

mod common;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use common::{demo, run, scratch, stderr, stdout};
use tongtin::geom::{Envelope, Shape};
use tongtin::gpkg::{GeoPackage, Grid, Value};
use tongtin::terrain::{contours, Contour};
use tongtin::tiles::{TileId, TileKind, TileService};

const INTERVAL: f64 = 10.0;

/// The demo's terrain as GDAL sees it, written to GeoTIFF by gdal_translate.
fn dem_tif(demo: &Path) -> PathBuf {
    let tif = scratch().join("dem.tif");
    let source = format!("GPKG:{}:terrain", demo.display());
    let out = run("gdal_translate", &["-q", &source, tif.to_str().unwrap()]);
    assert!(out.status.success(), "gdal_translate: {}", stderr(&out));
    tif
}

/// The coverage's finest level over its data extent, read by Tongtin.
fn coverage_grid(demo: &Path) -> Grid {
    let g = GeoPackage::open(demo).unwrap();
    let coverage = g.coverage("terrain").unwrap();
    let finest = *coverage.levels.last().unwrap();
    let extent = g.layer("terrain").unwrap().extent.unwrap();
    coverage.read(&g, &finest, &extent, 0).unwrap()
}

/// The GeoTIFF's geotransform (from gdalinfo) and cells (from the `tiff` crate).
fn tif_raster(tif: &Path) -> ([f64; 6], usize, usize, Vec<f32>) {
    let info: serde_json::Value =
        serde_json::from_str(&stdout(&run("gdalinfo", &["-json", tif.to_str().unwrap()]))).unwrap();
    let gt: Vec<f64> = info["geoTransform"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    let mut decoder = tiff::decoder::Decoder::new(std::fs::File::open(tif).unwrap()).unwrap();
    let (w, h) = decoder.dimensions().unwrap();
    let tiff::decoder::DecodingResult::F32(values) = decoder.read_image().unwrap() else {
        panic!("gdal_translate wrote Float32 for the coverage");
    };
    (
        [gt[0], gt[1], gt[2], gt[3], gt[4], gt[5]],
        w as usize,
        h as usize,
        values,
    )
}

/// `gdal_contour -a elev -i INTERVAL -off BASE` on a GeoTIFF, read back with Tongtin's reader.
fn gdal_contour(tif: &Path, interval: f64, base: f64) -> Vec<Contour> {
    let out_path = tif.with_extension("contours.gpkg");
    let _ = std::fs::remove_file(&out_path);
    let (interval, base) = (interval.to_string(), base.to_string());
    let args = ["-q", "-f", "GPKG", "-a", "elev", "-i", &interval, "-off", &base];
    let out = run(
        "gdal_contour",
        &[&args[..], &[tif.to_str().unwrap(), out_path.to_str().unwrap()]].concat(),
    );
    assert!(out.status.success(), "gdal_contour: {}", stderr(&out));
    let g = GeoPackage::open(&out_path).unwrap();
    let set = g.read_features(&g.layer("contour").unwrap(), None).unwrap();
    let elev = set.column_index("elev").unwrap();
    set.features
        .iter()
        .map(|f| match (f.geometry.as_ref().map(|g| &g.shape), &f.values[elev]) {
            (Some(Shape::LineString(coords)), Value::Real(level)) => Contour {
                level: *level,
                line: coords.iter().map(|c| (c.x, c.y)).collect(),
            },
            other => panic!("gdal_contour writes line strings with a real elev: {other:?}"),
        })
        .collect()
}

/// A level as a whole number of millimetres (levels of both sides are
/// computed as base + k × interval, but compared without trusting the last bit).
fn key(level: f64) -> i64 {
    (level * 1000.0).round() as i64
}

/// Lines per level: (open, closed).
fn counts(lines: &[Contour]) -> BTreeMap<i64, (usize, usize)> {
    let mut out = BTreeMap::new();
    for c in lines {
        let e: &mut (usize, usize) = out.entry(key(c.level)).or_default();
        if c.line.first() == c.line.last() {
            e.1 += 1;
        } else {
            e.0 += 1;
        }
    }
    out
}

/// The segments of some lines in square buckets of `cell`, by level.
struct Buckets<'a> {
    cell: f64,
    lines: &'a [Contour],
    map: HashMap<(i64, i64, i64), Vec<(usize, usize)>>,
}

impl<'a> Buckets<'a> {
    fn new(lines: &'a [Contour], cell: f64) -> Self {
        let mut map: HashMap<(i64, i64, i64), Vec<(usize, usize)>> = HashMap::new();
        let bucket = |v: f64| (v / cell).floor() as i64;
        for (i, c) in lines.iter().enumerate() {
            for (j, w) in c.line.windows(2).enumerate() {
                for bx in bucket(w[0].0.min(w[1].0))..=bucket(w[0].0.max(w[1].0)) {
                    for by in bucket(w[0].1.min(w[1].1))..=bucket(w[0].1.max(w[1].1)) {
                        map.entry((key(c.level), bx, by)).or_default().push((i, j));
                    }
                }
            }
        }
        Buckets { cell, lines, map }
    }

    /// Distance from p to the nearest segment of the level, looked for one
    /// bucket around (infinite when nothing is that near).
    fn distance(&self, level: f64, p: (f64, f64)) -> f64 {
        let (bx, by) = ((p.0 / self.cell).floor() as i64, (p.1 / self.cell).floor() as i64);
        let mut best = f64::INFINITY;
        for dx in -1..=1 {
            for dy in -1..=1 {
                for &(i, j) in self.map.get(&(key(level), bx + dx, by + dy)).into_iter().flatten() {
                    let line = &self.lines[i].line;
                    best = best.min(to_segment(p, line[j], line[j + 1]));
                }
            }
        }
        best
    }
}

fn to_segment(p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len2 = dx * dx + dy * dy;
    let t = if len2 == 0.0 {
        0.0
    } else {
        (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / len2).clamp(0.0, 1.0)
    };
    ((a.0 + t * dx - p.0).powi(2) + (a.1 + t * dy - p.1).powi(2)).sqrt()
}

/// The largest distance from a vertex of `from` to the lines of `to` of the same level.
fn farthest(from: &[Contour], to: &Buckets<'_>) -> f64 {
    from.iter()
        .flat_map(|c| c.line.iter().map(move |&p| to.distance(c.level, p)))
        .fold(0.0, f64::max)
}

/// Same lines per level (open and closed), and every vertex of each side
/// within half a cell of the other's lines of the same level.
fn assert_agree(what: &str, ours: &[Contour], theirs: &[Contour], cell: f64) {
    assert_eq!(counts(ours), counts(theirs), "{what}: lines per level (open, closed)");
    let ours_to_gdal = farthest(ours, &Buckets::new(theirs, cell)) / cell;
    let gdal_to_ours = farthest(theirs, &Buckets::new(ours, cell)) / cell;
    let vertices = |l: &[Contour]| l.iter().map(|c| c.line.len()).sum::<usize>();
    eprintln!(
        "{what}: {} lines; vertices: Tongtin {}, GDAL {}; farthest vertex from the other's line: \
         {ours_to_gdal:.1e} cells (Tongtin's), {gdal_to_ours:.1e} cells (GDAL's)",
        ours.len(),
        vertices(ours),
        vertices(theirs)
    );
    assert!(
        ours_to_gdal <= 0.5,
        "{what}: a Tongtin vertex {ours_to_gdal} cells from GDAL's line"
    );
    assert!(
        gdal_to_ours <= 0.5,
        "{what}: a GDAL vertex {gdal_to_ours} cells from Tongtin's line"
    );
}

#[test]
fn contours_match_gdal_contour_on_the_demo_dem() {
    let path = demo();
    let tif = dem_tif(&path);
    let grid = coverage_grid(&path);
    // The grid is exactly the raster GDAL sees: same origin, cells and values.
    let (gt, w, h, values) = tif_raster(&tif);
    assert_eq!((grid.width, grid.height), (w, h));
    assert_eq!(
        [grid.origin_x, grid.cell_x, 0.0, grid.origin_y, 0.0, -grid.cell_y],
        gt,
        "geotransform"
    );
    let differing = grid
        .values
        .iter()
        .zip(&values)
        .filter(|(a, b)| !(a.to_bits() == b.to_bits() || (a.is_nan() && **b < -3.0e38)))
        .count();
    assert_eq!(differing, 0, "cells that differ from the GeoTIFF's");
    let ours = contours(&grid, INTERVAL, 0.0).unwrap();
    assert_agree("demo DEM, 10 m", &ours, &gdal_contour(&tif, INTERVAL, 0.0), grid.cell_x);
}

/// A 300 × 200 corner of the demo DEM, its values changed by `edit`, as a
/// grid and as a Float32 GeoTIFF with no-data -9999 (NaN cells).
fn corner(name: &str, edit: impl Fn(usize, usize, f32) -> f32) -> (Grid, PathBuf) {
    let mut grid = coverage_grid(&demo());
    let (w, h) = (300, 200);
    let values = (0..w * h)
        .map(|i| edit(i / w, i % w, grid.values[(i / w) * grid.width + i % w]))
        .collect();
    grid.width = w;
    grid.height = h;
    grid.values = values;
    let tif = scratch().join(format!("{name}.tif"));
    write_tif(&grid, &tif);
    (grid, tif)
}

#[test]
fn no_data_holes_match_gdal_contour() {
    // Holes in blocks, single cells and along a diagonal: lines stop at the
    // holes' cell edges, as GDAL's do. Levels at 1, 3, 5… (an offset).
    let (grid, tif) = corner("holes", |r, c, v| {
        let hole = (r / 20 % 3 == 1 && c / 25 % 4 == 2) || (r * 7 + c * 13) % 97 == 0 || r == c;
        if hole {
            f32::NAN
        } else {
            v
        }
    });
    let ours = contours(&grid, 2.0, 1.0).unwrap();
    assert_agree(
        "no-data holes, 2 m from 1 m",
        &ours,
        &gdal_contour(&tif, 2.0, 1.0),
        grid.cell_x,
    );
}

#[test]
fn values_on_levels_match_gdal_contour() {
    // Whole metres: thousands of cells lie exactly on a level, flat
    // stretches and saddles abound; GDAL's nudge decides which side they are on.
    let (grid, tif) = corner("on_levels", |_, _, v| v.round());
    let on = grid.values.iter().filter(|v| *v % 2.0 == 0.0).count();
    assert!(on > 10_000, "{on} cells on a level");
    let ours = contours(&grid, 2.0, 0.0).unwrap();
    assert_agree(
        "values on levels, 2 m",
        &ours,
        &gdal_contour(&tif, 2.0, 0.0),
        grid.cell_x,
    );
}

/// GDAL's contours of many small grids in one Python process: one JSON line
/// per grid in (width, height, interval, base, values with null for no data),
/// one list of [elev, points] per grid out.
const GDAL_SMALL_GRIDS: &str = r#"
import json, struct, sys
from osgeo import gdal, ogr
gdal.UseExceptions()
out = []
for line in open(sys.argv[1]):
    w, h, interval, base, values = json.loads(line)
    ds = gdal.GetDriverByName('MEM').Create('', w, h, 1, gdal.GDT_Float32)
    ds.SetGeoTransform((0, 1, 0, h, 0, -1))
    band = ds.GetRasterBand(1)
    band.WriteRaster(0, 0, w, h, struct.pack('%df' % (w * h), *[-9999.0 if v is None else v for v in values]))
    band.SetNoDataValue(-9999)
    mem = ogr.GetDriverByName('Memory').CreateDataSource('')
    lyr = mem.CreateLayer('c', geom_type=ogr.wkbLineString)
    lyr.CreateField(ogr.FieldDefn('id', ogr.OFTInteger))
    lyr.CreateField(ogr.FieldDefn('elev', ogr.OFTReal))
    gdal.ContourGenerate(band, interval, base, [], 1, -9999, lyr, 0, 1)
    out.append([[f['elev'], [p[:2] for p in f.GetGeometryRef().GetPoints()]] for f in lyr])
print(json.dumps(out))
"#;

#[test]
fn small_random_grids_match_gdal_line_for_line() {
    // 1×1 to 9×9 grids full of the awkward cases: saddles, plateaus, values
    // exactly on levels, no-data cells, levels off zero.
    let mut seed = 0x00C0_0A7E_u64;
    let mut next = |n: u64| {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (seed >> 33) % n
    };
    let mut grids = Vec::new();
    let mut input = String::new();
    for _ in 0..2000 {
        let (w, h) = (1 + next(9) as usize, 1 + next(9) as usize);
        let kind = next(4);
        let values: Vec<f32> = (0..w * h)
            .map(|_| match (next(10), kind) {
                (0, _) => f32::NAN,
                (_, 0) => next(5) as f32 * 5.0,
                (_, 1) => next(1000) as f32 / 37.0,
                (_, 2) => [0.0, 10.0, 20.0][next(3) as usize],
                _ => next(30) as f32,
            })
            .collect();
        let (interval, base) = [(5.0, 0.0), (10.0, 0.0), (2.5, 1.0), (3.0, -0.5)][next(4) as usize];
        let json: Vec<Option<f32>> = values.iter().map(|v| (!v.is_nan()).then_some(*v)).collect();
        input.push_str(&serde_json::json!([w, h, interval, base, json]).to_string());
        input.push('\n');
        grids.push((
            Grid {
                origin_x: 0.0,
                origin_y: h as f64,
                cell_x: 1.0,
                cell_y: 1.0,
                width: w,
                height: h,
                values,
            },
            interval,
            base,
        ));
    }
    let file = scratch().join("small_grids.jsonl");
    std::fs::write(&file, input).unwrap();
    let out = run("/usr/bin/python3", &["-c", GDAL_SMALL_GRIDS, file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    type Isolines = Vec<Vec<(f64, Vec<(f64, f64)>)>>;
    let gdal: Isolines = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(gdal.len(), grids.len());
    for ((grid, interval, base), theirs) in grids.iter().zip(gdal) {
        let theirs: Vec<Contour> = theirs
            .into_iter()
            .map(|(level, line)| Contour { level, line })
            .collect();
        let ours = contours(grid, *interval, *base).unwrap();
        let what = format!(
            "{}×{} grid {:?} every {interval} from {base}",
            grid.width, grid.height, grid.values
        );
        assert_eq!(counts(&ours), counts(&theirs), "{what}: lines per level (open, closed)");
        assert!(farthest(&ours, &Buckets::new(&theirs, 1.0)) < 1e-4, "{what}");
        assert!(farthest(&theirs, &Buckets::new(&ours, 1.0)) < 1e-4, "{what}");
    }
}

/// Writes `grid` as a Float32 GeoTIFF (no-data -9999) through GDAL's Python bindings.
fn write_tif(grid: &Grid, tif: &Path) {
    let raw = tif.with_extension("f32");
    let bytes: Vec<u8> = grid
        .values
        .iter()
        .flat_map(|v| if v.is_nan() { -9999.0f32 } else { *v }.to_le_bytes())
        .collect();
    std::fs::write(&raw, bytes).unwrap();
    let script = r#"
import sys
from osgeo import gdal
gdal.UseExceptions()
raw, tif, w, h, x0, y0, cell = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]), float(sys.argv[6]), float(sys.argv[7])
ds = gdal.GetDriverByName('GTiff').Create(tif, w, h, 1, gdal.GDT_Float32)
ds.SetGeoTransform((x0, cell, 0, y0, 0, -cell))
band = ds.GetRasterBand(1)
band.SetNoDataValue(-9999)
band.WriteRaster(0, 0, w, h, open(raw, 'rb').read())
ds = None
"#;
    let out = run(
        "/usr/bin/python3",
        &[
            "-c",
            script,
            raw.to_str().unwrap(),
            tif.to_str().unwrap(),
            &grid.width.to_string(),
            &grid.height.to_string(),
            &grid.origin_x.to_string(),
            &grid.origin_y.to_string(),
            &grid.cell_x.to_string(),
        ],
    );
    assert!(out.status.success(), "writing the GeoTIFF: {}", stderr(&out));
}

#[test]
fn contour_tiles_are_read_by_gdal_with_levels_at_the_interval() {
    let path = demo();
    let service = TileService::start(&path, 1, 16 << 20).unwrap();
    let g = GeoPackage::open(&path).unwrap();
    let e = g.layer("terrain").unwrap().extent.unwrap();
    let to_web = tongtin::crs::Transformer::new(32648, 3857).unwrap();
    let centre = to_web
        .convert(0.5 * (e.min_x + e.max_x), 0.5 * (e.min_y + e.max_y))
        .unwrap();
    let dir = scratch().join("contour_tiles");
    std::fs::create_dir_all(&dir).unwrap();
    let kind = TileKind::contours("10").unwrap();
    let mut files = Vec::new();
    for z in [12u8, 14, 16] {
        let id: TileId = TileId::covering(&Envelope::from_xy(centre.0, centre.1), z)
            .next()
            .unwrap();
        let bytes = service.tile(kind.clone(), id).unwrap();
        assert!(!bytes.is_empty(), "{id}: the middle of the demo has contours");
        let file = dir.join(format!("{}_{}_{}.pbf", id.z, id.x, id.y));
        std::fs::write(&file, &*bytes).unwrap();
        files.push((id, file));
    }
    let script = r#"
import json, sys
from osgeo import ogr
ogr.UseExceptions()
out = []
for name in sys.argv[1:]:
    ds = ogr.Open(name)
    lyr = ds.GetLayerByName('contours')
    out.append([[f['elev'], f['index'], f.GetGeometryRef().GetGeometryName()] for f in lyr])
print(json.dumps(out))
"#;
    let mut args = vec!["-c", script];
    args.extend(files.iter().map(|(_, f)| f.to_str().unwrap()));
    let read = run("/usr/bin/python3", &args);
    assert!(read.status.success(), "{}", stderr(&read));
    let tiles: Vec<Vec<(f64, i64, String)>> = serde_json::from_str(&stdout(&read)).unwrap();
    assert_eq!(tiles.len(), files.len());
    for ((id, _), features) in files.iter().zip(&tiles) {
        let step = tongtin::tiles::contour::interval_at(INTERVAL, id.z);
        assert!(!features.is_empty(), "{id}");
        for (elev, index, kind) in features {
            assert_eq!(elev % step, 0.0, "{id}: {elev} is a multiple of {step}");
            assert_eq!(*index, i64::from(elev % (5.0 * INTERVAL) == 0.0), "{id}: {elev}");
            assert!(kind.contains("LINESTRING"), "{kind}");
        }
    }
}
