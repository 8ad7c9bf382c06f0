//! `bench --parts sync`: preparing and applying 12,500 changes (a sync
//! package exported and imported) against pygeodiff's create + apply of a
//! changeset on the same files; "is there anything to sync?"; and a hub
//! under 20 concurrent clients (ops/s, latency).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use tongtin::edit::{Change, Edit, Editor, Mode};
use tongtin::gpkg::{GeoPackage, Value};
use tongtin::journal::{Actor, OpKind, Row};
use tongtin::sync::{self, package, remote, PushRequest, WireField, WireOp, WIRE_VERSION};

use super::bench::{fail, stats};
use super::exit::Failure;

const UPDATES: usize = 10_000;
const INSERTS: usize = 1_500;
const DELETES: usize = 1_000;
const CLIENTS: usize = 20;
const PUSHES_PER_CLIENT: usize = 10;
const OPS_PER_PUSH: usize = 250;

fn copy(data: &Path, name: &str) -> Result<PathBuf, Failure> {
    let to = data.with_file_name(name);
    std::fs::copy(data, &to).map_err(fail)?;
    Ok(to)
}

fn actor(device: &str) -> Actor {
    Actor {
        user: "bench".into(),
        device: device.into(),
    }
}

/// 12,500 changes in one edit: pole status updates, new poles, lamps removed.
fn changes(path: &Path) -> Result<Vec<Change>, Failure> {
    let g = GeoPackage::open(path).map_err(fail)?;
    let uids = |sql: &str, n: usize| -> Result<Vec<String>, Failure> {
        g.connection()
            .prepare(sql)
            .and_then(|mut s| s.query_map([n as i64], |r| r.get(0))?.collect::<Result<_, _>>())
            .map_err(fail)
    };
    let poles = uids("SELECT uid FROM poles ORDER BY fid LIMIT ?1", UPDATES + 1)?;
    let lamps = uids("SELECT uid FROM lamps ORDER BY fid DESC LIMIT ?1", DELETES)?;
    let template: Row = tongtin::edit::read_row(g.connection(), "poles", &poles[UPDATES])
        .map_err(fail)?
        .ok_or_else(|| fail("no pole"))?;
    let mut out: Vec<Change> = poles[..UPDATES]
        .iter()
        .enumerate()
        .map(|(i, uid)| Change::Update {
            layer: "poles".into(),
            uid: uid.clone(),
            values: [("circuit_no".to_string(), Value::from(format!("B-{i}")))].into(),
            geometry: None,
            expect: Row::new(),
        })
        .collect();
    for i in 0..INSERTS {
        let mut values = template.clone();
        values.insert("uid".into(), Value::from(uuid::Uuid::new_v4().to_string()));
        values.insert("pole_no".into(), Value::from(format!("BENCH-{i:05}")));
        out.push(Change::Insert {
            layer: "poles".into(),
            uid: None,
            values,
            geometry: None,
        });
    }
    out.extend(lamps.into_iter().map(|uid| Change::Delete {
        layer: "lamps".into(),
        uid,
    }));
    Ok(out)
}

