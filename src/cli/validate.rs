use std::path::Path;

use tongtin::gpkg::GeoPackage;
use tongtin::model::{check_model, schema_version, MigrateError};

use super::exit::{self, Failure};

pub fn run(file: &Path) -> Result<u8, Failure> {
    let gpkg = GeoPackage::open(file).map_err(|e| exit::reading(file, e))?;
    let mut problems = gpkg.conformance_problems().map_err(|e| exit::reading(file, e))?;
    let model = match schema_version(&gpkg) {
        Ok(Some(v)) => {
            problems.extend(
                check_model(&gpkg)
                    .map_err(|e| exit::reading(file, e))?
                    .iter()
                    .map(ToString::to_string),
            );
            format!("Tongtin data model {v}")
        }
        Ok(None) => "no Tongtin data model".to_string(),
        Err(MigrateError::Gpkg(e)) => return Err(exit::reading(file, e)),
        Err(e) => {
            problems.push(e.to_string());
            "unreadable data model version".to_string()
        }
    };
    let name = file.display();
    if problems.is_empty() {
        let version = gpkg.version().map_or("?".to_string(), |v| v.to_string());
        say!("{name}: valid GeoPackage {version} ({model})");
        return Ok(exit::OK);
    }
    for p in &problems {
        say!("{name}: {p}");
    }
    eprintln!("tongtin: {name}: {} problems found", problems.len());
    Ok(exit::NOT_CONFORMING)
}
