//! Store conformance: the same suite on both hub stores, SQLite and
//! PostgreSQL (a real cluster started for this binary by scripts/postgres.sh).

mod common;

use std::sync::Arc;

use common::hub::{field_update, photo_insert, pole_insert, push_request, sha256_hex, Postgres};
use tongtin::hub::auth::{hash_password, Role};
use tongtin::hub::{HubError, HubStore};
use tongtin::sync::{ConflictKind, EntryChange, Kept, PushRequest, WireOp};

fn sqlite() -> Arc<dyn HubStore> {
    tongtin::hub::open(&common::hub::sqlite_store()).expect("open a SQLite store")
}

fn postgres() -> Arc<dyn HubStore> {
    tongtin::hub::open(&Postgres::shared().database()).expect("open a PostgreSQL store")
}

macro_rules! conformance {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $( #[test] fn $name() { super::$name(super::sqlite()) } )*
        }
        mod postgres {
            $( #[test] fn $name() { super::$name(super::postgres()) } )*
        }
    };
}

conformance!(
    push_and_pull_round_trip,
    a_retried_push_applies_nothing_twice,
    conflicts_are_stored_with_both_sides_and_resolved,
    organisations_are_isolated,
    attachments_upload_resumably_and_are_verified,
    model_version_rules,
    pull_pages,
    users_sessions_and_organisations,
    the_deletes_of_one_action_stand_or_fall_together,
);

fn push(store: &dyn HubStore, org: &str, ops: Vec<WireOp>) -> tongtin::sync::PushResponse {
    store.push(org, &push_request(ops)).expect("push accepted")
}

fn push_and_pull_round_trip(store: Arc<dyn HubStore>) {
    store.add_org("a", "A").unwrap();
    let insert = pole_insert("p1", "P-1", 100.5, 200.25, 10, "pc-1");
    let update = field_update("p1", "status", "'normal'", "'damaged'", 11, "pc-1");
    let r = push(&*store, "a", vec![insert.clone(), update.clone()]);
    assert_eq!((r.accepted, r.duplicates, r.conflicts.len(), r.last_seq), (2, 0, 0, 2));
    let status = store.status("a").unwrap();
    assert_eq!(status.last_seq, 2);
    let pull = store.pull("a", 0, 100).unwrap();
    assert_eq!((pull.last_seq, pull.more, pull.entries.len()), (2, false, 2));
    assert_eq!(pull.entries.iter().map(|e| e.seq).collect::<Vec<_>>(), [1, 2]);
    assert_eq!(pull.entries[0].op_id, insert.op_id);
    assert_eq!(pull.entries[1].stamp, update.stamp());
    match &pull.entries[1].change {
        EntryChange::Upsert { row } => {
            assert_eq!(row["status"], "'damaged'");
            assert_eq!(
                row["geom"],
                insert.fields[4].new.clone().unwrap(),
                "the geometry's bytes kept exactly"
            );
            assert_eq!(row["height_m"], "9.0");
        }
        other => panic!("expected the row, got {other:?}"),
    }
    assert!(store.pull("a", 2, 100).unwrap().entries.is_empty());
}

fn a_retried_push_applies_nothing_twice(store: Arc<dyn HubStore>) {
    store.add_org("a", "A").unwrap();
    let ops = vec![
        pole_insert("p1", "P-1", 1.0, 2.0, 10, "pc-1"),
        field_update("p1", "status", "'normal'", "'damaged'", 11, "pc-1"),
    ];
    let first = push(&*store, "a", ops.clone());
    let again = push(&*store, "a", ops.clone());
    assert_eq!(
        (again.accepted, again.duplicates, again.last_seq),
        (0, 2, first.last_seq)
    );
    let mut more = ops.clone();
    more.push(field_update("p1", "height_m", "9.0", "12.0", 12, "pc-1"));
    let third = push(&*store, "a", more);
    assert_eq!((third.accepted, third.duplicates, third.last_seq), (1, 2, 3));
    assert_eq!(store.pull("a", 0, 100).unwrap().entries.len(), 3);
}

