//! `terrain::import` against GDAL. DEMs are made at test time by GDAL from
//! the demo's terrain (`gdal_translate GPKG:demo.gpkg:terrain`) in several
//! encodings and CRSs, imported into copies of the demo, and the resulting
//! coverage is read back by `gdallocationinfo` at 50 random points and
//! compared with `gdallocationinfo` on the DEM itself.
//!
//! Tolerances, from what the import does to the cells:
//! - Same CRS: the coverage keeps the DEM's own lattice, so each cell is the
//!   DEM's cell, only re-quantised to 16 bits per tile: off by at most half
//!   a tile's step (the demo's largest step is 2.4 mm). Allowed: 1 cm
//!   (measured: 0 from Float32, whose tiles fall as the demo's, 0.7 mm from Int16).
//! - From EPSG:4326: points are taken at coverage cell centres, where the
//!   coverage holds the bilinear value of the 4326 DEM; `gdallocationinfo`
//!   gives the value of the 4326 cell holding the point, whose centre is up
//!   to half a cell diagonal away (~7.5 m). The demo's steepest slope is
//!   12.5 % (`gdaldem slope`), so up to 0.94 m (measured: 0.18 m). Allowed:
//!   1 m. The resampling itself is checked against `gdalwarp -r bilinear
//!   -et 0` (GDAL's exact transformer) onto the same grid, where only the
//!   16-bit quantisation separates the two: allowed 1 cm (measured: 0.7 mm;
//!   GDAL's default approximate transformer, up to 1/8 cell off, gave 3.7 cm).

mod common;

use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};
use std::time::Instant;

use common::{assert_gdal_valid, copy_of, demo, run, scratch, stderr, stdout};
use tongtin::geom::Envelope;
use tongtin::gpkg::GeoPackage;
use tongtin::progress::{Progress, Silent};
use tongtin::terrain::{import, prepare, DataType, DemProblem, ImportReport, TerrainError};

