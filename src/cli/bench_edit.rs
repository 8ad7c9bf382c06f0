//! `bench --parts edit`: what the journal costs per edit, and how soon an
//! edit shows on the map, on the benchmark's data set.

use std::path::Path;
use std::time::Instant;

use tongtin::crs::Transformer;
use tongtin::edit::{Change, Edit, Editor};
use tongtin::geom::{Envelope, Geometry};
use tongtin::gpkg::Value;
use tongtin::journal::{self, Actor, Row};
use tongtin::tiles::{TileId, TileKind, TileService};

use super::bench::{fail, stats};
use super::exit::Failure;

const EDITS: usize = 300;

fn status_change(uid: &str, i: usize) -> Change {
    let status = ["normal", "damaged", "awaiting_repair"][i % 3];
    Change::Update {
        layer: "poles".into(),
        uid: uid.into(),
        values: [("status".to_string(), Value::from(status))].into(),
        geometry: None,
        expect: Row::new(),
    }
}

pub fn run(data: &Path) -> Result<(), Failure> {
    let editor = tongtin::gpkg::GeoPackage::open(data).map_err(fail)?;
    let poles: Vec<(String, f64, f64)> = editor
        .connection()
        .prepare("SELECT uid, ST_MinX(geom), ST_MinY(geom) FROM poles WHERE fid <= 3000 ORDER BY fid LIMIT ?1")
        .and_then(|mut s| {
            s.query_map([EDITS as i64], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<Result<_, _>>()
        })
        .map_err(fail)?;
    let poles_total: i64 = editor
        .connection()
        .query_row("SELECT count(*) FROM poles", [], |r| r.get(0))
        .map_err(fail)?;
    drop(editor);

    // The same one-row UPDATE and commit (synchronous=FULL), first through
    // plain SQLite without the journal's triggers, then with them and the
    // journal ops written in the same transaction.
    let mut gpkg = tongtin::gpkg::GeoPackage::open_writable(data).map_err(fail)?;
    let update = |b: &tongtin::gpkg::Batch<'_>, uid: &str, i: usize| {
        b.sql()
            .execute(
                "UPDATE poles SET status = ?1, updated_at = ?2 WHERE uid = ?3",
                rusqlite::params![
                    ["normal", "damaged", "awaiting_repair"][i % 3],
                    tongtin::gpkg::timestamp_now(),
                    uid
                ],
            )
            .map_err(tongtin::journal::JournalError::from)
    };
    gpkg.write(|b| -> Result<(), journal::JournalError> {
        for op in ["insert", "update", "delete"] {
            b.sql()
                .execute_batch(&format!("DROP TRIGGER \"tongtin_capture_poles_{op}\""))?;
        }
        Ok(())
    })
    .map_err(fail)?;
    let mut plain = Vec::new();
    let mut plain_work = Vec::new();
    for (i, (uid, _, _)) in poles.iter().enumerate() {
        let t = Instant::now();
        gpkg.write(|b| {
            let w = Instant::now();
            update(b, uid, i)?;
            plain_work.push(w.elapsed().as_secs_f64() * 1000.0);
            Ok::<_, journal::JournalError>(())
        })
        .map_err(fail)?;
        plain.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    gpkg.write(|b| journal::install(b.sql(), &tongtin::progress::Silent).map(|_| ()))
        .map_err(fail)?;
    let here = Actor::from_env();
    let mut journaled = Vec::new();
    let mut journaled_work = Vec::new();
    for (i, (uid, _, _)) in poles.iter().enumerate() {
        let t = Instant::now();
        gpkg.write(|b| -> Result<(), journal::JournalError> {
            let w = Instant::now();
            update(b, uid, i + 1)?;
            journal::record(b.sql(), &here, journal::Origin::App)?;
            journaled_work.push(w.elapsed().as_secs_f64() * 1000.0);
            Ok(())
        })
        .map_err(fail)?;
        journaled.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    drop(gpkg);
    let median = |v: &[f64]| -> f64 {
        let mut s = v.to_vec();
        s.sort_by(f64::total_cmp);
        s[s.len() / 2]
    };
    say!(
        "| journal overhead per edit | one-row UPDATE inside its transaction, {EDITS} edits, {poles_total} poles | plain SQLite: {} | journaled (capture trigger + ops + fingerprint): {} → overhead {:.3} ms (median) |",
        stats(plain_work.clone()),
        stats(journaled_work.clone()),
        median(&journaled_work) - median(&plain_work)
    );
    say!(
        "| the same edits with their commit | synchronous=FULL, the disk's fsync dominates | plain SQLite: {} | journaled: {} |",
        stats(plain),
        stats(journaled)
    );

    let mut editor = Editor::open(data, Actor::from_env()).map_err(fail)?;
    let mut full = Vec::new();
    for (i, (uid, _, _)) in poles.iter().enumerate() {
        let t = Instant::now();
        editor
            .apply(&Edit::checked("bench", vec![status_change(uid, i + 2)]))
            .map_err(fail)?;
        full.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    say!(
        "| attribute edit through the editor | checks, automatic values, journal, commit; {EDITS} edits | — | Tongtin {} |",
        stats(full)
    );

    // Move a pole, drop the stale tiles, render the tiles the map shows again.
    let service = TileService::start(data, 1, 64 << 20).map_err(fail)?;
    let to_web = Transformer::new(32648, 3857).map_err(fail)?;
    let mut visible = Vec::new();
    let mut changed = 0;
    for (i, (uid, x, y)) in poles.iter().take(60).enumerate() {
        let (wx, wy) = to_web.convert(*x, *y).map_err(fail)?;
        let ids: Vec<TileId> = [16u8, 14]
            .iter()
            .filter_map(|&z| TileId::covering(&Envelope::from_xy(wx, wy), z).next())
            .collect();
        let before: Vec<_> = ids
            .iter()
            .map(|id| service.tile(TileKind::Vector, *id))
            .collect::<Result<_, _>>()
            .map_err(fail)?;
        let dx = if i % 2 == 0 { 4.0 } else { -4.0 };
        let t = Instant::now();
        let applied = editor
            .apply(&Edit::checked(
                "move",
                vec![Change::Update {
                    layer: "poles".into(),
                    uid: uid.clone(),
                    values: Row::new(),
                    geometry: Some(Geometry::point(x + dx, *y)),
                    expect: Row::new(),
                }],
            ))
            .map_err(fail)?;
        for (_, area) in &applied.extents {
            service.invalidate(area, 32648).map_err(fail)?;
        }
        let after: Vec<_> = ids
            .iter()
            .map(|id| service.tile(TileKind::Vector, *id))
            .collect::<Result<_, _>>()
            .map_err(fail)?;
        visible.push(t.elapsed().as_secs_f64() * 1000.0);
        changed += usize::from(before.iter().zip(&after).any(|(a, b)| a != b));
    }
    say!(
        "| edit visible on the map | move a pole, invalidate, re-render its z16 and z14 tiles; 60 moves, {poles_total} poles ({changed} of 60 changed a tile) | — | Tongtin {} |",
        stats(visible)
    );
    Ok(())
}
