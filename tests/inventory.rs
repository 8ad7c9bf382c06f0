//! The equipment register and maintenance work through the core's API, on
//! copies of the demo municipality: every write is a journaled edit.

mod common;

use std::path::Path;

use chrono::{NaiveDate, TimeZone, Utc};
use common::{assert_gdal_valid, copy_of, count, demo};
use tongtin::edit::{Editor, UndoStack};
use tongtin::gpkg::{GeoPackage, Value};
use tongtin::inventory::{
    self, add_equipment, close_check, dispose, find_equipment, finish_order, history, list, open_check, open_order,
    record_finding, start_order, unchecked, Disposal, Filter, FilterOp, Finish, FiscalYear, InventoryError, LampChange,
    ListQuery, NewEquipment, NewWorkOrder, SortKey,
};
use tongtin::journal::Actor;

fn actor() -> Actor {
    Actor {
        user: "พัสดุ".into(),
        device: "test".into(),
    }
}

fn one(path: &Path, sql: &str) -> String {
    GeoPackage::open(path)
        .unwrap()
        .connection()
        .query_row(sql, [], |r| r.get::<_, Option<String>>(0))
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .unwrap_or_default()
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn model_is_clean(path: &Path) {
    let problems = tongtin::model::check_model(&GeoPackage::open(path).unwrap()).unwrap();
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn registering_numbers_items_and_refuses_clashes() {
    let path = copy_of(&demo(), "inv-register.gpkg");
    let mut ed = Editor::open(&path, actor()).unwrap();
    let conn = ed.gpkg().connection();
    // The demo's highest computer number of FY2569 (bought Oct 2025 – Sep 2026).
    let before = count(&path, "SELECT count(*) FROM equipment WHERE asset_no LIKE '421-69-%'");
    let expected = format!("421-69-{:04}", before + 1);
    assert_eq!(
        inventory::next_asset_no(conn, "computer", FiscalYear(2569)).unwrap(),
        expected
    );
    let item = NewEquipment {
        name: "เครื่องคอมพิวเตอร์โน้ตบุ๊ก".into(),
        category: "computer".into(),
        acquired_date: Some(d(2026, 1, 15)),
        quantity: Some(2),
        unit: Some("เครื่อง".into()),
        unit_price: Some(24_000.0),
        department: Some("กองคลัง".into()),
        location: Some("สำนักงานเทศบาลตำบลโนนสะอาด".into()),
        ..Default::default()
    };
    let added = add_equipment(&mut ed, &item).unwrap();
    assert_eq!(added.asset_no, expected);
    let found = find_equipment(ed.gpkg().connection(), &format!("  {expected} "))
        .unwrap()
        .unwrap();
    assert_eq!(
        (found.uid.as_str(), found.status.as_str()),
        (added.uid.as_str(), "in_use")
    );
    assert_eq!(
        one(
            &path,
            &format!("SELECT created_by FROM equipment WHERE uid = '{}'", added.uid)
        ),
        "พัสดุ"
    );
    // Placed at the landmark it names.
    assert_eq!(
        count(
            &path,
            &format!(
                "SELECT count(*) FROM equipment e, landmarks l WHERE e.uid = '{}' AND l.name_th = 'สำนักงานเทศบาลตำบลโนนสะอาด'
                 AND ST_MinX(e.geom) = ST_MinX(l.geom) AND ST_MinY(e.geom) = ST_MinY(l.geom)",
                added.uid
            )
        ),
        1
    );
    // The next one follows; a number given by hand that exists is refused.
    let second = add_equipment(&mut ed, &item).unwrap();
    assert_eq!(second.asset_no, format!("421-69-{:04}", before + 2));
    let clash = add_equipment(
        &mut ed,
        &NewEquipment {
            asset_no: Some(expected.clone()),
            ..item.clone()
        },
    );
    assert!(
        matches!(clash, Err(InventoryError::AssetNoTaken(ref n)) if *n == expected),
        "{clash:?}"
    );
    let unknown = add_equipment(
        &mut ed,
        &NewEquipment {
            category: "spaceship".into(),
            ..item.clone()
        },
    )
    .unwrap_err();
    assert!(unknown.to_string().contains("spaceship"), "{unknown}");
    // The FSC style, once chosen for the file.
    let mut g = GeoPackage::open_writable(&path).unwrap();
    inventory::set_asset_pattern(&mut g, &inventory::AssetPattern::fsc()).unwrap();
    drop(g);
    let mut ed = Editor::open(&path, actor()).unwrap();
    let fsc = add_equipment(
        &mut ed,
        &NewEquipment {
            category: "office".into(),
            name: "โต๊ะประชุม".into(),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(fsc.asset_no, "7110-001-0001");
    drop(ed);
    model_is_clean(&path);
    assert_gdal_valid(&path);
}

#[test]
fn lists_page_filter_search_and_sort_in_thai_order() {
    let path = demo();
    let g = GeoPackage::open(&path).unwrap();
    let conn = g.connection();
    let total = count(&path, "SELECT count(*) FROM equipment");
    let page = list(
        conn,
        &ListQuery {
            layer: "equipment".into(),
            sort: vec![SortKey {
                field: "name".into(),
                descending: false,
            }],
            limit: 50,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(page.total as i64, total);
    assert_eq!(page.rows.len(), 50);
    let name = page.columns.iter().position(|c| c == "name").unwrap();
    let names: Vec<String> = page.rows.iter().map(|r| r.values[name].to_string()).collect();
    let mut sorted = names.clone();
    sorted.sort_by(|a, b| inventory::thai_cmp(a, b));
    assert_eq!(names, sorted);
    // The next page continues where this one stopped.
    let next = list(
        conn,
        &ListQuery {
            layer: "equipment".into(),
            sort: vec![SortKey {
                field: "name".into(),
                descending: false,
            }],
            offset: 49,
            limit: 2,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(next.rows[0].fid, page.rows[49].fid);

    // Search by words and by the Thai label of a status; filter by a department.
    let damaged = list(
        conn,
        &ListQuery {
            layer: "equipment".into(),
            search: Some("ชำรุด".into()),
            filters: vec![Filter {
                field: "department".into(),
                op: FilterOp::Eq,
                value: "กองช่าง".into(),
            }],
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(
        damaged.total as i64,
        count(
            &path,
            "SELECT count(*) FROM equipment WHERE department = 'กองช่าง' AND (status = 'damaged' OR name LIKE '%ชำรุด%' OR notes LIKE '%ชำรุด%')"
        )
    );
    assert!(damaged.total > 0);
    let words = list(
        conn,
        &ListQuery {
            layer: "poles".into(),
            search: Some("นส.01 ชำรุด".into()),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(
        words.total as i64,
        count(
            &path,
            "SELECT count(*) FROM poles WHERE pole_no LIKE '%นส.01%' AND status = 'damaged'"
        )
    );
    // Unknown layers and fields are refused, not SQL errors.
    let bad = list(
        conn,
        &ListQuery {
            layer: "equipment".into(),
            sort: vec![SortKey {
                field: "name; DROP TABLE equipment".into(),
                descending: true,
            }],
            ..Default::default()
        },
    );
    assert!(matches!(bad, Err(InventoryError::Refused { .. })));
    assert!(list(
        conn,
        &ListQuery {
            layer: "nothing".into(),
            ..Default::default()
        }
    )
    .is_err());
}

/// A pole in service with exactly one lamp.
fn pole_with_one_lamp(path: &Path) -> (String, String) {
    let pole = one(
        path,
        "SELECT p.uid FROM poles p WHERE p.status = 'normal'
           AND (SELECT count(*) FROM lamps l WHERE l.pole_uid = p.uid) = 1 ORDER BY p.fid LIMIT 1",
    );
    let lamp = one(path, &format!("SELECT uid FROM lamps WHERE pole_uid = '{pole}'"));
    (pole, lamp)
}

#[test]
fn a_fault_makes_the_pole_damaged_and_the_last_repair_puts_it_back() {
    let path = copy_of(&demo(), "inv-workorders.gpkg");
    let (pole, lamp) = pole_with_one_lamp(&path);
    let status = |p: &Path| one(p, &format!("SELECT status FROM poles WHERE uid = '{pole}'"));
    let mut ed = Editor::open(&path, actor()).unwrap();
    // A fiscal year the demo has no orders in: numbering starts at 1.
    let t0 = Utc.with_ymd_and_hms(2027, 11, 10, 1, 0, 0).unwrap();
    let fault = |fault: &str, kind: &str, uid: &str| NewWorkOrder {
        asset_kind: kind.into(),
        asset_uid: uid.into(),
        fault_type: fault.into(),
        reporter: Some("นางสมศรี".into()),
        contact: Some("081-000-0000".into()),
        description: Some("ไฟดับทั้งต้น".into()),
    };
    let first = open_order(&mut ed, &fault("light_out", "pole", &pole), t0).unwrap();
    assert_eq!(first.order_no, "WO-2571-00001");
    assert_eq!(status(&path), "damaged");
    // The pole's change is part of the order's edit: one undo takes both back.
    assert_eq!(first.applied.ops.len(), 2);
    // A second fault, on its lamp.
    let second = open_order(&mut ed, &fault("flickering", "lamp", &lamp), t0).unwrap();
    assert_eq!(second.order_no, "WO-2571-00002");
    // Wrong job types and transitions are refused in both languages.
    let wrong = open_order(&mut ed, &fault("pothole", "pole", &pole), t0).unwrap_err();
    assert!(
        wrong.to_string().contains("pothole") && wrong.to_string().contains("ใช้กับ"),
        "{wrong}"
    );
    let early = finish_order(&mut ed, &first.order_no, &Finish::default(), t0).unwrap_err();
    assert!(
        early.to_string().contains("not started") && early.to_string().contains("ปิดงานไม่ได้"),
        "{early}"
    );
    let missing = start_order(&mut ed, "WO-2571-99999", None, t0).unwrap_err();
    assert!(matches!(missing, InventoryError::NotFound { .. }));

    let t1 = t0 + chrono::Duration::hours(3);
    start_order(&mut ed, &first.order_no, Some("นายช่างไฟ"), t1).unwrap();
    assert!(
        start_order(&mut ed, &first.order_no, None, t1).is_err(),
        "started twice"
    );
    let t2 = t0 + chrono::Duration::days(2);
    finish_order(
        &mut ed,
        &first.order_no,
        &Finish {
            materials: Some("หลอด LED 50 วัตต์".into()),
            cost: Some(1_250.0),
            lamp: Some(LampChange {
                lamp_type: Some("led".into()),
                watts: Some(50),
                ..Default::default()
            }),
            ..Default::default()
        },
        t2,
    )
    .unwrap();
    assert_eq!(status(&path), "damaged", "the lamp's order is still open");
    assert_eq!(
        one(
            &path,
            &format!("SELECT last_changed || ' ' || lamp_type || ' ' || watts FROM lamps WHERE uid = '{lamp}'")
        ),
        "2026-01-12 led 50"
    );
    let done = inventory::find_order(ed.gpkg().connection(), &first.order_no)
        .unwrap()
        .unwrap();
    assert_eq!(
        (done.status.as_str(), done.technician.as_deref(), done.cost),
        ("done", Some("นายช่างไฟ"), Some(1_250.0))
    );
    assert!(done.received_at < done.started_at.clone().unwrap() && done.started_at < done.done_at);
    assert!(
        finish_order(&mut ed, &first.order_no, &Finish::default(), t2).is_err(),
        "done twice"
    );

    start_order(&mut ed, &second.order_no, Some("นายช่างไฟ"), t2).unwrap();
    let last = finish_order(&mut ed, &second.order_no, &Finish::default(), t2).unwrap();
    assert_eq!(status(&path), "normal", "the last open order is done");
    // The maintenance history of the pole holds both orders, newest first.
    let h = history(ed.gpkg().connection(), &pole).unwrap();
    assert_eq!(h.len(), 2);
    assert!(h.iter().all(|o| o.status == "done"));
    // Undo of the last finish reopens the order and the pole's fault.
    let mut undo = UndoStack::default();
    undo.push(&last);
    undo.undo(&mut ed).unwrap();
    assert_eq!(status(&path), "damaged");
    drop(ed);
    model_is_clean(&path);
    assert_gdal_valid(&path);
}

#[test]
fn a_whole_inventory_check_and_a_disposal() {
    let path = copy_of(&demo(), "inv-check.gpkg");
    let mut ed = Editor::open(&path, actor()).unwrap();
    let fy = FiscalYear(2569);
    let committee = vec![
        "นายสมชาย ใจดี".to_string(),
        "นางสาวอรทัย ศรีสุข".to_string(),
        "นายวิชัย แสนทวี".into(),
    ];
    let check = open_check(&mut ed, fy, &committee, d(2026, 9, 1)).unwrap();
    assert!(
        open_check(&mut ed, fy, &committee, d(2026, 9, 1)).is_err(),
        "one open check per year"
    );
    let conn = ed.gpkg().connection();
    let items = unchecked(conn, &check).unwrap();
    let active = count(&path, "SELECT count(*) FROM equipment WHERE status != 'disposed'");
    assert_eq!(items.len() as i64, active);
    let at = Utc.with_ymd_and_hms(2026, 9, 2, 3, 0, 0).unwrap();
    // Record by asset number (as typed or scanned), by the year as the check's key.
    for (i, item) in items.iter().enumerate() {
        let finding = match i % 10 {
            0 => "damaged",
            1 => "deteriorated",
            2 if i < 30 => "lost",
            3 if i < 30 => "unneeded",
            _ => "found",
        };
        record_finding(&mut ed, "2569", &format!(" {} ", item.asset_no), finding, None, at).unwrap();
        if i == 5 {
            assert_eq!(
                unchecked(ed.gpkg().connection(), &check).unwrap().len() as i64,
                active - 6
            );
            assert!(
                close_check(&mut ed, &check, d(2026, 9, 20), false).is_err(),
                "items left"
            );
        }
    }
    // Scanning an item twice replaces its finding.
    let again = record_finding(&mut ed, &check, &items[4].asset_no, "found", Some("พบแล้ว"), at).unwrap();
    assert!(again.replaced);
    let bad = record_finding(&mut ed, &check, &items[4].asset_no, "stolen", None, at).unwrap_err();
    assert!(bad.to_string().contains("stolen"));
    let nothing = record_finding(&mut ed, &check, "000-00-0000", "found", None, at).unwrap_err();
    assert!(matches!(nothing, InventoryError::NotFound { .. }), "{nothing}");
    assert!(unchecked(ed.gpkg().connection(), &check).unwrap().is_empty());
    assert_eq!(
        count(
            &path,
            &format!("SELECT count(*) FROM inventory_findings WHERE check_uid = '{check}'")
        ),
        active
    );
    close_check(&mut ed, &check, d(2026, 9, 20), false).unwrap();
    let closed = record_finding(&mut ed, &check, &items[0].asset_no, "found", None, at).unwrap_err();
    assert!(closed.to_string().contains("closed"), "{closed}");

    // Dispose of a lost item by write-off.
    let lost = items[2].asset_no.clone();
    dispose(
        &mut ed,
        &Disposal {
            asset_no: lost.clone(),
            method: "write_off".into(),
            document_no: "นส 52301/123".into(),
            disposed_on: d(2026, 9, 25),
            amount: None,
            notes: Some("สูญหายจากการตรวจสอบประจำปี".into()),
        },
    )
    .unwrap();
    assert_eq!(
        one(
            &path,
            &format!("SELECT status FROM equipment WHERE asset_no = '{lost}'")
        ),
        "disposed"
    );
    let twice = dispose(
        &mut ed,
        &Disposal {
            asset_no: lost.clone(),
            method: "sale".into(),
            document_no: "x".into(),
            disposed_on: d(2026, 9, 26),
            amount: Some(10.0),
            notes: None,
        },
    )
    .unwrap_err();
    assert!(twice.to_string().contains("already"), "{twice}");
    let bad_method = dispose(
        &mut ed,
        &Disposal {
            asset_no: items[3].asset_no.clone(),
            method: "burn".into(),
            document_no: "x".into(),
            disposed_on: d(2026, 9, 26),
            amount: None,
            notes: None,
        },
    )
    .unwrap_err();
    assert!(matches!(bad_method, InventoryError::Edit(_)), "{bad_method}");
    assert_eq!(
        one(
            &path,
            &format!("SELECT status FROM equipment WHERE asset_no = '{}'", items[3].asset_no)
        ),
        items[3].status,
        "a refused disposal changes nothing"
    );
    drop(ed);
    model_is_clean(&path);
    assert_gdal_valid(&path);
    let _ = Value::Null;
}

/// List timings at 10,000 and 100,000 items (figures for docs/PERFORMANCE.md):
/// `cargo test -p tongtin --test inventory -- --ignored --nocapture`.
#[test]
#[ignore]
fn list_timings() {
    for n in [10_000, 100_000] {
        let path = copy_of(&demo(), &format!("inv-list-{n}.gpkg"));
        common::edit_sql(
            &path,
            &format!(
                "INSERT INTO equipment (asset_no, name, category, acquired_date, quantity, unit_price, department, status, geom)
                 WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < {n} - (SELECT count(*) FROM equipment))
                 SELECT 'X-' || i, e.name || ' ' || i, e.category, e.acquired_date, 1, e.unit_price, e.department, e.status, e.geom
                 FROM k JOIN equipment e ON e.fid = 1 + (k.i % 500)"
            ),
        );
        let g = GeoPackage::open(&path).unwrap();
        let queries = [
            (
                "first page, no sort",
                ListQuery {
                    layer: "equipment".into(),
                    limit: 100,
                    ..Default::default()
                },
            ),
            (
                "sorted by name (THAI collation)",
                ListQuery {
                    layer: "equipment".into(),
                    sort: vec![SortKey {
                        field: "name".into(),
                        descending: false,
                    }],
                    limit: 100,
                    ..Default::default()
                },
            ),
            (
                "page 50 sorted by name",
                ListQuery {
                    layer: "equipment".into(),
                    sort: vec![SortKey {
                        field: "name".into(),
                        descending: false,
                    }],
                    offset: 5000,
                    limit: 100,
                    ..Default::default()
                },
            ),
            (
                "search 'เครื่อง ชำรุด' + sort",
                ListQuery {
                    layer: "equipment".into(),
                    search: Some("เครื่อง ชำรุด".into()),
                    sort: vec![SortKey {
                        field: "name".into(),
                        descending: false,
                    }],
                    limit: 100,
                    ..Default::default()
                },
            ),
            (
                "filter department + sort by price",
                ListQuery {
                    layer: "equipment".into(),
                    filters: vec![Filter {
                        field: "department".into(),
                        op: FilterOp::Eq,
                        value: "กองช่าง".into(),
                    }],
                    sort: vec![SortKey {
                        field: "unit_price".into(),
                        descending: true,
                    }],
                    limit: 100,
                    ..Default::default()
                },
            ),
        ];
        for (what, q) in &queries {
            list(g.connection(), q).unwrap();
            let runs = 5;
            let t = std::time::Instant::now();
            let mut total = 0;
            for _ in 0..runs {
                total = list(g.connection(), q).unwrap().total;
            }
            println!(
                "{n} items | {what} | {total} rows | {:.1} ms",
                t.elapsed().as_secs_f64() * 1000.0 / runs as f64
            );
        }
    }
}
