//! Files Tongtin writes pass GDAL's validator and GDAL reads the same
//! features and values from them.

mod common;

use std::collections::HashMap;

use common::{assert_gdal_valid, demo, ogr2ogr, run, scratch, stdout};
use tongtin::geom::{Coord, Dimension, Geometry, GeometryType, Shape};
use tongtin::gpkg::{ColumnDef, GeoPackage, GeometryColumnDef, GpkgError, SqlType, TableDef, Value};

#[test]
fn the_demo_passes_gdal_validation() {
    assert_gdal_valid(&demo());
    let out = common::tongtin(&["validate", demo().to_str().unwrap()]);
    assert!(out.status.success(), "{}{}", stdout(&out), common::stderr(&out));
}

/// Exports a layer with ogr2ogr to GeoJSON and returns its features.
fn gdal_features(path: &std::path::Path, layer: &str) -> Vec<serde_json::Value> {
    let out = scratch().join(format!("{layer}.geojson"));
    let _ = std::fs::remove_file(&out);
    ogr2ogr(&[
        "-f",
        "GeoJSON",
        "-lco",
        "RFC7946=NO",
        "-lco",
        "COORDINATE_PRECISION=15",
        out.to_str().unwrap(),
        path.to_str().unwrap(),
        layer,
    ]);
    let doc: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap();
    doc["features"].as_array().unwrap().clone()
}

fn json_value(v: &Value) -> serde_json::Value {
    match v {
        Value::Null => serde_json::Value::Null,
        Value::Integer(i) => (*i).into(),
        Value::Real(r) => (*r).into(),
        Value::Text(t) => t.clone().into(),
        Value::Blob(_) => panic!("no blobs in the demo"),
    }
}

