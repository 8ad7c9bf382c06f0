//! `tongtin bench`: the core's speed side by side with GDAL on the same data
//! in one run. Figures go into docs/PERFORMANCE.md; nothing here passes or
//! fails on time (shared machines are noisy).

use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use tongtin::demo::{generate, DemoOptions};
use tongtin::geom::{Envelope, Geometry, GeometryType};
use tongtin::gpkg::{ColumnDef, GeoPackage, GeometryColumnDef, GpkgError, SqlType, TableDef};
use tongtin::progress::Silent;

use super::exit::{self, Failure};

const POLE_COLUMNS: [&str; 8] = [
    "uid",
    "pole_no",
    "pole_type",
    "height_m",
    "village_no",
    "road_code",
    "owner",
    "status",
];
const QUERY_BOXES: usize = 200;
const BOX_SIDE_M: f64 = 5000.0;

pub fn run(dir: &Path, scale: u32, parts: &[String]) -> Result<u8, Failure> {
    if let Some(unknown) = parts
        .iter()
        .find(|p| !["core", "tiles", "gdal-tiles", "edit", "terrain", "sync"].contains(&p.as_str()))
    {
        return Err(Failure::new(
            exit::USAGE,
            format!("unknown benchmark part '{unknown}' (core, tiles, gdal-tiles, edit, terrain, sync)"),
        ));
    }
    std::fs::create_dir_all(dir).map_err(|e| Failure::new(exit::WRITE_FAILED, format!("{}: {e}", dir.display())))?;
    let data = dir.join(format!("scale{scale}.gpkg"));
    let t = Instant::now();
    let summary = generate(
        &data,
        &DemoOptions {
            scale,
            ..Default::default()
        },
        true,
        &Silent,
    )
    .map_err(|e| Failure::new(exit::WRITE_FAILED, e))?;
    say!(
        "| data set | `tongtin demo --scale {scale}` | {} poles, {} lamps, {} road sections | {:.1} s |",
        summary.poles,
        summary.lamps,
        summary.road_sections,
        t.elapsed().as_secs_f64()
    );

    let wants = |p: &str| parts.iter().any(|x| x == p);
    if wants("core") {
        bulk_write(dir, &data)?;
        open_and_query(&data)?;
    }
    if wants("tiles") {
        tongtin_tiles(dir, &data)?;
        tile_latency(&data)?;
    }
    if wants("gdal-tiles") {
        gdal_tiles(dir, &data)?;
    }
    if wants("edit") {
        super::bench_edit::run(&data)?;
    }
    if wants("terrain") {
        super::bench_terrain::run(&data)?;
    }
    if wants("sync") {
        super::bench_sync::run(&data)?;
    }
    Ok(exit::OK)
}

const TILE_ZOOMS: (u8, u8) = (10, 16);

/// Every tile of zoom 10–16 over the data's extent, into MBTiles.
fn tongtin_tiles(dir: &Path, data: &Path) -> Result<(), Failure> {
    let out = dir.join("tongtin_tiles.mbtiles");
    let _ = std::fs::remove_file(&out);
    let t = Instant::now();
    let (tiles, info) = tongtin::tiles::plan(data, None, TILE_ZOOMS.0, TILE_ZOOMS.1, None).map_err(fail)?;
    let mut sink = tongtin::tiles::export::TileSink::create(&out, &info).map_err(fail)?;
    let mut largest = 0usize;
    let encoder = sink.encoder();
    let written = tongtin::tiles::make_tiles(data, None, &tiles, 2, encoder, &Silent, |id, bytes| {
        largest = largest.max(bytes.len());
        sink.put(id, &bytes).map_err(tongtin::tiles::TileError::from)
    })
    .map_err(fail)?;
    sink.finish().map_err(fail)?;
    let secs = t.elapsed().as_secs_f64();
    say!(
        "| vector tiles z{}–{} | every tile over the extent, 2 threads, into MBTiles | — | Tongtin {secs:.1} s: {written} tiles with data of {} tried, largest {:.0} KB |",
        TILE_ZOOMS.0,
        TILE_ZOOMS.1,
        tiles.len(),
        largest as f64 / 1024.0
    );
    Ok(())
}

