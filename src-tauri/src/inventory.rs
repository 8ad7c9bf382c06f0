//! The equipment register, work orders, the annual check, reports and QR
//! labels over IPC: the UI's requests converted to the core's types (dates
//! as ISO text, map points from Web Mercator to the layer's CRS, pole
//! numbers to uids through the core's lists) and the core's answers
//! converted back. Writes go through the open editor (journaled, undoable);
//! reads open the file on the map read-only. No figure is computed here.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use tauri::Manager;
use tongtin::document::{Cell, ColumnKind, Format, Lang, Report};
use tongtin::gpkg::{GeoPackage, Value};
use tongtin::inventory::{
    self, Disposal, Filter, FilterOp, Finish, FiscalYear, InventoryError, LampChange, ListQuery, NewEquipment,
    NewWorkOrder, SortKey,
};
use tongtin::report::{ReportError, ReportOptions};

use crate::editing::{edit_error, EditOut, EditState, Stale};
use crate::ipc::{IpcError, SearchHit};
use crate::map::MapState;

// ---------------------------------------------------------------- errors

/// An inventory refusal as the UI sees it: `refused` / `not_found` /
/// `asset_no_taken` with the core's Thai and English words as a problem, or
/// the editor's own codes (`invalid` with every problem by field).
pub fn inventory_error(e: InventoryError) -> IpcError {
    let problem = |field: &str, th: String, en: String| tongtin::model::FieldProblem {
        field: field.into(),
        th,
        en,
    };
    match e {
        InventoryError::Edit(e) => edit_error(e),
        InventoryError::Refused { ref th, ref en } => {
            let p = problem("", th.clone(), en.clone());
            IpcError::new("refused", &e, None).with_problems(vec![p])
        }
        InventoryError::NotFound { ref th, ref en } => {
            let p = problem("", th.clone(), en.clone());
            IpcError::new("not_found_item", &e, None).with_problems(vec![p])
        }
        InventoryError::AssetNoTaken(ref n) => {
            let p = problem(
                "asset_no",
                format!("เลขที่ครุภัณฑ์ {n} มีอยู่แล้ว"),
                format!("asset number {n} is already used"),
            );
            IpcError::new("asset_no_taken", &e, None).with_problems(vec![p])
        }
        InventoryError::Gpkg(g) => IpcError::new("gpkg", g, None),
    }
}

fn report_error(e: ReportError) -> IpcError {
    match e {
        ReportError::NoData { ref th, ref en } => {
            let p = tongtin::model::FieldProblem {
                field: String::new(),
                th: th.clone(),
                en: en.clone(),
            };
            IpcError::new("no_data", &e, None).with_problems(vec![p])
        }
        ReportError::UnknownReport(_) => IpcError::new("unknown_report", e, None),
        ReportError::Gpkg(g) => IpcError::new("gpkg", g, None),
    }
}

fn bad_input(field: &str, th: String, en: String) -> IpcError {
    IpcError::new("invalid", &en, None).with_problems(vec![tongtin::model::FieldProblem {
        field: field.into(),
        th,
        en,
    }])
}

// ---------------------------------------------------------------- conversions

/// An ISO date from the form (the UI turns พ.ศ. input into ISO first).
pub fn date_in(field: &str, text: Option<&str>) -> Result<Option<NaiveDate>, IpcError> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(t) => NaiveDate::parse_from_str(t, "%Y-%m-%d").map(Some).map_err(|_| {
            bad_input(
                field,
                format!("วันที่ '{t}' ไม่ถูกต้อง ใช้ วัน/เดือน/ปี พ.ศ. เช่น 1/10/2568"),
                format!("'{t}' is not a date; type day/month/BE year, e.g. 1/10/2568"),
            )
        }),
    }
}

/// A fiscal year in the Buddhist era (2400–2700).
pub fn fiscal_year(fy: i32) -> Result<FiscalYear, IpcError> {
    if (2400..=2700).contains(&fy) {
        Ok(FiscalYear(fy))
    } else {
        Err(bad_input(
            "fiscal_year",
            format!("ปีงบประมาณ {fy} ไม่ถูกต้อง ใช้ปี พ.ศ. เช่น 2569"),
            format!("fiscal year {fy}: give the Buddhist-era year, e.g. 2569"),
        ))
    }
}

/// A stored value for the UI: numbers stay numbers, text stays text, blobs are left out.
fn value_out(v: &Value) -> serde_json::Value {
    match v {
        Value::Null | Value::Blob(_) => serde_json::Value::Null,
        Value::Integer(i) => serde_json::Value::from(*i),
        Value::Real(r) => serde_json::Number::from_f64(*r).map_or(serde_json::Value::Null, serde_json::Value::Number),
        Value::Text(s) => serde_json::Value::String(s.clone()),
    }
}

