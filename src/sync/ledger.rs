//! Accepting pushed ops into a store: the one algorithm the hub's stores and
//! a file importing a sync package share. A store implements [`Ledger`]
//! (reading and writing one organisation's features and log inside one
//! transaction); [`accept`] does the rest.

use std::collections::HashMap;

use super::merge::{merge, restored, withheld_delete};
use super::state::FeatureState;
use super::wire::{Conflict, ConflictKind, EntryChange, FeatureRef, PushResponse, WireOp, WIRE_VERSION};
use crate::journal::OpKind;

/// One organisation's data in a store, inside one transaction.
pub trait Ledger {
    type Error;

    /// Whether the op was accepted before (a retried push).
    fn has_op(&mut self, op_id: &str) -> Result<bool, Self::Error>;
    /// Remembers that the op was accepted.
    fn mark_op(&mut self, op: &WireOp) -> Result<(), Self::Error>;
    fn state(&mut self, layer: &str, uid: &str) -> Result<Option<FeatureState>, Self::Error>;
    /// Fills in who wrote each value of `state`, for a store whose
    /// [`Ledger::state`] leaves that out because finding it costs: only a
    /// conflict needs it.
    fn writers(&mut self, _layer: &str, _uid: &str, _state: &mut FeatureState) -> Result<(), Self::Error> {
        Ok(())
    }
    fn put_state(&mut self, layer: &str, uid: &str, state: &FeatureState) -> Result<(), Self::Error>;
    /// Appends an entry caused by `op` to the log; returns its position.
    fn append(&mut self, op: &WireOp, change: &EntryChange) -> Result<i64, Self::Error>;
    /// Stores a conflict (kept open until resolved); idempotent by its id.
    fn put_conflict(&mut self, conflict: &Conflict) -> Result<(), Self::Error>;
    /// Marks an open conflict resolved by `op`; false when there is no such
    /// open conflict.
    fn resolve(&mut self, conflict_id: &str, op: &WireOp) -> Result<bool, Self::Error>;
    /// The features deleted by ops of the user action `edit_id` that are
    /// still deleted (their tombstones), as (layer, uid).
    fn deleted_by_edit(&mut self, edit_id: &str) -> Result<Vec<(String, String)>, Self::Error>;
    /// Which of these attachments (SHA-256) the store does not hold whole.
    fn missing_blobs(&mut self, sha256: &[String]) -> Result<Vec<String>, Self::Error>;
    fn last_seq(&mut self) -> Result<i64, Self::Error>;
}

/// Why a push was refused as a whole; nothing of it was applied.
#[derive(Debug, thiserror::Error)]
pub enum AcceptError<E> {
    /// Ops that cannot be used, every problem listed.
    #[error("the push was refused: {}", .0.join("; "))]
    Rejected(Vec<String>),
    /// Attachments the ops reference that were not uploaded (or not whole).
    #[error("attachments missing: {}", .0.join(", "))]
    MissingBlobs(Vec<String>),
    #[error(transparent)]
    Store(E),
}

/// Merges `ops` into the ledger in order, skipping those it already has.
/// Each op that changes a feature, or whose change lost to the data the
/// ledger has, appends the feature's whole row (or its deletion) to the log,
/// so the pushing side learns what the store decided.
///
/// The deletes of one user action stand or fall together: when one of them
/// loses (its feature was edited meanwhile, or an edit brings it back), the
/// features the action deleted are restored and its deletes still to come
/// are withheld, each with a conflict to decide it by. Deleting a pole
/// deletes its lamps in the same action; a pole kept keeps its lamps.
pub fn accept<L: Ledger>(ledger: &mut L, ops: &[WireOp]) -> Result<PushResponse, AcceptError<L::Error>> {
    let problems: Vec<String> = ops.iter().flat_map(WireOp::problems).collect();
    if !problems.is_empty() {
        return Err(AcceptError::Rejected(problems));
    }
    let refs: Vec<String> = ops.iter().flat_map(WireOp::blob_refs).collect();
    if !refs.is_empty() {
        let missing = ledger.missing_blobs(&refs).map_err(AcceptError::Store)?;
        if !missing.is_empty() {
            return Err(AcceptError::MissingBlobs(missing));
        }
    }
    let mut response = PushResponse {
        wire: WIRE_VERSION,
        ..PushResponse::default()
    };
    let mut withdrawn = Withdrawn::new();
    for op in ops {
        accept_one(ledger, op, &mut response, &mut withdrawn).map_err(AcceptError::Store)?;
    }
    response.last_seq = ledger.last_seq().map_err(AcceptError::Store)?;
    Ok(response)
}

