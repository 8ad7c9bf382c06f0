//! Photos attached to features, kept inside the GeoPackage as an OGC Related
//! Tables media table (see `sql/photos.sql`). A photo is checked (JPEG or
//! PNG that decodes, within the size limit) before it is written, and its
//! attachment is an edit like any other: journaled, undoable.

use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::change::{Applied, Change, Edit, Mode};
use super::editor::{Editor, PHOTOS};
use super::{rows, EditError};
use crate::gpkg::{quote_ident, quote_literal, table_exists, Value};
use crate::journal::Row;
use crate::model::schema;

/// The largest photo accepted: a phone photo at full resolution fits.
pub const MAX_PHOTO_BYTES: usize = 12 * 1024 * 1024;
/// The largest image side accepted, in pixels.
const MAX_SIDE: u32 = 12_000;

/// A photo as the identify panel lists it (without its bytes).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PhotoInfo {
    pub id: i64,
    pub uid: String,
    pub file_name: Option<String>,
    pub content_type: String,
    pub width: i64,
    pub height: i64,
    pub byte_size: i64,
    pub sha256: String,
    pub created_at: Option<String>,
    pub created_by: Option<String>,
}

pub(super) fn has_photos_table(conn: &Connection) -> rusqlite::Result<bool> {
    table_exists(conn, PHOTOS)
}

pub(super) fn photo_uids(conn: &Connection, layer: &str, uid: &str) -> rusqlite::Result<Vec<String>> {
    conn.prepare_cached("SELECT uid FROM tongtin_photos WHERE feature_layer = ?1 AND feature_uid = ?2 ORDER BY id")?
        .query_map([layer, uid], |r| r.get(0))?
        .collect()
}

/// Keeps the bytes of photos removed from now on (see `sql/photo_archive.sql`);
/// nothing to do in a file without photos. Idempotent.
pub(super) fn ensure_archive(conn: &Connection) -> rusqlite::Result<()> {
    if has_photos_table(conn)? {
        conn.execute_batch(include_str!("sql/photo_archive.sql"))?;
    }
    Ok(())
}

/// The bytes of the photo with this SHA-256: from a photo that has them, else
/// from the archive of removed ones.
pub fn bytes_of(conn: &Connection, sha256: &str) -> rusqlite::Result<Option<Vec<u8>>> {
    if !has_photos_table(conn)? {
        return Ok(None);
    }
    let archived = if table_exists(conn, "tongtin_photo_archive")? {
        " UNION ALL SELECT data FROM tongtin_photo_archive WHERE sha256 = ?1"
    } else {
        ""
    };
    conn.prepare_cached(&format!(
        "SELECT data FROM tongtin_photos WHERE sha256 = ?1{archived} LIMIT 1"
    ))?
    .query_row([sha256], |r| r.get(0))
    .optional()
}

/// Creates the media table and the relation of `layer` to it, once.
fn ensure_relation(conn: &Connection, layer: &str) -> rusqlite::Result<()> {
    conn.execute_batch(include_str!("sql/photos.sql"))?;
    let mapping = format!("tongtin_photos_{layer}");
    let exists: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM gpkgext_relations WHERE mapping_table_name = ?1)",
        [&mapping],
        |r| r.get(0),
    )?;
    if exists {
        return Ok(());
    }
    let sql = include_str!("sql/photo_relation.sql")
        .lines()
        .filter(|l| !l.starts_with("--"))
        .collect::<Vec<_>>()
        .join("\n")
        .replace("{mq}", &quote_ident(&mapping))
        .replace("{ml}", &quote_literal(&mapping))
        .replace("{tq}", &quote_ident(layer))
        .replace("{tl}", &quote_literal(layer))
        .replace("{link}", &quote_ident(&format!("{mapping}_link")))
        .replace("{unlink}", &quote_ident(&format!("{mapping}_unlink")));
    conn.execute_batch(&sql)
}

/// Makes the file ready to hold photos of `layer`, in the caller's
/// transaction: the photo table, its relation to the layer, the photo table
/// journaled. What attaching the first photo does, and what a sync needs
/// before it writes photos another office attached. Idempotent.
pub fn prepare(conn: &Connection, layer: &str) -> Result<(), EditError> {
    ensure_relation(conn, layer)?;
    ensure_archive(conn)?;
    crate::journal::install(conn, &crate::progress::Silent)?;
    Ok(())
}

fn bad(th: &str, en: &str) -> EditError {
    EditError::BadPhoto {
        th: th.into(),
        en: en.into(),
    }
}

