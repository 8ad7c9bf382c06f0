//! Rows of a layer read and written by uid, all columns but the fid.

use rusqlite::{Connection, OptionalExtension};

use crate::gpkg::{quote_ident, TableDef, Value};
use crate::journal::{Row, UID};

/// The geometry column and SRS of a feature table.
pub fn geometry_column(conn: &Connection, layer: &str) -> rusqlite::Result<Option<(String, i32)>> {
    conn.prepare_cached("SELECT column_name, srs_id FROM gpkg_geometry_columns WHERE table_name = ?1")?
        .query_row([layer], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()
}

/// The whole row of `uid` (BLOB columns included) and its fid.
pub fn read(conn: &Connection, layer: &str, uid: &str) -> rusqlite::Result<Option<(i64, Row)>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT * FROM {} WHERE {} = ?1",
        quote_ident(layer),
        quote_ident(UID)
    ))?;
    let names: Vec<String> = stmt.column_names().map(str::to_string).collect();
    let pk = primary_key(conn, layer)?;
    stmt.query_row([uid], |r| {
        let mut fid = 0;
        let mut row = Row::new();
        for (i, name) in names.iter().enumerate() {
            if *name == pk {
                fid = r.get(i)?;
            } else {
                row.insert(name.clone(), Value::from(r.get_ref(i)?));
            }
        }
        Ok((fid, row))
    })
    .optional()
}

/// The INTEGER PRIMARY KEY column of a table.
fn primary_key(conn: &Connection, layer: &str) -> rusqlite::Result<String> {
    conn.prepare_cached("SELECT name FROM pragma_table_info(?1) WHERE pk > 0")?
        .query_row([layer], |r| r.get(0))
        .optional()
        .map(|pk| pk.unwrap_or_else(|| TableDef::PRIMARY_KEY.to_string()))
}

pub fn insert(conn: &Connection, layer: &str, row: &Row) -> rusqlite::Result<i64> {
    let names: Vec<String> = row.keys().map(|k| quote_ident(k)).collect();
    let marks: Vec<String> = (1..=row.len()).map(|i| format!("?{i}")).collect();
    conn.prepare_cached(&format!(
        "INSERT INTO {} ({}) VALUES ({})",
        quote_ident(layer),
        names.join(", "),
        marks.join(", ")
    ))?
    .execute(rusqlite::params_from_iter(row.values()))?;
    Ok(conn.last_insert_rowid())
}

pub fn update(conn: &Connection, layer: &str, uid: &str, set: &Row) -> rusqlite::Result<usize> {
    if set.is_empty() {
        return Ok(0);
    }
    let sets: Vec<String> = set
        .keys()
        .enumerate()
        .map(|(i, k)| format!("{} = ?{}", quote_ident(k), i + 1))
        .collect();
    let sql = format!(
        "UPDATE {} SET {} WHERE {} = ?{}",
        quote_ident(layer),
        sets.join(", "),
        quote_ident(UID),
        set.len() + 1
    );
    let mut params: Vec<&Value> = set.values().collect();
    let uid_value = Value::Text(uid.to_string());
    params.push(&uid_value);
    conn.prepare_cached(&sql)?.execute(rusqlite::params_from_iter(params))
}

pub fn delete(conn: &Connection, layer: &str, uid: &str) -> rusqlite::Result<usize> {
    conn.prepare_cached(&format!(
        "DELETE FROM {} WHERE {} = ?1",
        quote_ident(layer),
        quote_ident(UID)
    ))?
    .execute([uid])
}

/// The uids of `layer` whose `field` holds `value` (children of a parent).
pub fn uids_where(conn: &Connection, layer: &str, field: &str, value: &str) -> rusqlite::Result<Vec<String>> {
    conn.prepare_cached(&format!(
        "SELECT {} FROM {} WHERE {} = ?1 ORDER BY rowid",
        quote_ident(UID),
        quote_ident(layer),
        quote_ident(field)
    ))?
    .query_map([value], |r| r.get(0))?
    .collect()
}
