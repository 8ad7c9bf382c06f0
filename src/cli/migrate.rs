use std::path::Path;

use tongtin::model::{migrate_file, MigrateError};

use super::exit::{self, Failure};

pub fn run(file: &Path) -> Result<u8, Failure> {
    let report = migrate_file(file).map_err(|e| match e {
        MigrateError::Gpkg(g) => exit::reading(file, g),
        other => Failure::new(exit::BAD_INPUT, other),
    })?;
    if report.from == report.to {
        say!("{}: data model {} is current", file.display(), report.to);
    } else {
        say!(
            "{}: data model {} → {}; added layers: {}; added fields: {}",
            file.display(),
            report.from,
            report.to,
            if report.added_layers.is_empty() {
                "none".into()
            } else {
                report.added_layers.join(", ")
            },
            if report.added_fields.is_empty() {
                "none".into()
            } else {
                report.added_fields.join(", ")
            },
        );
    }
    Ok(exit::OK)
}
