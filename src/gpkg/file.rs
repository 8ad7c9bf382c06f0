use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

use super::{functions, GpkgError, Result, SqlContext};

const APPLICATION_ID_GPKG: i32 = 0x4750_4B47;
const APPLICATION_ID_GP10: i32 = 0x4750_3130;
const APPLICATION_ID_GP11: i32 = 0x4750_3131;
/// GeoPackage 1.2: what Tongtin writes (see docs/ARCHITECTURE.md for why not 1.4).
pub const WRITE_USER_VERSION: i32 = 10200;

/// The GeoPackage version a file declares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct GpkgVersion {
    pub major: u8,
    pub minor: u8,
    pub patch: u8,
}

impl std::fmt::Display for GpkgVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.patch {
            0 => write!(f, "{}.{}", self.major, self.minor),
            p => write!(f, "{}.{}.{}", self.major, self.minor, p),
        }
    }
}

/// An open GeoPackage file.
pub struct GeoPackage {
    pub(super) conn: Connection,
    path: PathBuf,
    version: Option<GpkgVersion>,
    application_id: i32,
    writable: bool,
}

impl GeoPackage {
    /// Opens a file for reading only: nothing done through this handle can change it.
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        Self::open_with(path.as_ref(), false)
    }

    /// Opens an existing file for writing.
    pub fn open_writable(path: impl AsRef<Path>) -> Result<Self> {
        Self::open_with(path.as_ref(), true)
    }

    /// Creates a new GeoPackage for a bulk load that no one sees until it is
    /// complete (it is written under a temporary name and renamed): without a
    /// journal and without syncs, several times faster for a million rows.
    /// A crash leaves a file to throw away, never a file someone relies on.
    pub fn create_scratch(path: impl AsRef<Path>) -> Result<Self> {
        let gpkg = Self::create(path)?;
        gpkg.conn
            .execute_batch("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -262144;")
            .context("setting up a bulk load")?;
        Ok(gpkg)
    }

    /// Creates a new, empty GeoPackage 1.2 file; refuses to overwrite one.
    pub fn create(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref().to_path_buf();
        if path.exists() {
            return Err(GpkgError::AlreadyExists { path });
        }
        let conn = Connection::open(&path).map_err(|e| GpkgError::Io {
            path: path.clone(),
            source: std::io::Error::other(e.to_string()),
        })?;
        configure_writer(&conn).context("setting up the new file")?;
        functions::register(&conn).context("registering the ST_* functions")?;
        conn.execute_batch(&format!(
            "PRAGMA application_id = {APPLICATION_ID_GPKG}; PRAGMA user_version = {WRITE_USER_VERSION};
             BEGIN; {} COMMIT;",
            include_str!("sql/core.sql")
        ))
        .context("creating the GeoPackage core tables")?;
        let gpkg = GeoPackage {
            conn,
            path,
            version: Some(GpkgVersion {
                major: 1,
                minor: 2,
                patch: 0,
            }),
            application_id: APPLICATION_ID_GPKG,
            writable: true,
        };
        gpkg.write_known_srs(4326)?;
        Ok(gpkg)
    }

    fn open_with(path: &Path, writable: bool) -> Result<Self> {
        check_file(path)?;
        let flags = if writable {
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX
        } else {
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX
        };
        let corrupt = |e: rusqlite::Error| GpkgError::Corrupt {
            path: path.to_path_buf(),
            detail: e.to_string(),
        };
        let conn = Connection::open_with_flags(path, flags).map_err(corrupt)?;
        let application_id: i32 = conn
            .query_row("PRAGMA application_id", [], |r| r.get(0))
            .map_err(corrupt)?;
        let user_version: i32 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(corrupt)?;
        let missing: Vec<&str> = ["gpkg_spatial_ref_sys", "gpkg_contents"]
            .into_iter()
            .filter(|t| !table_exists(&conn, t).unwrap_or(false))
            .collect();
        if !missing.is_empty() {
            return Err(GpkgError::NotGeoPackage {
                path: path.to_path_buf(),
                missing: missing.join(" and "),
            });
        }
        if writable {
            configure_writer(&conn).map_err(corrupt)?;
        }
        functions::register(&conn).context("registering the ST_* functions")?;
        Ok(GeoPackage {
            conn,
            path: path.to_path_buf(),
            version: version_of(application_id, user_version),
            application_id,
            writable,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The declared GeoPackage version, `None` when the application id is not a GeoPackage one.
    pub fn version(&self) -> Option<GpkgVersion> {
        self.version
    }

    pub fn application_id(&self) -> i32 {
        self.application_id
    }

    pub fn is_writable(&self) -> bool {
        self.writable
    }

    /// The underlying connection, for modules that keep their own tables in the file.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// SQLite's quick check of the whole file: a damaged page is an error.
    pub fn quick_check(&self) -> Result<()> {
        let corrupt = |detail: String| GpkgError::Corrupt {
            path: self.path.clone(),
            detail,
        };
        let mut stmt = self
            .conn
            .prepare("PRAGMA quick_check")
            .map_err(|e| corrupt(e.to_string()))?;
        let found = stmt
            .query_map([], |r| r.get::<_, String>(0))
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(|e| corrupt(e.to_string()))?;
        match found.as_slice() {
            [ok] if ok == "ok" => Ok(()),
            problems => Err(corrupt(problems.join("; "))),
        }
    }

    pub fn has_table(&self, name: &str) -> Result<bool> {
        table_exists(&self.conn, name).context(format!("looking for table {name}"))
    }
}

impl Drop for GeoPackage {
    /// Leaves the file in rollback-journal mode when the last writer closes,
    /// so that it is one self-contained file again (for a USB stick, for
    /// read-only readers) with no -wal or -shm beside it. Fails harmlessly
    /// while another connection still has the file open.
    fn drop(&mut self) {
        if self.writable {
            let _ = self.conn.execute_batch("PRAGMA journal_mode = DELETE");
        }
    }
}

fn configure_writer(conn: &Connection) -> rusqlite::Result<()> {
    // FULL: a commit survives a power cut too, which office PCs in Thailand see.
    // A larger page cache: a sync import or a bulk edit of 10,000s of rows
    // touches pages all over the layer, its indexes and the journal, and
    // SQLite's default 2 MB spills them to the WAL before the commit.
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA cache_size = -65536;",
    )?;
    conn.set_prepared_statement_cache_capacity(64);
    conn.busy_timeout(std::time::Duration::from_secs(5))
}

/// Whether the file has a table or view of this name.
pub fn table_exists(conn: &Connection, name: &str) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type IN ('table', 'view') AND name = ?1)",
        [name],
        |r| r.get(0),
    )
}

