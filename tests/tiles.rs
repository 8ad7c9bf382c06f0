//! The vector tiles the app serves, read back with GDAL's MVT driver:
//! features land in the right tiles at the coordinates GDAL's own
//! reprojection gives, clipping keeps polygons valid, thinning never empties
//! a tile, and at full detail every feature is there.

mod common;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::{demo, run, scratch, stderr, stdout, tongtin};

/// One feature as GDAL reads it from a tile.
#[derive(Debug, serde::Deserialize)]
struct TileFeature {
    z: u8,
    x: u32,
    y: u32,
    layer: String,
    id: i64,
    kind: String,
    /// First vertex in EPSG:3857.
    first: (f64, f64),
    point_count: Option<i64>,
    valid: bool,
}

const READ_TILES: &str = r#"
import json, os, sys
from osgeo import ogr
ogr.UseExceptions()
out = []
root = sys.argv[1]
for z in os.listdir(root):
    for x in os.listdir(os.path.join(root, z)):
        for name in os.listdir(os.path.join(root, z, x)):
            ds = ogr.Open(os.path.join(root, z, x, name))
            for i in range(ds.GetLayerCount()):
                lyr = ds.GetLayer(i)
                for f in lyr:
                    g = f.GetGeometryRef()
                    first = g
                    while first.GetGeometryCount() > 0:
                        first = first.GetGeometryRef(0)
                    fields = f.items()
                    out.append({"z": int(z), "x": int(x), "y": int(name.split('.')[0]), "layer": lyr.GetName(),
                                "id": fields["mvt_id"], "kind": g.GetGeometryName(), "first": [first.GetX(0), first.GetY(0)],
                                "point_count": fields.get("point_count"), "valid": g.IsValid()})
print(json.dumps(out))
"#;

fn demo_tiles() -> &'static (PathBuf, Vec<TileFeature>) {
    static TILES: OnceLock<(PathBuf, Vec<TileFeature>)> = OnceLock::new();
    TILES.get_or_init(|| {
        let dir = scratch().join("demo_tiles");
        let out = tongtin(&[
            "tiles",
            demo().to_str().unwrap(),
            "--zoom",
            "10-16",
            "--out",
            dir.to_str().unwrap(),
        ]);
        assert!(out.status.success(), "{}", stderr(&out));
        let read = run("/usr/bin/python3", &["-c", READ_TILES, dir.to_str().unwrap()]);
        assert!(read.status.success(), "{}", stderr(&read));
        (dir, serde_json::from_str(&stdout(&read)).unwrap())
    })
}

