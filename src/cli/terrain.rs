//! `tongtin terrain info|import|hillshade|contours`: the terrain without the UI.

use std::path::Path;

use tongtin::geom::{Coord, Dimension, Geometry, Shape};
use tongtin::gpkg::{ColumnDef, GeoPackage, GeometryColumnDef, SqlType, TableDef};
use tongtin::terrain::{self, Georef, Light, Surface, TerrainError};

use super::exit::{self, Failure};
use super::progress::Bar;

fn failure(file: &Path, e: TerrainError) -> Failure {
    match e {
        TerrainError::Gpkg(g) => exit::reading(file, g),
        other => Failure::new(exit::BAD_INPUT, other),
    }
}

fn open(file: &Path) -> Result<GeoPackage, Failure> {
    GeoPackage::open(file).map_err(|e| exit::reading(file, e))
}

pub fn info(file: &Path, json: bool) -> Result<u8, Failure> {
    let gpkg = open(file)?;
    let surface = Surface::open(&gpkg).map_err(|e| failure(file, e))?;
    let extent = surface.extent().map_err(|e| failure(file, e))?;
    let grid = surface.cells(&extent).map_err(|e| failure(file, e))?;
    let values: Vec<f32> = grid.values.iter().copied().filter(|v| v.is_finite()).collect();
    let min = values.iter().copied().reduce(f32::min);
    let max = values.iter().copied().reduce(f32::max);
    let mean = (!values.is_empty()).then(|| values.iter().map(|v| f64::from(*v)).sum::<f64>() / values.len() as f64);
    let nodata = grid.values.len() - values.len();
    if json {
        let doc = serde_json::json!({
            "file": file.display().to_string(),
            "srs": format!("EPSG:{}", surface.srs_id()),
            "cell_size": surface.cell_size(),
            "width": grid.width,
            "height": grid.height,
            "extent": [extent.min_x, extent.min_y, extent.max_x, extent.max_y],
            "min": min,
            "max": max,
            "mean": mean,
            "nodata_cells": nodata,
        });
        say!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
    } else {
        say!("{}: terrain in EPSG:{}", file.display(), surface.srs_id());
        say!(
            "cells: {} × {} of {} m, {} without data",
            grid.width,
            grid.height,
            surface.cell_size(),
            nodata
        );
        say!(
            "extent: {:.2} {:.2} {:.2} {:.2}",
            extent.min_x,
            extent.min_y,
            extent.max_x,
            extent.max_y
        );
        match (min, max, mean) {
            (Some(lo), Some(hi), Some(m)) => say!("elevation: {lo:.2} to {hi:.2} m, mean {m:.2} m"),
            _ => say!("elevation: no data"),
        }
    }
    Ok(exit::OK)
}

/// Reads the DEM against a read-only handle first, so that a bad DEM leaves
/// the file byte for byte as it was; only then opens it for writing.
pub fn import(dem: &Path, file: &Path) -> Result<u8, Failure> {
    let bar = Bar::new();
    let prepared = {
        let gpkg = open(file)?;
        gpkg.quick_check().map_err(|e| exit::reading(file, e))?;
        terrain::prepare(dem, &gpkg, &bar).map_err(|e| failure(dem, e))?
    };
    let mut gpkg = GeoPackage::open_writable(file).map_err(|e| exit::reading(file, e))?;
    let r = prepared
        .store(&mut gpkg, &bar)
        .map_err(|e| Failure::new(exit::WRITE_FAILED, format!("{}: {e}", file.display())))?;
    drop(bar);
    say!(
        "{}: terrain from {} ({} × {} cells, EPSG:{}{}): {} × {} cells of {} m in EPSG:{}, {:.2} to {:.2} m, {} cells without data, {} tiles",
        file.display(),
        dem.display(),
        r.source_width,
        r.source_height,
        r.source_epsg,
        if r.reprojected { ", reprojected" } else { "" },
        r.width,
        r.height,
        r.cell_size,
        r.epsg,
        r.min_elevation,
        r.max_elevation,
        r.nodata_cells,
        r.tiles
    );
    Ok(exit::OK)
}