/// Runs a GDAL program; panics with its message when it fails.
fn gdal(program: &str, args: &[&str]) {
    let out = run(program, args);
    assert!(out.status.success(), "{program} {args:?} failed: {}", stderr(&out));
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The demo's terrain as GDAL exports it: a Float32 GeoTIFF in EPSG:32648
/// with 10 m cells and GDAL_NODATA -3.4028234663852886e+38.
fn source_dem() -> PathBuf {
    static DEM: OnceLock<PathBuf> = OnceLock::new();
    DEM.get_or_init(|| {
        let dem = scratch().join("dem.tif");
        let input = format!("GPKG:{}:terrain", s(&demo()));
        gdal("gdal_translate", &["-q", &input, s(&dem)]);
        dem
    })
    .clone()
}

/// A variant of the source DEM made with `gdal_translate` and `options`.
fn translated(name: &str, options: &[&str]) -> PathBuf {
    let (src, out) = (source_dem(), scratch().join(name));
    let mut args = vec!["-q"];
    args.extend_from_slice(options);
    args.extend([s(&src), s(&out)]);
    gdal("gdal_translate", &args);
    out
}

/// Every step an operation reported: its name, its total and the units advanced.
#[derive(Default)]
struct Steps(Mutex<Vec<(String, u64, u64)>>);

impl Progress for Steps {
    fn step(&self, name: &str, total: u64) {
        self.0.lock().unwrap().push((name.to_string(), total, 0));
    }
    fn advance(&self, n: u64) {
        if let Some(last) = self.0.lock().unwrap().last_mut() {
            last.2 += n;
        }
    }
}

/// Imports `dem` into a fresh copy of the demo named `name`; every step of
/// the progress it shows is completed.
fn imported(dem: &Path, name: &str) -> (PathBuf, ImportReport) {
    let gpkg = copy_of(&demo(), name);
    let mut g = GeoPackage::open_writable(&gpkg).unwrap();
    let started = Instant::now();
    let steps = Steps::default();
    let report = import(dem, &mut g, &steps).unwrap_or_else(|e| panic!("importing {}: {e}", dem.display()));
    eprintln!(
        "{name}: imported in {:.2} s: {report:?}",
        started.elapsed().as_secs_f64()
    );
    drop(g);
    let steps = steps.0.into_inner().unwrap();
    let names: Vec<&str> = steps.iter().map(|s| s.0.as_str()).collect();
    assert_eq!(names, ["reading the DEM", "resampling", "terrain"]);
    assert!(
        steps.iter().all(|(_, total, done)| total == done && *total > 0),
        "{steps:?}"
    );
    (gpkg, report)
}

/// The municipality's boundary extent (EPSG:32648).
fn boundary() -> Envelope {
    GeoPackage::open(demo())
        .unwrap()
        .layer("boundary")
        .unwrap()
        .extent
        .unwrap()
}

/// The cells of the demo's terrain: the boundary plus 500 m, on a 10 m lattice.
fn demo_terrain_extent() -> Envelope {
    GeoPackage::open(demo())
        .unwrap()
        .layer("terrain")
        .unwrap()
        .extent
        .unwrap()
}

/// `n` pseudo-random points inside `area` (a fixed sequence).
fn random_points(area: &Envelope, n: usize) -> Vec<(f64, f64)> {
    let mut state: u64 = 0x5EED_7E55;
    let mut next = || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    (0..n)
        .map(|_| (area.min_x + next() * area.width(), area.min_y + next() * area.height()))
        .collect()
}

/// The points moved to the centre of the coverage cell that holds them.
fn at_cell_centres(points: &[(f64, f64)], report: &ImportReport) -> Vec<(f64, f64)> {
    let (e, c) = (report.extent, report.cell_size);
    points
        .iter()
        .map(|&(x, y)| {
            (
                e.min_x + (((x - e.min_x) / c).floor() + 0.5) * c,
                e.max_y - (((e.max_y - y) / c).floor() + 0.5) * c,
            )
        })
        .collect()
}

/// `gdallocationinfo -valonly -geoloc` at `points` (given in EPSG:32648),
/// `None` off the raster and for no data (GDAL prints the no-data value).
fn locations(dataset: &str, points: &[(f64, f64)], nodata: f64) -> Vec<Option<f64>> {
    let input: String = points.iter().map(|(x, y)| format!("{x} {y}\n")).collect();
    let mut child = std::process::Command::new("gdallocationinfo")
        .args(["-valonly", "-geoloc", "-l_srs", "EPSG:32648", dataset])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("gdallocationinfo runs (scripts/install-deps.sh installs GDAL)");
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), input.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "gdallocationinfo {dataset}: {}", stderr(&out));
    let values: Vec<Option<f64>> = stdout(&out)
        .lines()
        .map(|l| l.trim().parse::<f64>().ok().filter(|&v| v != nodata && v.abs() < 1e30))
        .collect();
    assert_eq!(
        values.len(),
        points.len(),
        "gdallocationinfo {dataset}: {}",
        stdout(&out)
    );
    values
}

fn coverage(gpkg: &Path) -> String {
    format!("GPKG:{}:terrain", s(gpkg))
}

/// Compares the imported coverage with the DEM at `points`; returns the
/// largest difference and how many points both have data at.
fn compare(gpkg: &Path, dem: &Path, dem_nodata: f64, points: &[(f64, f64)]) -> (f64, usize) {
    let ours = locations(&coverage(gpkg), points, f64::NAN);
    let theirs = locations(s(dem), points, dem_nodata);
    let mut worst: f64 = 0.0;
    let mut both = 0;
    for ((p, a), b) in points.iter().zip(&ours).zip(&theirs) {
        match (a, b) {
            (Some(a), Some(b)) => {
                worst = worst.max((a - b).abs());
                both += 1;
            }
            (None, None) => {}
            _ => panic!("{p:?}: coverage {a:?}, DEM {b:?}: no data must stay no data, data must stay data"),
        }
    }
    (worst, both)
}