fn conflicts_are_stored_with_both_sides_and_resolved(store: Arc<dyn HubStore>) {
    store.add_org("a", "A").unwrap();
    push(&*store, "a", vec![pole_insert("p1", "P-1", 1.0, 2.0, 10, "pc-1")]);
    push(
        &*store,
        "a",
        vec![field_update("p1", "status", "'normal'", "'damaged'", 20, "pc-1")],
    );
    let late = field_update("p1", "status", "'normal'", "'awaiting_repair'", 15, "pc-2");
    let r = push(&*store, "a", vec![late.clone()]);
    assert_eq!(r.conflicts.len(), 1);
    let open = store.conflicts("a", true).unwrap();
    assert_eq!(open.len(), 1);
    let c = &open[0].conflict;
    assert_eq!((c.kind, c.kept), (ConflictKind::Field, Kept::Ours));
    assert_eq!(c.ours.value.as_deref(), Some("'damaged'"));
    assert_eq!(c.theirs.value.as_deref(), Some("'awaiting_repair'"));
    assert_eq!(c.theirs.stamp.op_id, late.op_id);
    // A retry raises nothing twice.
    let retry = push(&*store, "a", vec![late]);
    assert_eq!((retry.duplicates, retry.conflicts.len()), (1, 0));
    assert_eq!(store.conflicts("a", true).unwrap().len(), 1);
    // The pull shows the row the hub kept and the conflict.
    let pull = store.pull("a", 0, 100).unwrap();
    assert!(pull
        .entries
        .iter()
        .any(|e| matches!(&e.change, EntryChange::Conflict { conflict } if conflict.id == c.id)));
    // A person's choice settles it.
    let mut fix = field_update("p1", "status", "'damaged'", "'awaiting_repair'", 30, "pc-2");
    fix.resolves = vec![c.id.clone()];
    push(&*store, "a", vec![fix.clone()]);
    assert!(store.conflicts("a", true).unwrap().is_empty());
    let all = store.conflicts("a", false).unwrap();
    assert_eq!(all[0].resolved_by.as_deref(), Some(fix.op_id.as_str()));
    let last = store.pull("a", 0, 100).unwrap().entries.pop().unwrap();
    assert_eq!(
        last.change,
        EntryChange::Resolved {
            conflict_id: c.id.clone()
        }
    );
}

fn organisations_are_isolated(store: Arc<dyn HubStore>) {
    store.add_org("a", "A").unwrap();
    store.add_org("b", "B").unwrap();
    let op = pole_insert("p1", "P-1", 1.0, 2.0, 10, "pc-1");
    push(&*store, "a", vec![op.clone()]);
    assert_eq!(store.status("b").unwrap().last_seq, 0);
    assert!(store.pull("b", 0, 100).unwrap().entries.is_empty());
    // The same op pushed to another organisation is new there.
    let r = push(&*store, "b", vec![op]);
    assert_eq!((r.accepted, r.duplicates, r.last_seq), (1, 0, 1));
    let bytes = b"photo of org a";
    let sha = sha256_hex(bytes);
    store.put_blob("a", &sha, 0, bytes.len() as u64, bytes).unwrap();
    assert_eq!(store.blob("b", &sha).unwrap(), None);
    assert_eq!(store.blob_status("b", &sha).unwrap().received, 0);
    assert!(matches!(store.status("zz"), Err(HubError::NotFound(_))));
}

fn attachments_upload_resumably_and_are_verified(store: Arc<dyn HubStore>) {
    store.add_org("a", "A").unwrap();
    let bytes: Vec<u8> = (0..100_000u32).map(|i| (i * 7 % 251) as u8).collect();
    let sha = sha256_hex(&bytes);
    let total = bytes.len() as u64;
    // A photo op before its bytes is refused whole.
    let photo = photo_insert("ph1", &sha, 10);
    match store.push("a", &push_request(vec![photo.clone()])) {
        Err(HubError::MissingBlobs(m)) => assert_eq!(m, std::slice::from_ref(&sha)),
        other => panic!("expected missing blobs, got {other:?}"),
    }
    assert_eq!(store.status("a").unwrap().last_seq, 0);
    let s = store.put_blob("a", &sha, 0, total, &bytes[..40_000]).unwrap();
    assert_eq!((s.received, s.complete), (40_000, false));
    // A chunk at the wrong place says where to continue.
    match store.put_blob("a", &sha, 60_000, total, &bytes[60_000..]) {
        Err(HubError::BlobOffset { received }) => assert_eq!(received, 40_000),
        other => panic!("expected blob_offset, got {other:?}"),
    }
    assert_eq!(store.blob_status("a", &sha).unwrap().received, 40_000);
    assert_eq!(store.blob("a", &sha).unwrap(), None, "not whole yet");
    let s = store.put_blob("a", &sha, 40_000, total, &bytes[40_000..]).unwrap();
    assert!(s.complete && s.received == total);
    assert_eq!(store.blob("a", &sha).unwrap().as_deref(), Some(&bytes[..]));
    // Uploading again is harmless.
    assert!(store.put_blob("a", &sha, 0, total, &bytes).unwrap().complete);
    assert_eq!(push(&*store, "a", vec![photo]).accepted, 1);
    // Bytes that are not what their name says are discarded.
    let wrong = sha256_hex(b"something else");
    assert!(matches!(
        store.put_blob("a", &wrong, 0, 5, b"12345"),
        Err(HubError::BlobMismatch)
    ));
    let s = store.blob_status("a", &wrong).unwrap();
    assert_eq!((s.received, s.complete), (0, false));
    assert!(store.put_blob("a", "NOT-HEX", 0, 1, b"x").is_err());
}

