//! Writing ops into the journal tables and reading them back.

use rusqlite::{params, Connection, OptionalExtension};
use sha2::{Digest, Sha256};

use super::literal::{literal, parse_list};
use super::op::{FieldChange, Op, OpKind, Origin, Row};
use super::{Hlc, JournalError, Received};
use crate::gpkg::Value;
use crate::model::META_TABLE;

const HLC_KEY: &str = "journal_hlc";

/// The fingerprint of a row the journal keeps to notice uncaptured edits:
/// 128 bits of SHA-256 over its non-NULL values in name order.
pub fn row_hash(row: &Row) -> Vec<u8> {
    let literals: Vec<(&str, String)> = row
        .iter()
        .filter(|(_, v)| !v.is_null())
        .map(|(name, value)| (name.as_str(), literal(value)))
        .collect();
    literals_hash(literals.iter().map(|(n, l)| (*n, l.as_str())))
}

/// [`row_hash`] of a row given as its non-NULL values' literals, in name
/// order, as [`literal`] writes them.
pub fn literals_hash<'a>(literals: impl Iterator<Item = (&'a str, &'a str)>) -> Vec<u8> {
    let mut h = Sha256::new();
    for (name, literal) in literals {
        h.update(name.as_bytes());
        h.update([0]);
        h.update(literal.as_bytes());
        h.update([0]);
    }
    h.finalize()[..16].to_vec()
}

/// The last timestamp the journal handed out.
pub fn last_hlc(conn: &Connection) -> Result<Hlc, JournalError> {
    let text: Option<String> = conn
        .query_row(
            &format!("SELECT value FROM {META_TABLE} WHERE key = ?1"),
            [HLC_KEY],
            |r| r.get(0),
        )
        .optional()?;
    Ok(Hlc(text.and_then(|t| t.parse().ok()).unwrap_or(0)))
}

pub fn save_hlc(conn: &Connection, hlc: Hlc) -> Result<(), JournalError> {
    conn.execute(
        &format!("INSERT OR REPLACE INTO {META_TABLE} (key, value) VALUES (?1, ?2)"),
        params![HLC_KEY, hlc.0.to_string()],
    )?;
    Ok(())
}

/// The journal's last position (0 when empty).
pub fn last_seq(conn: &Connection) -> Result<i64, JournalError> {
    Ok(conn.query_row("SELECT coalesce(max(seq), 0) FROM tongtin_journal", [], |r| r.get(0))?)
}

/// Appends `op` to the journal and returns its sequence number.
pub fn append(conn: &Connection, op: &Op) -> Result<i64, JournalError> {
    let seq = append_head(conn, &Head::of(op))?;
    for f in &op.fields {
        append_field(
            conn,
            seq,
            &f.field,
            f.old.as_ref().map(literal).as_deref(),
            f.new.as_ref().map(literal).as_deref(),
        )?;
    }
    Ok(seq)
}

/// An op without its fields, as the journal's head row keeps it.
pub(super) struct Head<'a> {
    pub author: Received<'a>,
    pub layer: &'a str,
    pub uid: &'a str,
    pub kind: OpKind,
}

impl<'a> Head<'a> {
    fn of(op: &'a Op) -> Head<'a> {
        Head {
            author: Received {
                op_id: &op.op_id,
                edit_id: &op.edit_id,
                hlc: op.hlc,
                user: &op.user,
                device: &op.device,
                origin: op.origin,
            },
            layer: &op.layer,
            uid: &op.uid,
            kind: op.kind,
        }
    }
}

pub(super) fn append_head(conn: &Connection, head: &Head) -> Result<i64, JournalError> {
    conn.prepare_cached(
        "INSERT INTO tongtin_journal (op_id, edit_id, hlc, user, device, origin, layer, uid, kind) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        head.author.op_id,
        head.author.edit_id,
        head.author.hlc.0,
        head.author.user,
        head.author.device,
        head.author.origin.as_str(),
        head.layer,
        head.uid,
        head.kind.as_str()
    ])?;
    Ok(conn.last_insert_rowid())
}

/// One field of the op at `seq`, its values as literals.
pub(super) fn append_field(
    conn: &Connection,
    seq: i64,
    field: &str,
    old: Option<&str>,
    new: Option<&str>,
) -> Result<(), JournalError> {
    conn.prepare_cached("INSERT INTO tongtin_journal_fields (seq, field, old, new) VALUES (?1, ?2, ?3, ?4)")?
        .execute(params![seq, field, old, new])?;
    Ok(())
}

/// Records the row a feature now has (or that it is gone).
pub fn set_state(conn: &Connection, layer: &str, uid: &str, row: Option<&Row>) -> Result<(), JournalError> {
    set_hash(conn, layer, uid, row.map(row_hash))
}

/// Records the fingerprint of the row a feature now has (`None`: it is gone).
pub(super) fn set_hash(conn: &Connection, layer: &str, uid: &str, hash: Option<Vec<u8>>) -> Result<(), JournalError> {
    match hash {
        Some(h) => conn
            .prepare_cached("INSERT OR REPLACE INTO tongtin_journal_state (layer, uid, hash) VALUES (?1, ?2, ?3)")?
            .execute(params![layer, uid, h])?,
        None => conn
            .prepare_cached("DELETE FROM tongtin_journal_state WHERE layer = ?1 AND uid = ?2")?
            .execute(params![layer, uid])?,
    };
    Ok(())
}

