//! Files written by GDAL's ogr2ogr and gdal_translate are read back exactly
//! and survive a read-modify-write round trip that GDAL then accepts.

mod common;

use std::path::{Path, PathBuf};

use common::{assert_gdal_valid, ogr2ogr, run, scratch, stdout, tongtin};
use tongtin::geom::{Coord, Dimension, Envelope, Geometry, GeometryType, Shape};
use tongtin::gpkg::{GeoPackage, LayerKind, Value};

fn c(x: f64, y: f64, z: f64, m: f64) -> Coord {
    Coord { x, y, z, m }
}

fn xy(x: f64, y: f64) -> Coord {
    Coord::xy(x, y)
}

/// Writes a CSV with a WKT column and loads it into `gpkg` as `layer` with ogr2ogr.
fn load_csv(gpkg: &Path, layer: &str, geometry_type: &str, srs: &str, rows: &[(&str, i64, f64, &str)], extra: &[&str]) {
    let csv = scratch().join(format!("{}.csv", layer.replace(' ', "_")));
    let mut text = String::from("ชื่อ,จำนวน,ค่า,wkt\n");
    for (name, n, v, wkt) in rows {
        text.push_str(&format!("\"{name}\",{n},{v},\"{wkt}\"\n"));
    }
    std::fs::write(&csv, text).unwrap();
    let mut args = vec!["-f", "GPKG"];
    if gpkg.exists() {
        args.push("-update");
    }
    args.extend([
        gpkg.to_str().unwrap(),
        csv.to_str().unwrap(),
        "-nln",
        layer,
        "-nlt",
        geometry_type,
        "-a_srs",
        srs,
        "-oo",
        "GEOM_POSSIBLE_NAMES=wkt",
        "-oo",
        "KEEP_GEOM_COLUMNS=NO",
        "-oo",
        "AUTODETECT_TYPE=YES",
    ]);
    args.extend_from_slice(extra);
    ogr2ogr(&args);
}

fn gdal_fixture(name: &str, version: &str, with_empties: bool) -> PathBuf {
    let path = scratch().join(name);
    let dsco = format!("VERSION={version}");
    let v = ["-dsco", dsco.as_str()];
    load_csv(
        &path,
        "จุดสำรวจ",
        "POINTZ",
        "EPSG:32648",
        &[
            ("หมุด ก", 1, 1.5, "POINT Z (800000.125 1880000.5 201.25)"),
            ("หมุด ข", 2, -2.75, "POINT Z (800010.5 1880020.25 199)"),
        ],
        &v,
    );
    load_csv(
        &path,
        "lines_m",
        "LINESTRINGM",
        "EPSG:32647",
        &[(
            "สาย 1",
            3,
            0.5,
            "LINESTRING M (600000 1500000 0, 600100.5 1500050 111.5)",
        )],
        &[],
    );
    load_csv(
        &path,
        "poly_zm",
        "POLYGONZM",
        "EPSG:4326",
        &[(
            "แปลง",
            4,
            4.0,
            "POLYGON ZM ((102 16 1 10,102.5 16 2 20,102.5 16.5 3 30,102 16 1 10))",
        )],
        &[],
    );
    load_csv(
        &path,
        "mixed",
        "GEOMETRY",
        "EPSG:32648",
        &[
            ("multi point", 5, 5.0, "MULTIPOINT ((1 2),(3 4))"),
            ("multi line", 6, 6.0, "MULTILINESTRING ((0 0,1 1),(2 2,3 3))"),
            (
                "multi polygon",
                7,
                7.0,
                "MULTIPOLYGON (((0 0,4 0,4 4,0 0)),((10 10,12 10,12 12,10 10)))",
            ),
            (
                "collection",
                8,
                8.0,
                "GEOMETRYCOLLECTION (POINT (1 2),LINESTRING (0 0,1 1))",
            ),
            ("null", 10, 10.0, ""),
        ],
        &[],
    );
    load_csv(
        &path,
        "no_index",
        "POINT",
        "EPSG:32648",
        &[("a", 11, 1.0, "POINT (100 100)"), ("b", 12, 2.0, "POINT (5000 5000)")],
        &["-lco", "SPATIAL_INDEX=NO"],
    );
    // GDAL's CSV reader turns "POINT EMPTY" into NULL: write empty geometries
    // through its API. validate_gpkg.py 3.6 rejects GDAL's own empty geometries
    // (Req 152), so the fixtures that GDAL must validate leave them out.
    if with_empties {
        write_empties(&path);
    }
    let attrs = scratch().join(format!("attrs_{name}.csv"));
    std::fs::write(&attrs, "รหัส,หมายเหตุ\n1,ทดสอบภาษาไทย\n2,\"comma, quoted\"\n").unwrap();
    ogr2ogr(&[
        "-f",
        "GPKG",
        "-update",
        path.to_str().unwrap(),
        attrs.to_str().unwrap(),
        "-nln",
        "บันทึก",
    ]);
    path
}

