//! The editor killed with SIGKILL at random moments during hundreds of edits
//! (new poles with their lamp, attribute changes, moves, deletes with their
//! lamps, undo and redo) loses no committed edit and leaves no half-written
//! one; the journal holds exactly the committed edits, each in its own
//! transaction with its data (`journal check` finds nothing to capture and
//! no disagreement); SQLite's integrity check and GDAL's validate_gpkg.py
//! accept the file after every kill, `tongtin validate` after every third.
//! Each round restarts the writer on the file the previous one was killed on
//! (its WAL left behind): the checks that write or checkpoint run on a copy.

mod common;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::{mpsc, OnceLock};
use std::time::{Duration, Instant, SystemTime};

use rusqlite::OptionalExtension;
use serde_json::{json, Value as Json};

use common::{assert_gdal_valid, copy_of, demo, scratch, stderr, stdout, tongtin};
use tongtin::geom::{decode_blob, Shape};
use tongtin::gpkg::GeoPackage;
use tongtin::journal::{read_history, HistoryFilter, Op, OpKind, Origin};

const ROUNDS: u64 = 24;
/// The least number of edits the writers must have committed in all, so that
/// the test cannot pass by hardly editing.
const MIN_EDITS: usize = 150;

/// The writer, built first when it is missing or older than the sources:
/// `cargo test --test edit_crash` alone does not build examples, and a
/// writer left from an older build would test old code. (A plain
/// `cargo test` has just built it, with the workspace's features: it is not
/// built again.)
fn writer() -> PathBuf {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT
        .get_or_init(|| {
            // The test runs from <target>/<profile>/deps; the example goes to <target>/<profile>/examples.
            let exe = std::env::current_exe().unwrap();
            let profile = exe.parent().unwrap().parent().unwrap();
            let path = profile.join("examples").join("edit_writer");
            let root = Path::new(env!("CARGO_MANIFEST_DIR"));
            let sources = ["src", "examples/edit_writer.rs", "Cargo.toml", "Cargo.lock"]
                .iter()
                .map(|s| newest(&root.join(s)))
                .max()
                .unwrap();
            let built = std::fs::metadata(&path).and_then(|m| m.modified()).ok();
            if built.is_none_or(|b| b < sources) {
                let mut cargo = Command::new(env!("CARGO"));
                cargo
                    .current_dir(root)
                    .args(["build", "--example", "edit_writer", "--target-dir"])
                    .arg(profile.parent().unwrap());
                if profile.file_name().is_some_and(|p| p == "release") {
                    cargo.arg("--release");
                }
                let building = Instant::now();
                let out = cargo.output().expect("cargo runs");
                eprintln!("built {} in {:?}", path.display(), building.elapsed());
                assert!(
                    out.status.success(),
                    "cargo build --example edit_writer failed: {}",
                    stderr(&out)
                );
            }
            assert!(path.exists(), "{} is missing after building it", path.display());
            path
        })
        .clone()
}

/// The newest modification time of a file or of the files under a folder.
fn newest(path: &Path) -> SystemTime {
    let meta = std::fs::metadata(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    if !meta.is_dir() {
        return meta.modified().unwrap();
    }
    std::fs::read_dir(path)
        .unwrap()
        .map(|e| newest(&e.unwrap().path()))
        .max()
        .unwrap_or(SystemTime::UNIX_EPOCH)
}

/// One feature an edit touches, as the writer announced it.
struct Touch {
    key: (String, String),
    before: Json,
    after: Json,
}

impl Touch {
    /// The journal op kind this change must be recorded as.
    fn kind(&self) -> OpKind {
        match (self.before.is_null(), self.after.is_null()) {
            (true, false) => OpKind::Insert,
            (false, true) => OpKind::Delete,
            (false, false) => OpKind::Update,
            (true, true) => panic!("a change of {:?} from nothing to nothing", self.key),
        }
    }
}

fn touches(summary: &Json) -> Vec<Touch> {
    summary["features"]
        .as_array()
        .expect("features")
        .iter()
        .map(|f| Touch {
            key: (
                f["layer"].as_str().expect("layer").to_string(),
                f["uid"].as_str().expect("uid").to_string(),
            ),
            before: f["before"].clone(),
            after: f["after"].clone(),
        })
        .collect()
}

/// What the writer printed: the edits it saw committed and the one it was applying.
struct Printed {
    committed: Vec<Json>,
    pending: Option<Json>,
}

fn parse(printed: &str, round: u64) -> Printed {
    let mut out = Printed {
        committed: Vec::new(),
        pending: None,
    };
    // A line cut short by the kill has no newline: it was never printed whole.
    let whole = match printed.rfind('\n') {
        Some(end) => &printed[..=end],
        None => "",
    };
    for line in whole.lines() {
        let mut parts = line.splitn(3, ' ');
        let (word, n, summary) = (parts.next(), parts.next(), parts.next());
        let n: usize = n
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("round {round}: unexpected line {line:?}"));
        let summary: Json = serde_json::from_str(summary.unwrap_or_default())
            .unwrap_or_else(|e| panic!("round {round}: unreadable summary in {line:?}: {e}"));
        match word {
            Some("applying") => {
                assert_eq!(n, out.committed.len() + 1, "round {round}: {line}");
                assert!(out.pending.is_none(), "round {round}: two edits applied at once");
                out.pending = Some(summary);
            }
            Some("committed") => {
                assert_eq!(n, out.committed.len() + 1, "round {round}: {line}");
                assert_eq!(out.pending.take().as_ref(), Some(&summary), "round {round}: {line}");
                out.committed.push(summary);
            }
            _ => panic!("round {round}: unexpected line {line:?}"),
        }
    }
    out
}

