//! Where the hub keeps organisations, users, sessions, each organisation's
//! features, log, conflicts and attachments. One trait, [`HubStore`], two
//! backends of the same shape: [`sqlite`] (one file, no configuration, the
//! default) and [`postgres`] (PostgreSQL with PostGIS, for several hub
//! processes sharing one database and for QGIS reading the data).
//!
//! Both accept pushes through [`crate::sync::accept`] on a [`crate::sync::Ledger`]
//! over their own transaction, holding the organisation's lock (SQLite
//! `BEGIN IMMEDIATE`, PostgreSQL `SELECT … FOR UPDATE` on the organisation's
//! row), and number the log per organisation under it. The methods are
//! synchronous; the server calls them on blocking threads.

pub mod postgres;
pub mod sqlite;

use std::collections::HashMap;
use std::sync::{Arc, Condvar, Mutex};

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::auth::Role;
use super::error::{HubError, MAX_BLOB};
use crate::sync::{AcceptError, Conflict, PullResponse, PushRequest, PushResponse, Status};

/// An organisation (a municipality, a subdistrict administrative organisation).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Org {
    /// Lowercase `a-z0-9-`.
    pub code: String,
    pub name: String,
    /// The newest data model version pushed to it.
    pub model_version: u32,
    /// The last position of its log.
    pub last_seq: i64,
}

/// A user's role in one organisation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Member {
    pub org: String,
    pub user: String,
    pub role: Role,
}

/// A password hash that may open a session, and the role it gives.
#[derive(Clone, Debug)]
pub struct Credentials {
    pub password_hash: String,
    pub role: Role,
}

/// A signed-in session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    pub org: String,
    pub user: String,
    pub role: Role,
    /// Milliseconds since the Unix epoch.
    pub expires_at: i64,
}

/// How much of an attachment the hub holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct BlobStatus {
    pub received: u64,
    pub complete: bool,
}

/// A conflict as the hub keeps it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StoredConflict {
    pub conflict: Conflict,
    /// The op that resolved it, `None` while open.
    pub resolved_by: Option<String>,
}

/// One kind of store. Every method is one transaction.
pub trait HubStore: Send + Sync {
    /// `sqlite` or `postgres`.
    fn kind(&self) -> &'static str;

    /// Creates an organisation; [`HubError::Exists`] when the code is taken.
    fn add_org(&self, code: &str, name: &str) -> Result<(), HubError>;
    fn orgs(&self) -> Result<Vec<Org>, HubError>;
    /// Creates the user in the organisation, or sets its role and password;
    /// [`HubError::NotFound`] when there is no such organisation.
    fn add_user(&self, org: &str, name: &str, role: Role, password_hash: &str) -> Result<(), HubError>;
    /// Every user of every organisation.
    fn users(&self) -> Result<Vec<Member>, HubError>;
    /// Removes the user from the organisation and ends its sessions; false
    /// when it was not there.
    fn remove_user(&self, org: &str, name: &str) -> Result<bool, HubError>;
    /// Creates a hub-wide superuser (admin of every organisation) unless one
    /// of that name exists; returns whether it was created.
    fn add_superuser(&self, name: &str, password_hash: &str) -> Result<bool, HubError>;
    fn has_superuser(&self) -> Result<bool, HubError>;
    /// The password hashes that may sign `user` in to `org` (its own
    /// account first, then a superuser of that name); empty when the
    /// organisation or the user does not exist.
    fn credentials(&self, org: &str, user: &str) -> Result<Vec<Credentials>, HubError>;
    /// Stores a session (by its token's hash) and forgets expired ones.
    fn create_session(
        &self,
        token_hash: &str,
        org: &str,
        user: &str,
        role: Role,
        expires_at: i64,
    ) -> Result<(), HubError>;
    fn session(&self, token_hash: &str) -> Result<Option<Session>, HubError>;

    /// The organisation's wire version, model version and last log position.
    fn status(&self, org: &str) -> Result<Status, HubError>;
    /// Accepts a push (the model version rules of [`check_model`], then
    /// [`crate::sync::accept`]) under the organisation's lock.
    fn push(&self, org: &str, request: &PushRequest) -> Result<PushResponse, HubError>;
    /// Log entries after `after`, at most `limit`.
    fn pull(&self, org: &str, after: i64, limit: u32) -> Result<PullResponse, HubError>;
    /// The organisation's conflicts, the open ones only or all.
    fn conflicts(&self, org: &str, open_only: bool) -> Result<Vec<StoredConflict>, HubError>;

