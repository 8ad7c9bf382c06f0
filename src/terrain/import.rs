//! `tongtin terrain import`: a GeoTIFF DEM becomes the municipality's
//! `terrain` coverage, reprojected into the municipality's CRS.
//!
//! Everything is read, checked and resampled ([`prepare`], which only reads
//! the GeoPackage) before anything is written; the old coverage is then
//! replaced in one transaction ([`Prepared::store`]), so a failed import
//! leaves the file as it was. [`import`] does both on one writable handle;
//! a caller that wants the file byte for byte untouched by a bad DEM (even
//! SQLite's change counter, which opening for writing moves) prepares on a
//! read-only handle and opens for writing only to store.

use std::path::Path;

use super::geotiff::{DataType, GeoTiff, MAX_CELLS};
use super::store::{write_terrain, TERRAIN};
use super::warp::{warp, GridSpec};
use super::{DemProblem, TerrainError};
use crate::crs::Transformer;
use crate::geom::Envelope;
use crate::gpkg::{GeoPackage, Grid, Layer, LayerKind};
use crate::model::schema;
use crate::progress::Progress;

/// Output cells kept around the municipality's extent (500 m at 10 m cells),
/// so that slopes, hillshade and contours reach its edge.
const MARGIN_CELLS: f64 = 50.0;

/// What an import read and wrote.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportReport {
    /// The DEM's size in cells, CRS, sample type and cell size (in its CRS's units).
    pub source_width: usize,
    pub source_height: usize,
    pub source_epsg: i32,
    pub source_type: DataType,
    pub source_cell: (f64, f64),
    /// The municipality's CRS, which the coverage is in.
    pub epsg: i32,
    /// Whether cells were resampled into another CRS.
    pub reprojected: bool,
    /// The coverage's size in cells and its cell size (in the municipality's CRS's units).
    pub width: usize,
    pub height: usize,
    pub cell_size: f64,
    /// The area the coverage covers.
    pub extent: Envelope,
    /// Lowest and highest elevation stored.
    pub min_elevation: f64,
    pub max_elevation: f64,
    /// Coverage cells without data (outside the DEM, or no data in it).
    pub nodata_cells: u64,
    /// Tiles written over all zoom levels (0 until stored).
    pub tiles: u64,
    /// The coarsest quantisation step of a full-resolution tile, in metres
    /// (0 until stored): stored elevations are within half of it.
    pub max_step: f64,
}

/// The CRS and extent the DEM is brought into.
struct Municipality {
    epsg: i32,
    srs_id: i32,
    /// The boundary's extent, else that of every feature layer in its CRS; `None` in an empty file.
    extent: Option<Envelope>,
}

/// A DEM read, checked and resampled onto the municipality's grid, ready to
/// be stored as its `terrain` coverage.
pub struct Prepared {
    grid: Grid,
    srs_id: i32,
    report: ImportReport,
}

/// Imports the GeoTIFF DEM at `dem` as the `terrain` coverage of `gpkg`
/// (opened writable), replacing the one there: [`prepare`], then
/// [`Prepared::store`].
pub fn import(dem: &Path, gpkg: &mut GeoPackage, progress: &dyn Progress) -> Result<ImportReport, TerrainError> {
    prepare(dem, gpkg, progress)?.store(gpkg, progress)
}

