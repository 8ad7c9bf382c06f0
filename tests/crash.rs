//! A writer killed with SIGKILL at random moments loses no committed batch,
//! leaves no half-written one, and the file passes SQLite's integrity check,
//! `tongtin validate` and GDAL's validate_gpkg.py every time.

mod common;

use std::io::Read;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Duration;

use common::{assert_gdal_valid, copy_of, demo, stderr, tongtin};

const ROWS_PER_BATCH: usize = 25;
const KILLS: u64 = 12;

fn writer() -> PathBuf {
    // Examples are built next to the test binaries' deps folder.
    let exe = std::env::current_exe().unwrap();
    let path = exe
        .parent()
        .unwrap()
        .parent()
        .unwrap()
        .join("examples")
        .join("crash_writer");
    assert!(
        path.exists(),
        "{} is missing: a plain `cargo test` builds it, or `cargo build --example crash_writer`",
        path.display()
    );
    path
}

#[test]
fn sigkill_at_random_moments_loses_nothing_committed() {
    let path = copy_of(&demo(), "crash.gpkg");
    let mut seed: u64 = 0x5EED;
    let mut progressed = 0;
    for kill in 0..KILLS {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let wait = Duration::from_millis(80 + (seed >> 33) % 700);
        let tag = format!("crash{kill}");
        let mut child = Command::new(writer())
            .args([path.to_str().unwrap(), &tag, &ROWS_PER_BATCH.to_string()])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(wait);
        child.kill().unwrap();
        let status = child.wait().unwrap();
        let mut printed = String::new();
        child.stdout.take().unwrap().read_to_string(&mut printed).unwrap();
        let mut errors = String::new();
        child.stderr.take().unwrap().read_to_string(&mut errors).unwrap();
        assert!(errors.is_empty(), "the writer failed before it was killed: {errors}");
        assert!(status.code().is_none(), "the writer was still running when killed");
        let acknowledged: u64 = printed
            .lines()
            .last()
            .and_then(|l| l.strip_prefix("committed "))
            .map_or(0, |n| n.parse().unwrap());

        let g = tongtin::gpkg::GeoPackage::open(&path).unwrap();
        g.quick_check().unwrap();
        let rows: i64 = g
            .connection()
            .query_row(
                "SELECT COUNT(*) FROM poles WHERE pole_no LIKE ?1",
                [format!("{tag}-%")],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(
            rows % ROWS_PER_BATCH as i64,
            0,
            "kill {kill}: a half-written batch survived ({rows} rows)"
        );
        let batches = (rows / ROWS_PER_BATCH as i64) as u64;
        progressed += batches;
        eprintln!("kill {kill} after {wait:?}: {acknowledged} batches acknowledged, {batches} in the file");
        assert!(
            batches == acknowledged || batches == acknowledged + 1,
            "kill {kill}: {acknowledged} batches acknowledged, {batches} in the file"
        );
        let indexed: i64 = g
            .connection()
            .query_row("SELECT COUNT(*) FROM rtree_poles_geom", [], |r| r.get(0))
            .unwrap();
        let total: i64 = g
            .connection()
            .query_row("SELECT COUNT(*) FROM poles", [], |r| r.get(0))
            .unwrap();
        assert_eq!(indexed, total, "kill {kill}: the R-tree and the table disagree");
        drop(g);
        let out = tongtin(&["validate", path.to_str().unwrap()]);
        assert!(
            out.status.success(),
            "kill {kill}: {}{}",
            common::stdout(&out),
            stderr(&out)
        );
        assert_gdal_valid(&path);
    }
    assert!(
        progressed > KILLS * 2,
        "the writer hardly wrote anything before being killed ({progressed} batches)"
    );
}
