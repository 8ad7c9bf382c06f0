//! Maintenance work orders (ใบงานซ่อมบำรุง): received → in progress → done,
//! each step timestamped. A fault on a pole (or one of its lamps) makes the
//! pole ชำรุด in the same edit; finishing its last open order makes it
//! ใช้งานปกติ again; a lamp replaced on a finished order updates the lamp.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::{FiscalYear, InventoryError};
use crate::edit::{Applied, Change, Edit, Editor};
use crate::gpkg::Value;
use crate::journal::Row;

/// The asset kinds orders are raised on, with the layer holding them.
pub const ASSET_KINDS: [(&str, &str); 5] = [
    ("pole", "poles"),
    ("lamp", "lamps"),
    ("road", "roads"),
    ("drain", "drains"),
    ("equipment", "equipment"),
];

/// The job types that fit an asset kind (codes of the `fault_type` domain).
///
/// ```
/// use tongtin::inventory::fault_types;
/// assert_eq!(fault_types("pole")[0], "light_out");
/// assert!(fault_types("road").contains(&"pothole"));
/// assert!(fault_types("tree").is_empty());
/// ```
pub fn fault_types(asset_kind: &str) -> &'static [&'static str] {
    match asset_kind {
        "pole" | "lamp" => &[
            "light_out",
            "flickering",
            "lamp_broken",
            "pole_damaged",
            "planned",
            "other",
        ],
        "road" => &["pothole", "planned", "other"],
        "drain" => &["blocked", "planned", "other"],
        "equipment" => &["equipment_fault", "planned", "other"],
        _ => &[],
    }
}

/// A fault report or planned job.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct NewWorkOrder {
    /// `pole`, `lamp`, `road`, `drain` or `equipment`.
    pub asset_kind: String,
    /// The asset's uid.
    pub asset_uid: String,
    pub fault_type: String,
    pub reporter: Option<String>,
    pub contact: Option<String>,
    pub description: Option<String>,
}

/// What finishing an order records.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct Finish {
    pub technician: Option<String>,
    pub materials: Option<String>,
    pub cost: Option<f64>,
    /// A lamp was replaced.
    pub lamp: Option<LampChange>,
}

/// The lamp put in; fields left empty keep the lamp's values.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct LampChange {
    /// Which lamp of the pole; may be left out when the order is on a lamp
    /// or the pole has one lamp.
    pub lamp_uid: Option<String>,
    pub lamp_type: Option<String>,
    pub watts: Option<i64>,
}

/// An order as lists and the maintenance history show it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WorkOrder {
    pub uid: String,
    pub order_no: String,
    pub asset_kind: String,
    pub asset_uid: String,
    pub fault_type: String,
    pub status: String,
    pub received_at: String,
    pub started_at: Option<String>,
    pub done_at: Option<String>,
    pub technician: Option<String>,
    pub materials: Option<String>,
    pub cost: Option<f64>,
    pub reporter: Option<String>,
    pub description: Option<String>,
}

/// What opening an order did.
#[derive(Clone, Debug)]
pub struct Opened {
    pub uid: String,
    pub order_no: String,
    pub applied: Applied,
}

const COLUMNS: &str = "uid, order_no, asset_kind, asset_uid, fault_type, status, received_at, started_at, done_at, technician, materials, cost, reporter, description";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<WorkOrder> {
    let s = |i: usize| -> rusqlite::Result<String> { Ok(r.get::<_, Option<String>>(i)?.unwrap_or_default()) };
    Ok(WorkOrder {
        uid: s(0)?,
        order_no: s(1)?,
        asset_kind: s(2)?,
        asset_uid: s(3)?,
        fault_type: s(4)?,
        status: s(5)?,
        received_at: s(6)?,
        started_at: r.get(7)?,
        done_at: r.get(8)?,
        technician: r.get(9)?,
        materials: r.get(10)?,
        cost: r.get(11)?,
        reporter: r.get(12)?,
        description: r.get(13)?,
    })
}

fn ts(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

fn text(v: &Option<String>) -> Value {
    match v.as_deref().map(str::trim) {
        Some(t) if !t.is_empty() => Value::Text(t.to_string()),
        _ => Value::Null,
    }
}

/// The order with this number (WO-2569-00001) or uid.
pub fn find_order(conn: &Connection, key: &str) -> Result<Option<WorkOrder>, InventoryError> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM work_orders WHERE order_no = ?1 OR uid = ?1 ORDER BY fid LIMIT 1"),
            [key.trim()],
            from_row,
        )
        .optional()?)
}

