//! Editing through the core's editor: checks, journal, undo and redo,
//! photos, edits by other tools, with GDAL as the independent reader.

mod common;

use std::path::{Path, PathBuf};

use common::{assert_gdal_valid, copy_of, count, demo, run, stdout, tongtin};
use tongtin::edit::{Change, Edit, EditError, Editor, UndoStack};
use tongtin::geom::{Coord, Dimension, Geometry, Shape};
use tongtin::gpkg::Value;
use tongtin::journal::{read_history, Actor, HistoryFilter, OpKind, Origin, Row};

fn actor() -> Actor {
    Actor {
        user: "somchai".into(),
        device: "office-pc-1".into(),
    }
}

fn row(pairs: &[(&str, Value)]) -> Row {
    pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect()
}

/// A place inside the municipality: an existing pole, nudged.
fn near_a_pole(path: &Path, dx: f64) -> (f64, f64) {
    let g = tongtin::gpkg::GeoPackage::open(path).unwrap();
    let (x, y): (f64, f64) = g
        .connection()
        .query_row(
            "SELECT ST_MinX(geom), ST_MinY(geom) FROM poles WHERE fid = 100",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    (x + dx, y + 3.0)
}

fn new_pole(uid: &str, pole_no: &str, at: (f64, f64)) -> Change {
    Change::Insert {
        layer: "poles".into(),
        uid: Some(uid.into()),
        values: row(&[
            ("pole_no", pole_no.into()),
            ("pole_type", "single_arm".into()),
            ("owner", "lao".into()),
            ("status", "normal".into()),
        ]),
        geometry: Some(Geometry::point(at.0, at.1)),
    }
}

fn new_lamp(pole_uid: &str) -> Change {
    Change::Insert {
        layer: "lamps".into(),
        uid: None,
        values: row(&[
            ("pole_uid", pole_uid.into()),
            ("lamp_type", "led".into()),
            ("watts", Value::Integer(40)),
        ]),
        geometry: None,
    }
}

fn journal_agrees(path: &Path) {
    let out = tongtin(&["journal", "check", path.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "journal check: {}{}",
        stdout(&out),
        common::stderr(&out)
    );
    assert!(stdout(&out).contains("agree"), "{}", stdout(&out));
}

#[test]
fn a_pole_and_its_lamp_are_one_undoable_edit() {
    let path = copy_of(&demo(), "pole_and_lamp.gpkg");
    let poles_before = count(&path, "SELECT count(*) FROM poles");
    let mut editor = Editor::open(&path, actor()).unwrap();
    let mut undo = UndoStack::default();
    let uid = "0b0e7c1e-0000-4000-8000-000000000001";
    let applied = editor
        .apply(&Edit::checked(
            "เพิ่มเสา",
            vec![new_pole(uid, "TEST-0001", near_a_pole(&path, 5.0)), new_lamp(uid)],
        ))
        .unwrap();
    undo.push(&applied);
    assert_eq!(applied.ops.len(), 2);
    assert!(applied
        .ops
        .iter()
        .all(|o| o.kind == OpKind::Insert && o.user == "somchai"));
    let pole_op = &applied.ops[0];
    let field = |name: &str| {
        pole_op
            .fields
            .iter()
            .find(|f| f.field == name)
            .and_then(|f| f.new.clone())
    };
    assert_eq!(field("pole_no"), Some("TEST-0001".into()));
    assert_eq!(field("created_by"), Some("somchai".into()));
    assert!(matches!(field("village_no"), Some(Value::Integer(n)) if (1..=12).contains(&n)));
    assert!(matches!(field("elevation_m"), Some(Value::Real(_))));
    assert!(field("geom").is_some());
    assert_eq!(count(&path, "SELECT count(*) FROM poles"), poles_before + 1);

    let undone = undo.undo(&mut editor).unwrap().unwrap();
    assert!(undone.ops.iter().all(|o| o.kind == OpKind::Delete));
    assert_eq!(count(&path, "SELECT count(*) FROM poles"), poles_before);
    assert_eq!(
        count(&path, &format!("SELECT count(*) FROM lamps WHERE pole_uid = '{uid}'")),
        0
    );
    undo.redo(&mut editor).unwrap().unwrap();
    assert_eq!(
        count(&path, &format!("SELECT count(*) FROM lamps WHERE pole_uid = '{uid}'")),
        1
    );
    assert_eq!(
        count(&path, "SELECT count(*) FROM poles WHERE pole_no = 'TEST-0001'"),
        1
    );
    drop(editor);
    journal_agrees(&path);
    assert_gdal_valid(&path);
    // GDAL reads the new pole with its automatic values.
    let out = run(
        "ogrinfo",
        &[
            "-ro",
            "-q",
            path.to_str().unwrap(),
            "-sql",
            "SELECT pole_no, created_by, village_no FROM poles WHERE pole_no = 'TEST-0001'",
        ],
    );
    assert!(
        stdout(&out).contains("created_by (String) = somchai"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn elevation_comes_from_the_dem_as_gdal_reads_it() {
    let path = copy_of(&demo(), "elevation.gpkg");
    let at = near_a_pole(&path, 7.0);
    let mut editor = Editor::open(&path, actor()).unwrap();
    let applied = editor
        .apply(&Edit::checked(
            "เพิ่มเสา",
            vec![new_pole("5e1e0000-0000-4000-8000-000000000001", "ELEV-1", at)],
        ))
        .unwrap();
    let ours = applied.ops[0]
        .fields
        .iter()
        .find(|f| f.field == "elevation_m")
        .and_then(|f| f.new.as_ref().and_then(Value::as_f64))
        .unwrap();
    drop(editor);
    let out = run(
        "gdallocationinfo",
        &[
            "-valonly",
            "-geoloc",
            &format!("GPKG:{}:terrain", path.display()),
            &at.0.to_string(),
            &at.1.to_string(),
        ],
    );
    let gdal: f64 = stdout(&out)
        .trim()
        .parse()
        .unwrap_or_else(|_| panic!("gdallocationinfo: {}", stdout(&out)));
    // GDAL reports the cell's value, Tongtin interpolates between 10 m cells.
    assert!((ours - gdal).abs() < 1.5, "Tongtin {ours} m, GDAL {gdal} m");
}

/// Every table's rows as SQL literals, hashed: what a refused edit must leave alone.
fn fingerprint(path: &Path) -> Vec<(String, usize, u64)> {
    use std::hash::{Hash, Hasher};
    let g = tongtin::gpkg::GeoPackage::open(path).unwrap();
    let conn = g.connection();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'rtree_%' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    tables
        .into_iter()
        .map(|t| {
            let mut stmt = conn.prepare(&format!("SELECT * FROM \"{t}\"")).unwrap();
            let cols = stmt.column_count();
            let rows: Vec<String> = stmt
                .query_map([], |r| {
                    Ok((0..cols)
                        .map(|i| tongtin::journal::literal(&Value::from(r.get_ref(i).unwrap())))
                        .collect::<Vec<_>>()
                        .join(","))
                })
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            let mut h = std::collections::hash_map::DefaultHasher::new();
            rows.hash(&mut h);
            (t, rows.len(), h.finish())
        })
        .collect()
}

fn line(points: &[(f64, f64)]) -> Geometry {
    Geometry {
        dim: Dimension::Xy,
        shape: Shape::LineString(points.iter().map(|&(x, y)| Coord::xy(x, y)).collect()),
    }
}

#[test]
fn invalid_edits_are_refused_with_reasons_and_change_nothing() {
    let path = copy_of(&demo(), "refused.gpkg");
    let mut editor = Editor::open(&path, actor()).unwrap();
    let before = fingerprint(&path);
    let (x, y) = near_a_pole(&path, 2.0);
    let existing_no: String = editor
        .gpkg()
        .connection()
        .query_row("SELECT pole_no FROM poles WHERE fid = 1", [], |r| r.get(0))
        .unwrap();
    let cases: Vec<(&str, Vec<Change>, &str)> = vec![
        (
            "outside",
            vec![new_pole(
                "aaaaaaaa-0000-4000-8000-000000000001",
                "OUT-1",
                (x + 50_000.0, y),
            )],
            "outside the municipality",
        ),
        (
            "duplicate number",
            vec![new_pole("aaaaaaaa-0000-4000-8000-000000000002", &existing_no, (x, y))],
            "already used",
        ),
        (
            "domain",
            vec![Change::Insert {
                layer: "poles".into(),
                uid: None,
                values: row(&[
                    ("pole_no", "DOM-1".into()),
                    ("pole_type", "wooden".into()),
                    ("owner", "lao".into()),
                    ("status", "normal".into()),
                ]),
                geometry: Some(Geometry::point(x, y)),
            }],
            "not in the list",
        ),
        (
            "self-intersecting road",
            vec![Change::Insert {
                layer: "roads".into(),
                uid: None,
                values: row(&[("class", "3".into()), ("surface", "asphalt".into())]),
                geometry: Some(line(&[(x, y), (x + 100.0, y + 100.0), (x + 100.0, y), (x, y + 100.0)])),
            }],
            "crosses itself",
        ),
        ("orphan lamp", vec![new_lamp("no-such-pole")], "does not exist"),
        (
            "range and format",
            vec![Change::Insert {
                layer: "roads".into(),
                uid: None,
                values: row(&[
                    ("class", "3".into()),
                    ("surface", "asphalt".into()),
                    ("carriageway_m", Value::Real(99.0)),
                    ("road_code", "ถนนใหญ่".into()),
                ]),
                geometry: Some(line(&[(x, y), (x + 100.0, y + 10.0)])),
            }],
            "road code",
        ),
    ];
    for (name, changes, expected) in cases {
        match editor.apply(&Edit::checked(name, changes)) {
            Err(EditError::Invalid(problems)) => {
                let text = problems
                    .iter()
                    .map(|p| format!("{} {}", p.en, p.th))
                    .collect::<Vec<_>>()
                    .join(" | ");
                assert!(text.contains(expected), "{name}: {text}");
                assert!(
                    problems.iter().all(|p| !p.th.is_empty()),
                    "{name}: Thai message missing"
                );
            }
            other => panic!("{name}: expected a refusal, got {other:?}"),
        }
    }
    // A second problem in the same edit is reported too, not only the first.
    let both = editor.apply(&Edit::checked(
        "two problems",
        vec![Change::Insert {
            layer: "poles".into(),
            uid: None,
            values: row(&[
                ("pole_type", "wooden".into()),
                ("owner", "lao".into()),
                ("status", "normal".into()),
            ]),
            geometry: Some(Geometry::point(x, y)),
        }],
    ));
    match both {
        Err(EditError::Invalid(p)) => assert_eq!(p.len(), 2, "{p:?}"),
        other => panic!("expected two problems, got {other:?}"),
    }
    let png_but_broken = b"\x89PNG\r\n\x1a\nnot really".to_vec();
    let uid = pole_uid(&editor, 1);
    assert!(matches!(
        editor.attach_photo("poles", &uid, "x.png", png_but_broken),
        Err(EditError::BadPhoto { .. })
    ));
    let oversized = vec![0xFFu8; tongtin::edit::MAX_PHOTO_BYTES + 1];
    match editor.attach_photo("poles", &uid, "big.jpg", oversized) {
        Err(EditError::BadPhoto { en, .. }) => assert!(en.contains("larger than"), "{en}"),
        other => panic!("oversized photo accepted: {other:?}"),
    }
    drop(editor);
    assert_eq!(fingerprint(&path), before, "a refused edit changed the file");
}

/// The uid of the pole with this fid.
fn pole_uid(editor: &Editor, fid: i64) -> String {
    editor
        .gpkg()
        .connection()
        .query_row("SELECT uid FROM poles WHERE fid = ?1", [fid], |r| r.get(0))
        .unwrap()
}

fn tiny_png() -> Vec<u8> {
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, 3, 2);
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    enc.write_header().unwrap().write_image_data(&[200u8; 18]).unwrap();
    out
}

#[test]
fn photos_are_related_tables_gdal_can_read_and_undo_brings_them_back() {
    let path = copy_of(&demo(), "photos.gpkg");
    let mut editor = Editor::open(&path, actor()).unwrap();
    let mut undo = UndoStack::default();
    let uid = pole_uid(&editor, 7);
    let png = tiny_png();
    let attached = editor.attach_photo("poles", &uid, "เสา 7.png", png.clone()).unwrap();
    undo.push(&attached);
    let photos = editor.photos("poles", &uid).unwrap();
    assert_eq!(photos.len(), 1);
    assert_eq!(
        (photos[0].width, photos[0].height, photos[0].content_type.as_str()),
        (3, 2, "image/png")
    );
    assert_eq!(editor.photo_data(photos[0].id).unwrap().unwrap().1, png);
    let pole_history = read_history(
        editor.gpkg().connection(),
        &HistoryFilter {
            uid: Some(uid.clone()),
            ..Default::default()
        },
    )
    .unwrap();
    assert!(
        pole_history
            .iter()
            .any(|o| o.layer == "tongtin_photos" && o.kind == OpKind::Insert),
        "the pole's history lists its photo"
    );
    // Deleting the pole takes its lamps and photo along; undo brings back all, bytes included.
    let lamps = count(&path, &format!("SELECT count(*) FROM lamps WHERE pole_uid = '{uid}'"));
    assert!(lamps > 0);
    let deleted = editor
        .apply(&Edit::checked(
            "ลบเสา",
            vec![Change::Delete {
                layer: "poles".into(),
                uid: uid.clone(),
            }],
        ))
        .unwrap();
    undo.push(&deleted);
    assert_eq!(deleted.ops.len() as i64, lamps + 2);
    assert!(editor.photos("poles", &uid).unwrap().is_empty());
    undo.undo(&mut editor).unwrap();
    let back = editor.photos("poles", &uid).unwrap();
    assert_eq!(back.len(), 1);
    assert_eq!(editor.photo_data(back[0].id).unwrap().unwrap().1, png);
    assert_eq!(
        count(&path, &format!("SELECT count(*) FROM lamps WHERE pole_uid = '{uid}'")),
        lamps
    );
    drop(editor);
    assert_gdal_valid(&path);
    journal_agrees(&path);
    let script = format!(
        "from osgeo import gdal\nds = gdal.OpenEx('{}')\nnames = ds.GetRelationshipNames() or []\nprint(len(names))\nfor n in names:\n    r = ds.GetRelationship(n)\n    print(r.GetLeftTableName(), r.GetRightTableName(), r.GetMappingTableName())\nlyr = ds.GetLayerByName('tongtin_photos_poles')\nprint('mapping rows', lyr.GetFeatureCount() if lyr else -1)\n",
        path.display()
    );
    let out = run("/usr/bin/python3", &["-c", &script]);
    let text = stdout(&out);
    assert!(
        text.contains("poles tongtin_photos tongtin_photos_poles"),
        "GDAL relations: {text}{}",
        common::stderr(&out)
    );
    assert!(text.contains("mapping rows 1"), "{text}");
}

#[test]
fn edits_by_other_tools_are_captured_with_old_and_new_values() {
    let path = copy_of(&demo(), "external.gpkg");
    let p = path.to_str().unwrap();
    let out = run(
        "ogrinfo",
        &[
            p,
            "-sql",
            "UPDATE poles SET status = 'damaged', height_m = 9.25 WHERE fid = 3",
        ],
    );
    assert!(out.status.success(), "{}", common::stderr(&out));
    // QGIS-like insert without uid or times: the SQL defaults fill them.
    run(
        "ogrinfo",
        &[
            p,
            "-sql",
            "INSERT INTO lamps (pole_uid, lamp_type) SELECT uid, 'led' FROM poles WHERE fid = 3",
        ],
    );
    let editor = Editor::open(&path, actor()).unwrap();
    let ops = read_history(editor.gpkg().connection(), &HistoryFilter::default()).unwrap();
    assert_eq!(ops.len(), 2, "{ops:#?}");
    assert!(ops.iter().all(|o| o.origin == Origin::External && o.user.is_empty()));
    let status = ops[0].fields.iter().find(|f| f.field == "status").unwrap();
    assert_eq!(
        (status.old.clone(), status.new.clone()),
        (Some("normal".into()), Some("damaged".into()))
    );
    let lamp = &ops[1];
    assert_eq!(lamp.kind, OpKind::Insert);
    assert_eq!(lamp.uid.len(), 36, "a uid was given by the SQL default");
    drop(editor);

    // A script that drops the capture triggers is found by the fingerprints.
    let out = run(
        "sqlite3",
        &[
            p,
            "DROP TRIGGER tongtin_capture_lamps_update; UPDATE lamps SET watts = 77 WHERE fid = 2;",
        ],
    );
    assert!(out.status.success(), "{}", common::stderr(&out));
    let out = tongtin(&["journal", "check", p]);
    let text = stdout(&out);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("capture triggers of 'lamps'"), "{text}");
    assert!(
        text.contains("found by fingerprint") && text.contains("update lamps"),
        "{text}"
    );
    let again = tongtin(&["journal", "check", p]);
    assert!(!stdout(&again).contains("fingerprint"), "{}", stdout(&again));
    let hist = tongtin(&["history", p, "--json"]);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&hist)).unwrap();
    let last = doc.as_array().unwrap().last().unwrap();
    assert_eq!(last["table"], "lamps");
    assert!(last["fields"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["field"] == "watts" && f["new"] == 77));
}

#[test]
fn restoring_an_earlier_version_is_itself_an_edit() {
    let path = copy_of(&demo(), "restore.gpkg");
    let mut editor = Editor::open(&path, actor()).unwrap();
    let uid = pole_uid(&editor, 11);
    let set = |status: &str| {
        Edit::checked(
            "สถานะ",
            vec![Change::Update {
                layer: "poles".into(),
                uid: uid.clone(),
                values: row(&[("status", status.into())]),
                geometry: None,
                expect: Row::new(),
            }],
        )
    };
    let first = editor.apply(&set("damaged")).unwrap();
    editor.apply(&set("awaiting_repair")).unwrap();
    let seq = first.ops[0].seq.unwrap();
    let version = tongtin::edit::version_after(&editor, "poles", &uid, seq)
        .unwrap()
        .unwrap();
    assert_eq!(version["status"], Value::from("damaged"));
    let restored = editor.restore("poles", &uid, seq).unwrap();
    assert_eq!(restored.ops.len(), 1);
    let status = restored.ops[0].fields.iter().find(|f| f.field == "status").unwrap();
    assert_eq!(status.new, Some("damaged".into()));
    drop(editor);
    let out = tongtin(&["history", path.to_str().unwrap(), "--uid", &uid]);
    let text = stdout(&out);
    assert_eq!(text.lines().filter(|l| l.contains("\tstatus\t")).count(), 3, "{text}");
    assert!(text.lines().next().unwrap().starts_with("op_id\tuid\ttable"));
    let none = tongtin(&[
        "history",
        path.to_str().unwrap(),
        "--uid",
        &uid,
        "--since",
        "2999-01-01",
    ]);
    assert_eq!(stdout(&none).lines().count(), 1, "only the header");
    let bad = tongtin(&["history", path.to_str().unwrap(), "--since", "yesterday"]);
    assert_eq!(bad.status.code(), Some(2));
    journal_agrees(&path);
}

#[test]
fn history_of_a_file_without_journal_is_empty_not_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let path: PathBuf = dir.path().join("plain.gpkg");
    tongtin::model::create_municipality(&path, &Default::default()).unwrap();
    let out = tongtin(&["history", path.to_str().unwrap(), "--json"]);
    assert!(out.status.success());
    assert_eq!(stdout(&out).trim(), "[]");
    let bad = tongtin(&["journal", "check", "/nonexistent.gpkg"]);
    assert_eq!(bad.status.code(), Some(3));
}

