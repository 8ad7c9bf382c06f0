//! Writes batches of poles into a Tongtin file forever, printing
//! `committed N` after each commit. The crash test kills it with SIGKILL at
//! random moments and checks that the file kept exactly the committed batches.

use std::io::Write;

use tongtin::geom::Geometry;
use tongtin::gpkg::{GeoPackage, GpkgError};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: crash_writer FILE TAG ROWS_PER_BATCH")?;
    let tag = args.next().ok_or("missing TAG")?;
    let rows: usize = args.next().ok_or("missing ROWS_PER_BATCH")?.parse()?;
    let mut gpkg = GeoPackage::open_writable(&path)?;
    let (x0, y0): (f64, f64) = gpkg.connection().query_row(
        "SELECT ST_MinX(geom), ST_MinY(geom) FROM poles WHERE fid = (SELECT MIN(fid) FROM poles)",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let mut stdout = std::io::stdout();
    for batch in 0u64.. {
        gpkg.write(|b| -> Result<(), GpkgError> {
            let now = tongtin::gpkg::timestamp_now();
            let mut ins = b.inserter(
                "poles",
                Some(("geom", 32648)),
                &[
                    "uid",
                    "created_at",
                    "updated_at",
                    "pole_no",
                    "pole_type",
                    "owner",
                    "status",
                ],
            )?;
            for i in 0..rows {
                let uid = uuid::Uuid::new_v4().to_string();
                let no = format!("{tag}-{batch}-{i}");
                let at = Geometry::point(x0 + (i as f64) * 0.5, y0 + (batch % 100) as f64 * 0.5);
                ins.insert(Some(&at), &[&uid, &now, &now, &no, &"single_arm", &"lao", &"normal"])?;
            }
            drop(ins);
            b.sql()
                .execute(
                    "UPDATE poles SET updated_at = ?1 WHERE fid = ?2",
                    rusqlite::params![now, (batch % 50 + 1) as i64],
                )
                .map_err(|source| GpkgError::Sqlite {
                    context: "update".into(),
                    source,
                })?;
            b.touch("poles", None);
            Ok(())
        })?;
        writeln!(stdout, "committed {}", batch + 1)?;
        stdout.flush()?;
    }
    Ok(())
}
