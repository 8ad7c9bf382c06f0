//! The equipment register's reports: depreciation (ทะเบียนคุมทรัพย์สิน with
//! the depreciation columns), value by category and department, and the
//! committee's report of the annual inventory check.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use rusqlite::Connection;

use super::{col, domain_label, money, subtitle, text, tr, ReportError, ReportOptions};
use crate::document::{Cell, Chart, ColumnKind, Lang, Report, Series, Table};
use crate::inventory::{find_check, for_year, Asset, YearFigures, FINDINGS};

/// One register line with what depreciation needs.
pub(crate) struct Line {
    pub asset_no: String,
    pub name: String,
    pub category_label: String,
    pub acquired: NaiveDate,
    pub document_no: String,
    pub quantity: u32,
    pub unit: String,
    pub unit_price: f64,
    pub department: String,
    pub status: String,
    pub life: u32,
    pub disposed: Option<NaiveDate>,
    pub figures: YearFigures,
}

fn date(s: Option<String>) -> Option<NaiveDate> {
    s.and_then(|s| NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok())
}

/// A พ.ศ. date for remarks: 25/9/2569.
fn be(d: NaiveDate) -> String {
    format!("{}/{}/{}", d.day(), d.month(), d.year() + 543)
}

/// The lines in the register during `o.fy`: acquired by its end, not
/// disposed of before it began (an item marked disposed without a disposal
/// record is taken as gone). Lines without a date or price cannot be
/// depreciated; their count is returned too.
pub(crate) fn lines(conn: &Connection, o: &ReportOptions) -> Result<(Vec<Line>, usize), ReportError> {
    let mut stmt = conn.prepare(
        "SELECT e.asset_no, e.name, e.category, c.th, c.en, e.acquired_date, e.document_no, e.quantity, e.unit,
                e.unit_price, e.department, e.status, coalesce(e.useful_life_years, c.useful_life_years),
                (SELECT max(d.disposed_on) FROM disposals d WHERE d.equipment_uid = e.uid)
         FROM equipment e LEFT JOIN equipment_categories c ON c.code = e.category
         ORDER BY e.acquired_date, e.asset_no, e.fid",
    )?;
    let mut rows = stmt.query([])?;
    let (mut out, mut skipped) = (Vec::new(), 0);
    while let Some(r) = rows.next()? {
        let s = |i: usize| -> rusqlite::Result<String> { Ok(r.get::<_, Option<String>>(i)?.unwrap_or_default()) };
        let (Some(acquired), Some(unit_price)) = (date(r.get(5)?), r.get::<_, Option<f64>>(9)?) else {
            skipped += 1;
            continue;
        };
        if acquired > o.fy.last_day() {
            continue;
        }
        let status = s(11)?;
        let disposed = date(r.get(13)?);
        match disposed {
            Some(d) if d < o.fy.first_day() => continue,
            None if status == "disposed" => continue,
            _ => {}
        }
        let quantity = r.get::<_, Option<i64>>(7)?.unwrap_or(1).clamp(1, i64::from(u32::MAX)) as u32;
        let life = r.get::<_, Option<i64>>(12)?.unwrap_or(0).clamp(0, 1000) as u32;
        if life == 0 {
            skipped += 1;
            continue;
        }
        let asset = Asset {
            acquired,
            quantity,
            unit_price,
            useful_life_years: life,
        };
        let category = s(2)?;
        let label = match o.lang {
            Lang::Th => s(3)?,
            Lang::En => s(4)?,
        };
        out.push(Line {
            asset_no: s(0)?,
            name: s(1)?,
            category_label: if label.is_empty() { category } else { label },
            acquired,
            document_no: s(6)?,
            quantity,
            unit: s(8)?,
            unit_price,
            department: s(10)?,
            status,
            life,
            disposed,
            figures: for_year(&asset, o.fy, disposed, o.month_rule),
        });
    }
    Ok((out, skipped))
}

