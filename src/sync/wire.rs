//! The sync wire format, version [`WIRE_VERSION`]: what a client pushes, what
//! it pulls, and the conflicts both sides keep. The same structures are the
//! body of HTTP requests (JSON, gzip) and of sync package files.
//!
//! Values are SQL literals as the journal stores them (`quote()` form), so a
//! REAL keeps every bit and a BLOB every byte across the wire.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::journal::{parse_list, OpKind};

/// The version of the wire format. A peer that sends a newer one is told to
/// update; one that sends an older one is told so in its own terms.
pub const WIRE_VERSION: u32 = 1;

/// A row as sync sees it: field name to SQL literal, NULL fields left out.
pub type LiteralRow = BTreeMap<String, String>;

/// The literal of an SQL NULL.
pub const NULL: &str = "NULL";

/// One field of an op on the wire: `old` is the value the author's file had
/// (the common base of a three-way merge), `None` where unknown or for an
/// insert; `new` is `None` for a delete.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WireField {
    pub field: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new: Option<String>,
}

/// One journal op on the wire.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WireOp {
    pub op_id: String,
    pub edit_id: String,
    pub hlc: i64,
    pub user: String,
    pub device: String,
    pub layer: String,
    pub uid: String,
    pub kind: OpKind,
    pub fields: Vec<WireField>,
    /// Conflicts this op settles (a person's choice in the conflict list).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resolves: Vec<String>,
}

impl WireOp {
    /// Who made the op, when: what a merge compares to pick a side.
    pub fn stamp(&self) -> Stamp {
        Stamp {
            hlc: self.hlc,
            device: self.device.clone(),
            user: self.user.clone(),
            op_id: self.op_id.clone(),
            edit_id: self.edit_id.clone(),
        }
    }

    /// The SHA-256 digests of the attachments the op needs (a photo's bytes).
    pub fn blob_refs(&self) -> Vec<String> {
        if self.layer != PHOTO_TABLE || self.kind == OpKind::Delete {
            return Vec::new();
        }
        self.fields
            .iter()
            .filter(|f| f.field == "sha256")
            .filter_map(|f| f.new.as_deref())
            .filter_map(|lit| match parse_list(lit).ok()?.pop()? {
                crate::gpkg::Value::Text(t) => Some(t),
                _ => None,
            })
            .collect()
    }

    /// Problems that make the op unusable, all of them (empty when sound).
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut need = |ok: bool, what: &str| {
            if !ok {
                out.push(format!("op {}: {what}", self.op_id));
            }
        };
        need(
            !self.op_id.is_empty() && self.op_id.len() <= 64,
            "op id missing or too long",
        );
        need(!self.uid.is_empty() && self.uid.len() <= 64, "uid missing or too long");
        need(is_identifier(&self.layer), "layer name is not a plain identifier");
        need(
            !self.fields.is_empty() || !self.resolves.is_empty() || self.kind == OpKind::Delete,
            "no fields",
        );
        for f in &self.fields {
            need(is_identifier(&f.field), "field name is not a plain identifier");
            for lit in [&f.old, &f.new].into_iter().flatten() {
                need(parse_list(lit).is_ok_and(|v| v.len() == 1), "unreadable value");
            }
        }
        out
    }
}

/// A table or column name sync accepts: ASCII letters, digits and `_`.
pub fn is_identifier(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 63
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        && !name.as_bytes()[0].is_ascii_digit()
}

/// The journaled table whose rows reference attachments by SHA-256.
pub const PHOTO_TABLE: &str = "tongtin_photos";

/// The last writer of a value.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    pub hlc: i64,
    pub device: String,
    pub user: String,
    pub op_id: String,
    /// The user action the op belongs to (empty where not known: states
    /// stored before it was kept).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub edit_id: String,
}

impl Stamp {
    /// Whether `self` was written after `other`: the later clock, the device
    /// name breaking a tie, so every replica picks the same side.
    pub fn later_than(&self, other: &Stamp) -> bool {
        (self.hlc, &self.device, &self.op_id) > (other.hlc, &other.device, &other.op_id)
    }
}

