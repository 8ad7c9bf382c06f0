//! The PostgreSQL store (with PostGIS), for a district or a province: the
//! hub keeps nothing in memory but a connection pool, so several `tongtin
//! serve` processes can share one database. Pushes of one organisation are
//! serialised by `SELECT … FOR UPDATE` on its row, under which its log
//! positions are numbered.
//!
//! Tables live in the schema `tongtin_hub`; each organisation gets a schema
//! `org_<code>` (`-` as `_`) with one view per layer (uid, the attributes,
//! geom) that QGIS can open.

mod error;
mod source;

use std::sync::LazyLock;
use std::time::Duration;

use postgres::{Client, NoTls};

pub use error::PostgresStoreError;
pub use source::{org_schema, PgLedger};

use super::{
    accept_error, check_chunk, check_model, check_sha, chunks_match, BlobStatus, Credentials, HubStore, Member, Org,
    Pool, Pooled, Queries, Session, StoredConflict,
};
use crate::hub::auth::Role;
use crate::hub::error::HubError;
use crate::sync::{accept, Entry, PullResponse, PushRequest, PushResponse, Status, WIRE_VERSION};

const SCHEMA: &str = include_str!("sql/schema.sql");

fn queries() -> &'static Queries {
    static Q: LazyLock<Queries> = LazyLock::new(|| Queries::parse(include_str!("sql/queries.sql")));
    &Q
}

impl From<postgres::Error> for HubError {
    fn from(e: postgres::Error) -> Self {
        HubError::Postgres(PostgresStoreError::Postgres(e))
    }
}

fn json_error(e: serde_json::Error) -> HubError {
    HubError::Postgres(PostgresStoreError::Json(e))
}

/// Connections at most per hub process.
const MAX_CONNECTIONS: usize = 16;

pub struct PostgresStore {
    config: postgres::Config,
    target: String,
    pool: Pool<Client>,
}

impl PostgresStore {
    /// Connects, creates PostGIS and the hub's tables when needed.
    pub fn open(url: &str) -> Result<PostgresStore, PostgresStoreError> {
        let mut config: postgres::Config = url.parse().map_err(|e: postgres::Error| {
            PostgresStoreError::Url(format!("{}: {}", redact(url), error::message(&e)))
        })?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(Duration::from_secs(10));
        }
        config.application_name("tongtin-hub");
        let target = redact(url);
        let mut first = connect(&config, &target)?;
        let available = first
            .query_opt("SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'", &[])?
            .is_some();
        if !available {
            return Err(PostgresStoreError::NoPostgis(
                "the postgis extension is not installed on the server".into(),
            ));
        }
        first.batch_execute(SCHEMA).map_err(|e| {
            if error::message(&e).contains("postgis") {
                PostgresStoreError::NoPostgis(error::message(&e))
            } else {
                PostgresStoreError::Postgres(e)
            }
        })?;
        Ok(PostgresStore {
            config,
            target,
            pool: Pool::new(first, MAX_CONNECTIONS),
        })
    }

    fn conn(&self) -> Result<Pooled<'_, Client>, HubError> {
        let mut c = self.pool.get(|| connect(&self.config, &self.target))?;
        if c.is_closed() {
            c.set_broken();
            drop(c);
            c = self.pool.get(|| connect(&self.config, &self.target))?;
        }
        Ok(c)
    }

    /// Runs `f` on a pooled connection; a connection that failed is not reused.
    fn with<T>(&self, f: impl FnOnce(&mut Client) -> Result<T, HubError>) -> Result<T, HubError> {
        let mut c = self.conn()?;
        let out = f(&mut c);
        if out.is_err() && c.is_closed() {
            c.set_broken();
        }
        out
    }
}

/// The URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{}{user}@{}", &url[..scheme + 3], &url[at + 1..])
        }
        _ => url.to_string(),
    }
}

fn connect(config: &postgres::Config, target: &str) -> Result<Client, PostgresStoreError> {
    let mut client = config.connect(NoTls).map_err(|source| PostgresStoreError::Connect {
        target: target.to_string(),
        source,
    })?;
    client.batch_execute("SET search_path = tongtin_hub, public")?;
    Ok(client)
}

fn org_id(c: &mut impl postgres::GenericClient, org: &str) -> Result<i64, HubError> {
    c.query_opt(queries().get("org_id"), &[&org])?
        .map(|r| r.get(0))
        .ok_or_else(|| HubError::NotFound(format!("organisation {org}")))
}

fn role(text: String) -> Result<Role, HubError> {
    text.parse().map_err(HubError::Internal)
}

fn position(c: &mut impl postgres::GenericClient, query: &str, org: &str) -> Result<(i64, u32, i64), HubError> {
    let row = c
        .query_opt(queries().get(query), &[&org])?
        .ok_or_else(|| HubError::NotFound(format!("organisation {org}")))?;
    Ok((row.get(0), row.get::<_, i32>(1) as u32, row.get(2)))
}

