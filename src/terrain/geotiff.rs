//! Single-band GeoTIFF DEMs, read with the `tiff` crate as GDAL reads them.
//!
//! Strips or tiles; no compression, LZW, Deflate or PackBits, with or without
//! a predictor; samples Int8 to Float64. The grid comes from ModelPixelScale
//! with ModelTiepoint, or from ModelTransformation without rotation; the CRS
//! from the EPSG code in the GeoKeyDirectory; PixelIsPoint shifts the grid by
//! half a cell as GDAL does (its default, `GTIFF_POINT_GEO_IGNORE=NO`); the
//! GDAL_NODATA tag marks cells without data. Opening reads only the header,
//! so a DEM of a whole province costs only the chunks over the municipality.

use std::fs::File;
use std::io::{BufReader, Read, Seek};
use std::path::{Path, PathBuf};

use tiff::decoder::{Decoder, DecodingResult, Limits};
use tiff::tags::Tag;
use tiff::TiffError;

use super::{DemProblem, TerrainError};
use crate::geom::Envelope;
use crate::gpkg::Grid;
use crate::progress::Progress;

/// The most cells one read keeps in memory (400 MB as `f32`): a 1 m DEM of
/// 10 km × 10 km.
pub const MAX_CELLS: u64 = 100_000_000;

/// The GeoKeys Tongtin reads (GeoTIFF 1.0, section 6.2).
const GT_MODEL_TYPE: u16 = 1024;
const GT_RASTER_TYPE: u16 = 1025;
const GEOGRAPHIC_TYPE: u16 = 2048;
const PROJECTED_CS_TYPE: u16 = 3072;
const RASTER_PIXEL_IS_POINT: u16 = 2;
const MODEL_PROJECTED: u16 = 1;
const MODEL_GEOGRAPHIC: u16 = 2;
const USER_DEFINED: u16 = 32767;

/// The sample types a DEM is imported from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DataType {
    Int8,
    UInt8,
    Int16,
    UInt16,
    Int32,
    UInt32,
    Float32,
    Float64,
}

impl std::fmt::Display for DataType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self, f)
    }
}

/// An opened GeoTIFF DEM: its grid, CRS and type are known, its cells are read by [`GeoTiff::read`].
pub struct GeoTiff<R: Read + Seek> {
    decoder: Decoder<R>,
    path: PathBuf,
    /// Top-left corner of the top-left cell, north up.
    pub origin_x: f64,
    pub origin_y: f64,
    /// Cell width and height, positive.
    pub cell_x: f64,
    pub cell_y: f64,
    pub width: usize,
    pub height: usize,
    /// The CRS's EPSG code.
    pub epsg: i32,
    pub data_type: DataType,
    /// The value that marks a cell without data (GDAL_NODATA).
    pub nodata: Option<f64>,
    /// Rows are stored from the south (a positive y step), and are turned round.
    south_up: bool,
}

