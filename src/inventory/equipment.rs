//! Registering equipment, finding it by its asset number, disposing of it.
//! Every write is one [`Edit`] through [`Editor::apply`]: journaled,
//! undoable, checked against the data model.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::category::category;
use super::{asset_pattern, FiscalYear, InventoryError, Prefix};
use crate::edit::{Applied, Change, Edit, Editor};
use crate::geom::{decode_blob, Geometry};
use crate::gpkg::Value;
use crate::journal::Row;

/// A new register line. `asset_no` empty: the next number of the file's
/// pattern for the category and the fiscal year of `acquired_date`.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct NewEquipment {
    pub asset_no: Option<String>,
    pub name: String,
    /// A code of `equipment_categories`.
    pub category: String,
    pub acquired_date: Option<NaiveDate>,
    pub quantity: Option<i64>,
    pub unit: Option<String>,
    pub unit_price: Option<f64>,
    pub funding_source: Option<String>,
    pub vendor: Option<String>,
    pub document_no: Option<String>,
    pub department: Option<String>,
    pub custodian: Option<String>,
    /// Where it is kept, in words: a landmark's name, a room.
    pub location: Option<String>,
    /// The pole it is mounted on (a loudspeaker, a camera).
    pub pole_uid: Option<String>,
    /// A map point in the layer's CRS. Without one the item is placed on its
    /// pole, on the landmark named by `location`, else at the municipal office.
    pub at: Option<(f64, f64)>,
    /// Overrides the category's useful life.
    pub useful_life_years: Option<i64>,
    /// `in_use` when not given.
    pub status: Option<String>,
    pub notes: Option<String>,
}

/// What registering did.
#[derive(Clone, Debug)]
pub struct Registered {
    pub uid: String,
    pub asset_no: String,
    pub applied: Applied,
}

/// One register line as lists and reports read it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EquipmentItem {
    pub fid: i64,
    pub uid: String,
    pub asset_no: String,
    pub name: String,
    pub category: String,
    pub status: String,
    pub department: Option<String>,
    pub location: Option<String>,
}

fn text(v: &Option<String>) -> Value {
    match v.as_deref().map(str::trim) {
        Some(t) if !t.is_empty() => Value::Text(t.to_string()),
        _ => Value::Null,
    }
}

/// The next free asset number for `category` (a code) in fiscal year `fy`,
/// by the file's pattern.
pub fn next_asset_no(conn: &Connection, category_code: &str, fy: FiscalYear) -> Result<String, InventoryError> {
    let c = category(conn, category_code)?.ok_or_else(|| unknown_category(category_code))?;
    let taken: Vec<String> = conn
        .prepare("SELECT asset_no FROM equipment WHERE asset_no IS NOT NULL")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(asset_pattern(conn).next(
        Prefix {
            category: &c.number_code,
            fsc: &c.fsc_code,
        },
        fy,
        taken.iter().map(String::as_str),
    ))
}

/// Whether `asset_no` is used by an item other than `except_uid`.
pub fn asset_no_taken(conn: &Connection, asset_no: &str, except_uid: Option<&str>) -> Result<bool, InventoryError> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM equipment WHERE asset_no = ?1 AND uid IS NOT ?2)",
        rusqlite::params![asset_no.trim(), except_uid],
        |r| r.get(0),
    )?)
}

fn unknown_category(code: &str) -> InventoryError {
    InventoryError::refused(
        format!("ไม่มีประเภทครุภัณฑ์ '{code}'"),
        format!("no equipment category '{code}'"),
    )
}

/// The point of a feature, as stored (the layer's CRS).
fn point_of(conn: &Connection, sql: &str, key: &str) -> Result<Option<Geometry>, InventoryError> {
    let blob: Option<Vec<u8>> = conn.query_row(sql, [key], |r| r.get(0)).optional()?.flatten();
    Ok(blob.and_then(|b| decode_blob(&b).ok()).map(|g| g.geometry))
}

