//! `tongtin serve`: the sync hub.

use std::io::Write;
use std::path::PathBuf;

use tongtin::hub::config::{HubConfig, Settings};
use tongtin::hub::{ensure_first_admin, HubError};

use super::exit::{self, Failure};

/// Flags of `tongtin serve` (and the store of `tongtin hub`).
pub struct ServeFlags {
    pub store: Option<String>,
    pub listen: Option<String>,
    pub tls_cert: Option<PathBuf>,
    pub tls_key: Option<PathBuf>,
    pub config: Option<PathBuf>,
}

/// Flags over the environment over the file over defaults.
pub fn config(flags: ServeFlags) -> Result<HubConfig, Failure> {
    let env = Settings::from_env(|k| std::env::var(k).ok()).map_err(|e| Failure::new(exit::BAD_INPUT, e))?;
    let given = Settings {
        store: flags.store,
        listen: flags.listen,
        tls_cert: flags.tls_cert,
        tls_key: flags.tls_key,
        ..Settings::default()
    };
    HubConfig::resolve(given, env, flags.config.as_deref()).map_err(|e| Failure::new(exit::BAD_INPUT, e))
}

/// Opens the configured store; an unreachable or malformed one is bad input.
pub fn open_store(url: &str) -> Result<std::sync::Arc<dyn tongtin::hub::HubStore>, Failure> {
    tongtin::hub::open(url).map_err(|e| store_failure(url, e))
}

pub fn store_failure(url: &str, e: HubError) -> Failure {
    if let HubError::BadRequest(m) = e {
        return Failure::new(exit::BAD_INPUT, m);
    }
    let code = match e {
        HubError::Sqlite(_) | HubError::Postgres(_) => exit::BAD_INPUT,
        _ => exit::WRITE_FAILED,
    };
    let message = e.to_string();
    if url.starts_with("sqlite:") && !message.contains(url.trim_start_matches("sqlite:")) {
        Failure::new(code, format!("{url}: {message}"))
    } else {
        Failure::new(code, message)
    }
}

pub fn run(flags: ServeFlags) -> Result<u8, Failure> {
    let config = config(flags)?;
    let store = open_store(&config.store)?;
    if let Some(password) =
        ensure_first_admin(&*store, config.admin_password.as_deref()).map_err(|e| store_failure(&config.store, e))?
    {
        say!("created the hub administrator: user admin, password {password} (shown only now; admin of every organisation)");
    }
    let listener = std::net::TcpListener::bind(config.listen)
        .map_err(|e| Failure::new(exit::BAD_INPUT, format!("cannot listen on {}: {e}", config.listen)))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::new(exit::WRITE_FAILED, format!("cannot start the server: {e}")))?;
    let kind = store.kind();
    let served = runtime.block_on(tongtin::hub::server::serve(
        listener,
        store.clone(),
        config.token_hours,
        config.tls.clone(),
        |url| {
            say!("listening on {url} (store: {kind})");
            let _ = std::io::stdout().flush();
        },
    ));
    drop(runtime);
    drop(store);
    served.map_err(|e| Failure::new(exit::BAD_INPUT, e))?;
    Ok(exit::OK)
}