fn remark(l: &Line, o: &ReportOptions) -> String {
    let mut parts = Vec::new();
    if let Some(d) = l.disposed.filter(|d| *d <= o.fy.last_day()) {
        parts.push(match o.lang {
            Lang::Th => format!("จำหน่าย {}", be(d)),
            Lang::En => format!("disposed of {}", d.format("%Y-%m-%d")),
        });
    } else if l.figures.written_down {
        parts.push(tr(o.lang, "ตัดค่าเสื่อมราคาครบแล้ว", "fully depreciated").to_string());
    }
    if matches!(l.status.as_str(), "damaged" | "awaiting_disposal") {
        parts.push(domain_label("equipment_status", &l.status, o.lang));
    }
    parts.join("; ")
}

/// The depreciation register (ทะเบียนค่าเสื่อมราคาครุภัณฑ์) of a fiscal year:
/// one row per line, with the year's charge, the accumulated depreciation
/// and the net value at the end of the year, and their totals.
pub fn depreciation(conn: &Connection, o: &ReportOptions) -> Result<Report, ReportError> {
    let (lines, skipped) = lines(conn, o)?;
    let columns = vec![
        col("date", "วัน/เดือน/ปี", "Date", ColumnKind::Date),
        col("document_no", "เลขที่เอกสาร", "Document no.", ColumnKind::Text),
        col("item", "รายการ", "Item", ColumnKind::Text),
        col("quantity_unit", "จำนวน/หน่วย", "Quantity/unit", ColumnKind::Text),
        col("unit_price", "ราคาต่อหน่วย", "Unit price", ColumnKind::Money),
        col("total", "มูลค่ารวม", "Total", ColumnKind::Money),
        col(
            "useful_life",
            "อายุการใช้งาน (ปี)",
            "Useful life (years)",
            ColumnKind::Integer,
        ),
        col("rate", "อัตราค่าเสื่อมราคา", "Rate", ColumnKind::Percent),
        col(
            "annual_depreciation",
            "ค่าเสื่อมราคาประจำปี",
            "Annual depreciation",
            ColumnKind::Money,
        ),
        col(
            "accumulated_depreciation",
            "ค่าเสื่อมราคาสะสม",
            "Accumulated depreciation",
            ColumnKind::Money,
        ),
        col("net_value", "มูลค่าสุทธิ", "Net value", ColumnKind::Money),
        col("remarks", "หมายเหตุ", "Remarks", ColumnKind::Text),
    ];
    let (mut total, mut annual, mut acc, mut net) = (0.0, 0.0, 0.0, 0.0);
    let rows: Vec<Vec<Cell>> = lines
        .iter()
        .map(|l| {
            let f = &l.figures;
            total += f.cost;
            annual += f.this_year;
            acc += f.accumulated;
            net += f.net;
            vec![
                Cell::Date(l.acquired),
                text(l.document_no.clone()),
                text(format!("{} {}", l.asset_no, l.name).trim().to_string()),
                text(format!("{} {}", l.quantity, l.unit).trim().to_string()),
                money(l.unit_price),
                money(f.cost),
                Cell::Int(i64::from(l.life)),
                Cell::Num(f.rate),
                money(f.this_year),
                money(f.accumulated),
                money(f.net),
                text(remark(l, o)),
            ]
        })
        .collect();
    let mut totals = vec![Cell::Empty; columns.len()];
    totals[2] = text(tr(o.lang, "รวม", "Total"));
    totals[5] = money(total);
    totals[8] = money(annual);
    totals[9] = money(acc);
    totals[10] = money(net);
    let mut sub = subtitle(conn, o);
    sub.push(match o.lang {
        Lang::Th => format!("วิธีเส้นตรง คิดเป็นรายเดือน ราคาซาก 1 บาทต่อหน่วย ณ วันที่ 30 กันยายน {}", o.fy),
        Lang::En => format!(
            "Straight line, by month, residual value 1 baht per unit, at 30 September {}",
            o.fy.0 - 543
        ),
    });
    if skipped > 0 {
        sub.push(match o.lang {
            Lang::Th => format!("ไม่รวม {skipped} รายการที่ไม่มีวันที่ได้มา ราคา หรืออายุการใช้งาน"),
            Lang::En => format!("{skipped} items without acquisition date, price or useful life are left out"),
        });
    }
    Ok(Report {
        name: "depreciation".into(),
        title_th: "ทะเบียนค่าเสื่อมราคาครุภัณฑ์".into(),
        title_en: "Equipment depreciation register".into(),
        subtitle: sub,
        tables: vec![Table {
            title_th: format!("ค่าเสื่อมราคาครุภัณฑ์ ปีงบประมาณ {}", o.fy),
            title_en: format!("Depreciation, fiscal year {}", o.fy),
            columns,
            rows,
            totals: Some(totals),
        }],
        charts: Vec::new(),
    })
}