/// Pole positions in UTM and, through gdaltransform, in Web Mercator.
fn poles_in_mercator(path: &Path) -> HashMap<i64, (f64, f64)> {
    let g = tongtin::gpkg::GeoPackage::open(path).unwrap();
    let set = g.read_features(&g.layer("poles").unwrap(), None).unwrap();
    let mut input = String::new();
    let mut fids = Vec::new();
    for f in &set.features {
        if let Some(tongtin::geom::Shape::Point(c)) = f.geometry.as_ref().map(|g| &g.shape) {
            input.push_str(&format!("{} {}\n", c.x, c.y));
            fids.push(f.fid);
        }
    }
    let mut child = std::process::Command::new("gdaltransform")
        .args(["-s_srs", "EPSG:32648", "-t_srs", "EPSG:3857", "-output_xy"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("gdaltransform (GDAL) is installed");
    std::io::Write::write_all(child.stdin.as_mut().unwrap(), input.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    let coords: Vec<(f64, f64)> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let v: Vec<f64> = l.split_whitespace().map(|s| s.parse().unwrap()).collect();
            (v[0], v[1])
        })
        .collect();
    fids.into_iter().zip(coords).collect()
}

#[test]
fn every_pole_is_in_its_z16_tile_where_gdal_puts_it() {
    let (_, features) = demo_tiles();
    let expected = poles_in_mercator(&demo());
    let unit = tongtin::tiles::tile_size(16) / 4096.0;
    let mut seen = HashSet::new();
    for f in features.iter().filter(|f| f.z == 16 && f.layer == "poles") {
        let (x, y) = expected[&f.id];
        let home = tongtin::tiles::TileId::covering(&tongtin::geom::Envelope::from_xy(x, y), 16)
            .next()
            .unwrap();
        if (home.x, home.y) == (f.x, f.y) {
            seen.insert(f.id);
        }
        assert!(
            (f.first.0 - x).abs() <= unit / 2.0 + 1e-6 && (f.first.1 - y).abs() <= unit / 2.0 + 1e-6,
            "pole {} at {:?}, GDAL says ({x}, {y})",
            f.id,
            f.first
        );
        assert_eq!(f.kind, "POINT");
        assert_eq!(f.point_count, None, "no thinning at full detail");
    }
    assert_eq!(
        seen.len(),
        expected.len(),
        "every pole appears in the tile that holds it"
    );
}

#[test]
fn thinned_low_zoom_tiles_still_count_every_pole() {
    let (_, features) = demo_tiles();
    let total = poles_in_mercator(&demo()).len() as i64;
    let mut thinned_somewhere = false;
    for z in 10..=12u8 {
        let mut per_tile: HashMap<(u32, u32), (usize, i64)> = HashMap::new();
        for f in features.iter().filter(|f| f.z == z && f.layer == "poles") {
            let e = per_tile.entry((f.x, f.y)).or_default();
            e.0 += 1;
            e.1 += f.point_count.unwrap_or(1);
            thinned_somewhere |= f.point_count.is_some_and(|c| c > 1);
        }
        assert!(!per_tile.is_empty(), "zoom {z} shows no poles");
        let counted: i64 = per_tile.values().map(|v| v.1).sum();
        assert!(
            counted >= total,
            "zoom {z}: the tiles stand for {counted} of {total} poles"
        );
    }
    assert!(thinned_somewhere, "the demo's 3,000 poles should be thinned at zoom 10");
}

#[test]
fn clipped_polygons_and_lines_stay_valid() {
    let (_, features) = demo_tiles();
    let polygons: Vec<&TileFeature> = features.iter().filter(|f| f.layer == "boundary").collect();
    assert!(polygons.len() > 4, "the boundary spans several tiles");
    for f in polygons.iter().chain(
        features
            .iter()
            .filter(|f| f.layer == "roads")
            .collect::<Vec<_>>()
            .iter(),
    ) {
        assert!(
            f.valid,
            "{} {} in tile {}/{}/{} is not valid after clipping",
            f.layer, f.id, f.z, f.x, f.y
        );
    }
}

#[test]
fn tiles_stay_small() {
    let (dir, _) = demo_tiles();
    let mut largest = 0;
    for entry in walk(dir) {
        largest = largest.max(std::fs::metadata(entry).unwrap().len());
    }
    assert!(largest < 500 * 1024, "largest tile {largest} bytes");
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn mbtiles_export_is_read_by_gdal() {
    let path = scratch().join("demo.mbtiles");
    let out = tongtin(&[
        "tiles",
        demo().to_str().unwrap(),
        "--layers",
        "roads,poles",
        "--zoom",
        "14-15",
        "--out",
        path.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let info = stdout(&run(
        "ogrinfo",
        &[
            "-ro",
            "-q",
            path.to_str().unwrap(),
            "roads",
            "-where",
            "road_code = 'นภ.ถ 1-0001'",
        ],
    ));
    assert!(
        info.contains("road_code (String) = นภ.ถ 1-0001") && info.contains("LINESTRING"),
        "{info}"
    );
    let again = tongtin(&[
        "tiles",
        demo().to_str().unwrap(),
        "--zoom",
        "14-15",
        "--out",
        path.to_str().unwrap(),
    ]);
    assert_eq!(again.status.code(), Some(4), "an existing package is not overwritten");
    let bad = tongtin(&[
        "tiles",
        demo().to_str().unwrap(),
        "--layers",
        "lamps",
        "--zoom",
        "14-15",
        "--out",
        scratch().join("x").to_str().unwrap(),
    ]);
    assert_eq!(
        bad.status.code(),
        Some(2),
        "lamps is not a feature layer: {}",
        stderr(&bad)
    );
}

#[test]
fn dense_low_zoom_tiles_count_every_pole_from_the_index() {
    let data = scratch().join("scale20.gpkg");
    let out = tongtin(&["demo", data.to_str().unwrap(), "--scale", "20"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let total: i64 = rusqlite::Connection::open_with_flags(&data, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .unwrap()
        .query_row("SELECT COUNT(*) FROM poles", [], |r| r.get(0))
        .unwrap();
    assert!(
        total > tongtin::tiles::DENSE_POINTS,
        "the data set must be dense enough to take the R-tree path"
    );
    let dir = scratch().join("dense_tiles");
    let out = tongtin(&[
        "tiles",
        data.to_str().unwrap(),
        "--layers",
        "poles",
        "--zoom",
        "6-7",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let read = run("/usr/bin/python3", &["-c", READ_TILES, dir.to_str().unwrap()]);
    let features: Vec<TileFeature> = serde_json::from_str(&stdout(&read)).unwrap();
    for z in 6..=7u8 {
        let counted: i64 = features
            .iter()
            .filter(|f| f.z == z)
            .map(|f| f.point_count.unwrap_or(1))
            .sum();
        assert!(counted >= total, "zoom {z}: {counted} of {total} poles counted");
        assert!(features.iter().filter(|f| f.z == z).all(|f| f.kind == "POINT"));
    }
    assert!(walk(&dir)
        .iter()
        .all(|p| std::fs::metadata(p).unwrap().len() < 500 * 1024));
}