fn write_empties(path: &Path) {
    let script = format!(
        "from osgeo import ogr, osr\nds = ogr.Open('{}', 1)\ns = osr.SpatialReference(); s.ImportFromEPSG(32648)\nlyr = ds.CreateLayer('empties', s, ogr.wkbUnknown)\nfor wkt in ['POINT EMPTY', 'LINESTRING EMPTY', 'POLYGON EMPTY', 'GEOMETRYCOLLECTION EMPTY']:\n    f = ogr.Feature(lyr.GetLayerDefn()); f.SetGeometry(ogr.CreateGeometryFromWkt(wkt)); lyr.CreateFeature(f)\nds = None\n",
        path.display()
    );
    let out = run("/usr/bin/python3", &["-c", &script]);
    assert!(out.status.success(), "{}", common::stderr(&out));
}

fn features(g: &GeoPackage, layer: &str) -> tongtin::gpkg::FeatureSet {
    g.read_features(&g.layer(layer).unwrap(), None).unwrap()
}

#[test]
fn every_geometry_type_and_dimension_is_read_exactly() {
    let path = gdal_fixture("gdal_types.gpkg", "1.2", true);
    let g = GeoPackage::open(&path).unwrap();

    let points = features(&g, "จุดสำรวจ");
    let layer = g.layer("จุดสำรวจ").unwrap();
    assert_eq!(layer.geometry_type, Some(GeometryType::Point));
    assert_eq!((layer.z, layer.m), (1, 0));
    assert_eq!(layer.srs.as_ref().unwrap().authority_code(), "EPSG:32648");
    assert_eq!(points.features.len(), 2);
    let first = &points.features[0];
    assert_eq!(
        first.geometry,
        Some(Geometry {
            dim: Dimension::Xyz,
            shape: Shape::Point(c(800000.125, 1880000.5, 201.25, 0.0))
        })
    );
    assert_eq!(points.value(first, "ชื่อ"), Some(&Value::Text("หมุด ก".into())));
    assert_eq!(points.value(first, "จำนวน"), Some(&Value::Integer(1)));
    assert_eq!(points.value(&points.features[1], "ค่า"), Some(&Value::Real(-2.75)));

    let lines = features(&g, "lines_m");
    assert_eq!(g.layer("lines_m").unwrap().srs.unwrap().authority_code(), "EPSG:32647");
    assert_eq!(
        lines.features[0].geometry,
        Some(Geometry {
            dim: Dimension::Xym,
            shape: Shape::LineString(vec![
                c(600000.0, 1500000.0, 0.0, 0.0),
                c(600100.5, 1500050.0, 0.0, 111.5)
            ])
        })
    );

    let polys = features(&g, "poly_zm");
    let ring = vec![
        c(102.0, 16.0, 1.0, 10.0),
        c(102.5, 16.0, 2.0, 20.0),
        c(102.5, 16.5, 3.0, 30.0),
        c(102.0, 16.0, 1.0, 10.0),
    ];
    assert_eq!(
        polys.features[0].geometry,
        Some(Geometry {
            dim: Dimension::Xyzm,
            shape: Shape::Polygon(vec![ring])
        })
    );

    let mixed = features(&g, "mixed");
    assert_eq!(g.layer("mixed").unwrap().geometry_type, Some(GeometryType::Geometry));
    let shapes: Vec<Option<Shape>> = mixed
        .features
        .iter()
        .map(|f| f.geometry.clone().map(|g| g.shape))
        .collect();
    assert_eq!(shapes[0], Some(Shape::MultiPoint(vec![xy(1.0, 2.0), xy(3.0, 4.0)])));
    assert_eq!(
        shapes[1],
        Some(Shape::MultiLineString(vec![
            vec![xy(0.0, 0.0), xy(1.0, 1.0)],
            vec![xy(2.0, 2.0), xy(3.0, 3.0)]
        ]))
    );
    assert!(matches!(&shapes[2], Some(Shape::MultiPolygon(p)) if p.len() == 2 && p[1][0][2] == xy(12.0, 12.0)));
    assert_eq!(
        shapes[3],
        Some(Shape::GeometryCollection(vec![
            Geometry::point(1.0, 2.0),
            Geometry::line_string([(0.0, 0.0), (1.0, 1.0)])
        ]))
    );
    assert_eq!(
        mixed.features[4].geometry, None,
        "an empty WKT field is a NULL geometry"
    );

    let empties = features(&g, "empties");
    let types: Vec<(GeometryType, bool)> = empties
        .features
        .iter()
        .map(|f| f.geometry.as_ref().map(|g| (g.geometry_type(), g.is_empty())).unwrap())
        .collect();
    assert_eq!(
        types,
        [
            (GeometryType::Point, true),
            (GeometryType::LineString, true),
            (GeometryType::Polygon, true),
            (GeometryType::GeometryCollection, true)
        ]
    );

    let notes = features(&g, "บันทึก");
    assert_eq!(g.layer("บันทึก").unwrap().kind, LayerKind::Attributes);
    assert_eq!(
        notes.value(&notes.features[0], "หมายเหตุ"),
        Some(&Value::Text("ทดสอบภาษาไทย".into()))
    );
    assert_eq!(
        notes.value(&notes.features[1], "หมายเหตุ"),
        Some(&Value::Text("comma, quoted".into()))
    );
}

