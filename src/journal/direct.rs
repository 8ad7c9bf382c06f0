//! Recording changes whose ops are already known, without the capture
//! triggers. A sync import writes thousands of rows it knows the old and new
//! values of; quoting every column of each in a trigger and parsing it back
//! would cost it most of its time.
//!
//! The capture triggers of the tables written are dropped for the duration
//! and created again after, inside the caller's transaction: no other
//! connection can write (or see them missing) before it commits, and a
//! failure rolls their removal back with everything else.

use std::collections::{BTreeMap, BTreeSet};

use rusqlite::Connection;

use super::capture::{install_triggers, journaled_table};
use super::store::{self, append_field, append_head, Head};
use super::{Hlc, JournalError, OpKind, Received};
use crate::gpkg::quote_ident;

/// A change the caller has written itself, to be journaled as it says.
#[derive(Debug)]
pub struct KnownOp<'a> {
    /// Who made it; its op id is used as is.
    pub author: &'a Received<'a>,
    pub layer: &'a str,
    pub uid: &'a str,
    pub kind: OpKind,
    /// Field, old and new value, as [`super::literal`] writes them.
    pub fields: Vec<(&'a str, Option<&'a str>, Option<&'a str>)>,
    /// The feature's whole row after the change as its non-NULL values'
    /// literals (`None` once deleted), for the fingerprint `journal check`
    /// compares with.
    pub after: Option<&'a BTreeMap<String, String>>,
}

/// The journal while the capture triggers of some tables are off.
pub struct Uncaptured<'c> {
    conn: &'c Connection,
    hlc: Hlc,
    /// The fingerprint of each feature recorded, written in key order at
    /// the end (a feature changed twice is written once, and ordered
    /// writes touch each page of the table once).
    hashes: BTreeMap<(String, String), Option<Vec<u8>>>,
}

impl Uncaptured<'_> {
    /// Journals a change already written; returns its position.
    pub fn record(&mut self, op: &KnownOp) -> Result<i64, JournalError> {
        let seq = append_head(
            self.conn,
            &Head {
                author: op.author.clone(),
                layer: op.layer,
                uid: op.uid,
                kind: op.kind,
            },
        )?;
        for (field, old, new) in &op.fields {
            append_field(self.conn, seq, field, *old, *new)?;
        }
        let hash = op
            .after
            .map(|row| store::literals_hash(row.iter().map(|(n, l)| (n.as_str(), l.as_str()))));
        self.hashes.insert((op.layer.to_string(), op.uid.to_string()), hash);
        self.hlc = self.hlc.max(op.author.hlc);
        Ok(seq)
    }
}

/// Runs `f` with the capture triggers of `tables` dropped, then creates
/// them again and moves this file's clock past every op recorded. Writes to
/// those tables inside `f` are journaled only through
/// [`Uncaptured::record`]; the caller's transaction must not commit if this
/// returns an error.
pub fn without_capture<T, E: From<JournalError>>(
    conn: &Connection,
    tables: &[&str],
    f: impl FnOnce(&mut Uncaptured) -> Result<T, E>,
) -> Result<T, E> {
    let mut journaled = Vec::new();
    for table in tables.iter().collect::<BTreeSet<_>>() {
        journaled.extend(journaled_table(conn, table)?);
    }
    for t in &journaled {
        for op in ["insert", "update", "delete"] {
            conn.execute_batch(&format!(
                "DROP TRIGGER IF EXISTS {}",
                quote_ident(&format!("tongtin_capture_{}_{op}", t.table))
            ))
            .map_err(JournalError::from)?;
        }
    }
    let mut journal = Uncaptured {
        conn,
        hlc: store::last_hlc(conn)?,
        hashes: BTreeMap::new(),
    };
    let out = f(&mut journal);
    for ((layer, uid), hash) in std::mem::take(&mut journal.hashes) {
        store::set_hash(conn, &layer, &uid, hash)?;
    }
    for t in &journaled {
        install_triggers(conn, t)?;
    }
    store::save_hlc(conn, journal.hlc)?;
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gpkg::Value;
    use crate::journal::{read_history, HistoryFilter, Origin};

    fn file() -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE gpkg_contents (table_name TEXT, data_type TEXT);
             INSERT INTO gpkg_contents VALUES ('poles', 'attributes');
             CREATE TABLE poles (fid INTEGER PRIMARY KEY, uid TEXT UNIQUE, status TEXT);
             INSERT INTO poles (uid, status) VALUES ('p1', 'normal');",
        )
        .unwrap();
        crate::journal::install(&conn, &crate::progress::Silent).unwrap();
        conn
    }

    #[test]
    fn a_known_change_is_journaled_once_and_the_triggers_come_back() {
        let conn = file();
        let author = Received {
            op_id: "op-1",
            edit_id: "edit-1",
            hlc: Hlc(1 << 40),
            user: "somchai",
            device: "pc-2",
            origin: Origin::Package,
        };
        let after: BTreeMap<String, String> = [
            ("uid".to_string(), "'p1'".to_string()),
            ("status".to_string(), "'damaged'".to_string()),
        ]
        .into();
        without_capture(&conn, &["poles"], |j| -> Result<_, JournalError> {
            conn.execute("UPDATE poles SET status = 'damaged' WHERE uid = 'p1'", [])?;
            j.record(&KnownOp {
                author: &author,
                layer: "poles",
                uid: "p1",
                kind: OpKind::Update,
                fields: vec![("status", Some("'normal'"), Some("'damaged'"))],
                after: Some(&after),
            })
        })
        .unwrap();
        let ops = read_history(&conn, &HistoryFilter::default()).unwrap();
        assert_eq!(ops.len(), 1);
        assert_eq!((ops[0].op_id.as_str(), ops[0].origin), ("op-1", Origin::Package));
        assert_eq!(ops[0].fields[0].new, Some(Value::Text("damaged".into())));
        assert!(store::last_hlc(&conn).unwrap() >= Hlc(1 << 40));
        let hash: Vec<u8> = conn
            .query_row("SELECT hash FROM tongtin_journal_state WHERE uid = 'p1'", [], |r| {
                r.get(0)
            })
            .unwrap();
        let row: crate::journal::Row = [
            ("uid".to_string(), Value::Text("p1".into())),
            ("status".to_string(), Value::Text("damaged".into())),
        ]
        .into();
        assert_eq!(hash, store::row_hash(&row), "journal check sees the row as journaled");

        conn.execute("UPDATE poles SET status = 'normal' WHERE uid = 'p1'", [])
            .unwrap();
        let captured: i64 = conn
            .query_row("SELECT count(*) FROM tongtin_capture", [], |r| r.get(0))
            .unwrap();
        assert_eq!(captured, 1, "the capture triggers are back");
    }
}
