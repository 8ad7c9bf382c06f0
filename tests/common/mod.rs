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
    // Statics are never dropped, so a TempDir here would outlive every run
    // (a day of test runs left 45 GB in /tmp). Each run of a test binary
    // gets `<binary>-<pid>` under cargo's tmp dir instead, and clears those
    // of earlier runs of the same binary whose process is gone.
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let exe = std::env::current_exe().expect("the test binary's path");
        let stem = exe.file_stem().and_then(|s| s.to_str()).unwrap_or("test");
        let binary = stem.rsplit_once('-').map_or(stem, |(name, _hash)| name);
        let root = Path::new(env!("CARGO_TARGET_TMPDIR"));
        if let Ok(entries) = std::fs::read_dir(root) {
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                let earlier = name
                    .strip_prefix(binary)
                    .and_then(|rest| rest.strip_prefix('-'))
                    .and_then(|pid| pid.parse::<u32>().ok());
                if earlier.is_some_and(|pid| !Path::new(&format!("/proc/{pid}")).exists()) {
                    let _ = std::fs::remove_dir_all(entry.path());
                }
            }
        }
        let dir = root.join(format!("{binary}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a scratch directory");
        dir
    })
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