/// A feature as the writer describes it (see examples/edit_writer.rs), or null when absent.
fn state(conn: &rusqlite::Connection, layer: &str, uid: &str) -> Json {
    let found = match layer {
        "poles" => conn
            .query_row(
                "SELECT pole_no, status, height_m, geom FROM poles WHERE uid = ?1",
                [uid],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, Option<f64>>(2)?,
                        r.get::<_, Vec<u8>>(3)?,
                    ))
                },
            )
            .optional()
            .unwrap()
            .map(|(no, status, height, blob)| {
                let Shape::Point(c) = decode_blob(&blob).expect("a readable geometry").geometry.shape else {
                    panic!("pole {uid} is not a point");
                };
                json!({"pole_no": no, "status": status, "height_m": height, "x": c.x, "y": c.y})
            }),
        "lamps" => conn
            .query_row("SELECT pole_uid, lamp_type FROM lamps WHERE uid = ?1", [uid], |r| {
                Ok(json!({"pole_uid": r.get::<_, String>(0)?, "lamp_type": r.get::<_, String>(1)?}))
            })
            .optional()
            .unwrap(),
        other => panic!("the writer touched layer {other}"),
    };
    found.unwrap_or(Json::Null)
}

/// Equal states; numbers within a micrometre (the demo's coordinates go
/// through JSON text, which serde_json parses to the nearest double only
/// within an ulp or so).
fn same(a: &Json, b: &Json) -> bool {
    match (a, b) {
        (Json::Number(x), Json::Number(y)) => (x.as_f64().unwrap() - y.as_f64().unwrap()).abs() <= 1e-6,
        (Json::Object(x), Json::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

fn count(conn: &rusqlite::Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0))
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// The ops of one device grouped into edits, in journal order.
fn edits_of<'a>(ops: &'a [Op], device: &str) -> Vec<Vec<&'a Op>> {
    let mut edits: Vec<Vec<&Op>> = Vec::new();
    for op in ops.iter().filter(|o| o.device == device) {
        match edits.last_mut() {
            Some(e) if e[0].edit_id == op.edit_id => e.push(op),
            _ => {
                assert!(
                    edits.iter().all(|e| e[0].edit_id != op.edit_id),
                    "edit {} of {device} is interleaved with another",
                    op.edit_id
                );
                edits.push(vec![op]);
            }
        }
    }
    edits
}

/// Copies the file as the kill left it (with its WAL, without the shared
/// memory index, which SQLite rebuilds), so that tools which checkpoint on
/// closing do not clean up what the next writer must recover from.
fn snapshot(path: &Path) -> PathBuf {
    let snap = scratch().join("edit_crash_snapshot.gpkg");
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", snap.display()));
    }
    std::fs::copy(path, &snap).unwrap();
    let wal = PathBuf::from(format!("{}-wal", path.display()));
    if wal.exists() {
        std::fs::copy(&wal, format!("{}-wal", snap.display())).unwrap();
    }
    snap
}

/// `tongtin journal check`: exit 0, nothing captured or found by fingerprint
/// (every edit of the app was journaled in its own transaction), no disagreement.
fn assert_journal_agrees(path: &Path, what: &str) {
    let out = Command::new(env!("CARGO_BIN_EXE_tongtin"))
        .args(["journal", "check", path.to_str().unwrap(), "--json"])
        .env("TONGTIN_USER", "checker")
        .output()
        .expect("tongtin runs");
    assert!(
        out.status.success(),
        "{what}: journal check failed: {}{}",
        stdout(&out),
        stderr(&out)
    );
    let report: Json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{what}: journal check --json printed no JSON ({e}): {}", stdout(&out)));
    for list in ["captured", "uncaptured", "disagreements", "repaired_triggers"] {
        assert_eq!(
            report[list].as_array().map(Vec::len),
            Some(0),
            "{what}: journal check found {list}: {report:#}"
        );
    }
    assert_eq!(report["installed"], json!(false), "{what}: {report:#}");
}