/// What a client sends: its ops not yet acknowledged, oldest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushRequest {
    pub wire: u32,
    /// The data-model version of the client's file.
    pub model_version: u32,
    pub device: String,
    pub ops: Vec<WireOp>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushResponse {
    pub wire: u32,
    /// Ops applied now.
    pub accepted: u64,
    /// Ops the hub already had (a retry): applied before, not again.
    pub duplicates: u64,
    /// Conflicts the push raised.
    pub conflicts: Vec<Conflict>,
    /// The hub's log position after the push.
    pub last_seq: i64,
}

/// What a client gets: the hub's log after its cursor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PullResponse {
    pub wire: u32,
    pub model_version: u32,
    pub entries: Vec<Entry>,
    /// The hub's last log position (the cursor to keep once all is pulled).
    pub last_seq: i64,
    /// Whether more entries follow this page.
    pub more: bool,
}

/// The hub's answer to "is there anything to sync?".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Status {
    pub wire: u32,
    pub model_version: u32,
    pub last_seq: i64,
}

/// One position of the hub's log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub seq: i64,
    /// The op that caused the entry.
    pub op_id: String,
    pub stamp: Stamp,
    pub layer: String,
    pub uid: String,
    pub change: EntryChange,
}

impl Entry {
    /// The entry at `seq` that `op` caused.
    pub fn of(seq: i64, op: &WireOp, change: &EntryChange) -> Entry {
        Entry {
            seq,
            op_id: op.op_id.clone(),
            stamp: op.stamp(),
            layer: op.layer.clone(),
            uid: op.uid.clone(),
            change: change.clone(),
        }
    }
}

/// What an entry says. Feature entries carry the whole row the hub now has,
/// so a client that applies them in order holds the hub's data exactly,
/// whatever the merge decided.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EntryChange {
    Upsert { row: LiteralRow },
    Delete,
    Conflict { conflict: Box<Conflict> },
    Resolved { conflict_id: String },
}

/// Two edits that did not agree. Both sides' values are kept; `kept` says
/// which one the default policy left in the data until a person decides.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conflict {
    /// Derived from the op that raised it and the field, so the same
    /// conflict raised twice (a retried push) has the same id.
    pub id: String,
    pub layer: String,
    pub uid: String,
    pub kind: ConflictKind,
    /// The field, for a field conflict.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The value both sides started from, where known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<String>,
    /// What the receiving side (the hub, or the file importing a package) had.
    pub ours: Side,
    /// What arrived.
    pub theirs: Side,
    pub kept: Kept,
    /// For a delete withdrawn with the rest of its user action: the feature
    /// whose keeping kept this one (a lamp kept with its pole).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kept_with: Option<FeatureRef>,
}

/// A feature by its layer and uid.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeatureRef {
    pub layer: String,
    pub uid: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConflictKind {
    /// The same field changed to different values on both sides.
    Field,
    /// An edit arrived for a feature the other side had deleted.
    EditDeleted,
    /// A delete arrived for a feature the other side had changed.
    DeleteEdited,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kept {
    Ours,
    Theirs,
}

/// One side of a conflict: its value (a field conflict), or its whole row
/// (`None` when that side deleted the feature), and who wrote it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Side {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub row: Option<LiteralRow>,
    pub stamp: Stamp,
}

/// A wire message that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum WireError {
    /// Sent by a newer Tongtin.
    #[error("the peer speaks sync format {found}, newer than this Tongtin ({supported}); update Tongtin / รูปแบบการซิงก์ใหม่กว่าโปรแกรมนี้ กรุณาปรับรุ่นโปรแกรม")]
    Newer { found: u32, supported: u32 },
    /// Sent by an older Tongtin.
    #[error("the peer speaks sync format {found}, older than this Tongtin ({supported}); update the older side / อีกฝั่งใช้โปรแกรมรุ่นเก่า กรุณาปรับรุ่น")]
    Older { found: u32, supported: u32 },
    /// Larger than the limit once decompressed.
    #[error("the message is larger than {limit} bytes")]
    TooLarge { limit: u64 },
    /// Not gzip, not JSON, or not the expected structure.
    #[error("malformed sync message: {0}")]
    Malformed(String),
}

