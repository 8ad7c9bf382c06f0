use std::path::Path;

use tongtin::gpkg::GeoPackage;
use tongtin::journal::{check, Actor, CheckReport, JournalError, Op};

use super::exit::{self, Failure};
use super::progress::Bar;

pub fn check_file(file: &Path, json: bool) -> Result<u8, Failure> {
    let reader = GeoPackage::open(file).map_err(|e| exit::reading(file, e))?;
    reader.quick_check().map_err(|e| exit::reading(file, e))?;
    drop(reader);
    let mut gpkg = GeoPackage::open_writable(file).map_err(|e| exit::reading(file, e))?;
    let bar = Bar::new();
    let report = check(&mut gpkg, &Actor::from_env(), &bar).map_err(|e| match e {
        JournalError::Gpkg(g) => exit::reading(file, g),
        other => Failure::new(exit::BAD_INPUT, format!("{}: {other}", file.display())),
    })?;
    drop(bar);
    if json {
        say!("{}", serde_json::to_string_pretty(&report).unwrap_or_default());
    } else {
        print_report(file, &report);
    }
    Ok(if report.agrees() {
        exit::OK
    } else {
        exit::NOT_CONFORMING
    })
}

fn print_report(file: &Path, r: &CheckReport) {
    let name = file.display();
    if r.installed {
        say!("{name}: journal set up (it had none)");
    }
    for t in &r.repaired_triggers {
        say!("{name}: capture triggers of '{t}' were missing or out of date; put back");
    }
    let list = |what: &str, ops: &[Op]| {
        if !ops.is_empty() {
            say!("{name}: {} {what}, now in the journal:", ops.len());
            for op in ops {
                let fields: Vec<&str> = op.fields.iter().map(|f| f.field.as_str()).collect();
                say!("  {} {} {} ({})", op.kind.as_str(), op.layer, op.uid, fields.join(", "));
            }
        }
    };
    list("edits by other tools captured by the triggers", &r.captured);
    list("edits made without the triggers, found by fingerprint", &r.uncaptured);
    for d in &r.disagreements {
        say!("{name}: {d}");
    }
    if r.agrees() {
        say!("{name}: journal and data agree ({} tables, {} rows)", r.tables, r.rows);
    } else {
        eprintln!(
            "tongtin: {name}: {} places where the data and the journal disagree",
            r.disagreements.len()
        );
    }
}
