//! Writing tiles to an MBTiles file or a z/x/y folder: the tile packages
//! `tongtin tiles` exports, with the bytes the app serves.

use std::io::Write;
use std::path::{Path, PathBuf};

use flate2::write::GzEncoder;
use rusqlite::Connection;

use super::TileId;
use crate::geom::Envelope;

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("{path}: already exists")]
    Exists { path: PathBuf },
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{path}: {source}")]
    Sqlite { path: PathBuf, source: rusqlite::Error },
}

/// What the package describes about itself (MBTiles `metadata`).
pub struct PackageInfo {
    pub name: String,
    /// Each layer with its tile properties and their kinds ("Number", "String").
    pub layers: Vec<(String, Vec<(String, &'static str)>)>,
    pub min_zoom: u8,
    pub max_zoom: u8,
    /// West, south, east, north in degrees.
    pub bounds: Envelope,
}

/// Where tiles go.
pub enum TileSink {
    /// MBTiles 1.3: gzip-compressed MVT, TMS row order.
    MbTiles { path: PathBuf, conn: Connection },
    /// `z/x/y.pbf` files, uncompressed, XYZ row order.
    Folder(PathBuf),
}

impl TileSink {
    /// An `.mbtiles` path gives an MBTiles file; anything else a folder.
    pub fn create(out: &Path, info: &PackageInfo) -> Result<Self, ExportError> {
        if out.exists() && (out.is_file() || std::fs::read_dir(out).map(|mut d| d.next().is_some()).unwrap_or(true)) {
            return Err(ExportError::Exists {
                path: out.to_path_buf(),
            });
        }
        let io = |source| ExportError::Io {
            path: out.to_path_buf(),
            source,
        };
        if out.extension().and_then(|e| e.to_str()) != Some("mbtiles") {
            std::fs::create_dir_all(out).map_err(io)?;
            return Ok(TileSink::Folder(out.to_path_buf()));
        }
        let sql = |source| ExportError::Sqlite {
            path: out.to_path_buf(),
            source,
        };
        let conn = Connection::open(out).map_err(sql)?;
        conn.execute_batch(
            "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
             CREATE TABLE metadata (name TEXT, value TEXT);
             CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB);
             CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row);
             BEGIN;",
        )
        .map_err(sql)?;
        let b = &info.bounds;
        let layers: Vec<serde_json::Value> = info
            .layers
            .iter()
            .map(|(name, fields)| {
                let fields: serde_json::Map<String, serde_json::Value> = fields
                    .iter()
                    .map(|(f, k)| (f.clone(), serde_json::Value::from(*k)))
                    .collect();
                serde_json::json!({ "id": name, "fields": fields })
            })
            .collect();
        let rows = [
            ("name", info.name.clone()),
            ("format", "pbf".to_string()),
            ("type", "overlay".to_string()),
            ("version", "1".to_string()),
            ("minzoom", info.min_zoom.to_string()),
            ("maxzoom", info.max_zoom.to_string()),
            ("bounds", format!("{},{},{},{}", b.min_x, b.min_y, b.max_x, b.max_y)),
            (
                "center",
                format!(
                    "{},{},{}",
                    (b.min_x + b.max_x) / 2.0,
                    (b.min_y + b.max_y) / 2.0,
                    info.min_zoom
                ),
            ),
            ("json", serde_json::json!({ "vector_layers": layers }).to_string()),
        ];
        for (k, v) in rows {
            conn.execute("INSERT INTO metadata (name, value) VALUES (?1, ?2)", [k, v.as_str()])
                .map_err(sql)?;
        }
        Ok(TileSink::MbTiles {
            path: out.to_path_buf(),
            conn,
        })
    }

    /// How this package stores a tile's MVT bytes (gzip for MBTiles). Safe
    /// to call on worker threads, so compression runs in parallel.
    pub fn encoder(&self) -> fn(Vec<u8>) -> Vec<u8> {
        match self {
            TileSink::Folder(_) => |mvt| mvt,
            TileSink::MbTiles { .. } => gzip,
        }
    }

    /// Stores a tile already passed through [`TileSink::encoder`].
    pub fn put(&mut self, id: TileId, data: &[u8]) -> Result<(), ExportError> {
        match self {
            TileSink::Folder(root) => {
                let dir = root.join(id.z.to_string()).join(id.x.to_string());
                let io = |source| ExportError::Io {
                    path: dir.clone(),
                    source,
                };
                std::fs::create_dir_all(&dir).map_err(io)?;
                std::fs::write(dir.join(format!("{}.pbf", id.y)), data).map_err(io)
            }
            TileSink::MbTiles { path, conn } => {
                let tms_row = (1u32 << id.z) - 1 - id.y;
                conn.execute(
                    "INSERT INTO tiles (zoom_level, tile_column, tile_row, tile_data) VALUES (?1, ?2, ?3, ?4)",
                    rusqlite::params![id.z, id.x, tms_row, data],
                )
                .map_err(|source| ExportError::Sqlite {
                    path: path.clone(),
                    source,
                })?;
                Ok(())
            }
        }
    }

    pub fn finish(self) -> Result<(), ExportError> {
        if let TileSink::MbTiles { path, conn } = self {
            conn.execute_batch("COMMIT;")
                .map_err(|source| ExportError::Sqlite { path, source })?;
        }
        Ok(())
    }
}

fn gzip(mvt: Vec<u8>) -> Vec<u8> {
    let mut gz = GzEncoder::new(Vec::with_capacity(mvt.len() / 2 + 64), flate2::Compression::fast());
    // Writing into a Vec cannot fail.
    let _ = gz.write_all(&mvt);
    gz.finish().unwrap_or_default()
}
