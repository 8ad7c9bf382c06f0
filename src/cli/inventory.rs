//! The equipment register and maintenance work from the command line:
//! `equipment`, `check`, `workorder` and `labels`, for trainers and scripts.
//! Every write is a journaled edit recorded under the login name.

use std::path::Path;

use chrono::{Datelike, NaiveDate, Utc};
use tongtin::edit::{EditError, Editor};
use tongtin::gpkg::{GeoPackage, Value};
use tongtin::inventory::{
    self, Disposal, Filter, FilterOp, Finish, InventoryError, LampChange, ListQuery, NewEquipment, NewWorkOrder,
    SortKey,
};
use tongtin::journal::Actor;

use super::exit::{self, Failure};

fn refused(file: &Path, e: InventoryError) -> Failure {
    match e {
        InventoryError::Gpkg(g) => exit::reading(file, g),
        InventoryError::Edit(EditError::NotEditable { .. } | EditError::ModelOlder { .. }) => {
            Failure::new(exit::BAD_INPUT, e)
        }
        InventoryError::Edit(EditError::Gpkg(g)) => exit::reading(file, g),
        InventoryError::Edit(EditError::Journal(j)) => {
            Failure::new(exit::WRITE_FAILED, format!("{}: {j}", file.display()))
        }
        other => Failure::new(exit::USAGE, format!("{}: {other}", file.display())),
    }
}

fn editor(file: &Path) -> Result<Editor, Failure> {
    Editor::open(file, Actor::from_env()).map_err(|e| match e {
        EditError::Gpkg(g) => exit::reading(file, g),
        other => Failure::new(exit::BAD_INPUT, other),
    })
}

fn reader(file: &Path) -> Result<GeoPackage, Failure> {
    GeoPackage::open(file).map_err(|e| exit::reading(file, e))
}

/// A day as staff write it: 2026-01-15 or 2569-01-15 (พ.ศ.).
pub fn parse_date(flag: &str, text: &str) -> Result<NaiveDate, Failure> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .ok()
        .and_then(|d| {
            if d.year() > 2400 {
                d.with_year(d.year() - 543)
            } else {
                Some(d)
            }
        })
        .ok_or_else(|| {
            Failure::new(
                exit::USAGE,
                format!("{flag} {text}: give a date as YYYY-MM-DD, e.g. 2026-01-15 or 2569-01-15 (วันที่ไม่ถูกต้อง)"),
            )
        })
}

fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// What `equipment add` takes.
pub struct AddArgs<'a> {
    pub name: &'a str,
    pub category: &'a str,
    pub asset_no: Option<&'a str>,
    pub acquired: Option<&'a str>,
    pub quantity: Option<i64>,
    pub unit: Option<&'a str>,
    pub price: Option<f64>,
    pub department: Option<&'a str>,
    pub custodian: Option<&'a str>,
    pub location: Option<&'a str>,
    pub document_no: Option<&'a str>,
    pub vendor: Option<&'a str>,
    pub funding: Option<&'a str>,
    pub pole: Option<&'a str>,
}

fn own(v: Option<&str>) -> Option<String> {
    v.map(str::to_string)
}

pub fn equipment_add(file: &Path, a: &AddArgs<'_>) -> Result<u8, Failure> {
    let acquired = a.acquired.map(|d| parse_date("--acquired", d)).transpose()?;
    let mut ed = editor(file)?;
    let pole_uid = match a.pole {
        Some(p) => Some(pole_uid(ed.gpkg().connection(), p).ok_or_else(|| {
            Failure::new(
                exit::USAGE,
                format!("{}: no pole {p} (ไม่พบเสาไฟฟ้า {p})", file.display()),
            )
        })?),
        None => None,
    };
    let item = NewEquipment {
        asset_no: own(a.asset_no),
        name: a.name.to_string(),
        category: a.category.to_string(),
        acquired_date: acquired,
        quantity: a.quantity,
        unit: own(a.unit),
        unit_price: a.price,
        funding_source: own(a.funding),
        vendor: own(a.vendor),
        document_no: own(a.document_no),
        department: own(a.department),
        custodian: own(a.custodian),
        location: own(a.location),
        pole_uid,
        ..Default::default()
    };
    let r = inventory::add_equipment(&mut ed, &item).map_err(|e| refused(file, e))?;
    say!("{}\t{}", r.asset_no, r.uid);
    Ok(exit::OK)
}

fn pole_uid(conn: &rusqlite::Connection, key: &str) -> Option<String> {
    conn.query_row(
        "SELECT uid FROM poles WHERE pole_no = ?1 OR uid = ?1 ORDER BY fid LIMIT 1",
        [key.trim()],
        |r| r.get(0),
    )
    .ok()
}