#[derive(Default)]
struct Sums {
    items: i64,
    quantity: i64,
    cost: f64,
    this_year: f64,
    accumulated: f64,
    net: f64,
}

fn value_table(
    title_th: &str,
    title_en: &str,
    key_th: &str,
    key_en: &str,
    groups: &[(String, Sums)],
    lang: Lang,
) -> Table {
    let columns = vec![
        col("group", key_th, key_en, ColumnKind::Text),
        col("items", "จำนวนรายการ", "Items", ColumnKind::Integer),
        col("quantity", "จำนวนหน่วย", "Units", ColumnKind::Integer),
        col("cost", "มูลค่าที่ได้มา", "Cost", ColumnKind::Money),
        col(
            "annual_depreciation",
            "ค่าเสื่อมราคาประจำปี",
            "Annual depreciation",
            ColumnKind::Money,
        ),
        col(
            "accumulated_depreciation",
            "ค่าเสื่อมราคาสะสม",
            "Accumulated depreciation",
            ColumnKind::Money,
        ),
        col("net_value", "มูลค่าสุทธิ", "Net value", ColumnKind::Money),
    ];
    let mut t = Sums::default();
    let rows = groups
        .iter()
        .map(|(name, s)| {
            t.items += s.items;
            t.quantity += s.quantity;
            t.cost += s.cost;
            t.this_year += s.this_year;
            t.accumulated += s.accumulated;
            t.net += s.net;
            vec![
                text(name.clone()),
                Cell::Int(s.items),
                Cell::Int(s.quantity),
                money(s.cost),
                money(s.this_year),
                money(s.accumulated),
                money(s.net),
            ]
        })
        .collect();
    Table {
        title_th: title_th.into(),
        title_en: title_en.into(),
        columns,
        rows,
        totals: Some(vec![
            text(tr(lang, "รวม", "Total")),
            Cell::Int(t.items),
            Cell::Int(t.quantity),
            money(t.cost),
            money(t.this_year),
            money(t.accumulated),
            money(t.net),
        ]),
    }
}