#[test]
fn a_road_split_in_two_and_merged_back_keeps_its_attributes_and_length() {
    let path = copy_of(&demo(), "split.gpkg");
    let mut editor = Editor::open(&path, actor()).unwrap();
    let mut undo = UndoStack::default();
    let (uid, length, x, y): (String, f64, f64, f64) = editor
        .gpkg()
        .connection()
        .query_row(
            "SELECT uid, length_m, (ST_MinX(geom) + ST_MaxX(geom)) / 2, (ST_MinY(geom) + ST_MaxY(geom)) / 2
             FROM roads WHERE length_m > 200 ORDER BY fid LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    let roads = count(&path, "SELECT count(*) FROM roads");
    // A point far from the line is refused with a reason.
    assert!(matches!(
        editor.split("split", "roads", &uid, (x + 5000.0, y), 5.0),
        Err(EditError::Invalid(_))
    ));
    let original = road_line(&editor, &uid);
    let mid = Coord::xy(
        (original[0].x + original[1].x) / 2.0,
        (original[0].y + original[1].y) / 2.0,
    );
    let split = editor.split("split", "roads", &uid, (mid.x + 0.5, mid.y), 5.0).unwrap();
    undo.push(&split);
    assert_eq!(count(&path, "SELECT count(*) FROM roads"), roads + 1);
    let (_, new_uid) = split.inserted[0].clone();
    let (_, a) = editor_row(&editor, &uid);
    let (_, b) = editor_row(&editor, &new_uid);
    assert_eq!(a["road_code"], b["road_code"]);
    assert_eq!(a["surface"], b["surface"]);
    let la = a["length_m"].as_f64().unwrap();
    let lb = b["length_m"].as_f64().unwrap();
    assert!((la + lb - length).abs() < 0.05, "{la} + {lb} vs {length}");
    // The register chainage is shared out by length: the parts meet where one ends.
    assert_eq!(a["end_km"], b["start_km"]);
    let (s, e) = (a["start_km"].as_f64().unwrap(), b["end_km"].as_f64().unwrap());
    let at = a["end_km"].as_f64().unwrap();
    assert!(s < at && at < e && ((at - s) / (e - s) - la / (la + lb)).abs() < 0.01);
    let merged = editor.merge("merge", "roads", &uid, &new_uid, 0.01).unwrap();
    undo.push(&merged);
    assert_eq!(count(&path, "SELECT count(*) FROM roads"), roads);
    let (_, m) = editor_row(&editor, &uid);
    assert!((m["length_m"].as_f64().unwrap() - length).abs() < 0.05);
    assert_eq!((m["start_km"].as_f64(), m["end_km"].as_f64()), (Some(s), Some(e)));
    undo.undo(&mut editor).unwrap();
    undo.undo(&mut editor).unwrap();
    assert_eq!(count(&path, "SELECT count(*) FROM roads"), roads);
    assert_eq!(road_line(&editor, &uid), original, "undo puts the original line back");
    drop(editor);
    journal_agrees(&path);
}

fn road_line(editor: &Editor, uid: &str) -> Vec<Coord> {
    let (_, row) = editor_row(editor, uid);
    match tongtin::geom::decode_blob(row["geom"].as_blob())
        .unwrap()
        .geometry
        .shape
    {
        Shape::LineString(cs) => cs,
        _ => panic!("not a line"),
    }
}

fn editor_row(editor: &Editor, uid: &str) -> (i64, Row) {
    let fid: i64 = editor
        .gpkg()
        .connection()
        .query_row("SELECT fid FROM roads WHERE uid = ?1", [uid], |r| r.get(0))
        .unwrap();
    let (_, row) = editor.feature_by_fid("roads", fid).unwrap().unwrap();
    (fid, row)
}

trait AsBlob {
    fn as_blob(&self) -> &[u8];
}

impl AsBlob for Value {
    fn as_blob(&self) -> &[u8] {
        match self {
            Value::Blob(b) => b,
            _ => panic!("not a blob"),
        }
    }
}

#[test]
fn only_current_tongtin_files_open_for_editing_and_are_left_untouched_otherwise() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("pts.csv");
    std::fs::write(&csv, "name,wkt\nก,POINT (1 2)\n").unwrap();
    let plain = dir.path().join("plain.gpkg");
    common::ogr2ogr(&[
        "-f",
        "GPKG",
        plain.to_str().unwrap(),
        csv.to_str().unwrap(),
        "-oo",
        "GEOM_POSSIBLE_NAMES=wkt",
    ]);
    let before = std::fs::read(&plain).unwrap();
    match Editor::open(&plain, actor()) {
        Err(EditError::NotEditable { why, .. }) => assert!(why.contains("not a Tongtin"), "{why}"),
        other => panic!("a plain GeoPackage opened for editing: {:?}", other.err()),
    }
    assert_eq!(std::fs::read(&plain).unwrap(), before, "the file was changed");
    let older = copy_of(&demo(), "older_model.gpkg");
    common::edit_sql(
        &older,
        "UPDATE tongtin_meta SET value = '1' WHERE key = 'schema_version'",
    );
    match Editor::open(&older, actor()) {
        Err(e @ EditError::ModelOlder { found: 1, .. }) => {
            assert!(e.to_string().contains("tongtin migrate"), "{e}")
        }
        other => panic!("an older file opened for editing: {:?}", other.err()),
    }
    let report = tongtin::model::migrate_file(&older).unwrap();
    assert_eq!((report.from, report.to), (1, tongtin::model::schema().version));
    assert!(Editor::open(&older, actor()).is_ok(), "editable once migrated");
}

