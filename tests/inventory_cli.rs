//! The inventory and report commands as a trainer or script uses them:
//! results, exit codes on bad input (never a panic, nothing altered), and a
//! file GDAL still validates.

mod common;

use common::{assert_gdal_valid, copy_of, count, demo, edit_sql, scratch, stderr, stdout, tongtin};

fn ok(args: &[&str]) -> String {
    let out = tongtin(args);
    assert!(out.status.success(), "tongtin {args:?}: {}", stderr(&out));
    stdout(&out)
}

fn fails(args: &[&str], code: i32) -> String {
    let out = tongtin(args);
    assert_eq!(
        out.status.code(),
        Some(code),
        "tongtin {args:?}: {}{}",
        stdout(&out),
        stderr(&out)
    );
    let err = stderr(&out);
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    err
}

#[test]
fn a_trainer_session_from_the_command_line() {
    let path = copy_of(&demo(), "cli-inventory.gpkg");
    let f = path.to_str().unwrap();
    let added = ok(&[
        "equipment",
        "add",
        f,
        "--name",
        "รถจักรยานยนต์ 125 ซีซี",
        "--category",
        "motorcycle",
        "--acquired",
        "2569-01-15",
        "--price",
        "52000",
        "--unit",
        "คัน",
        "--department",
        "กองช่าง",
    ]);
    let asset_no = added.split('\t').next().unwrap().to_string();
    assert!(asset_no.starts_with("417-69-"), "{added}");
    assert!(ok(&["equipment", "find", f, &asset_no]).starts_with("equipment\t"));
    let listed = ok(&["equipment", "list", f, "--search", "125 ซีซี", "--json"]);
    let page: serde_json::Value = serde_json::from_str(&listed).unwrap();
    assert_eq!(page["total"], 1);

    let opened = ok(&[
        "workorder",
        "open",
        f,
        "--kind",
        "pole",
        "--asset",
        "นส.01-0001",
        "--fault",
        "light_out",
        "--reporter",
        "ชาวบ้าน",
    ]);
    let order = opened.split('\t').next().unwrap().to_string();
    assert!(order.starts_with("WO-25"), "{opened}");
    assert_eq!(
        count(
            &path,
            "SELECT count(*) FROM poles WHERE pole_no = 'นส.01-0001' AND status = 'damaged'"
        ),
        1
    );
    let early = fails(&["workorder", "finish", f, &order], 2);
    assert!(
        early.contains("ปิดงานไม่ได้") && early.contains("cannot finish"),
        "{early}"
    );
    ok(&["workorder", "start", f, &order, "--technician", "นายช่าง"]);
    ok(&["workorder", "finish", f, &order, "--cost", "450", "--materials", "ฟิวส์"]);
    let history = ok(&["workorder", "history", f, "--kind", "pole", "--asset", "นส.01-0001"]);
    assert!(history.contains(&order));

    ok(&[
        "check",
        "open",
        f,
        "--fy",
        "2569",
        "--committee",
        "นายหนึ่ง, นางสอง, นายสาม",
    ]);
    ok(&["check", "record", f, &asset_no, "found", "--fy", "2569"]);
    fails(&["check", "close", f, "--fy", "2569"], 2);
    ok(&["check", "close", f, "--fy", "2569", "--force"]);
    let report = ok(&["report", "inventory-check", f, "--fy", "2569"]);
    let json: serde_json::Value = serde_json::from_str(&report).unwrap();
    assert_eq!(json["name"], "inventory-check");
    ok(&[
        "equipment",
        "dispose",
        f,
        &asset_no,
        "--method",
        "sale",
        "--document",
        "นส 52301/9",
        "--date",
        "2026-09-30",
        "--amount",
        "30000",
    ]);
    assert_eq!(
        count(
            &path,
            &format!("SELECT count(*) FROM disposals WHERE asset_no = '{asset_no}'")
        ),
        1
    );

    for name in [
        "depreciation",
        "equipment-value",
        "pole-outages",
        "road-register",
        "work-orders",
    ] {
        for format in ["json", "csv", "xlsx"] {
            let out = scratch().join(format!("{name}.{format}"));
            ok(&[
                "report",
                name,
                f,
                "--fy",
                "2569",
                "--format",
                format,
                "--out",
                out.to_str().unwrap(),
                "--lang",
                "en",
            ]);
            assert!(std::fs::metadata(&out).unwrap().len() > 100, "{name}.{format}");
        }
    }
    let csv = std::fs::read(scratch().join("depreciation.csv")).unwrap();
    assert!(csv.starts_with(b"\xEF\xBB\xBF"), "CSV for Excel starts with a BOM");
    assert_gdal_valid(&path);
    assert!(ok(&["validate", f]).contains("data model 3"));
}