/// What `equipment list` and `workorder list` take.
pub struct ListArgs<'a> {
    pub search: Option<&'a str>,
    pub filters: Vec<(&'a str, &'a str)>,
    pub sort: Option<&'a str>,
    pub descending: bool,
    pub offset: u64,
    pub limit: u64,
    pub json: bool,
}

fn print_list(file: &Path, layer: &str, a: &ListArgs<'_>, shown: &[&str]) -> Result<u8, Failure> {
    let g = reader(file)?;
    let q = ListQuery {
        layer: layer.into(),
        search: a.search.map(str::to_string),
        filters: a
            .filters
            .iter()
            .map(|(field, value)| Filter {
                field: field.to_string(),
                op: FilterOp::Eq,
                value: serde_json::Value::String(value.to_string()),
            })
            .collect(),
        sort: a
            .sort
            .map(|s| SortKey {
                field: s.to_string(),
                descending: a.descending,
            })
            .into_iter()
            .collect(),
        offset: a.offset,
        limit: a.limit,
    };
    let page = inventory::list(g.connection(), &q).map_err(|e| refused(file, e))?;
    if a.json {
        say!("{}", serde_json::to_string_pretty(&page).unwrap_or_default());
        return Ok(exit::OK);
    }
    let idx: Vec<usize> = shown
        .iter()
        .filter_map(|c| page.columns.iter().position(|p| p == c))
        .collect();
    say!("{}", shown.join("\t"));
    for row in &page.rows {
        let cells: Vec<String> = idx
            .iter()
            .map(|i| match &row.values[*i] {
                Value::Null => String::new(),
                v => v.to_string(),
            })
            .collect();
        say!("{}", cells.join("\t"));
    }
    eprintln!(
        "{} of {} rows (from {})",
        page.rows.len(),
        page.total,
        a.offset + u64::from(!page.rows.is_empty())
    );
    Ok(exit::OK)
}

pub fn equipment_list(file: &Path, a: &ListArgs<'_>) -> Result<u8, Failure> {
    print_list(
        file,
        "equipment",
        a,
        &[
            "asset_no",
            "name",
            "category",
            "acquired_date",
            "quantity",
            "unit_price",
            "department",
            "status",
        ],
    )
}

pub fn workorder_list(file: &Path, a: &ListArgs<'_>) -> Result<u8, Failure> {
    print_list(
        file,
        "work_orders",
        a,
        &[
            "order_no",
            "asset_kind",
            "fault_type",
            "status",
            "received_at",
            "started_at",
            "done_at",
            "technician",
            "cost",
        ],
    )
}

pub fn equipment_dispose(
    file: &Path,
    asset_no: &str,
    method: &str,
    document_no: &str,
    date: Option<&str>,
    amount: Option<f64>,
    notes: Option<&str>,
) -> Result<u8, Failure> {
    let disposed_on = date.map(|d| parse_date("--date", d)).transpose()?.unwrap_or_else(today);
    let mut ed = editor(file)?;
    inventory::dispose(
        &mut ed,
        &Disposal {
            asset_no: asset_no.to_string(),
            method: method.to_string(),
            document_no: document_no.to_string(),
            disposed_on,
            amount,
            notes: own(notes),
        },
    )
    .map_err(|e| refused(file, e))?;
    say!("{asset_no}: disposed of ({method}, {document_no}) / จำหน่ายแล้ว");
    Ok(exit::OK)
}

/// `equipment find`: what a typed or scanned number names.
pub fn find(file: &Path, number: &str) -> Result<u8, Failure> {
    let g = reader(file)?;
    match tongtin::search::find_number(&g, number).map_err(|e| exit::reading(file, e))? {
        Some(hit) => {
            say!("{}\t{}\t{}", hit.layer, hit.fid, hit.label);
            Ok(exit::OK)
        }
        None => Err(Failure::new(
            exit::NOT_CONFORMING,
            format!("{}: nothing numbered {} (ไม่พบหมายเลขนี้)", file.display(), number.trim()),
        )),
    }
}

pub fn check_open(file: &Path, fy: Option<&str>, committee: &str, date: Option<&str>) -> Result<u8, Failure> {
    let fy = super::report::parse_fy(fy)?;
    let opened = date.map(|d| parse_date("--date", d)).transpose()?.unwrap_or_else(today);
    let names: Vec<String> = committee.split([',', ';']).map(|n| n.trim().to_string()).collect();
    let mut ed = editor(file)?;
    let uid = inventory::open_check(&mut ed, fy, &names, opened).map_err(|e| refused(file, e))?;
    say!("{fy}\t{uid}");
    Ok(exit::OK)
}

