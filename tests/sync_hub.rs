//! Sync through a real hub (`tongtin serve`) on loopback: the seven
//! concurrent-edit cases, retries after faults (hub killed mid-push,
//! connection dropped mid-pull, client killed mid-apply), and many clients
//! against two hub processes sharing one PostgreSQL.

mod common;

use std::collections::BTreeMap;

use common::hub::{sqlite_store, Hub, Postgres};
use common::replica::Replica;
use common::{demo, tongtin};
use tongtin::gpkg::{quote_ident, GeoPackage, Value};
use tongtin::journal::journaled_tables;
use tongtin::progress::Silent;
use tongtin::sync::{remote::HubAccess, ConflictKind, EntryChange, SyncError, SyncReport};

const PASSWORD: &str = "password-1";

/// A hub of its own on an SQLite store (a static one would outlive the
/// test process).
fn sqlite_hub() -> Hub {
    Hub::start(&sqlite_store())
}

fn access(hub: &Hub, org: &str, user: &str) -> HubAccess {
    HubAccess {
        url: hub.url.clone(),
        org: org.into(),
        user: user.into(),
        password: PASSWORD.into(),
        ca_pem: None,
    }
}

fn org(hub: &Hub, code: &str) {
    hub.add_org(code);
    hub.add_user(code, "ed", "editor", PASSWORD);
    hub.add_user(code, "vi", "viewer", PASSWORD);
}

fn sync(r: &Replica, a: &HubAccess) -> SyncReport {
    tongtin::sync::sync(&r.path, a, &r.actor, &Silent).unwrap_or_else(|e| panic!("{} syncs: {e}", r.actor.device))
}

/// What the status badge says waits to be sent.
fn pending(r: &Replica) -> Option<u64> {
    tongtin::sync::local_status(&GeoPackage::open(&r.path).unwrap())
        .unwrap()
        .pending
}

/// Two copies of the demo that have both synced with a fresh organisation.
fn pair(hub: &Hub, code: &str) -> (Replica, Replica, HubAccess) {
    org(hub, code);
    let a = Replica::copy_of(&demo(), &format!("hub-{code}-a"));
    let b = Replica::copy_of(&demo(), &format!("hub-{code}-b"));
    let ac = access(hub, code, "ed");
    assert_eq!(pending(&a), None, "before the first sync the whole file waits");
    let first = sync(&a, &ac);
    assert!(
        first.first && first.pushed > 5_000,
        "the first sync sends the whole file: {first:?}"
    );
    let second = sync(&b, &ac);
    assert_eq!(
        second.pushed, 0,
        "the same starting data is not taken twice: {second:?}"
    );
    assert!(a.conflicts().is_empty() && b.conflicts().is_empty());
    (a, b, ac)
}

/// Syncs both until neither has anything to send, and checks they and the
/// hub hold the same data.
fn settle(hub: &Hub, a: &Replica, b: &Replica, ac: &HubAccess) {
    sync(a, ac);
    sync(b, ac);
    sync(a, ac);
    assert_eq!(a.content_hash(), b.content_hash(), "both offices hold the same data");
    assert_eq!(hub_rows(hub, ac), file_rows(&a.path), "the hub holds the same data");
    for r in [a, b] {
        let check = tongtin(&["journal", "check", r.path.to_str().unwrap()]);
        assert!(
            check.status.success(),
            "{}: what sync wrote is journaled: {}",
            r.actor.device,
            String::from_utf8_lossy(&check.stdout)
        );
    }
}

/// What the hub holds for an organisation: its log replayed.
fn hub_rows(hub: &Hub, a: &HubAccess) -> BTreeMap<(String, String), BTreeMap<String, String>> {
    let api = hub.login(&a.org, &a.user, &a.password);
    let mut rows = BTreeMap::new();
    for e in api.pull_all(0).entries {
        match e.change {
            EntryChange::Upsert { row } => {
                rows.insert((e.layer, e.uid), row);
            }
            EntryChange::Delete => {
                rows.remove(&(e.layer, e.uid));
            }
            _ => {}
        }
    }
    rows
}

