//! A person's decision on a conflict: the chosen value becomes an ordinary
//! edit of the file (journaled, undoable, synced), and the decision itself
//! an op that closes the conflict on the hub and every other file.

use std::collections::BTreeSet;
use std::path::Path;

use serde::Serialize;

use super::error::SyncError;
use super::local::{self, KnownConflict};
use super::wire::{ConflictKind, Kept, Side};
use crate::edit::{Change, Edit, Editor, Mode};
use crate::geom::decode_blob;
use crate::gpkg::Value;
use crate::journal::{self, parse_list, Actor, Row};
use crate::model::schema;

/// Which value a person keeps.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Take {
    /// The side made on this device; when neither side was, the side the
    /// data holds now.
    Mine,
    /// The other side.
    Theirs,
    /// A value typed by the person (a field conflict only), as a form takes it.
    Value(String),
}

impl Take {
    pub fn parse(text: &str) -> Take {
        match text {
            "mine" => Take::Mine,
            "theirs" => Take::Theirs,
            other => Take::Value(other.to_string()),
        }
    }
}

/// What a resolution did.
#[derive(Debug, Serialize)]
pub struct Resolution {
    pub conflict_id: String,
    /// Whether the file's data changed (else the kept value already stood).
    pub changed: bool,
    /// The op that records the decision.
    pub op_id: String,
    /// Other open conflicts of the feature the decision settled: fields
    /// that follow a position (village, elevation, length) derived again
    /// from the position chosen.
    pub settled_with: Vec<String>,
}

/// Settles the open conflict `id` in the file at `path`.
pub fn resolve(path: &Path, id: &str, take: &Take, actor: &Actor) -> Result<Resolution, SyncError> {
    let gpkg = super::open_for_sync(path, actor)?;
    let known = local::conflicts(gpkg.connection(), false)?
        .into_iter()
        .find(|c| c.conflict.id == id)
        .ok_or_else(|| SyncError::NoConflict(id.to_string()))?;
    drop(gpkg);
    let chosen = choose(&known, take, &actor.device)?;
    let mut editor = Editor::open(path, actor.clone())?;
    let c = &known.conflict;
    let geometry = crate::edit::geometry_column(editor.gpkg().connection(), &c.layer)?.map(|(name, _)| name);
    let mut derived = BTreeSet::new();
    let changed = match (&c.kind, chosen) {
        (ConflictKind::Field, Choice::Value(value)) if c.field.is_some() && c.field == geometry => {
            derived = move_to(
                &mut editor,
                &c.layer,
                &c.uid,
                c.field.as_deref().unwrap_or_default(),
                value,
            )?;
            !derived.is_empty()
        }
        (ConflictKind::Field, Choice::Value(value)) => {
            let field = c.field.clone().unwrap_or_default();
            set_field(&mut editor, &c.layer, &c.uid, &field, value)?
        }
        (_, Choice::Deleted) => delete(&mut editor, &c.layer, &c.uid)?,
        (_, Choice::Row(row)) => restore_row(&mut editor, &c.layer, &c.uid, &row)?,
        (_, Choice::Value(_)) => {
            return Err(SyncError::BadChoice(
                "a whole-feature conflict takes mine or theirs".into(),
            ))
        }
    };
    drop(editor);
    let mut gpkg = super::open_for_sync(path, actor)?;
    let settled_with: Vec<KnownConflict> = local::conflicts(gpkg.connection(), false)?
        .into_iter()
        .filter(|k| {
            let o = &k.conflict;
            o.id != c.id
                && (o.layer.as_str(), o.uid.as_str()) == (c.layer.as_str(), c.uid.as_str())
                && o.field.as_ref().is_some_and(|f| derived.contains(f))
        })
        .collect();
    let op_id = uuid::Uuid::new_v4().to_string();
    gpkg.write(|b| -> Result<(), SyncError> {
        let conn = b.sql();
        let record = |id: &str, op_id: &str, raised_hlc: i64| -> Result<(), SyncError> {
            let hlc = journal::Hlc::default().tick(journal::wall_millis()).max(journal::Hlc(raised_hlc + 1));
            conn.execute(
                "INSERT INTO tongtin_sync_resolutions (op_id, conflict_id, layer, uid, hlc, user, device) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                rusqlite::params![op_id, id, c.layer, c.uid, hlc.0, actor.user, actor.device],
            )?;
            local::mark_resolved(conn, id, op_id)?;
            Ok(())
        };
        record(&c.id, &op_id, known.raised_hlc)?;
        for k in &settled_with {
            record(&k.conflict.id, &uuid::Uuid::new_v4().to_string(), k.raised_hlc)?;
        }
        Ok(())
    })?;
    Ok(Resolution {
        conflict_id: c.id.clone(),
        changed,
        op_id,
        settled_with: settled_with.into_iter().map(|k| k.conflict.id).collect(),
    })
}

enum Choice {
    Value(Value),
    Deleted,
    Row(Row),
}

