//! The annual inventory check (การตรวจสอบพัสดุประจำปี): a committee opens a
//! check for a fiscal year, records a finding for every item by its asset
//! number (typed, or scanned from its label), sees what is left, and closes it.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;

use super::equipment::{find_equipment, item_from_row, no_item, EquipmentItem};
use super::{FiscalYear, InventoryError};
use crate::edit::{Applied, Change, Edit, Editor};
use crate::gpkg::Value;
use crate::journal::Row;

/// The findings a committee records, in the order reports list them.
pub const FINDINGS: [&str; 5] = ["found", "damaged", "deteriorated", "lost", "unneeded"];

/// A check as stored.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct InventoryCheck {
    pub uid: String,
    pub fiscal_year: i32,
    pub committee: Vec<String>,
    pub opened_on: String,
    pub closed_on: Option<String>,
    pub status: String,
}

/// What recording a finding did.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub item: EquipmentItem,
    /// The item had a finding in this check already; it was replaced.
    pub replaced: bool,
    pub applied: Applied,
}

fn ts(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// Committee members are stored one per line.
fn committee_text(names: &[String]) -> Value {
    let names: Vec<&str> = names.iter().map(|n| n.trim()).filter(|n| !n.is_empty()).collect();
    if names.is_empty() {
        Value::Null
    } else {
        Value::Text(names.join("\n"))
    }
}

/// Opens a check for `fy`; a fiscal year has at most one open check.
pub fn open_check(
    editor: &mut Editor,
    fy: FiscalYear,
    committee: &[String],
    opened_on: NaiveDate,
) -> Result<String, InventoryError> {
    let conn = editor.gpkg().connection();
    let open: Option<String> = conn
        .query_row(
            "SELECT uid FROM inventory_checks WHERE fiscal_year = ?1 AND status = 'open'",
            [fy.0],
            |r| r.get(0),
        )
        .optional()?;
    if open.is_some() {
        return Err(InventoryError::refused(
            format!("มีการตรวจสอบพัสดุประจำปี {fy} ที่ยังไม่ปิดอยู่แล้ว"),
            format!("the inventory check of fiscal year {fy} is already open"),
        ));
    }
    if committee.iter().all(|n| n.trim().is_empty()) {
        return Err(InventoryError::refused(
            "ต้องระบุรายชื่อคณะกรรมการตรวจสอบ",
            "name the members of the committee",
        ));
    }
    let mut values = Row::new();
    values.insert("fiscal_year".into(), Value::Integer(i64::from(fy.0)));
    values.insert("committee".into(), committee_text(committee));
    values.insert(
        "opened_on".into(),
        Value::Text(opened_on.format("%Y-%m-%d").to_string()),
    );
    values.insert("status".into(), Value::Text("open".into()));
    let applied = editor.apply(&Edit::checked(
        format!("เปิดการตรวจสอบพัสดุประจำปี {fy}"),
        vec![Change::Insert {
            layer: "inventory_checks".into(),
            uid: None,
            values,
            geometry: None,
        }],
    ))?;
    Ok(applied.inserted[0].1.clone())
}

/// The check with this uid, or the latest check of fiscal year `key` when
/// `key` is a year (2569).
pub fn find_check(conn: &Connection, key: &str) -> Result<Option<InventoryCheck>, InventoryError> {
    let sql = "SELECT uid, fiscal_year, committee, opened_on, closed_on, status FROM inventory_checks";
    let row = |r: &rusqlite::Row<'_>| {
        Ok(InventoryCheck {
            uid: r.get(0)?,
            fiscal_year: r.get(1)?,
            committee: r
                .get::<_, Option<String>>(2)?
                .unwrap_or_default()
                .lines()
                .map(str::to_string)
                .collect(),
            opened_on: r.get::<_, Option<String>>(3)?.unwrap_or_default(),
            closed_on: r.get(4)?,
            status: r.get::<_, Option<String>>(5)?.unwrap_or_default(),
        })
    };
    let key = key.trim();
    if let Ok(year) = key.parse::<i32>() {
        return Ok(conn
            .query_row(
                &format!(
                    "{sql} WHERE fiscal_year = ?1 ORDER BY status = 'open' DESC, opened_on DESC, fid DESC LIMIT 1"
                ),
                [year],
                row,
            )
            .optional()?);
    }
    Ok(conn
        .query_row(&format!("{sql} WHERE uid = ?1"), [key], row)
        .optional()?)
}