fn accept_one<L: Ledger>(
    ledger: &mut L,
    op: &WireOp,
    response: &mut PushResponse,
    withdrawn: &mut Withdrawn,
) -> Result<(), L::Error> {
    if ledger.has_op(&op.op_id)? {
        response.duplicates += 1;
        return Ok(());
    }
    if let (OpKind::Delete, Some(kept)) = (op.kind, withdrawn.get(&op.edit_id)) {
        if let Some(state) = ledger.state(&op.layer, &op.uid)?.filter(FeatureState::is_live) {
            let c = Conflict {
                kept_with: Some(kept.clone()),
                ..withheld_delete(&state, op)
            };
            conflict(ledger, op, c, response)?;
        }
        ledger.mark_op(op)?;
        response.accepted += 1;
        return Ok(());
    }
    let mut merged = merge(ledger.state(&op.layer, &op.uid)?, op);
    if merged.by_writer {
        let mut before = ledger.state(&op.layer, &op.uid)?;
        if let Some(before) = &mut before {
            ledger.writers(&op.layer, &op.uid, before)?;
        }
        merged = merge(before, op);
    }
    if let Some(state) = &merged.state {
        if merged.changed {
            ledger.put_state(&op.layer, &op.uid, state)?;
        }
        if merged.changed || !merged.conflicts.is_empty() {
            let change = if state.is_live() {
                EntryChange::Upsert { row: state.row.clone() }
            } else {
                EntryChange::Delete
            };
            ledger.append(op, &change)?;
        }
    } else if op.kind == OpKind::Delete {
        ledger.append(op, &EntryChange::Delete)?;
    }
    let lost_delete =
        op.kind == OpKind::Delete && merged.conflicts.iter().any(|c| c.kind == ConflictKind::DeleteEdited);
    let revived = merged
        .conflicts
        .iter()
        .find(|c| c.kind == ConflictKind::EditDeleted)
        .map(|c| c.ours.stamp.edit_id.clone());
    for c in merged.conflicts {
        conflict(ledger, op, c, response)?;
    }
    if lost_delete {
        withdraw(ledger, &op.edit_id, op, response, withdrawn)?;
    }
    if let Some(edit) = revived {
        withdraw(ledger, &edit, op, response, withdrawn)?;
    }
    for id in &op.resolves {
        if ledger.resolve(id, op)? {
            ledger.append(
                op,
                &EntryChange::Resolved {
                    conflict_id: id.clone(),
                },
            )?;
        }
    }
    ledger.mark_op(op)?;
    response.accepted += 1;
    Ok(())
}

fn conflict<L: Ledger>(ledger: &mut L, op: &WireOp, c: Conflict, response: &mut PushResponse) -> Result<(), L::Error> {
    ledger.put_conflict(&c)?;
    ledger.append(
        op,
        &EntryChange::Conflict {
            conflict: Box::new(c.clone()),
        },
    )?;
    response.conflicts.push(c);
    Ok(())
}

/// Brings back every feature the user action `edit_id` deleted, because
/// `cause` kept one of them; its deletes still to come will be withheld.
fn withdraw<L: Ledger>(
    ledger: &mut L,
    edit_id: &str,
    cause: &WireOp,
    response: &mut PushResponse,
    withdrawn: &mut Withdrawn,
) -> Result<(), L::Error> {
    if edit_id.is_empty() || withdrawn.contains_key(edit_id) {
        return Ok(());
    }
    let kept = FeatureRef {
        layer: cause.layer.clone(),
        uid: cause.uid.clone(),
    };
    withdrawn.insert(edit_id.to_string(), kept.clone());
    for (layer, uid) in ledger.deleted_by_edit(edit_id)? {
        let Some(mut state) = ledger.state(&layer, &uid)? else {
            continue;
        };
        let Some(deleted_by) = state.deleted.take() else {
            continue;
        };
        // Its own op: the restore is a change of its own in every journal.
        let restore = WireOp {
            op_id: uuid::Uuid::new_v5(&RESTORE, format!("{}/{layer}/{uid}", cause.op_id).as_bytes()).to_string(),
            layer: layer.clone(),
            uid: uid.clone(),
            kind: OpKind::Update,
            fields: Vec::new(),
            resolves: Vec::new(),
            ..cause.clone()
        };
        ledger.put_state(&layer, &uid, &state)?;
        ledger.append(&restore, &EntryChange::Upsert { row: state.row.clone() })?;
        let c = Conflict {
            kept_with: Some(kept.clone()),
            ..restored(&layer, &uid, state.row.clone(), deleted_by, cause)
        };
        conflict(ledger, &restore, c, response)?;
    }
    Ok(())
}