fn assert_tongtin_valid(path: &Path, what: &str) {
    let out = tongtin(&["validate", path.to_str().unwrap()]);
    assert!(out.status.success(), "{what}: {}{}", stdout(&out), stderr(&out));
}

/// Every feature the writers touched is as the last committed edit left it;
/// the indexes and counts GDAL keeps agree with the tables.
fn assert_model(conn: &rusqlite::Connection, model: &HashMap<(String, String), Json>, what: &str) {
    let mut keys: Vec<_> = model.keys().collect();
    keys.sort();
    for key in keys {
        let have = state(conn, &key.0, &key.1);
        assert!(
            same(&have, &model[key]),
            "{what}: {} {} should be {} after the committed edits, the file holds {}",
            key.0,
            key.1,
            model[key],
            have
        );
    }
    for table in ["poles", "lamps"] {
        let rows = count(conn, &format!("SELECT COUNT(*) FROM {table}"));
        let counted: Option<i64> = conn
            .query_row(
                "SELECT feature_count FROM gpkg_ogr_contents WHERE table_name = ?1",
                [table],
                |r| r.get(0),
            )
            .optional()
            .unwrap();
        assert_eq!(counted, Some(rows), "{what}: gpkg_ogr_contents counts {table} wrong");
    }
    assert_eq!(
        count(conn, "SELECT COUNT(*) FROM rtree_poles_geom"),
        count(conn, "SELECT COUNT(*) FROM poles"),
        "{what}: the R-tree and the poles table disagree"
    );
    assert_eq!(
        count(
            conn,
            "SELECT COUNT(*) FROM lamps WHERE pole_uid NOT IN (SELECT uid FROM poles)"
        ),
        0,
        "{what}: lamps left without their pole"
    );
    assert_eq!(
        count(conn, "SELECT COUNT(*) FROM tongtin_capture"),
        0,
        "{what}: changes captured but not journaled"
    );
}

/// Runs the writer on `path` and kills it with SIGKILL: in even rounds 30 to
/// 400 ms after it starts (any moment: starting, recovering, planning,
/// writing), in odd rounds 0 to 1.5 ms after it announced its 1st to 40th
/// edit (inside `apply`: the transaction, the commit, a checkpoint, or just
/// after). Returns what it printed and how the kill was timed.
fn run_and_kill(path: &Path, tag: &str, round: u64, seed: u64) -> (String, String, ExitStatus, String) {
    let started = Instant::now();
    let mut child = Command::new(writer())
        .args([path.to_str().unwrap(), tag, &(seed >> 1).to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (announced, announcements) = mpsc::channel();
    let out = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut out = BufReader::new(out);
        let mut all = Vec::new();
        loop {
            let mut line = Vec::new();
            match out.read_until(b'\n', &mut line) {
                Ok(0) => break,
                Ok(_) => {
                    if line.starts_with(b"applying ") && line.ends_with(b"\n") {
                        let _ = announced.send(());
                    }
                    all.extend(line);
                }
                Err(e) => panic!("reading the writer: {e}"),
            }
        }
        String::from_utf8(all).expect("the writer prints UTF-8")
    });
    let moment = if round % 2 == 0 {
        let wait = Duration::from_millis(30 + (seed >> 33) % 371);
        std::thread::sleep(wait);
        format!("{wait:?} after starting")
    } else {
        let edit = 1 + (seed >> 33) % 40;
        let delay = Duration::from_micros((seed >> 17) % 1501);
        let deadline = started + Duration::from_secs(20);
        for _ in 0..edit {
            let left = deadline.saturating_duration_since(Instant::now());
            if announcements.recv_timeout(left).is_err() {
                break;
            }
        }
        std::thread::sleep(delay);
        format!("{delay:?} after announcing edit {edit}")
    };
    child.kill().unwrap();
    let status = child.wait().unwrap();
    let printed = reader.join().unwrap();
    let mut errors = String::new();
    child.stderr.take().unwrap().read_to_string(&mut errors).unwrap();
    (printed, errors, status, moment)
}

