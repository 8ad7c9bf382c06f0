//! Report figures against the data: every expected figure is computed
//! independently in SQL over the same file.

mod common;

use chrono::{NaiveDate, TimeZone, Utc};
use common::{copy_of, demo};
use tongtin::document::{Cell, Lang, Report, Table};
use tongtin::edit::Editor;
use tongtin::gpkg::GeoPackage;
use tongtin::inventory::{open_check, record_finding, FiscalYear, MonthRule};
use tongtin::journal::Actor;
use tongtin::report::{build, ReportOptions, NAMES};

fn options() -> ReportOptions {
    ReportOptions {
        fy: FiscalYear(2569),
        lang: Lang::Th,
        today: NaiveDate::from_ymd_opt(2026, 6, 30).unwrap(),
        month_rule: MonthRule::ElapsedMonths,
    }
}

fn num(c: &Cell) -> f64 {
    match c {
        Cell::Int(i) => *i as f64,
        Cell::Num(n) => *n,
        Cell::Empty => 0.0,
        other => panic!("not a number: {other:?}"),
    }
}

fn column(t: &Table, key: &str) -> usize {
    t.columns
        .iter()
        .position(|c| c.key == key)
        .unwrap_or_else(|| panic!("no column {key} in {}", t.title_en))
}

fn total(t: &Table, key: &str) -> f64 {
    num(&t.totals.as_ref().expect("totals")[column(t, key)])
}

fn sum(t: &Table, key: &str) -> f64 {
    let i = column(t, key);
    t.rows.iter().map(|r| num(&r[i])).sum()
}

fn sql(conn: &rusqlite::Connection, q: &str) -> f64 {
    conn.query_row(q, [], |r| r.get::<_, Option<f64>>(0))
        .unwrap_or_else(|e| panic!("{q}: {e}"))
        .unwrap_or(0.0)
}

fn close(a: f64, b: f64, tolerance: f64, what: &str) {
    assert!((a - b).abs() <= tolerance, "{what}: {a} vs {b}");
}

fn well_formed(r: &Report) {
    for t in &r.tables {
        for row in t.rows.iter().chain(t.totals.iter()) {
            assert_eq!(row.len(), t.columns.len(), "{}: {}", r.name, t.title_en);
        }
    }
    for c in &r.charts {
        for s in &c.series {
            assert_eq!(s.values.len(), c.labels.len(), "{}: {}", r.name, c.title_en);
        }
    }
}

/// The register as of 30 Sep 2026 (end of FY2569) computed in SQL with the
/// documented rule: whole months from the acquisition day to 1 Oct 2026,
/// accumulated = cost × months / (12 × life), at most cost − 1 baht a unit.
const EXPECTED: &str = "
WITH l AS (
  SELECT e.quantity AS q, e.quantity * e.unit_price AS cost,
         coalesce(e.useful_life_years, c.useful_life_years) AS life,
         (2026 - CAST(substr(e.acquired_date, 1, 4) AS INTEGER)) * 12
           + (10 - CAST(substr(e.acquired_date, 6, 2) AS INTEGER))
           - (1 < CAST(substr(e.acquired_date, 9, 2) AS INTEGER)) AS months
  FROM equipment e JOIN equipment_categories c ON c.code = e.category
  WHERE e.acquired_date <= '2026-09-30' AND e.status != 'disposed' AND e.unit_price IS NOT NULL)
SELECT %s FROM (SELECT q, cost, life, months,
  min(cost - q, round(cost * months / (12.0 * life), 2)) AS acc FROM l)";

