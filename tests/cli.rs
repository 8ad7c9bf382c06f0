//! The CLI contract: `tongtin info`, `validate`, `demo` and `migrate` as
//! later checks and scripts use them.

mod common;

use common::{copy_of, demo, scratch, stderr, stdout, tongtin};

fn info_json(path: &std::path::Path) -> serde_json::Value {
    let out = tongtin(&["info", path.to_str().unwrap(), "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).expect("info --json prints one JSON document")
}

#[test]
fn info_lists_every_layer_of_the_demo() {
    let doc = info_json(&demo());
    assert_eq!(doc["gpkg_version"], "1.2");
    assert_eq!(doc["schema_version"], tongtin::model::schema().version);
    let layers = doc["layers"].as_array().unwrap();
    let get = |name: &str| {
        layers
            .iter()
            .find(|l| l["name"] == name)
            .unwrap_or_else(|| panic!("no layer {name}"))
    };
    let names: Vec<&str> = layers.iter().map(|l| l["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "boundary",
            "disposals",
            "drains",
            "equipment",
            "equipment_categories",
            "inventory_checks",
            "inventory_findings",
            "lamps",
            "landmarks",
            "poles",
            "roads",
            "terrain",
            "villages",
            "work_orders"
        ]
    );
    let poles = get("poles");
    assert_eq!(
        (
            poles["kind"].as_str(),
            poles["geometry_type"].as_str(),
            poles["srs"].as_str()
        ),
        (Some("features"), Some("POINT"), Some("EPSG:32648"))
    );
    assert_eq!((poles["z"].as_u64(), poles["m"].as_u64()), (Some(0), Some(0)));
    let n = poles["count"].as_u64().unwrap();
    assert!((2700..=3300).contains(&n), "about 3,000 poles, got {n}");
    assert_eq!(get("lamps")["kind"], "attributes");
    assert!(get("lamps")["count"].as_u64().unwrap() >= n, "every pole has a lamp");
    assert_eq!(get("terrain")["kind"], "coverage");
    assert_eq!(get("terrain")["zoom_levels"], serde_json::json!([0, 4]));
    let boundary = get("boundary")["extent"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect::<Vec<_>>();
    let pole_extent = poles["extent"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect::<Vec<_>>();
    assert!(
        pole_extent[0] >= boundary[0]
            && pole_extent[1] >= boundary[1]
            && pole_extent[2] <= boundary[2]
            && pole_extent[3] <= boundary[3],
        "poles lie within the tambon"
    );
    let roads = get("roads")["count"].as_u64().unwrap();
    assert!((400..=1000).contains(&roads), "{roads} road sections");
    assert_eq!(get("landmarks")["count"].as_u64().unwrap(), 22);
    assert_eq!(get("equipment")["count"].as_u64().unwrap(), 500);
    assert_eq!(get("villages")["count"].as_u64().unwrap(), 12, "one area per village");

    let text = stdout(&tongtin(&["info", demo().to_str().unwrap()]));
    assert!(
        text.contains("GeoPackage 1.2, Tongtin data model 3, 14 layers"),
        "{text}"
    );
    assert!(
        text.lines().any(|l| l.starts_with("poles")
            && l.contains("POINT")
            && l.contains("EPSG:32648")
            && l.contains(&format!("{n} features"))),
        "{text}"
    );
}

#[test]
fn the_demo_is_deterministic_and_roads_total_100_to_200_km() {
    let a = scratch().join("seed7a.gpkg");
    let b = scratch().join("seed7b.gpkg");
    let c = scratch().join("seed8.gpkg");
    for (path, seed) in [(&a, "7"), (&b, "7"), (&c, "8")] {
        let out = tongtin(&["demo", path.to_str().unwrap(), "--seed", seed]);
        assert!(out.status.success(), "{}", stderr(&out));
        let summary = stdout(&out);
        let km: f64 = summary
            .split(" road sections (")
            .nth(1)
            .and_then(|s| s.split(" km)").next())
            .and_then(|s| s.parse().ok())
            .unwrap();
        assert!((100.0..=200.0).contains(&km), "{km} km of roads");
    }
    let rows = |p: &std::path::Path| -> Vec<(String, String, Vec<u8>)> {
        let conn = rusqlite::Connection::open_with_flags(p, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
        let mut stmt = conn
            .prepare("SELECT uid, pole_no || status, geom FROM poles ORDER BY fid")
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    assert_eq!(rows(&a), rows(&b), "the same seed gives the same poles");
    assert_ne!(rows(&a), rows(&c), "another seed gives other poles");
}

#[test]
fn demo_refuses_to_overwrite_unless_forced() {
    let path = scratch().join("exists.gpkg");
    std::fs::write(&path, b"keep me").unwrap();
    let out = tongtin(&["demo", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(4));
    assert!(stderr(&out).contains("already exists"), "{}", stderr(&out));
    assert_eq!(std::fs::read(&path).unwrap(), b"keep me");
    let out = tongtin(&["demo", path.to_str().unwrap(), "--force"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(info_json(&path)["schema_version"], tongtin::model::schema().version);
}

#[test]
fn demo_scale_multiplies_the_towns() {
    let path = scratch().join("scale3.gpkg");
    let out = tongtin(&["demo", path.to_str().unwrap(), "--scale", "3"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let one = info_json(&demo());
    let three = info_json(&path);
    let count = |doc: &serde_json::Value, name: &str| {
        doc["layers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["name"] == name)
            .unwrap()["count"]
            .as_u64()
            .unwrap()
    };
    let (p1, p3) = (count(&one, "poles"), count(&three, "poles"));
    assert!(p3 > 2 * p1 && p3 < 4 * p1, "{p1} → {p3}");
    assert_eq!(
        count(&three, "equipment"),
        500,
        "the register is the municipality's, not per town"
    );
    let out = tongtin(&["validate", path.to_str().unwrap()]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
}

#[test]
fn validate_lists_every_model_problem() {
    let path = copy_of(&demo(), "model_problems.gpkg");
    {
        common::edit_sql(
            &path,
            "UPDATE poles SET status = 'broken' WHERE fid = 1;
             UPDATE poles SET uid = 'not-a-uuid' WHERE fid = 2;
             UPDATE poles SET pole_no = (SELECT pole_no FROM poles WHERE fid = 4) WHERE fid = 3;
             UPDATE poles SET height_m = 250 WHERE fid = 5;
             UPDATE roads SET road_code = 'ถนนหนึ่ง' WHERE fid = 6;
             UPDATE lamps SET pole_uid = '00000000-0000-4000-8000-000000000000' WHERE fid = 7;
             UPDATE work_orders SET status = NULL WHERE fid = 8;
             UPDATE equipment SET acquired_date = '2566-13-45' WHERE fid = 9;",
        );
    }
    let out = tongtin(&["validate", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let report = stdout(&out);
    for expected in [
        "poles fid 1: status (สถานะ) 'broken' is not one of normal, damaged, awaiting_repair",
        "poles fid 2: uid 'not-a-uuid' is not a UUID",
        "pole_no (หมายเลขเสา)",
        "poles fid 5: height_m (ความสูง (ม.)) 250 is outside 1–60",
        "roads fid 6: road_code (รหัสสายทาง) 'ถนนหนึ่ง' is not a road code like นภ.ถ 1-0012",
        "lamps fid 7: pole_uid 00000000-0000-4000-8000-000000000000 does not exist in poles",
        "work_orders fid 8: status (สถานะ) is required but empty",
        "equipment fid 9: acquired_date (วันที่ได้มา) '2566-13-45' is not a date YYYY-MM-DD",
    ] {
        assert!(report.contains(expected), "missing '{expected}' in:\n{report}");
    }
    assert!(
        report.lines().all(|l| l.starts_with(path.to_str().unwrap())),
        "one problem per line, each naming the file"
    );
}

#[test]
fn migrate_brings_an_older_file_forward_and_gdal_still_accepts_it() {
    let path = copy_of(&demo(), "older.gpkg");
    {
        common::edit_sql(
            &path,
            "DROP TRIGGER tongtin_capture_poles_insert;
             DROP TRIGGER tongtin_capture_poles_update;
             DROP TRIGGER tongtin_capture_poles_delete;
             DELETE FROM gpkg_data_columns WHERE table_name = 'poles' AND column_name = 'asset_no';
             ALTER TABLE poles DROP COLUMN asset_no;
             UPDATE tongtin_meta SET value = '0' WHERE key = 'schema_version';",
        );
    }
    let out = tongtin(&["migrate", path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains(&format!("data model 0 → {}", tongtin::model::schema().version))
            && stdout(&out).contains("poles.asset_no"),
        "{}",
        stdout(&out)
    );
    assert_eq!(info_json(&path)["schema_version"], tongtin::model::schema().version);
    common::assert_gdal_valid(&path);
    let again = tongtin(&["migrate", path.to_str().unwrap()]);
    assert!(stdout(&again).contains("is current"));
}

#[test]
fn gdal_made_files_validate_as_plain_geopackages() {
    let csv = scratch().join("pts.csv");
    std::fs::write(&csv, "name,wkt\nก,POINT (1 2)\n").unwrap();
    let path = scratch().join("plain_gdal.gpkg");
    common::ogr2ogr(&[
        "-f",
        "GPKG",
        path.to_str().unwrap(),
        csv.to_str().unwrap(),
        "-a_srs",
        "EPSG:32648",
        "-oo",
        "GEOM_POSSIBLE_NAMES=wkt",
        "-oo",
        "KEEP_GEOM_COLUMNS=NO",
    ]);
    let out = tongtin(&["validate", path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stdout(&out));
    assert!(stdout(&out).contains("no Tongtin data model"));
}
