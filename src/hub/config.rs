//! The hub's settings: command-line flags over environment variables over a
//! TOML file over defaults.
//!
//! | key (file) | environment | default |
//! |---|---|---|
//! | `store` | `TONGTIN_HUB_STORE` | `sqlite:tongtin-hub.sqlite` |
//! | `listen` | `TONGTIN_HUB_LISTEN` | `127.0.0.1:8470` |
//! | `token_hours` | `TONGTIN_HUB_TOKEN_HOURS` | `12` |
//! | `admin_password` | `TONGTIN_HUB_ADMIN_PASSWORD` | generated and printed once |
//! | `tls_cert`, `tls_key` | `TONGTIN_HUB_TLS_CERT`, `TONGTIN_HUB_TLS_KEY` | none (plain HTTP) |

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;

pub const DEFAULT_STORE: &str = "sqlite:tongtin-hub.sqlite";
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8470";
pub const DEFAULT_TOKEN_HOURS: f64 = 12.0;

/// Settings as one source gives them (a file, the environment, the flags):
/// each unset key falls through to the next source.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub store: Option<String>,
    pub listen: Option<String>,
    pub token_hours: Option<f64>,
    pub admin_password: Option<String>,
    pub tls_cert: Option<PathBuf>,
    pub tls_key: Option<PathBuf>,
}

impl Settings {
    /// The keys `lookup` (the environment) gives.
    pub fn from_env(lookup: impl Fn(&str) -> Option<String>) -> Result<Settings, ConfigError> {
        let get = |k: &str| lookup(k).filter(|v| !v.is_empty());
        let token_hours = match get("TONGTIN_HUB_TOKEN_HOURS") {
            Some(v) => Some(v.trim().parse::<f64>().map_err(|_| ConfigError::Invalid {
                key: "TONGTIN_HUB_TOKEN_HOURS".into(),
                value: v.clone(),
                why: "not a number of hours".into(),
            })?),
            None => None,
        };
        Ok(Settings {
            store: get("TONGTIN_HUB_STORE"),
            listen: get("TONGTIN_HUB_LISTEN"),
            token_hours,
            admin_password: get("TONGTIN_HUB_ADMIN_PASSWORD"),
            tls_cert: get("TONGTIN_HUB_TLS_CERT").map(PathBuf::from),
            tls_key: get("TONGTIN_HUB_TLS_KEY").map(PathBuf::from),
        })
    }

    /// A `hub.toml`.
    pub fn from_file(path: &Path) -> Result<Settings, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError::Read {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
        toml::from_str(&text).map_err(|e| ConfigError::Parse {
            path: path.to_path_buf(),
            message: e.message().to_string(),
        })
    }

    /// `self` where set, else `other`.
    pub fn or(self, other: Settings) -> Settings {
        Settings {
            store: self.store.or(other.store),
            listen: self.listen.or(other.listen),
            token_hours: self.token_hours.or(other.token_hours),
            admin_password: self.admin_password.or(other.admin_password),
            tls_cert: self.tls_cert.or(other.tls_cert),
            tls_key: self.tls_key.or(other.tls_key),
        }
    }
}

/// The settings a hub runs with.
#[derive(Clone, Debug)]
pub struct HubConfig {
    /// `sqlite:PATH` or `postgres://…`.
    pub store: String,
    pub listen: SocketAddr,
    /// How long a session lasts (fractions allowed; 0 expires at once).
    pub token_hours: f64,
    /// The first administrator's password; generated when `None`.
    pub admin_password: Option<String>,
    /// Certificate chain and private key (PEM) to serve HTTPS.
    pub tls: Option<(PathBuf, PathBuf)>,
}

impl HubConfig {
    /// Flags over the environment over the file (when given) over defaults.
    pub fn resolve(flags: Settings, env: Settings, file: Option<&Path>) -> Result<HubConfig, ConfigError> {
        let file = match file {
            Some(p) => Settings::from_file(p)?,
            None => Settings::default(),
        };
        let s = flags.or(env).or(file);
        let listen_text = s.listen.unwrap_or_else(|| DEFAULT_LISTEN.into());
        let listen = listen_text.parse().map_err(|_| ConfigError::Invalid {
            key: "listen".into(),
            value: listen_text.clone(),
            why: "not an address with a port (127.0.0.1:8470, 0.0.0.0:443, [::1]:8470)".into(),
        })?;
        let token_hours = s.token_hours.unwrap_or(DEFAULT_TOKEN_HOURS);
        if !(0.0..=24.0 * 366.0).contains(&token_hours) {
            return Err(ConfigError::Invalid {
                key: "token_hours".into(),
                value: token_hours.to_string(),
                why: "must be between 0 and 8784 hours".into(),
            });
        }
        let tls = match (s.tls_cert, s.tls_key) {
            (Some(c), Some(k)) => Some((c, k)),
            (None, None) => None,
            _ => {
                return Err(ConfigError::Invalid {
                    key: "tls_cert / tls_key".into(),
                    value: "one of them".into(),
                    why: "HTTPS needs both the certificate and the key".into(),
                })
            }
        };
        Ok(HubConfig {
            store: s.store.unwrap_or_else(|| DEFAULT_STORE.into()),
            listen,
            token_hours,
            admin_password: s.admin_password,
            tls,
        })
    }
}

/// A configuration that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The configuration file cannot be read.
    #[error("cannot read the configuration file {path}: {message}")]
    Read { path: PathBuf, message: String },
    /// The configuration file is not valid TOML or has unknown keys.
    #[error("{path}: {message}")]
    Parse { path: PathBuf, message: String },
    /// A value of the wrong form.
    #[error("{key} = '{value}': {why}")]
    Invalid { key: String, value: String, why: String },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_beat_environment_beat_file_beat_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("hub.toml");
        std::fs::write(
            &file,
            "store = \"sqlite:file.sqlite\"\nlisten = \"127.0.0.1:1\"\ntoken_hours = 2\n",
        )
        .unwrap();
        let env = Settings::from_env(|k| (k == "TONGTIN_HUB_LISTEN").then(|| "127.0.0.1:2".to_string())).unwrap();
        let flags = Settings {
            token_hours: Some(3.0),
            ..Settings::default()
        };
        let c = HubConfig::resolve(flags, env, Some(&file)).unwrap();
        assert_eq!(c.store, "sqlite:file.sqlite");
        assert_eq!(c.listen.port(), 2);
        assert_eq!(c.token_hours, 3.0);
        let d = HubConfig::resolve(Settings::default(), Settings::default(), None).unwrap();
        assert_eq!(
            (d.store.as_str(), d.listen.port(), d.token_hours),
            (DEFAULT_STORE, 8470, 12.0)
        );
    }

    #[test]
    fn bad_configuration_is_described() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("hub.toml");
        std::fs::write(&file, "stor = 1\n").unwrap();
        let e = HubConfig::resolve(Settings::default(), Settings::default(), Some(&file)).unwrap_err();
        assert!(e.to_string().contains("stor"), "{e}");
        let flags = Settings {
            listen: Some("nowhere".into()),
            ..Settings::default()
        };
        assert!(HubConfig::resolve(flags, Settings::default(), None).is_err());
        assert!(Settings::from_env(|_| Some("twelve".into())).is_err());
    }
}