#[test]
fn bounding_box_queries_agree_with_and_without_an_index() {
    let path = gdal_fixture("gdal_bbox.gpkg", "1.2", false);
    let g = GeoPackage::open(&path).unwrap();
    let no_index = g.layer("no_index").unwrap();
    assert!(!g.has_spatial_index(&no_index).unwrap());
    let hit = g
        .read_features(&no_index, Some(&Envelope::new(0.0, 0.0, 1000.0, 1000.0)))
        .unwrap();
    assert_eq!(hit.features.len(), 1);
    assert_eq!(hit.value(&hit.features[0], "ชื่อ"), Some(&Value::Text("a".into())));
    let indexed = g.layer("จุดสำรวจ").unwrap();
    assert!(g.has_spatial_index(&indexed).unwrap());
    let hit = g
        .read_features(&indexed, Some(&Envelope::new(800005.0, 1880010.0, 800011.0, 1880021.0)))
        .unwrap();
    assert_eq!(hit.features.len(), 1);
    assert_eq!(hit.value(&hit.features[0], "จำนวน"), Some(&Value::Integer(2)));
}

#[test]
fn all_geopackage_versions_gdal_writes_are_read() {
    for version in ["1.0", "1.1", "1.2", "1.3", "1.4"] {
        let path = scratch().join(format!("v{version}.gpkg"));
        // GDAL 3.6 writes up to 1.3; a 1.4 file differs from it only in user_version.
        let written = if version == "1.4" { "1.3" } else { version };
        load_csv(
            &path,
            "pts",
            "POINT",
            "EPSG:32648",
            &[("x", 1, 1.0, "POINT (1 2)")],
            &["-dsco", &format!("VERSION={written}")],
        );
        if version == "1.4" {
            rusqlite::Connection::open(&path)
                .unwrap()
                .execute_batch("PRAGMA user_version = 10400")
                .unwrap();
        }
        let g = GeoPackage::open(&path).unwrap();
        assert_eq!(g.version().unwrap().to_string(), version);
        assert_eq!(
            features(&g, "pts").features[0].geometry,
            Some(Geometry::point(1.0, 2.0))
        );
        let info = tongtin(&["info", path.to_str().unwrap()]);
        assert!(info.status.success(), "info on GeoPackage {version}");
    }
}