#[test]
fn bad_input_gets_one_line_and_a_fixed_code_and_changes_nothing() {
    let path = copy_of(&demo(), "cli-bad.gpkg");
    let f = path.to_str().unwrap();
    let before = snapshot(&path);
    fails(&["report", "budget", f], 2);
    fails(&["report", "depreciation", f, "--format", "docx"], 2);
    fails(&["report", "depreciation", f, "--fy", "2026"], 2);
    fails(&["report", "depreciation", f, "--lang", "fr"], 2);
    fails(&["report", "inventory-check", f, "--fy", "2569"], 1);
    fails(&["report", "depreciation", "/nonexistent.gpkg"], 3);
    fails(&["equipment", "add", f, "--name", "x", "--category", "spaceship"], 2);
    fails(
        &[
            "equipment",
            "add",
            f,
            "--name",
            "x",
            "--category",
            "office",
            "--acquired",
            "15/01/2569",
        ],
        2,
    );
    fails(&["equipment", "list", f, "--sort", "nothing"], 2);
    fails(&["equipment", "list", f, "--where", "status"], 2);
    fails(
        &[
            "equipment",
            "dispose",
            f,
            "999-99-9999",
            "--method",
            "sale",
            "--document",
            "x",
        ],
        2,
    );
    fails(&["equipment", "find", f, "999-99-9999"], 1);
    fails(
        &[
            "workorder",
            "open",
            f,
            "--kind",
            "tree",
            "--asset",
            "x",
            "--fault",
            "other",
        ],
        2,
    );
    fails(
        &[
            "workorder",
            "open",
            f,
            "--kind",
            "pole",
            "--asset",
            "no-such-pole",
            "--fault",
            "light_out",
        ],
        2,
    );
    fails(&["workorder", "start", f, "WO-2569-99999"], 2);
    fails(&["check", "record", f, "416-66-0001", "found", "--fy", "2569"], 2);
    fails(&["labels", f, "--layer", "roads", "--out", "/tmp/x.pdf"], 2);
    assert_eq!(snapshot(&path), before, "refused commands leave the data as it was");
    let garbage = scratch().join("garbage.gpkg");
    std::fs::write(&garbage, b"not a geopackage at all").unwrap();
    fails(&["equipment", "list", garbage.to_str().unwrap()], 3);
    fails(&["workorder", "start", garbage.to_str().unwrap(), "WO-1"], 3);
}

/// What a refused command must not change: every inventory table's rows and the journal.
fn snapshot(path: &std::path::Path) -> Vec<i64> {
    [
        "SELECT count(*) FROM equipment",
        "SELECT count(*) FROM work_orders",
        "SELECT count(*) FROM poles WHERE status = 'normal'",
        "SELECT count(*) FROM inventory_checks",
        "SELECT count(*) FROM inventory_findings",
        "SELECT count(*) FROM disposals",
        "SELECT count(*) FROM equipment WHERE status = 'disposed'",
        "SELECT count(*) FROM tongtin_journal",
    ]
    .iter()
    .map(|q| count(path, q))
    .collect()
}

#[test]
fn a_data_model_2_file_migrates_to_3_with_the_default_categories() {
    let path = copy_of(&demo(), "cli-v2.gpkg");
    let f = path.to_str().unwrap();
    // Make it a version-2 file: no inventory tables, the fixed category domain
    // (the journal's triggers on equipment go first; migrating puts them back).
    let triggers: Vec<String> = tongtin::gpkg::GeoPackage::open(&path)
        .unwrap()
        .connection()
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'equipment' AND name LIKE 'tongtin%'",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let drops: String = triggers.iter().map(|t| format!("DROP TRIGGER \"{t}\";")).collect();
    edit_sql(&path, &drops);
    edit_sql(
        &path,
        "DELETE FROM gpkg_data_columns WHERE table_name IN ('equipment_categories', 'inventory_checks', 'inventory_findings', 'disposals');
         DELETE FROM gpkg_ogr_contents WHERE table_name IN ('equipment_categories', 'inventory_checks', 'inventory_findings', 'disposals');
         DELETE FROM gpkg_contents WHERE table_name IN ('equipment_categories', 'inventory_checks', 'inventory_findings', 'disposals');
         DROP TABLE equipment_categories; DROP TABLE inventory_checks; DROP TABLE inventory_findings; DROP TABLE disposals;
         DELETE FROM gpkg_data_columns WHERE table_name = 'equipment' AND column_name = 'useful_life_years';
         DELETE FROM gpkg_data_column_constraints WHERE constraint_type = 'range' AND (constraint_name LIKE 'equipment%useful_life_years_range'
           OR constraint_name LIKE 'inventory_%' OR constraint_name LIKE 'disposals_%');
         ALTER TABLE equipment DROP COLUMN useful_life_years;
         UPDATE equipment SET category = 'vehicle' WHERE category = 'motorcycle';
         INSERT INTO gpkg_data_column_constraints (constraint_name, constraint_type, value) VALUES ('equipment_category', 'enum', 'office');
         UPDATE gpkg_data_columns SET constraint_name = 'equipment_category' WHERE table_name = 'equipment' AND column_name = 'category';
         UPDATE tongtin_meta SET value = '2' WHERE key = 'schema_version';",
    );
    let said = ok(&["migrate", f]);
    assert!(
        said.contains("2 → 3") && said.contains("equipment_categories") && said.contains("equipment.useful_life_years"),
        "{said}"
    );
    assert_eq!(count(&path, "SELECT count(*) FROM equipment_categories"), 14);
    assert_eq!(
        count(
            &path,
            "SELECT useful_life_years FROM equipment_categories WHERE code = 'motorcycle'"
        ),
        5
    );
    assert_eq!(
        count(
            &path,
            "SELECT count(*) FROM gpkg_data_column_constraints WHERE constraint_name = 'equipment_category'"
        ),
        0
    );
    assert!(ok(&["validate", f]).contains("data model 3"));
    assert!(
        count(&path, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'equipment' AND name LIKE 'tongtin%'") > 0,
        "the journal follows equipment again"
    );
    assert_gdal_valid(&path);
}
