//! Maintenance reports: poles out of service by village with how long
//! repairs took, and open work orders by age.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rusqlite::Connection;

use super::{col, domain_label, subtitle, text, tr, ReportError, ReportOptions};
use crate::document::{Cell, Chart, ColumnKind, Lang, Report, Series, Table};

/// Days between two stored times (ISO 8601), to the tenth of a day.
fn days_between(from: &str, to: &str) -> Option<f64> {
    let parse = |s: &str| {
        chrono::DateTime::parse_from_rfc3339(s)
            .map(|d| d.naive_utc())
            .ok()
            .or_else(|| {
                NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d")
                    .ok()?
                    .and_hms_opt(0, 0, 0)
            })
    };
    let d = (parse(to)? - parse(from)?).num_minutes() as f64 / 1440.0;
    Some((d * 10.0).round() / 10.0)
}

fn median(v: &mut [f64]) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(f64::total_cmp);
    let m = v.len() / 2;
    if v.len() % 2 == 0 {
        (v[m - 1] + v[m]) / 2.0
    } else {
        v[m]
    }
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// Poles out of service by village (หมู่ที่) now, and how long the repairs
/// finished in the fiscal year took, by job type.
pub fn pole_outages(conn: &Connection, o: &ReportOptions) -> Result<Report, ReportError> {
    let name_col = match o.lang {
        Lang::Th => "name_th",
        Lang::En => "coalesce(name_en, name_th)",
    };
    let mut stmt = conn.prepare(&format!(
        "SELECT p.village_no, (SELECT {name_col} FROM villages v WHERE v.village_no = p.village_no ORDER BY v.fid LIMIT 1),
                count(*), sum(p.status != 'normal'), sum(p.status = 'damaged'), sum(p.status = 'awaiting_repair')
         FROM poles p GROUP BY p.village_no ORDER BY p.village_no IS NULL, p.village_no"
    ))?;
    let mut rows = stmt.query([])?;
    let mut villages = Vec::new();
    let mut t = (0i64, 0i64, 0i64, 0i64);
    let mut labels = Vec::new();
    let mut outs = Vec::new();
    while let Some(r) = rows.next()? {
        let no: Option<i64> = r.get(0)?;
        let (all, out, damaged, waiting): (i64, i64, i64, i64) = (r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?);
        t = (t.0 + all, t.1 + out, t.2 + damaged, t.3 + waiting);
        labels.push(match no {
            Some(n) => format!("{} {n}", tr(o.lang, "หมู่", "Village")),
            None => tr(o.lang, "นอกเขตหมู่บ้าน", "No village").to_string(),
        });
        outs.push(out as f64);
        villages.push(vec![
            no.map_or(Cell::Empty, Cell::Int),
            text(r.get::<_, Option<String>>(1)?.unwrap_or_default()),
            Cell::Int(all),
            Cell::Int(out),
            Cell::Num(if all > 0 { out as f64 / all as f64 } else { 0.0 }),
            Cell::Int(damaged),
            Cell::Int(waiting),
        ]);
    }
    // Repairs finished in the fiscal year on poles and their lamps.
    let mut stmt = conn.prepare(
        "SELECT fault_type, received_at, done_at FROM work_orders
         WHERE asset_kind IN ('pole', 'lamp') AND status = 'done' AND done_at IS NOT NULL
           AND substr(done_at, 1, 10) BETWEEN ?1 AND ?2",
    )?;
    let mut durations: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    let first = o.fy.first_day().format("%Y-%m-%d").to_string();
    let last = o.fy.last_day().format("%Y-%m-%d").to_string();
    let mut rows = stmt.query([&first, &last])?;
    while let Some(r) = rows.next()? {
        let (fault, received, done): (Option<String>, Option<String>, Option<String>) =
            (r.get(0)?, r.get(1)?, r.get(2)?);
        if let Some(days) = days_between(&received.unwrap_or_default(), &done.unwrap_or_default()) {
            durations.entry(fault.unwrap_or_default()).or_default().push(days);
        }
    }
    let mut all_days: Vec<f64> = durations.values().flatten().copied().collect();
    let mut repair_rows = Vec::new();
    let mut fault_labels = Vec::new();
    let mut means = Vec::new();
    for (fault, days) in &mut durations {
        let mean = days.iter().sum::<f64>() / days.len() as f64;
        let longest = days.iter().copied().fold(0.0, f64::max);
        let label = domain_label("fault_type", fault, o.lang);
        fault_labels.push(label.clone());
        means.push(round1(mean));
        repair_rows.push(vec![
            text(label),
            Cell::Int(days.len() as i64),
            Cell::Num(round1(mean)),
            Cell::Num(round1(median(days))),
            Cell::Num(longest),
        ]);
    }
    let repair_totals = vec![
        text(tr(o.lang, "รวม", "Total")),
        Cell::Int(all_days.len() as i64),
        Cell::Num(if all_days.is_empty() {
            0.0
        } else {
            round1(all_days.iter().sum::<f64>() / all_days.len() as f64)
        }),
        Cell::Num(round1(median(&mut all_days))),
        Cell::Num(all_days.iter().copied().fold(0.0, f64::max)),
    ];
    let mut sub = subtitle(conn, o);
    sub.push(match o.lang {
        Lang::Th => format!("สถานะเสา ณ วันที่จัดทำรายงาน ({})", o.today.format("%Y-%m-%d")),
        Lang::En => format!("Pole status as of {}", o.today.format("%Y-%m-%d")),
    });
    Ok(Report {
        name: "pole-outages".into(),
        title_th: "เสาไฟฟ้าที่ใช้งานไม่ได้และระยะเวลาซ่อม".into(),
        title_en: "Poles out of service and repair times".into(),
        subtitle: sub,
        tables: vec![
            Table {
                title_th: "เสาไฟฟ้าที่ใช้งานไม่ได้ ตามหมู่บ้าน".into(),
                title_en: "Poles out of service by village".into(),
                columns: vec![
                    col("village_no", "หมู่ที่", "Village no.", ColumnKind::Integer),
                    col("village", "ชื่อหมู่บ้าน", "Village", ColumnKind::Text),
                    col("poles", "จำนวนเสา", "Poles", ColumnKind::Integer),
                    col("out_of_service", "ใช้งานไม่ได้", "Out of service", ColumnKind::Integer),
                    col("share", "ร้อยละ", "Share", ColumnKind::Percent),
                    col("damaged", "ชำรุด", "Damaged", ColumnKind::Integer),
                    col("awaiting_repair", "รอซ่อม", "Awaiting repair", ColumnKind::Integer),
                ],
                rows: villages,
                totals: Some(vec![
                    text(tr(o.lang, "รวม", "Total")),
                    Cell::Empty,
                    Cell::Int(t.0),
                    Cell::Int(t.1),
                    Cell::Num(if t.0 > 0 { t.1 as f64 / t.0 as f64 } else { 0.0 }),
                    Cell::Int(t.2),
                    Cell::Int(t.3),
                ]),
            },
            Table {
                title_th: format!("ระยะเวลาซ่อม (วัน) งานที่เสร็จในปีงบประมาณ {}", o.fy),
                title_en: format!("Repair time (days) of work finished in fiscal year {}", o.fy),
                columns: vec![
                    col("fault_type", "ลักษณะงาน", "Job type", ColumnKind::Text),
                    col("orders", "จำนวนงาน", "Orders", ColumnKind::Integer),
                    col("mean_days", "เฉลี่ย (วัน)", "Mean (days)", ColumnKind::Decimal(1)),
                    col("median_days", "มัธยฐาน (วัน)", "Median (days)", ColumnKind::Decimal(1)),
                    col("longest_days", "นานที่สุด (วัน)", "Longest (days)", ColumnKind::Decimal(1)),
                ],
                rows: repair_rows,
                totals: Some(repair_totals),
            },
        ],
        charts: vec![
            Chart {
                title_th: "เสาไฟฟ้าที่ใช้งานไม่ได้ ตามหมู่บ้าน".into(),
                title_en: "Poles out of service by village".into(),
                labels,
                series: vec![Series {
                    name: tr(o.lang, "ใช้งานไม่ได้", "Out of service").into(),
                    values: outs,
                }],
            },
            Chart {
                title_th: "ระยะเวลาซ่อมเฉลี่ย (วัน)".into(),
                title_en: "Mean repair time (days)".into(),
                labels: fault_labels,
                series: vec![Series {
                    name: tr(o.lang, "วัน", "Days").into(),
                    values: means,
                }],
            },
        ],
    })
}