pub fn hillshade(file: &Path, out: &Path, light: Light) -> Result<u8, Failure> {
    let gpkg = open(file)?;
    let surface = Surface::open(&gpkg).map_err(|e| failure(file, e))?;
    let extent = surface.extent().map_err(|e| failure(file, e))?;
    let grid = surface.cells(&extent).map_err(|e| failure(file, e))?;
    let shade = terrain::hillshade(&grid, &light);
    let georef = Georef {
        origin_x: grid.origin_x,
        origin_y: grid.origin_y,
        cell_x: grid.cell_x,
        cell_y: grid.cell_y,
        epsg: surface.srs_id(),
    };
    terrain::write_gray8(out, grid.width as u32, grid.height as u32, &shade, &georef, Some(0))
        .map_err(|e| Failure::new(exit::WRITE_FAILED, e))?;
    say!(
        "{}: hillshade {} × {} (sun {}° azimuth, {}° altitude, ×{} relief)",
        out.display(),
        grid.width,
        grid.height,
        light.azimuth,
        light.altitude,
        light.z_factor
    );
    Ok(exit::OK)
}

pub fn contours(file: &Path, out: &Path, interval: f64, base: f64) -> Result<u8, Failure> {
    if out.exists() {
        return Err(Failure::new(
            exit::WRITE_FAILED,
            format!("{}: already exists", out.display()),
        ));
    }
    let gpkg = open(file)?;
    let surface = Surface::open(&gpkg).map_err(|e| failure(file, e))?;
    let extent = surface.extent().map_err(|e| failure(file, e))?;
    let grid = surface.cells(&extent).map_err(|e| failure(file, e))?;
    let lines = terrain::contours(&grid, interval, base).map_err(|e| Failure::new(exit::USAGE, e))?;
    let srs = surface.srs_id();
    let write = || -> Result<usize, tongtin::gpkg::GpkgError> {
        let mut target = GeoPackage::create(out)?;
        let def = TableDef {
            name: "contours".into(),
            identifier: "เส้นชั้นความสูง".into(),
            description: "Contours".into(),
            geometry: Some(GeometryColumnDef {
                name: "geom".into(),
                geometry_type: tongtin::geom::GeometryType::LineString,
                srs_id: srs,
                z: 0,
                m: 0,
            }),
            columns: vec![
                ColumnDef::new("elev", SqlType::Real),
                ColumnDef::new("index_contour", SqlType::Integer),
            ],
        };
        target.write(|b| {
            b.create_table(&def)?;
            let mut ins = b.inserter("contours", Some(("geom", srs)), &["elev", "index_contour"])?;
            for c in &lines {
                let g = Geometry {
                    dim: Dimension::Xy,
                    shape: Shape::LineString(c.line.iter().map(|&(x, y)| Coord::xy(x, y)).collect()),
                };
                let steps = ((c.level - base) / interval).round() as i64;
                let index = i64::from(steps % 5 == 0);
                ins.insert(Some(&g), &[&c.level, &index])?;
            }
            drop(ins);
            b.index_table("contours", def.geometry.as_ref())
        })?;
        Ok(lines.len())
    };
    let n = write().map_err(|e| {
        let _ = std::fs::remove_file(out);
        Failure::new(exit::WRITE_FAILED, format!("{}: {e}", out.display()))
    })?;
    say!(
        "{}: {n} contour lines every {interval} m (index every {} m) in EPSG:{srs}",
        out.display(),
        interval * 5.0
    );
    Ok(exit::OK)
}

/// Sets every pole's and drain end's elevation from the terrain where it is
/// missing or differs, as one journaled edit.
pub fn fill(file: &Path) -> Result<u8, Failure> {
    let mut editor = tongtin::edit::Editor::open(file, tongtin::journal::Actor::from_env())
        .map_err(|e| Failure::new(exit::BAD_INPUT, e))?;
    let applied = editor
        .fill_elevations("ระดับจากภูมิประเทศ")
        .map_err(|e| Failure::new(exit::WRITE_FAILED, e))?;
    match applied {
        Some(a) => say!(
            "{}: {} features got their elevation from the terrain",
            file.display(),
            a.ops.len()
        ),
        None => say!("{}: every elevation is current", file.display()),
    }
    Ok(exit::OK)
}