#[test]
fn sigkill_during_edits_loses_no_committed_edit() {
    let path = copy_of(&demo(), "edit_crash.gpkg");
    writer();
    let started = Instant::now();
    let baseline = {
        let g = GeoPackage::open(&path).unwrap();
        read_history(g.connection(), &HistoryFilter::default()).unwrap().len()
    };
    // What the committed edits left each touched feature as (null: absent).
    let mut model: HashMap<(String, String), Json> = HashMap::new();
    let mut journaled = 0usize;
    let mut edits = 0usize;
    let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
    let mut seed: u64 = 0xED17_C0DE;
    for round in 0..ROUNDS {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let tag = format!("crash{round}");
        let (printed, errors, status, moment) = run_and_kill(&path, &tag, round, seed);
        assert!(
            errors.is_empty(),
            "round {round}: the writer failed before it was killed: {errors}"
        );
        assert!(
            status.code().is_none(),
            "round {round}: the writer was not running when killed"
        );
        let printed = parse(&printed, round);
        let what = format!("round {round} (killed {moment})");

        let g = GeoPackage::open(&path).unwrap();
        let conn = g.connection();
        let integrity: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
        assert_eq!(integrity, "ok", "{what}: integrity check");
        let ops = read_history(conn, &HistoryFilter::default()).unwrap();
        let ours = &ops[baseline..];
        for op in ours {
            assert!(
                op.user == "crash" && op.origin == Origin::App,
                "{what}: an op not made by the writers: {} {} {} by '{}' ({:?})",
                op.kind.as_str(),
                op.layer,
                op.uid,
                op.user,
                op.origin
            );
        }

        // Exactly the acknowledged edits are in the journal, plus the one
        // being applied if its commit finished before the kill.
        let found = edits_of(ours, &tag);
        let n = printed.committed.len();
        let mut durable = printed.committed;
        match (found.len().checked_sub(n), printed.pending) {
            (Some(0), _) => {}
            (Some(1), Some(p)) => durable.push(p),
            _ => panic!("{what}: {n} edits acknowledged, {} in the journal", found.len()),
        }
        for (i, (edit, summary)) in found.iter().zip(&durable).enumerate() {
            let journal: BTreeSet<(String, String, &str)> = edit
                .iter()
                .map(|o| (o.layer.clone(), o.uid.clone(), o.kind.as_str()))
                .collect();
            let expected: BTreeSet<(String, String, &str)> = touches(summary)
                .iter()
                .map(|t| (t.key.0.clone(), t.key.1.clone(), t.kind().as_str()))
                .collect();
            assert_eq!(
                journal.len(),
                edit.len(),
                "{what}: edit {} changes a feature twice",
                i + 1
            );
            assert_eq!(
                journal,
                expected,
                "{what}: edit {} is journaled as other ops: {summary}",
                i + 1
            );
        }
        for summary in &durable {
            for t in touches(summary) {
                if let Some(known) = model.get(&t.key) {
                    assert!(
                        same(known, &t.before),
                        "{what}: the writer found {} {} as {}, the committed edits left it {known}",
                        t.key.0,
                        t.key.1,
                        t.before
                    );
                }
                model.insert(t.key.clone(), t.after.clone());
                journaled += 1;
            }
            *kinds.entry(summary["kind"].as_str().unwrap().to_string()).or_default() += 1;
        }
        edits += durable.len();
        assert_eq!(ours.len(), journaled, "{what}: journal ops of the writers");
        assert_model(conn, &model, &what);
        drop(g);
        eprintln!(
            "{what}: {n} edits acknowledged, {} durable; {edits} in all",
            durable.len()
        );

        let snap = snapshot(&path);
        assert_journal_agrees(&snap, &what);
        assert_gdal_valid(&snap);
        if round % 3 == 2 {
            assert_tongtin_valid(&snap, &what);
        }
    }

    // Closed cleanly, the file is one file again and still all of the above.
    assert_journal_agrees(&path, "after the last round");
    assert!(
        !PathBuf::from(format!("{}-wal", path.display())).exists(),
        "a WAL is left after the last writer closed"
    );
    let g = GeoPackage::open(&path).unwrap();
    let integrity: String = g
        .connection()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");
    assert_model(g.connection(), &model, "after the last round");
    drop(g);
    assert_gdal_valid(&path);
    assert_tongtin_valid(&path, "after the last round");
    eprintln!(
        "{edits} edits in {ROUNDS} rounds ({kinds:?}) in {:?}",
        started.elapsed()
    );
    assert!(
        edits >= MIN_EDITS,
        "the writers hardly edited before being killed ({edits} edits)"
    );
    // Redo is rarer (an undo must come just before); it is checked whenever it happens.
    for kind in ["insert", "update", "move", "delete", "undo"] {
        assert!(kinds.contains_key(kind), "no {kind} was committed: {kinds:?}");
    }
}