/// The content type and size of an image, which must decode completely.
pub fn image_info(bytes: &[u8]) -> Result<(&'static str, u32, u32), EditError> {
    if bytes.len() > MAX_PHOTO_BYTES {
        return Err(bad(
            &format!("รูปใหญ่เกิน {} MB ย่อขนาดรูปก่อนแนบ", MAX_PHOTO_BYTES / (1024 * 1024)),
            &format!(
                "the photo is larger than {} MB; resize it first",
                MAX_PHOTO_BYTES / (1024 * 1024)
            ),
        ));
    }
    let broken = || {
        bad(
            "ไฟล์รูปเสียหรือไม่ใช่รูป JPEG/PNG",
            "the file is damaged or not a JPEG or PNG image",
        )
    };
    let (kind, w, h) = if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        let mut d = jpeg_decoder::Decoder::new(bytes);
        d.decode().map_err(|_| broken())?;
        let info = d.info().ok_or_else(broken)?;
        ("image/jpeg", u32::from(info.width), u32::from(info.height))
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        let mut reader = decoder.read_info().map_err(|_| broken())?;
        let mut buf = vec![0; reader.output_buffer_size().ok_or_else(broken)?];
        let frame = reader.next_frame(&mut buf).map_err(|_| broken())?;
        ("image/png", frame.width, frame.height)
    } else {
        return Err(bad(
            "แนบได้เฉพาะรูป JPEG หรือ PNG",
            "only JPEG and PNG photos can be attached",
        ));
    };
    if w == 0 || h == 0 || w > MAX_SIDE || h > MAX_SIDE {
        return Err(bad(
            &format!("ขนาดรูป {w}×{h} พิกเซลไม่ถูกต้อง"),
            &format!("an image of {w}×{h} pixels is not accepted"),
        ));
    }
    Ok((kind, w, h))
}

impl Editor {
    /// Attaches a photo to a feature: checked, then written and journaled as one edit.
    pub fn attach_photo(
        &mut self,
        layer: &str,
        uid: &str,
        file_name: &str,
        bytes: Vec<u8>,
    ) -> Result<Applied, EditError> {
        if schema().layer(layer).is_none() {
            return Err(EditError::UnknownLayer(layer.to_string()));
        }
        if rows::read(self.gpkg().connection(), layer, uid)?.is_none() {
            return Err(EditError::NotFound {
                layer: layer.into(),
                uid: uid.into(),
            });
        }
        let (content_type, width, height) = image_info(&bytes)?;
        self.prepare_photos(layer)?;
        let sha256 = sha256_hex(&bytes);
        let mut values = Row::new();
        values.insert("content_type".into(), content_type.into());
        values.insert("feature_layer".into(), layer.into());
        values.insert("feature_uid".into(), uid.into());
        values.insert("file_name".into(), file_name.into());
        values.insert("sha256".into(), sha256.into());
        values.insert("width".into(), i64::from(width).into());
        values.insert("height".into(), i64::from(height).into());
        values.insert("byte_size".into(), (bytes.len() as i64).into());
        values.insert("created_at".into(), crate::gpkg::timestamp_now().into());
        values.insert("created_by".into(), self.actor().user.clone().into());
        values.insert("data".into(), Value::Blob(bytes));
        self.apply(&Edit {
            label: format!("แนบรูป {file_name}"),
            mode: Mode::Exact,
            changes: vec![Change::Insert {
                layer: PHOTOS.into(),
                uid: None,
                values,
                geometry: None,
            }],
        })
    }

    /// Removes a photo (an edit: undo brings it back, bytes and all).
    pub fn remove_photo(&mut self, photo_uid: &str) -> Result<Applied, EditError> {
        self.apply(&Edit {
            label: "ลบรูป".into(),
            mode: Mode::Checked,
            changes: vec![Change::Delete {
                layer: PHOTOS.into(),
                uid: photo_uid.into(),
            }],
        })
    }

    fn prepare_photos(&mut self, layer: &str) -> Result<(), EditError> {
        let layer = layer.to_string();
        self.write_schema(move |conn| prepare(conn, &layer))
    }

    /// The photos of a feature, oldest first.
    pub fn photos(&self, layer: &str, uid: &str) -> Result<Vec<PhotoInfo>, EditError> {
        list(self.gpkg().connection(), layer, uid)
    }

    /// The bytes and content type of one photo.
    pub fn photo_data(&self, id: i64) -> Result<Option<(String, Vec<u8>)>, EditError> {
        data(self.gpkg().connection(), id)
    }
}

/// The photos of a feature, oldest first (none when the file has no photos table).
pub fn list(conn: &Connection, layer: &str, uid: &str) -> Result<Vec<PhotoInfo>, EditError> {
    if !has_photos_table(conn)? {
        return Ok(Vec::new());
    }
    let mut stmt = conn.prepare_cached(
        "SELECT id, uid, file_name, content_type, width, height, byte_size, sha256, created_at, created_by
         FROM tongtin_photos WHERE feature_layer = ?1 AND feature_uid = ?2 ORDER BY id",
    )?;
    let out = stmt
        .query_map([layer, uid], |r| {
            Ok(PhotoInfo {
                id: r.get(0)?,
                uid: r.get(1)?,
                file_name: r.get(2)?,
                content_type: r.get(3)?,
                width: r.get::<_, Option<i64>>(4)?.unwrap_or(0),
                height: r.get::<_, Option<i64>>(5)?.unwrap_or(0),
                byte_size: r.get::<_, Option<i64>>(6)?.unwrap_or(0),
                sha256: r.get(7)?,
                created_at: r.get(8)?,
                created_by: r.get(9)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(out)
}

/// The bytes and content type of one photo.
pub fn data(conn: &Connection, id: i64) -> Result<Option<(String, Vec<u8>)>, EditError> {
    if !has_photos_table(conn)? {
        return Ok(None);
    }
    Ok(conn
        .prepare_cached("SELECT content_type, data FROM tongtin_photos WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

/// The lowercase hex SHA-256 of bytes: a photo's name wherever it travels.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}
