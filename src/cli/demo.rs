use std::path::Path;

use tongtin::demo::{generate, DemoError, DemoOptions};

use super::exit::{self, Failure};
use super::progress::Bar;

pub fn run(out: &Path, seed: u64, scale: u32, srs: i32, force: bool) -> Result<u8, Failure> {
    let options = DemoOptions {
        seed,
        scale,
        srs_id: srs,
    };
    let summary = {
        let bar = Bar::new();
        generate(out, &options, force, &bar)
    }
    .map_err(|e| {
        let code = match e {
            DemoError::Scale { .. } | DemoError::Crs(_) => exit::USAGE,
            _ => exit::WRITE_FAILED,
        };
        Failure::new(code, e)
    })?;
    say!(
        "{}: {} poles, {} lamps, {} road sections ({:.1} km), {} drains, {} landmarks, {} equipment items, {} work orders, DEM {} cells in {:.1} s",
        out.display(),
        summary.poles,
        summary.lamps,
        summary.road_sections,
        summary.road_km,
        summary.drains,
        summary.landmarks,
        summary.equipment,
        summary.work_orders,
        summary.dem_cells,
        summary.elapsed.as_secs_f64()
    );
    Ok(exit::OK)
}