    fn blob_status(&self, org: &str, sha256: &str) -> Result<BlobStatus, HubError>;
    /// Appends a chunk at `offset` of an attachment of `total` bytes; when
    /// whole, verifies its SHA-256 ([`HubError::BlobMismatch`] and the
    /// upload discarded when wrong).
    fn put_blob(&self, org: &str, sha256: &str, offset: u64, total: u64, chunk: &[u8]) -> Result<BlobStatus, HubError>;
    /// A complete attachment's bytes.
    fn blob(&self, org: &str, sha256: &str) -> Result<Option<Vec<u8>>, HubError>;
}

/// Opens (creating its tables when needed) the store a URL names:
/// `sqlite:PATH` or `postgres://…` / `postgresql://…`.
pub fn open(url: &str) -> Result<Arc<dyn HubStore>, HubError> {
    if let Some(path) = url.strip_prefix("sqlite:") {
        let path = path.strip_prefix("//").unwrap_or(path);
        if path.is_empty() {
            return Err(HubError::BadRequest(
                "sqlite: needs a file path (sqlite:hub.sqlite)".into(),
            ));
        }
        Ok(Arc::new(sqlite::SqliteStore::open(std::path::Path::new(path))?))
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Arc::new(postgres::PostgresStore::open(url)?))
    } else {
        Err(HubError::BadRequest(format!(
            "unknown store '{url}': use sqlite:PATH or postgres://USER@HOST:PORT/DATABASE"
        )))
    }
}

/// The model version rules of a push: an older file is refused, a newer one
/// than this Tongtin knows too; otherwise the organisation's version becomes
/// the larger of the two (the new fields travel inside the rows).
pub fn check_model(org_version: u32, client: u32) -> Result<u32, HubError> {
    let supported = crate::model::schema().version;
    if client < org_version {
        return Err(HubError::SchemaBehind {
            client,
            hub: org_version,
        });
    }
    if client > supported {
        return Err(HubError::SchemaAhead { client, hub: supported });
    }
    Ok(client)
}

/// A refused push as the hub reports it.
pub(crate) fn accept_error<E: Into<HubError>>(e: AcceptError<E>) -> HubError {
    match e {
        AcceptError::Rejected(problems) => HubError::BadRequest(problems.join("; ")),
        AcceptError::MissingBlobs(missing) => HubError::MissingBlobs(missing),
        AcceptError::Store(e) => e.into(),
    }
}

/// Checks an attachment's name and an upload chunk's place before any store
/// work: lowercase hex SHA-256, `total` within [`MAX_BLOB`], the chunk inside it.
pub fn check_chunk(sha256: &str, offset: u64, total: u64, len: usize) -> Result<(), HubError> {
    check_sha(sha256)?;
    if total > MAX_BLOB {
        return Err(HubError::TooLarge { limit: MAX_BLOB });
    }
    if offset.checked_add(len as u64).is_none_or(|end| end > total) {
        return Err(HubError::BadRequest(format!(
            "a chunk of {len} bytes at {offset} does not fit in {total} bytes"
        )));
    }
    Ok(())
}

/// Refuses anything but 64 lowercase hex digits.
pub fn check_sha(sha256: &str) -> Result<(), HubError> {
    if sha256.len() == 64 && sha256.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
        Ok(())
    } else {
        Err(HubError::BadRequest(format!(
            "'{sha256}' is not a lowercase hex SHA-256"
        )))
    }
}

/// Whether chunks, in order, are the bytes of `sha256`.
pub(crate) fn chunks_match<'a>(sha256: &str, chunks: impl IntoIterator<Item = &'a [u8]>) -> bool {
    let mut h = Sha256::new();
    for c in chunks {
        h.update(c);
    }
    super::auth::hex(&h.finalize()) == sha256
}

/// Named queries from an `.sql` file: each starts with a line `-- name: NAME`.
pub(crate) struct Queries(HashMap<&'static str, &'static str>);

