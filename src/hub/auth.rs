//! Who may do what: roles, argon2id password hashes, session tokens.
//!
//! A token is 32 random bytes (hex); the store keeps only its SHA-256, with
//! the organisation, user, role and expiry it was issued for, so a copy of
//! the database does not hand out live sessions.

use std::fmt;
use std::str::FromStr;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::error::HubError;
use super::store::{HubStore, Session};

/// What a user may do in an organisation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Pull and download attachments.
    Viewer,
    /// Also push edits and upload attachments.
    Editor,
    /// Also manage the organisation (same sync rights as an editor).
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Editor => "editor",
            Role::Admin => "admin",
        }
    }

    /// Whether the role may change the organisation's data.
    pub fn can_write(self) -> bool {
        self >= Role::Editor
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Role, String> {
        match s {
            "viewer" => Ok(Role::Viewer),
            "editor" => Ok(Role::Editor),
            "admin" => Ok(Role::Admin),
            other => Err(format!("unknown role '{other}' (viewer, editor or admin)")),
        }
    }
}

/// The superuser `tongtin serve` creates on first start: admin of every organisation.
pub const SUPERUSER: &str = "admin";

/// Whether `code` is a usable organisation code: 1–40 of `a-z`, `0-9`, `-`,
/// not starting with `-`.
pub fn valid_org_code(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= 40
        && !code.starts_with('-')
        && code
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Whether `name` is a usable user name: 1–64 printable characters, no spaces.
pub fn valid_user_name(name: &str) -> bool {
    !name.is_empty() && name.chars().count() <= 64 && name.chars().all(|c| !c.is_whitespace() && !c.is_control())
}

/// An argon2id hash (PHC string, random salt) of a password.
pub fn hash_password(password: &str) -> Result<String, HubError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| HubError::Internal(format!("no randomness: {e}")))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| HubError::Internal(e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| HubError::Internal(format!("hashing a password: {e}")))
}

/// Whether `password` matches the stored hash.
pub fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
        .unwrap_or(false)
}

/// A hash no password matches, verified when there is no user, so an unknown
/// user takes as long to refuse as a wrong password.
fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_password("decoy password no one has").unwrap_or_default())
}

fn random_hex(bytes: usize) -> Result<String, HubError> {
    let mut b = vec![0u8; bytes];
    getrandom::fill(&mut b).map_err(|e| HubError::Internal(format!("no randomness: {e}")))?;
    Ok(hex(&b))
}

/// Lowercase hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// A fresh session token.
pub fn new_token() -> Result<String, HubError> {
    random_hex(32)
}

/// A password for the first administrator when none is given (printed once).
pub fn generate_password() -> Result<String, HubError> {
    random_hex(12)
}

/// What the store keeps of a token.
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// The answer to a successful login.
#[derive(Clone, Debug, Serialize)]
pub struct LoginAnswer {
    pub token: String,
    /// RFC 3339.
    pub expires_at: String,
    pub role: Role,
}

/// Checks a user's password for an organisation and opens a session of
/// `hours` (fractions allowed). Every failure is the same
/// [`HubError::Unauthorized`].
pub fn login(store: &dyn HubStore, org: &str, user: &str, password: &str, hours: f64) -> Result<LoginAnswer, HubError> {
    let candidates = if valid_org_code(org) && valid_user_name(user) {
        store.credentials(org, user)?
    } else {
        Vec::new()
    };
    if candidates.is_empty() {
        verify_password(decoy_hash(), password);
        return Err(HubError::Unauthorized);
    }
    let Some(role) = candidates
        .iter()
        .find(|c| verify_password(&c.password_hash, password))
        .map(|c| c.role)
    else {
        return Err(HubError::Unauthorized);
    };
    let token = new_token()?;
    let now = chrono::Utc::now();
    let expires = now + chrono::Duration::milliseconds((hours.max(0.0) * 3_600_000.0) as i64);
    store.create_session(&token_hash(&token), org, user, role, expires.timestamp_millis())?;
    Ok(LoginAnswer {
        token,
        expires_at: expires.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        role,
    })
}

/// The session a bearer token opens, refused when unknown or expired.
pub fn authenticate(store: &dyn HubStore, token: Option<&str>) -> Result<Session, HubError> {
    let token = token
        .filter(|t| !t.is_empty() && t.len() <= 256)
        .ok_or(HubError::Unauthorized)?;
    let session = store.session(&token_hash(token))?.ok_or(HubError::Unauthorized)?;
    if session.expires_at <= chrono::Utc::now().timestamp_millis() {
        return Err(HubError::TokenExpired);
    }
    Ok(session)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_with_salt_and_verify() {
        let a = hash_password("กรุงเทพ secret").unwrap();
        let b = hash_password("กรุงเทพ secret").unwrap();
        assert!(a.starts_with("$argon2id$"));
        assert_ne!(a, b, "salted");
        assert!(verify_password(&a, "กรุงเทพ secret"));
        assert!(!verify_password(&a, "กรุงเทพ secreT"));
        assert!(!verify_password("not a hash", "x"));
    }

    #[test]
    fn org_codes_and_roles() {
        assert!(valid_org_code("non-sa-at-2"));
        for bad in ["", "Non", "a_b", "-a", "a b", "ก"] {
            assert!(!valid_org_code(bad), "{bad}");
        }
        assert_eq!("editor".parse::<Role>(), Ok(Role::Editor));
        assert!(Role::Admin.can_write() && Role::Editor.can_write() && !Role::Viewer.can_write());
        assert_eq!(token_hash("t").len(), 64);
        assert_ne!(new_token().unwrap(), new_token().unwrap());
    }
}
