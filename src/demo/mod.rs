//! `tongtin demo`: a deterministic demo municipality inside the real
//! boundary of tambon Non Sa-At, and its `--scale` copies for performance data.
//!
//! The file is written under a temporary name beside the target and renamed
//! when complete, so an interrupted run never leaves a half-written demo.

mod assets;
mod boundary;
mod inventory;
mod names;
mod network;
mod polyline;
mod rng;
mod terrain;
mod villages;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rusqlite::ToSql;
use thiserror::Error;

use crate::crs::CrsError;
use crate::geom::{Coord, Dimension, Geometry, Shape};
use crate::gpkg::{GeoPackage, GpkgError};
use crate::model::{create_layers, index_layers, schema};
use crate::progress::Progress;
use boundary::Boundary;
use polyline::Pt;
use rng::Rng;

/// Every row of the demo carries this creation time, so the same seed gives the same file.
const CREATED_AT: &str = "2025-10-01T02:00:00.000Z";
const TARGET_POLES_PER_TOWN: f64 = 3000.0;
const EQUIPMENT_ITEMS: usize = 500;

#[derive(Clone, Debug)]
pub struct DemoOptions {
    pub seed: u64,
    /// How many towns to lay out side by side (1 = the demo municipality).
    pub scale: u32,
    /// EPSG code of the layers (UTM 48N for Non Sa-At).
    pub srs_id: i32,
}

impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions {
            seed: 1,
            scale: 1,
            srs_id: 32648,
        }
    }
}