pub fn check_record(
    file: &Path,
    fy: Option<&str>,
    asset_no: &str,
    finding: &str,
    notes: Option<&str>,
) -> Result<u8, Failure> {
    let fy = super::report::parse_fy(fy)?;
    let mut ed = editor(file)?;
    let r = inventory::record_finding(&mut ed, &fy.to_string(), asset_no, finding, notes, Utc::now())
        .map_err(|e| refused(file, e))?;
    say!(
        "{}\t{}\t{finding}{}",
        r.item.asset_no,
        r.item.name,
        if r.replaced {
            " (replaced / แทนผลเดิม)"
        } else {
            ""
        }
    );
    Ok(exit::OK)
}

pub fn check_unchecked(file: &Path, fy: Option<&str>) -> Result<u8, Failure> {
    let fy = super::report::parse_fy(fy)?;
    let g = reader(file)?;
    let items = inventory::unchecked(g.connection(), &fy.to_string()).map_err(|e| refused(file, e))?;
    for i in &items {
        say!("{}\t{}\t{}", i.asset_no, i.name, i.department.as_deref().unwrap_or(""));
    }
    eprintln!("{} items not checked yet (ยังไม่ได้ตรวจสอบ)", items.len());
    Ok(exit::OK)
}

pub fn check_close(file: &Path, fy: Option<&str>, date: Option<&str>, force: bool) -> Result<u8, Failure> {
    let fy = super::report::parse_fy(fy)?;
    let closed = date.map(|d| parse_date("--date", d)).transpose()?.unwrap_or_else(today);
    let mut ed = editor(file)?;
    inventory::close_check(&mut ed, &fy.to_string(), closed, force).map_err(|e| refused(file, e))?;
    say!("{fy}: closed / ปิดการตรวจสอบแล้ว");
    Ok(exit::OK)
}

/// An asset named as staff know it: a pole number, an asset number, a road
/// code (its first section), else a uid.
fn asset_uid(conn: &rusqlite::Connection, kind: &str, key: &str) -> Option<String> {
    let sql = match kind {
        "pole" => "SELECT uid FROM poles WHERE pole_no = ?1 OR uid = ?1 ORDER BY fid LIMIT 1",
        "equipment" => "SELECT uid FROM equipment WHERE asset_no = ?1 OR uid = ?1 ORDER BY fid LIMIT 1",
        "road" => "SELECT uid FROM roads WHERE road_code = ?1 OR uid = ?1 ORDER BY fid LIMIT 1",
        "lamp" => "SELECT uid FROM lamps WHERE uid = ?1",
        "drain" => "SELECT uid FROM drains WHERE uid = ?1",
        _ => return None,
    };
    conn.query_row(sql, [key.trim()], |r| r.get(0)).ok()
}

pub struct OpenArgs<'a> {
    pub kind: &'a str,
    pub asset: &'a str,
    pub fault: &'a str,
    pub reporter: Option<&'a str>,
    pub contact: Option<&'a str>,
    pub description: Option<&'a str>,
}

pub fn workorder_open(file: &Path, a: &OpenArgs<'_>) -> Result<u8, Failure> {
    let mut ed = editor(file)?;
    let uid = asset_uid(ed.gpkg().connection(), a.kind, a.asset).unwrap_or_else(|| a.asset.to_string());
    let o = inventory::open_order(
        &mut ed,
        &NewWorkOrder {
            asset_kind: a.kind.to_string(),
            asset_uid: uid,
            fault_type: a.fault.to_string(),
            reporter: own(a.reporter),
            contact: own(a.contact),
            description: own(a.description),
        },
        Utc::now(),
    )
    .map_err(|e| refused(file, e))?;
    say!("{}\t{}", o.order_no, o.uid);
    Ok(exit::OK)
}

pub fn workorder_start(file: &Path, order: &str, technician: Option<&str>) -> Result<u8, Failure> {
    let mut ed = editor(file)?;
    inventory::start_order(&mut ed, order, technician, Utc::now()).map_err(|e| refused(file, e))?;
    say!("{order}: in progress / กำลังดำเนินการ");
    Ok(exit::OK)
}

pub struct FinishArgs<'a> {
    pub technician: Option<&'a str>,
    pub materials: Option<&'a str>,
    pub cost: Option<f64>,
    pub lamp_changed: bool,
    pub lamp: Option<&'a str>,
    pub lamp_type: Option<&'a str>,
    pub watts: Option<i64>,
}

