//! `tongtin terrain` against GDAL's tools on the same DEM: hillshade pixels
//! against `gdaldem hillshade`, contours against `gdal_contour`, the profile
//! against `gdallocationinfo`; bad DEMs leave the file as it was.

mod common;

use std::path::{Path, PathBuf};

use common::{copy_of, demo, run, scratch, stderr, stdout, tongtin};

/// The demo's terrain as the GeoTIFF GDAL reads from the coverage.
/// The demo's DEM as a GeoTIFF, written once for the whole binary: tests run
/// in parallel, and one must not read the file while another writes it.
fn demo_dem() -> PathBuf {
    static DEM: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    DEM.get_or_init(|| {
        let out = scratch().join("terrain_cli_dem.tif");
        let partial = scratch().join("terrain_cli_dem.partial.tif");
        let r = run(
            "gdal_translate",
            &[
                "-q",
                &format!("GPKG:{}:terrain", demo().display()),
                partial.to_str().unwrap(),
            ],
        );
        assert!(r.status.success(), "{}", stderr(&r));
        std::fs::rename(&partial, &out).unwrap();
        out
    })
    .clone()
}

/// Compares two 8-bit rasters of the same grid, pixels where both have a value
/// (GDAL leaves a one-pixel border, Tongtin the cells next to no data): the
/// largest difference and the share of pixels that differ by more than 1.
fn compare(ours: &Path, theirs: &Path) -> (i64, f64, usize) {
    let script = format!(
        "from osgeo import gdal\nimport numpy\na = gdal.Open('{}').ReadAsArray().astype('int64')\nb = gdal.Open('{}').ReadAsArray().astype('int64')\nassert a.shape == b.shape, (a.shape, b.shape)\nm = (a > 0) & (b > 0)\nd = numpy.abs(a - b)[m]\nprint(int(d.max()), float((d > 1).mean()), int(m.sum()))\n",
        ours.display(),
        theirs.display()
    );
    let out = run("/usr/bin/python3", &["-c", &script]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let parts: Vec<&str> = text.split_whitespace().collect();
    (
        parts[0].parse().unwrap(),
        parts[1].parse().unwrap(),
        parts[2].parse().unwrap(),
    )
}

#[test]
fn hillshade_pixels_agree_with_gdaldem() {
    let dem = demo_dem();
    for (az, alt, z) in [("315", "45", "1"), ("90", "30", "3")] {
        let ours = scratch().join(format!("hs_tongtin_{az}.tif"));
        let theirs = scratch().join(format!("hs_gdal_{az}.tif"));
        let _ = std::fs::remove_file(&ours);
        let out = tongtin(&[
            "terrain",
            "hillshade",
            demo().to_str().unwrap(),
            "--out",
            ours.to_str().unwrap(),
            "--azimuth",
            az,
            "--altitude",
            alt,
            "--z-factor",
            z,
        ]);
        assert!(out.status.success(), "{}", stderr(&out));
        let r = run(
            "gdaldem",
            &[
                "hillshade",
                "-q",
                "-az",
                az,
                "-alt",
                alt,
                "-z",
                z,
                dem.to_str().unwrap(),
                theirs.to_str().unwrap(),
            ],
        );
        assert!(r.status.success(), "{}", stderr(&r));
        let (max, share, pixels) = compare(&ours, &theirs);
        // Stated tolerance: the same Horn formula on the same cells; GDAL rounds
        // the shade to a byte, so values may differ by one step.
        assert!(pixels > 3_000_000, "{pixels} pixels compared");
        assert!(max <= 1, "sun {az}/{alt} ×{z}: largest difference {max}");
        assert!(share == 0.0, "{share} of pixels differ by more than 1");
    }
}

#[test]
fn contours_from_the_cli_match_gdal_contour_level_by_level() {
    let ours = scratch().join("contours_cli.gpkg");
    let theirs = scratch().join("contours_gdal.gpkg");
    let _ = std::fs::remove_file(&ours);
    let _ = std::fs::remove_file(&theirs);
    let out = tongtin(&[
        "terrain",
        "contours",
        demo().to_str().unwrap(),
        "--out",
        ours.to_str().unwrap(),
        "--interval",
        "10",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let r = run(
        "gdal_contour",
        &[
            "-q",
            "-a",
            "elev",
            "-i",
            "10",
            demo_dem().to_str().unwrap(),
            theirs.to_str().unwrap(),
        ],
    );
    assert!(r.status.success(), "{}", stderr(&r));
    let per_level = |path: &Path, layer: &str| -> String {
        let out = run(
            "ogrinfo",
            &[
                "-ro",
                "-q",
                path.to_str().unwrap(),
                "-sql",
                &format!("SELECT elev, count(*) AS n FROM \"{layer}\" GROUP BY elev ORDER BY elev"),
            ],
        );
        stdout(&out)
            .lines()
            .filter(|l| l.contains(" = "))
            .map(|l| l.trim().to_string())
            .collect::<Vec<_>>()
            .join("\n")
    };
    let a = per_level(&ours, "contours");
    let b = per_level(&theirs, "contour");
    assert!(a.lines().count() > 10, "{a}");
    assert_eq!(a, b);
    common::assert_gdal_valid(&ours);
    // Index contours every 50 m.
    let idx = run(
        "ogrinfo",
        &[
            "-ro",
            "-q",
            ours.to_str().unwrap(),
            "-sql",
            "SELECT count(*) FROM contours WHERE index_contour = 1 AND CAST(elev AS INTEGER) % 50 != 0",
        ],
    );
    assert!(stdout(&idx).contains("= 0"), "{}", stdout(&idx));
}

#[test]
fn info_reports_the_range_gdal_computes() {
    let out = tongtin(&["terrain", "info", demo().to_str().unwrap(), "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let gdal = run("gdalinfo", &["-mm", demo_dem().to_str().unwrap()]);
    let line = stdout(&gdal)
        .lines()
        .find(|l| l.contains("Computed Min/Max"))
        .unwrap()
        .to_string();
    let nums: Vec<f64> = line
        .split("Computed Min/Max=")
        .nth(1)
        .unwrap()
        .split(',')
        .map(|v| v.trim().parse().unwrap())
        .collect();
    assert!((doc["min"].as_f64().unwrap() - nums[0]).abs() < 0.01, "{line} vs {doc}");
    assert!((doc["max"].as_f64().unwrap() - nums[1]).abs() < 0.01, "{line} vs {doc}");
    assert_eq!(doc["srs"], "EPSG:32648");
}

#[test]
fn a_profile_samples_the_ground_as_gdallocationinfo_does() {
    let gpkg = tongtin::gpkg::GeoPackage::open(demo()).unwrap();
    let surface = tongtin::terrain::Surface::open(&gpkg).unwrap();
    let (x, y): (f64, f64) = gpkg
        .connection()
        .query_row(
            "SELECT (min_x + max_x) / 2, (min_y + max_y) / 2 FROM gpkg_contents WHERE table_name = 'boundary'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    // From the middle of the municipality, well inside the terrain.
    let line = [(x, y), (x + 400.0, y + 300.0)];
    let p = tongtin::terrain::profile(&surface, &line, None).unwrap();
    assert!((p.length - 500.0).abs() < 1e-9);
    assert!(p.points.len() >= 50, "a sample every cell");
    for point in p.points.iter().step_by(10) {
        let out = run(
            "gdallocationinfo",
            &[
                "-valonly",
                "-geoloc",
                demo_dem().to_str().unwrap(),
                &point.x.to_string(),
                &point.y.to_string(),
            ],
        );
        let gdal: f64 = stdout(&out).trim().parse().unwrap();
        let ours = point.elevation.unwrap();
        // GDAL reports the cell's value, the profile interpolates between cells.
        assert!(
            (ours - gdal).abs() < 1.0,
            "at {} m: Tongtin {ours}, GDAL {gdal}",
            point.distance
        );
    }
    let slopes: Vec<f64> = p.points.iter().filter_map(|q| q.slope_pct).collect();
    assert_eq!(slopes.len(), p.points.len() - 1);
    let rise = p.points.last().unwrap().elevation.unwrap() - p.points[0].elevation.unwrap();
    assert!((p.climb - p.descent - rise).abs() < 1e-6);
}

#[test]
fn drains_recorded_against_the_slope_are_flagged_and_fixing_one_clears_it() {
    let path = copy_of(&demo(), "uphill.gpkg");
    let flagged = |path: &Path| {
        let gpkg = tongtin::gpkg::GeoPackage::open(path).unwrap();
        let surface = tongtin::terrain::Surface::open(&gpkg).unwrap();
        tongtin::terrain::uphill_drains(&surface, 0.5).unwrap()
    };
    let drains = common::count(&path, "SELECT count(*) FROM drains");
    assert_eq!(
        common::count(
            &path,
            "SELECT count(*) FROM drains WHERE start_elevation_m IS NULL OR end_elevation_m IS NULL"
        ),
        0,
        "the demo fills the drains' end elevations from the DEM"
    );
    let before = flagged(&path);
    // The demo records a few drains against the slope, as real registers have.
    assert!(
        !before.is_empty() && (before.len() as i64) < drains / 5,
        "{} of {drains}",
        before.len()
    );
    assert!(before.windows(2).all(|w| w[0].rise >= w[1].rise), "worst first");
    let worst = &before[0];
    let road: Option<String> = tongtin::gpkg::GeoPackage::open(&path)
        .unwrap()
        .connection()
        .query_row("SELECT road_code FROM drains WHERE uid = ?1", [&worst.uid], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(worst.road_code, road, "the drain is named by the road it runs along");
    assert!((worst.end_elevation - worst.start_elevation - worst.rise).abs() < 1e-9);
    // Recording the worst one the right way round clears it.
    let mut editor = tongtin::edit::Editor::open(
        &path,
        tongtin::journal::Actor {
            user: "t".into(),
            device: "t".into(),
        },
    )
    .unwrap();
    let blob = editor
        .gpkg()
        .connection()
        .query_row("SELECT geom FROM drains WHERE uid = ?1", [&worst.uid], |r| {
            r.get::<_, Vec<u8>>(0)
        })
        .unwrap();
    let mut g = tongtin::geom::decode_blob(&blob).unwrap().geometry;
    if let tongtin::geom::Shape::LineString(cs) = &mut g.shape {
        cs.reverse();
    }
    editor
        .apply(&tongtin::edit::Edit::checked(
            "reverse",
            vec![tongtin::edit::Change::Update {
                layer: "drains".into(),
                uid: worst.uid.clone(),
                values: Default::default(),
                geometry: Some(g),
                expect: Default::default(),
            }],
        ))
        .unwrap();
    drop(editor);
    // The drain's end elevations follow its new direction, from the DEM.
    let (start, end): (f64, f64) = tongtin::gpkg::GeoPackage::open(&path)
        .unwrap()
        .connection()
        .query_row(
            "SELECT start_elevation_m, end_elevation_m FROM drains WHERE uid = ?1",
            [&worst.uid],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert!(
        (start - worst.end_elevation).abs() < 0.01 && (end - worst.start_elevation).abs() < 0.01,
        "{start} {end} vs {worst:?}"
    );
    let after = flagged(&path);
    assert_eq!(after.len(), before.len() - 1);
    assert!(after.iter().all(|d| d.uid != worst.uid));
}

#[test]
fn a_bad_dem_is_refused_and_the_file_is_left_as_it_was() {
    let path = copy_of(&demo(), "import_bad.gpkg");
    let before = std::fs::read(&path).unwrap();
    let junk = scratch().join("junk.tif");
    std::fs::write(&junk, b"II*\0 not really a tiff").unwrap();
    let out = tongtin(&["terrain", "import", junk.to_str().unwrap(), path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("junk.tif"), "{}", stderr(&out));
    assert_eq!(std::fs::read(&path).unwrap(), before);
    let ok = tongtin(&[
        "terrain",
        "import",
        demo_dem().to_str().unwrap(),
        path.to_str().unwrap(),
    ]);
    assert!(ok.status.success(), "{}", stderr(&ok));
    assert!(stdout(&ok).contains("2178 × 1503"), "{}", stdout(&ok));
    let none = tongtin(&["terrain", "info", "/nonexistent.gpkg"]);
    assert_eq!(none.status.code(), Some(3));
}

#[test]
fn fill_sets_the_missing_and_stale_elevations_from_the_terrain_in_one_edit() {
    let path = copy_of(&demo(), "fill.gpkg");
    let p = path.to_str().unwrap();
    let current = tongtin(&["terrain", "fill", p]);
    assert!(
        stdout(&current).contains("every elevation is current"),
        "{}",
        stdout(&current)
    );
    common::edit_sql(
        &path,
        "UPDATE poles SET elevation_m = NULL WHERE fid <= 5; UPDATE drains SET end_elevation_m = end_elevation_m + 3 WHERE fid = 1;",
    );
    let out = tongtin(&["terrain", "fill", p]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains(": 6 features"), "{}", stdout(&out));
    assert_eq!(
        common::count(&path, "SELECT count(*) FROM poles WHERE elevation_m IS NULL"),
        0
    );
    let hist = tongtin(&["history", p, "--json", "--limit", "6"]);
    let ops: serde_json::Value = serde_json::from_str(&stdout(&hist)).unwrap();
    assert!(ops.as_array().unwrap().iter().all(|o| o["origin"] == "app"));
    assert!(stdout(&tongtin(&["journal", "check", p])).contains("agree"));
}