pub fn run(data: &Path) -> Result<(), Failure> {
    let edited = copy(data, "sync_edited.gpkg")?;
    let target = copy(data, "sync_target.gpkg")?;
    let base = copy(data, "sync_base.gpkg")?;
    let geodiff_target = copy(data, "sync_geodiff_target.gpkg")?;
    // The starting point, not timed: both files know the same data and the
    // edited one has exported it once.
    let first = edited.with_file_name("sync_first.tongtin-sync");
    package::export(&edited, &first, false, &actor("office-a")).map_err(fail)?;
    sync::open_for_sync(&target, &actor("office-b")).map_err(fail)?;
    let mut editor = Editor::open(&edited, actor("office-a")).map_err(fail)?;
    let all = changes(&edited)?;
    let n = all.len();
    editor
        .apply(&Edit {
            label: "bench".into(),
            mode: Mode::Exact,
            changes: all,
        })
        .map_err(fail)?;
    drop(editor);

    let status = |path: &Path| -> Result<(bool, Vec<f64>), Failure> {
        let g = GeoPackage::open(path).map_err(fail)?;
        let mut times = Vec::new();
        let mut outgoing = false;
        for _ in 0..200 {
            let t = Instant::now();
            outgoing = sync::local::has_outgoing(g.connection(), sync::local::Channel::Package).map_err(fail)?;
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        Ok((outgoing, times))
    };
    let (pending, before) = status(&edited)?;

    let pkg = edited.with_file_name("sync_changes.tongtin-sync");
    let t = Instant::now();
    let exported = package::export(&edited, &pkg, false, &actor("office-a")).map_err(fail)?;
    let prepare = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let imported = package::import(&target, &pkg, &actor("office-b")).map_err(fail)?;
    let apply = t.elapsed().as_secs_f64();
    let (after_pending, after) = status(&edited)?;
    let same: i64 = GeoPackage::open(&target)
        .map_err(fail)?
        .connection()
        .query_row(
            "SELECT count(*) FROM poles WHERE pole_no LIKE 'BENCH-%' OR circuit_no LIKE 'B-%'",
            [],
            |r| r.get(0),
        )
        .map_err(fail)?;

    let floor = bare_writes(&copy(data, "sync_floor.gpkg")?, &pkg)?;
    let reference = geodiff(&base, &edited, &geodiff_target)?;
    say!(
        "| sync: prepare + apply {n} changes | {UPDATES} updates, {INSERTS} inserts, {DELETES} deletes (+ what the journal adds) | pygeodiff 2.3.2: create {:.2} s + apply {:.2} s = {:.2} s ({} changes) | Tongtin: export {:.2} s + import {:.2} s = {:.2} s ({} ops, {} taken; {same} features checked in the target): {:.2}× pygeodiff's time |",
        reference.0,
        reference.1,
        reference.0 + reference.1,
        reference.2,
        prepare,
        apply,
        prepare + apply,
        exported.ops,
        imported.accepted,
        (prepare + apply) / (reference.0 + reference.1)
    );
    say!(
        "| sync: the same row writes alone | the package's changes written by uid in one transaction, no merge, no journal, no idempotency record (the floor any apply into this file pays) | pygeodiff apply: {:.2} s | {floor:.2} s: {:.0}% of Tongtin's import |",
        reference.1,
        100.0 * floor / apply
    );
    say!(
        "| sync: \"anything to sync?\" | changes not yet sent, no network; 200 calls | pygeodiff: a changeset must be created first ({:.2} s above) | Tongtin with changes waiting ({pending}): {}; with none ({after_pending}): {} |",
        reference.0,
        stats(before),
        stats(after)
    );
    hub_throughput(data)
}

/// Seconds to write a package's changes into `path` as bare row writes in
/// one transaction (the capture triggers off, nothing journaled), commit
/// included: what applying them costs before any of sync's own work.
fn bare_writes(path: &Path, package: &Path) -> Result<f64, Failure> {
    use tongtin::sync::SyncError;
    let (content, _) = package::read(package).map_err(fail)?;
    let value = |lit: &str| -> Result<Value, SyncError> {
        tongtin::journal::parse_list(lit)
            .ok()
            .and_then(|mut v| v.pop())
            .ok_or_else(|| SyncError::Damaged(format!("literal {lit}")))
    };
    let layers: Vec<&str> = content.ops.iter().map(|o| o.layer.as_str()).collect();
    let mut g = GeoPackage::open_writable(path).map_err(fail)?;
    let t = Instant::now();
    g.write(|b| -> Result<(), SyncError> {
        let conn = b.sql();
        tongtin::journal::without_capture(conn, &layers, |_| -> Result<(), SyncError> {
            for op in &content.ops {
                let mut row = Row::new();
                for f in &op.fields {
                    if let Some(new) = &f.new {
                        row.insert(f.field.clone(), value(new)?);
                    }
                }
                match op.kind {
                    OpKind::Insert => tongtin::edit::insert_row(conn, &op.layer, &row).map(drop),
                    OpKind::Update => tongtin::edit::update_row(conn, &op.layer, &op.uid, &row).map(drop),
                    OpKind::Delete => tongtin::edit::delete_row(conn, &op.layer, &op.uid).map(drop),
                }?;
            }
            Ok(())
        })
    })
    .map_err(fail)?;
    Ok(t.elapsed().as_secs_f64())
}

/// pygeodiff's (create, apply, changes) seconds on the same files.
fn geodiff(base: &Path, modified: &Path, target: &Path) -> Result<(f64, f64, u64), Failure> {
    let python = "python3";
    let has = Command::new(python)
        .args(["-c", "import pygeodiff"])
        .status()
        .is_ok_and(|s| s.success());
    if !has {
        let installed = Command::new(python)
            .args(["-m", "pip", "install", "--quiet", "pygeodiff==2.3.2"])
            .status()
            .is_ok_and(|s| s.success());
        if !installed {
            return Err(fail(
                "pygeodiff 2.3.2 is needed for the reference figures: python3 -m pip install pygeodiff==2.3.2",
            ));
        }
    }
    let changeset = modified.with_file_name("sync_geodiff.changeset");
    let out = Command::new(python)
        .args(["-c", include_str!("bench_geodiff.py")])
        .args([base, modified, target, &changeset].map(|p| p.as_os_str().to_owned()))
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| fail(format!("python3 could not be started ({e})")))?;
    let text = String::from_utf8_lossy(&out.stdout);
    let json: serde_json::Value = text
        .lines()
        .last()
        .and_then(|l| serde_json::from_str(l).ok())
        .ok_or_else(|| fail(format!("pygeodiff failed: {text}")))?;
    let secs = |k: &str| json[k].as_f64().unwrap_or(f64::NAN);
    Ok((secs("create"), secs("apply"), json["changes"].as_u64().unwrap_or(0)))
}

