//! A feature as it was after an earlier op of the journal, and putting that
//! version back as a new edit.

use super::change::{Applied, Change, Edit, Mode};
use super::editor::{Editor, PHOTOS};
use super::{rows, EditError};
use crate::gpkg::Value;
use rusqlite::Connection;

use crate::journal::{read_history, HistoryFilter, Op, OpKind, Row};

/// The feature's row just after journal op `seq` (`None` if it did not exist
/// then): the current row with every later op taken back, newest first.
/// Fields whose earlier value the journal does not know keep today's value.
pub fn version_after(editor: &Editor, layer: &str, uid: &str, seq: i64) -> Result<Option<Row>, EditError> {
    let conn = editor.gpkg().connection();
    let mut row = rows::read(conn, layer, uid)?.map(|(_, r)| r);
    let ops = own_history(conn, layer, uid)?;
    for op in ops.iter().rev().filter(|o| o.seq.is_some_and(|s| s > seq)) {
        match op.kind {
            OpKind::Insert => row = None,
            OpKind::Delete => row = op.before(),
            OpKind::Update => {
                if let Some(r) = row.as_mut() {
                    for f in &op.fields {
                        if let Some(old) = &f.old {
                            r.insert(f.field.clone(), old.clone());
                        }
                    }
                }
            }
        }
    }
    Ok(row)
}

/// The ops of the feature itself, oldest first (not those of its photos).
fn own_history(conn: &Connection, layer: &str, uid: &str) -> Result<Vec<Op>, EditError> {
    let ops = read_history(
        conn,
        &HistoryFilter {
            uid: Some(uid.to_string()),
            layer: Some(layer.to_string()),
            ..Default::default()
        },
    )?;
    Ok(ops.into_iter().filter(|o| o.uid == uid).collect())
}

impl Editor {
    /// The bytes of a removed photo whose row is `row` (the journal does not
    /// keep them): from the archive of removed photos.
    fn removed_photo_bytes(&self, row: &Row) -> Result<Vec<u8>, EditError> {
        let sha = match row.get("sha256") {
            Some(Value::Text(s)) => s.clone(),
            _ => String::new(),
        };
        super::photo::bytes_of(self.gpkg().connection(), &sha)?.ok_or_else(|| EditError::BadPhoto {
            th: "ไฟล์ไม่มีข้อมูลรูปนี้แล้ว (ถูกลบก่อนที่ไฟล์จะเก็บรูปที่ลบไว้)".into(),
            en: "the file no longer has this photo's bytes (it was removed before the file kept removed photos)".into(),
        })
    }

    /// The features the edit that deleted `uid` removed along with it that
    /// referred to it (a pole's lamps, a feature's photos) and are still
    /// gone, each as it was just before: what a restore of `uid` brings back too.
    fn deleted_with(&self, layer: &str, uid: &str) -> Result<Vec<(String, String, Row)>, EditError> {
        let conn = self.gpkg().connection();
        let own = own_history(conn, layer, uid)?;
        let Some(delete) = own.iter().rev().find(|o| o.kind == OpKind::Delete) else {
            return Ok(Vec::new());
        };
        let same_edit = read_history(
            conn,
            &HistoryFilter {
                edit_id: Some(delete.edit_id.clone()),
                ..Default::default()
            },
        )?;
        let reference = Value::Text(uid.to_string());
        let mut out = Vec::new();
        for op in same_edit.iter().filter(|o| o.kind == OpKind::Delete && o.uid != uid) {
            let Some(before) = op.before() else { continue };
            let refers = before.values().any(|v| crate::journal::same_value(v, &reference));
            if refers && rows::read(conn, &op.layer, &op.uid)?.is_none() {
                out.push((op.layer.clone(), op.uid.clone(), before));
            }
        }
        Ok(out)
    }

    /// Puts the feature back as it was after journal op `seq`: a new edit,
    /// recorded and undoable like any other. A deleted feature comes back
    /// with what its delete took along and is still gone ([`Self::deleted_with`]).
    pub fn restore(&mut self, layer: &str, uid: &str, seq: i64) -> Result<Applied, EditError> {
        let target = version_after(self, layer, uid, seq)?;
        let current = rows::read(self.gpkg().connection(), layer, uid)?.map(|(_, r)| r);
        let label = "คืนค่าฉบับก่อนหน้า".to_string();
        // Photos have no updated_at/updated_by: a photo is replaced, not edited.
        let stamp = |layer: &str, row: &mut Row, user: &str| {
            if layer != PHOTOS {
                row.insert("updated_at".into(), crate::gpkg::timestamp_now().into());
                row.insert("updated_by".into(), user.into());
            }
        };
        let user = self.actor().user.clone();
        let change = match (target, current) {
            (None, None) => {
                return Err(EditError::NotFound {
                    layer: layer.into(),
                    uid: uid.into(),
                })
            }
            (None, Some(_)) => Change::Delete {
                layer: layer.into(),
                uid: uid.into(),
            },
            (Some(t), None) => {
                // What the same delete took along (a pole's lamps, a feature's
                // photos) comes back with it, in the same edit.
                let mut changes = Vec::new();
                for (layer, uid, mut row) in
                    std::iter::once((layer.to_string(), uid.to_string(), t)).chain(self.deleted_with(layer, uid)?)
                {
                    if layer == PHOTOS {
                        row.insert("data".into(), Value::Blob(self.removed_photo_bytes(&row)?));
                    }
                    stamp(&layer, &mut row, &user);
                    changes.push(Change::Insert {
                        layer,
                        uid: Some(uid),
                        values: row,
                        geometry: None,
                    });
                }
                return self.apply(&Edit {
                    label,
                    mode: Mode::Exact,
                    changes,
                });
            }
            (Some(t), Some(c)) => {
                let mut set: Row = t
                    .iter()
                    .filter(|(k, v)| c.get(*k).is_none_or(|cv| !crate::journal::same_value(cv, v)))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                for k in c.keys().filter(|k| !t.contains_key(*k)) {
                    set.insert(k.clone(), Value::Null);
                }
                stamp(layer, &mut set, &user);
                let expect = c;
                Change::Update {
                    layer: layer.into(),
                    uid: uid.into(),
                    values: set,
                    geometry: None,
                    expect,
                }
            }
        };
        self.apply(&Edit {
            label,
            mode: Mode::Exact,
            changes: vec![change],
        })
    }
}
