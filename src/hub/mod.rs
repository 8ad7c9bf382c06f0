//! The sync hub behind `tongtin serve`: offices push their journal ops and
//! pull everyone else's; the merge is [`crate::sync::accept`], shared with
//! sync packages.
//!
//! - [`server`]: the HTTP API (axum), optionally over TLS (rustls).
//! - [`auth`]: roles, argon2id password hashes, hashed session tokens.
//! - [`config`]: flags, environment, `hub.toml`, defaults.
//! - [`store`]: [`HubStore`] with its SQLite and PostgreSQL backends.
//! - [`error`]: [`HubError`], each variant an HTTP status and error code.
//!
//! Must not know: the desktop shell, the terminal (the CLI prints), the data
//! model's layers (any journaled table syncs; the PostgreSQL views follow
//! the fields that arrive).

pub mod auth;
pub mod config;
pub mod error;
pub mod server;
pub mod store;
mod throttle;

pub use auth::Role;
pub use config::HubConfig;
pub use error::HubError;
pub use store::{open, BlobStatus, HubStore, Member, Org, Session, StoredConflict};

/// Creates the hub-wide administrator `admin` when the store has no
/// administrator yet, with `password` or a generated one. Returns the
/// password when it was generated (to be shown once), `None` otherwise.
pub fn ensure_first_admin(store: &dyn HubStore, password: Option<&str>) -> Result<Option<String>, HubError> {
    if store.has_superuser()? {
        return Ok(None);
    }
    let (password, generated) = match password {
        Some(p) => (p.to_string(), false),
        None => (auth::generate_password()?, true),
    };
    let created = store.add_superuser(auth::SUPERUSER, &auth::hash_password(&password)?)?;
    Ok((created && generated).then_some(password))
}