fn choose(known: &KnownConflict, take: &Take, device: &str) -> Result<Choice, SyncError> {
    let c = &known.conflict;
    let (mine, theirs) = if c.theirs.stamp.device == device {
        (&c.theirs, &c.ours)
    } else if c.ours.stamp.device == device {
        (&c.ours, &c.theirs)
    } else if c.kept == Kept::Theirs {
        (&c.theirs, &c.ours)
    } else {
        (&c.ours, &c.theirs)
    };
    let side = |s: &Side| -> Result<Choice, SyncError> {
        if c.kind == ConflictKind::Field {
            let lit = s.value.as_deref().unwrap_or(super::wire::NULL);
            let v = parse_list(lit)
                .ok()
                .and_then(|mut v| (v.len() == 1).then(|| v.remove(0)))
                .ok_or_else(|| SyncError::Damaged(format!("conflict {}: unreadable value", c.id)))?;
            return Ok(Choice::Value(v));
        }
        match &s.row {
            None => Ok(Choice::Deleted),
            Some(row) => {
                let mut out = Row::new();
                for (k, lit) in row {
                    let v = parse_list(lit)
                        .ok()
                        .and_then(|mut v| (v.len() == 1).then(|| v.remove(0)))
                        .ok_or_else(|| SyncError::Damaged(format!("conflict {}: unreadable value", c.id)))?;
                    out.insert(k.clone(), v);
                }
                Ok(Choice::Row(out))
            }
        }
    };
    match take {
        Take::Mine => side(mine),
        Take::Theirs => side(theirs),
        Take::Value(text) => {
            let field = c
                .field
                .as_deref()
                .ok_or_else(|| SyncError::BadChoice("a whole-feature conflict takes mine or theirs".into()))?;
            let def = schema()
                .layer(&c.layer)
                .and_then(|l| l.field(field))
                .ok_or_else(|| SyncError::BadChoice(format!("{field} takes mine or theirs, not a typed value")))?;
            def.parse_input(&serde_json::Value::String(text.clone()))
                .map(Choice::Value)
                .map_err(|p| SyncError::BadChoice(format!("{} / {}", p.en, p.th)))
        }
    }
}

fn current(editor: &Editor, layer: &str, uid: &str) -> Result<Option<Row>, SyncError> {
    Ok(crate::edit::read_row(editor.gpkg().connection(), layer, uid)?)
}

fn set_field(editor: &mut Editor, layer: &str, uid: &str, field: &str, value: Value) -> Result<bool, SyncError> {
    let Some(row) = current(editor, layer, uid)? else {
        return Err(SyncError::BadChoice(format!(
            "the feature {uid} is deleted here; take the side that keeps it first"
        )));
    };
    let now = row.get(field).cloned().unwrap_or(Value::Null);
    if journal::same_value(&now, &value) {
        return Ok(false);
    }
    editor.apply(&Edit {
        label: "แก้ข้อขัดแย้ง / resolve conflict".into(),
        mode: Mode::Exact,
        changes: vec![Change::Update {
            layer: layer.into(),
            uid: uid.into(),
            values: [(field.to_string(), value)].into(),
            geometry: None,
            expect: [(field.to_string(), now)].into(),
        }],
    })?;
    Ok(true)
}

/// Puts a feature at the position chosen as a person's move would (checked,
/// so what follows the position is derived again); returns the fields the
/// move changed, none when the feature already stood there.
fn move_to(
    editor: &mut Editor,
    layer: &str,
    uid: &str,
    field: &str,
    value: Value,
) -> Result<BTreeSet<String>, SyncError> {
    let Some(row) = current(editor, layer, uid)? else {
        return Err(SyncError::BadChoice(format!(
            "the feature {uid} is deleted here; take the side that keeps it first"
        )));
    };
    if row.get(field).is_some_and(|now| journal::same_value(now, &value)) {
        return Ok(BTreeSet::new());
    }
    let Value::Blob(blob) = value else {
        return Err(SyncError::BadChoice("a position takes mine or theirs".into()));
    };
    let stored = decode_blob(&blob).map_err(|e| SyncError::Damaged(format!("the position chosen: {e}")))?;
    let applied = editor.apply(&Edit::checked(
        "แก้ข้อขัดแย้ง / resolve conflict",
        vec![Change::Update {
            layer: layer.into(),
            uid: uid.into(),
            values: Row::new(),
            geometry: Some(stored.geometry),
            expect: Row::new(),
        }],
    ))?;
    Ok(applied
        .ops
        .iter()
        .filter(|op| op.layer == layer && op.uid == uid)
        .flat_map(|op| op.fields.iter().map(|f| f.field.clone()))
        .collect())
}

fn delete(editor: &mut Editor, layer: &str, uid: &str) -> Result<bool, SyncError> {
    if current(editor, layer, uid)?.is_none() {
        return Ok(false);
    }
    editor.apply(&Edit::checked(
        "ลบตามข้อขัดแย้ง / delete (conflict resolved)",
        vec![Change::Delete {
            layer: layer.into(),
            uid: uid.into(),
        }],
    ))?;
    Ok(true)
}

fn restore_row(editor: &mut Editor, layer: &str, uid: &str, row: &Row) -> Result<bool, SyncError> {
    if current(editor, layer, uid)?.is_some() {
        return Ok(false);
    }
    editor.apply(&Edit {
        label: "คืนข้อมูลตามข้อขัดแย้ง / restore (conflict resolved)".into(),
        mode: Mode::Exact,
        changes: vec![Change::Insert {
            layer: layer.into(),
            uid: Some(uid.into()),
            values: row.clone(),
            geometry: None,
        }],
    })?;
    Ok(true)
}
