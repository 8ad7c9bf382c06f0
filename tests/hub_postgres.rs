//! The hub on PostgreSQL: several hub processes sharing one database, the
//! organisation's data readable by SQL (PostGIS views, as QGIS reads it),
//! and the push throughput of both stores. A real cluster is started for
//! this binary by scripts/postgres.sh.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::time::Instant;

use common::hub::{field_update, pole_insert, sqlite_store, Hub, Postgres};
use tongtin::journal::OpKind;
use tongtin::sync::{WireField, WireOp};

#[test]
fn two_hubs_sharing_one_database_lose_and_duplicate_nothing() {
    let store = Postgres::shared().database();
    let hubs = [Hub::start(&store), Hub::start(&store)];
    for org in ["a", "b"] {
        hubs[0].add_org(org);
        hubs[0].add_user(org, "ed", "editor", "password-1");
    }
    const THREADS: usize = 8;
    const PUSHES: usize = 12;
    const OPS: usize = 10;
    let pushed: Vec<(String, Vec<String>)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..THREADS)
            .map(|t| {
                let hub = &hubs[t % 2];
                let org = if t < THREADS / 2 { "a" } else { "b" };
                s.spawn(move || {
                    let api = hub.login(org, "ed", "password-1");
                    let mut ids = Vec::new();
                    let mut previous: Vec<WireOp> = Vec::new();
                    for p in 0..PUSHES {
                        let device = format!("pc-{t}");
                        let ops: Vec<WireOp> = (0..OPS)
                            .map(|i| {
                                let uid = format!("t{t}-p{p}-{i}");
                                if i % 2 == 1 && p > 0 {
                                    // Change a feature this thread inserted in its previous push.
                                    let prev = format!("t{t}-p{}-{}", p - 1, i - 1);
                                    field_update(
                                        &prev,
                                        "status",
                                        "'normal'",
                                        "'damaged'",
                                        (p * 100 + i) as i64,
                                        &device,
                                    )
                                } else {
                                    pole_insert(&uid, &uid, t as f64, p as f64, (p * 100 + i) as i64, &device)
                                }
                            })
                            .collect();
                        // Every third push is sent twice, as after a lost answer.
                        let mut batch = ops.clone();
                        if p % 3 == 2 {
                            batch.splice(0..0, previous.iter().cloned());
                        }
                        let r = api.push_ok(batch);
                        assert_eq!(r.accepted as usize, OPS);
                        ids.extend(ops.iter().map(|o| o.op_id.clone()));
                        previous = ops;
                    }
                    (org.to_string(), ids)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a pushing thread"))
            .collect()
    });
    let mut expected: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (org, ids) in pushed {
        expected.entry(org).or_default().extend(ids);
    }
    for (org, ids) in expected {
        for hub in &hubs {
            let log = hub.login(&org, "ed", "password-1").pull_all(0);
            let seqs: Vec<i64> = log.entries.iter().map(|e| e.seq).collect();
            assert_eq!(
                seqs,
                (1..=ids.len() as i64).collect::<Vec<_>>(),
                "{org}: seqs dense from 1"
            );
            assert_eq!(log.last_seq, ids.len() as i64);
            let logged: Vec<&str> = log.entries.iter().map(|e| e.op_id.as_str()).collect();
            let unique: BTreeSet<&str> = logged.iter().copied().collect();
            assert_eq!(unique.len(), logged.len(), "{org}: an op logged twice");
            let wanted: BTreeSet<&str> = ids.iter().map(String::as_str).collect();
            assert_eq!(unique, wanted, "{org}: every op once");
        }
    }
}

#[test]
fn an_organisations_layers_are_views_qgis_can_read() {
    let store = Postgres::shared().database();
    let hub = Hub::start(&store);
    let ed = hub.org_with_editor("non-sa-at");
    let pole = pole_insert("p-1", "NSA-0001", 712345.5, 1812345.25, 10, "pc-1");
    ed.push_ok(vec![pole.clone()]);
    let mut db = postgres::Client::connect(&store, postgres::NoTls).unwrap();
    let row = db
        .query_one(
            "SELECT uid, pole_no, status, height_m::float8, ST_AsText(geom), ST_SRID(geom) FROM org_non_sa_at.poles",
            &[],
        )
        .unwrap();
    assert_eq!(row.get::<_, String>(0), "p-1");
    assert_eq!(row.get::<_, String>(1), "NSA-0001");
    assert_eq!(row.get::<_, String>(2), "normal");
    assert_eq!(row.get::<_, f64>(3), 9.0);
    assert_eq!(row.get::<_, String>(4), "POINT(712345.5 1812345.25)");
    assert_eq!(row.get::<_, i32>(5), 32648);
    // Edits show; a new field becomes a column; a deleted feature leaves the view.
    ed.push_ok(vec![field_update("p-1", "status", "'normal'", "'damaged'", 11, "pc-1")]);
    ed.push_ok(vec![field_update("p-1", "note", "NULL", "'เสาเอียง'", 12, "pc-1")]);
    let row = db
        .query_one("SELECT status, note FROM org_non_sa_at.poles", &[])
        .unwrap();
    assert_eq!(
        (row.get::<_, String>(0), row.get::<_, String>(1)),
        ("damaged".into(), "เสาเอียง".into())
    );
    let live = ed.pull_all(0).entries.last().cloned().unwrap();
    let tongtin::sync::EntryChange::Upsert { row: current } = live.change else {
        panic!("expected the row")
    };
    let delete = WireOp {
        kind: OpKind::Delete,
        hlc: 20,
        fields: current
            .iter()
            .map(|(f, v)| WireField {
                field: f.clone(),
                old: Some(v.clone()),
                new: None,
            })
            .collect(),
        ..field_update("p-1", "status", "", "", 20, "pc-1")
    };
    ed.push_ok(vec![delete]);
    let n: i64 = db
        .query_one("SELECT count(*) FROM org_non_sa_at.poles", &[])
        .unwrap()
        .get(0);
    assert_eq!(n, 0);
    // Another organisation's view is its own.
    let other = hub.org_with_editor("chum-phae");
    other.push_ok(vec![pole_insert("q-1", "CP-1", 1.0, 2.0, 1, "pc-9")]);
    let n: i64 = db
        .query_one("SELECT count(*) FROM org_chum_phae.poles", &[])
        .unwrap()
        .get(0);
    assert_eq!(n, 1);
}

/// One push of 5,000 new poles to each store, over HTTP on loopback; prints
/// ops/s (run with --nocapture to see the figures).
#[test]
fn push_throughput_of_5000_ops() {
    let stores = [("sqlite", sqlite_store()), ("postgres", Postgres::shared().database())];
    for (kind, store) in stores {
        let hub = Hub::start(&store);
        let ed = hub.org_with_editor("a");
        let ops: Vec<WireOp> = (0..5000)
            .map(|i| pole_insert(&format!("p{i}"), &format!("P-{i}"), i as f64, 0.0, i, "pc-1"))
            .collect();
        let updates: Vec<WireOp> = (0..5000)
            .map(|i| field_update(&format!("p{i}"), "status", "'normal'", "'damaged'", 10_000 + i, "pc-1"))
            .collect();
        let t = Instant::now();
        let r = ed.push_ok(ops);
        let insert_s = t.elapsed().as_secs_f64();
        assert_eq!(r.accepted, 5000);
        let t = Instant::now();
        ed.push_ok(updates);
        let update_s = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let pulled = ed.pull_all(0);
        let pull_s = t.elapsed().as_secs_f64();
        assert_eq!(pulled.entries.len(), 10_000);
        eprintln!(
            "hub push throughput ({kind}): 5,000 inserts {:.0} ops/s ({insert_s:.2} s), 5,000 updates {:.0} ops/s ({update_s:.2} s); pull of 10,000 entries {pull_s:.2} s",
            5000.0 / insert_s,
            5000.0 / update_s
        );
        assert!(5000.0 / insert_s > 200.0, "{kind}: under 200 ops/s");
    }
}
