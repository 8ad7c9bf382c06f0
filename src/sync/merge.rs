//! The merge: one op against the state a store has, field by field against
//! the op's base (the values its author's file had). The same function
//! decides on the hub and in a file importing a sync package, so every side
//! reaches the same data.
//!
//! Policy while a conflict is open: the later edit wins a field (hybrid
//! clock, then device name); an edit wins over a delete, so no value leaves
//! the data until a person says so. The losing side is always kept in the
//! conflict record.

use super::state::FeatureState;
use super::wire::{Conflict, ConflictKind, Kept, LiteralRow, Side, Stamp, WireOp, NULL};
use crate::journal::OpKind;

/// Fields every edit writes (who and when): the later edit's values stand
/// without a conflict, or two changes to different fields of one feature
/// would always clash here.
pub const BOOKKEEPING: [&str; 2] = ["updated_at", "updated_by"];

/// The outcome of merging one op.
#[derive(Debug, PartialEq)]
pub struct Merged {
    /// The feature after the op (`None` when there was none and is none).
    pub state: Option<FeatureState>,
    /// Whether the feature's values or existence changed.
    pub changed: bool,
    pub conflicts: Vec<Conflict>,
    /// Whether the outcome depended on who wrote the current values (a
    /// store that fills writers in lazily must merge again with them).
    pub by_writer: bool,
}

/// Merges `op` into `state`.
///
/// ```
/// use tongtin::journal::OpKind;
/// use tongtin::sync::{merge, FeatureState, Kept, Stamp, WireField, WireOp};
/// let base = Stamp { hlc: 1, ..Stamp::default() };
/// let pole = FeatureState::new([("status".into(), "'damaged'".into())].into(), &base);
/// // Another office changed the status from 'normal' to 'awaiting_repair'
/// // without seeing the change to 'damaged': a conflict, both values kept.
/// let op = WireOp {
///     op_id: "op-2".into(), edit_id: "e".into(), hlc: 2, user: "somsri".into(),
///     device: "pc-2".into(), layer: "poles".into(), uid: "p1".into(),
///     kind: OpKind::Update, resolves: vec![],
///     fields: vec![WireField { field: "status".into(),
///         old: Some("'normal'".into()), new: Some("'awaiting_repair'".into()) }],
/// };
/// let merged = merge(Some(pole), &op);
/// assert_eq!(merged.conflicts.len(), 1);
/// assert_eq!(merged.conflicts[0].ours.value.as_deref(), Some("'damaged'"));
/// assert_eq!(merged.conflicts[0].kept, Kept::Theirs); // the later edit
/// assert_eq!(merged.state.unwrap().value("status"), "'awaiting_repair'");
/// ```
pub fn merge(state: Option<FeatureState>, op: &WireOp) -> Merged {
    let stamp = op.stamp();
    match (state, op.kind) {
        (None, OpKind::Delete) => unchanged(None),
        (None, _) => {
            let row: LiteralRow = op
                .fields
                .iter()
                .filter_map(|f| f.new.clone().map(|v| (f.field.clone(), v)))
                .filter(|(_, v)| v != NULL)
                .collect();
            if row.is_empty() {
                return unchanged(None);
            }
            Merged {
                state: Some(FeatureState::new(row, &stamp)),
                changed: true,
                conflicts: Vec::new(),
                by_writer: false,
            }
        }
        (Some(s), OpKind::Delete) if !s.is_live() => unchanged(Some(s)),
        (Some(s), OpKind::Delete) => delete(s, op, stamp),
        (Some(s), _) if !s.is_live() => revive(s, op, stamp),
        (Some(s), _) => update(s, op, &stamp),
    }
}

fn unchanged(state: Option<FeatureState>) -> Merged {
    Merged {
        state,
        changed: false,
        conflicts: Vec::new(),
        by_writer: false,
    }
}