/// Reads the GeoTIFF DEM at `dem` and resamples it for `gpkg`, which is only
/// read: with PROJ into the CRS of the `poles` layer (else the `boundary`
/// layer's), at about the DEM's own resolution (its own lattice when the CRS
/// is the same), over the municipality's extent plus a margin of 50 cells.
///
/// ```no_run
/// use std::path::Path;
/// use tongtin::gpkg::GeoPackage;
/// use tongtin::progress::Silent;
///
/// // Checked on a read-only handle, so that a bad DEM leaves every byte as it was.
/// let prepared = tongtin::terrain::prepare(Path::new("dem.tif"), &GeoPackage::open("town.gpkg")?, &Silent)?;
/// let report = prepared.store(&mut GeoPackage::open_writable("town.gpkg")?, &Silent)?;
/// println!("{} × {} cells of {} m", report.width, report.height, report.cell_size);
/// # Ok::<(), tongtin::terrain::TerrainError>(())
/// ```
pub fn prepare(dem: &Path, gpkg: &GeoPackage, progress: &dyn Progress) -> Result<Prepared, TerrainError> {
    let mut tif = GeoTiff::open(dem)?;
    let town = municipality(gpkg)?;
    let reprojected = tif.epsg != town.epsg;
    // Both ways between the DEM's CRS and the municipality's, when they differ.
    let (to_town, to_dem) = if reprojected {
        (
            Some(Transformer::new(tif.epsg, town.epsg)?),
            Some(Transformer::new(town.epsg, tif.epsg)?),
        )
    } else {
        (None, None)
    };
    let dem_extent = match (&to_town, town.extent) {
        (None, _) => tif.extent(),
        (Some(t), Some(m)) => t
            .transform_envelope(&tif.extent())
            .map_err(|_| TerrainError::OutsideMunicipality {
                dem: tif.extent(),
                dem_epsg: tif.epsg,
                municipality: m,
                epsg: town.epsg,
            })?,
        (Some(t), None) => t.transform_envelope(&tif.extent())?,
    };
    let overlap = match town.extent {
        Some(m) => intersection(&dem_extent, &m).ok_or(TerrainError::OutsideMunicipality {
            dem: dem_extent,
            dem_epsg: town.epsg,
            municipality: m,
            epsg: town.epsg,
        })?,
        None => dem_extent,
    };
    // The DEM's own lattice when nothing is reprojected: its cells are copied, not resampled.
    let (cell, anchor) = match (&to_town, &to_dem) {
        (Some(there), Some(back)) => (round_cell(cell_size(there, back, &tif, &overlap)?), (0.0, 0.0)),
        _ if tif.cell_x == tif.cell_y => (tif.cell_x, (tif.origin_x, tif.origin_y)),
        _ => (round_cell((tif.cell_x * tif.cell_y).sqrt()), (0.0, 0.0)),
    };
    if !(cell.is_finite() && cell > 0.0) {
        return Err(TerrainError::Unusable {
            path: dem.to_path_buf(),
            problems: vec![DemProblem::UnsupportedGeoreferencing(format!(
                "its cells have no size in EPSG:{}",
                town.epsg
            ))],
        });
    }
    let area = match town.extent {
        Some(m) => intersection(&dem_extent, &grow(&m, MARGIN_CELLS * cell)).unwrap_or(overlap),
        None => dem_extent,
    };
    let spec = snap(&area, cell, anchor);
    if (spec.width as u64).saturating_mul(spec.height as u64) > MAX_CELLS {
        return Err(TerrainError::Unusable {
            path: dem.to_path_buf(),
            problems: vec![DemProblem::TooLarge {
                width: spec.width as u64,
                height: spec.height as u64,
                max: MAX_CELLS,
            }],
        });
    }
    // The DEM's cells under the area, with two cells more for bilinear neighbours.
    let window = match &to_dem {
        Some(t) => t.transform_envelope(&area)?,
        None => area,
    };
    let source = tif.read(Some(&grow(&window, 2.0 * tif.cell_x.max(tif.cell_y))), progress)?;
    let grid = warp(&source, to_dem.as_ref(), &spec, progress);

    let (mut min, mut max, mut nodata_cells) = (f64::INFINITY, f64::NEG_INFINITY, 0u64);
    for &v in &grid.values {
        if v.is_finite() {
            min = min.min(f64::from(v));
            max = max.max(f64::from(v));
        } else {
            nodata_cells += 1;
        }
    }
    if nodata_cells == grid.values.len() as u64 {
        return Err(TerrainError::NoElevations {
            path: dem.to_path_buf(),
        });
    }
    let report = ImportReport {
        source_width: tif.width,
        source_height: tif.height,
        source_epsg: tif.epsg,
        source_type: tif.data_type,
        source_cell: (tif.cell_x, tif.cell_y),
        epsg: town.epsg,
        reprojected,
        width: spec.width,
        height: spec.height,
        cell_size: cell,
        extent: Envelope::new(
            spec.origin_x,
            spec.origin_y - spec.height as f64 * cell,
            spec.origin_x + spec.width as f64 * cell,
            spec.origin_y,
        ),
        min_elevation: min,
        max_elevation: max,
        nodata_cells,
        tiles: 0,
        max_step: 0.0,
    };
    Ok(Prepared {
        grid,
        srs_id: town.srs_id,
        report,
    })
}