fn value_text(v: &Value) -> Option<String> {
    match v {
        Value::Null | Value::Blob(_) => None,
        Value::Text(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// The file on the map (reads open it read-only: no editor needed).
fn map_path(app: &tauri::AppHandle) -> Result<PathBuf, IpcError> {
    app.state::<MapState>()
        .current()
        .map(|s| s.path().to_path_buf())
        .ok_or_else(|| IpcError::new("no_file", "no file is open", None))
}

fn reader(app: &tauri::AppHandle) -> Result<GeoPackage, IpcError> {
    let path = map_path(app)?;
    GeoPackage::open(&path).map_err(|e| IpcError::new("gpkg", e, Some(&path)))
}

// ---------------------------------------------------------------- lists

#[derive(Debug, Deserialize)]
pub struct FilterIn {
    pub field: String,
    #[serde(default)]
    pub op: Option<String>,
    #[serde(default)]
    pub value: serde_json::Value,
}

#[derive(Debug, Deserialize)]
pub struct SortIn {
    pub field: String,
    #[serde(default)]
    pub descending: bool,
}

/// One page of a layer's rows, as the UI's tables ask for it.
#[derive(Debug, Deserialize)]
pub struct ListIn {
    pub layer: String,
    #[serde(default)]
    pub search: Option<String>,
    #[serde(default)]
    pub filters: Vec<FilterIn>,
    #[serde(default)]
    pub sort: Vec<SortIn>,
    #[serde(default)]
    pub offset: u64,
    #[serde(default)]
    pub limit: u64,
}

#[derive(Debug, Serialize)]
pub struct RowOut {
    pub fid: i64,
    pub uid: String,
    pub values: Vec<serde_json::Value>,
}

#[derive(Debug, Serialize)]
pub struct PageOut {
    pub total: u64,
    pub columns: Vec<String>,
    pub rows: Vec<RowOut>,
}

fn filter_op(op: Option<&str>) -> Result<FilterOp, IpcError> {
    Ok(match op.unwrap_or("eq") {
        "eq" => FilterOp::Eq,
        "ne" => FilterOp::Ne,
        "lt" => FilterOp::Lt,
        "le" => FilterOp::Le,
        "gt" => FilterOp::Gt,
        "ge" => FilterOp::Ge,
        "in" => FilterOp::In,
        "empty" => FilterOp::Empty,
        "not_empty" => FilterOp::NotEmpty,
        other => return Err(IpcError::new("invalid", format!("no filter operator '{other}'"), None)),
    })
}

pub fn query_in(q: ListIn) -> Result<ListQuery, IpcError> {
    Ok(ListQuery {
        layer: q.layer,
        search: q.search.filter(|s| !s.trim().is_empty()),
        filters: q
            .filters
            .into_iter()
            .map(|f| {
                Ok(Filter {
                    op: filter_op(f.op.as_deref())?,
                    field: f.field,
                    value: f.value,
                })
            })
            .collect::<Result<_, IpcError>>()?,
        sort: q
            .sort
            .into_iter()
            .map(|s| SortKey {
                field: s.field,
                descending: s.descending,
            })
            .collect(),
        offset: q.offset,
        limit: q.limit,
    })
}

fn list_on(conn: &rusqlite::Connection, q: &ListQuery) -> Result<PageOut, IpcError> {
    let page = inventory::list(conn, q).map_err(inventory_error)?;
    Ok(PageOut {
        total: page.total,
        columns: page.columns,
        rows: page
            .rows
            .into_iter()
            .map(|r| RowOut {
                fid: r.fid,
                uid: r.uid,
                values: r.values.iter().map(value_out).collect(),
            })
            .collect(),
    })
}

pub fn list(app: &tauri::AppHandle, q: ListIn) -> Result<PageOut, IpcError> {
    let g = reader(app)?;
    list_on(g.connection(), &query_in(q)?)
}

/// The rows of `layer` whose `field` equals `value` (at most `limit`), by the core's list.
fn rows_where(
    conn: &rusqlite::Connection,
    layer: &str,
    field: &str,
    value: serde_json::Value,
    limit: u64,
) -> Result<Vec<BTreeMap<String, Value>>, IpcError> {
    let op = if value.is_array() { FilterOp::In } else { FilterOp::Eq };
    let page = inventory::list(
        conn,
        &ListQuery {
            layer: layer.into(),
            filters: vec![Filter {
                field: field.into(),
                op,
                value,
            }],
            limit,
            ..ListQuery::default()
        },
    )
    .map_err(inventory_error)?;
    Ok(page
        .rows
        .into_iter()
        .map(|r| page.columns.iter().cloned().zip(r.values).collect())
        .collect())
}

fn text_of(row: &BTreeMap<String, Value>, field: &str) -> Option<String> {
    row.get(field).and_then(value_text).filter(|t| !t.is_empty())
}

// ---------------------------------------------------------------- categories, numbers

#[derive(Debug, Serialize)]
pub struct CategoryOut {
    pub code: String,
    pub th: String,
    pub en: String,
    pub useful_life_years: u32,
}

pub fn categories(app: &tauri::AppHandle) -> Result<Vec<CategoryOut>, IpcError> {
    let g = reader(app)?;
    let list = inventory::categories(g.connection()).map_err(|e| IpcError::new("gpkg", e, None))?;
    Ok(list
        .into_iter()
        .map(|c| CategoryOut {
            code: c.code,
            th: c.th,
            en: c.en,
            useful_life_years: c.useful_life_years,
        })
        .collect())
}

/// The number the core proposes for a category and the fiscal year of `acquired` (today without one).
pub fn next_asset_no(app: &tauri::AppHandle, category: &str, acquired: Option<&str>) -> Result<String, IpcError> {
    let day = date_in("acquired_date", acquired)?.unwrap_or_else(|| chrono::Local::now().date_naive());
    let g = reader(app)?;
    inventory::next_asset_no(g.connection(), category, FiscalYear::of(day)).map_err(inventory_error)
}

pub fn asset_no_taken(app: &tauri::AppHandle, asset_no: &str, except: Option<&str>) -> Result<bool, IpcError> {
    let g = reader(app)?;
    inventory::asset_no_taken(g.connection(), asset_no, except).map_err(inventory_error)
}

// ---------------------------------------------------------------- register

/// A new register line from the form: text as typed, dates ISO, the map point in EPSG:3857.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NewEquipmentIn {
    pub asset_no: Option<String>,
    pub name: String,
    pub category: String,
    pub acquired_date: Option<String>,
    pub quantity: Option<i64>,
    pub unit: Option<String>,
    pub unit_price: Option<f64>,
    pub funding_source: Option<String>,
    pub vendor: Option<String>,
    pub document_no: Option<String>,
    pub department: Option<String>,
    pub custodian: Option<String>,
    pub location: Option<String>,
    /// A pole number (นส.01-0001) or uid: the item is mounted on it.
    pub pole: Option<String>,
    /// A point clicked on the map, EPSG:3857.
    pub at: Option<[f64; 2]>,
    pub useful_life_years: Option<i64>,
    pub status: Option<String>,
    pub notes: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct AddedOut {
    pub uid: String,
    pub asset_no: String,
    pub edit: EditOut,
}

fn pole_uid(conn: &rusqlite::Connection, key: &str) -> Result<String, IpcError> {
    let key = key.trim();
    for field in ["pole_no", "uid"] {
        if let Some(uid) = rows_where(conn, "poles", field, key.into(), 1)?
            .first()
            .and_then(|r| text_of(r, "uid"))
        {
            return Ok(uid);
        }
    }
    Err(bad_input(
        "pole",
        format!("ไม่พบเสาไฟฟ้าหมายเลข {key}"),
        format!("no pole numbered {key}"),
    ))
}

pub fn add_equipment(app: &tauri::AppHandle, item: NewEquipmentIn) -> Result<(AddedOut, Stale), IpcError> {
    let acquired_date = date_in("acquired_date", item.acquired_date.as_deref())?;
    app.state::<EditState>()
        .apply_with(|editor| {
            let pole_uid = match item.pole.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
                Some(p) => Some(pole_uid(editor.gpkg().connection(), p)?),
                None => None,
            };
            let at = match item.at {
                Some([x, y]) => {
                    let srs = editor
                        .layer_srs("equipment")
                        .map_err(edit_error)?
                        .ok_or_else(|| IpcError::new("no_geometry", "equipment has no geometry", None))?;
                    Some(
                        tongtin::crs::Transformer::new(3857, srs)
                            .and_then(|t| t.convert(x, y))
                            .map_err(|e| IpcError::new("crs", e, None))?,
                    )
                }
                None => None,
            };
            let r = inventory::add_equipment(
                editor,
                &NewEquipment {
                    asset_no: item.asset_no,
                    name: item.name,
                    category: item.category,
                    acquired_date,
                    quantity: item.quantity,
                    unit: item.unit,
                    unit_price: item.unit_price,
                    funding_source: item.funding_source,
                    vendor: item.vendor,
                    document_no: item.document_no,
                    department: item.department,
                    custodian: item.custodian,
                    location: item.location,
                    pole_uid,
                    at,
                    useful_life_years: item.useful_life_years,
                    status: item.status,
                    notes: item.notes,
                },
            )
            .map_err(inventory_error)?;
            Ok(((r.uid, r.asset_no), r.applied))
        })
        .map(|(((uid, asset_no), edit), stale)| (AddedOut { uid, asset_no, edit }, stale))
}

/// One year's depreciation of an item, in baht.
#[derive(Debug, Serialize)]
pub struct FiguresOut {
    pub fiscal_year: i32,
    pub cost: f64,
    pub rate: f64,
    pub full_year: f64,
    pub this_year: f64,
    pub accumulated: f64,
    pub net: f64,
    pub months: u32,
    pub written_down: bool,
}

#[derive(Debug, Serialize)]
pub struct DisposalOut {
    pub method: String,
    pub document_no: String,
    pub disposed_on: String,
    pub amount: Option<f64>,
}

/// An item for the details panel: its stored values as text, its category,
/// the depreciation of the current fiscal year (None without a date, price or life).
#[derive(Debug, Serialize)]
pub struct DetailsOut {
    pub fid: i64,
    pub uid: String,
    pub values: BTreeMap<String, Option<String>>,
    pub category: Option<CategoryOut>,
    pub useful_life_years: Option<u32>,
    pub figures: Option<FiguresOut>,
    pub disposal: Option<DisposalOut>,
    /// The item's point, EPSG:3857 (for "show on map").
    pub extent: Option<[f64; 4]>,
}

pub fn details(app: &tauri::AppHandle, uid: &str) -> Result<Option<DetailsOut>, IpcError> {
    let g = reader(app)?;
    let conn = g.connection();
    let Some(row) = rows_where(conn, "equipment", "uid", uid.into(), 1)?.into_iter().next() else {
        return Ok(None);
    };
    let fid = row.get("fid").and_then(Value::as_f64).unwrap_or(0.0) as i64;
    let category = match text_of(&row, "category") {
        Some(code) => inventory::category(conn, &code)
            .map_err(|e| IpcError::new("gpkg", e, None))?
            .map(|c| CategoryOut {
                code: c.code,
                th: c.th,
                en: c.en,
                useful_life_years: c.useful_life_years,
            }),
        None => None,
    };
    let disposal = rows_where(conn, "disposals", "equipment_uid", uid.into(), 1)?
        .into_iter()
        .next()
        .map(|d| DisposalOut {
            method: text_of(&d, "method").unwrap_or_default(),
            document_no: text_of(&d, "document_no").unwrap_or_default(),
            disposed_on: text_of(&d, "disposed_on").unwrap_or_default(),
            amount: d.get("amount").and_then(Value::as_f64),
        });
    let life = row
        .get("useful_life_years")
        .and_then(Value::as_f64)
        .map(|l| l as u32)
        .or(category.as_ref().map(|c| c.useful_life_years))
        .filter(|l| *l > 0);
    let acquired = date_in("acquired_date", text_of(&row, "acquired_date").as_deref())
        .ok()
        .flatten();
    let price = row.get("unit_price").and_then(Value::as_f64);
    let quantity = row.get("quantity").and_then(Value::as_f64).unwrap_or(1.0).max(1.0) as u32;
    let fy = FiscalYear::of(chrono::Local::now().date_naive());
    let disposed = disposal
        .as_ref()
        .and_then(|d| date_in("disposed_on", Some(&d.disposed_on)).ok().flatten());
    let figures = match (acquired, price, life) {
        (Some(acquired), Some(unit_price), Some(life)) if acquired <= fy.last_day() => {
            let f = inventory::for_year(
                &inventory::Asset {
                    acquired,
                    quantity,
                    unit_price,
                    useful_life_years: life,
                },
                fy,
                disposed,
                inventory::MonthRule::default(),
            );
            Some(FiguresOut {
                fiscal_year: fy.0,
                cost: f.cost,
                rate: f.rate,
                full_year: f.full_year,
                this_year: f.this_year,
                accumulated: f.accumulated,
                net: f.net,
                months: f.months,
                written_down: f.written_down,
            })
        }
        _ => None,
    };
    let extent = tongtin::search::find_number(&g, &text_of(&row, "asset_no").unwrap_or_default())
        .ok()
        .flatten()
        .filter(|h| h.layer == "equipment" && h.fid == fid)
        .and_then(|h| extent_3857(h.extent, h.srs_id));
    Ok(Some(DetailsOut {
        fid,
        uid: uid.to_string(),
        values: row
            .iter()
            .filter(|(k, _)| k.as_str() != "fid")
            .map(|(k, v)| (k.clone(), value_text(v)))
            .collect(),
        category,
        useful_life_years: life,
        figures,
        disposal,
        extent,
    }))
}

#[derive(Debug, Deserialize)]
pub struct DisposalIn {
    pub asset_no: String,
    pub method: String,
    pub document_no: String,
    pub disposed_on: Option<String>,
    pub amount: Option<f64>,
    pub notes: Option<String>,
}

pub fn dispose(app: &tauri::AppHandle, d: DisposalIn) -> Result<(EditOut, Stale), IpcError> {
    let disposed_on =
        date_in("disposed_on", d.disposed_on.as_deref())?.unwrap_or_else(|| chrono::Local::now().date_naive());
    app.state::<EditState>()
        .apply_with(|editor| {
            let applied = inventory::dispose(
                editor,
                &Disposal {
                    asset_no: d.asset_no,
                    method: d.method,
                    document_no: d.document_no,
                    disposed_on,
                    amount: d.amount,
                    notes: d.notes,
                },
            )
            .map_err(inventory_error)?;
            Ok(((), applied))
        })
        .map(|(((), out), stale)| (out, stale))
}

// ---------------------------------------------------------------- work orders

pub fn fault_types(kind: &str) -> Vec<String> {
    inventory::fault_types(kind).iter().map(|s| s.to_string()).collect()
}

#[derive(Debug, Deserialize)]
pub struct NewOrderIn {
    pub asset_kind: String,
    pub asset_uid: String,
    pub fault_type: String,
    pub reporter: Option<String>,
    pub contact: Option<String>,
    pub description: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct OpenedOut {
    pub uid: String,
    pub order_no: String,
    pub edit: EditOut,
}

pub fn open_order(app: &tauri::AppHandle, o: NewOrderIn) -> Result<(OpenedOut, Stale), IpcError> {
    app.state::<EditState>()
        .apply_with(|editor| {
            let opened = inventory::open_order(
                editor,
                &NewWorkOrder {
                    asset_kind: o.asset_kind,
                    asset_uid: o.asset_uid,
                    fault_type: o.fault_type,
                    reporter: o.reporter,
                    contact: o.contact,
                    description: o.description,
                },
                Utc::now(),
            )
            .map_err(inventory_error)?;
            Ok(((opened.uid, opened.order_no), opened.applied))
        })
        .map(|(((uid, order_no), edit), stale)| (OpenedOut { uid, order_no, edit }, stale))
}

pub fn start_order(app: &tauri::AppHandle, key: &str, technician: Option<&str>) -> Result<(EditOut, Stale), IpcError> {
    app.state::<EditState>()
        .apply_with(|editor| {
            let applied = inventory::start_order(editor, key, technician, Utc::now()).map_err(inventory_error)?;
            Ok(((), applied))
        })
        .map(|(((), out), stale)| (out, stale))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct FinishIn {
    pub technician: Option<String>,
    pub materials: Option<String>,
    pub cost: Option<f64>,
    /// The lamp was replaced: its new type and watts (either may be empty).
    pub lamp_changed: bool,
    pub lamp_type: Option<String>,
    pub watts: Option<i64>,
}

pub fn finish_order(app: &tauri::AppHandle, key: &str, f: FinishIn) -> Result<(EditOut, Stale), IpcError> {
    let lamp = f.lamp_changed.then(|| LampChange {
        lamp_uid: None,
        lamp_type: f.lamp_type.filter(|t| !t.trim().is_empty()),
        watts: f.watts,
    });
    app.state::<EditState>()
        .apply_with(|editor| {
            let applied = inventory::finish_order(
                editor,
                key,
                &Finish {
                    technician: f.technician,
                    materials: f.materials,
                    cost: f.cost,
                    lamp,
                },
                Utc::now(),
            )
            .map_err(inventory_error)?;
            Ok(((), applied))
        })
        .map(|(((), out), stale)| (out, stale))
}

#[derive(Debug, Serialize)]
pub struct WorkOrderOut {
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

pub fn work_history(app: &tauri::AppHandle, asset_uid: &str) -> Result<Vec<WorkOrderOut>, IpcError> {
    let g = reader(app)?;
    Ok(inventory::history(g.connection(), asset_uid)
        .map_err(inventory_error)?
        .into_iter()
        .map(|o| WorkOrderOut {
            uid: o.uid,
            order_no: o.order_no,
            asset_kind: o.asset_kind,
            asset_uid: o.asset_uid,
            fault_type: o.fault_type,
            status: o.status,
            received_at: o.received_at,
            started_at: o.started_at,
            done_at: o.done_at,
            technician: o.technician,
            materials: o.materials,
            cost: o.cost,
            reporter: o.reporter,
            description: o.description,
        })
        .collect())
}

// ---------------------------------------------------------------- the annual check

#[derive(Debug, Serialize)]
pub struct CheckOut {
    pub uid: String,
    pub fiscal_year: i32,
    pub committee: Vec<String>,
    pub opened_on: String,
    pub closed_on: Option<String>,
    pub status: String,
}

fn check_out(c: inventory::InventoryCheck) -> CheckOut {
    CheckOut {
        uid: c.uid,
        fiscal_year: c.fiscal_year,
        committee: c.committee,
        opened_on: c.opened_on,
        closed_on: c.closed_on,
        status: c.status,
    }
}

pub fn find_check(app: &tauri::AppHandle, fy: i32) -> Result<Option<CheckOut>, IpcError> {
    let fy = fiscal_year(fy)?;
    let g = reader(app)?;
    Ok(inventory::find_check(g.connection(), &fy.to_string())
        .map_err(inventory_error)?
        .map(check_out))
}

pub fn open_check(app: &tauri::AppHandle, fy: i32, committee: Vec<String>) -> Result<CheckOut, IpcError> {
    let fy = fiscal_year(fy)?;
    let today = chrono::Local::now().date_naive();
    app.state::<EditState>()
        .editor_with(|editor| inventory::open_check(editor, fy, &committee, today).map_err(inventory_error))?;
    find_check(app, fy.0)?.ok_or_else(|| IpcError::new("internal", "the new check was not found", None))
}

#[derive(Debug, Serialize)]
pub struct FindingOut {
    pub asset_no: String,
    pub name: String,
    pub replaced: bool,
}

pub fn record_finding(
    app: &tauri::AppHandle,
    fy: i32,
    asset_no: &str,
    finding: &str,
    notes: Option<&str>,
) -> Result<FindingOut, IpcError> {
    let fy = fiscal_year(fy)?;
    app.state::<EditState>()
        .apply_with(|editor| {
            let r = inventory::record_finding(editor, &fy.to_string(), asset_no, finding, notes, Utc::now())
                .map_err(inventory_error)?;
            Ok((
                FindingOut {
                    asset_no: r.item.asset_no,
                    name: r.item.name,
                    replaced: r.replaced,
                },
                r.applied,
            ))
        })
        .map(|((out, _), _)| out)
}

#[derive(Debug, Serialize)]
pub struct ItemOut {
    pub uid: String,
    pub asset_no: String,
    pub name: String,
    pub category: String,
    pub status: String,
    pub department: Option<String>,
    pub location: Option<String>,
}

pub fn unchecked(app: &tauri::AppHandle, fy: i32) -> Result<Vec<ItemOut>, IpcError> {
    let fy = fiscal_year(fy)?;
    let g = reader(app)?;
    Ok(inventory::unchecked(g.connection(), &fy.to_string())
        .map_err(inventory_error)?
        .into_iter()
        .map(|i| ItemOut {
            uid: i.uid,
            asset_no: i.asset_no,
            name: i.name,
            category: i.category,
            status: i.status,
            department: i.department,
            location: i.location,
        })
        .collect())
}

pub fn close_check(app: &tauri::AppHandle, fy: i32, force: bool) -> Result<EditOut, IpcError> {
    let fy = fiscal_year(fy)?;
    let today = chrono::Local::now().date_naive();
    app.state::<EditState>()
        .apply_with(|editor| {
            let applied = inventory::close_check(editor, &fy.to_string(), today, force).map_err(inventory_error)?;
            Ok(((), applied))
        })
        .map(|(((), out), _)| out)
}

// ---------------------------------------------------------------- go to number

fn extent_3857(extent: Option<[f64; 4]>, srs: Option<i32>) -> Option<[f64; 4]> {
    let (e, srs) = (extent?, srs?);
    let t = tongtin::crs::Transformer::new(srs, 3857).ok()?;
    let a = t.convert(e[0], e[1]).ok()?;
    let b = t.convert(e[2], e[3]).ok()?;
    Some([a.0.min(b.0), a.1.min(b.1), a.0.max(b.0), a.1.max(b.1)])
}

/// The equipment item or pole a typed or scanned number names, if any.
pub fn find_number(app: &tauri::AppHandle, text: &str) -> Result<Option<SearchHit>, IpcError> {
    let g = reader(app)?;
    let hit = tongtin::search::find_number(&g, text).map_err(|e| IpcError::new("gpkg", e, None))?;
    Ok(hit.map(|h| SearchHit {
        extent: extent_3857(h.extent, h.srs_id),
        layer: h.layer,
        fid: h.fid,
        label: h.label,
    }))
}

// ---------------------------------------------------------------- reports

#[derive(Debug, Serialize)]
pub struct ColumnOut {
    pub key: String,
    pub th: String,
    pub en: String,
    /// text, integer, money, decimal, date, percent.
    pub kind: &'static str,
    pub decimals: u8,
}

#[derive(Debug, Serialize)]
pub struct TableOut {
    pub th: String,
    pub en: String,
    pub columns: Vec<ColumnOut>,
    /// Cells: null, text, a number, or an ISO date for a date column.
    pub rows: Vec<Vec<serde_json::Value>>,
    pub totals: Option<Vec<serde_json::Value>>,
}

#[derive(Debug, Serialize)]
pub struct SeriesOut {
    pub name: String,
    pub values: Vec<f64>,
}

#[derive(Debug, Serialize)]
pub struct ChartOut {
    pub th: String,
    pub en: String,
    pub labels: Vec<String>,
    pub series: Vec<SeriesOut>,
}

#[derive(Debug, Serialize)]
pub struct ReportOut {
    pub name: String,
    pub th: String,
    pub en: String,
    pub subtitle: Vec<String>,
    pub tables: Vec<TableOut>,
    pub charts: Vec<ChartOut>,
}

fn cell_out(c: &Cell) -> serde_json::Value {
    match c {
        Cell::Empty => serde_json::Value::Null,
        Cell::Text(s) => s.clone().into(),
        Cell::Int(i) => (*i).into(),
        Cell::Num(n) => serde_json::Number::from_f64(*n).map_or(serde_json::Value::Null, serde_json::Value::Number),
        Cell::Date(d) => d.format("%Y-%m-%d").to_string().into(),
    }
}

pub fn report_out(r: &Report) -> ReportOut {
    ReportOut {
        name: r.name.clone(),
        th: r.title_th.clone(),
        en: r.title_en.clone(),
        subtitle: r.subtitle.clone(),
        tables: r
            .tables
            .iter()
            .map(|t| TableOut {
                th: t.title_th.clone(),
                en: t.title_en.clone(),
                columns: t
                    .columns
                    .iter()
                    .map(|c| {
                        let (kind, decimals) = match c.kind {
                            ColumnKind::Text => ("text", 0),
                            ColumnKind::Integer => ("integer", 0),
                            ColumnKind::Money => ("money", 2),
                            ColumnKind::Decimal(d) => ("decimal", d),
                            ColumnKind::Date => ("date", 0),
                            ColumnKind::Percent => ("percent", 2),
                        };
                        ColumnOut {
                            key: c.key.clone(),
                            th: c.th.clone(),
                            en: c.en.clone(),
                            kind,
                            decimals,
                        }
                    })
                    .collect(),
                rows: t.rows.iter().map(|r| r.iter().map(cell_out).collect()).collect(),
                totals: t.totals.as_ref().map(|r| r.iter().map(cell_out).collect()),
            })
            .collect(),
        charts: r
            .charts
            .iter()
            .map(|c| ChartOut {
                th: c.title_th.clone(),
                en: c.title_en.clone(),
                labels: c.labels.clone(),
                series: c
                    .series
                    .iter()
                    .map(|s| SeriesOut {
                        name: s.name.clone(),
                        values: s.values.clone(),
                    })
                    .collect(),
            })
            .collect(),
    }
}

fn lang_in(lang: &str) -> Lang {
    if lang == "en" {
        Lang::En
    } else {
        Lang::Th
    }
}

fn build(app: &tauri::AppHandle, name: &str, fy: i32, lang: Lang) -> Result<Report, IpcError> {
    let fy = fiscal_year(fy)?;
    let g = reader(app)?;
    let options = ReportOptions {
        fy,
        lang,
        ..ReportOptions::current()
    };
    tongtin::report::build(g.connection(), name, &options).map_err(report_error)
}

pub fn report(app: &tauri::AppHandle, name: &str, fy: i32, lang: &str) -> Result<ReportOut, IpcError> {
    Ok(report_out(&build(app, name, fy, lang_in(lang))?))
}

/// Where a document went.
#[derive(Debug, Serialize)]
pub struct SavedOut {
    pub path: String,
    pub bytes: u64,
}

/// Tests only: a folder to save into without the dialog (the e2e run sets it).
const SAVE_DIR_VAR: &str = "TONGTIN_SAVE_DIR";

/// The native save dialog (or, when `TONGTIN_SAVE_DIR` is set, that folder);
/// `None` when cancelled.
fn save_path(app: &tauri::AppHandle, name: &str, format: Format, filter: &str) -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os(SAVE_DIR_VAR).filter(|d| !d.is_empty()) {
        return Some(Path::new(&dir).join(name));
    }
    use tauri_plugin_dialog::DialogExt;
    app.dialog()
        .file()
        .set_file_name(name)
        .add_filter(filter, &[format.extension()])
        .blocking_save_file()
        .and_then(|p| p.into_path().ok())
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<SavedOut, IpcError> {
    std::fs::write(path, bytes).map_err(|e| IpcError::new("io", e, Some(path)))?;
    Ok(SavedOut {
        path: path.display().to_string(),
        bytes: bytes.len() as u64,
    })
}

pub fn save_report(
    app: &tauri::AppHandle,
    name: &str,
    fy: i32,
    lang: &str,
    format: &str,
) -> Result<Option<SavedOut>, IpcError> {
    let format: Format = format.parse().map_err(|e| IpcError::new("invalid", e, None))?;
    let lang = lang_in(lang);
    let report = build(app, name, fy, lang)?;
    let mut bytes = Vec::new();
    tongtin::document::write(&report, format, lang, &mut bytes).map_err(|e| IpcError::new("document", e, None))?;
    let file = format!("{name}-{fy}.{}", format.extension());
    let filter = format.extension().to_uppercase();
    match save_path(app, &file, format, &filter) {
        Some(path) => write_file(&path, &bytes).map(Some),
        None => Ok(None),
    }
}

/// A QR label sheet for equipment items or poles (by uid), saved as PDF.
pub fn save_labels(
    app: &tauri::AppHandle,
    layer: &str,
    uids: Vec<String>,
    lang: &str,
) -> Result<Option<SavedOut>, IpcError> {
    let lang = lang_in(lang);
    let g = reader(app)?;
    let conn = g.connection();
    let limit = uids.len().clamp(1, inventory::MAX_LIMIT as usize) as u64;
    let ids = serde_json::Value::from(uids);
    let labels: Vec<tongtin::document::Label> = match layer {
        "equipment" => {
            let cats = inventory::categories(conn).map_err(|e| IpcError::new("gpkg", e, None))?;
            rows_where(conn, "equipment", "uid", ids, limit)?
                .iter()
                .filter_map(|r| {
                    let code = text_of(r, "asset_no")?;
                    let category = text_of(r, "category").unwrap_or_default();
                    let category = cats
                        .iter()
                        .find(|c| c.code == category)
                        .map(|c| if lang == Lang::En { c.en.clone() } else { c.th.clone() })
                        .unwrap_or(category);
                    Some(tongtin::document::Label {
                        code,
                        title: text_of(r, "name").unwrap_or_default(),
                        lines: [Some(category), text_of(r, "department")]
                            .into_iter()
                            .flatten()
                            .filter(|l| !l.is_empty())
                            .collect(),
                    })
                })
                .collect()
        }
        "poles" => rows_where(conn, "poles", "uid", ids, limit)?
            .iter()
            .filter_map(|r| {
                Some(tongtin::document::Label {
                    code: text_of(r, "pole_no")?,
                    title: text_of(r, "road_code").unwrap_or_default(),
                    lines: [
                        text_of(r, "village_no").map(|v| match lang {
                            Lang::Th => format!("หมู่ {v}"),
                            Lang::En => format!("Village {v}"),
                        }),
                        text_of(r, "community"),
                    ]
                    .into_iter()
                    .flatten()
                    .collect(),
                })
            })
            .collect(),
        other => return Err(IpcError::new("invalid", format!("no labels for layer '{other}'"), None)),
    };
    if labels.is_empty() {
        return Err(IpcError::new("nothing_to_label", "nothing to label", None));
    }
    let mut bytes = Vec::new();
    tongtin::document::write_labels(&labels, lang, &mut bytes).map_err(|e| IpcError::new("document", e, None))?;
    let file = if labels.len() == 1 {
        format!("labels-{}.pdf", labels[0].code.replace(['/', '\\', ' '], "_"))
    } else {
        format!("labels-{layer}-{}.pdf", labels.len())
    };
    match save_path(app, &file, Format::Pdf, "PDF") {
        Some(path) => write_file(&path, &bytes).map(Some),
        None => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_years_from_the_form() {
        assert_eq!(
            date_in("d", Some(" 2025-10-01 ")).unwrap(),
            NaiveDate::from_ymd_opt(2025, 10, 1)
        );
        assert_eq!(date_in("d", Some("")).unwrap(), None);
        let e = date_in("acquired_date", Some("1/10/2568")).unwrap_err();
        assert_eq!((e.code, e.problems[0].field.as_str()), ("invalid", "acquired_date"));
        assert_eq!(fiscal_year(2569).unwrap(), FiscalYear(2569));
        assert!(fiscal_year(2026).is_err(), "a Gregorian year is refused, not guessed");
    }

    #[test]
    fn list_requests_and_cells_convert() {
        let q: ListIn = serde_json::from_value(serde_json::json!({
            "layer": "equipment", "search": "  ", "offset": 200, "limit": 50,
            "filters": [{"field": "status", "op": "in", "value": ["in_use"]}, {"field": "category", "value": "office"}],
            "sort": [{"field": "name", "descending": true}]
        }))
        .unwrap();
        let q = query_in(q).unwrap();
        assert_eq!(q.search, None, "blank search is no search");
        assert_eq!((q.filters[0].op, q.filters[1].op), (FilterOp::In, FilterOp::Eq));
        assert!(q.sort[0].descending);
        assert_eq!((q.offset, q.limit), (200, 50));
        assert_eq!(value_out(&Value::Real(1.5)), serde_json::json!(1.5));
        assert_eq!(value_out(&Value::Blob(vec![1])), serde_json::Value::Null);
        assert_eq!(
            cell_out(&Cell::Date(NaiveDate::from_ymd_opt(2026, 1, 2).unwrap())),
            serde_json::json!("2026-01-02")
        );
        let bad: ListIn =
            serde_json::from_value(serde_json::json!({"layer": "x", "filters": [{"field": "a", "op": "like"}]}))
                .unwrap();
        assert!(query_in(bad).is_err());
    }

    #[test]
    fn refusals_carry_both_languages() {
        let e = inventory_error(InventoryError::AssetNoTaken("416-66-0001".into()));
        assert_eq!(e.code, "asset_no_taken");
        assert_eq!(e.problems[0].field, "asset_no");
        assert!(e.problems[0].th.contains("416-66-0001"));
    }
}

/// The Tauri commands: one-line delegations to the functions above, run off
/// the main thread; an edit's stale tiles are dropped so the map redraws.
pub mod commands {
    use super::*;
    use crate::blocking;

    /// Drops the tiles an inventory edit made stale (a pole's colour follows its orders).
    fn redrawn<T>(
        app: &tauri::AppHandle,
        r: Result<(T, Stale), IpcError>,
        edit: impl Fn(&mut T) -> &mut EditOut,
    ) -> Result<T, IpcError> {
        let (mut value, stale) = r?;
        let out = std::mem::replace(
            edit(&mut value),
            EditOut {
                label: String::new(),
                ops: 0,
                inserted: Vec::new(),
                undo: None,
                redo: None,
            },
        );
        *edit(&mut value) = crate::map::redrawn(app, Ok((out, stale)))?;
        Ok(value)
    }

    #[tauri::command]
    pub async fn inventory_list(app: tauri::AppHandle, query: ListIn) -> Result<PageOut, IpcError> {
        blocking(move || list(&app, query)).await
    }

    #[tauri::command]
    pub async fn equipment_categories(app: tauri::AppHandle) -> Result<Vec<CategoryOut>, IpcError> {
        blocking(move || categories(&app)).await
    }

    #[tauri::command]
    pub async fn next_asset_no(
        app: tauri::AppHandle,
        category: String,
        acquired: Option<String>,
    ) -> Result<String, IpcError> {
        blocking(move || super::next_asset_no(&app, &category, acquired.as_deref())).await
    }

    #[tauri::command]
    pub async fn asset_no_taken(
        app: tauri::AppHandle,
        asset_no: String,
        except_uid: Option<String>,
    ) -> Result<bool, IpcError> {
        blocking(move || super::asset_no_taken(&app, &asset_no, except_uid.as_deref())).await
    }

    #[tauri::command]
    pub async fn add_equipment(app: tauri::AppHandle, item: NewEquipmentIn) -> Result<AddedOut, IpcError> {
        blocking(move || redrawn(&app, super::add_equipment(&app, item), |a| &mut a.edit)).await
    }

    #[tauri::command]
    pub async fn equipment_details(app: tauri::AppHandle, uid: String) -> Result<Option<DetailsOut>, IpcError> {
        blocking(move || details(&app, &uid)).await
    }

    #[tauri::command]
    pub async fn dispose_equipment(app: tauri::AppHandle, disposal: DisposalIn) -> Result<EditOut, IpcError> {
        blocking(move || redrawn(&app, dispose(&app, disposal), |e| e)).await
    }

    #[tauri::command]
    pub fn fault_types(kind: String) -> Vec<String> {
        super::fault_types(&kind)
    }

    #[tauri::command]
    pub async fn open_work_order(app: tauri::AppHandle, order: NewOrderIn) -> Result<OpenedOut, IpcError> {
        blocking(move || redrawn(&app, open_order(&app, order), |o| &mut o.edit)).await
    }

    #[tauri::command]
    pub async fn start_work_order(
        app: tauri::AppHandle,
        order: String,
        technician: Option<String>,
    ) -> Result<EditOut, IpcError> {
        blocking(move || redrawn(&app, start_order(&app, &order, technician.as_deref()), |e| e)).await
    }

    #[tauri::command]
    pub async fn finish_work_order(
        app: tauri::AppHandle,
        order: String,
        finish: FinishIn,
    ) -> Result<EditOut, IpcError> {
        blocking(move || redrawn(&app, finish_order(&app, &order, finish), |e| e)).await
    }

    #[tauri::command]
    pub async fn work_history(app: tauri::AppHandle, asset_uid: String) -> Result<Vec<WorkOrderOut>, IpcError> {
        blocking(move || super::work_history(&app, &asset_uid)).await
    }

    #[tauri::command]
    pub async fn find_check(app: tauri::AppHandle, fy: i32) -> Result<Option<CheckOut>, IpcError> {
        blocking(move || super::find_check(&app, fy)).await
    }

    #[tauri::command]
    pub async fn open_check(app: tauri::AppHandle, fy: i32, committee: Vec<String>) -> Result<CheckOut, IpcError> {
        blocking(move || super::open_check(&app, fy, committee)).await
    }

    #[tauri::command]
    pub async fn record_finding(
        app: tauri::AppHandle,
        fy: i32,
        asset_no: String,
        finding: String,
        notes: Option<String>,
    ) -> Result<FindingOut, IpcError> {
        blocking(move || super::record_finding(&app, fy, &asset_no, &finding, notes.as_deref())).await
    }

    #[tauri::command]
    pub async fn unchecked_items(app: tauri::AppHandle, fy: i32) -> Result<Vec<ItemOut>, IpcError> {
        blocking(move || unchecked(&app, fy)).await
    }

    #[tauri::command]
    pub async fn close_check(app: tauri::AppHandle, fy: i32, force: bool) -> Result<EditOut, IpcError> {
        blocking(move || super::close_check(&app, fy, force)).await
    }

    #[tauri::command]
    pub async fn find_number(app: tauri::AppHandle, text: String) -> Result<Option<SearchHit>, IpcError> {
        blocking(move || super::find_number(&app, &text)).await
    }

    #[tauri::command]
    pub async fn build_report(
        app: tauri::AppHandle,
        name: String,
        fy: i32,
        lang: String,
    ) -> Result<ReportOut, IpcError> {
        blocking(move || report(&app, &name, fy, &lang)).await
    }

    #[tauri::command]
    pub async fn save_report(
        app: tauri::AppHandle,
        name: String,
        fy: i32,
        lang: String,
        format: String,
    ) -> Result<Option<SavedOut>, IpcError> {
        blocking(move || super::save_report(&app, &name, fy, &lang, &format)).await
    }

    #[tauri::command]
    pub async fn save_labels(
        app: tauri::AppHandle,
        layer: String,
        uids: Vec<String>,
        lang: String,
    ) -> Result<Option<SavedOut>, IpcError> {
        blocking(move || super::save_labels(&app, &layer, uids, &lang)).await
    }
}