/// Value and depreciation of the equipment held at the end of the fiscal
/// year, by category and by department, with charts.
pub fn equipment_value(conn: &Connection, o: &ReportOptions) -> Result<Report, ReportError> {
    let (lines, _) = lines(conn, o)?;
    let held: Vec<&Line> = lines
        .iter()
        .filter(|l| l.disposed.is_none_or(|d| d > o.fy.last_day()))
        .collect();
    let group = |key: &dyn Fn(&Line) -> String| -> Vec<(String, Sums)> {
        let mut m: BTreeMap<String, Sums> = BTreeMap::new();
        for l in &held {
            let s = m.entry(key(l)).or_default();
            s.items += 1;
            s.quantity += i64::from(l.quantity);
            s.cost += l.figures.cost;
            s.this_year += l.figures.this_year;
            s.accumulated += l.figures.accumulated;
            s.net += l.figures.net;
        }
        let mut v: Vec<(String, Sums)> = m.into_iter().collect();
        v.sort_by(|a, b| crate::inventory::thai_cmp(&a.0, &b.0));
        v
    };
    let unnamed = tr(o.lang, "(ไม่ระบุ)", "(none)").to_string();
    let by_category = group(&|l: &Line| l.category_label.clone());
    let by_department = group(&|l: &Line| {
        if l.department.is_empty() {
            unnamed.clone()
        } else {
            l.department.clone()
        }
    });
    let chart = |title_th: &str, title_en: &str, groups: &[(String, Sums)]| Chart {
        title_th: title_th.into(),
        title_en: title_en.into(),
        labels: groups.iter().map(|(n, _)| n.clone()).collect(),
        series: vec![
            Series {
                name: tr(o.lang, "มูลค่าสุทธิ", "Net value").into(),
                values: groups.iter().map(|(_, s)| (s.net * 100.0).round() / 100.0).collect(),
            },
            Series {
                name: tr(o.lang, "ค่าเสื่อมราคาประจำปี", "Annual depreciation").into(),
                values: groups
                    .iter()
                    .map(|(_, s)| (s.this_year * 100.0).round() / 100.0)
                    .collect(),
            },
        ],
    };
    Ok(Report {
        name: "equipment-value".into(),
        title_th: "มูลค่าครุภัณฑ์และค่าเสื่อมราคา".into(),
        title_en: "Equipment value and depreciation".into(),
        subtitle: subtitle(conn, o),
        charts: vec![
            chart("มูลค่าครุภัณฑ์ตามประเภท", "Equipment value by category", &by_category),
            chart("มูลค่าครุภัณฑ์ตามหน่วยงาน", "Equipment value by department", &by_department),
        ],
        tables: vec![
            value_table(
                "ตามประเภทครุภัณฑ์",
                "By category",
                "ประเภท",
                "Category",
                &by_category,
                o.lang,
            ),
            value_table(
                "ตามหน่วยงาน",
                "By department",
                "หน่วยงาน",
                "Department",
                &by_department,
                o.lang,
            ),
        ],
    })
}