/// Single tile requests through the app's tile service, cold cache.
fn tile_latency(data: &Path) -> Result<(), Failure> {
    let service = tongtin::tiles::TileService::start(data, 1, 1 << 20).map_err(fail)?;
    let (tiles, _) =
        tongtin::tiles::plan(data, Some(&["poles".to_string()]), TILE_ZOOMS.0, TILE_ZOOMS.1, None).map_err(fail)?;
    let mut seed = 0x7117u64;
    let mut times = Vec::new();
    let mut with_data = 0;
    while times.len() < 500 {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let id = tiles[(seed >> 33) as usize % tiles.len()];
        let t = Instant::now();
        let bytes = service.tile(tongtin::tiles::TileKind::Vector, id).map_err(fail)?;
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        if !bytes.is_empty() {
            with_data += 1;
            times.push(ms);
        }
    }
    say!("| single vector tile request | 500 random tiles with data, z{}–{}, cold cache, all layers ({with_data} with data) | — | Tongtin {} |", TILE_ZOOMS.0, TILE_ZOOMS.1, stats(times));
    Ok(())
}

/// `ogr2ogr -f MVT` on the same file and zooms.
fn gdal_tiles(dir: &Path, data: &Path) -> Result<(), Failure> {
    let out = dir.join("gdal_tiles.mbtiles");
    let _ = std::fs::remove_file(&out);
    let t = Instant::now();
    let status = Command::new("ogr2ogr")
        .args([
            "-f",
            "MVT",
            path_str(&out)?,
            path_str(data)?,
            "poles",
            "roads",
            "drains",
            "landmarks",
            "boundary",
            "equipment",
        ])
        .args([
            "-dsco",
            &format!("MINZOOM={}", TILE_ZOOMS.0),
            "-dsco",
            &format!("MAXZOOM={}", TILE_ZOOMS.1),
        ])
        .status()
        .map_err(|e| fail(format!("ogr2ogr could not be started ({e})")))?;
    let secs = t.elapsed().as_secs_f64();
    if !status.success() {
        return Err(fail("ogr2ogr -f MVT failed"));
    }
    let count: i64 = rusqlite::Connection::open(&out)
        .and_then(|c| c.query_row("SELECT COUNT(*) FROM tiles", [], |r| r.get(0)))
        .map_err(fail)?;
    say!(
        "| vector tiles z{}–{} | ogr2ogr -f MVT, same file and zooms | GDAL {secs:.1} s: {count} tiles | — |",
        TILE_ZOOMS.0,
        TILE_ZOOMS.1
    );
    Ok(())
}

pub fn fail(e: impl std::fmt::Display) -> Failure {
    Failure::new(exit::WRITE_FAILED, e)
}