fn order_or_refuse(conn: &Connection, key: &str) -> Result<WorkOrder, InventoryError> {
    find_order(conn, key)?.ok_or_else(|| {
        InventoryError::not_found(
            format!("ไม่พบใบงาน {}", key.trim()),
            format!("no work order {}", key.trim()),
        )
    })
}

/// The next order number of fiscal year `fy`: WO-2569-00001, …
pub fn next_order_no(conn: &Connection, fy: FiscalYear) -> Result<String, InventoryError> {
    let prefix = format!("WO-{fy}-");
    let highest: Option<i64> = conn.query_row(
        "SELECT max(CAST(substr(order_no, ?2) AS INTEGER)) FROM work_orders
         WHERE substr(order_no, 1, ?3) = ?1 AND substr(order_no, ?2) GLOB '[0-9]*'",
        rusqlite::params![prefix, prefix.len() as i64 + 1, prefix.len() as i64],
        |r| r.get(0),
    )?;
    Ok(format!("{prefix}{:05}", highest.unwrap_or(0) + 1))
}

/// The pole an order's asset stands for (the pole itself, a lamp's pole).
fn pole_of(conn: &Connection, kind: &str, uid: &str) -> Result<Option<(String, String)>, InventoryError> {
    let sql = match kind {
        "pole" => "SELECT uid, status FROM poles WHERE uid = ?1",
        "lamp" => "SELECT p.uid, p.status FROM lamps l JOIN poles p ON p.uid = l.pole_uid WHERE l.uid = ?1",
        _ => return Ok(None),
    };
    Ok(conn
        .query_row(sql, [uid], |r| {
            Ok((r.get(0)?, r.get::<_, Option<String>>(1)?.unwrap_or_default()))
        })
        .optional()?)
}

fn status_change(layer: &str, uid: &str, status: &str) -> Change {
    let mut values = Row::new();
    values.insert("status".into(), Value::Text(status.into()));
    Change::Update {
        layer: layer.into(),
        uid: uid.into(),
        values,
        geometry: None,
        expect: Row::new(),
    }
}

/// Opens an order (status received, now). A fault (anything but a planned
/// job) on a pole in service, or on one of its lamps, sets the pole to
/// `damaged` in the same edit; an equipment fault sets the item to `damaged`.
pub fn open_order(editor: &mut Editor, order: &NewWorkOrder, at: DateTime<Utc>) -> Result<Opened, InventoryError> {
    let conn = editor.gpkg().connection();
    let kind = order.asset_kind.trim();
    let Some((_, layer)) = ASSET_KINDS.iter().find(|(k, _)| *k == kind) else {
        return Err(InventoryError::refused(
            format!("ประเภททรัพย์สิน '{kind}' ไม่ถูกต้อง ใช้ pole, lamp, road, drain หรือ equipment"),
            format!("asset kind '{kind}' is not one of pole, lamp, road, drain, equipment"),
        ));
    };
    let fault = order.fault_type.trim();
    if !fault_types(kind).contains(&fault) {
        return Err(InventoryError::refused(
            format!(
                "ลักษณะงาน '{fault}' ใช้กับ {kind} ไม่ได้ ใช้ {}",
                fault_types(kind).join(", ")
            ),
            format!(
                "job type '{fault}' does not apply to a {kind}; use {}",
                fault_types(kind).join(", ")
            ),
        ));
    }
    let status: Option<Option<String>> = conn
        .query_row(
            &format!(
                "SELECT {} FROM {layer} WHERE uid = ?1",
                if matches!(kind, "pole" | "equipment") {
                    "status"
                } else {
                    "NULL"
                }
            ),
            [order.asset_uid.trim()],
            |r| r.get(0),
        )
        .optional()?;
    let Some(asset_status) = status else {
        return Err(InventoryError::not_found(
            format!("ไม่พบ{kind} {}", order.asset_uid.trim()),
            format!("no {kind} {}", order.asset_uid.trim()),
        ));
    };
    let order_no = next_order_no(conn, FiscalYear::of(at.date_naive()))?;
    let mut values = Row::new();
    values.insert("order_no".into(), Value::Text(order_no.clone()));
    values.insert("asset_kind".into(), Value::Text(kind.into()));
    values.insert("asset_uid".into(), Value::Text(order.asset_uid.trim().into()));
    values.insert("fault_type".into(), Value::Text(fault.into()));
    values.insert("reporter".into(), text(&order.reporter));
    values.insert("contact".into(), text(&order.contact));
    values.insert("description".into(), text(&order.description));
    values.insert("status".into(), Value::Text("received".into()));
    values.insert("received_at".into(), Value::Text(ts(at)));
    let mut changes = vec![Change::Insert {
        layer: "work_orders".into(),
        uid: None,
        values,
        geometry: None,
    }];
    if fault != "planned" {
        if let Some((pole, pole_status)) = pole_of(conn, kind, order.asset_uid.trim())? {
            if pole_status == "normal" {
                changes.push(status_change("poles", &pole, "damaged"));
            }
        }
        if kind == "equipment" && asset_status.as_deref() == Some("in_use") {
            changes.push(status_change("equipment", order.asset_uid.trim(), "damaged"));
        }
    }
    let applied = editor.apply(&Edit::checked(format!("รับแจ้งงาน {order_no}"), changes))?;
    Ok(Opened {
        uid: applied.inserted[0].1.clone(),
        order_no,
        applied,
    })
}