#[test]
fn same_crs_dems_in_every_encoding_match_gdallocationinfo() {
    let points = random_points(&boundary(), 50);
    let nodata_f32 = f64::from(f32::MIN);
    for (name, dem, nodata, data_type) in [
        ("float32", source_dem(), nodata_f32, DataType::Float32),
        (
            "int16",
            translated("int16.tif", &["-ot", "Int16", "-a_nodata", "-32768"]),
            -32768.0,
            DataType::Int16,
        ),
        (
            "lzw_tiled",
            translated(
                "lzw.tif",
                &[
                    "-co",
                    "TILED=YES",
                    "-co",
                    "COMPRESS=LZW",
                    "-co",
                    "PREDICTOR=3",
                    "-a_nodata",
                    "-9999",
                ],
            ),
            -9999.0,
            DataType::Float32,
        ),
        (
            "pixel_is_point",
            translated("point.tif", &["-mo", "AREA_OR_POINT=Point"]),
            nodata_f32,
            DataType::Float32,
        ),
        (
            "deflate_f64",
            translated(
                "f64.tif",
                &["-ot", "Float64", "-co", "COMPRESS=DEFLATE", "-co", "BLOCKYSIZE=100"],
            ),
            nodata_f32,
            DataType::Float64,
        ),
        (
            // 3 km more on every side, no data there: only the tiles over the
            // municipality and its margin are read, and the coverage is cut to them.
            "larger",
            translated(
                "larger.tif",
                &[
                    "-projwin",
                    "180070",
                    "1888460",
                    "207850",
                    "1867430",
                    "-co",
                    "TILED=YES",
                    "-co",
                    "COMPRESS=DEFLATE",
                ],
            ),
            nodata_f32,
            DataType::Float32,
        ),
    ] {
        let (gpkg, report) = imported(&dem, &format!("{name}.gpkg"));
        assert_eq!(
            (report.source_type, report.epsg, report.reprojected),
            (data_type, 32648, false)
        );
        assert_eq!(report.cell_size, 10.0);
        assert_eq!(report.extent, demo_terrain_extent(), "{name}: the DEM's own lattice");
        assert!(report.max_step <= 0.01, "{name}: step {}", report.max_step);
        let (worst, both) = compare(&gpkg, &dem, nodata, &points);
        eprintln!("{name}: largest difference {worst:.4} m over {both} points");
        assert_eq!(both, 50, "{name}: every point inside the boundary has an elevation");
        assert!(worst <= 0.01, "{name}: {worst} m");
        assert_gdal_valid(&gpkg);
    }
}

#[test]
fn a_geographic_dem_is_reprojected_like_gdalwarp() {
    let dem4326 = scratch().join("dem4326.tif");
    gdal(
        "gdalwarp",
        &[
            "-q",
            "-t_srs",
            "EPSG:4326",
            "-r",
            "bilinear",
            s(&source_dem()),
            s(&dem4326),
        ],
    );
    let (gpkg, report) = imported(&dem4326, "geographic.gpkg");
    assert_eq!(
        (report.source_epsg, report.epsg, report.reprojected),
        (4326, 32648, true)
    );
    assert!((9.0..=11.0).contains(&report.cell_size), "{}", report.cell_size);
    let points = at_cell_centres(&random_points(&boundary(), 50), &report);
    let nodata = f64::from(f32::MIN);
    let (worst, both) = compare(&gpkg, &dem4326, nodata, &points);
    eprintln!("EPSG:4326: largest difference {worst:.3} m over {both} points");
    assert_eq!(both, 50);
    assert!(worst <= 1.0, "{worst} m");

    // gdalwarp's own bilinear resampling, with exact transformations, onto the very same grid.
    let e = report.extent;
    let reference = scratch().join("gdalwarp_32648.tif");
    let (te, tr) = (
        [e.min_x, e.min_y, e.max_x, e.max_y].map(|v| v.to_string()),
        report.cell_size.to_string(),
    );
    gdal(
        "gdalwarp",
        &[
            "-q",
            "-t_srs",
            "EPSG:32648",
            "-r",
            "bilinear",
            "-et",
            "0",
            "-te",
            &te[0],
            &te[1],
            &te[2],
            &te[3],
            "-tr",
            &tr,
            &tr,
            s(&dem4326),
            s(&reference),
        ],
    );
    let (worst, both) = compare(&gpkg, &reference, nodata, &points);
    eprintln!("EPSG:4326 against gdalwarp on the same grid: largest difference {worst:.4} m over {both} points");
    assert_eq!(both, 50);
    assert!(worst <= 0.01, "{worst} m");
    assert_gdal_valid(&gpkg);
}