#[test]
fn depreciation_and_value_agree_with_the_data() {
    let path = demo();
    let g = GeoPackage::open(&path).unwrap();
    let conn = g.connection();
    let r = build(conn, "depreciation", &options()).unwrap();
    well_formed(&r);
    let t = &r.tables[0];
    let keys: Vec<&str> = t.columns.iter().map(|c| c.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "date",
            "document_no",
            "item",
            "quantity_unit",
            "unit_price",
            "total",
            "useful_life",
            "rate",
            "annual_depreciation",
            "accumulated_depreciation",
            "net_value",
            "remarks"
        ]
    );
    let expected = |what: &str| sql(conn, &EXPECTED.replace("%s", what));
    assert_eq!(t.rows.len() as f64, expected("count(*)"));
    assert!(t.rows.len() > 100);
    close(total(&r.tables[0], "total"), expected("sum(cost)"), 0.01, "cost");
    close(sum(t, "total"), total(t, "total"), 0.01, "rows add up to the total");
    let n = t.rows.len() as f64;
    close(
        total(t, "accumulated_depreciation"),
        expected("sum(acc)"),
        0.01 * n,
        "accumulated",
    );
    close(
        total(t, "net_value"),
        total(t, "total") - total(t, "accumulated_depreciation"),
        0.01,
        "net = cost − accumulated",
    );
    // Every line keeps at least its residual value.
    let net = column(t, "net_value");
    assert!(t.rows.iter().all(|row| num(&row[net]) >= 1.0));
    // The year's charge: accumulated now less accumulated a year earlier.
    let a_year_earlier = build(
        conn,
        "depreciation",
        &ReportOptions {
            fy: FiscalYear(2568),
            ..options()
        },
    )
    .unwrap();
    let new_this_year = sql(
        conn,
        "SELECT count(*) FROM equipment WHERE acquired_date BETWEEN '2025-10-01' AND '2026-09-30' AND status != 'disposed'",
    );
    assert_eq!(a_year_earlier.tables[0].rows.len() as f64 + new_this_year, n);
    close(
        total(t, "annual_depreciation"),
        total(t, "accumulated_depreciation") - total(&a_year_earlier.tables[0], "accumulated_depreciation"),
        0.01 * n,
        "this year's charge",
    );

    let v = build(conn, "equipment-value", &options()).unwrap();
    well_formed(&v);
    assert_eq!(v.charts.len(), 2);
    for table in &v.tables {
        close(total(table, "cost"), total(t, "total"), 0.01, "value = register cost");
        close(total(table, "net_value"), total(t, "net_value"), 0.01, "net value");
        close(
            total(table, "annual_depreciation"),
            total(t, "annual_depreciation"),
            0.01,
            "charge",
        );
    }
    // The computer category: items counted and valued in SQL.
    let by_category = &v.tables[0];
    let row = by_category
        .rows
        .iter()
        .find(|r| r[0] == Cell::Text("ครุภัณฑ์คอมพิวเตอร์".into()))
        .expect("computers");
    assert_eq!(
        num(&row[column(by_category, "items")]),
        sql(
            conn,
            "SELECT count(*) FROM equipment WHERE category = 'computer' AND acquired_date <= '2026-09-30' AND status != 'disposed'"
        )
    );
    close(
        num(&row[column(by_category, "cost")]),
        sql(
            conn,
            "SELECT sum(quantity * unit_price) FROM equipment WHERE category = 'computer' AND acquired_date <= '2026-09-30' AND status != 'disposed'",
        ),
        0.01,
        "computers' cost",
    );
}

#[test]
fn maintenance_and_road_reports_agree_with_the_data() {
    let path = demo();
    let g = GeoPackage::open(&path).unwrap();
    let conn = g.connection();

    let p = build(conn, "pole-outages", &options()).unwrap();
    well_formed(&p);
    let villages = &p.tables[0];
    assert_eq!(total(villages, "poles"), sql(conn, "SELECT count(*) FROM poles"));
    assert_eq!(
        total(villages, "out_of_service"),
        sql(conn, "SELECT count(*) FROM poles WHERE status != 'normal'")
    );
    let first = &villages.rows[0];
    assert_eq!(
        num(&first[column(villages, "out_of_service")]),
        sql(
            conn,
            &format!(
                "SELECT count(*) FROM poles WHERE status != 'normal' AND village_no = {}",
                num(&first[0])
            )
        )
    );
    let repairs = &p.tables[1];
    assert_eq!(
        total(repairs, "orders"),
        sql(
            conn,
            "SELECT count(*) FROM work_orders WHERE asset_kind IN ('pole', 'lamp') AND status = 'done'
             AND substr(done_at, 1, 10) BETWEEN '2025-10-01' AND '2026-09-30'"
        )
    );
    if total(repairs, "orders") > 0.0 {
        close(
            total(repairs, "mean_days"),
            sql(
                conn,
                "SELECT avg(julianday(done_at) - julianday(received_at)) FROM work_orders
                 WHERE asset_kind IN ('pole', 'lamp') AND status = 'done'
                   AND substr(done_at, 1, 10) BETWEEN '2025-10-01' AND '2026-09-30'",
            ),
            0.1,
            "mean repair days",
        );
    }

    let w = build(conn, "work-orders", &options()).unwrap();
    well_formed(&w);
    let open = sql(
        conn,
        "SELECT count(*) FROM work_orders WHERE received_at <= '2026-06-30T23:59:59.999Z'
           AND (done_at IS NULL OR done_at > '2026-06-30T23:59:59.999Z')",
    );
    assert!(open > 0.0);
    assert_eq!(total(&w.tables[0], "total"), open);
    assert_eq!(w.tables[1].rows.len() as f64, open);
    let over_90 = sql(
        conn,
        "SELECT count(*) FROM work_orders WHERE received_at <= '2026-06-30T23:59:59.999Z'
           AND (done_at IS NULL OR done_at > '2026-06-30T23:59:59.999Z')
           AND julianday('2026-06-30') - julianday(substr(received_at, 1, 10)) > 90",
    );
    assert_eq!(num(&w.tables[0].rows[3][column(&w.tables[0], "total")]), over_90);

    let roads = build(conn, "road-register", &options()).unwrap();
    well_formed(&roads);
    let register = &roads.tables[0];
    close(
        total(register, "length_km"),
        sql(conn, "SELECT sum(length_m) / 1000 FROM roads WHERE class != 'highway'"),
        0.01,
        "register length",
    );
    close(
        total(register, "km_concrete"),
        sql(
            conn,
            "SELECT sum(length_m) / 1000 FROM roads WHERE class != 'highway' AND surface = 'concrete'",
        ),
        0.01,
        "concrete",
    );
    assert_eq!(
        register.rows.len() as f64,
        sql(
            conn,
            "SELECT count(DISTINCT coalesce(road_code, route_no, name_th, '')) FROM roads WHERE class != 'highway'"
        )
    );
    close(
        total(&roads.tables[1], "length_km"),
        total(register, "length_km"),
        0.01,
        "summary = register",
    );
}

