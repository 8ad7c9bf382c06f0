//! The demo's elevation coverage reads back as GDAL reads it.

mod common;

use common::{demo, run, stdout};
use tongtin::geom::Envelope;
use tongtin::gpkg::GeoPackage;

#[test]
fn elevations_match_gdallocationinfo() {
    let path = demo();
    let g = GeoPackage::open(&path).unwrap();
    let coverage = g.coverage("terrain").unwrap();
    let finest = *coverage.levels.last().unwrap();
    assert_eq!(finest.pixel_x_size, 10.0);
    let extent = g.layer("terrain").unwrap().extent.unwrap();
    let mut checked = 0;
    for i in 0..25 {
        let x = extent.min_x + (0.03 + 0.94 * f64::from(i % 5) / 4.0) * extent.width();
        let y = extent.min_y + (0.03 + 0.94 * f64::from(i / 5) / 4.0) * extent.height();
        let grid = coverage
            .read(&g, &finest, &Envelope::new(x - 5.0, y - 5.0, x + 5.0, y + 5.0), 1)
            .unwrap();
        let ours = grid.cell_at(x, y).expect("inside the DEM");
        let out = run(
            "gdallocationinfo",
            &[
                "-valonly",
                "-geoloc",
                path.to_str().unwrap(),
                &x.to_string(),
                &y.to_string(),
            ],
        );
        let gdal: f32 = stdout(&out)
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("gdallocationinfo said {:?}", stdout(&out)));
        assert!((ours - gdal).abs() < 0.01, "({x}, {y}): tongtin {ours}, GDAL {gdal}");
        checked += 1;
    }
    assert_eq!(checked, 25);
}