fn refuse_transition(o: &WorkOrder, to: &str) -> InventoryError {
    let (th_to, en_to) = match to {
        "in_progress" => ("เริ่มงาน", "start"),
        _ => ("ปิดงาน", "finish"),
    };
    let (th_from, en_from) = match o.status.as_str() {
        "received" => ("รับแจ้ง", "received (not started yet)"),
        "in_progress" => ("กำลังดำเนินการ", "in progress"),
        "done" => ("เสร็จสิ้นแล้ว", "already done"),
        other => (other, other),
    };
    InventoryError::refused(
        format!("ใบงาน {} อยู่ในสถานะ{th_from} จึง{th_to}ไม่ได้", o.order_no),
        format!("work order {} is {en_from}; it cannot {en_to}", o.order_no),
    )
}

/// received → in progress, with the technician.
pub fn start_order(
    editor: &mut Editor,
    key: &str,
    technician: Option<&str>,
    at: DateTime<Utc>,
) -> Result<Applied, InventoryError> {
    let o = order_or_refuse(editor.gpkg().connection(), key)?;
    if o.status != "received" {
        return Err(refuse_transition(&o, "in_progress"));
    }
    let mut values = Row::new();
    values.insert("status".into(), Value::Text("in_progress".into()));
    values.insert("started_at".into(), Value::Text(ts(at)));
    if let Some(t) = technician.map(str::trim).filter(|t| !t.is_empty()) {
        values.insert("technician".into(), Value::Text(t.into()));
    }
    Ok(editor.apply(&Edit::checked(
        format!("เริ่มงาน {}", o.order_no),
        vec![Change::Update {
            layer: "work_orders".into(),
            uid: o.uid,
            values,
            geometry: None,
            expect: Row::new(),
        }],
    ))?)
}

/// Open orders on a pole and its lamps, other than `except`.
fn open_on_pole(conn: &Connection, pole: &str, except: &str) -> Result<i64, InventoryError> {
    Ok(conn.query_row(
        "SELECT count(*) FROM work_orders WHERE status != 'done' AND uid != ?2 AND (
           (asset_kind = 'pole' AND asset_uid = ?1)
           OR (asset_kind = 'lamp' AND asset_uid IN (SELECT uid FROM lamps WHERE pole_uid = ?1)))",
        [pole, except],
        |r| r.get(0),
    )?)
}