#[test]
fn gdal_reads_the_same_poles_roads_and_lamps() {
    let path = demo();
    let g = GeoPackage::open(&path).unwrap();
    for layer_name in ["poles", "roads", "lamps", "work_orders"] {
        let layer = g.layer(layer_name).unwrap();
        let ours = g.read_features(&layer, None).unwrap();
        let theirs = gdal_features(&path, layer_name);
        assert_eq!(theirs.len(), ours.features.len(), "{layer_name}: feature count");
        let by_uid: HashMap<&str, &serde_json::Value> = theirs
            .iter()
            .map(|f| (f["properties"]["uid"].as_str().unwrap(), f))
            .collect();
        for f in &ours.features {
            let uid = ours.value(f, "uid").and_then(Value::as_str).unwrap();
            let gdal = by_uid
                .get(uid)
                .unwrap_or_else(|| panic!("{layer_name}: GDAL lacks uid {uid}"));
            for (i, column) in ours.columns.iter().enumerate() {
                let expected = json_value(&f.values[i]);
                let got = &gdal["properties"][&column.name];
                let same = match (expected.as_f64(), got.as_f64()) {
                    (Some(a), Some(b)) => a == b,
                    _ if column.declared_type == "DATETIME" => instant(&expected) == instant(got),
                    _ => &expected == got,
                };
                assert!(
                    same,
                    "{layer_name} {uid} {}: tongtin {expected}, GDAL {got}",
                    column.name
                );
            }
            let coords: Vec<(f64, f64)> = match &f.geometry {
                Some(geom) => {
                    let mut v = Vec::new();
                    geom.for_each_coord(&mut |c| v.push((c.x, c.y)));
                    v
                }
                None => Vec::new(),
            };
            let gdal_coords: Vec<(f64, f64)> = match gdal["geometry"]["type"].as_str() {
                Some("Point") => vec![xy(&gdal["geometry"]["coordinates"])],
                Some("LineString") => gdal["geometry"]["coordinates"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(xy)
                    .collect(),
                None => Vec::new(),
                other => panic!("unexpected {other:?}"),
            };
            assert_eq!(coords, gdal_coords, "{layer_name} {uid}: coordinates");
        }
    }
}

/// GDAL writes `2025-10-01T02:00:00Z` for our `2025-10-01T02:00:00.000Z`: compare instants.
fn instant(v: &serde_json::Value) -> Option<chrono::DateTime<chrono::FixedOffset>> {
    v.as_str().and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
}

fn xy(v: &serde_json::Value) -> (f64, f64) {
    (v[0].as_f64().unwrap(), v[1].as_f64().unwrap())
}

#[test]
fn every_geometry_type_tongtin_writes_is_read_by_gdal() {
    let path = scratch().join("types_by_tongtin.gpkg");
    let mut g = GeoPackage::create(&path).unwrap();
    let c = |x: f64, y: f64, z: f64, m: f64| Coord { x, y, z, m };
    let ring = vec![
        c(0.0, 0.0, 1.0, 5.0),
        c(4.0, 0.0, 2.0, 6.0),
        c(4.0, 4.0, 3.0, 7.0),
        c(0.0, 0.0, 1.0, 5.0),
    ];
    let cases: Vec<(&str, GeometryType, u8, u8, Geometry, &str)> = vec![
        (
            "จุด_z",
            GeometryType::Point,
            1,
            0,
            Geometry {
                dim: Dimension::Xyz,
                shape: Shape::Point(c(1.5, 2.5, 3.5, 0.0)),
            },
            "POINT Z (1.5 2.5 3.5)",
        ),
        (
            "เส้น_m",
            GeometryType::LineString,
            0,
            1,
            Geometry {
                dim: Dimension::Xym,
                shape: Shape::LineString(vec![c(0.0, 0.0, 0.0, 1.0), c(1.0, 1.0, 0.0, 2.0)]),
            },
            "LINESTRING M (0 0 1,1 1 2)",
        ),
        (
            "รูป_zm",
            GeometryType::Polygon,
            1,
            1,
            Geometry {
                dim: Dimension::Xyzm,
                shape: Shape::Polygon(vec![ring]),
            },
            "POLYGON ZM ((0 0 1 5,4 0 2 6,4 4 3 7,0 0 1 5))",
        ),
        (
            "multipoint",
            GeometryType::MultiPoint,
            0,
            0,
            Geometry {
                dim: Dimension::Xy,
                shape: Shape::MultiPoint(vec![Coord::xy(1.0, 2.0), Coord::xy(3.0, 4.0)]),
            },
            "MULTIPOINT ((1 2),(3 4))",
        ),
        (
            "multiline",
            GeometryType::MultiLineString,
            0,
            0,
            Geometry {
                dim: Dimension::Xy,
                shape: Shape::MultiLineString(vec![vec![Coord::xy(0.0, 0.0), Coord::xy(1.0, 1.0)]]),
            },
            "MULTILINESTRING ((0 0,1 1))",
        ),
        (
            "multipolygon",
            GeometryType::MultiPolygon,
            0,
            0,
            Geometry {
                dim: Dimension::Xy,
                shape: Shape::MultiPolygon(vec![vec![vec![
                    Coord::xy(0.0, 0.0),
                    Coord::xy(2.0, 0.0),
                    Coord::xy(2.0, 2.0),
                    Coord::xy(0.0, 0.0),
                ]]]),
            },
            "MULTIPOLYGON (((0 0,2 0,2 2,0 0)))",
        ),
        (
            "collection",
            GeometryType::GeometryCollection,
            0,
            0,
            Geometry {
                dim: Dimension::Xy,
                shape: Shape::GeometryCollection(vec![
                    Geometry::point(5.0, 6.0),
                    Geometry::line_string([(0.0, 0.0), (1.0, 0.0)]),
                ]),
            },
            "GEOMETRYCOLLECTION (POINT (5 6),LINESTRING (0 0,1 0))",
        ),
        (
            "generic",
            GeometryType::Geometry,
            0,
            0,
            Geometry::point(7.0, 8.0),
            "POINT (7 8)",
        ),
    ];
    g.write(|b| -> Result<(), GpkgError> {
        for (name, ty, z, m, geom, _) in &cases {
            let geometry = GeometryColumnDef {
                name: "geom".into(),
                geometry_type: *ty,
                srs_id: 32648,
                z: *z,
                m: *m,
            };
            b.create_table(&TableDef {
                name: name.to_string(),
                identifier: name.to_string(),
                description: String::new(),
                geometry: Some(geometry.clone()),
                columns: vec![ColumnDef::new("ชื่อ", SqlType::Text), ColumnDef::new("ค่า", SqlType::Real)],
            })?;
            let mut ins = b.inserter(name, Some(("geom", 32648)), &["ชื่อ", "ค่า"])?;
            ins.insert(Some(geom), &[&"ภาษาไทย ๑๒๓", &0.1f64])?;
            ins.insert(None, &[&"ไม่มีรูปร่าง", &Value::Null])?;
            drop(ins);
            b.index_table(name, Some(&geometry))?;
        }
        Ok(())
    })
    .unwrap();
    drop(g);
    assert_gdal_valid(&path);
    for (name, _, _, _, _, wkt) in &cases {
        let out = stdout(&run("ogrinfo", &["-ro", "-q", path.to_str().unwrap(), name]));
        assert!(out.contains(wkt), "{name}: GDAL does not read {wkt}:\n{out}");
        assert!(
            out.contains("ชื่อ (String) = ภาษาไทย ๑๒๓") && out.contains("ค่า (Real) = 0.1"),
            "{name}:\n{out}"
        );
        assert!(
            out.contains("ไม่มีรูปร่าง"),
            "{name}: the NULL-geometry row is missing:\n{out}"
        );
        let summary = stdout(&run("ogrinfo", &["-ro", "-so", path.to_str().unwrap(), name]));
        assert!(summary.contains("Feature Count: 2"), "{name}: {summary}");
    }
}