impl GeoTiff<BufReader<File>> {
    /// Opens the DEM at `path` and reads its header; every problem that makes
    /// it unusable is reported together.
    ///
    /// ```
    /// use tongtin::terrain::{GeoTiff, TerrainError};
    ///
    /// let missing = GeoTiff::open("no/such/dem.tif".as_ref()).err().unwrap();
    /// assert!(matches!(missing, TerrainError::Io { .. }));
    /// assert_eq!(missing.to_string(), "no/such/dem.tif: cannot read: No such file or directory (os error 2)");
    /// ```
    pub fn open(path: &Path) -> Result<Self, TerrainError> {
        let file = File::open(path).map_err(|source| TerrainError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        GeoTiff::new(BufReader::new(file), path)
    }
}

impl<R: Read + Seek> GeoTiff<R> {
    /// Reads the header from `reader`; `path` names the file in messages.
    pub fn new(reader: R, path: &Path) -> Result<Self, TerrainError> {
        let fail = |e: TiffError| tiff_error(path, e);
        let mut limits = Limits::default();
        // Tags larger than 1 MiB (tile offsets of a very large DEM) are legitimate;
        // the cell budget of `read` bounds memory instead.
        limits.ifd_value_size = 64 << 20;
        let mut decoder = Decoder::new(reader).map_err(fail)?.with_limits(limits);
        let (width, height) = decoder.dimensions().map_err(fail)?;
        let mut problems = Vec::new();

        let samples: u16 = decoder
            .find_tag_unsigned(Tag::SamplesPerPixel)
            .map_err(fail)?
            .unwrap_or(1);
        if samples != 1 {
            problems.push(DemProblem::Bands(samples));
        }
        let first = |v: Option<Vec<u16>>, default: u16| v.and_then(|v| v.first().copied()).unwrap_or(default);
        let format = first(decoder.find_tag_unsigned_vec(Tag::SampleFormat).map_err(fail)?, 1);
        let bits = first(decoder.find_tag_unsigned_vec(Tag::BitsPerSample).map_err(fail)?, 1);
        let data_type = match data_type(format, bits) {
            Ok(t) => Some(t),
            Err(name) => {
                problems.push(DemProblem::UnsupportedType(name));
                None
            }
        };

        let f64s = |decoder: &mut Decoder<R>, tag| -> Result<Option<Vec<f64>>, TerrainError> {
            decoder
                .find_tag(tag)
                .map_err(fail)?
                .map(|v| v.into_f64_vec())
                .transpose()
                .map_err(fail)
        };
        let scale = f64s(&mut decoder, Tag::ModelPixelScaleTag)?;
        let tiepoints = f64s(&mut decoder, Tag::ModelTiepointTag)?;
        let transformation = f64s(&mut decoder, Tag::ModelTransformationTag)?;
        let keys = match decoder.find_tag(Tag::GeoKeyDirectoryTag).map_err(fail)? {
            Some(v) => Some(GeoKeys::parse(&v.into_u16_vec().map_err(fail)?)),
            None => None,
        };
        let nodata = match decoder.find_tag(Tag::GdalNodata).map_err(fail)? {
            Some(v) => {
                let text = v.into_string().map_err(fail)?;
                let text = text.trim_matches(|c: char| c == '\0' || c.is_whitespace());
                match text.parse::<f64>() {
                    Ok(n) => Some(n),
                    Err(_) => {
                        problems.push(DemProblem::BadNodata(text.to_string()));
                        None
                    }
                }
            }
            None => None,
        };

        let epsg = match &keys {
            Some(Ok(k)) => k.epsg().map_err(|why| problems.push(DemProblem::NoCrs(why))).ok(),
            Some(Err(why)) => {
                problems.push(DemProblem::NoCrs(why.clone()));
                None
            }
            None => {
                problems.push(DemProblem::NoCrs("the TIFF has no GeoKeyDirectory".into()));
                None
            }
        };
        let pixel_is_point = matches!(&keys, Some(Ok(k)) if k.raster == Some(RASTER_PIXEL_IS_POINT));
        let transform = geo_transform(scale.as_deref(), tiepoints.as_deref(), transformation.as_deref())
            .map_err(|p| problems.push(p))
            .ok();

        match (transform, epsg, data_type) {
            (Some(mut gt), Some(epsg), Some(data_type)) if problems.is_empty() => {
                if pixel_is_point {
                    gt[0] -= 0.5 * gt[1];
                    gt[3] -= 0.5 * gt[5];
                }
                let south_up = gt[5] > 0.0;
                let cell_y = gt[5].abs();
                Ok(GeoTiff {
                    decoder,
                    path: path.to_path_buf(),
                    origin_x: gt[0],
                    origin_y: if south_up {
                        gt[3] + f64::from(height) * cell_y
                    } else {
                        gt[3]
                    },
                    cell_x: gt[1],
                    cell_y,
                    width: width as usize,
                    height: height as usize,
                    epsg,
                    data_type,
                    nodata,
                    south_up,
                })
            }
            _ => Err(TerrainError::Unusable {
                path: path.to_path_buf(),
                problems,
            }),
        }
    }