fn update(mut s: FeatureState, op: &WireOp, stamp: &Stamp) -> Merged {
    let mut changed = false;
    let mut by_writer = false;
    let mut conflicts = Vec::new();
    for f in &op.fields {
        let incoming = f.new.as_deref().unwrap_or(NULL);
        let current = s.value(&f.field).to_string();
        if current == incoming {
            continue;
        }
        let base = match (op.kind, f.old.as_deref()) {
            (OpKind::Insert, _) => None,
            (_, old) => old,
        };
        if base == Some(current.as_str()) {
            s.set(&f.field, incoming, stamp);
            changed = true;
            continue;
        }
        let ours = s.writer(&f.field);
        let theirs_wins = stamp.later_than(&ours);
        by_writer = true;
        if BOOKKEEPING.contains(&f.field.as_str()) {
            if theirs_wins {
                s.set(&f.field, incoming, stamp);
                changed = true;
            }
            continue;
        }
        conflicts.push(Conflict {
            id: conflict_id(&ours.op_id, &op.op_id, &f.field),
            layer: op.layer.clone(),
            uid: op.uid.clone(),
            kind: ConflictKind::Field,
            field: Some(f.field.clone()),
            base: base.map(str::to_string),
            ours: Side {
                value: Some(current),
                row: None,
                stamp: ours,
            },
            theirs: Side {
                value: Some(incoming.to_string()),
                row: None,
                stamp: stamp.clone(),
            },
            kept: if theirs_wins { Kept::Theirs } else { Kept::Ours },
            kept_with: None,
        });
        if theirs_wins {
            s.set(&f.field, incoming, stamp);
            changed = true;
        }
    }
    Merged {
        state: Some(s),
        changed,
        conflicts,
        by_writer,
    }
}

/// A delete is applied only when the deleting side saw the values the
/// feature has; otherwise the feature stays and the delete is a conflict.
fn delete(mut s: FeatureState, op: &WireOp, stamp: Stamp) -> Merged {
    let seen: LiteralRow = op
        .fields
        .iter()
        .filter_map(|f| f.old.clone().map(|v| (f.field.clone(), v)))
        .filter(|(_, v)| v != NULL)
        .collect();
    if seen == s.row {
        s.deleted = Some(stamp);
        return Merged {
            state: Some(s),
            changed: true,
            conflicts: Vec::new(),
            by_writer: false,
        };
    }
    let conflict = withheld_delete(&s, op);
    Merged {
        state: Some(s),
        changed: false,
        conflicts: vec![conflict],
        by_writer: true,
    }
}

/// The conflict of a delete that was not applied: the feature stays as it
/// is (`s`, live), the delete is kept as the other side.
pub fn withheld_delete(s: &FeatureState, op: &WireOp) -> Conflict {
    let ours = latest_writer(s);
    Conflict {
        id: conflict_id(&ours.op_id, &op.op_id, "*"),
        layer: op.layer.clone(),
        uid: op.uid.clone(),
        kind: ConflictKind::DeleteEdited,
        field: None,
        base: None,
        ours: Side {
            value: None,
            row: Some(s.row.clone()),
            stamp: ours,
        },
        theirs: Side {
            value: None,
            row: None,
            stamp: op.stamp(),
        },
        kept: Kept::Ours,
        kept_with: None,
    }
}

/// An edit of a deleted feature brings it back with the edit applied.
fn revive(mut s: FeatureState, op: &WireOp, stamp: Stamp) -> Merged {
    let deleted_by = s.deleted.take().unwrap_or_default();
    let theirs: LiteralRow = op
        .fields
        .iter()
        .filter_map(|f| f.new.clone().map(|v| (f.field.clone(), v)))
        .collect();
    for (field, value) in &theirs {
        s.set(field, value, &stamp);
    }
    let conflict = restored(&op.layer, &op.uid, theirs, deleted_by, op);
    Merged {
        state: Some(s),
        changed: true,
        conflicts: vec![conflict],
        by_writer: true,
    }
}

/// The conflict of a deleted feature `layer`/`uid` brought back with `row`
/// by `cause`: an edit of it, or an op that kept another feature deleted in
/// the same user action (a pole kept, so its lamps stay too). `deleted_by`
/// is its delete.
pub fn restored(layer: &str, uid: &str, row: LiteralRow, deleted_by: Stamp, cause: &WireOp) -> Conflict {
    Conflict {
        id: conflict_id(&deleted_by.op_id, &cause.op_id, "*"),
        layer: layer.to_string(),
        uid: uid.to_string(),
        kind: ConflictKind::EditDeleted,
        field: None,
        base: None,
        ours: Side {
            value: None,
            row: None,
            stamp: deleted_by,
        },
        theirs: Side {
            value: None,
            row: Some(row),
            stamp: cause.stamp(),
        },
        kept: Kept::Theirs,
        kept_with: None,
    }
}