/// Age buckets of open orders: (upper bound in days, th, en).
pub const AGE_BUCKETS: [(i64, &str, &str); 4] = [
    (7, "ไม่เกิน 7 วัน", "Up to 7 days"),
    (30, "8–30 วัน", "8–30 days"),
    (90, "31–90 วัน", "31–90 days"),
    (i64::MAX, "เกิน 90 วัน", "Over 90 days"),
];

const KINDS: [&str; 5] = ["pole", "lamp", "road", "drain", "equipment"];

/// Work orders open at the report's day (today, or the end of the fiscal
/// year when that is past) by age and asset kind, and the list of them,
/// oldest first.
pub fn work_orders(conn: &Connection, o: &ReportOptions) -> Result<Report, ReportError> {
    let as_of = o.as_of();
    let end = format!("{}T23:59:59.999Z", as_of.format("%Y-%m-%d"));
    let mut stmt = conn.prepare(
        "SELECT w.order_no, w.asset_kind, w.fault_type, w.status, w.received_at, w.technician,
                CASE w.asset_kind
                  WHEN 'pole' THEN (SELECT pole_no FROM poles WHERE uid = w.asset_uid)
                  WHEN 'lamp' THEN (SELECT p.pole_no FROM lamps l JOIN poles p ON p.uid = l.pole_uid WHERE l.uid = w.asset_uid)
                  WHEN 'road' THEN (SELECT coalesce(road_code, name_th) FROM roads WHERE uid = w.asset_uid)
                  WHEN 'drain' THEN (SELECT road_code FROM drains WHERE uid = w.asset_uid)
                  WHEN 'equipment' THEN (SELECT asset_no || ' ' || name FROM equipment WHERE uid = w.asset_uid)
                END
         FROM work_orders w
         WHERE w.received_at <= ?1 AND (w.done_at IS NULL OR w.done_at > ?1)
         ORDER BY w.received_at, w.order_no",
    )?;
    let mut rows = stmt.query([&end])?;
    let mut list = Vec::new();
    let mut grid = [[0i64; 5]; 4];
    while let Some(r) = rows.next()? {
        let s = |i: usize| -> rusqlite::Result<String> { Ok(r.get::<_, Option<String>>(i)?.unwrap_or_default()) };
        let received = s(4)?;
        let Some(day) = received
            .get(..10)
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        else {
            continue;
        };
        let age = (as_of - day).num_days().max(0);
        let bucket = AGE_BUCKETS.iter().position(|(max, _, _)| age <= *max).unwrap_or(3);
        let kind = s(1)?;
        if let Some(k) = KINDS.iter().position(|k| *k == kind) {
            grid[bucket][k] += 1;
        }
        // An order done after the report's day was still in progress then.
        let status = match s(3)?.as_str() {
            "done" => "in_progress".to_string(),
            other => other.to_string(),
        };
        list.push(vec![
            text(s(0)?),
            text(domain_label("asset_kind", &kind, o.lang)),
            text(s(6)?),
            text(domain_label("fault_type", &s(2)?, o.lang)),
            text(domain_label("work_status", &status, o.lang)),
            Cell::Date(day),
            Cell::Int(age),
            text(s(5)?),
        ]);
    }
    let mut kind_cols = vec![col("age", "อายุงาน", "Age", ColumnKind::Text)];
    kind_cols.extend(KINDS.iter().map(|k| {
        let d = crate::model::schema().domain("asset_kind").and_then(|d| d.value(k));
        col(
            k,
            d.map_or(*k, |v| v.th.as_str()),
            d.map_or(*k, |v| v.en.as_str()),
            ColumnKind::Integer,
        )
    }));
    kind_cols.push(col("total", "รวม", "Total", ColumnKind::Integer));
    let age_rows: Vec<Vec<Cell>> = AGE_BUCKETS
        .iter()
        .zip(grid)
        .map(|((_, th, en), counts)| {
            let mut row = vec![text(tr(o.lang, th, en))];
            row.extend(counts.iter().map(|c| Cell::Int(*c)));
            row.push(Cell::Int(counts.iter().sum()));
            row
        })
        .collect();
    let mut totals = vec![text(tr(o.lang, "รวม", "Total"))];
    totals.extend((0..5).map(|k| Cell::Int(grid.iter().map(|b| b[k]).sum())));
    totals.push(Cell::Int(grid.iter().flatten().sum()));
    let mut sub = subtitle(conn, o);
    sub.push(match o.lang {
        Lang::Th => format!("งานที่ยังไม่เสร็จ ณ วันที่ {}", as_of.format("%Y-%m-%d")),
        Lang::En => format!("Orders open on {}", as_of.format("%Y-%m-%d")),
    });
    Ok(Report {
        name: "work-orders".into(),
        title_th: "งานซ่อมบำรุงที่ยังไม่แล้วเสร็จ".into(),
        title_en: "Open work orders".into(),
        subtitle: sub,
        charts: vec![Chart {
            title_th: "งานค้างตามอายุงาน".into(),
            title_en: "Open orders by age".into(),
            labels: AGE_BUCKETS
                .iter()
                .map(|(_, th, en)| tr(o.lang, th, en).to_string())
                .collect(),
            series: KINDS
                .iter()
                .enumerate()
                .map(|(k, kind)| Series {
                    name: domain_label("asset_kind", kind, o.lang),
                    values: grid.iter().map(|b| b[k] as f64).collect(),
                })
                .collect(),
        }],
        tables: vec![
            Table {
                title_th: "งานค้างตามอายุงานและประเภททรัพย์สิน".into(),
                title_en: "Open orders by age and asset kind".into(),
                columns: kind_cols,
                rows: age_rows,
                totals: Some(totals),
            },
            Table {
                title_th: "รายการงานค้าง (เก่าสุดก่อน)".into(),
                title_en: "Open orders, oldest first".into(),
                columns: vec![
                    col("order_no", "เลขที่ใบงาน", "Order no.", ColumnKind::Text),
                    col("asset_kind", "ประเภททรัพย์สิน", "Asset kind", ColumnKind::Text),
                    col("asset", "ทรัพย์สิน", "Asset", ColumnKind::Text),
                    col("fault_type", "ลักษณะงาน", "Job type", ColumnKind::Text),
                    col("status", "สถานะ", "Status", ColumnKind::Text),
                    col("received", "วันที่รับแจ้ง", "Received", ColumnKind::Date),
                    col("age_days", "อายุงาน (วัน)", "Age (days)", ColumnKind::Integer),
                    col("technician", "ช่างผู้ปฏิบัติ", "Technician", ColumnKind::Text),
                ],
                rows: list,
                totals: None,
            },
        ],
    })
}