impl Prepared {
    /// What the import will store (tiles and step are known once stored).
    pub fn report(&self) -> &ImportReport {
        &self.report
    }

    /// Replaces the `terrain` coverage of `gpkg` (the file this was prepared
    /// from, opened writable) in one transaction.
    pub fn store(self, gpkg: &mut GeoPackage, progress: &dyn Progress) -> Result<ImportReport, TerrainError> {
        let labels = &schema().coverages[TERRAIN];
        let stored = gpkg.write(|b| -> Result<_, TerrainError> {
            b.drop_coverage(TERRAIN)?;
            Ok(write_terrain(
                b,
                &self.grid,
                self.srs_id,
                &labels.th,
                &labels.en,
                progress,
            )?)
        })?;
        Ok(ImportReport {
            tiles: stored.tiles,
            max_step: stored.max_step,
            ..self.report
        })
    }
}

/// The municipality's CRS (the `poles` layer's, else the `boundary` layer's)
/// and extent (the boundary's, else every feature layer's in that CRS).
fn municipality(gpkg: &GeoPackage) -> Result<Municipality, TerrainError> {
    let layers = gpkg.layers()?;
    let named = |name: &str| layers.iter().find(|l| l.name == name);
    let epsg_of = |l: &Layer| {
        l.srs
            .as_ref()
            .filter(|s| {
                s.organization
                    .as_deref()
                    .is_some_and(|o| o.eq_ignore_ascii_case("EPSG"))
            })
            .and_then(|s| Some((i32::try_from(s.code?).ok()?, s.srs_id)))
    };
    let (epsg, srs_id) = named("poles")
        .and_then(epsg_of)
        .or_else(|| named("boundary").and_then(epsg_of))
        .ok_or_else(|| TerrainError::NoMunicipalityCrs {
            path: gpkg.path().to_path_buf(),
        })?;
    let extent_of = |l: &Layer| -> Result<Option<Envelope>, TerrainError> {
        Ok(match l.extent {
            Some(e) => Some(e),
            None => gpkg.computed_extent(l)?,
        })
    };
    let extent = match named("boundary").filter(|b| b.srs.as_ref().map(|s| s.srs_id) == Some(srs_id)) {
        Some(b) => extent_of(b)?,
        None => None,
    };
    let extent = match extent {
        Some(e) => Some(e),
        None => {
            let mut all: Option<Envelope> = None;
            for l in layers
                .iter()
                .filter(|l| l.kind == LayerKind::Features && l.srs.as_ref().map(|s| s.srs_id) == Some(srs_id))
            {
                if let Some(e) = extent_of(l)? {
                    all = Some(all.map_or(e, |a| a.union(&e)));
                }
            }
            all
        }
    };
    Ok(Municipality { epsg, srs_id, extent })
}