fn version_of(application_id: i32, user_version: i32) -> Option<GpkgVersion> {
    match application_id {
        APPLICATION_ID_GP10 => Some(GpkgVersion {
            major: 1,
            minor: 0,
            patch: 0,
        }),
        APPLICATION_ID_GP11 => Some(GpkgVersion {
            major: 1,
            minor: 1,
            patch: 0,
        }),
        APPLICATION_ID_GPKG => Some(GpkgVersion {
            major: (user_version / 10000) as u8,
            minor: (user_version / 100 % 100) as u8,
            patch: (user_version % 100) as u8,
        }),
        _ => None,
    }
}

/// Checks what can be checked before SQLite sees the file, so that the user
/// gets "truncated" or "not a database" rather than SQLite's terse codes.
fn check_file(path: &Path) -> Result<()> {
    let meta = std::fs::metadata(path).map_err(|source| match source.kind() {
        std::io::ErrorKind::NotFound => GpkgError::NotFound {
            path: path.to_path_buf(),
        },
        _ => GpkgError::Io {
            path: path.to_path_buf(),
            source,
        },
    })?;
    if !meta.is_file() {
        return Err(GpkgError::NotAFile {
            path: path.to_path_buf(),
        });
    }
    let mut header = [0u8; 100];
    let mut file = File::open(path).map_err(|source| GpkgError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let read = read_up_to(&mut file, &mut header).map_err(|source| GpkgError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    if read == 0 {
        return Err(GpkgError::NotSqlite {
            path: path.to_path_buf(),
            detail: "the file is empty".into(),
        });
    }
    if read < 100 || &header[..16] != b"SQLite format 3\0" {
        return Err(GpkgError::NotSqlite {
            path: path.to_path_buf(),
            detail: "no SQLite header".into(),
        });
    }
    let page_size = match u16::from_be_bytes([header[16], header[17]]) {
        1 => 65536u64,
        n => u64::from(n),
    };
    let page_count = u64::from(u32::from_be_bytes(header[28..32].try_into().expect("4 bytes")));
    let change_counter = &header[24..28];
    let valid_for = &header[92..96];
    let wal = path.with_extension(format!(
        "{}-wal",
        path.extension().and_then(|e| e.to_str()).unwrap_or_default()
    ));
    // The header's page count is trustworthy only when its "valid for" stamp
    // matches the change counter, and the file may legitimately lag while a WAL holds pages.
    if change_counter == valid_for && !wal.exists() && meta.len() < page_size * page_count {
        return Err(GpkgError::Truncated {
            path: path.to_path_buf(),
            actual: meta.len(),
            expected: page_size * page_count,
        });
    }
    Ok(())
}

fn read_up_to(file: &mut File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut total = 0;
    while total < buf.len() {
        match file.read(&mut buf[total..])? {
            0 => break,
            n => total += n,
        }
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_from_ids() {
        assert_eq!(version_of(APPLICATION_ID_GPKG, 10200).unwrap().to_string(), "1.2");
        assert_eq!(version_of(APPLICATION_ID_GPKG, 10201).unwrap().to_string(), "1.2.1");
        assert_eq!(version_of(APPLICATION_ID_GP10, 0).unwrap().to_string(), "1.0");
        assert_eq!(version_of(0, 10200), None);
    }

    #[test]
    fn create_refuses_to_overwrite_and_new_file_reopens() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.gpkg");
        drop(GeoPackage::create(&path).unwrap());
        assert!(matches!(
            GeoPackage::create(&path),
            Err(GpkgError::AlreadyExists { .. })
        ));
        let g = GeoPackage::open(&path).unwrap();
        assert_eq!(g.version().unwrap().to_string(), "1.2");
        assert!(!g.is_writable());
    }

    #[test]
    fn non_geopackages_are_named_as_such() {
        let dir = tempfile::tempdir().unwrap();
        let empty = dir.path().join("empty.gpkg");
        std::fs::write(&empty, b"").unwrap();
        assert!(matches!(GeoPackage::open(&empty), Err(GpkgError::NotSqlite { .. })));
        let text = dir.path().join("text.gpkg");
        std::fs::write(&text, "ไม่ใช่ไฟล์ GeoPackage".repeat(20)).unwrap();
        assert!(matches!(GeoPackage::open(&text), Err(GpkgError::NotSqlite { .. })));
        let plain = dir.path().join("plain.sqlite");
        Connection::open(&plain)
            .unwrap()
            .execute_batch("CREATE TABLE t (a)")
            .unwrap();
        assert!(matches!(GeoPackage::open(&plain), Err(GpkgError::NotGeoPackage { .. })));
        assert!(matches!(GeoPackage::open(dir.path()), Err(GpkgError::NotAFile { .. })));
        assert!(matches!(
            GeoPackage::open(dir.path().join("none.gpkg")),
            Err(GpkgError::NotFound { .. })
        ));
    }
}
