//! A file's features as sync reads and writes them: rows by uid, values as
//! literals in the one form sync compares and sends ([`journal::literal`]'s),
//! and each write described as the journal will record it. Sync writes with
//! the capture triggers off ([`journal::without_capture`]), so what it wrote
//! is journaled from here, not from a trigger.

use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;

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
    select: String,
}

impl TableRows {
    pub fn of(conn: &Connection, table: &str) -> Result<TableRows, SyncError> {
        let names = journal::journaled_table(conn, table)?
            .ok_or_else(|| SyncError::UnknownTable(table.to_string()))?
            .columns;
        let select = format!(
            "SELECT {} FROM {} WHERE {} = ?1",
            names.iter().map(|c| quote_ident(c)).collect::<Vec<_>>().join(", "),
            quote_ident(table),
            quote_ident(UID)
        );
        Ok(TableRows {
            table: table.to_string(),
            names,
            select,
        })
    }

    /// The first field of `row` the table does not journal: the row comes
    /// from a newer data model.
    pub fn unknown_field<'r>(&self, row: &'r LiteralRow) -> Option<&'r String> {
        row.keys().find(|k| !self.names.contains(k))
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
    /// gets its bytes by SHA-256 from `arrived` (what came with the batch),
    /// else from the file.
    pub fn insert(
        &self,
        conn: &Connection,
        uid: &str,
        row: &LiteralRow,
        arrived: &HashMap<String, Vec<u8>>,
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
            let data = match arrived.get(&sha) {
                Some(d) => d.clone(),
                None => super::local::blob(conn, &sha)?
                    .ok_or_else(|| SyncError::Damaged(format!("photo {sha} neither arrived nor is in the file")))?,
            };
            with_data.insert("data".into(), Value::Blob(data));
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

/// The [`TableRows`] of the tables a batch writes, each looked up once.
#[derive(Default)]
pub(super) struct Tables(HashMap<String, Rc<TableRows>>);

impl Tables {
    pub fn get(&mut self, conn: &Connection, table: &str) -> Result<Rc<TableRows>, SyncError> {
        if let Some(t) = self.0.get(table) {
            return Ok(t.clone());
        }
        let rows = Rc::new(TableRows::of(conn, table)?);
        self.0.insert(table.to_string(), rows.clone());
        Ok(rows)
    }
}

/// Gets the file ready for the photos a batch brings, given each photo's
/// `feature_layer` literal: the first photo of a layer creates the photo
/// table and its relation, as attaching one does. Runs before the batch
/// turns its tables' capture triggers off, so the new table's are in place.
pub(super) fn prepare_photos<'a>(
    conn: &Connection,
    feature_layers: impl Iterator<Item = &'a str>,
) -> Result<(), SyncError> {
    let layers: BTreeSet<&str> = feature_layers.collect();
    for lit in layers {
        match value_of(lit)? {
            Value::Text(layer) => crate::edit::prepare_photos(conn, &layer)?,
            _ => return Err(SyncError::Damaged(format!("a photo's feature layer {lit:.40}"))),
        }
    }
    Ok(())
}

/// The value a literal stands for.
pub(super) fn value_of(lit: &str) -> Result<Value, SyncError> {
    let mut v = parse_list(lit).map_err(|e| SyncError::Damaged(format!("value {lit:.40}: {e}")))?;
    match (v.pop(), v.is_empty()) {
        (Some(value), true) => Ok(value),
        _ => Err(SyncError::Damaged(format!("not one value: {lit:.40}"))),
    }
}