/// The side of a square cell in the municipality's CRS with the area of a
/// DEM cell at the centre of `overlap`.
fn cell_size<R: std::io::Read + std::io::Seek>(
    to_town: &Transformer,
    to_dem: &Transformer,
    tif: &GeoTiff<R>,
    overlap: &Envelope,
) -> Result<f64, TerrainError> {
    let (sx, sy) = to_dem.convert(
        (overlap.min_x + overlap.max_x) / 2.0,
        (overlap.min_y + overlap.max_y) / 2.0,
    )?;
    let p = to_town.convert(sx, sy)?;
    let east = to_town.convert(sx + tif.cell_x, sy)?;
    let south = to_town.convert(sx, sy - tif.cell_y)?;
    let area = ((east.0 - p.0) * (south.1 - p.1) - (east.1 - p.1) * (south.0 - p.0)).abs();
    Ok(area.sqrt())
}

/// `cell` to two significant digits (9.94 → 9.9, 30.87 → 31), so that
/// cells of a reprojected DEM have a size people can read; a size that is
/// not a positive number is returned as it is.
fn round_cell(cell: f64) -> f64 {
    if !(cell.is_finite() && cell > 0.0) {
        return cell;
    }
    let e = cell.log10().floor() as i32 - 1;
    if e >= 0 {
        (cell / 10f64.powi(e)).round() * 10f64.powi(e)
    } else {
        (cell * 10f64.powi(-e)).round() / 10f64.powi(-e)
    }
}

/// The grid of `cell`-sized cells on the lattice through `anchor` that covers `area`.
fn snap(area: &Envelope, cell: f64, anchor: (f64, f64)) -> GridSpec {
    // A hair of slack so that an edge on the lattice does not add a row of empty cells.
    const SLACK: f64 = 1e-6;
    let x0 = ((area.min_x - anchor.0) / cell + SLACK).floor();
    let x1 = ((area.max_x - anchor.0) / cell - SLACK).ceil();
    let y0 = ((area.min_y - anchor.1) / cell + SLACK).floor();
    let y1 = ((area.max_y - anchor.1) / cell - SLACK).ceil();
    GridSpec {
        origin_x: anchor.0 + x0 * cell,
        origin_y: anchor.1 + y1 * cell,
        cell,
        width: (x1 - x0).max(1.0) as usize,
        height: (y1 - y0).max(1.0) as usize,
    }
}

fn grow(e: &Envelope, by: f64) -> Envelope {
    Envelope::new(e.min_x - by, e.min_y - by, e.max_x + by, e.max_y + by)
}

fn intersection(a: &Envelope, b: &Envelope) -> Option<Envelope> {
    let i = Envelope::new(
        a.min_x.max(b.min_x),
        a.min_y.max(b.min_y),
        a.max_x.min(b.max_x),
        a.max_y.min(b.max_y),
    );
    (i.min_x < i.max_x && i.min_y < i.max_y).then_some(i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_rounded_to_two_digits_and_grids_snap_to_their_lattice() {
        assert_eq!(round_cell(10.0), 10.0);
        assert_eq!(round_cell(9.94), 9.9);
        assert_eq!(round_cell(30.87), 31.0);
        assert_eq!(round_cell(0.000_089_3), 0.000_089);
        assert_eq!(round_cell(0.0), 0.0);
        assert!(round_cell(f64::NAN).is_nan());
        let spec = snap(&Envelope::new(103.0, 207.0, 139.0, 230.0), 10.0, (0.0, 0.0));
        assert_eq!(
            (spec.origin_x, spec.origin_y, spec.width, spec.height),
            (100.0, 230.0, 4, 3)
        );
        let spec = snap(&Envelope::new(103.0, 207.0, 139.0, 230.0), 10.0, (5.0, 5.0));
        assert_eq!(
            (spec.origin_x, spec.origin_y, spec.width, spec.height),
            (95.0, 235.0, 5, 3)
        );
    }

    #[test]
    fn disjoint_boxes_have_no_intersection() {
        let a = Envelope::new(0.0, 0.0, 10.0, 10.0);
        assert_eq!(
            intersection(&a, &Envelope::new(5.0, 5.0, 20.0, 20.0)),
            Some(Envelope::new(5.0, 5.0, 10.0, 10.0))
        );
        assert_eq!(intersection(&a, &Envelope::new(10.0, 0.0, 20.0, 10.0)), None);
    }
}
