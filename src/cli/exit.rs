//! Fixed exit codes, documented in the README; scripts and CI rely on them.

use std::path::Path;
use std::process::ExitCode;

use tongtin::gpkg::GpkgError;

/// Success.
pub const OK: u8 = 0;
/// The input was read but does not conform (validate), or conflicts remain.
pub const NOT_CONFORMING: u8 = 1;
/// The command line was wrong (clap's own code).
pub const USAGE: u8 = 2;
/// The input could not be read: missing, not a GeoPackage, truncated, corrupt.
pub const BAD_INPUT: u8 = 3;
/// The output could not be written.
pub const WRITE_FAILED: u8 = 4;

/// The hub could not be reached (no network, hub down): try again later.
pub const UNREACHABLE: u8 = 5;
/// The hub refused: wrong credentials, no permission, another version.
pub const REFUSED: u8 = 6;

/// A failure to report: one line for the user and the exit code.
pub struct Failure {
    pub code: u8,
    pub message: String,
}

impl Failure {
    pub fn new(code: u8, message: impl std::fmt::Display) -> Self {
        Failure {
            code,
            message: message.to_string(),
        }
    }

    pub fn exit(self) -> ExitCode {
        eprintln!("tongtin: {}", self.message);
        ExitCode::from(self.code)
    }
}

/// Reading errors are the input's fault; anything else happened while writing.
/// The message always names the file.
pub fn reading(path: &Path, e: GpkgError) -> Failure {
    let code = match e {
        GpkgError::NotFound { .. }
        | GpkgError::NotAFile { .. }
        | GpkgError::Io { .. }
        | GpkgError::NotSqlite { .. }
        | GpkgError::NotGeoPackage { .. }
        | GpkgError::Truncated { .. }
        | GpkgError::Corrupt { .. }
        | GpkgError::BadGeometry { .. }
        | GpkgError::NoSuchLayer(_)
        | GpkgError::NoSuchColumn { .. }
        | GpkgError::Sqlite { .. } => BAD_INPUT,
        _ => WRITE_FAILED,
    };
    let message = e.to_string();
    let name = path.display().to_string();
    if message.contains(&name) {
        Failure::new(code, message)
    } else {
        Failure::new(code, format!("{name}: {message}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_distinct() {
        let mut codes = [OK, NOT_CONFORMING, USAGE, BAD_INPUT, WRITE_FAILED, UNREACHABLE, REFUSED];
        codes.sort_unstable();
        assert!(codes.windows(2).all(|w| w[0] != w[1]));
    }
}
