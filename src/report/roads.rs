//! The local road register: one line per registered road in the manner of
//! the register book ทถ.6 (แบบสมุดลงทะเบียนทางหลวงท้องถิ่น, Department of
//! Rural Roads' manual for registering local roads, forms ทถ.1–ทถ.7): road
//! code, name, class, start and end chainage, length by surface type, width,
//! right of way, year built; then lengths by surface and class. The column
//! set follows what that book records; its exact printed layout was not
//! available here.

use std::collections::BTreeMap;

use rusqlite::Connection;

use super::{col, domain_label, subtitle, text, tr, ReportError, ReportOptions};
use crate::document::{Cell, Chart, ColumnKind, Report, Series, Table};
use crate::model::schema;

fn km(m: f64) -> f64 {
    (m / 1000.0 * 1000.0).round() / 1000.0
}

#[derive(Default)]
struct Road {
    name: String,
    classes: Vec<String>,
    start_km: Option<f64>,
    end_km: Option<f64>,
    by_surface: BTreeMap<String, f64>,
    widths: Vec<f64>,
    right_of_way: Vec<f64>,
    year: Option<i64>,
}

fn range(v: &[f64]) -> String {
    let lo = v.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if v.is_empty() {
        String::new()
    } else if (hi - lo).abs() < 0.005 {
        format!("{lo:.2}")
    } else {
        format!("{lo:.2}–{hi:.2}")
    }
}