/// The journal position of the latest op of this kind on photo `uid`.
fn photo_op_seq(editor: &Editor, uid: &str, kind: OpKind) -> i64 {
    read_history(
        editor.gpkg().connection(),
        &HistoryFilter {
            uid: Some(uid.to_string()),
            layer: Some("tongtin_photos".into()),
            ..Default::default()
        },
    )
    .unwrap()
    .iter()
    .rev()
    .find(|o| o.kind == kind)
    .and_then(|o| o.seq)
    .expect("the op is journaled")
}

#[test]
fn a_removed_photo_comes_back_from_its_history_after_the_undo_stack_is_gone() {
    let path = copy_of(&demo(), "photo_restore.gpkg");
    let png = tiny_png();
    let mut editor = Editor::open(&path, actor()).unwrap();
    let uid = pole_uid(&editor, 9);
    editor.attach_photo("poles", &uid, "ก่อนซ่อม.png", png.clone()).unwrap();
    let photo = editor.photos("poles", &uid).unwrap().remove(0);
    editor.remove_photo(&photo.uid).unwrap();
    assert!(editor.photos("poles", &uid).unwrap().is_empty());
    drop(editor);

    // A later session, without the undo stack: the history puts it back, bytes and all.
    let mut editor = Editor::open(&path, actor()).unwrap();
    let seq = photo_op_seq(&editor, &photo.uid, OpKind::Delete);
    editor.restore("tongtin_photos", &photo.uid, seq - 1).unwrap();
    let back = editor.photos("poles", &uid).unwrap();
    assert_eq!(back.len(), 1);
    assert_eq!(
        (back[0].uid.as_str(), back[0].sha256.as_str()),
        (photo.uid.as_str(), photo.sha256.as_str())
    );
    assert_eq!(editor.photo_data(back[0].id).unwrap().unwrap().1, png);
    drop(editor);

    // A photo renamed by another tool goes back to its earlier name.
    common::edit_sql(
        &path,
        &format!(
            "UPDATE tongtin_photos SET file_name = 'renamed.png' WHERE uid = '{}'",
            photo.uid
        ),
    );
    let mut editor = Editor::open(&path, actor()).unwrap();
    let renamed = photo_op_seq(&editor, &photo.uid, OpKind::Update);
    editor.restore("tongtin_photos", &photo.uid, renamed - 1).unwrap();
    let back = editor.photos("poles", &uid).unwrap();
    assert_eq!(back[0].file_name.as_deref(), Some("ก่อนซ่อม.png"));
    assert_eq!(editor.photo_data(back[0].id).unwrap().unwrap().1, png);
    drop(editor);

    // A photo deleted by another tool is kept as well.
    let sha = photo.sha256.clone();
    common::edit_sql(&path, &format!("DELETE FROM tongtin_photos WHERE sha256 = '{sha}'"));
    let mut editor = Editor::open(&path, actor()).unwrap();
    let seq = photo_op_seq(&editor, &photo.uid, OpKind::Delete);
    editor.restore("tongtin_photos", &photo.uid, seq - 1).unwrap();
    assert_eq!(editor.photos("poles", &uid).unwrap().len(), 1);
    drop(editor);
    journal_agrees(&path);
    assert_gdal_valid(&path);
}

