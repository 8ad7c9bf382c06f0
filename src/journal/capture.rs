//! The capture triggers: every insert, update and delete on a journaled
//! table, by any tool, leaves its old and new row in `tongtin_capture` in the
//! same transaction. Tongtin turns those rows into journal ops.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension};

use super::literal::parse_list;
use super::op::Row;
use super::JournalError;
use crate::gpkg::{quote_ident, quote_literal, Value};

/// The column every journaled table carries; its value is the feature's identity.
pub const UID: &str = "uid";

/// A table the journal follows and the columns its triggers capture.
#[derive(Clone, Debug, PartialEq)]
pub struct Journaled {
    pub table: String,
    /// The INTEGER PRIMARY KEY column (`fid` in Tongtin's layers).
    pub pk: String,
    pub columns: Vec<String>,
}

/// The registered tables with a `uid` column, and what of each is captured:
/// every column but the primary key and BLOB columns (photo bytes travel
/// content-addressed, not through the journal).
pub fn journaled_tables(conn: &Connection) -> Result<Vec<Journaled>, JournalError> {
    let mut stmt = conn.prepare(
        "SELECT table_name FROM gpkg_contents WHERE data_type IN ('features', 'attributes') ORDER BY table_name",
    )?;
    let names: Vec<String> = stmt.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
    let mut out = Vec::new();
    for table in names {
        out.extend(columns_of(conn, table)?);
    }
    Ok(out)
}

/// One table as [`journaled_tables`] lists it; `None` when it is not
/// journaled.
pub fn journaled_table(conn: &Connection, table: &str) -> Result<Option<Journaled>, JournalError> {
    let registered: bool = conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM gpkg_contents WHERE table_name = ?1 AND data_type IN ('features', 'attributes'))",
        )?
        .query_row([table], |r| r.get(0))?;
    if !registered {
        return Ok(None);
    }
    columns_of(conn, table.to_string())
}

fn columns_of(conn: &Connection, table: String) -> Result<Option<Journaled>, JournalError> {
    let mut info = conn.prepare(&format!("PRAGMA table_info({})", quote_ident(&table)))?;
    let cols: Vec<(String, String, bool)> = info
        .query_map([], |r| Ok((r.get(1)?, r.get(2)?, r.get::<_, i64>(5)? > 0)))?
        .collect::<Result<_, _>>()?;
    if !cols.iter().any(|(n, _, _)| n == UID) {
        return Ok(None);
    }
    let Some(pk) = cols.iter().find(|c| c.2).map(|c| c.0.clone()) else {
        return Ok(None);
    };
    let columns = cols
        .into_iter()
        .filter(|(_, ty, pk)| !pk && !ty.eq_ignore_ascii_case("BLOB"))
        .map(|(n, _, _)| n)
        .collect();
    Ok(Some(Journaled { table, pk, columns }))
}

fn trigger_name(table: &str, op: &str) -> String {
    format!("tongtin_capture_{table}_{op}")
}

fn row_expr(side: &str, columns: &[String]) -> String {
    columns
        .iter()
        .map(|c| format!("quote({side}.{})", quote_ident(c)))
        .collect::<Vec<_>>()
        .join(" || ',' || ")
}

fn trigger_sql(t: &Journaled, layout: i64) -> String {
    include_str!("sql/capture.sql")
        .lines()
        .filter(|l| !l.starts_with("--"))
        .collect::<Vec<_>>()
        .join("\n")
        .replace("{trigger_insert}", &quote_ident(&trigger_name(&t.table, "insert")))
        .replace("{trigger_update}", &quote_ident(&trigger_name(&t.table, "update")))
        .replace("{trigger_delete}", &quote_ident(&trigger_name(&t.table, "delete")))
        .replace("{tq}", &quote_ident(&t.table))
        .replace("{tl}", &quote_literal(&t.table))
        .replace("{pk}", &quote_ident(&t.pk))
        .replace("{layout}", &layout.to_string())
        .replace("{old}", &row_expr("OLD", &t.columns))
        .replace("{new}", &row_expr("NEW", &t.columns))
}