fn model_version_rules(store: Arc<dyn HubStore>) {
    let v = tongtin::model::schema().version;
    store.add_org("a", "A").unwrap();
    assert_eq!(store.status("a").unwrap().model_version, 0);
    let at = |version: u32, ops: Vec<WireOp>| PushRequest {
        model_version: version,
        ..push_request(ops)
    };
    store
        .push("a", &at(v - 1, vec![pole_insert("p1", "P-1", 1.0, 2.0, 1, "pc")]))
        .unwrap();
    assert_eq!(store.status("a").unwrap().model_version, v - 1);
    store
        .push("a", &at(v, vec![pole_insert("p2", "P-2", 1.0, 2.0, 2, "pc")]))
        .unwrap();
    assert_eq!(
        store.status("a").unwrap().model_version,
        v,
        "a newer file raises the organisation's version"
    );
    assert!(matches!(
        store.push("a", &at(v - 1, vec![pole_insert("p3", "P-3", 1.0, 2.0, 3, "pc")])),
        Err(HubError::SchemaBehind { client, hub }) if client == v - 1 && hub == v
    ));
    assert!(matches!(
        store.push("a", &at(v + 1, vec![pole_insert("p4", "P-4", 1.0, 2.0, 4, "pc")])),
        Err(HubError::SchemaAhead { .. })
    ));
    let pull = store.pull("a", 0, 10).unwrap();
    assert_eq!((pull.entries.len(), pull.model_version), (2, v));
}

fn pull_pages(store: Arc<dyn HubStore>) {
    store.add_org("a", "A").unwrap();
    let ops: Vec<WireOp> = (0..10)
        .map(|i| pole_insert(&format!("p{i}"), &format!("P-{i}"), i as f64, 0.0, i, "pc"))
        .collect();
    push(&*store, "a", ops);
    let first = store.pull("a", 0, 4).unwrap();
    assert_eq!((first.entries.len(), first.more, first.last_seq), (4, true, 10));
    let second = store.pull("a", 4, 4).unwrap();
    assert_eq!(second.entries[0].seq, 5);
    let last = store.pull("a", 8, 4).unwrap();
    assert_eq!((last.entries.len(), last.more), (2, false));
}