#[test]
fn a_photo_removed_before_the_file_kept_removed_photos_is_refused_with_the_reason() {
    let path = copy_of(&demo(), "photo_lost.gpkg");
    let mut editor = Editor::open(&path, actor()).unwrap();
    let uid = pole_uid(&editor, 11);
    editor.attach_photo("poles", &uid, "x.png", tiny_png()).unwrap();
    let photo = editor.photos("poles", &uid).unwrap().remove(0);
    drop(editor);
    // As an older Tongtin left it: no archive, then the photo removed.
    common::edit_sql(
        &path,
        &format!(
            "DROP TRIGGER tongtin_photos_archive; DROP TABLE tongtin_photo_archive; DELETE FROM tongtin_photos WHERE uid = '{}'",
            photo.uid
        ),
    );
    let mut editor = Editor::open(&path, actor()).unwrap();
    let seq = photo_op_seq(&editor, &photo.uid, OpKind::Delete);
    match editor.restore("tongtin_photos", &photo.uid, seq - 1) {
        Err(EditError::BadPhoto { en, .. }) => assert!(en.contains("no longer has this photo"), "{en}"),
        other => panic!("a photo without bytes was restored: {:?}", other.map(|a| a.ops.len())),
    }
    assert!(
        editor.photos("poles", &uid).unwrap().is_empty(),
        "nothing half-restored"
    );
}