    /// The area the DEM's cells cover, in its CRS.
    pub fn extent(&self) -> Envelope {
        Envelope::new(
            self.origin_x,
            self.origin_y - self.height as f64 * self.cell_y,
            self.origin_x + self.width as f64 * self.cell_x,
            self.origin_y,
        )
    }

    /// Reads the cells that overlap `area` (in the DEM's CRS; everything when
    /// `None`), north up, `NaN` where there is no data. Only the strips or
    /// tiles that reach the area are decoded.
    pub fn read(&mut self, area: Option<&Envelope>, progress: &dyn Progress) -> Result<Grid, TerrainError> {
        let (w, h) = (self.width as i64, self.height as i64);
        let (col0, col1, row0, row1) = match area {
            None => (0, w, 0, h),
            Some(a) => (
                (((a.min_x - self.origin_x) / self.cell_x).floor() as i64).clamp(0, w),
                (((a.max_x - self.origin_x) / self.cell_x).ceil() as i64).clamp(0, w),
                (((self.origin_y - a.max_y) / self.cell_y).floor() as i64).clamp(0, h),
                (((self.origin_y - a.min_y) / self.cell_y).ceil() as i64).clamp(0, h),
            ),
        };
        if col1 <= col0 || row1 <= row0 {
            return Err(TerrainError::NoElevations {
                path: self.path.clone(),
            });
        }
        let (out_w, out_h) = ((col1 - col0) as usize, (row1 - row0) as usize);
        if (out_w as u64) * (out_h as u64) > MAX_CELLS {
            return Err(TerrainError::Unusable {
                path: self.path.clone(),
                problems: vec![DemProblem::TooLarge {
                    width: out_w as u64,
                    height: out_h as u64,
                    max: MAX_CELLS,
                }],
            });
        }
        // The window in the file's own rows (counted from the south when it is south-up).
        let (file_row0, file_row1) = if self.south_up {
            (h - row1, h - row0)
        } else {
            (row0, row1)
        };
        let path = self.path.clone();
        let fail = |e: TiffError| tiff_error(&path, e);
        let (chunk_w, chunk_h) = self.decoder.chunk_dimensions();
        let (chunk_w, chunk_h) = (i64::from(chunk_w), i64::from(chunk_h));
        let across = (w + chunk_w - 1) / chunk_w;
        let down = (h + chunk_h - 1) / chunk_h;
        let wanted: Vec<(u32, i64, i64)> = (0..down)
            .flat_map(|r| (0..across).map(move |c| (r, c)))
            .filter(|&(r, c)| {
                r * chunk_h < file_row1
                    && (r + 1) * chunk_h > file_row0
                    && c * chunk_w < col1
                    && (c + 1) * chunk_w > col0
            })
            .map(|(r, c)| ((r * across + c) as u32, c * chunk_w, r * chunk_h))
            .collect();
        let mut values = vec![f32::NAN; out_w * out_h];
        progress.step("reading the DEM", wanted.len() as u64);
        for (index, x0, y0) in wanted {
            let (cw, ch) = ((w - x0).min(chunk_w), (h - y0).min(chunk_h));
            let cells = self.decoder.read_chunk(index).map_err(fail)?;
            let decoded = to_f32(cells, self.data_type, self.nodata).ok_or_else(|| TerrainError::Corrupt {
                path: path.clone(),
                detail: format!("chunk {index} does not hold {} samples", self.data_type),
            })?;
            if decoded.len() < (cw * ch) as usize {
                return Err(TerrainError::Corrupt {
                    path: path.clone(),
                    detail: format!("chunk {index} holds {} cells, {} expected", decoded.len(), cw * ch),
                });
            }
            for r in 0..ch {
                let file_row = y0 + r;
                if file_row < file_row0 || file_row >= file_row1 {
                    continue;
                }
                let row = if self.south_up { h - 1 - file_row } else { file_row } - row0;
                for c in 0..cw {
                    let col = x0 + c - col0;
                    if col >= 0 && col < out_w as i64 {
                        values[row as usize * out_w + col as usize] = decoded[(r * cw + c) as usize];
                    }
                }
            }
            progress.advance(1);
        }
        Ok(Grid {
            origin_x: self.origin_x + col0 as f64 * self.cell_x,
            origin_y: self.origin_y - row0 as f64 * self.cell_y,
            cell_x: self.cell_x,
            cell_y: self.cell_y,
            width: out_w,
            height: out_h,
            values,
        })
    }
}

/// A `tiff` crate error as Tongtin reports it: features the crate lacks are a
/// problem of the DEM, anything else a damaged file.
fn tiff_error(path: &Path, e: TiffError) -> TerrainError {
    match e {
        TiffError::UnsupportedError(u) => TerrainError::Unusable {
            path: path.to_path_buf(),
            problems: vec![DemProblem::Unsupported(u.to_string())],
        },
        TiffError::IoError(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => TerrainError::Corrupt {
            path: path.to_path_buf(),
            detail: "the file ends before its data does (truncated?)".into(),
        },
        other => TerrainError::Corrupt {
            path: path.to_path_buf(),
            detail: other.to_string(),
        },
    }
}

/// The type of samples with TIFF SampleFormat `format` and `bits` bits, or
/// GDAL's name for an unsupported one.
fn data_type(format: u16, bits: u16) -> Result<DataType, String> {
    match (format, bits) {
        (1, 8) => Ok(DataType::UInt8),
        (2, 8) => Ok(DataType::Int8),
        (1, 16) => Ok(DataType::UInt16),
        (2, 16) => Ok(DataType::Int16),
        (1, 32) => Ok(DataType::UInt32),
        (2, 32) => Ok(DataType::Int32),
        (3, 32) => Ok(DataType::Float32),
        (3, 64) => Ok(DataType::Float64),
        (1, 64) => Err("UInt64".into()),
        (2, 64) => Err("Int64".into()),
        (3, 16) => Err("Float16".into()),
        (5, b) => Err(format!("CInt{}", b / 2)),
        (6, b) => Err(format!("CFloat{}", b / 2)),
        (f, b) => Err(format!("{b}-bit samples of TIFF SampleFormat {f}")),
    }
}

/// Decoded samples as elevations, `NaN` for no data and for values that are
/// not finite; `None` when the samples are not of `data_type`.
fn to_f32(cells: DecodingResult, data_type: DataType, nodata: Option<f64>) -> Option<Vec<f32>> {
    fn ints<T: Copy + Into<f64>>(v: Vec<T>, nodata: Option<f64>) -> Vec<f32> {
        v.into_iter()
            .map(|x| {
                let x: f64 = x.into();
                if Some(x) == nodata {
                    f32::NAN
                } else {
                    x as f32
                }
            })
            .collect()
    }
    let valid = |x: f32| if x.is_finite() { x } else { f32::NAN };
    Some(match (cells, data_type) {
        (DecodingResult::I8(v), DataType::Int8) => ints(v, nodata),
        (DecodingResult::U8(v), DataType::UInt8) => ints(v, nodata),
        (DecodingResult::I16(v), DataType::Int16) => ints(v, nodata),
        (DecodingResult::U16(v), DataType::UInt16) => ints(v, nodata),
        (DecodingResult::I32(v), DataType::Int32) => ints(v, nodata),
        (DecodingResult::U32(v), DataType::UInt32) => ints(v, nodata),
        // GDAL compares Float32 cells with the no-data value cast to Float32.
        (DecodingResult::F32(v), DataType::Float32) => {
            let nodata = nodata.map(|n| n as f32);
            v.into_iter()
                .map(|x| if Some(x) == nodata { f32::NAN } else { valid(x) })
                .collect()
        }
        (DecodingResult::F64(v), DataType::Float64) => v
            .into_iter()
            .map(|x| if Some(x) == nodata { f32::NAN } else { valid(x as f32) })
            .collect(),
        _ => return None,
    })
}

/// GDAL's geotransform `[x0, dx/dcol, dx/drow, y0, dy/dcol, dy/drow]` from
/// the GeoTIFF tags, refused when it is not a north- or south-up grid.
fn geo_transform(
    scale: Option<&[f64]>,
    tiepoints: Option<&[f64]>,
    transformation: Option<&[f64]>,
) -> Result<[f64; 6], DemProblem> {
    let gt = match (scale, tiepoints, transformation) {
        (_, _, Some(m)) if m.len() >= 8 => [m[3], m[0], m[1], m[7], m[4], m[5]],
        (Some(s), Some(t), _) if s.len() >= 2 && t.len() >= 6 => {
            // Raster point (I, J) lies at model point (X, Y); later tiepoints are ignored, as GDAL does.
            [t[3] - t[0] * s[0], s[0], 0.0, t[4] + t[1] * s[1], 0.0, -s[1]]
        }
        (None, Some(t), _) if t.len() > 6 => {
            return Err(DemProblem::UnsupportedGeoreferencing("ground control points".into()))
        }
        _ => return Err(DemProblem::NoGeoreferencing),
    };
    if gt.iter().any(|v| !v.is_finite()) {
        return Err(DemProblem::NoGeoreferencing);
    }
    if gt[2] != 0.0 || gt[4] != 0.0 {
        return Err(DemProblem::UnsupportedGeoreferencing("rotated or sheared cells".into()));
    }
    if gt[1] <= 0.0 || gt[5] == 0.0 {
        return Err(DemProblem::UnsupportedGeoreferencing(
            "cells of zero width or mirrored east–west".into(),
        ));
    }
    Ok(gt)
}

/// The GeoKeys that say which CRS a GeoTIFF is in and how its cells are anchored.
#[derive(Debug, Default, PartialEq)]
struct GeoKeys {
    model: Option<u16>,
    raster: Option<u16>,
    geographic: Option<u16>,
    projected: Option<u16>,
}

impl GeoKeys {
    /// Parses the GeoKeyDirectory (a header of four shorts, then four per key).
    fn parse(dir: &[u16]) -> Result<GeoKeys, String> {
        let count = dir.get(3).copied().ok_or("a GeoKeyDirectory without a header")? as usize;
        let entries = dir
            .get(4..4 + 4 * count)
            .ok_or("a GeoKeyDirectory shorter than its key count")?;
        let mut keys = GeoKeys::default();
        // Location 0: the value is the fourth short itself, as for every key read here.
        for e in entries.chunks_exact(4).filter(|e| e[1] == 0) {
            let slot = match e[0] {
                GT_MODEL_TYPE => &mut keys.model,
                GT_RASTER_TYPE => &mut keys.raster,
                GEOGRAPHIC_TYPE => &mut keys.geographic,
                PROJECTED_CS_TYPE => &mut keys.projected,
                _ => continue,
            };
            *slot = Some(e[3]);
        }
        Ok(keys)
    }

    /// The EPSG code of the CRS, or why there is none.
    fn epsg(&self) -> Result<i32, String> {
        let (code, what) = match (self.model, self.projected, self.geographic) {
            (Some(MODEL_PROJECTED), p, _) | (None, p @ Some(_), _) => (p, "projected"),
            (Some(MODEL_GEOGRAPHIC), _, g) | (None, None, g @ Some(_)) => (g, "geographic"),
            (Some(m), _, _) => return Err(format!("GeoTIFF model type {m} (geocentric or unknown)")),
            (None, None, None) => return Err("no CRS in the GeoTIFF keys".into()),
        };
        match code {
            Some(c) if c > 0 && c != USER_DEFINED => Ok(i32::from(c)),
            Some(USER_DEFINED) => Err(format!("a user-defined {what} CRS")),
            _ => Err(format!("a {what} CRS without an EPSG code")),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use tiff::encoder::{colortype, TiffEncoder};

    use super::*;
    use crate::progress::Silent;

    /// GeoKeys as GDAL writes them for a projected or geographic EPSG code.
    fn keys(epsg: u16, geographic: bool, point: bool) -> Vec<u16> {
        let (model, key) = if geographic {
            (2, GEOGRAPHIC_TYPE)
        } else {
            (1, PROJECTED_CS_TYPE)
        };
        let raster = if point { 2 } else { 1 };
        vec![1, 1, 0, 3, 1024, 0, 1, model, 1025, 0, 1, raster, key, 0, 1, epsg]
    }

    /// A 4 × 3 Float32 DEM (100…111, two rows per strip) with the given tags.
    fn georeferenced(tags: &[(Tag, Vec<f64>)], geokeys: Option<Vec<u16>>, nodata: Option<&str>) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        let mut enc = TiffEncoder::new(&mut out).unwrap();
        let mut image = enc.new_image::<colortype::Gray32Float>(4, 3).unwrap();
        image.rows_per_strip(2).unwrap();
        for (tag, v) in tags {
            image.encoder().write_tag(*tag, &v[..]).unwrap();
        }
        if let Some(k) = geokeys {
            image.encoder().write_tag(Tag::GeoKeyDirectoryTag, &k[..]).unwrap();
        }
        if let Some(n) = nodata {
            image.encoder().write_tag(Tag::GdalNodata, n).unwrap();
        }
        let data: Vec<f32> = (0..12).map(|i| 100.0 + i as f32).collect();
        image.write_data(&data).unwrap();
        out.into_inner()
    }

    fn open(bytes: Vec<u8>) -> Result<GeoTiff<Cursor<Vec<u8>>>, TerrainError> {
        GeoTiff::new(Cursor::new(bytes), Path::new("t.tif"))
    }

    fn problems(r: Result<GeoTiff<Cursor<Vec<u8>>>, TerrainError>) -> Vec<DemProblem> {
        match r {
            Err(TerrainError::Unusable { problems, .. }) => problems,
            Err(e) => panic!("unexpected error {e}"),
            Ok(_) => panic!("accepted"),
        }
    }

    fn scale_tie() -> Vec<(Tag, Vec<f64>)> {
        vec![
            (Tag::ModelPixelScaleTag, vec![10.0, 10.0, 0.0]),
            (Tag::ModelTiepointTag, vec![0.0, 0.0, 0.0, 1000.0, 2000.0, 0.0]),
        ]
    }

    #[test]
    fn grid_crs_and_nodata_come_from_the_geotiff_tags() {
        let mut dem = open(georeferenced(
            &scale_tie(),
            Some(keys(32648, false, false)),
            Some("105 "),
        ))
        .unwrap();
        assert_eq!(
            (dem.origin_x, dem.origin_y, dem.cell_x, dem.cell_y),
            (1000.0, 2000.0, 10.0, 10.0)
        );
        assert_eq!(
            (dem.width, dem.height, dem.epsg, dem.data_type),
            (4, 3, 32648, DataType::Float32)
        );
        assert_eq!(dem.extent(), Envelope::new(1000.0, 1970.0, 1040.0, 2000.0));
        let all = dem.read(None, &Silent).unwrap();
        assert_eq!(all.get(0, 0), 100.0);
        assert_eq!(all.get(3, 2), 111.0);
        assert!(all.get(1, 1).is_nan(), "105 is no data");
        // Only the cells over the area: columns 1–2, row 2.
        let part = dem
            .read(Some(&Envelope::new(1015.0, 1972.0, 1025.0, 1975.0)), &Silent)
            .unwrap();
        assert_eq!(
            (part.width, part.height, part.origin_x, part.origin_y),
            (2, 1, 1010.0, 1980.0)
        );
        assert_eq!(part.values, vec![109.0, 110.0]);
    }

    #[test]
    fn pixel_is_point_and_transformation_matrices_are_read_as_gdal_reads_them() {
        // PixelIsPoint: the tiepoint is the centre of the first cell.
        let dem = open(georeferenced(&scale_tie(), Some(keys(4326, true, true)), None)).unwrap();
        assert_eq!((dem.origin_x, dem.origin_y, dem.epsg), (995.0, 2005.0, 4326));
        // A south-up matrix: rows are turned round so that row 0 is the northern one.
        let m = vec![
            10.0, 0.0, 0.0, 1000.0, 0.0, 10.0, 0.0, 1970.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0,
        ];
        let mut dem = open(georeferenced(
            &[(Tag::ModelTransformationTag, m)],
            Some(keys(32647, false, false)),
            None,
        ))
        .unwrap();
        assert_eq!((dem.origin_x, dem.origin_y), (1000.0, 2000.0));
        let grid = dem.read(None, &Silent).unwrap();
        assert_eq!(grid.get(0, 0), 108.0, "the last stored row is the northern one");
    }

    #[test]
    fn every_problem_is_reported_together() {
        let rotated = vec![
            10.0, 1.0, 0.0, 1000.0, 1.0, -10.0, 0.0, 2000.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0,
        ];
        let p = problems(open(georeferenced(
            &[(Tag::ModelTransformationTag, rotated)],
            Some(keys(32767, false, false)),
            Some("none"),
        )));
        assert_eq!(
            p,
            vec![
                DemProblem::BadNodata("none".into()),
                DemProblem::NoCrs("a user-defined projected CRS".into()),
                DemProblem::UnsupportedGeoreferencing("rotated or sheared cells".into()),
            ]
        );
        let p = problems(open(georeferenced(&[], None, None)));
        assert_eq!(
            p,
            vec![
                DemProblem::NoCrs("the TIFF has no GeoKeyDirectory".into()),
                DemProblem::NoGeoreferencing
            ]
        );
    }

    #[test]
    fn unsupported_types_and_bands_are_named() {
        let mut out = Cursor::new(Vec::new());
        let mut enc = TiffEncoder::new(&mut out).unwrap();
        let mut image = enc.new_image::<colortype::RGB8>(2, 2).unwrap();
        for (tag, v) in scale_tie() {
            image.encoder().write_tag(tag, &v[..]).unwrap();
        }
        image
            .encoder()
            .write_tag(Tag::GeoKeyDirectoryTag, &keys(32648, false, false)[..])
            .unwrap();
        image.write_data(&[0u8; 12]).unwrap();
        assert_eq!(problems(open(out.into_inner())), vec![DemProblem::Bands(3)]);
        assert_eq!(data_type(6, 64), Err("CFloat32".to_string()));
        assert_eq!(data_type(2, 64), Err("Int64".to_string()));
        assert_eq!(data_type(2, 16), Ok(DataType::Int16));
    }

    #[test]
    fn integer_samples_and_their_nodata_become_elevations() {
        let cells = DecodingResult::I16(vec![-32768, 12, 250]);
        assert_eq!(
            to_f32(cells, DataType::Int16, Some(-32768.0)).unwrap()[1..],
            [12.0, 250.0]
        );
        let f = to_f32(
            DecodingResult::F32(vec![f32::MIN, f32::INFINITY, 3.5]),
            DataType::Float32,
            Some(-3.4028234663852886e38),
        )
        .unwrap();
        assert!(f[0].is_nan() && f[1].is_nan() && f[2] == 3.5);
        assert!(to_f32(DecodingResult::U8(vec![1]), DataType::Int16, None).is_none());
    }

    #[test]
    fn damaged_files_are_errors_never_panics() {
        let good = georeferenced(&scale_tie(), Some(keys(32648, false, false)), None);
        for len in 0..good.len() {
            let read = open(good[..len].to_vec()).and_then(|mut dem| dem.read(None, &Silent));
            assert!(read.is_err(), "cut at {len}");
        }
        for i in 0..good.len() {
            let mut bad = good.clone();
            bad[i] ^= 0xA5;
            if let Ok(mut dem) = open(bad) {
                let _ = dem.read(None, &Silent);
            }
        }
        assert!(matches!(
            open(b"not a tiff".to_vec()),
            Err(TerrainError::Corrupt { .. })
        ));
    }
}
