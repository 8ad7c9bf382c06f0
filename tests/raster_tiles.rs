//! A tile pyramid stored in UTM comes out as Web Mercator tiles with the
//! pixels gdalwarp puts there.

mod common;

use common::{run, scratch, stderr};
use tongtin::tiles::{RasterTiler, TileId, TileSource};

fn rgba(png_bytes: &[u8]) -> (usize, usize, Vec<u8>) {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::ALPHA);
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!(info.color_type, png::ColorType::Rgba);
    (
        info.width as usize,
        info.height as usize,
        buf[..info.buffer_size()].to_vec(),
    )
}

#[test]
fn an_orthophoto_in_utm_matches_gdalwarp() {
    for format in ["PNG", "JPEG"] {
        let tif = scratch().join(format!("ortho_{format}.tif"));
        // 800 × 600 m at 1 m in UTM 48N: four colour blocks.
        let script = format!(
            "from osgeo import gdal, osr\nds = gdal.GetDriverByName('GTiff').Create('{}', 800, 600, 3, gdal.GDT_Byte)\nds.SetGeoTransform([195000, 1, 0, 1878000, 0, -1])\ns = osr.SpatialReference(); s.ImportFromEPSG(32648); ds.SetProjection(s.ExportToWkt())\ncolours = [(200, 30, 30), (30, 160, 60), (40, 60, 200), (230, 210, 40)]\nfor b in range(3):\n    rows = []\n    for y in range(600):\n        row = bytes(colours[(y >= 300) * 2 + (x >= 400)][b] for x in range(800))\n        rows.append(row)\n    ds.GetRasterBand(b + 1).WriteRaster(0, 0, 800, 600, b''.join(rows))\nds = None\n",
            tif.display()
        );
        let out = run("/usr/bin/python3", &["-c", &script]);
        assert!(out.status.success(), "{}", stderr(&out));
        let gpkg = scratch().join(format!("ortho_{format}.gpkg"));
        let out = run(
            "gdal_translate",
            &[
                "-q",
                "-of",
                "GPKG",
                "-co",
                &format!("TILE_FORMAT={format}"),
                "-co",
                "RASTER_TABLE=ortho",
                tif.to_str().unwrap(),
                gpkg.to_str().unwrap(),
            ],
        );
        assert!(out.status.success(), "{}", stderr(&out));

        let tiler = RasterTiler::open(&gpkg, "ortho").unwrap();
        assert_eq!(tiler.content_type(), "image/png");
        // The tile at zoom 17 over the middle of the photo (where the four blocks meet).
        let t = tongtin::crs::Transformer::new(32648, 3857).unwrap();
        let (mx, my) = t.convert(195400.0, 1877700.0).unwrap();
        let id = TileId::covering(&tongtin::geom::Envelope::from_xy(mx, my), 17)
            .next()
            .unwrap();
        let ours = tiler.tile(id).unwrap();
        let (w, h, ours) = rgba(&ours);
        assert_eq!((w, h), (256, 256));

        let b = id.bounds();
        let warped = scratch().join(format!("warped_{format}.tif"));
        let warped_png = scratch().join(format!("warped_{format}.png"));
        let _ = std::fs::remove_file(&warped);
        let _ = std::fs::remove_file(&warped_png);
        let te = [b.min_x, b.min_y, b.max_x, b.max_y].map(|v| v.to_string());
        let out = run(
            "gdalwarp",
            &[
                "-q",
                "-t_srs",
                "EPSG:3857",
                "-te",
                &te[0],
                &te[1],
                &te[2],
                &te[3],
                "-ts",
                "256",
                "256",
                "-r",
                "near",
                "-dstalpha",
                gpkg.to_str().unwrap(),
                warped.to_str().unwrap(),
            ],
        );
        assert!(out.status.success(), "{}", stderr(&out));
        let out = run(
            "gdal_translate",
            &[
                "-q",
                "-of",
                "PNG",
                warped.to_str().unwrap(),
                warped_png.to_str().unwrap(),
            ],
        );
        assert!(out.status.success(), "{}", stderr(&out));
        let (_, _, theirs) = rgba(&std::fs::read(&warped_png).unwrap());

        let mut compared = 0;
        let mut same = 0;
        for i in 0..256 * 256 {
            let (a, b) = (&ours[i * 4..i * 4 + 4], &theirs[i * 4..i * 4 + 4]);
            if b[3] == 0 {
                continue;
            }
            compared += 1;
            if a[3] > 0 && (0..3).all(|k| (i32::from(a[k]) - i32::from(b[k])).abs() <= 12) {
                same += 1;
            }
        }
        assert!(
            compared > 30_000,
            "{format}: the photo should cover much of the tile ({compared} px)"
        );
        assert!(
            same as f64 >= 0.98 * compared as f64,
            "{format}: {same} of {compared} pixels agree with gdalwarp"
        );
    }
}