#[test]
fn restoring_a_deleted_pole_brings_back_its_lamps_and_photos_but_not_the_other_poles_of_that_edit() {
    let path = copy_of(&demo(), "restore_pole.gpkg");
    let mut editor = Editor::open(&path, actor()).unwrap();
    let (uid, other) = (pole_uid(&editor, 13), pole_uid(&editor, 14));
    let png = tiny_png();
    editor.attach_photo("poles", &uid, "เสา 13.png", png.clone()).unwrap();
    let lamps = count(&path, &format!("SELECT count(*) FROM lamps WHERE pole_uid = '{uid}'"));
    assert!(lamps > 0);
    let delete = |uid: &str| Change::Delete {
        layer: "poles".into(),
        uid: uid.into(),
    };
    editor
        .apply(&Edit::checked("ลบเสา", vec![delete(&uid), delete(&other)]))
        .unwrap();
    drop(editor);

    let mut editor = Editor::open(&path, actor()).unwrap();
    let history = read_history(
        editor.gpkg().connection(),
        &HistoryFilter {
            uid: Some(uid.clone()),
            layer: Some("poles".into()),
            ..Default::default()
        },
    )
    .unwrap();
    let seq = history
        .iter()
        .rev()
        .find(|o| o.kind == OpKind::Delete)
        .and_then(|o| o.seq)
        .unwrap();
    let restored = editor.restore("poles", &uid, seq - 1).unwrap();
    assert_eq!(
        restored.ops.len() as i64,
        1 + lamps + 1,
        "the pole, its lamps and its photo in one edit"
    );
    assert_eq!(
        count(&path, &format!("SELECT count(*) FROM lamps WHERE pole_uid = '{uid}'")),
        lamps
    );
    let photos = editor.photos("poles", &uid).unwrap();
    assert_eq!(photos.len(), 1);
    assert_eq!(editor.photo_data(photos[0].id).unwrap().unwrap().1, png);
    assert_eq!(
        count(&path, &format!("SELECT count(*) FROM poles WHERE uid = '{other}'")),
        0,
        "the other pole of that delete stays deleted"
    );
    drop(editor);
    journal_agrees(&path);
}
