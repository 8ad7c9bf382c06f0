//! Shared helpers of the integration tests: the real GDAL tools as reference.
#![allow(dead_code)]

pub mod replica;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

pub const VALIDATE_GPKG: &str = "/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py";

/// Runs a program, failing the test with a clear message when it is not installed.
pub fn run(program: &str, args: &[&str]) -> Output {
    Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program} could not be started ({e}); run scripts/install-deps.sh to install GDAL"))
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// GDAL's own GeoPackage validator; panics with its message when the file fails.
pub fn assert_gdal_valid(path: &Path) {
    let out = run("/usr/bin/python3", &[VALIDATE_GPKG, path.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "validate_gpkg.py rejects {}:\n{}{}",
        path.display(),
        stdout(&out),
        stderr(&out)
    );
}

/// The `tongtin` binary of this build.
pub fn tongtin(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tongtin"))
        .args(args)
        .output()
        .expect("tongtin runs")
}

/// `ogr2ogr` with the given arguments; panics on failure.
pub fn ogr2ogr(args: &[&str]) {
    let out = run("ogr2ogr", args);
    assert!(out.status.success(), "ogr2ogr {args:?} failed: {}", stderr(&out));
}

/// A scratch directory that lives as long as the test process.
pub fn scratch() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| tempfile::tempdir().expect("temporary directory"))
        .path()
}

/// The demo municipality, generated once per test binary.
pub fn demo() -> PathBuf {
    static DEMO: OnceLock<PathBuf> = OnceLock::new();
    DEMO.get_or_init(|| {
        let path = scratch().join("demo.gpkg");
        let out = tongtin(&["demo", path.to_str().unwrap()]);
        assert!(out.status.success(), "tongtin demo failed: {}", stderr(&out));
        path
    })
    .clone()
}

/// A copy of `src` under a new name in the scratch directory.
pub fn copy_of(src: &Path, name: &str) -> PathBuf {
    let dst = scratch().join(name);
    std::fs::copy(src, &dst).expect("copy");
    dst
}

/// Runs raw SQL on a copy through Tongtin's writer, which registers the ST_*
/// functions the R-tree triggers call (plain SQLite cannot update such tables).
pub fn edit_sql(path: &Path, sql: &str) {
    let mut g = tongtin::gpkg::GeoPackage::open_writable(path).expect("open for writing");
    g.write(|b| {
        b.sql()
            .execute_batch(sql)
            .map_err(|source| tongtin::gpkg::GpkgError::Sqlite {
                context: "test edit".into(),
                source,
            })
    })
    .expect("test edit");
}

/// The one number an SQL query over the file returns (a count).
pub fn count(path: &Path, sql: &str) -> i64 {
    tongtin::gpkg::GeoPackage::open(path)
        .expect("open")
        .connection()
        .query_row(sql, [], |r| r.get(0))
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}
pub mod hub;