/// Exports the poles to CSV, then loads that CSV into a new GeoPackage with
/// ogr2ogr and with Tongtin (parse, write, spatial index), timing both.
fn bulk_write(dir: &Path, data: &Path) -> Result<(), Failure> {
    let csv = dir.join("poles.csv");
    let gpkg = GeoPackage::open(data).map_err(|e| exit::reading(data, e))?;
    let poles = gpkg.layer("poles").map_err(|e| exit::reading(data, e))?;
    let mut out = BufWriter::new(std::fs::File::create(&csv).map_err(fail)?);
    writeln!(out, "x,y,{}", POLE_COLUMNS.join(",")).map_err(fail)?;
    let set = gpkg.read_features(&poles, None).map_err(|e| exit::reading(data, e))?;
    let idx: Vec<usize> = POLE_COLUMNS
        .iter()
        .map(|c| set.column_index(c).expect("demo column"))
        .collect();
    for f in &set.features {
        let Some(env) = f.geometry.as_ref().and_then(Geometry::envelope) else {
            continue;
        };
        let values: Vec<String> = idx
            .iter()
            .map(|&i| f.values[i].to_string().replace("NULL", ""))
            .collect();
        writeln!(out, "{},{},{}", env.min_x, env.min_y, values.join(",")).map_err(fail)?;
    }
    drop(out);
    let rows = set.features.len();
    drop(set);

    let ogr_out = dir.join("poles_ogr2ogr.gpkg");
    let _ = std::fs::remove_file(&ogr_out);
    let t = Instant::now();
    let status = Command::new("ogr2ogr")
        .args([
            "-f",
            "GPKG",
            path_str(&ogr_out)?,
            path_str(&csv)?,
            "-nln",
            "poles",
            "-a_srs",
            "EPSG:32648",
            "-oo",
            "X_POSSIBLE_NAMES=x",
            "-oo",
            "Y_POSSIBLE_NAMES=y",
            "-oo",
            "AUTODETECT_TYPE=YES",
        ])
        .status()
        .map_err(|e| {
            fail(format!(
                "ogr2ogr could not be started ({e}); run scripts/install-deps.sh"
            ))
        })?;
    let gdal_s = t.elapsed().as_secs_f64();
    if !status.success() {
        return Err(fail("ogr2ogr failed"));
    }

    let ours = dir.join("poles_tongtin.gpkg");
    let _ = std::fs::remove_file(&ours);
    let t = Instant::now();
    load_csv(&csv, &ours).map_err(fail)?;
    let ours_s = t.elapsed().as_secs_f64();
    say!("| bulk write | CSV → GeoPackage with R-tree, {rows} points | ogr2ogr {gdal_s:.1} s | Tongtin {ours_s:.1} s ({:.1}× faster) |", gdal_s / ours_s);
    Ok(())
}

fn path_str(p: &Path) -> Result<&str, Failure> {
    p.to_str().ok_or_else(|| fail(format!("{} is not UTF-8", p.display())))
}