/// The register of local roads (class highway is left out: the Department
/// of Highways registers those) and their lengths by surface and class.
pub fn road_register(conn: &Connection, o: &ReportOptions) -> Result<Report, ReportError> {
    let surfaces: Vec<String> = schema()
        .domain("road_surface")
        .map(|d| d.values.iter().map(|v| v.code.clone()).collect())
        .unwrap_or_default();
    let classes: Vec<String> = schema()
        .domain("road_class")
        .map(|d| {
            d.values
                .iter()
                .map(|v| v.code.clone())
                .filter(|c| c != "highway")
                .collect()
        })
        .unwrap_or_default();
    let mut stmt = conn.prepare(
        "SELECT coalesce(road_code, route_no, name_th, ''), name_th, class, surface, coalesce(length_m, 0),
                start_km, end_km, carriageway_m, right_of_way_m, year_built_be
         FROM roads WHERE coalesce(class, '') != 'highway'",
    )?;
    let mut rows = stmt.query([])?;
    let mut roads: BTreeMap<String, Road> = BTreeMap::new();
    let mut grid: BTreeMap<(String, String), f64> = BTreeMap::new();
    while let Some(r) = rows.next()? {
        let code: String = r.get(0)?;
        let surface: String = r.get::<_, Option<String>>(3)?.unwrap_or_default();
        let class: String = r.get::<_, Option<String>>(2)?.unwrap_or_default();
        let length: f64 = r.get(4)?;
        *grid.entry((surface.clone(), class.clone())).or_default() += length;
        let road = roads.entry(code).or_default();
        if road.name.is_empty() {
            road.name = r.get::<_, Option<String>>(1)?.unwrap_or_default();
        }
        if !class.is_empty() && !road.classes.contains(&class) {
            road.classes.push(class);
        }
        *road.by_surface.entry(surface).or_default() += length;
        if let Some(s) = r.get::<_, Option<f64>>(5)? {
            road.start_km = Some(road.start_km.map_or(s, |x| x.min(s)));
        }
        if let Some(e) = r.get::<_, Option<f64>>(6)? {
            road.end_km = Some(road.end_km.map_or(e, |x| x.max(e)));
        }
        road.widths.extend(r.get::<_, Option<f64>>(7)?);
        road.right_of_way.extend(r.get::<_, Option<f64>>(8)?);
        if let Some(y) = r.get::<_, Option<i64>>(9)? {
            road.year = Some(road.year.map_or(y, |x| x.min(y)));
        }
    }
    let mut columns = vec![
        col("no", "ลำดับที่", "No.", ColumnKind::Integer),
        col("road_code", "รหัสสายทาง", "Road code", ColumnKind::Text),
        col("name", "ชื่อสายทาง", "Road name", ColumnKind::Text),
        col("class", "ชั้นทาง", "Class", ColumnKind::Text),
        col("start_km", "กม. เริ่มต้น", "Start (km)", ColumnKind::Decimal(3)),
        col("end_km", "กม. สิ้นสุด", "End (km)", ColumnKind::Decimal(3)),
    ];
    for s in &surfaces {
        let d = schema().domain("road_surface").and_then(|d| d.value(s));
        columns.push(col(
            &format!("km_{s}"),
            &format!("{} (กม.)", d.map_or(s.as_str(), |v| v.th.as_str())),
            &format!("{} (km)", d.map_or(s.as_str(), |v| v.en.as_str())),
            ColumnKind::Decimal(3),
        ));
    }
    columns.extend([
        col("length_km", "ระยะทางรวม (กม.)", "Length (km)", ColumnKind::Decimal(3)),
        col(
            "carriageway_m",
            "ความกว้างผิวจราจร (ม.)",
            "Carriageway (m)",
            ColumnKind::Text,
        ),
        col("right_of_way_m", "เขตทาง (ม.)", "Right of way (m)", ColumnKind::Text),
        col(
            "year_built_be",
            "ปีที่ก่อสร้าง (พ.ศ.)",
            "Year built (B.E.)",
            ColumnKind::Integer,
        ),
    ]);
    let mut ordered: Vec<(String, Road)> = roads.into_iter().collect();
    ordered.sort_by(|a, b| crate::inventory::thai_cmp(&a.0, &b.0));
    let mut register = Vec::new();
    let mut totals_surface = vec![0.0; surfaces.len()];
    for (i, (code, road)) in ordered.iter().enumerate() {
        let mut row = vec![
            Cell::Int(i as i64 + 1),
            text(code.clone()),
            text(road.name.clone()),
            text(
                road.classes
                    .iter()
                    .map(|c| domain_label("road_class", c, o.lang))
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            road.start_km.map_or(Cell::Empty, Cell::Num),
            road.end_km.map_or(Cell::Empty, Cell::Num),
        ];
        for (k, s) in surfaces.iter().enumerate() {
            let m = road.by_surface.get(s).copied().unwrap_or(0.0);
            totals_surface[k] += m;
            row.push(if m > 0.0 { Cell::Num(km(m)) } else { Cell::Empty });
        }
        row.push(Cell::Num(km(road.by_surface.values().sum())));
        row.push(text(range(&road.widths)));
        row.push(text(range(&road.right_of_way)));
        row.push(road.year.map_or(Cell::Empty, Cell::Int));
        register.push(row);
    }
    let mut totals = vec![
        Cell::Empty,
        text(tr(o.lang, "รวม", "Total")),
        Cell::Empty,
        Cell::Empty,
        Cell::Empty,
        Cell::Empty,
    ];
    totals.extend(totals_surface.iter().map(|m| Cell::Num(km(*m))));
    totals.push(Cell::Num(km(totals_surface.iter().sum())));
    totals.extend([Cell::Empty, Cell::Empty, Cell::Empty]);

    // Length by surface (rows) and class (columns).
    let mut summary_cols = vec![col("surface", "ผิวจราจร", "Surface", ColumnKind::Text)];
    for c in &classes {
        let d = schema().domain("road_class").and_then(|d| d.value(c));
        summary_cols.push(col(
            &format!("km_class_{c}"),
            &format!("{} (กม.)", d.map_or(c.as_str(), |v| v.th.as_str())),
            &format!("{} (km)", d.map_or(c.as_str(), |v| v.en.as_str())),
            ColumnKind::Decimal(3),
        ));
    }
    summary_cols.push(col("length_km", "รวม (กม.)", "Total (km)", ColumnKind::Decimal(3)));
    let summary: Vec<Vec<Cell>> = surfaces
        .iter()
        .map(|s| {
            let mut row = vec![text(domain_label("road_surface", s, o.lang))];
            let mut sum = 0.0;
            for c in &classes {
                let m = grid.get(&(s.clone(), c.clone())).copied().unwrap_or(0.0);
                sum += m;
                row.push(Cell::Num(km(m)));
            }
            row.push(Cell::Num(km(sum)));
            row
        })
        .collect();
    let mut summary_totals = vec![text(tr(o.lang, "รวม", "Total"))];
    let mut all = 0.0;
    for c in &classes {
        let m: f64 = grid.iter().filter(|((_, k), _)| k == c).map(|(_, v)| v).sum();
        all += m;
        summary_totals.push(Cell::Num(km(m)));
    }
    summary_totals.push(Cell::Num(km(all)));
    let chart = Chart {
        title_th: "ระยะทางตามประเภทผิวจราจรและชั้นทาง (กม.)".into(),
        title_en: "Length by surface and class (km)".into(),
        labels: surfaces
            .iter()
            .map(|s| domain_label("road_surface", s, o.lang))
            .collect(),
        series: classes
            .iter()
            .map(|c| Series {
                name: domain_label("road_class", c, o.lang),
                values: surfaces
                    .iter()
                    .map(|s| km(grid.get(&(s.clone(), c.clone())).copied().unwrap_or(0.0)))
                    .collect(),
            })
            .filter(|s| s.values.iter().any(|v| *v > 0.0))
            .collect(),
    };
    Ok(Report {
        name: "road-register".into(),
        title_th: "ทะเบียนทางหลวงท้องถิ่น (ทถ.6)".into(),
        title_en: "Local road register (ThT.6)".into(),
        subtitle: subtitle(conn, o),
        tables: vec![
            Table {
                title_th: "สมุดลงทะเบียนทางหลวงท้องถิ่น".into(),
                title_en: "Register of local roads".into(),
                columns,
                rows: register,
                totals: Some(totals),
            },
            Table {
                title_th: "ระยะทางตามประเภทผิวจราจรและชั้นทาง".into(),
                title_en: "Length by surface and class".into(),
                columns: summary_cols,
                rows: summary,
                totals: Some(summary_totals),
            },
        ],
        charts: vec![chart],
    })
}