pub fn workorder_finish(file: &Path, order: &str, a: &FinishArgs<'_>) -> Result<u8, Failure> {
    let mut ed = editor(file)?;
    let lamp = (a.lamp_changed || a.lamp.is_some() || a.lamp_type.is_some() || a.watts.is_some()).then(|| LampChange {
        lamp_uid: own(a.lamp),
        lamp_type: own(a.lamp_type),
        watts: a.watts,
    });
    inventory::finish_order(
        &mut ed,
        order,
        &Finish {
            technician: own(a.technician),
            materials: own(a.materials),
            cost: a.cost,
            lamp,
        },
        Utc::now(),
    )
    .map_err(|e| refused(file, e))?;
    say!("{order}: done / เสร็จสิ้น");
    Ok(exit::OK)
}

/// `workorder history`: every order on an asset.
pub fn workorder_history(file: &Path, kind: &str, asset: &str, json: bool) -> Result<u8, Failure> {
    let g = reader(file)?;
    let uid = asset_uid(g.connection(), kind, asset).unwrap_or_else(|| asset.to_string());
    let orders = inventory::history(g.connection(), &uid).map_err(|e| refused(file, e))?;
    if json {
        say!("{}", serde_json::to_string_pretty(&orders).unwrap_or_default());
    } else {
        for o in &orders {
            say!(
                "{}\t{}\t{}\t{}\t{}\t{}",
                o.order_no,
                o.fault_type,
                o.status,
                o.received_at,
                o.done_at.as_deref().unwrap_or(""),
                o.technician.as_deref().unwrap_or("")
            );
        }
    }
    Ok(exit::OK)
}

/// `labels`: a PDF sheet of QR labels for equipment or poles.
pub fn labels(file: &Path, layer: &str, out: &Path, search: Option<&str>, lang: &str) -> Result<u8, Failure> {
    let lang = super::report::parse_lang(lang)?;
    let g = reader(file)?;
    let sql = match layer {
        "equipment" => {
            "SELECT e.asset_no, e.name, coalesce(c.th, e.category), coalesce(e.department, '') FROM equipment e
             LEFT JOIN equipment_categories c ON c.code = e.category
             WHERE coalesce(e.status, '') != 'disposed' AND e.asset_no IS NOT NULL
               AND (?1 IS NULL OR e.asset_no LIKE '%' || ?1 || '%' OR e.name LIKE '%' || ?1 || '%' OR e.department LIKE '%' || ?1 || '%')
             ORDER BY e.asset_no"
        }
        "poles" => {
            "SELECT pole_no, coalesce(road_code, ''), coalesce('หมู่ ' || village_no, ''), coalesce(community, '') FROM poles
             WHERE pole_no IS NOT NULL AND (?1 IS NULL OR pole_no LIKE '%' || ?1 || '%' OR road_code LIKE '%' || ?1 || '%')
             ORDER BY pole_no"
        }
        other => {
            return Err(Failure::new(
                exit::USAGE,
                format!("--layer {other}: use equipment or poles (ชั้นข้อมูลไม่ถูกต้อง)"),
            ))
        }
    };
    let conn = g.connection();
    let mut stmt = conn
        .prepare(sql)
        .map_err(|e| Failure::new(exit::BAD_INPUT, format!("{}: {e}", file.display())))?;
    let labels: Vec<tongtin::document::Label> = stmt
        .query_map([search], |r| {
            let s = |i: usize| -> rusqlite::Result<String> { Ok(r.get::<_, Option<String>>(i)?.unwrap_or_default()) };
            Ok(tongtin::document::Label {
                code: s(0)?,
                title: s(1)?,
                lines: [s(2)?, s(3)?].into_iter().filter(|l| !l.is_empty()).collect(),
            })
        })
        .and_then(|rows| rows.collect())
        .map_err(|e| Failure::new(exit::BAD_INPUT, format!("{}: {e}", file.display())))?;
    if labels.is_empty() {
        return Err(Failure::new(
            exit::NOT_CONFORMING,
            format!("{}: nothing to label (ไม่มีรายการสำหรับพิมพ์ป้าย)", file.display()),
        ));
    }
    let mut bytes = Vec::new();
    tongtin::document::write_labels(&labels, lang, &mut bytes)
        .map_err(|e| Failure::new(exit::WRITE_FAILED, format!("labels: {e}")))?;
    std::fs::write(out, &bytes)
        .map_err(|e| Failure::new(exit::WRITE_FAILED, format!("{}: cannot write: {e}", out.display())))?;
    say!("{}: {} labels", out.display(), labels.len());
    Ok(exit::OK)
}