/// The layout the triggers of `table` were last installed with.
fn current_layout(conn: &Connection, table: &str) -> Result<Option<(i64, Vec<String>)>, JournalError> {
    let found: Option<(i64, String)> = conn
        .query_row(
            "SELECT id, columns FROM tongtin_capture_layouts WHERE tbl = ?1 ORDER BY id DESC LIMIT 1",
            [table],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    Ok(match found {
        Some((id, cols)) => Some((
            id,
            serde_json::from_str(&cols).map_err(|_| JournalError::Damaged {
                what: format!("capture layout {id} of '{table}'"),
            })?,
        )),
        None => None,
    })
}

/// Whether the triggers of `t` are in place, exactly as Tongtin writes them
/// for its current columns.
pub fn triggers_current(conn: &Connection, t: &Journaled) -> Result<bool, JournalError> {
    let Some((layout, columns)) = current_layout(conn, &t.table)? else {
        return Ok(false);
    };
    if columns != t.columns {
        return Ok(false);
    }
    let expected = trigger_sql(t, layout);
    let mut stmt = conn.prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?1")?;
    for op in ["insert", "update", "delete"] {
        let sql: Option<String> = stmt.query_row([trigger_name(&t.table, op)], |r| r.get(0)).optional()?;
        match sql {
            Some(s) if expected.contains(s.as_str()) => {}
            _ => return Ok(false),
        }
    }
    Ok(true)
}

/// (Re)creates the triggers of `t`, with a new layout when its columns changed.
pub fn install_triggers(conn: &Connection, t: &Journaled) -> Result<(), JournalError> {
    let layout = match current_layout(conn, &t.table)? {
        Some((id, cols)) if cols == t.columns => id,
        _ => {
            conn.execute(
                "INSERT INTO tongtin_capture_layouts (tbl, columns) VALUES (?1, ?2)",
                rusqlite::params![t.table, serde_json::to_string(&t.columns).unwrap_or_default()],
            )?;
            conn.last_insert_rowid()
        }
    };
    for op in ["insert", "update", "delete"] {
        conn.execute_batch(&format!(
            "DROP TRIGGER IF EXISTS {}",
            quote_ident(&trigger_name(&t.table, op))
        ))?;
    }
    conn.execute_batch(&trigger_sql(t, layout))?;
    Ok(())
}

/// One feature's net change over the captured rows: its first old row and
/// its last new row.
#[derive(Clone, Debug)]
pub struct Captured {
    pub table: String,
    /// When the feature was first changed (Unix milliseconds), if known.
    pub at: Option<i64>,
    pub old: Option<Row>,
    pub new: Option<Row>,
}

/// Takes every captured row out of `tongtin_capture`, composed per feature in
/// the order features were first touched. Rows another tool inserted without
/// a uid get one first (that fix is captured too).
pub fn take_captured(conn: &Connection) -> Result<Vec<Captured>, JournalError> {
    give_missing_uids(conn)?;
    let mut layouts: HashMap<i64, Vec<String>> = HashMap::new();
    let mut stmt =
        conn.prepare_cached("SELECT seq, tbl, fid, op, layout, old, new, at FROM tongtin_capture ORDER BY seq")?;
    type Raw = (
        i64,
        String,
        i64,
        String,
        i64,
        Option<String>,
        Option<String>,
        Option<i64>,
    );
    let raw: Vec<Raw> = stmt.query_map([], |r| r.try_into())?.collect::<Result<_, _>>()?;
    if raw.is_empty() {
        return Ok(Vec::new());
    }
    conn.prepare_cached("DELETE FROM tongtin_capture")?.execute([])?;
    let mut order: Vec<(String, i64)> = Vec::new();
    let mut net: HashMap<(String, i64), Captured> = HashMap::new();
    for (seq, table, fid, op, layout, old, new, at) in raw {
        if let std::collections::hash_map::Entry::Vacant(slot) = layouts.entry(layout) {
            let cols: Option<String> = conn
                .query_row(
                    "SELECT columns FROM tongtin_capture_layouts WHERE id = ?1",
                    [layout],
                    |r| r.get(0),
                )
                .optional()?;
            let cols = cols
                .and_then(|c| serde_json::from_str(&c).ok())
                .ok_or_else(|| JournalError::Damaged {
                    what: format!("capture {seq}: unknown layout {layout}"),
                })?;
            slot.insert(cols);
        }
        let columns = &layouts[&layout];
        let decode = |text: Option<String>| -> Result<Option<Row>, JournalError> {
            text.map(|t| {
                let values = parse_list(&t).map_err(|e| JournalError::Damaged {
                    what: format!("capture {seq}: {e}"),
                })?;
                if values.len() != columns.len() {
                    return Err(JournalError::Damaged {
                        what: format!("capture {seq}: {} values for {} columns", values.len(), columns.len()),
                    });
                }
                Ok(columns.iter().cloned().zip(values).collect())
            })
            .transpose()
        };
        let (old, new) = match op.as_str() {
            "insert" => (None, decode(new)?),
            "update" => (decode(old)?, decode(new)?),
            "delete" => (decode(old)?, None),
            other => {
                return Err(JournalError::Damaged {
                    what: format!("capture {seq}: unknown operation '{other}'"),
                })
            }
        };
        let key = (table.clone(), fid);
        match net.get_mut(&key) {
            Some(c) => c.new = new,
            None => {
                order.push(key.clone());
                net.insert(key, Captured { table, at, old, new });
            }
        }
    }
    Ok(order.into_iter().filter_map(|k| net.remove(&k)).collect())
}

/// Gives a uid to each captured row that has none, looking only at the
/// captured rows (through their rowid), never scanning a table.
fn give_missing_uids(conn: &Connection) -> Result<(), JournalError> {
    let mut stmt = conn.prepare_cached("SELECT DISTINCT tbl, fid FROM tongtin_capture WHERE op != 'delete'")?;
    let rows: Vec<(String, i64)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    for (table, rowid) in rows {
        let t = quote_ident(&table);
        let uid: Option<Option<String>> = conn
            .prepare_cached(&format!("SELECT {UID} FROM {t} WHERE rowid = ?1"))?
            .query_row([rowid], |r| r.get(0))
            .optional()?;
        let missing = matches!(&uid, Some(None)) || matches!(&uid, Some(Some(u)) if u.is_empty());
        if missing {
            conn.execute(
                &format!("UPDATE {t} SET {UID} = ?1 WHERE rowid = ?2"),
                rusqlite::params![uuid::Uuid::new_v4().to_string(), rowid],
            )?;
        }
    }
    Ok(())
}

/// The uid a captured row carries, if any.
pub fn uid_of(row: &Row) -> Option<&str> {
    match row.get(UID) {
        Some(Value::Text(t)) if !t.is_empty() => Some(t),
        _ => None,
    }
}