/// Which ops [`read`] returns; every filter given must match.
#[derive(Clone, Debug, Default)]
pub struct HistoryFilter {
    pub uid: Option<String>,
    pub layer: Option<String>,
    pub user: Option<String>,
    /// Ops at or after this time (Unix milliseconds).
    pub since_millis: Option<i64>,
    /// Ops before this time (Unix milliseconds).
    pub until_millis: Option<i64>,
    /// The newest this many (all when `None`), still returned oldest first.
    pub limit: Option<usize>,
    /// Ops after this position of the journal.
    pub after_seq: Option<i64>,
    /// Leave out ops of this origin.
    pub not_origin: Option<Origin>,
    /// Only the ops of this edit (one user action). Not indexed: for rare
    /// lookups such as a restore.
    pub edit_id: Option<String>,
}

/// Journal ops matching `filter`, oldest first.
pub fn read(conn: &Connection, filter: &HistoryFilter) -> Result<Vec<Op>, JournalError> {
    let mut clauses = Vec::new();
    let mut args: Vec<rusqlite::types::Value> = Vec::new();
    if let Some(u) = &filter.uid {
        args.push(u.clone().into());
        let n = args.len();
        args.push(literal(&Value::Text(u.clone())).into());
        // A feature's history includes the photos attached to it (or removed).
        clauses.push(format!(
            "(uid = ?{n} OR seq IN (SELECT seq FROM tongtin_journal_fields WHERE field = 'feature_uid' AND (new = ?{m} OR old = ?{m})))",
            m = n + 1
        ));
    }
    if let Some(l) = &filter.layer {
        args.push(l.clone().into());
        clauses.push(format!("layer = ?{}", args.len()));
    }
    if let Some(u) = &filter.user {
        args.push(u.clone().into());
        clauses.push(format!("user = ?{}", args.len()));
    }
    if let Some(s) = filter.since_millis {
        args.push(Hlc::new(s, 0).0.into());
        clauses.push(format!("hlc >= ?{}", args.len()));
    }
    if let Some(s) = filter.after_seq {
        args.push(s.into());
        clauses.push(format!("seq > ?{}", args.len()));
    }
    if let Some(e) = &filter.edit_id {
        args.push(e.clone().into());
        clauses.push(format!("edit_id = ?{}", args.len()));
    }
    if let Some(o) = filter.not_origin {
        args.push(o.as_str().to_string().into());
        clauses.push(format!("origin != ?{}", args.len()));
    }
    if let Some(s) = filter.until_millis {
        args.push(Hlc::new(s, 0).0.into());
        clauses.push(format!("hlc < ?{}", args.len()));
    }
    let whr = if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    };
    let limit = filter.limit.map_or(String::new(), |n| format!("LIMIT {n}"));
    let sql = format!(
        "SELECT * FROM (SELECT seq, op_id, edit_id, hlc, user, device, origin, layer, uid, kind FROM tongtin_journal {whr} ORDER BY seq DESC {limit}) ORDER BY seq"
    );
    let mut stmt = conn.prepare(&sql)?;
    type Head = (i64, String, String, i64, String, String, String, String, String, String);
    let heads: Vec<Head> = stmt
        .query_map(rusqlite::params_from_iter(args), |r| r.try_into())?
        .collect::<Result<_, _>>()?;
    let mut fields =
        conn.prepare_cached("SELECT field, old, new FROM tongtin_journal_fields WHERE seq = ?1 ORDER BY field")?;
    let mut out = Vec::with_capacity(heads.len());
    for (seq, op_id, edit_id, hlc, user, device, origin, layer, uid, kind) in heads {
        let damaged = |what: &str| JournalError::Damaged {
            what: format!("journal op {seq}: {what}"),
        };
        let rows: Vec<(String, Option<String>, Option<String>)> = fields
            .query_map([seq], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<Result<_, _>>()?;
        let one = |text: Option<String>| -> Result<Option<Value>, JournalError> {
            text.map(|t| {
                let mut v = parse_list(&t).map_err(|e| damaged(&e.to_string()))?;
                if v.len() == 1 {
                    Ok(v.remove(0))
                } else {
                    Err(damaged("a field holds more than one value"))
                }
            })
            .transpose()
        };
        let fields = rows
            .into_iter()
            .map(|(field, old, new)| {
                Ok(FieldChange {
                    field,
                    old: one(old)?,
                    new: one(new)?,
                })
            })
            .collect::<Result<Vec<_>, JournalError>>()?;
        out.push(Op {
            seq: Some(seq),
            op_id,
            edit_id,
            hlc: Hlc(hlc),
            user,
            device,
            origin: Origin::parse(&origin).ok_or_else(|| damaged("unknown origin"))?,
            layer,
            uid,
            kind: OpKind::parse(&kind).ok_or_else(|| damaged("unknown kind"))?,
            fields,
        });
    }
    Ok(out)
}