/// Checks a peer's wire version.
pub fn check_version(found: u32) -> Result<(), WireError> {
    match found.cmp(&WIRE_VERSION) {
        std::cmp::Ordering::Greater => Err(WireError::Newer {
            found,
            supported: WIRE_VERSION,
        }),
        std::cmp::Ordering::Less => Err(WireError::Older {
            found,
            supported: WIRE_VERSION,
        }),
        std::cmp::Ordering::Equal => Ok(()),
    }
}

/// JSON, gzip-compressed.
pub fn encode<T: Serialize>(message: &T) -> Vec<u8> {
    use std::io::Write;
    // Serialised whole first: serde_json writes in fragments of a few bytes,
    // and flate2 clears its output buffer on every write it is handed.
    let json = serde_json::to_vec(message).expect("sync messages serialise");
    let mut gz = flate2::write::GzEncoder::new(Vec::with_capacity(json.len() / 4), flate2::Compression::fast());
    gz.write_all(&json).expect("writing to memory");
    gz.finish().expect("writing to memory")
}

/// Reads what [`encode`] wrote, refusing more than `limit` bytes of JSON
/// (a small gzip body can expand enormously).
pub fn decode<T: serde::de::DeserializeOwned>(body: &[u8], limit: u64) -> Result<T, WireError> {
    use std::io::Read;
    let mut json = Vec::new();
    flate2::read::GzDecoder::new(body)
        .take(limit + 1)
        .read_to_end(&mut json)
        .map_err(|e| WireError::Malformed(format!("not gzip: {e}")))?;
    if json.len() as u64 > limit {
        return Err(WireError::TooLarge { limit });
    }
    serde_json::from_slice(&json).map_err(|e| WireError::Malformed(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_round_trip_and_oversized_ones_are_refused() {
        let push = PushRequest {
            wire: WIRE_VERSION,
            model_version: 2,
            device: "pc-1".into(),
            ops: vec![WireOp {
                op_id: "a".into(),
                edit_id: "e".into(),
                hlc: 7,
                user: "somchai".into(),
                device: "pc-1".into(),
                layer: "poles".into(),
                uid: "u".into(),
                kind: OpKind::Update,
                fields: vec![WireField {
                    field: "status".into(),
                    old: Some("'normal'".into()),
                    new: Some("'damaged'".into()),
                }],
                resolves: vec![],
            }],
        };
        let bytes = encode(&push);
        assert_eq!(decode::<PushRequest>(&bytes, 1 << 20).unwrap(), push);
        assert!(matches!(
            decode::<PushRequest>(&bytes, 10),
            Err(WireError::TooLarge { .. })
        ));
        assert!(matches!(
            decode::<PushRequest>(b"{}", 100),
            Err(WireError::Malformed(_))
        ));
        assert!(push.ops[0].problems().is_empty());
    }

    #[test]
    fn unsound_ops_are_described() {
        let op = WireOp {
            op_id: String::new(),
            edit_id: "e".into(),
            hlc: 1,
            user: "u".into(),
            device: "d".into(),
            layer: "poles; DROP TABLE x".into(),
            uid: "u".into(),
            kind: OpKind::Update,
            fields: vec![WireField {
                field: "status".into(),
                old: None,
                new: Some("'unterminated".into()),
            }],
            resolves: vec![],
        };
        assert_eq!(op.problems().len(), 3);
    }

    #[test]
    fn versions_are_checked_both_ways() {
        assert!(check_version(WIRE_VERSION).is_ok());
        assert!(matches!(check_version(WIRE_VERSION + 1), Err(WireError::Newer { .. })));
        assert!(matches!(check_version(0), Err(WireError::Older { .. })));
    }
}