/// The committee's report of the fiscal year's inventory check: findings
/// counted and valued, then every item with its finding (or not checked).
pub fn inventory_check(conn: &Connection, o: &ReportOptions) -> Result<Report, ReportError> {
    let check = find_check(conn, &o.fy.to_string())
        .map_err(|e| ReportError::NoData {
            th: e.to_string(),
            en: e.to_string(),
        })?
        .ok_or_else(|| ReportError::NoData {
            th: format!("ยังไม่มีการตรวจสอบพัสดุประจำปี {}", o.fy),
            en: format!("no inventory check for fiscal year {}", o.fy),
        })?;
    let mut stmt = conn.prepare(
        "SELECT e.asset_no, e.name, coalesce(c.th, e.category), coalesce(c.en, e.category), e.department,
                f.finding, f.checked_at, f.notes, coalesce(e.quantity, 1) * coalesce(e.unit_price, 0)
         FROM equipment e
         LEFT JOIN equipment_categories c ON c.code = e.category
         LEFT JOIN inventory_findings f ON f.equipment_uid = e.uid AND f.check_uid = ?1
         WHERE f.uid IS NOT NULL OR coalesce(e.status, '') != 'disposed'
         ORDER BY e.asset_no, e.fid",
    )?;
    let mut rows = stmt.query([&check.uid])?;
    let mut detail = Vec::new();
    let mut counts: BTreeMap<&str, (i64, f64)> = BTreeMap::new();
    while let Some(r) = rows.next()? {
        let s = |i: usize| -> rusqlite::Result<String> { Ok(r.get::<_, Option<String>>(i)?.unwrap_or_default()) };
        let finding = s(5)?;
        let key = FINDINGS.iter().copied().find(|f| *f == finding).unwrap_or("");
        let value: f64 = r.get::<_, Option<f64>>(8)?.unwrap_or(0.0);
        let e = counts.entry(key).or_default();
        e.0 += 1;
        e.1 += value;
        detail.push(vec![
            text(s(0)?),
            text(s(1)?),
            text(match o.lang {
                Lang::Th => s(2)?,
                Lang::En => s(3)?,
            }),
            text(s(4)?),
            text(if key.is_empty() {
                tr(o.lang, "ยังไม่ได้ตรวจสอบ", "not checked").to_string()
            } else {
                domain_label("finding", key, o.lang)
            }),
            date(r.get(6)?).map_or(Cell::Empty, Cell::Date),
            text(s(7)?),
        ]);
    }
    let order: Vec<&str> = FINDINGS.iter().copied().chain([""]).collect();
    let label = |k: &str| {
        if k.is_empty() {
            tr(o.lang, "ยังไม่ได้ตรวจสอบ", "Not checked").to_string()
        } else {
            domain_label("finding", k, o.lang)
        }
    };
    let summary_rows: Vec<Vec<Cell>> = order
        .iter()
        .map(|k| {
            let (n, v) = counts.get(k).copied().unwrap_or_default();
            vec![text(label(k)), Cell::Int(n), money(v)]
        })
        .collect();
    let (n, v) = counts.values().fold((0, 0.0), |a, b| (a.0 + b.0, a.1 + b.1));
    let mut sub = subtitle(conn, o);
    sub.push(match o.lang {
        Lang::Th => format!(
            "เริ่มตรวจสอบ {}{}",
            check.opened_on,
            check
                .closed_on
                .as_deref()
                .map(|c| format!(" ปิดการตรวจสอบ {c}"))
                .unwrap_or_default()
        ),
        Lang::En => format!(
            "Opened {}{}",
            check.opened_on,
            check
                .closed_on
                .as_deref()
                .map(|c| format!(", closed {c}"))
                .unwrap_or_default()
        ),
    });
    sub.push(format!(
        "{} {}",
        tr(o.lang, "คณะกรรมการตรวจสอบ:", "Committee:"),
        check.committee.join(", ")
    ));
    Ok(Report {
        name: "inventory-check".into(),
        title_th: "รายงานผลการตรวจสอบพัสดุประจำปี".into(),
        title_en: "Annual inventory check report".into(),
        subtitle: sub,
        charts: vec![Chart {
            title_th: "ผลการตรวจสอบ".into(),
            title_en: "Findings".into(),
            labels: order.iter().map(|k| label(k)).collect(),
            series: vec![Series {
                name: tr(o.lang, "จำนวนรายการ", "Items").into(),
                values: order
                    .iter()
                    .map(|k| counts.get(k).map_or(0.0, |c| c.0 as f64))
                    .collect(),
            }],
        }],
        tables: vec![
            Table {
                title_th: "สรุปผลการตรวจสอบ".into(),
                title_en: "Summary".into(),
                columns: vec![
                    col("finding", "ผลการตรวจสอบ", "Finding", ColumnKind::Text),
                    col("items", "จำนวนรายการ", "Items", ColumnKind::Integer),
                    col("value", "มูลค่าที่ได้มา", "Cost", ColumnKind::Money),
                ],
                rows: summary_rows,
                totals: Some(vec![text(tr(o.lang, "รวม", "Total")), Cell::Int(n), money(v)]),
            },
            Table {
                title_th: "รายละเอียดการตรวจสอบ".into(),
                title_en: "Items".into(),
                columns: vec![
                    col("asset_no", "เลขที่ครุภัณฑ์", "Asset number", ColumnKind::Text),
                    col("name", "รายการ", "Item", ColumnKind::Text),
                    col("category", "ประเภท", "Category", ColumnKind::Text),
                    col("department", "หน่วยงาน", "Department", ColumnKind::Text),
                    col("finding", "ผลการตรวจสอบ", "Finding", ColumnKind::Text),
                    col("checked_on", "วันที่ตรวจ", "Checked on", ColumnKind::Date),
                    col("notes", "หมายเหตุ", "Notes", ColumnKind::Text),
                ],
                rows: detail,
                totals: None,
            },
        ],
    })
}