/// in progress → done, with what was used and what it cost. When it was the
/// last open order of its pole, the pole is back in service; a lamp change
/// updates the lamp (last changed today, type and watts when given).
pub fn finish_order(
    editor: &mut Editor,
    key: &str,
    finish: &Finish,
    at: DateTime<Utc>,
) -> Result<Applied, InventoryError> {
    let conn = editor.gpkg().connection();
    let o = order_or_refuse(conn, key)?;
    if o.status != "in_progress" {
        return Err(refuse_transition(&o, "done"));
    }
    if let Some(c) = finish.cost.filter(|c| !c.is_finite() || *c < 0.0) {
        return Err(InventoryError::refused(
            format!("ค่าใช้จ่าย {c} ไม่ถูกต้อง"),
            format!("cost {c} is not a valid amount"),
        ));
    }
    let mut values = Row::new();
    values.insert("status".into(), Value::Text("done".into()));
    values.insert("done_at".into(), Value::Text(ts(at)));
    if let Some(t) = finish.technician.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        values.insert("technician".into(), Value::Text(t.into()));
    }
    if finish.materials.is_some() {
        values.insert("materials".into(), text(&finish.materials));
    }
    if finish.cost.is_some() {
        values.insert("cost".into(), Value::from(finish.cost));
    }
    let mut changes = vec![Change::Update {
        layer: "work_orders".into(),
        uid: o.uid.clone(),
        values,
        geometry: None,
        expect: Row::new(),
    }];
    let pole = pole_of(conn, &o.asset_kind, &o.asset_uid)?;
    if let Some((pole_uid, status)) = &pole {
        if status != "normal" && open_on_pole(conn, pole_uid, &o.uid)? == 0 {
            changes.push(status_change("poles", pole_uid, "normal"));
        }
    }
    if o.asset_kind == "equipment" {
        let others: i64 = conn.query_row(
            "SELECT count(*) FROM work_orders WHERE status != 'done' AND uid != ?2 AND asset_kind = 'equipment' AND asset_uid = ?1",
            [&o.asset_uid, &o.uid],
            |r| r.get(0),
        )?;
        let status: Option<String> = conn
            .query_row("SELECT status FROM equipment WHERE uid = ?1", [&o.asset_uid], |r| {
                r.get(0)
            })
            .optional()?
            .flatten();
        if others == 0 && status.as_deref() == Some("damaged") {
            changes.push(status_change("equipment", &o.asset_uid, "in_use"));
        }
    }
    if let Some(lamp) = &finish.lamp {
        let lamp_uid = match (&lamp.lamp_uid, o.asset_kind.as_str()) {
            (Some(u), _) if !u.trim().is_empty() => u.trim().to_string(),
            (_, "lamp") => o.asset_uid.clone(),
            (_, "pole") => {
                let lamps: Vec<String> = conn
                    .prepare("SELECT uid FROM lamps WHERE pole_uid = ?1 ORDER BY fid")?
                    .query_map([&o.asset_uid], |r| r.get(0))?
                    .collect::<Result<_, _>>()?;
                match lamps.as_slice() {
                    [one] => one.clone(),
                    [] => {
                        return Err(InventoryError::refused(
                            "เสานี้ไม่มีโคมไฟให้เปลี่ยน",
                            "the pole has no lamp to replace",
                        ))
                    }
                    _ => {
                        return Err(InventoryError::refused(
                            "เสานี้มีหลายโคม ระบุโคมที่เปลี่ยน",
                            "the pole has several lamps; say which one was replaced",
                        ))
                    }
                }
            }
            _ => {
                return Err(InventoryError::refused(
                    "เปลี่ยนหลอดได้เฉพาะใบงานของเสาไฟฟ้าหรือโคมไฟ",
                    "a lamp change belongs to an order on a pole or a lamp",
                ))
            }
        };
        let belongs: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM lamps WHERE uid = ?1 AND (pole_uid = ?2 OR uid = ?3))",
            [
                lamp_uid.as_str(),
                pole.as_ref().map_or("", |p| p.0.as_str()),
                o.asset_uid.as_str(),
            ],
            |r| r.get(0),
        )?;
        if !belongs {
            return Err(InventoryError::not_found(
                format!("ไม่พบโคมไฟ {lamp_uid} ของเสานี้"),
                format!("no lamp {lamp_uid} on this pole"),
            ));
        }
        let mut values = Row::new();
        values.insert(
            "last_changed".into(),
            Value::Text(at.date_naive().format("%Y-%m-%d").to_string()),
        );
        if lamp.lamp_type.is_some() {
            values.insert("lamp_type".into(), text(&lamp.lamp_type));
        }
        if lamp.watts.is_some() {
            values.insert("watts".into(), Value::from(lamp.watts));
        }
        changes.push(Change::Update {
            layer: "lamps".into(),
            uid: lamp_uid,
            values,
            geometry: None,
            expect: Row::new(),
        });
    }
    Ok(editor.apply(&Edit::checked(format!("ปิดงาน {}", o.order_no), changes))?)
}

/// Every order on an asset, newest first; for a pole, its lamps' orders too.
pub fn history(conn: &Connection, asset_uid: &str) -> Result<Vec<WorkOrder>, InventoryError> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM work_orders WHERE asset_uid = ?1
            OR (asset_kind = 'lamp' AND asset_uid IN (SELECT uid FROM lamps WHERE pole_uid = ?1))
         ORDER BY received_at DESC, fid DESC"
    ))?;
    let rows = stmt.query_map([asset_uid.trim()], from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}