#[test]
fn the_committee_report_counts_the_findings() {
    let path = copy_of(&demo(), "reports-check.gpkg");
    let mut ed = Editor::open(
        &path,
        Actor {
            user: "กรรมการ".into(),
            device: "test".into(),
        },
    )
    .unwrap();
    assert!(
        build(ed.gpkg().connection(), "inventory-check", &options()).is_err(),
        "no check yet"
    );
    let check = open_check(
        &mut ed,
        FiscalYear(2569),
        &["นายหนึ่ง".into(), "นางสอง".into()],
        NaiveDate::from_ymd_opt(2026, 9, 1).unwrap(),
    )
    .unwrap();
    let numbers: Vec<String> = ed
        .gpkg()
        .connection()
        .prepare("SELECT asset_no FROM equipment WHERE status != 'disposed' ORDER BY fid LIMIT 40")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let at = Utc.with_ymd_and_hms(2026, 9, 2, 2, 0, 0).unwrap();
    for (i, n) in numbers.iter().enumerate() {
        record_finding(
            &mut ed,
            &check,
            n,
            if i % 4 == 0 { "damaged" } else { "found" },
            None,
            at,
        )
        .unwrap();
    }
    let r = build(ed.gpkg().connection(), "inventory-check", &options()).unwrap();
    well_formed(&r);
    let conn = ed.gpkg().connection();
    let summary = &r.tables[0];
    let count_of = |label: &str| {
        num(&summary
            .rows
            .iter()
            .find(|row| row[0] == Cell::Text(label.into()))
            .unwrap()[1])
    };
    assert_eq!(count_of("ชำรุด"), 10.0);
    assert_eq!(count_of("พบ ใช้งานได้"), 30.0);
    assert_eq!(
        count_of("ยังไม่ได้ตรวจสอบ"),
        sql(conn, "SELECT count(*) FROM equipment WHERE status != 'disposed'") - 40.0
    );
    assert_eq!(
        total(summary, "items"),
        sql(conn, "SELECT count(*) FROM equipment WHERE status != 'disposed'")
    );
    assert!(r.subtitle.iter().any(|l| l.contains("นายหนึ่ง, นางสอง")));
    assert_eq!(r.tables[1].rows.len() as f64, total(summary, "items"));
}

#[test]
fn every_report_builds_in_both_languages_and_unknown_names_are_refused() {
    let g = GeoPackage::open(demo()).unwrap();
    for name in NAMES.iter().filter(|n| **n != "inventory-check") {
        for lang in [Lang::Th, Lang::En] {
            let r = build(g.connection(), name, &ReportOptions { lang, ..options() }).unwrap();
            assert_eq!(r.name, *name);
            well_formed(&r);
        }
    }
    assert!(build(g.connection(), "budget", &options()).is_err());
}
