//! Unreadable, truncated, corrupt and non-GeoPackage input: one clear line
//! naming the file and the problem, a fixed non-zero exit, no panic, and the
//! file left byte for byte as it was.

mod common;

use std::path::{Path, PathBuf};

use common::{copy_of, demo, scratch, stderr, tongtin};

const BAD_INPUT: i32 = 3;

fn bad_files() -> Vec<(PathBuf, &'static str)> {
    let dir = scratch();
    let mut files = Vec::new();
    let empty = dir.join("empty.gpkg");
    std::fs::write(&empty, b"").unwrap();
    files.push((empty, "empty"));
    let text = dir.join("notes.gpkg");
    std::fs::write(&text, "ไฟล์นี้เป็นข้อความธรรมดา ไม่ใช่ GeoPackage\n".repeat(10)).unwrap();
    files.push((text, "not an SQLite database"));
    let plain = dir.join("plain.sqlite");
    rusqlite::Connection::open(&plain)
        .unwrap()
        .execute_batch("CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT)")
        .unwrap();
    files.push((plain, "not a GeoPackage"));
    let bytes = std::fs::read(demo()).unwrap();
    let truncated = dir.join("truncated.gpkg");
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    files.push((truncated, "truncated"));
    let header_only = dir.join("header_only.gpkg");
    std::fs::write(&header_only, &bytes[..100]).unwrap();
    files.push((header_only, "truncated"));
    // Garbage over the pages that hold the GeoPackage's own tables.
    let smashed = dir.join("smashed.gpkg");
    let mut s = bytes.clone();
    let page = u16::from_be_bytes([s[16], s[17]]) as usize;
    for (i, b) in s[page..page * 8].iter_mut().enumerate() {
        *b = (i * 131 % 251) as u8;
    }
    std::fs::write(&smashed, &s).unwrap();
    files.push((smashed, "damaged"));
    files
}

fn assert_refused(path: &Path, expect: &str, args: &[&str]) {
    let before = std::fs::read(path).unwrap();
    let mut full: Vec<&str> = args.to_vec();
    full.push(path.to_str().unwrap());
    let out = tongtin(&full);
    let code = out.status.code().expect("tongtin exits normally, not by a signal");
    let message = stderr(&out);
    assert_eq!(
        code,
        BAD_INPUT,
        "{args:?} {}: exit {code}, stderr: {message}",
        path.display()
    );
    assert_eq!(message.lines().count(), 1, "one line expected: {message}");
    assert!(
        message.contains(path.to_str().unwrap()),
        "the message names the file: {message}"
    );
    assert!(message.contains(expect), "expected '{expect}' in: {message}");
    assert!(!message.contains("panicked"), "{message}");
    assert_eq!(std::fs::read(path).unwrap(), before, "{} was changed", path.display());
    for side in ["-wal", "-shm", "-journal"] {
        assert!(
            !PathBuf::from(format!("{}{side}", path.display())).exists(),
            "{side} file left beside {}",
            path.display()
        );
    }
}

#[test]
fn info_validate_and_migrate_refuse_bad_files_without_changing_them() {
    for (path, expect) in bad_files() {
        assert_refused(&path, expect, &["info"]);
        assert_refused(&path, expect, &["info", "--json"]);
        assert_refused(&path, expect, &["validate"]);
        assert_refused(&path, expect, &["migrate"]);
    }
}

#[test]
fn missing_files_and_directories_are_named() {
    let missing = scratch().join("ไม่มีไฟล์นี้.gpkg");
    let out = tongtin(&["info", missing.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(BAD_INPUT));
    assert!(stderr(&out).contains("file not found") && stderr(&out).contains("ไม่มีไฟล์นี้.gpkg"));
    let out = tongtin(&["validate", scratch().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(BAD_INPUT));
    assert!(stderr(&out).contains("not a regular file"));
}

#[test]
fn a_corrupt_geometry_is_reported_by_validate_with_its_feature() {
    let path = copy_of(&demo(), "bad_geometry.gpkg");
    common::edit_sql(
        &path,
        "UPDATE poles SET geom = X'4750000100000000FFFF' WHERE fid = 7; UPDATE roads SET geom = X'0102' WHERE fid = 3;",
    );
    let before = std::fs::read(&path).unwrap();
    let out = tongtin(&["validate", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let report = common::stdout(&out);
    assert!(report.contains("layer 'poles' fid 7"), "{report}");
    assert!(
        report.contains("layer 'roads' fid 3"),
        "all problems are collected: {report}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(tongtin(&["info"]).status.code(), Some(2));
    assert_eq!(tongtin(&["frobnicate"]).status.code(), Some(2));
    let out = tongtin(&["demo", scratch().join("z.gpkg").to_str().unwrap(), "--scale", "0"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}