/// What a file holds, the same way: journaled rows as literals, NULLs left out.
fn file_rows(path: &std::path::Path) -> BTreeMap<(String, String), BTreeMap<String, String>> {
    let g = GeoPackage::open(path).unwrap();
    let conn = g.connection();
    let mut rows = BTreeMap::new();
    for t in journaled_tables(conn).unwrap() {
        let select: Vec<String> = t.columns.iter().map(|c| quote_ident(c)).collect();
        let mut stmt = conn
            .prepare(&format!("SELECT {} FROM {}", select.join(", "), quote_ident(&t.table)))
            .unwrap();
        let mut q = stmt.query([]).unwrap();
        while let Some(r) = q.next().unwrap() {
            let mut row = BTreeMap::new();
            for (i, c) in t.columns.iter().enumerate() {
                let value = Value::from(r.get_ref(i).unwrap());
                if !value.is_null() {
                    row.insert(c.clone(), tongtin::journal::literal(&value));
                }
            }
            let uid = row["uid"].trim_matches('\'').to_string();
            rows.insert((t.table.clone(), uid), row);
        }
    }
    rows
}

#[test]
fn the_seven_cases_through_the_hub() {
    let hub = &sqlite_hub();
    let (a, b, ac) = pair(hub, "seven");
    let [p_same, p_equal, p_fields, p_move] = [20, 21, 22, 23].map(|n| a.pole(n));
    // The poles deleted have lamps, which their delete takes with them.
    let with_lamps = |n: i64| -> String {
        GeoPackage::open(&a.path)
            .unwrap()
            .connection()
            .query_row(
                "SELECT DISTINCT pole_uid FROM lamps ORDER BY pole_uid LIMIT 1 OFFSET ?1",
                [n],
                |r| r.get(0),
            )
            .unwrap()
    };
    let (p_del, p_edit) = (with_lamps(40), with_lamps(41));
    let lamps = |r: &Replica, pole: &str| {
        common::count(
            &r.path,
            &format!("SELECT count(*) FROM lamps WHERE pole_uid = '{pole}'"),
        )
    };
    let had = (lamps(&a, &p_del), lamps(&a, &p_edit));
    assert!(had.0 > 0 && had.1 > 0);
    let (x, y) = a.xy("poles", &p_move);
    // a edits first and syncs; b edits without having seen a's changes.
    a.set("poles", &p_same, "circuit_no", "A-1".into());
    a.set("poles", &p_equal, "circuit_no", "E-1".into());
    a.set("poles", &p_fields, "height_m", Value::Real(11.0));
    a.move_point("poles", &p_move, 2.0, 0.0);
    a.delete("poles", &p_del);
    a.set("poles", &p_edit, "circuit_no", "A-2".into());
    let at = a.xy("poles", &p_same);
    let insert = |r: &Replica, no: &str, dx: f64| {
        r.edit(vec![tongtin::edit::Change::Insert {
            layer: "poles".into(),
            uid: None,
            values: [
                ("pole_no".to_string(), Value::from(no)),
                ("pole_type".to_string(), "single_arm".into()),
                ("owner".to_string(), "lao".into()),
                ("status".to_string(), "normal".into()),
            ]
            .into(),
            geometry: Some(tongtin::geom::Geometry::point(at.0 + dx, at.1 + 4.0)),
        }])
    };
    insert(&a, "H-A-1", 3.0);
    sync(&a, &ac);
    b.set("poles", &p_same, "circuit_no", "B-1".into());
    b.set("poles", &p_equal, "circuit_no", "E-1".into());
    b.set("poles", &p_fields, "circuit_no", "F-1".into());
    b.move_point("poles", &p_move, 0.0, 3.0);
    b.set("poles", &p_del, "circuit_no", "D-1".into());
    b.delete("poles", &p_edit);
    insert(&b, "H-B-1", -3.0);
    let report = sync(&b, &ac);
    assert!(report.raised >= 4, "b's push raised the conflicts: {report:?}");
    settle(hub, &a, &b, &ac);

    for r in [&a, &b] {
        let conflicts = r.conflicts();
        let on = |uid: &String| -> Vec<&tongtin::sync::KnownConflict> {
            conflicts.iter().filter(|c| &c.conflict.uid == uid).collect()
        };
        // Same field, different values: the later (b's) stands, a's is kept.
        assert_eq!(r.get("poles", &p_same, "circuit_no"), Some("B-1".into()));
        let c = on(&p_same).into_iter().next().expect("conflict on the same field");
        assert_eq!(c.conflict.kind, ConflictKind::Field);
        let sides = [c.conflict.ours.value.clone(), c.conflict.theirs.value.clone()];
        assert!(
            sides.contains(&Some("'A-1'".into())),
            "a's value is recoverable: {sides:?}"
        );
        // Same value: no conflict.
        assert!(on(&p_equal).is_empty());
        assert_eq!(r.get("poles", &p_equal, "circuit_no"), Some("E-1".into()));
        // Different fields: both.
        assert!(on(&p_fields).is_empty());
        assert_eq!(r.get("poles", &p_fields, "height_m"), Some(Value::Real(11.0)));
        assert_eq!(r.get("poles", &p_fields, "circuit_no"), Some("F-1".into()));
        // Both moved the point: the later position, the other in the record.
        assert_eq!(r.xy("poles", &p_move), (x, y + 3.0));
        assert!(on(&p_move).iter().any(|c| c.conflict.field.as_deref() == Some("geom")));
        // Delete against edit, both ways: the edited pole stays.
        for p in [&p_del, &p_edit] {
            assert!(r.exists("poles", p), "{}: the edited pole {p} stays", r.actor.device);
            assert!(
                on(p).iter().any(|c| c.conflict.field.is_none()),
                "a whole-feature conflict on {p}"
            );
        }
        assert_eq!(r.get("poles", &p_del, "circuit_no"), Some("D-1".into()));
        assert_eq!(
            (lamps(r, &p_del), lamps(r, &p_edit)),
            had,
            "{}: the kept poles keep their lamps",
            r.actor.device
        );
        assert_eq!(r.get("poles", &p_edit, "circuit_no"), Some("A-2".into()));
        // Both inserted: both poles, no clash.
        assert_eq!(
            common::count(
                &r.path,
                "SELECT count(*) FROM poles WHERE pole_no IN ('H-A-1', 'H-B-1')"
            ),
            2
        );
    }
    let status = tongtin(&["conflicts", a.path.to_str().unwrap()]);
    assert_eq!(status.status.code(), Some(1), "open conflicts: exit 1");
}