/// Registers one item as one edit; returns its uid and asset number.
pub fn add_equipment(editor: &mut Editor, item: &NewEquipment) -> Result<Registered, InventoryError> {
    let conn = editor.gpkg().connection();
    let name = item.name.trim();
    if name.is_empty() {
        return Err(InventoryError::refused("ต้องระบุชื่อครุภัณฑ์", "the item needs a name"));
    }
    category(conn, item.category.trim())?.ok_or_else(|| unknown_category(item.category.trim()))?;
    let acquired = item.acquired_date;
    let fy = FiscalYear::of(acquired.unwrap_or_else(|| chrono::Local::now().date_naive()));
    let asset_no = match item.asset_no.as_deref().map(str::trim) {
        Some(n) if !n.is_empty() => {
            if asset_no_taken(conn, n, None)? {
                return Err(InventoryError::AssetNoTaken(n.to_string()));
            }
            n.to_string()
        }
        _ => next_asset_no(conn, item.category.trim(), fy)?,
    };
    let geometry = match (item.at, &item.pole_uid) {
        (Some((x, y)), _) => Some(Geometry::point(x, y)),
        (None, Some(pole)) => Some(
            point_of(conn, "SELECT geom FROM poles WHERE uid = ?1", pole)?
                .ok_or_else(|| InventoryError::not_found(format!("ไม่พบเสาไฟฟ้า {pole}"), format!("no pole {pole}")))?,
        ),
        (None, None) => {
            let named = match item.location.as_deref().map(str::trim) {
                Some(l) if !l.is_empty() => point_of(
                    conn,
                    "SELECT geom FROM landmarks WHERE name_th = ?1 OR name_en = ?1 ORDER BY fid LIMIT 1",
                    l,
                )?,
                _ => None,
            };
            match named {
                Some(g) => Some(g),
                None => point_of(
                    conn,
                    "SELECT geom FROM landmarks WHERE landmark_type = ?1 ORDER BY fid LIMIT 1",
                    "government",
                )?,
            }
        }
    };
    let mut values = Row::new();
    values.insert("asset_no".into(), Value::Text(asset_no.clone()));
    values.insert("name".into(), Value::Text(name.to_string()));
    values.insert("category".into(), Value::Text(item.category.trim().to_string()));
    values.insert(
        "acquired_date".into(),
        acquired.map_or(Value::Null, |d| Value::Text(d.format("%Y-%m-%d").to_string())),
    );
    values.insert("quantity".into(), Value::from(item.quantity.or(Some(1))));
    values.insert("unit".into(), text(&item.unit));
    values.insert("unit_price".into(), Value::from(item.unit_price));
    values.insert("funding_source".into(), text(&item.funding_source));
    values.insert("vendor".into(), text(&item.vendor));
    values.insert("document_no".into(), text(&item.document_no));
    values.insert("department".into(), text(&item.department));
    values.insert("custodian".into(), text(&item.custodian));
    values.insert("location".into(), text(&item.location));
    values.insert("pole_uid".into(), text(&item.pole_uid));
    values.insert("useful_life_years".into(), Value::from(item.useful_life_years));
    values.insert(
        "status".into(),
        Value::Text(text(&item.status).as_str().unwrap_or("in_use").to_string()),
    );
    values.insert("notes".into(), text(&item.notes));
    let applied = editor.apply(&Edit::checked(
        format!("ลงทะเบียนครุภัณฑ์ {asset_no}"),
        vec![Change::Insert {
            layer: "equipment".into(),
            uid: None,
            values,
            geometry,
        }],
    ))?;
    let uid = applied.inserted.first().map(|(_, u)| u.clone()).unwrap_or_default();
    Ok(Registered { uid, asset_no, applied })
}