/// Tongtin's loader for the benchmark CSV: one transaction, index after load.
fn load_csv(csv: &Path, out: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let mut gpkg = GeoPackage::create_scratch(out)?;
    let geometry = GeometryColumnDef {
        name: "geom".into(),
        geometry_type: GeometryType::Point,
        srs_id: 32648,
        z: 0,
        m: 0,
    };
    let types = [
        SqlType::Text,
        SqlType::Text,
        SqlType::Text,
        SqlType::Real,
        SqlType::Integer,
        SqlType::Text,
        SqlType::Text,
        SqlType::Text,
    ];
    let def = TableDef {
        name: "poles".into(),
        identifier: "poles".into(),
        description: String::new(),
        geometry: Some(geometry.clone()),
        columns: POLE_COLUMNS
            .iter()
            .zip(types)
            .map(|(n, t)| ColumnDef::new(n, t))
            .collect(),
    };
    let reader = BufReader::new(std::fs::File::open(csv)?);
    gpkg.write(|b| -> Result<(), Box<dyn std::error::Error>> {
        b.create_table(&def)?;
        let mut ins = b.inserter("poles", Some(("geom", 32648)), &POLE_COLUMNS)?;
        for line in reader.lines().skip(1) {
            let line = line?;
            let f: Vec<&str> = line.split(',').collect();
            let x: f64 = f[0].parse()?;
            let y: f64 = f[1].parse()?;
            let height: Option<f64> = f[5].parse().ok();
            let village: Option<i64> = f[6].parse().ok();
            let text = |s: &str| (!s.is_empty()).then(|| s.to_string());
            ins.insert(
                Some(&Geometry::point(x, y)),
                &[&f[2], &f[3], &f[4], &height, &village, &text(f[7]), &f[8], &f[9]],
            )?;
        }
        drop(ins);
        b.index_table("poles", Some(&geometry))?;
        Ok(())
    })?;
    Ok(())
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

pub fn stats(mut v: Vec<f64>) -> String {
    v.sort_by(f64::total_cmp);
    format!(
        "p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        percentile(&v, 0.5),
        percentile(&v, 0.95),
        percentile(&v, 0.99),
        v[v.len() - 1]
    )
}

/// Opening and listing, and 5 km box queries with attributes, Tongtin vs GDAL.
fn open_and_query(data: &Path) -> Result<(), Failure> {
    let mut opens = Vec::new();
    for _ in 0..20 {
        let t = Instant::now();
        let g = GeoPackage::open(data).map_err(|e| exit::reading(data, e))?;
        let layers = g.layers().map_err(|e| exit::reading(data, e))?;
        assert!(!layers.is_empty());
        opens.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let g = GeoPackage::open(data).map_err(|e| exit::reading(data, e))?;
    let poles = g.layer("poles").map_err(|e| exit::reading(data, e))?;
    let roads = g.layer("roads").map_err(|e| exit::reading(data, e))?;
    // Boxes centred on random poles, so that every query lands in a town.
    let pole_count: i64 = g
        .connection()
        .query_row("SELECT MAX(fid) FROM poles", [], |r| r.get(0))
        .map_err(fail)?;
    let mut seed = 0x0B0Bu64;
    let mut boxes: Vec<[f64; 4]> = Vec::with_capacity(QUERY_BOXES);
    while boxes.len() < QUERY_BOXES {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let fid = 1 + (seed >> 33) as i64 % pole_count;
        let centre = g.connection().query_row(
            "SELECT ST_MinX(geom), ST_MinY(geom) FROM poles WHERE fid = ?1",
            [fid],
            |r| Ok((r.get::<_, f64>(0)?, r.get::<_, f64>(1)?)),
        );
        if let Ok((x, y)) = centre {
            let h = BOX_SIDE_M / 2.0;
            boxes.push([x - h, y - h, x + h, y + h]);
        }
    }
    let mut queries = Vec::new();
    let mut found = 0;
    for b in &boxes {
        let env = Envelope::new(b[0], b[1], b[2], b[3]);
        let t = Instant::now();
        for layer in [&poles, &roads] {
            found += g
                .read_features(layer, Some(&env))
                .map_err(|e: GpkgError| exit::reading(data, e))?
                .features
                .len();
        }
        queries.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let gdal = Command::new("/usr/bin/python3")
        .args([
            "-c",
            include_str!("bench_gdal.py"),
            path_str(data)?,
            &serde_json::to_string(&boxes).map_err(fail)?,
        ])
        .output()
        .map_err(|e| fail(format!("python3 with GDAL could not be started ({e})")))?;
    if !gdal.status.success() {
        return Err(fail(format!(
            "the GDAL side failed: {}",
            String::from_utf8_lossy(&gdal.stderr)
        )));
    }
    let doc: serde_json::Value = serde_json::from_slice(&gdal.stdout).map_err(fail)?;
    let list = |k: &str| {
        doc[k]
            .as_array()
            .map(|a| a.iter().filter_map(serde_json::Value::as_f64).collect::<Vec<_>>())
            .unwrap_or_default()
    };
    say!(
        "| open + list layers | 20 runs | GDAL (Python) {} | Tongtin {} |",
        stats(list("open_ms")),
        stats(opens)
    );
    say!(
        "| 5 km box query, poles + roads with attributes | {QUERY_BOXES} boxes, {} features found by each | GDAL (Python) {} | Tongtin {} |",
        found,
        stats(list("query_ms")),
        stats(queries)
    );
    if doc["found"].as_u64() != Some(found as u64) {
        return Err(fail(format!("GDAL found {} features, Tongtin {found}", doc["found"])));
    }
    Ok(())
}

/// Where the benchmark writes its data by default.
pub fn default_dir() -> PathBuf {
    std::env::temp_dir().join("tongtin-bench")
}