#[derive(Debug, Error)]
pub enum DemoError {
    /// The output exists and replacing it was not asked for.
    #[error("{0}: already exists (use --force to replace it)")]
    Exists(PathBuf),
    /// `--scale 0` or a scale whose copies would not fit the CRS.
    #[error("scale must be between 1 and {max}, got {got}")]
    Scale { got: u32, max: u32 },
    #[error("{path}: cannot write: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error(transparent)]
    Gpkg(#[from] GpkgError),
    #[error(transparent)]
    Crs(#[from] CrsError),
    #[error(transparent)]
    Journal(#[from] crate::journal::JournalError),
}

/// What was generated.
#[derive(Debug, Default, serde::Serialize)]
pub struct DemoSummary {
    pub poles: u64,
    pub lamps: u64,
    pub road_sections: u64,
    pub road_km: f64,
    pub drains: u64,
    pub landmarks: u64,
    pub villages: u64,
    pub equipment: u64,
    pub work_orders: u64,
    pub dem_cells: u64,
    #[serde(skip)]
    pub elapsed: Duration,
}

pub const MAX_SCALE: u32 = 2000;

/// Generates the demo into `out`; with `force` an existing file is replaced.
pub fn generate(
    out: &Path,
    options: &DemoOptions,
    force: bool,
    progress: &dyn Progress,
) -> Result<DemoSummary, DemoError> {
    if options.scale == 0 || options.scale > MAX_SCALE {
        return Err(DemoError::Scale {
            got: options.scale,
            max: MAX_SCALE,
        });
    }
    if out.exists() && !force {
        return Err(DemoError::Exists(out.to_path_buf()));
    }
    let partial = out.with_file_name(format!(
        ".{}.part",
        out.file_name().and_then(|n| n.to_str()).unwrap_or("demo.gpkg")
    ));
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let p = PathBuf::from(format!("{}{suffix}", partial.display()));
        if p.exists() {
            std::fs::remove_file(&p).map_err(|source| DemoError::Io {
                path: p.clone(),
                source,
            })?;
        }
    }
    let summary = write_demo(&partial, options, progress);
    match summary {
        Ok(s) => {
            std::fs::rename(&partial, out).map_err(|source| DemoError::Io {
                path: out.to_path_buf(),
                source,
            })?;
            Ok(s)
        }
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            Err(e)
        }
    }
}

fn write_demo(path: &Path, options: &DemoOptions, progress: &dyn Progress) -> Result<DemoSummary, DemoError> {
    let started = Instant::now();
    let boundary = Boundary::non_sa_at(options.srs_id)?;
    let root = Rng::new(options.seed);
    let dem = terrain::generate(&boundary.envelope, options.seed);
    let mut gpkg = GeoPackage::create_scratch(path)?;
    let srs = options.srs_id;
    let mut summary = DemoSummary {
        dem_cells: (dem.width * dem.height) as u64,
        ..Default::default()
    };
    let s = schema();
    gpkg.write(|b| -> Result<(), DemoError> {
        create_layers(b, srs)?;
        let terrain_labels = &s.coverages["terrain"];
        terrain::write(b, &dem, srs, &terrain_labels.th, &terrain_labels.en, progress)?;
        let sys = ["uid", "created_at", "updated_at"];
        let cols = |rest: &[&'static str]| -> Vec<&'static str> { sys.iter().chain(rest).copied().collect() };
        let mut poles_w = b.inserter(
            "poles",
            Some(("geom", srs)),
            &cols(&[
                "pole_no",
                "pole_type",
                "material",
                "height_m",
                "arm_count",
                "village_no",
                "community",
                "road_code",
                "circuit_no",
                "owner",
                "install_date",
                "asset_no",
                "status",
                "elevation_m",
            ]),
        )?;
        let mut lamps_w = b.inserter(
            "lamps",
            None,
            &cols(&[
                "pole_uid",
                "lamp_type",
                "watts",
                "colour_temp_k",
                "control",
                "last_changed",
            ]),
        )?;
        let mut roads_w = b.inserter(
            "roads",
            Some(("geom", srs)),
            &cols(&[
                "road_code",
                "route_no",
                "name_th",
                "name_en",
                "area_type",
                "class",
                "surface",
                "carriageway_m",
                "shoulder_m",
                "footpath_m",
                "right_of_way_m",
                "start_km",
                "end_km",
                "length_m",
                "year_built_be",
                "condition",
            ]),
        )?;
        let mut drains_w = b.inserter(
            "drains",
            Some(("geom", srs)),
            &cols(&[
                "drain_type",
                "width_m",
                "depth_m",
                "diameter_m",
                "cover",
                "manholes",
                "village_no",
                "road_code",
                "start_elevation_m",
                "end_elevation_m",
            ]),
        )?;
        let mut landmarks_w = b.inserter(
            "landmarks",
            Some(("geom", srs)),
            &cols(&["name_th", "name_en", "landmark_type", "village_no"]),
        )?;
        let t = CREATED_AT;

        let side = f64::from(options.scale).sqrt().ceil() as u32;
        let (step_x, step_y) = (boundary.envelope.width() + 1000.0, boundary.envelope.height() + 1000.0);
        let mut first_town: Option<(Pt, Vec<assets::Pole>)> = None;
        let mut village_areas: Vec<(i64, &str, &str, Geometry)> = Vec::new();
        progress.step("towns", u64::from(options.scale));
        for copy in 0..options.scale {
            let (dx, dy) = (f64::from(copy % side) * step_x, -f64::from(copy / side) * step_y);
            let shift = |p: Pt| (p.0 + dx, p.1 + dy);
            let mut rng = root.fork(u64::from(copy) + 1);
            let net = network::generate(&boundary, &mut rng.fork(1));
            let authority = copy + 1;
            let prefix = if copy == 0 {
                "นส.".to_string()
            } else {
                format!("นส{authority}.")
            };
            let lit: f64 = net
                .roads
                .iter()
                .filter(|r| r.lit)
                .map(|r| polyline::length(&r.line))
                .sum();
            let spacing = (lit / TARGET_POLES_PER_TOWN).clamp(30.0, 40.0);
            for r in assets::sections(&net, authority, &mut rng.fork(2)) {
                let uid = rng.uuid();
                let len = polyline::length(&r.line);
                summary.road_km += len / 1000.0;
                let g = line(&r.line, shift);
                let length_m = (len * 10.0).round() / 10.0;
                roads_w.insert(
                    Some(&g),
                    &[
                        &uid,
                        &t,
                        &t,
                        &r.road_code,
                        &r.route_no,
                        &r.name_th,
                        &r.name_en,
                        &r.area_type,
                        &r.class,
                        &r.surface,
                        &r.carriageway_m,
                        &r.shoulder_m,
                        &r.footpath_m,
                        &r.right_of_way_m,
                        &r.start_km,
                        &r.end_km,
                        &length_m,
                        &r.year_built_be,
                        &r.condition,
                    ],
                )?;
                summary.road_sections += 1;
            }
            let poles = assets::poles(&net, authority, &prefix, spacing, &mut rng.fork(3));
            for p in &poles {
                let g = point(shift(p.at));
                let elevation = ground(&dem, p.at);
                poles_w.insert(
                    Some(&g),
                    &[
                        &p.uid,
                        &t,
                        &t,
                        &p.pole_no,
                        &p.pole_type,
                        &p.material,
                        &p.height_m,
                        &p.arm_count,
                        &p.village_no,
                        &p.community,
                        &p.road_code,
                        &p.circuit_no,
                        &p.owner,
                        &p.install_date,
                        &p.asset_no,
                        &p.status,
                        &elevation,
                    ],
                )?;
                for l in &p.lamps {
                    lamps_w.insert(
                        None,
                        &[
                            &l.uid,
                            &t,
                            &t,
                            &p.uid,
                            &l.lamp_type,
                            &l.watts,
                            &l.colour_temp_k,
                            &l.control,
                            &l.last_changed,
                        ],
                    )?;
                    summary.lamps += 1;
                }
            }
            summary.poles += poles.len() as u64;
            for d in assets::drains(&net, authority, &dem, &mut rng.fork(4)) {
                let uid = rng.uuid();
                let start = d.line.first().and_then(|&p| ground(&dem, p));
                let end = d.line.last().and_then(|&p| ground(&dem, p));
                drains_w.insert(
                    Some(&line(&d.line, shift)),
                    &[
                        &uid,
                        &t,
                        &t,
                        &d.drain_type,
                        &d.width_m,
                        &d.depth_m,
                        &d.diameter_m,
                        &d.cover,
                        &d.manholes,
                        &d.village_no,
                        &d.road_code,
                        &start,
                        &end,
                    ],
                )?;
                summary.drains += 1;
            }
            let landmarks = assets::landmarks(&net, &mut rng.fork(5));
            for l in &landmarks {
                let uid = rng.uuid();
                landmarks_w.insert(
                    Some(&point(shift(l.at))),
                    &[&uid, &t, &t, &l.name_th, &l.name_en, &l.landmark_type, &l.village_no],
                )?;
                summary.landmarks += 1;
            }
            if copy == 0 {
                first_town = Some((landmarks[0].at, poles));
                village_areas = villages::areas(&boundary, &net.villages)
                    .into_iter()
                    .zip(&net.villages)
                    .map(|(g, v)| (i64::from(v.no), v.name_th, v.name_en, g))
                    .collect();
            }
            progress.advance(1);
        }
        drop((poles_w, lamps_w, roads_w, drains_w, landmarks_w));

        let (office, poles) = first_town.expect("scale is at least 1");
        let mut inv = root.fork(0x1A7E);
        write_boundary(b, &boundary, srs)?;
        let mut villages_w = b.inserter(
            "villages",
            Some(("geom", srs)),
            &cols(&["village_no", "name_th", "name_en"]),
        )?;
        for (no, name_th, name_en, area) in &village_areas {
            let uid = inv.uuid();
            villages_w.insert(Some(area), &[&uid, &CREATED_AT, &CREATED_AT, no, name_th, name_en])?;
            summary.villages += 1;
        }
        drop(villages_w);
        let mut eq_w = b.inserter(
            "equipment",
            Some(("geom", srs)),
            &cols(&[
                "asset_no",
                "name",
                "category",
                "acquired_date",
                "quantity",
                "unit",
                "unit_price",
                "funding_source",
                "vendor",
                "document_no",
                "department",
                "custodian",
                "location",
                "pole_uid",
                "status",
            ]),
        )?;
        let equipment = inventory::equipment(EQUIPMENT_ITEMS, office, &poles, &mut inv);
        for e in &equipment {
            let g = e.at.map(point);
            eq_w.insert(
                g.as_ref(),
                &[
                    &e.uid,
                    &t,
                    &t,
                    &e.asset_no,
                    &e.name,
                    &e.category,
                    &e.acquired_date,
                    &e.quantity,
                    &e.unit,
                    &e.unit_price,
                    &e.funding_source,
                    &e.vendor,
                    &e.document_no,
                    &e.department,
                    &e.custodian,
                    &e.location,
                    &e.pole_uid,
                    &e.status,
                ],
            )?;
            summary.equipment += 1;
        }
        drop(eq_w);
        let mut wo_w = b.inserter(
            "work_orders",
            None,
            &cols(&[
                "order_no",
                "asset_kind",
                "asset_uid",
                "fault_type",
                "reporter",
                "contact",
                "description",
                "status",
                "received_at",
                "started_at",
                "done_at",
                "technician",
                "materials",
                "cost",
            ]),
        )?;
        for w in inventory::work_orders(&poles, &equipment, &mut inv) {
            let kind = w.asset_kind;
            let values: [&dyn ToSql; 17] = [
                &w.uid,
                &w.received_at,
                &w.received_at,
                &w.order_no,
                &kind,
                &w.asset_uid,
                &w.fault_type,
                &w.reporter,
                &w.contact,
                &w.description,
                &w.status,
                &w.received_at,
                &w.started_at,
                &w.done_at,
                &w.technician,
                &w.materials,
                &w.cost,
            ];
            wo_w.insert(None, &values)?;
            summary.work_orders += 1;
        }
        drop(wo_w);
        progress.step("spatial index", 0);
        index_layers(b, srs)?;
        progress.step("journal", 0);
        crate::journal::install(b.sql(), progress)?;
        Ok(())
    })?;
    summary.elapsed = started.elapsed();
    Ok(summary)
}

fn write_boundary(b: &crate::gpkg::Batch<'_>, boundary: &Boundary, srs: i32) -> Result<(), GpkgError> {
    let mut w = b.inserter(
        "boundary",
        Some(("geom", srs)),
        &[
            "uid",
            "created_at",
            "updated_at",
            "name_th",
            "name_en",
            "pcode",
            "source",
        ],
    )?;
    let uid = Rng::new(0xB0).uuid();
    let name_th = format!("เทศบาลตำบล{}", boundary.name_th);
    let name_en = format!("{} Subdistrict Municipality", boundary.name_en);
    let source = "OCHA COD-AB Thailand (Royal Thai Survey Department, 2019), CC BY-IGO";
    w.insert(
        Some(&boundary.geometry(0.0, 0.0)),
        &[
            &uid,
            &CREATED_AT,
            &CREATED_AT,
            &name_th,
            &name_en,
            &boundary.pcode,
            &source,
        ],
    )?;
    Ok(())
}

fn point(p: Pt) -> Geometry {
    Geometry::point(round_cm(p.0), round_cm(p.1))
}

fn line(points: &[Pt], shift: impl Fn(Pt) -> Pt) -> Geometry {
    let coords = points
        .iter()
        .map(|&p| shift(p))
        .map(|(x, y)| Coord::xy(round_cm(x), round_cm(y)))
        .collect();
    Geometry {
        dim: Dimension::Xy,
        shape: Shape::LineString(coords),
    }
}

/// Ground elevation from the DEM, to the centimetre (every town copy stands
/// on the first town's terrain).
fn ground(dem: &terrain::Dem, at: Pt) -> Option<f64> {
    dem.sample(at.0, at.1).map(round_cm)
}

/// Survey-grade positions are given to the centimetre.
fn round_cm(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}