impl HubStore for PostgresStore {
    fn kind(&self) -> &'static str {
        "postgres"
    }

    fn add_org(&self, code: &str, name: &str) -> Result<(), HubError> {
        self.with(|c| match c.execute(queries().get("add_org"), &[&code, &name])? {
            0 => Err(HubError::Exists(format!("organisation {code}"))),
            _ => Ok(()),
        })
    }

    fn orgs(&self) -> Result<Vec<Org>, HubError> {
        self.with(|c| {
            Ok(c.query(queries().get("orgs"), &[])?
                .iter()
                .map(|r| Org {
                    code: r.get(0),
                    name: r.get(1),
                    model_version: r.get::<_, i32>(2) as u32,
                    last_seq: r.get(3),
                })
                .collect())
        })
    }

    fn add_user(&self, org: &str, name: &str, role: Role, password_hash: &str) -> Result<(), HubError> {
        self.with(|c| {
            let id = org_id(c, org)?;
            c.execute(queries().get("add_user"), &[&id, &name, &password_hash, &role.as_str()])?;
            Ok(())
        })
    }

    fn users(&self) -> Result<Vec<Member>, HubError> {
        self.with(|c| {
            c.query(queries().get("users"), &[])?
                .into_iter()
                .map(|r| {
                    Ok(Member {
                        org: r.get(0),
                        user: r.get(1),
                        role: role(r.get(2))?,
                    })
                })
                .collect()
        })
    }

    fn remove_user(&self, org: &str, name: &str) -> Result<bool, HubError> {
        self.with(|c| {
            let mut tx = c.transaction()?;
            let id = org_id(&mut tx, org)?;
            let removed = tx.execute(queries().get("remove_user"), &[&id, &name])? > 0;
            tx.execute(queries().get("remove_sessions"), &[&id, &name])?;
            tx.commit()?;
            Ok(removed)
        })
    }

    fn add_superuser(&self, name: &str, password_hash: &str) -> Result<bool, HubError> {
        self.with(|c| Ok(c.execute(queries().get("add_superuser"), &[&name, &password_hash])? > 0))
    }

    fn has_superuser(&self) -> Result<bool, HubError> {
        self.with(|c| Ok(c.query_one(queries().get("has_superuser"), &[])?.get(0)))
    }

    fn credentials(&self, org: &str, user: &str) -> Result<Vec<Credentials>, HubError> {
        self.with(|c| {
            let mut out = Vec::new();
            if let Some(r) = c.query_opt(queries().get("member_credentials"), &[&org, &user])? {
                out.push(Credentials {
                    password_hash: r.get(0),
                    role: role(r.get(1))?,
                });
            }
            if let Some(r) = c.query_opt(queries().get("superuser_credentials"), &[&org, &user])? {
                out.push(Credentials {
                    password_hash: r.get(0),
                    role: Role::Admin,
                });
            }
            Ok(out)
        })
    }

    fn create_session(
        &self,
        token_hash: &str,
        org: &str,
        user: &str,
        role: Role,
        expires_at: i64,
    ) -> Result<(), HubError> {
        self.with(|c| {
            let mut tx = c.transaction()?;
            let old = chrono::Utc::now().timestamp_millis() - 86_400_000;
            tx.execute(queries().get("purge_sessions"), &[&old])?;
            tx.execute(
                queries().get("create_session"),
                &[&token_hash, &org, &user, &role.as_str(), &expires_at],
            )?;
            tx.commit()?;
            Ok(())
        })
    }

    fn session(&self, token_hash: &str) -> Result<Option<Session>, HubError> {
        self.with(|c| {
            c.query_opt(queries().get("session"), &[&token_hash])?
                .map(|r| {
                    Ok(Session {
                        org: r.get(0),
                        user: r.get(1),
                        role: role(r.get(2))?,
                        expires_at: r.get(3),
                    })
                })
                .transpose()
        })
    }

    fn status(&self, org: &str) -> Result<Status, HubError> {
        self.with(|c| {
            let r = c
                .query_opt(queries().get("status"), &[&org])?
                .ok_or_else(|| HubError::NotFound(format!("organisation {org}")))?;
            Ok(Status {
                wire: WIRE_VERSION,
                model_version: r.get::<_, i32>(0) as u32,
                last_seq: r.get(1),
            })
        })
    }

    fn push(&self, org: &str, request: &PushRequest) -> Result<PushResponse, HubError> {
        self.with(|c| {
            let mut tx = c.transaction()?;
            let (org_id, model_version, last_seq) = position(&mut tx, "lock_org", org)?;
            let model_version = check_model(model_version, request.model_version)?.max(model_version);
            let mut ledger = PgLedger::begin(&mut tx, org_id, org, last_seq, &request.ops)?;
            let mut response = accept(&mut ledger, &request.ops).map_err(accept_error)?;
            response.last_seq = ledger.flush()?;
            tx.execute(
                queries().get("set_org_position"),
                &[&org_id, &response.last_seq, &(model_version as i32)],
            )?;
            tx.commit()?;
            Ok(response)
        })
    }

    fn pull(&self, org: &str, after: i64, limit: u32) -> Result<PullResponse, HubError> {
        self.with(|c| {
            let (org_id, model_version, last_seq) = position(c, "org_position", org)?;
            let rows = c.query(
                queries().get("pull"),
                &[&org_id, &after, &last_seq, &(limit as i64 + 1)],
            )?;
            let mut entries = rows
                .iter()
                .map(|r| serde_json::from_str::<Entry>(r.get::<_, &str>(0)).map_err(json_error))
                .collect::<Result<Vec<_>, _>>()?;
            let more = entries.len() > limit as usize;
            entries.truncate(limit as usize);
            Ok(PullResponse {
                wire: WIRE_VERSION,
                model_version,
                entries,
                last_seq,
                more,
            })
        })
    }

    fn conflicts(&self, org: &str, open_only: bool) -> Result<Vec<StoredConflict>, HubError> {
        self.with(|c| {
            let id = org_id(c, org)?;
            c.query(queries().get("conflicts"), &[&id, &open_only])?
                .iter()
                .map(|r| {
                    Ok(StoredConflict {
                        conflict: serde_json::from_str(r.get::<_, &str>(0)).map_err(json_error)?,
                        resolved_by: r.get(1),
                    })
                })
                .collect()
        })
    }

    fn blob_status(&self, org: &str, sha256: &str) -> Result<BlobStatus, HubError> {
        check_sha(sha256)?;
        self.with(|c| {
            let id = org_id(c, org)?;
            Ok(c.query_opt(queries().get("blob_status"), &[&id, &sha256])?
                .map(|r| BlobStatus {
                    received: r.get::<_, i64>(1) as u64,
                    complete: r.get(2),
                })
                .unwrap_or_default())
        })
    }

    fn put_blob(&self, org: &str, sha256: &str, offset: u64, total: u64, chunk: &[u8]) -> Result<BlobStatus, HubError> {
        check_chunk(sha256, offset, total, chunk.len())?;
        self.with(|c| {
            let q = queries();
            let mut tx = c.transaction()?;
            let id = org_id(&mut tx, org)?;
            let (off, tot) = (offset as i64, total as i64);
            if offset == 0 {
                tx.execute(q.get("blob_begin"), &[&id, &sha256, &tot])?;
            }
            let row = tx
                .query_opt(q.get("blob_lock"), &[&id, &sha256])?
                .map(|r| (r.get::<_, i64>(0), r.get::<_, i64>(1) as u64, r.get::<_, bool>(2)));
            match row {
                Some((_, received, true)) => {
                    return Ok(BlobStatus {
                        received,
                        complete: true,
                    })
                }
                Some((t, _, false)) if t != tot && offset == 0 => {
                    tx.execute(q.get("blob_discard_chunks"), &[&id, &sha256])?;
                    tx.execute(q.get("blob_restart"), &[&id, &sha256, &tot])?;
                }
                Some((t, _, false)) if t != tot => {
                    return Err(HubError::BadRequest(format!(
                        "the upload of {sha256} was begun with {t} bytes in all, not {total}"
                    )))
                }
                Some((_, received, false)) if received != offset => return Err(HubError::BlobOffset { received }),
                Some(_) => {}
                None => return Err(HubError::BlobOffset { received: 0 }),
            }
            if !chunk.is_empty() {
                tx.execute(q.get("blob_chunk"), &[&id, &sha256, &off, &chunk])?;
            }
            let received = offset + chunk.len() as u64;
            let complete = received == total;
            if complete {
                let chunks: Vec<Vec<u8>> = tx
                    .query(q.get("blob_chunks"), &[&id, &sha256])?
                    .iter()
                    .map(|r| r.get(0))
                    .collect();
                if !chunks_match(sha256, chunks.iter().map(Vec::as_slice)) {
                    tx.execute(q.get("blob_discard_chunks"), &[&id, &sha256])?;
                    tx.execute(q.get("blob_discard"), &[&id, &sha256])?;
                    tx.commit()?;
                    return Err(HubError::BlobMismatch);
                }
            }
            tx.execute(q.get("blob_received"), &[&id, &sha256, &(received as i64), &complete])?;
            tx.commit()?;
            Ok(BlobStatus { received, complete })
        })
    }

    fn blob(&self, org: &str, sha256: &str) -> Result<Option<Vec<u8>>, HubError> {
        check_sha(sha256)?;
        self.with(|c| {
            let mut tx = c
                .build_transaction()
                .read_only(true)
                .isolation_level(postgres::IsolationLevel::RepeatableRead)
                .start()?;
            let id = org_id(&mut tx, org)?;
            let complete = tx
                .query_opt(queries().get("blob_status"), &[&id, &sha256])?
                .is_some_and(|r| r.get::<_, bool>(2));
            if !complete {
                return Ok(None);
            }
            let mut bytes = Vec::new();
            for r in tx.query(queries().get("blob_chunks"), &[&id, &sha256])? {
                bytes.extend_from_slice(r.get::<_, &[u8]>(0));
            }
            Ok(Some(bytes))
        })
    }
}
