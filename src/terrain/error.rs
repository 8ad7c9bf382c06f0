//! What can go wrong bringing a DEM into a municipality's GeoPackage.

use std::fmt;
use std::path::PathBuf;

use thiserror::Error;

use crate::crs::CrsError;
use crate::geom::Envelope;
use crate::gpkg::GpkgError;

/// Why a DEM import failed. Every variant is raised before anything is
/// written, or inside the one transaction that writes, which it rolls back:
/// a failed import leaves the GeoPackage as it was.
#[derive(Debug, Error)]
pub enum TerrainError {
    /// The DEM file cannot be opened or read at the operating-system level.
    #[error("{path}: cannot read: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    /// Not a TIFF, or a TIFF whose structure or compressed data is damaged
    /// (a truncated download, a file cut short by a full disk).
    #[error("{path}: not a readable TIFF: {detail}")]
    Corrupt { path: PathBuf, detail: String },
    /// A readable TIFF that cannot be used as a DEM; every problem found is listed.
    #[error("{path}: cannot be used as a DEM: {}", Problems(problems))]
    Unusable { path: PathBuf, problems: Vec<DemProblem> },
    /// Neither the `poles` nor the `boundary` layer gives the municipality's
    /// coordinate reference system as an EPSG code.
    #[error("{path}: no 'poles' or 'boundary' layer with an EPSG coordinate reference system to import the DEM into")]
    NoMunicipalityCrs { path: PathBuf },
    /// The DEM and the municipality do not overlap (a DEM of another area, or
    /// one with wrong georeferencing). `dem` is in the municipality's CRS
    /// when it can be transformed there, else in the DEM's own (`dem_epsg`).
    #[error(
        "the DEM covers {} (EPSG:{dem_epsg}), which does not overlap the municipality, {} (EPSG:{epsg})",
        Extent(dem),
        Extent(municipality)
    )]
    OutsideMunicipality {
        dem: Envelope,
        dem_epsg: i32,
        municipality: Envelope,
        epsg: i32,
    },
    /// The DEM overlaps the municipality, but every cell there is no data.
    #[error("{path}: no elevation inside the municipality (every cell there is no data)")]
    NoElevations { path: PathBuf },
    /// The file has no `terrain` coverage to sample (import a DEM first).
    #[error("{path}: no terrain (import a DEM with `tongtin terrain import DEM.tif FILE`)")]
    NoTerrain { path: PathBuf },
    /// PROJ cannot transform between the DEM's CRS and the municipality's.
    #[error(transparent)]
    Crs(#[from] CrsError),
    /// Reading the municipality or writing the coverage failed (rolled back).
    #[error(transparent)]
    Gpkg(#[from] GpkgError),
}

/// One reason a readable TIFF is not a DEM Tongtin can import.
#[derive(Clone, Debug, Error, PartialEq)]
pub enum DemProblem {
    /// No CRS, or a CRS given by parameters (user-defined) rather than an EPSG code.
    #[error("no EPSG coordinate reference system ({0}); assign one with gdal_edit.py -a_srs EPSG:… or reproject with gdalwarp -t_srs EPSG:…")]
    NoCrs(String),
    /// Samples of a type a DEM is not stored in (complex, 64-bit integer, 1-bit, 16-bit float…).
    #[error("unsupported data type {0} (Int8, UInt8, Int16, UInt16, Int32, UInt32, Float32 or Float64 expected)")]
    UnsupportedType(String),
    /// A TIFF feature the reader lacks (JPEG, ZSTD or LERC compression, an odd predictor).
    #[error("{0} (rewrite it with gdal_translate -co COMPRESS=DEFLATE)")]
    Unsupported(String),
    /// More than one sample per pixel (an RGB image, a multi-band stack).
    #[error("{0} bands (a DEM has one)")]
    Bands(u16),
    /// Neither ModelPixelScale with ModelTiepoint nor ModelTransformation.
    #[error("no georeferencing (ModelPixelScale and ModelTiepoint, or ModelTransformation)")]
    NoGeoreferencing,
    /// Rotated, sheared or mirrored cells, or ground control points instead of a grid.
    #[error("unsupported georeferencing: {0} (make it north-up with gdalwarp)")]
    UnsupportedGeoreferencing(String),
    /// The GDAL_NODATA tag does not hold a number.
    #[error("GDAL_NODATA '{0}' is not a number")]
    BadNodata(String),
    /// More cells over the municipality than an import holds in memory.
    #[error("{width} × {height} cells over the municipality, more than the {max} an import takes (resample it with gdalwarp -tr)")]
    TooLarge { width: u64, height: u64, max: u64 },
}

struct Problems<'a>(&'a [DemProblem]);

impl fmt::Display for Problems<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{p}")?;
        }
        Ok(())
    }
}

struct Extent<'a>(&'a Envelope);

impl fmt::Display for Extent<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let e = self.0;
        write!(f, "x {:.3}…{:.3}, y {:.3}…{:.3}", e.min_x, e.max_x, e.min_y, e.max_y)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_list_every_problem_and_both_extents() {
        let e = TerrainError::Unusable {
            path: "dem.tif".into(),
            problems: vec![DemProblem::Bands(3), DemProblem::NoGeoreferencing],
        };
        assert_eq!(
            e.to_string(),
            "dem.tif: cannot be used as a DEM: 3 bands (a DEM has one); no georeferencing (ModelPixelScale and ModelTiepoint, or ModelTransformation)"
        );
        let e = TerrainError::OutsideMunicipality {
            dem: Envelope::new(0.0, 1.0, 2.0, 3.0),
            dem_epsg: 32648,
            municipality: Envelope::new(10.0, 11.0, 12.5, 13.0),
            epsg: 32648,
        };
        assert_eq!(
            e.to_string(),
            "the DEM covers x 0.000…2.000, y 1.000…3.000 (EPSG:32648), which does not overlap the municipality, x 10.000…12.500, y 11.000…13.000 (EPSG:32648)"
        );
    }
}