fn users_sessions_and_organisations(store: Arc<dyn HubStore>) {
    store.add_org("a", "A").unwrap();
    assert!(matches!(store.add_org("a", "again"), Err(HubError::Exists(_))));
    assert!(matches!(
        store.add_user("nope", "u", Role::Editor, "h"),
        Err(HubError::NotFound(_))
    ));
    store
        .add_user("a", "somchai", Role::Viewer, &hash_password("password-1").unwrap())
        .unwrap();
    store
        .add_user("a", "somchai", Role::Editor, &hash_password("password-2").unwrap())
        .unwrap();
    let users = store.users().unwrap();
    assert_eq!(users.len(), 1);
    assert_eq!(users[0].role, Role::Editor);
    let login = tongtin::hub::auth::login(&*store, "a", "somchai", "password-2", 1.0).unwrap();
    assert_eq!(login.role, Role::Editor);
    assert!(tongtin::hub::auth::login(&*store, "a", "somchai", "password-1", 1.0).is_err());
    let session = tongtin::hub::auth::authenticate(&*store, Some(&login.token)).unwrap();
    assert_eq!((session.org.as_str(), session.user.as_str()), ("a", "somchai"));
    assert!(store.remove_user("a", "somchai").unwrap());
    assert!(!store.remove_user("a", "somchai").unwrap());
    assert!(matches!(
        tongtin::hub::auth::authenticate(&*store, Some(&login.token)),
        Err(HubError::Unauthorized)
    ));
    // The hub administrator signs in to any organisation as admin.
    assert!(!store.has_superuser().unwrap());
    assert_eq!(
        tongtin::hub::ensure_first_admin(&*store, Some("admin-pass")).unwrap(),
        None
    );
    assert!(store.has_superuser().unwrap());
    let admin = tongtin::hub::auth::login(&*store, "a", "admin", "admin-pass", 1.0).unwrap();
    assert_eq!(admin.role, Role::Admin);
    assert!(tongtin::hub::auth::login(&*store, "zz", "admin", "admin-pass", 1.0).is_err());
    let expired = tongtin::hub::auth::login(&*store, "a", "admin", "admin-pass", 0.0).unwrap();
    assert!(matches!(
        tongtin::hub::auth::authenticate(&*store, Some(&expired.token)),
        Err(HubError::TokenExpired)
    ));
    assert_eq!(store.orgs().unwrap()[0].code, "a");
}

/// The delete of `insert`'s feature by an office that saw it as inserted,
/// as part of the user action `edit`.
fn delete_of(insert: &WireOp, edit: &str, hlc: i64) -> WireOp {
    WireOp {
        op_id: uuid::Uuid::new_v4().to_string(),
        edit_id: edit.into(),
        hlc,
        device: "pc-1".into(),
        kind: tongtin::journal::OpKind::Delete,
        fields: insert
            .fields
            .iter()
            .map(|f| tongtin::sync::WireField {
                field: f.field.clone(),
                old: f.new.clone(),
                new: None,
            })
            .collect(),
        ..insert.clone()
    }
}

/// The features the organisation's log leaves live, replayed.
fn live(store: &dyn HubStore, org: &str) -> std::collections::BTreeSet<String> {
    let mut live = std::collections::BTreeSet::new();
    for e in store.pull(org, 0, 10_000).unwrap().entries {
        match e.change {
            EntryChange::Upsert { .. } => {
                live.insert(e.uid);
            }
            EntryChange::Delete => {
                live.remove(&e.uid);
            }
            _ => {}
        }
    }
    live
}

fn the_deletes_of_one_action_stand_or_fall_together(store: Arc<dyn HubStore>) {
    // A pole and its lamp (a second feature is enough: the rule is the action's).
    for (org, delete_first) in [("kept", false), ("revived", true)] {
        store.add_org(org, org).unwrap();
        let pole = pole_insert("p1", "P-1", 100.0, 200.0, 10, "pc-1");
        let lamp = pole_insert("l1", "L-1", 100.0, 200.5, 10, "pc-1");
        push(&*store, org, vec![pole.clone(), lamp.clone()]);
        let edit = field_update("p1", "status", "'normal'", "'damaged'", 20, "pc-2");
        let deletes = vec![delete_of(&lamp, "del", 15), delete_of(&pole, "del", 15)];
        let conflicts = if delete_first {
            push(&*store, org, deletes);
            assert!(live(&*store, org).is_empty(), "both deleted at first");
            push(&*store, org, vec![edit]).conflicts
        } else {
            push(&*store, org, vec![edit]);
            push(&*store, org, deletes).conflicts
        };
        assert_eq!(
            live(&*store, org),
            ["l1".to_string(), "p1".to_string()].into(),
            "{org}: the pole is kept, and the lamp deleted with it is back"
        );
        let lamp = conflicts
            .iter()
            .find(|c| c.uid == "l1")
            .unwrap_or_else(|| panic!("{org}: the lamp's delete is a conflict to decide: {conflicts:?}"));
        assert_eq!(lamp.kind, ConflictKind::EditDeleted);
        assert_eq!(
            lamp.kept_with.as_ref().map(|k| k.uid.as_str()),
            Some("p1"),
            "{org}: kept with the pole"
        );
    }
}