/// The source DEM with a hole the shape of village 1 burnt in as -9999, its no-data value.
fn hole_dem() -> PathBuf {
    static DEM: OnceLock<PathBuf> = OnceLock::new();
    DEM.get_or_init(|| {
        let dem = translated("hole.tif", &["-a_nodata", "-9999"]);
        let (burn, demo) = (["-q", "-burn", "-9999", "-l", "villages"], demo());
        let mut args = burn.to_vec();
        args.extend(["-where", "village_no = 1", s(&demo), s(&dem)]);
        gdal("gdal_rasterize", &args);
        dem
    })
    .clone()
}

/// The bounding box of village 1.
fn village_one() -> Envelope {
    GeoPackage::open(demo())
        .unwrap()
        .connection()
        .query_row(
            "SELECT minx, miny, maxx, maxy FROM rtree_villages_geom r JOIN villages v ON v.fid = r.id WHERE v.village_no = 1",
            [],
            |r| Ok(Envelope::new(r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap()
}

#[test]
fn nodata_stays_nodata() {
    let dem = hole_dem();
    let (gpkg, report) = imported(&dem, "hole.gpkg");
    assert!(report.nodata_cells > 1000, "{report:?}");
    let points = random_points(&village_one(), 50);
    let holes = locations(s(&dem), &points, -9999.0)
        .iter()
        .filter(|v| v.is_none())
        .count();
    assert!(holes >= 10, "only {holes} of the points fall in the hole");
    let (worst, both) = compare(&gpkg, &dem, -9999.0, &points);
    assert_eq!(both + holes, 50);
    assert!(worst <= 0.01, "{worst} m");
    assert_gdal_valid(&gpkg);
}

#[test]
fn tongtin_reads_the_float_tiff_coverages_gdal_writes() {
    let gpkg = scratch().join("float_tiff.gpkg");
    let (dem, out) = (hole_dem(), gpkg.to_str().unwrap());
    let options = [
        "-q",
        "-of",
        "GPKG",
        "-co",
        "TILE_FORMAT=TIFF",
        "-co",
        "RASTER_TABLE=terrain",
    ];
    let mut args = options.to_vec();
    args.extend([s(&dem), out]);
    gdal("gdal_translate", &args);
    let g = GeoPackage::open(&gpkg).unwrap();
    let (kind, null): (String, f64) = g
        .connection()
        .query_row(
            "SELECT datatype, data_null FROM gpkg_2d_gridded_coverage_ancillary WHERE tile_matrix_set_name = 'terrain'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((kind.as_str(), null), ("float", -9999.0));
    let cov = g.coverage("terrain").unwrap();
    let finest = *cov.levels.last().unwrap();
    let mut points = random_points(&boundary(), 50);
    points.extend(random_points(&village_one(), 50));
    let gdal = locations(&coverage(&gpkg), &points, -9999.0);
    let mut holes = 0;
    for (&(x, y), theirs) in points.iter().zip(gdal) {
        let grid = cov
            .read(&g, &finest, &Envelope::new(x - 5.0, y - 5.0, x + 5.0, y + 5.0), 1)
            .unwrap();
        let ours = grid.cell_at(x, y).map(f64::from);
        holes += usize::from(theirs.is_none());
        let agree = match (ours, theirs) {
            (Some(a), Some(b)) => (a - b).abs() < 1e-4,
            (a, b) => a == b,
        };
        assert!(agree, "({x}, {y}): tongtin {ours:?}, GDAL {theirs:?}");
    }
    assert!(holes >= 10, "only {holes} of the points fall in the hole");
}

/// Refuses `dem` for a copy of the demo both ways a caller can import:
/// prepared on a read-only handle the file keeps every byte; imported on a
/// writable handle it keeps every byte but SQLite's change counter (header
/// offsets 24 and 92), which opening for writing moves.
fn refused(dem: &Path, name: &str) -> TerrainError {
    let gpkg = copy_of(&demo(), name);
    let before = std::fs::read(&gpkg).unwrap();
    let err = match prepare(dem, &GeoPackage::open(&gpkg).unwrap(), &Silent) {
        Err(e) => e,
        Ok(p) => panic!("{name}: accepted: {:?}", p.report()),
    };
    assert!(
        std::fs::read(&gpkg).unwrap() == before,
        "{name}: the GeoPackage changed"
    );
    let mut g = GeoPackage::open_writable(&gpkg).unwrap();
    let again = import(dem, &mut g, &Silent).expect_err("a bad DEM is refused");
    drop(g);
    assert_eq!(again.to_string(), err.to_string());
    let content = |mut bytes: Vec<u8>| {
        bytes[24..28].fill(0);
        bytes[92..96].fill(0);
        bytes
    };
    assert!(
        content(std::fs::read(&gpkg).unwrap()) == content(before),
        "{name}: the GeoPackage changed"
    );
    eprintln!("{name}: {err}");
    err
}

fn problems(err: TerrainError) -> Vec<DemProblem> {
    match err {
        TerrainError::Unusable { problems, .. } => problems,
        other => panic!("unexpected error: {other}"),
    }
}

#[test]
fn bad_dems_are_refused_and_nothing_is_written() {
    let no_crs = translated("no_crs.tif", &[]);
    gdal("gdal_edit.py", &["-a_srs", "", s(&no_crs)]);
    assert!(matches!(
        problems(refused(&no_crs, "no_crs.gpkg"))[..],
        [DemProblem::NoCrs(_)]
    ));

    let complex = translated("complex.tif", &["-ot", "CFloat32"]);
    assert_eq!(
        problems(refused(&complex, "complex.gpkg")),
        vec![DemProblem::UnsupportedType("CFloat32".into())]
    );

    let bytes = std::fs::read(source_dem()).unwrap();
    let truncated = scratch().join("truncated.tif");
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    assert!(matches!(
        refused(&truncated, "truncated.gpkg"),
        TerrainError::Corrupt { .. }
    ));
    let garbage = scratch().join("garbage.tif");
    std::fs::write(&garbage, b"GIF89a not a TIFF at all").unwrap();
    assert!(matches!(
        refused(&garbage, "garbage.gpkg"),
        TerrainError::Corrupt { .. }
    ));

    // The same DEM, 1000 km further east.
    let far = translated("far.tif", &["-a_ullr", "1183070", "1885460", "1204850", "1870430"]);
    let err = refused(&far, "far.gpkg");
    assert!(
        matches!(err, TerrainError::OutsideMunicipality { dem_epsg: 32648, epsg: 32648, ref dem, .. } if dem.min_x == 1_183_070.0),
        "{err}"
    );

    let zstd = translated("zstd.tif", &["-co", "COMPRESS=ZSTD"]);
    assert!(matches!(
        problems(refused(&zstd, "zstd.gpkg"))[..],
        [DemProblem::Unsupported(_)]
    ));

    // Every cell scaled to 0, which is no data.
    let empty = translated(
        "empty.tif",
        &["-ot", "Byte", "-scale", "0", "1000", "0", "0", "-a_nodata", "0"],
    );
    assert!(matches!(
        refused(&empty, "empty.gpkg"),
        TerrainError::NoElevations { .. }
    ));

    let blank = scratch().join("blank.gpkg");
    drop(GeoPackage::create(&blank).unwrap());
    assert!(matches!(
        prepare(&source_dem(), &GeoPackage::open(&blank).unwrap(), &Silent),
        Err(TerrainError::NoMunicipalityCrs { .. })
    ));

    let missing = scratch().join("missing.tif");
    assert!(matches!(refused(&missing, "missing.gpkg"), TerrainError::Io { .. }));
}