impl Queries {
    pub(crate) fn parse(text: &'static str) -> Queries {
        let mut map = HashMap::new();
        let mut rest = text;
        while let Some(at) = rest.find("-- name: ") {
            rest = &rest[at + "-- name: ".len()..];
            let end_of_name = rest.find('\n').unwrap_or(rest.len());
            let name = rest[..end_of_name].trim();
            let body = &rest[end_of_name..];
            let end = body.find("-- name: ").unwrap_or(body.len());
            map.insert(name, body[..end].trim());
            rest = body;
        }
        Queries(map)
    }

    /// The query; a missing name is a bug caught by the store tests.
    pub(crate) fn get(&self, name: &str) -> &'static str {
        self.0
            .get(name)
            .unwrap_or_else(|| panic!("no query named {name} in the store's queries.sql"))
    }
}

/// A small blocking pool of connections: at most `max` open, a caller waits
/// for a free one; a connection found broken is dropped, not returned.
pub(crate) struct Pool<C> {
    idle: Mutex<(Vec<C>, usize)>,
    freed: Condvar,
    max: usize,
}

pub(crate) struct Pooled<'a, C> {
    pool: &'a Pool<C>,
    conn: Option<C>,
    broken: bool,
}

impl<C> Pool<C> {
    pub(crate) fn new(first: C, max: usize) -> Pool<C> {
        Pool {
            idle: Mutex::new((vec![first], 1)),
            freed: Condvar::new(),
            max: max.max(1),
        }
    }

    /// A connection: an idle one, a new one from `connect`, or the next freed.
    pub(crate) fn get<E>(&self, connect: impl FnOnce() -> Result<C, E>) -> Result<Pooled<'_, C>, E> {
        let mut guard = self.idle.lock().unwrap_or_else(|p| p.into_inner());
        loop {
            if let Some(conn) = guard.0.pop() {
                return Ok(Pooled {
                    pool: self,
                    conn: Some(conn),
                    broken: false,
                });
            }
            if guard.1 < self.max {
                guard.1 += 1;
                drop(guard);
                return match connect() {
                    Ok(conn) => Ok(Pooled {
                        pool: self,
                        conn: Some(conn),
                        broken: false,
                    }),
                    Err(e) => {
                        self.idle.lock().unwrap_or_else(|p| p.into_inner()).1 -= 1;
                        self.freed.notify_one();
                        Err(e)
                    }
                };
            }
            guard = self.freed.wait(guard).unwrap_or_else(|p| p.into_inner());
        }
    }
}

impl<C> Pooled<'_, C> {
    /// Drops the connection instead of returning it to the pool.
    pub(crate) fn set_broken(&mut self) {
        self.broken = true;
    }
}

impl<C> std::ops::Deref for Pooled<'_, C> {
    type Target = C;
    fn deref(&self) -> &C {
        self.conn.as_ref().expect("a pooled connection")
    }
}

impl<C> std::ops::DerefMut for Pooled<'_, C> {
    fn deref_mut(&mut self) -> &mut C {
        self.conn.as_mut().expect("a pooled connection")
    }
}

impl<C> Drop for Pooled<'_, C> {
    fn drop(&mut self) {
        let mut guard = self.pool.idle.lock().unwrap_or_else(|p| p.into_inner());
        match self.conn.take() {
            Some(conn) if !self.broken => guard.0.push(conn),
            _ => guard.1 -= 1,
        }
        drop(guard);
        self.pool.freed.notify_one();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_queries_are_split() {
        let q = Queries::parse("-- a file\n-- name: one\nSELECT 1;\n\n-- name: two\nSELECT\n  2");
        assert_eq!(q.get("one"), "SELECT 1;");
        assert_eq!(q.get("two"), "SELECT\n  2");
    }

    #[test]
    fn model_rules_and_chunks() {
        let v = crate::model::schema().version;
        assert!(matches!(check_model(v, v - 1), Err(HubError::SchemaBehind { .. })));
        assert!(matches!(check_model(v - 1, v + 1), Err(HubError::SchemaAhead { .. })));
        assert_eq!(check_model(v - 1, v).unwrap(), v);
        assert!(check_chunk(&"a".repeat(64), 0, 10, 10).is_ok());
        assert!(check_chunk(&"a".repeat(64), 5, 10, 6).is_err());
        assert!(check_chunk(&"A".repeat(64), 0, 10, 1).is_err());
        assert!(check_chunk(&"a".repeat(64), 0, MAX_BLOB + 1, 1).is_err());
    }
}
