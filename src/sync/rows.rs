//! A file's features as sync reads and writes them: rows by uid, values as
//! literals in the one form sync compares and sends ([`journal::literal`]'s),
//! and each write described as the journal will record it. Sync writes with
//! the capture triggers off ([`journal::without_capture`]), so what it wrote
//! is journaled from here, not from a trigger.

use rusqlite::{Connection, OptionalExtension};

use super::error::SyncError;
use super::wire::{LiteralRow, NULL, PHOTO_TABLE};
use crate::edit::{delete_row, insert_row, update_row};
use crate::gpkg::{quote_ident, Value};
use crate::journal::{self, parse_list, KnownOp, OpKind, Received, Uncaptured, UID};

/// A change sync wrote to one feature's row, as the journal records it.
#[derive(Debug)]
pub(super) struct Written {
    pub kind: OpKind,
    /// Field, old and new value as literals.
    pub fields: Vec<(String, Option<String>, Option<String>)>,
    /// The row after it, as its non-NULL values' literals (`None` once
    /// deleted).
    pub after: Option<LiteralRow>,
}

impl Written {
    /// Journals the change under `author`; returns its journal position.
    pub fn record(
        &self,
        journal: &mut Uncaptured,
        layer: &str,
        uid: &str,
        author: &Received,
    ) -> Result<i64, SyncError> {
        Ok(journal.record(&KnownOp {
            author,
            layer,
            uid,
            kind: self.kind,
            fields: self
                .fields
                .iter()
                .map(|(f, o, n)| (f.as_str(), o.as_deref(), n.as_deref()))
                .collect(),
            after: self.after.as_ref(),
        })?)
    }
}

/// The rows of one table by uid: its journaled columns (all but the
/// primary key and BLOB columns) and the statements over them.
#[derive(Debug)]
pub(super) struct TableRows {
    pub table: String,
    pub names: Vec<String>,
    /// Every column but the primary key, BLOB ones included.
    all: Vec<String>,
    select: String,
}

impl TableRows {
    pub fn of(conn: &Connection, table: &str) -> Result<TableRows, SyncError> {
        let mut stmt = conn.prepare(&format!("PRAGMA table_info({})", quote_ident(table)))?;
        let cols: Vec<(String, String, bool)> = stmt
            .query_map([], |r| Ok((r.get(1)?, r.get(2)?, r.get::<_, i64>(5)? > 0)))?
            .collect::<Result<_, _>>()?;
        if !cols.iter().any(|(n, _, _)| n == UID) {
            return Err(SyncError::UnknownTable(table.to_string()));
        }
        let all: Vec<String> = cols.iter().filter(|c| !c.2).map(|c| c.0.clone()).collect();
        let names: Vec<String> = cols
            .into_iter()
            .filter(|(_, ty, pk)| !pk && !ty.eq_ignore_ascii_case("BLOB"))
            .map(|(n, _, _)| n)
            .collect();
        let select = format!(
            "SELECT {} FROM {} WHERE {} = ?1",
            names.iter().map(|c| quote_ident(c)).collect::<Vec<_>>().join(", "),
            quote_ident(table),
            quote_ident(UID)
        );
        Ok(TableRows {
            table: table.to_string(),
            names,
            all,
            select,
        })
    }

    /// The first field of `row` the table does not have: the row comes from
    /// a newer data model.
    pub fn unknown_field<'r>(&self, row: &'r LiteralRow) -> Option<&'r String> {
        row.keys().find(|k| !self.all.contains(k))
    }

    /// The row of `uid` as its non-NULL values' literals.
    pub fn read(&self, conn: &Connection, uid: &str) -> Result<Option<LiteralRow>, SyncError> {
        Ok(conn
            .prepare_cached(&self.select)?
            .query_row([uid], |r| {
                let mut row = LiteralRow::new();
                for (i, c) in self.names.iter().enumerate() {
                    let value = Value::from(r.get_ref(i)?);
                    if !value.is_null() {
                        row.insert(c.clone(), journal::literal(&value));
                    }
                }
                Ok(row)
            })
            .optional()?)
    }

    /// Inserts a feature from its literal row, every column set (a NULL left
    /// out of the row stays NULL, whatever the column's default); a photo
    /// gets its bytes from `blob` by SHA-256.
    pub fn insert(
        &self,
        conn: &Connection,
        uid: &str,
        row: &LiteralRow,
        blob: &mut dyn FnMut(&str) -> Result<Vec<u8>, SyncError>,
    ) -> Result<Written, SyncError> {
        let mut values = journal::Row::new();
        for name in &self.names {
            let value = match row.get(name) {
                Some(lit) => value_of(lit)?,
                None => Value::Null,
            };
            values.insert(name.clone(), value);
        }
        values.insert(UID.to_string(), Value::Text(uid.to_string()));
        if self.table == PHOTO_TABLE {
            let sha = match values.get("sha256") {
                Some(Value::Text(s)) => s.clone(),
                _ => return Err(SyncError::Damaged(format!("photo {uid} has no sha256"))),
            };
            let mut with_data = values.clone();
            with_data.insert("data".into(), Value::Blob(blob(&sha)?));
            insert_row(conn, &self.table, &with_data)?;
        } else {
            insert_row(conn, &self.table, &values)?;
        }
        let after: LiteralRow = values
            .iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(n, v)| (n.clone(), journal::literal(v)))
            .collect();
        Ok(Written {
            kind: OpKind::Insert,
            fields: after.iter().map(|(f, v)| (f.clone(), None, Some(v.clone()))).collect(),
            after: Some(after),
        })
    }

    /// Sets the fields of the row `now` of `uid` that `target` gives a
    /// literal for (NULL included) and that differ; `None` when none did.
    pub fn update<'t>(
        &self,
        conn: &Connection,
        uid: &str,
        now: LiteralRow,
        target: &dyn Fn(&str) -> Option<&'t str>,
    ) -> Result<Option<Written>, SyncError> {
        let mut set = journal::Row::new();
        let mut fields = Vec::new();
        let mut after = now;
        for c in self.names.iter().filter(|c| *c != UID) {
            let Some(wanted) = target(c) else { continue };
            let old = after.get(c).map(String::as_str).unwrap_or(NULL);
            if old == wanted {
                continue;
            }
            let value = value_of(wanted)?;
            let new = journal::literal(&value);
            if old == new {
                continue;
            }
            fields.push((c.clone(), Some(old.to_string()), Some(new.clone())));
            if value.is_null() {
                after.remove(c);
            } else {
                after.insert(c.clone(), new);
            }
            set.insert(c.clone(), value);
        }
        if set.is_empty() {
            return Ok(None);
        }
        update_row(conn, &self.table, uid, &set)?;
        Ok(Some(Written {
            kind: OpKind::Update,
            fields,
            after: Some(after),
        }))
    }

    /// Deletes the row `now` of `uid`.
    pub fn delete(&self, conn: &Connection, uid: &str, now: LiteralRow) -> Result<Written, SyncError> {
        delete_row(conn, &self.table, uid)?;
        Ok(Written {
            kind: OpKind::Delete,
            fields: now.into_iter().map(|(f, v)| (f, Some(v), None)).collect(),
            after: None,
        })
    }
}

/// The value a literal stands for.
pub(super) fn value_of(lit: &str) -> Result<Value, SyncError> {
    let mut v = parse_list(lit).map_err(|e| SyncError::Damaged(format!("value {lit:.40}: {e}")))?;
    match (v.pop(), v.is_empty()) {
        (Some(value), true) => Ok(value),
        _ => Err(SyncError::Damaged(format!("not one value: {lit:.40}"))),
    }
}