fn open_check_by(conn: &Connection, key: &str) -> Result<InventoryCheck, InventoryError> {
    let check = find_check(conn, key)?.ok_or_else(|| {
        InventoryError::not_found(format!("ไม่พบการตรวจสอบพัสดุ {key}"), format!("no inventory check {key}"))
    })?;
    if check.status != "open" {
        return Err(InventoryError::refused(
            format!("การตรวจสอบพัสดุประจำปี {} ปิดแล้ว", check.fiscal_year),
            format!("the inventory check of {} is closed", check.fiscal_year),
        ));
    }
    Ok(check)
}

/// Records `finding` for the item numbered `asset_no` in the open check
/// `check` (uid or fiscal year). Scanning an item twice replaces its finding.
pub fn record_finding(
    editor: &mut Editor,
    check: &str,
    asset_no: &str,
    finding: &str,
    notes: Option<&str>,
    at: DateTime<Utc>,
) -> Result<Recorded, InventoryError> {
    let conn = editor.gpkg().connection();
    let check = open_check_by(conn, check)?;
    let item = find_equipment(conn, asset_no)?.ok_or_else(|| no_item(asset_no))?;
    if !FINDINGS.contains(&finding) {
        return Err(InventoryError::refused(
            format!("ผลการตรวจสอบ '{finding}' ไม่ถูกต้อง ใช้ {}", FINDINGS.join(", ")),
            format!("finding '{finding}' is not one of {}", FINDINGS.join(", ")),
        ));
    }
    let earlier: Option<String> = conn
        .query_row(
            "SELECT uid FROM inventory_findings WHERE check_uid = ?1 AND equipment_uid = ?2 ORDER BY fid LIMIT 1",
            [&check.uid, &item.uid],
            |r| r.get(0),
        )
        .optional()?;
    let mut values = Row::new();
    values.insert("finding".into(), Value::Text(finding.into()));
    values.insert("checked_at".into(), Value::Text(ts(at)));
    values.insert(
        "notes".into(),
        notes
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_string)
            .into(),
    );
    let label = format!("ตรวจสอบครุภัณฑ์ {}", item.asset_no);
    let change = match &earlier {
        Some(uid) => Change::Update {
            layer: "inventory_findings".into(),
            uid: uid.clone(),
            values,
            geometry: None,
            expect: Row::new(),
        },
        None => {
            values.insert("check_uid".into(), Value::Text(check.uid.clone()));
            values.insert("equipment_uid".into(), Value::Text(item.uid.clone()));
            values.insert("asset_no".into(), Value::Text(item.asset_no.clone()));
            Change::Insert {
                layer: "inventory_findings".into(),
                uid: None,
                values,
                geometry: None,
            }
        }
    };
    let applied = editor.apply(&Edit::checked(label, vec![change]))?;
    Ok(Recorded {
        item,
        replaced: earlier.is_some(),
        applied,
    })
}

/// Items still to check: every item not disposed of before the check that
/// has no finding in it, by asset number.
pub fn unchecked(conn: &Connection, check: &str) -> Result<Vec<EquipmentItem>, InventoryError> {
    let c = find_check(conn, check)?.ok_or_else(|| {
        InventoryError::not_found(
            format!("ไม่พบการตรวจสอบพัสดุ {check}"),
            format!("no inventory check {check}"),
        )
    })?;
    let mut stmt = conn.prepare(
        "SELECT fid, uid, asset_no, name, category, status, department, location FROM equipment e
         WHERE coalesce(status, '') != 'disposed'
           AND NOT EXISTS (SELECT 1 FROM inventory_findings f WHERE f.check_uid = ?1 AND f.equipment_uid = e.uid)
         ORDER BY asset_no, fid",
    )?;
    let rows = stmt.query_map([&c.uid], item_from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Closes the check. With items still unchecked it is refused unless `force`.
pub fn close_check(
    editor: &mut Editor,
    check: &str,
    closed_on: NaiveDate,
    force: bool,
) -> Result<Applied, InventoryError> {
    let conn = editor.gpkg().connection();
    let c = open_check_by(conn, check)?;
    let left = unchecked(conn, &c.uid)?.len();
    if left > 0 && !force {
        return Err(InventoryError::refused(
            format!("ยังไม่ได้ตรวจสอบครุภัณฑ์อีก {left} รายการ"),
            format!("{left} items are not checked yet (close anyway with force)"),
        ));
    }
    let mut values = Row::new();
    values.insert("status".into(), Value::Text("closed".into()));
    values.insert(
        "closed_on".into(),
        Value::Text(closed_on.format("%Y-%m-%d").to_string()),
    );
    Ok(editor.apply(&Edit::checked(
        format!("ปิดการตรวจสอบพัสดุประจำปี {}", c.fiscal_year),
        vec![Change::Update {
            layer: "inventory_checks".into(),
            uid: c.uid,
            values,
            geometry: None,
            expect: Row::new(),
        }],
    ))?)
}