/// User actions whose deletes are withdrawn in this push, with the feature
/// whose keeping withdrew them.
type Withdrawn = HashMap<String, FeatureRef>;

const RESTORE: uuid::Uuid = uuid::Uuid::from_u128(0x2d7e_91a4_6b3c_4f08_a5e2_c47d_1f96_8b30);

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use super::*;
    use crate::sync::wire::{ConflictKind, WireField};

    #[derive(Default)]
    struct Memory {
        ops: BTreeSet<String>,
        features: BTreeMap<(String, String), FeatureState>,
        log: Vec<EntryChange>,
        open: BTreeSet<String>,
    }

    impl Ledger for Memory {
        type Error = std::convert::Infallible;
        fn has_op(&mut self, op_id: &str) -> Result<bool, Self::Error> {
            Ok(self.ops.contains(op_id))
        }
        fn mark_op(&mut self, op: &WireOp) -> Result<(), Self::Error> {
            self.ops.insert(op.op_id.clone());
            Ok(())
        }
        fn state(&mut self, layer: &str, uid: &str) -> Result<Option<FeatureState>, Self::Error> {
            Ok(self.features.get(&(layer.into(), uid.into())).cloned())
        }
        fn put_state(&mut self, layer: &str, uid: &str, state: &FeatureState) -> Result<(), Self::Error> {
            self.features.insert((layer.into(), uid.into()), state.clone());
            Ok(())
        }
        fn append(&mut self, _: &WireOp, change: &EntryChange) -> Result<i64, Self::Error> {
            self.log.push(change.clone());
            Ok(self.log.len() as i64)
        }
        fn put_conflict(&mut self, c: &Conflict) -> Result<(), Self::Error> {
            self.open.insert(c.id.clone());
            Ok(())
        }
        fn resolve(&mut self, id: &str, _: &WireOp) -> Result<bool, Self::Error> {
            Ok(self.open.remove(id))
        }
        fn deleted_by_edit(&mut self, edit_id: &str) -> Result<Vec<(String, String)>, Self::Error> {
            Ok(self
                .features
                .iter()
                .filter(|(_, s)| s.deleted.as_ref().is_some_and(|d| d.edit_id == edit_id))
                .map(|(k, _)| k.clone())
                .collect())
        }
        fn missing_blobs(&mut self, sha: &[String]) -> Result<Vec<String>, Self::Error> {
            Ok(sha.to_vec())
        }
        fn last_seq(&mut self) -> Result<i64, Self::Error> {
            Ok(self.log.len() as i64)
        }
    }

    fn op(id: &str, hlc: i64, kind: OpKind, field: &str, old: Option<&str>, new: Option<&str>) -> WireOp {
        WireOp {
            op_id: id.into(),
            edit_id: id.into(),
            hlc,
            user: "u".into(),
            device: format!("pc-{id}"),
            layer: "poles".into(),
            uid: "p1".into(),
            kind,
            fields: vec![WireField {
                field: field.into(),
                old: old.map(str::to_string),
                new: new.map(str::to_string),
            }],
            resolves: vec![],
        }
    }

    #[test]
    fn a_retried_push_applies_nothing_twice() {
        let mut m = Memory::default();
        let ops = [
            op("a", 1, OpKind::Insert, "status", None, Some("'normal'")),
            op("b", 2, OpKind::Update, "status", Some("'normal'"), Some("'damaged'")),
        ];
        let first = accept(&mut m, &ops).unwrap();
        assert_eq!((first.accepted, first.duplicates, first.last_seq), (2, 0, 2));
        let again = accept(&mut m, &ops).unwrap();
        assert_eq!((again.accepted, again.duplicates, again.last_seq), (0, 2, 2));
    }

    #[test]
    fn a_losing_op_restates_the_row_and_a_resolution_closes_the_conflict() {
        let mut m = Memory::default();
        accept(
            &mut m,
            &[
                op("a", 1, OpKind::Insert, "status", None, Some("'normal'")),
                op("b", 5, OpKind::Update, "status", Some("'normal'"), Some("'damaged'")),
            ],
        )
        .unwrap();
        let late = op(
            "c",
            3,
            OpKind::Update,
            "status",
            Some("'normal'"),
            Some("'awaiting_repair'"),
        );
        let r = accept(&mut m, &[late]).unwrap();
        assert_eq!(r.conflicts.len(), 1);
        assert_eq!(r.conflicts[0].kind, ConflictKind::Field);
        assert!(matches!(&m.log[2], EntryChange::Upsert { row } if row["status"] == "'damaged'"));
        let mut fix = op(
            "d",
            9,
            OpKind::Update,
            "status",
            Some("'damaged'"),
            Some("'awaiting_repair'"),
        );
        fix.resolves = vec![r.conflicts[0].id.clone()];
        accept(&mut m, &[fix]).unwrap();
        assert!(m.open.is_empty());
        assert!(matches!(m.log.last(), Some(EntryChange::Resolved { .. })));
    }

    /// Office A deletes pole p1 with its lamp l1 in one action (edit "del").
    fn deletes(lamp_first: bool) -> Vec<WireOp> {
        let lamp = WireOp {
            layer: "lamps".into(),
            uid: "l1".into(),
            edit_id: "del".into(),
            ..op("del-l1", 4, OpKind::Delete, "watts", Some("100"), None)
        };
        let pole = WireOp {
            edit_id: "del".into(),
            ..op("del-p1", 4, OpKind::Delete, "status", Some("'normal'"), None)
        };
        if lamp_first {
            vec![lamp, pole]
        } else {
            vec![pole, lamp]
        }
    }

    /// Pole p1 and its lamp l1, both as office A saw them.
    fn pole_and_lamp() -> Memory {
        let mut m = Memory::default();
        let lamp = WireOp {
            layer: "lamps".into(),
            uid: "l1".into(),
            ..op("l", 1, OpKind::Insert, "watts", None, Some("100"))
        };
        accept(
            &mut m,
            &[op("p", 1, OpKind::Insert, "status", None, Some("'normal'")), lamp],
        )
        .unwrap();
        m
    }

    fn pole_p1() -> FeatureRef {
        FeatureRef {
            layer: "poles".into(),
            uid: "p1".into(),
        }
    }

    fn live(m: &Memory, layer: &str, uid: &str) -> bool {
        m.features[&(layer.to_string(), uid.to_string())].is_live()
    }

    #[test]
    fn a_pole_kept_against_its_delete_keeps_the_lamps_deleted_with_it() {
        for lamp_first in [true, false] {
            let mut m = pole_and_lamp();
            // Office B changed the pole before A's delete arrived.
            accept(
                &mut m,
                &[op(
                    "edit",
                    3,
                    OpKind::Update,
                    "status",
                    Some("'normal'"),
                    Some("'damaged'"),
                )],
            )
            .unwrap();
            let r = accept(&mut m, &deletes(lamp_first)).unwrap();
            assert!(live(&m, "poles", "p1"), "the edited pole stays");
            assert!(
                live(&m, "lamps", "l1"),
                "its lamp stays with it (lamp first: {lamp_first})"
            );
            assert_eq!(r.conflicts.len(), 2, "one conflict each, to decide the delete by");
            let lamp = r
                .conflicts
                .iter()
                .find(|c| c.uid == "l1")
                .expect("a conflict on the lamp");
            assert_eq!(lamp.kept_with, Some(pole_p1()), "kept with its pole");
        }
    }

    #[test]
    fn an_edit_that_brings_a_deleted_pole_back_brings_its_lamps_back() {
        let mut m = pole_and_lamp();
        accept(&mut m, &deletes(true)).unwrap();
        assert!(!live(&m, "poles", "p1") && !live(&m, "lamps", "l1"));
        let r = accept(
            &mut m,
            &[op(
                "late-edit",
                3,
                OpKind::Update,
                "status",
                Some("'normal'"),
                Some("'damaged'"),
            )],
        )
        .unwrap();
        assert!(live(&m, "poles", "p1") && live(&m, "lamps", "l1"));
        assert!(
            matches!(m.log.last(), Some(EntryChange::Conflict { conflict }) if conflict.uid == "l1" && conflict.kind == ConflictKind::EditDeleted && conflict.kept_with == Some(pole_p1()))
        );
        assert_eq!(r.conflicts.len(), 2);
    }

    #[test]
    fn unsound_ops_and_missing_attachments_refuse_the_whole_push() {
        let mut m = Memory::default();
        let mut bad = op("a", 1, OpKind::Insert, "status", None, Some("'normal'"));
        bad.layer = "x; --".into();
        let good = op("b", 1, OpKind::Insert, "status", None, Some("'normal'"));
        assert!(matches!(accept(&mut m, &[good.clone(), bad]), Err(AcceptError::Rejected(p)) if p.len() == 1));
        let mut photo = op("p", 1, OpKind::Insert, "sha256", None, Some("'abc'"));
        photo.layer = crate::sync::wire::PHOTO_TABLE.into();
        assert!(matches!(accept(&mut m, &[good, photo]), Err(AcceptError::MissingBlobs(b)) if b == ["abc"]));
        assert!(m.log.is_empty() && m.ops.is_empty());
    }
}