/// One client's push and status latencies, in milliseconds.
type Latencies = (Vec<f64>, Vec<f64>);

/// A hub on an SQLite store, 20 clients pushing and pulling at once.
fn hub_throughput(data: &Path) -> Result<(), Failure> {
    let dir = data.with_file_name("bench_hub");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(fail)?;
    let store = format!("sqlite:{}", dir.join("hub.sqlite").display());
    let exe = std::env::current_exe().map_err(fail)?;
    let hub_cli = |args: &[&str]| -> Result<(), Failure> {
        let ok = Command::new(&exe)
            .args(["hub", "--store", &store])
            .args(args)
            .env("BENCH_PASSWORD", "bench-password")
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then_some(())
            .ok_or_else(|| fail(format!("tongtin hub {args:?} failed")))
    };
    hub_cli(&["org", "add", "bench", "--name", "Bench"])?;
    hub_cli(&[
        "user",
        "add",
        "ed",
        "--org",
        "bench",
        "--role",
        "editor",
        "--password-env",
        "BENCH_PASSWORD",
    ])?;
    let mut child = Command::new(&exe)
        .args(["serve", "--store", &store, "--listen", "127.0.0.1:0"])
        .env("TONGTIN_HUB_ADMIN_PASSWORD", "bench-admin-password")
        .stdout(Stdio::piped())
        .spawn()
        .map_err(fail)?;
    let url = {
        use std::io::BufRead;
        let mut lines = std::io::BufReader::new(child.stdout.take().ok_or_else(|| fail("no stdout"))?).lines();
        let url = lines
            .by_ref()
            .map_while(Result::ok)
            .find_map(|l| {
                l.strip_prefix("listening on ")
                    .map(|r| r.split_whitespace().next().unwrap_or("").to_string())
            })
            .ok_or_else(|| fail("the hub did not start"))?;
        std::thread::spawn(move || lines.for_each(drop));
        url
    };
    let access = remote::HubAccess {
        url,
        org: "bench".into(),
        user: "ed".into(),
        password: "bench-password".into(),
        ca_pem: None,
    };
    let t = Instant::now();
    let results: Vec<Result<Latencies, String>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..CLIENTS)
            .map(|c| {
                let access = access.clone();
                s.spawn(move || -> Result<Latencies, String> {
                    let hub = remote::Hub::connect(&access).map_err(|e| e.to_string())?;
                    let mut pushes = Vec::new();
                    let mut pulls = Vec::new();
                    for p in 0..PUSHES_PER_CLIENT {
                        let ops = (0..OPS_PER_PUSH).map(|i| bench_op(c, p, i)).collect();
                        let t = Instant::now();
                        hub.push(&PushRequest {
                            wire: WIRE_VERSION,
                            model_version: tongtin::model::schema().version,
                            device: format!("bench-{c}"),
                            ops,
                        })
                        .map_err(|e| e.to_string())?;
                        pushes.push(t.elapsed().as_secs_f64() * 1000.0);
                        let t = Instant::now();
                        hub.status().map_err(|e| e.to_string())?;
                        pulls.push(t.elapsed().as_secs_f64() * 1000.0);
                    }
                    Ok((pushes, pulls))
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| Err("a client panicked".into())))
            .collect()
    });
    let secs = t.elapsed().as_secs_f64();
    let _ = child.kill();
    let _ = child.wait();
    let mut pushes = Vec::new();
    let mut statuses = Vec::new();
    for r in results {
        let (p, s) = r.map_err(fail)?;
        pushes.extend(p);
        statuses.extend(s);
    }
    let ops = CLIENTS * PUSHES_PER_CLIENT * OPS_PER_PUSH;
    say!(
        "| hub: {CLIENTS} clients at once | {PUSHES_PER_CLIENT} pushes of {OPS_PER_PUSH} new features each, SQLite store, loopback | — | {:.0} ops/s ({ops} ops in {secs:.1} s); push {}; status {} |",
        ops as f64 / secs,
        stats(pushes),
        stats(statuses)
    );
    Ok(())
}

fn bench_op(client: usize, push: usize, i: usize) -> WireOp {
    let uid = uuid::Uuid::new_v4().to_string();
    let lit = |s: String| Some(format!("'{s}'"));
    WireOp {
        op_id: uuid::Uuid::new_v4().to_string(),
        edit_id: format!("bench-{client}-{push}"),
        hlc: (tongtin::journal::wall_millis() << 16) + i as i64,
        user: "bench".into(),
        device: format!("bench-{client}"),
        layer: "poles".into(),
        uid: uid.clone(),
        kind: OpKind::Insert,
        fields: [
            ("uid", uid),
            ("pole_no", format!("H-{client}-{push}-{i}")),
            ("status", "normal".into()),
            ("owner", "lao".into()),
        ]
        .into_iter()
        .map(|(f, v)| WireField {
            field: f.into(),
            old: None,
            new: lit(v),
        })
        .collect(),
        resolves: Vec::new(),
    }
}
