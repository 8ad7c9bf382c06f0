//! A batch is one transaction: it commits whole with gpkg_contents brought
//! up to date, or not at all.

mod common;

use common::{copy_of, demo};
use tongtin::geom::Geometry;
use tongtin::gpkg::{GeoPackage, GpkgError};

fn contents(g: &GeoPackage) -> (String, f64, f64) {
    g.connection()
        .query_row(
            "SELECT last_change, max_x, max_y FROM gpkg_contents WHERE table_name = 'poles'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap()
}

fn count(g: &GeoPackage) -> i64 {
    g.connection()
        .query_row("SELECT COUNT(*) FROM poles", [], |r| r.get(0))
        .unwrap()
}

/// Inserts one solar pole with the given uid, number and position.
fn insert_pole(b: &tongtin::gpkg::Batch<'_>, uid: &str, pole_no: &str, at: (f64, f64)) -> Result<i64, GpkgError> {
    let t = "2026-01-01T00:00:00.000Z";
    let columns = [
        "uid",
        "created_at",
        "updated_at",
        "pole_no",
        "pole_type",
        "owner",
        "status",
    ];
    let mut ins = b.inserter("poles", Some(("geom", 32648)), &columns)?;
    ins.insert(
        Some(&Geometry::point(at.0, at.1)),
        &[&uid, &t, &t, &pole_no, &"solar", &"lao", &"normal"],
    )
}

#[test]
fn a_failed_batch_changes_nothing() {
    let path = copy_of(&demo(), "rollback.gpkg");
    let mut g = GeoPackage::open_writable(&path).unwrap();
    let (before_count, before_contents) = (count(&g), contents(&g));
    let result = g.write(|b| -> Result<(), GpkgError> {
        insert_pole(
            b,
            "11111111-1111-4111-8111-111111111111",
            "X-1",
            (900_000.0, 2_000_000.0),
        )?;
        // A second row with the same uid violates the UNIQUE constraint.
        insert_pole(b, "11111111-1111-4111-8111-111111111111", "X-2", (1.0, 1.0))?;
        Ok(())
    });
    assert!(matches!(result, Err(GpkgError::Sqlite { .. })), "{result:?}");
    assert_eq!(count(&g), before_count);
    assert_eq!(contents(&g), before_contents);
}

#[test]
fn a_committed_batch_grows_the_extent_and_stamps_last_change() {
    let path = copy_of(&demo(), "commit.gpkg");
    let mut g = GeoPackage::open_writable(&path).unwrap();
    let (before_count, (before_change, max_x, max_y)) = (count(&g), contents(&g));
    g.write(|b| -> Result<(), GpkgError> {
        insert_pole(
            b,
            "22222222-2222-4222-8222-222222222222",
            "X-3",
            (max_x + 100.0, max_y + 50.0),
        )?;
        Ok(())
    })
    .unwrap();
    let (after_change, after_x, after_y) = contents(&g);
    assert_eq!(count(&g), before_count + 1);
    assert_eq!((after_x, after_y), (max_x + 100.0, max_y + 50.0));
    assert!(
        after_change > before_change,
        "{after_change} should be later than {before_change}"
    );
    let gdal_count: i64 = g
        .connection()
        .query_row(
            "SELECT feature_count FROM gpkg_ogr_contents WHERE table_name = 'poles'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(gdal_count, before_count + 1, "GDAL's cached count follows");
}

#[test]
fn a_read_only_handle_refuses_to_write() {
    let mut g = GeoPackage::open(demo()).unwrap();
    let result = g.write(|_| Ok::<(), GpkgError>(()));
    assert!(matches!(result, Err(GpkgError::ReadOnly { .. })), "{result:?}");
}
