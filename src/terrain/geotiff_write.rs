//! Writing an 8-bit single-band GeoTIFF (a hillshade), georeferenced the
//! way GDAL reads it: pixel scale, tie point, an EPSG GeoKey, GDAL_NODATA.

use std::path::Path;

use tiff::encoder::{colortype::Gray8, TiffEncoder};
use tiff::tags::Tag;

use super::TerrainError;

/// Where a raster lies: its top-left corner, its cell size and its CRS.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Georef {
    pub origin_x: f64,
    pub origin_y: f64,
    pub cell_x: f64,
    pub cell_y: f64,
    pub epsg: i32,
}

/// Writes `pixels` (row-major from the top, `width` × `height`) to `path`.
pub fn write_gray8(
    path: &Path,
    width: u32,
    height: u32,
    pixels: &[u8],
    georef: &Georef,
    nodata: Option<u8>,
) -> Result<(), TerrainError> {
    let io = |e: std::io::Error| TerrainError::Io {
        path: path.to_path_buf(),
        source: e,
    };
    let tiff = |e: tiff::TiffError| TerrainError::Io {
        path: path.to_path_buf(),
        source: std::io::Error::other(e.to_string()),
    };
    let file = std::fs::File::create(path).map_err(io)?;
    let mut encoder = TiffEncoder::new(std::io::BufWriter::new(file)).map_err(tiff)?;
    let mut image = encoder.new_image::<Gray8>(width, height).map_err(tiff)?;
    let geographic = (4000..5000).contains(&georef.epsg);
    let (model, crs_key) = if geographic { (2u16, 2048u16) } else { (1, 3072) };
    let keys: [u16; 16] = [
        1,
        1,
        0,
        3,
        1024,
        0,
        1,
        model,
        1025,
        0,
        1,
        1,
        crs_key,
        0,
        1,
        georef.epsg as u16,
    ];
    let dir = image.encoder();
    dir.write_tag(Tag::ModelPixelScaleTag, &[georef.cell_x, georef.cell_y, 0.0][..])
        .map_err(tiff)?;
    dir.write_tag(
        Tag::ModelTiepointTag,
        &[0.0, 0.0, 0.0, georef.origin_x, georef.origin_y, 0.0][..],
    )
    .map_err(tiff)?;
    dir.write_tag(Tag::GeoKeyDirectoryTag, &keys[..]).map_err(tiff)?;
    if let Some(n) = nodata {
        dir.write_tag(Tag::GdalNodata, n.to_string().as_str()).map_err(tiff)?;
    }
    image.write_data(pixels).map_err(tiff)?;
    Ok(())
}
