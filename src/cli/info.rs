use std::path::Path;

use tongtin::gpkg::GeoPackage;
use tongtin::info::file_info;

use super::exit::{self, Failure};

pub fn run(file: &Path, json: bool) -> Result<u8, Failure> {
    let gpkg = GeoPackage::open(file).map_err(|e| exit::reading(file, e))?;
    let info = file_info(&gpkg).map_err(|e| exit::reading(file, e))?;
    if json {
        let text = serde_json::to_string_pretty(&info).map_err(|e| Failure::new(exit::WRITE_FAILED, e))?;
        say!("{text}");
        return Ok(exit::OK);
    }
    say!("{}", info.file);
    say!(
        "GeoPackage {}{}, {} layers",
        info.gpkg_version.as_deref().unwrap_or("(unknown version)"),
        info.schema_version
            .map(|v| format!(", Tongtin data model {v}"))
            .unwrap_or_default(),
        info.layers.len()
    );
    let width = info
        .layers
        .iter()
        .map(|l| l.name.chars().count())
        .max()
        .unwrap_or(4)
        .max(4);
    say!(
        "{:<width$}  {:<10}  {:<18}  {:<4}  {:<12}  {:>16}  extent",
        "name",
        "kind",
        "geometry",
        "dims",
        "srs",
        "count"
    );
    for l in &info.layers {
        let pad = width + l.name.len() - l.name.chars().count();
        let extent = l.extent.map_or("-".to_string(), |e| {
            format!("{:.2} {:.2} {:.2} {:.2}", e[0], e[1], e[2], e[3])
        });
        let zooms = l
            .zoom_levels
            .map(|z| format!(" (zoom {}-{})", z[0], z[1]))
            .unwrap_or_default();
        say!(
            "{:<pad$}  {:<10}  {:<18}  {:<4}  {:<12}  {:>16}  {extent}{zooms}",
            l.name,
            l.kind,
            l.geometry_type.as_deref().unwrap_or("-"),
            if l.geometry_type.is_some() { l.dimensions() } else { "-" },
            l.srs.as_deref().unwrap_or("-"),
            format!("{} {}", l.count, l.count_of),
        );
    }
    Ok(exit::OK)
}
