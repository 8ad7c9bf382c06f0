//! `tongtin sync`, `tongtin sync export|import` and `tongtin conflicts`.

use std::path::{Path, PathBuf};

use tongtin::journal::Actor;
use tongtin::sync::{self, remote::HubAccess, KnownConflict, SyncError, SyncReport, Take};

use super::exit::{self, Failure};
use super::progress::Bar;

/// How to reach the hub: flags first, then environment variables.
pub struct HubArgs {
    pub hub: Option<String>,
    pub org: Option<String>,
    pub user: Option<String>,
    pub password_env: Option<String>,
    pub ca_cert: Option<PathBuf>,
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

fn access(a: HubArgs) -> Result<HubAccess, Failure> {
    let missing = |what: &str, flag: &str, var: &str| {
        Failure::new(
            exit::USAGE,
            format!("{what} is needed: give {flag} or set {var} / กรุณาระบุ{what}"),
        )
    };
    let url = a
        .hub
        .or_else(|| env("TONGTIN_HUB"))
        .ok_or_else(|| missing("the hub address", "--hub URL", "TONGTIN_HUB"))?;
    let org = a
        .org
        .or_else(|| env("TONGTIN_ORG"))
        .ok_or_else(|| missing("the organisation", "--org CODE", "TONGTIN_ORG"))?;
    let user = a
        .user
        .or_else(|| env("TONGTIN_HUB_USER"))
        .ok_or_else(|| missing("the user name", "--user NAME", "TONGTIN_HUB_USER"))?;
    let var = a.password_env.unwrap_or_else(|| "TONGTIN_HUB_PASSWORD".into());
    let password = env(&var).ok_or_else(|| missing("the password", "--password-env VAR", &var))?;
    let ca_pem = a
        .ca_cert
        .map(|p| std::fs::read(&p).map_err(|e| Failure::new(exit::BAD_INPUT, format!("{}: {e}", p.display()))))
        .transpose()?;
    Ok(HubAccess {
        url,
        org,
        user,
        password,
        ca_pem,
    })
}

fn failure(file: &Path, e: SyncError) -> Failure {
    let code = match e {
        SyncError::Gpkg(g) => return exit::reading(file, g),
        SyncError::Unreachable { .. } => exit::UNREACHABLE,
        SyncError::Credentials
        | SyncError::Expired
        | SyncError::Forbidden { .. }
        | SyncError::Hub { .. }
        | SyncError::Wire(_)
        | SyncError::SchemaAhead { .. }
        | SyncError::SchemaBehind { .. }
        | SyncError::OtherHub { .. } => exit::REFUSED,
        SyncError::Io(_) => exit::WRITE_FAILED,
        _ => exit::BAD_INPUT,
    };
    Failure::new(code, format!("{}: {e}", file.display()))
}

pub fn run(file: &Path, hub: HubArgs, json: bool) -> Result<u8, Failure> {
    let access = access(hub)?;
    let bar = Bar::new();
    let report = sync::sync(file, &access, &Actor::from_env(), &bar).map_err(|e| failure(file, e))?;
    drop(bar);
    if json {
        say!("{}", serde_json::to_string_pretty(&report).unwrap_or_default());
    } else {
        print_report(file, &access, &report);
    }
    Ok(if report.open_conflicts > 0 {
        exit::NOT_CONFORMING
    } else {
        exit::OK
    })
}

fn print_report(file: &Path, access: &HubAccess, r: &SyncReport) {
    let name = file.display();
    if r.first {
        say!(
            "{name}: first sync with {} ({}): the file's data was sent whole",
            access.url,
            access.org
        );
    }
    say!(
        "{name}: sent {} changes ({} the hub already had), {} photos",
        r.pushed,
        r.duplicates,
        r.attachments_sent
    );
    say!(
        "{name}: received {} hub entries: {} features changed, {} photos, {} conflicts, {} resolutions",
        r.pulled,
        r.applied.features,
        r.attachments_received,
        r.applied.conflicts,
        r.applied.resolved
    );
    if r.applied.held > 0 {
        say!(
            "{name}: {} entries met changes made during the sync; they go out next time",
            r.applied.held
        );
    }
    if r.open_conflicts > 0 {
        say!(
            "{name}: {} conflicts are open: see `tongtin conflicts {name}` / มีข้อขัดแย้ง {} รายการ",
            r.open_conflicts,
            r.open_conflicts
        );
    } else {
        say!("{name}: in sync with the hub at position {} / ซิงก์เรียบร้อย", r.cursor);
    }
}

pub fn export(file: &Path, package: &Path, all: bool) -> Result<u8, Failure> {
    let done = sync::package::export(file, package, all, &Actor::from_env()).map_err(|e| failure(file, e))?;
    say!(
        "{}: wrote {} changes and {} photos to {} ({} bytes){}",
        file.display(),
        done.ops,
        done.attachments,
        package.display(),
        done.bytes,
        if done.first { ", the file's whole data" } else { "" }
    );
    Ok(exit::OK)
}

pub fn import(file: &Path, package: &Path) -> Result<u8, Failure> {
    if !package.is_file() {
        return Err(Failure::new(
            exit::BAD_INPUT,
            format!("{}: no such package file", package.display()),
        ));
    }
    let done = sync::package::import(file, package, &Actor::from_env()).map_err(|e| failure(package, e))?;
    say!(
        "{}: took {} changes from {} ({} taken before), {} new conflicts",
        file.display(),
        done.accepted,
        package.display(),
        done.duplicates,
        done.conflicts.len()
    );
    if done.open_conflicts > 0 {
        say!(
            "{}: {} conflicts are open: see `tongtin conflicts`",
            file.display(),
            done.open_conflicts
        );
        return Ok(exit::NOT_CONFORMING);
    }
    Ok(exit::OK)
}

pub fn list(file: &Path, json: bool, all: bool) -> Result<u8, Failure> {
    let gpkg = tongtin::gpkg::GeoPackage::open(file).map_err(|e| exit::reading(file, e))?;
    let known = sync::local::conflicts(gpkg.connection(), all).map_err(|e| failure(file, e))?;
    let open = known.iter().filter(|c| c.resolved_by.is_none()).count();
    if json {
        say!("{}", serde_json::to_string_pretty(&known).unwrap_or_default());
    } else if known.is_empty() {
        say!("{}: no open conflicts / ไม่มีข้อขัดแย้ง", file.display());
    } else {
        for k in &known {
            print_conflict(k);
        }
    }
    Ok(if open > 0 { exit::NOT_CONFORMING } else { exit::OK })
}

fn print_conflict(k: &KnownConflict) {
    let c = &k.conflict;
    let what = match (c.kind, &c.field) {
        (sync::ConflictKind::Field, Some(f)) => format!("field {f}"),
        (sync::ConflictKind::EditDeleted, _) => "edited on one side, deleted on the other".into(),
        (sync::ConflictKind::DeleteEdited, _) => "deleted on one side, edited on the other".into(),
        _ => "feature".into(),
    };
    let side = |s: &sync::Side| -> String {
        let v = match (&s.value, &s.row) {
            (Some(v), _) => v.chars().take(60).collect(),
            (None, Some(r)) => format!("{} fields", r.len()),
            (None, None) => "deleted".into(),
        };
        format!(
            "{v} (by {} on {})",
            if s.stamp.user.is_empty() { "?" } else { &s.stamp.user },
            s.stamp.device
        )
    };
    say!(
        "{} {} {} {}{}",
        c.id,
        c.layer,
        c.uid,
        what,
        if k.resolved_by.is_some() { " [resolved]" } else { "" }
    );
    say!("  ours:   {}", side(&c.ours));
    say!("  theirs: {}", side(&c.theirs));
    say!(
        "  kept until decided: {}",
        if c.kept == sync::Kept::Ours { "ours" } else { "theirs" }
    );
}

pub fn resolve(file: &Path, id: &str, take: &str) -> Result<u8, Failure> {
    let done = sync::resolve(file, id, &Take::parse(take), &Actor::from_env()).map_err(|e| failure(file, e))?;
    let with = match done.settled_with.len() {
        0 => String::new(),
        n => format!(" ({n} more settled with it: fields that follow the position)"),
    };
    say!(
        "{}: conflict {} resolved{}{with}; the decision goes to the hub with the next sync",
        file.display(),
        done.conflict_id,
        if done.changed {
            ", the data changed"
        } else {
            ", the data already held that value"
        }
    );
    Ok(exit::OK)
}