#[test]
fn raster_tiles_and_coverages_are_listed() {
    let path = scratch().join("rasters.gpkg");
    let tif = scratch().join("dem.tif");
    // A 300×200 float DEM in UTM 48N.
    let script = format!(
        "from osgeo import gdal, osr\nimport struct\nds = gdal.GetDriverByName('GTiff').Create('{}', 300, 200, 1, gdal.GDT_Float32)\nds.SetGeoTransform([800000, 10, 0, 1880000, 0, -10])\ns = osr.SpatialReference(); s.ImportFromEPSG(32648); ds.SetProjection(s.ExportToWkt())\nds.GetRasterBand(1).WriteRaster(0, 0, 300, 200, struct.pack('60000f', *[float(i % 300 + i // 300) for i in range(60000)]))\nds = None\n",
        tif.display()
    );
    let out = run("/usr/bin/python3", &["-c", &script]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    let t = run(
        "gdal_translate",
        &[
            "-q",
            "-of",
            "GPKG",
            "-co",
            "TILE_FORMAT=PNG",
            "-co",
            "RASTER_TABLE=dem",
            tif.to_str().unwrap(),
            path.to_str().unwrap(),
        ],
    );
    assert!(t.status.success(), "{}", common::stderr(&t));
    let t = run(
        "gdal_translate",
        &[
            "-q",
            "-of",
            "GPKG",
            "-ot",
            "Byte",
            "-scale",
            "-co",
            "RASTER_TABLE=ortho",
            "-co",
            "APPEND_SUBDATASET=YES",
            tif.to_str().unwrap(),
            path.to_str().unwrap(),
        ],
    );
    assert!(t.status.success(), "{}", common::stderr(&t));
    let g = GeoPackage::open(&path).unwrap();
    let dem = g.layer("dem").unwrap();
    let ortho = g.layer("ortho").unwrap();
    assert_eq!(dem.kind, LayerKind::Coverage);
    assert_eq!(ortho.kind, LayerKind::Tiles);
    assert!(g.count(&dem).unwrap() > 0);
    let levels = g.tile_levels(&ortho).unwrap().unwrap();
    assert!(levels.max_zoom >= levels.min_zoom);
    let json = stdout(&tongtin(&["info", path.to_str().unwrap(), "--json"]));
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    let kinds: Vec<&str> = doc["layers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["coverage", "tiles"]);
}

#[test]
fn read_modify_write_keeps_the_file_valid_for_gdal() {
    let path = gdal_fixture("gdal_rmw.gpkg", "1.2", false);
    let blobs_before = geometry_blobs(&path, "mixed");
    let mut g = GeoPackage::open_writable(&path).unwrap();
    let moved = Geometry {
        dim: Dimension::Xyz,
        shape: Shape::Point(c(801000.0, 1881000.0, 210.0, 0.0)),
    };
    g.write(|b| -> Result<(), tongtin::gpkg::GpkgError> {
        b.update("จุดสำรวจ", 1, Some(("geom", &moved, 32648)), &[("ชื่อ", &"หมุด ก (ย้าย)")])?;
        let mut ins = b.inserter("จุดสำรวจ", Some(("geom", 32648)), &["ชื่อ", "จำนวน", "ค่า"])?;
        ins.insert(
            Some(&Geometry {
                dim: Dimension::Xyz,
                shape: Shape::Point(c(802000.0, 1882000.0, 5.0, 0.0)),
            }),
            &[&"ใหม่", &3i64, &0.25f64],
        )?;
        drop(ins);
        b.delete("จุดสำรวจ", 2)?;
        Ok(())
    })
    .unwrap();
    drop(g);
    assert_gdal_valid(&path);
    let p = path.to_str().unwrap();
    let all = stdout(&run("ogrinfo", &["-ro", "-al", "-q", p, "จุดสำรวจ"]));
    assert!(
        all.contains("หมุด ก (ย้าย)") && all.contains("POINT Z (801000 1881000 210)"),
        "{all}"
    );
    assert!(
        all.contains("POINT Z (802000 1882000 5)") && !all.contains("หมุด ข"),
        "{all}"
    );
    let summary = stdout(&run("ogrinfo", &["-ro", "-so", p, "จุดสำรวจ"]));
    assert!(
        summary.contains("Feature Count: 2"),
        "GDAL's cached count follows the edits: {summary}"
    );
    assert!(
        summary.contains("Extent: (800000.125000, 1880000.500000) - (802000.000000, 1882000.000000)"),
        "{summary}"
    );
    let old_place = stdout(&run(
        "ogrinfo",
        &[
            "-ro",
            "-q",
            "-spat",
            "799999",
            "1879999",
            "800001",
            "1880001",
            p,
            "จุดสำรวจ",
        ],
    ));
    assert!(
        !old_place.contains("OGRFeature"),
        "the R-tree still finds the moved point at its old place: {old_place}"
    );
    let new_place = stdout(&run(
        "ogrinfo",
        &[
            "-ro",
            "-q",
            "-spat",
            "800999",
            "1880999",
            "801001",
            "1881001",
            p,
            "จุดสำรวจ",
        ],
    ));
    assert!(new_place.contains("หมุด ก (ย้าย)"), "{new_place}");
    assert_eq!(
        geometry_blobs(&path, "mixed"),
        blobs_before,
        "an untouched layer changed"
    );
}

fn geometry_blobs(path: &Path, table: &str) -> Vec<Option<Vec<u8>>> {
    let conn = rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let mut stmt = conn
        .prepare(&format!("SELECT geom FROM \"{table}\" ORDER BY fid"))
        .unwrap();
    stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
}

#[test]
fn curves_written_by_gdal_are_read_as_the_lines_gdal_strokes() {
    let path = scratch().join("gdal_curves.gpkg");
    let _ = std::fs::remove_file(&path);
    load_csv(
        &path,
        "curves",
        "GEOMETRY",
        "EPSG:32648",
        &[
            ("arc", 1, 0.0, "CIRCULARSTRING (800000 1880000, 800050 1880050, 800100 1880000)"),
            (
                "compound",
                2,
                0.0,
                "COMPOUNDCURVE ((799900 1880000, 800000 1880000), CIRCULARSTRING (800000 1880000, 800030 1879960, 800000 1879920))",
            ),
            (
                "curve polygon",
                3,
                0.0,
                "CURVEPOLYGON (CIRCULARSTRING (801000 1881000, 801200 1881000, 801000 1881000))",
            ),
            (
                "multicurve",
                4,
                0.0,
                "MULTICURVE ((802000 1882000, 802010 1882010), CIRCULARSTRING (802100 1882000, 802150 1882040, 802200 1882000))",
            ),
            (
                "multisurface",
                5,
                0.0,
                "MULTISURFACE (((803000 1883000, 803100 1883000, 803100 1883100, 803000 1883000)), CURVEPOLYGON (CIRCULARSTRING (803500 1883000, 803600 1883000, 803500 1883000)))",
            ),
        ],
        &[],
    );
    assert_gdal_valid(&path);
    let out = tongtin(&["validate", path.to_str().unwrap()]);
    assert!(out.status.success(), "{}{}", stdout(&out), common::stderr(&out));

    // GDAL's own strokes of the same curves, as plain lines and polygons.
    let linear = scratch().join("gdal_curves_linear.gpkg");
    let _ = std::fs::remove_file(&linear);
    ogr2ogr(&[
        "-f",
        "GPKG",
        linear.to_str().unwrap(),
        path.to_str().unwrap(),
        "-nlt",
        "CONVERT_TO_LINEAR",
    ]);
    let ours = features(&GeoPackage::open(&path).unwrap(), "curves");
    let theirs = features(&GeoPackage::open(&linear).unwrap(), "curves");
    assert_eq!(ours.features.len(), 5);
    for (a, b) in ours.features.iter().zip(&theirs.features) {
        let (a, b) = (a.geometry.as_ref().unwrap(), b.geometry.as_ref().unwrap());
        assert_eq!(a.geometry_type(), b.geometry_type(), "{a:?}");
        let (la, lb) = (tongtin::geom::planar_length(a), tongtin::geom::planar_length(b));
        assert!((la - lb).abs() < 1e-3 * lb, "length {la} against GDAL's {lb}");
        let (ea, eb) = (a.envelope().unwrap(), b.envelope().unwrap());
        // A chord of a 4-degree step lies within r(1 - cos 2°) of its arc; r ≤ 100 m here.
        assert!(
            ea.contains(&eb, 0.1) && eb.contains(&ea, 0.1),
            "{ea:?} against GDAL's {eb:?}"
        );
    }
    match &ours.features[1].geometry.as_ref().unwrap().shape {
        Shape::LineString(line) => {
            assert_eq!(line.first(), Some(&xy(799900.0, 1880000.0)));
            assert_eq!(line.last(), Some(&xy(800000.0, 1879920.0)));
        }
        other => panic!("the compound curve is not a line: {other:?}"),
    }
    let blob = geometry_blobs(&path, "curves")[0].clone().unwrap();
    assert_eq!(
        tongtin::geom::decode_blob(&blob).unwrap().stored_type,
        GeometryType::CircularString
    );
}