#[test]
fn a_resolution_on_one_office_closes_the_conflict_everywhere() {
    let hub = &sqlite_hub();
    let (a, b, ac) = pair(hub, "resolve");
    let pole = a.pole(30);
    a.set("poles", &pole, "circuit_no", "A-1".into());
    sync(&a, &ac);
    b.set("poles", &pole, "circuit_no", "B-1".into());
    sync(&b, &ac);
    sync(&a, &ac);
    let id = a.conflicts()[0].conflict.id.clone();
    assert!(
        b.conflicts().iter().any(|c| c.conflict.id == id),
        "the same conflict on both"
    );
    tongtin::sync::resolve(&a.path, &id, &tongtin::sync::Take::Mine, &a.actor).unwrap();
    settle(hub, &a, &b, &ac);
    assert!(a.conflicts().is_empty() && b.conflicts().is_empty());
    assert_eq!(b.get("poles", &pole, "circuit_no"), Some("A-1".into()));
    let out = tongtin(&["conflicts", b.path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn a_viewer_pulls_but_cannot_push_and_wrong_credentials_are_told_apart() {
    let hub = &sqlite_hub();
    let (a, _b, ac) = pair(hub, "roles");
    let v = Replica::copy_of(&demo(), "hub-roles-viewer");
    let viewer = access(hub, "roles", "vi");
    assert_eq!(pending(&a), Some(0));
    a.set("poles", &a.pole(31), "circuit_no", "V-1".into());
    a.set("poles", &a.pole(32), "circuit_no", "V-2".into());
    assert_eq!(pending(&a), Some(2), "two changes wait");
    sync(&a, &ac);
    assert_eq!(pending(&a), Some(0));
    match tongtin::sync::sync(&v.path, &viewer, &v.actor, &Silent) {
        Err(SyncError::Forbidden { .. }) => {}
        other => panic!("a viewer's first sync pushes and is refused: {other:?}"),
    }
    let mut wrong = ac.clone();
    wrong.password = "not-the-password".into();
    assert!(matches!(
        tongtin::sync::sync(&a.path, &wrong, &a.actor, &Silent),
        Err(SyncError::Credentials)
    ));
    let mut nowhere = ac.clone();
    nowhere.url = "http://127.0.0.1:9".into();
    assert!(matches!(
        tongtin::sync::sync(&a.path, &nowhere, &a.actor, &Silent),
        Err(SyncError::Unreachable { .. })
    ));
}

#[test]
fn many_offices_on_two_hubs_sharing_postgresql_converge() {
    let pg = Postgres::shared();
    let store = pg.database();
    let hubs = [Hub::start(&store), Hub::start(&store)];
    org(&hubs[0], "district");
    let offices: Vec<Replica> = (0..20)
        .map(|i| Replica::copy_of(&demo(), &format!("office-{i:02}")))
        .collect();
    let access_of = |i: usize| access(&hubs[i % 2], "district", "ed");
    sync(&offices[0], &access_of(0));
    std::thread::scope(|s| {
        for (i, r) in offices.iter().enumerate().skip(1) {
            let a = access_of(i);
            s.spawn(move || sync(r, &a));
        }
    });
    let shared: Vec<String> = (0..10).map(|n| offices[0].pole(40 + n)).collect();
    for round in 0..2 {
        std::thread::scope(|s| {
            for (i, r) in offices.iter().enumerate() {
                let a = access_of(i + round);
                let shared = &shared;
                s.spawn(move || {
                    r.set(
                        "poles",
                        &shared[i % shared.len()],
                        "circuit_no",
                        format!("R{round}-{i}").into(),
                    );
                    r.set(
                        "poles",
                        &r.pole(100 + i as i64),
                        "height_m",
                        Value::Real(5.0 + i as f64),
                    );
                    sync(r, &a);
                });
            }
        });
    }
    for r in offices.iter().chain(offices.iter()) {
        sync(r, &access_of(0));
    }
    let expected = offices[0].content_hash();
    for r in &offices {
        assert_eq!(r.content_hash(), expected, "{} holds the same data", r.actor.device);
    }
    assert_eq!(
        hub_rows(&hubs[1], &access_of(1)),
        file_rows(&offices[0].path),
        "the hub holds it too"
    );
}

/// Asks to stop as soon as the sync starts sending changes.
struct StopWhenSending(std::sync::atomic::AtomicBool);

impl tongtin::progress::Progress for StopWhenSending {
    fn step(&self, name: &str, _: u64) {
        if name.starts_with("sending changes") {
            self.0.store(true, std::sync::atomic::Ordering::SeqCst);
        }
    }
    fn advance(&self, _: u64) {}
    fn cancelled(&self) -> bool {
        self.0.load(std::sync::atomic::Ordering::SeqCst)
    }
}

#[test]
fn a_cancelled_sync_keeps_what_waits_and_the_next_one_sends_it() {
    let hub = &sqlite_hub();
    let (a, b, ac) = pair(hub, "cancel");
    let pole = a.pole(33);
    a.set("poles", &pole, "circuit_no", "C-1".into());
    let stop = StopWhenSending(false.into());
    match tongtin::sync::sync(&a.path, &ac, &a.actor, &stop) {
        Err(SyncError::Cancelled) => {}
        other => panic!("the sync stops when asked: {other:?}"),
    }
    assert_eq!(pending(&a), Some(1), "the change still waits");
    sync(&b, &ac);
    assert_ne!(
        b.get("poles", &pole, "circuit_no"),
        Some("C-1".into()),
        "nothing was sent"
    );
    settle(hub, &a, &b, &ac);
    assert_eq!(pending(&a), Some(0));
    assert_eq!(b.get("poles", &pole, "circuit_no"), Some("C-1".into()));
}

#[test]
fn a_photo_reaches_an_office_that_had_none_bytes_and_all() {
    let hub = &sqlite_hub();
    let (a, b, ac) = pair(hub, "photo");
    let pole = a.pole(34);
    assert!(b.photos("poles", &pole).is_empty());
    let bytes = a.attach_photo("poles", &pole);
    settle(hub, &a, &b, &ac);
    assert_eq!(b.photos("poles", &pole), vec![bytes], "the photo arrived whole");
}