/// The item with asset number `asset_no` (spaces around it ignored).
pub fn find_equipment(conn: &Connection, asset_no: &str) -> Result<Option<EquipmentItem>, InventoryError> {
    Ok(conn
        .query_row(
            "SELECT fid, uid, asset_no, name, category, status, department, location
             FROM equipment WHERE asset_no = ?1 ORDER BY fid LIMIT 1",
            [asset_no.trim()],
            item_from_row,
        )
        .optional()?)
}

/// The item with this uid.
pub fn equipment_by_uid(conn: &Connection, uid: &str) -> Result<Option<EquipmentItem>, InventoryError> {
    Ok(conn
        .query_row(
            "SELECT fid, uid, asset_no, name, category, status, department, location
             FROM equipment WHERE uid = ?1",
            [uid],
            item_from_row,
        )
        .optional()?)
}

pub(crate) fn item_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<EquipmentItem> {
    Ok(EquipmentItem {
        fid: r.get(0)?,
        uid: r.get(1)?,
        asset_no: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
        name: r.get::<_, Option<String>>(3)?.unwrap_or_default(),
        category: r.get::<_, Option<String>>(4)?.unwrap_or_default(),
        status: r.get::<_, Option<String>>(5)?.unwrap_or_default(),
        department: r.get(6)?,
        location: r.get(7)?,
    })
}

/// How an item leaves the register (จำหน่าย).
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
pub struct Disposal {
    pub asset_no: String,
    /// `sale`, `exchange`, `transfer` or `write_off`.
    pub method: String,
    pub document_no: String,
    pub disposed_on: NaiveDate,
    /// Money received (sale) or the value transferred.
    pub amount: Option<f64>,
    pub notes: Option<String>,
}

/// Records a disposal and sets the item's status to `disposed`
/// (จำหน่ายแล้ว), as one edit. An item already disposed of is refused.
pub fn dispose(editor: &mut Editor, d: &Disposal) -> Result<Applied, InventoryError> {
    let conn = editor.gpkg().connection();
    let item = find_equipment(conn, &d.asset_no)?.ok_or_else(|| no_item(&d.asset_no))?;
    if item.status == "disposed" {
        return Err(InventoryError::refused(
            format!("ครุภัณฑ์ {} จำหน่ายไปแล้ว", item.asset_no),
            format!("{} has already been disposed of", item.asset_no),
        ));
    }
    if d.document_no.trim().is_empty() {
        return Err(InventoryError::refused(
            "ต้องระบุเลขที่หนังสืออนุมัติการจำหน่าย",
            "a disposal needs its document number",
        ));
    }
    let mut values = Row::new();
    values.insert("equipment_uid".into(), Value::Text(item.uid.clone()));
    values.insert("asset_no".into(), Value::Text(item.asset_no.clone()));
    values.insert("method".into(), Value::Text(d.method.trim().to_string()));
    values.insert("document_no".into(), Value::Text(d.document_no.trim().to_string()));
    values.insert(
        "disposed_on".into(),
        Value::Text(d.disposed_on.format("%Y-%m-%d").to_string()),
    );
    values.insert("amount".into(), Value::from(d.amount));
    values.insert("notes".into(), text(&d.notes));
    let mut status = Row::new();
    status.insert("status".into(), Value::Text("disposed".into()));
    Ok(editor.apply(&Edit::checked(
        format!("จำหน่ายครุภัณฑ์ {}", item.asset_no),
        vec![
            Change::Insert {
                layer: "disposals".into(),
                uid: None,
                values,
                geometry: None,
            },
            Change::Update {
                layer: "equipment".into(),
                uid: item.uid,
                values: status,
                geometry: None,
                expect: Row::new(),
            },
        ],
    ))?)
}

pub(crate) fn no_item(asset_no: &str) -> InventoryError {
    InventoryError::not_found(
        format!("ไม่พบครุภัณฑ์เลขที่ {}", asset_no.trim()),
        format!("no equipment with asset number {}", asset_no.trim()),
    )
}