fn latest_writer(s: &FeatureState) -> Stamp {
    s.row
        .keys()
        .map(|f| s.writer(f))
        .max_by(|a, b| {
            if a.later_than(b) {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Less
            }
        })
        .unwrap_or_default()
}

/// The id of the conflict between two ops on a field (`*` for the whole
/// feature): the same whichever side meets the other first and on every
/// retry, so a decision on one side closes it everywhere.
pub fn conflict_id(one_op: &str, other_op: &str, field: &str) -> String {
    const NAMESPACE: uuid::Uuid = uuid::Uuid::from_u128(0x5f1c_2b0e_7a43_4c6e_9b1d_3e8a_6c20_d417);
    let (a, b) = if one_op <= other_op {
        (one_op, other_op)
    } else {
        (other_op, one_op)
    };
    uuid::Uuid::new_v5(&NAMESPACE, format!("{a}/{b}/{field}").as_bytes()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::wire::WireField;

    fn op(id: &str, hlc: i64, kind: OpKind, fields: &[(&str, Option<&str>, Option<&str>)]) -> WireOp {
        WireOp {
            op_id: id.into(),
            edit_id: id.into(),
            hlc,
            user: format!("user-{id}"),
            device: format!("pc-{id}"),
            layer: "poles".into(),
            uid: "p1".into(),
            kind,
            fields: fields
                .iter()
                .map(|(f, o, n)| WireField {
                    field: f.to_string(),
                    old: o.map(str::to_string),
                    new: n.map(str::to_string),
                })
                .collect(),
            resolves: vec![],
        }
    }

    fn pole() -> FeatureState {
        let row: LiteralRow = [
            ("pole_no".into(), "'P-1'".into()),
            ("status".into(), "'normal'".into()),
            ("height_m".into(), "9.0".into()),
        ]
        .into();
        merge(None, &op("a", 10, OpKind::Insert, &row_fields(&row)))
            .state
            .unwrap()
    }

    /// The pole after office b set it damaged at clock 20.
    fn damaged_by_b() -> Option<FeatureState> {
        merge(
            Some(pole()),
            &op(
                "b",
                20,
                OpKind::Update,
                &[("status", Some("'normal'"), Some("'damaged'"))],
            ),
        )
        .state
    }

    fn row_fields(row: &LiteralRow) -> Vec<(&str, Option<&str>, Option<&str>)> {
        row.iter().map(|(k, v)| (k.as_str(), None, Some(v.as_str()))).collect()
    }

    #[test]
    fn a_change_from_the_current_value_applies_without_conflict() {
        let m = merge(
            Some(pole()),
            &op(
                "b",
                20,
                OpKind::Update,
                &[("status", Some("'normal'"), Some("'damaged'"))],
            ),
        );
        assert!(m.changed && m.conflicts.is_empty());
        assert_eq!(m.state.unwrap().value("status"), "'damaged'");
    }

    #[test]
    fn the_same_change_on_both_sides_is_no_conflict() {
        let s = damaged_by_b();
        let m = merge(
            s,
            &op(
                "c",
                15,
                OpKind::Update,
                &[("status", Some("'normal'"), Some("'damaged'"))],
            ),
        );
        assert!(!m.changed && m.conflicts.is_empty());
    }

    #[test]
    fn an_earlier_edit_loses_the_field_but_is_kept_in_the_conflict() {
        let s = damaged_by_b();
        let m = merge(
            s,
            &op(
                "c",
                15,
                OpKind::Update,
                &[("status", Some("'normal'"), Some("'awaiting_repair'"))],
            ),
        );
        assert!(!m.changed);
        let c = &m.conflicts[0];
        assert_eq!((c.kind, c.kept), (ConflictKind::Field, Kept::Ours));
        assert_eq!(c.theirs.value.as_deref(), Some("'awaiting_repair'"));
        assert_eq!(c.ours.stamp.op_id, "b");
        assert_eq!(c.base.as_deref(), Some("'normal'"));
        assert_eq!(m.state.unwrap().value("status"), "'damaged'");
    }

    #[test]
    fn different_fields_both_apply() {
        let s = damaged_by_b();
        let m = merge(
            s,
            &op("c", 15, OpKind::Update, &[("height_m", Some("9.0"), Some("12.0"))]),
        );
        assert!(m.changed && m.conflicts.is_empty());
        let s = m.state.unwrap();
        assert_eq!((s.value("status"), s.value("height_m")), ("'damaged'", "12.0"));
    }

    #[test]
    fn who_and_when_follow_the_later_edit_without_a_conflict() {
        let s = merge(
            Some(pole()),
            &op(
                "b",
                20,
                OpKind::Update,
                &[
                    ("updated_by", None, Some("'b'")),
                    ("status", Some("'normal'"), Some("'damaged'")),
                ],
            ),
        )
        .state;
        let m = merge(
            s,
            &op(
                "c",
                25,
                OpKind::Update,
                &[
                    ("updated_by", None, Some("'c'")),
                    ("height_m", Some("9.0"), Some("12.0")),
                ],
            ),
        );
        assert!(m.conflicts.is_empty());
        assert_eq!(m.state.unwrap().value("updated_by"), "'c'");
    }

    #[test]
    fn a_delete_that_saw_the_current_values_deletes_and_keeps_a_tombstone() {
        let p = pole();
        let row = p.row.clone();
        let fields: Vec<_> = row.iter().map(|(k, v)| (k.as_str(), Some(v.as_str()), None)).collect();
        let m = merge(Some(p.clone()), &op("d", 30, OpKind::Delete, &fields));
        assert!(m.changed && m.conflicts.is_empty());
        let s = m.state.unwrap();
        assert!(!s.is_live());
        assert_eq!(s.row, p.row);
        assert!(!merge(Some(s), &op("d2", 31, OpKind::Delete, &fields)).changed);
    }

    #[test]
    fn a_delete_of_a_feature_changed_since_is_refused_as_a_conflict() {
        let p = pole();
        let row = p.row.clone();
        let fields: Vec<_> = row.iter().map(|(k, v)| (k.as_str(), Some(v.as_str()), None)).collect();
        let edited = merge(
            Some(p),
            &op(
                "b",
                20,
                OpKind::Update,
                &[("status", Some("'normal'"), Some("'damaged'"))],
            ),
        )
        .state;
        let m = merge(edited, &op("d", 30, OpKind::Delete, &fields));
        assert!(!m.changed);
        let c = &m.conflicts[0];
        assert_eq!((c.kind, c.kept), (ConflictKind::DeleteEdited, Kept::Ours));
        assert_eq!(c.ours.row.as_ref().unwrap()["status"], "'damaged'");
        assert!(m.state.unwrap().is_live());
    }

    #[test]
    fn an_edit_of_a_deleted_feature_brings_it_back_with_the_edit() {
        let p = pole();
        let row = p.row.clone();
        let fields: Vec<_> = row.iter().map(|(k, v)| (k.as_str(), Some(v.as_str()), None)).collect();
        let deleted = merge(Some(p), &op("d", 30, OpKind::Delete, &fields)).state;
        let m = merge(
            deleted,
            &op(
                "b",
                20,
                OpKind::Update,
                &[("status", Some("'normal'"), Some("'damaged'"))],
            ),
        );
        assert!(m.changed);
        let c = &m.conflicts[0];
        assert_eq!((c.kind, c.kept), (ConflictKind::EditDeleted, Kept::Theirs));
        assert_eq!(c.ours.stamp.op_id, "d");
        let s = m.state.unwrap();
        assert!(s.is_live());
        assert_eq!((s.value("pole_no"), s.value("status")), ("'P-1'", "'damaged'"));
    }

    #[test]
    fn conflict_ids_are_the_same_from_either_side() {
        assert_eq!(conflict_id("x", "y", "status"), conflict_id("y", "x", "status"));
        assert_ne!(conflict_id("x", "y", "status"), conflict_id("x", "y", "geom"));
    }
}
