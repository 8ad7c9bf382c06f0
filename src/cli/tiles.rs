use std::path::Path;

use tongtin::geom::Envelope;
use tongtin::tiles::export::TileSink;
use tongtin::tiles::{make_tiles, plan, TileError};

use super::exit::{self, Failure};
use super::progress::Bar;

fn parse_zoom(zoom: &str) -> Result<(u8, u8), Failure> {
    let bad = || Failure::new(exit::USAGE, format!("--zoom '{zoom}': expected A-B, e.g. 10-16"));
    let (a, b) = zoom.split_once('-').unwrap_or((zoom, zoom));
    Ok((
        a.trim().parse().map_err(|_| bad())?,
        b.trim().parse().map_err(|_| bad())?,
    ))
}

fn parse_bbox(bbox: &str) -> Result<Envelope, Failure> {
    let v: Vec<f64> = bbox
        .split(',')
        .map(|s| s.trim().parse())
        .collect::<Result<_, _>>()
        .map_err(|_| Failure::new(exit::USAGE, format!("--bbox '{bbox}': expected minx,miny,maxx,maxy")))?;
    match v[..] {
        [a, b, c, d] if a < c && b < d => Ok(Envelope::new(a, b, c, d)),
        _ => Err(Failure::new(
            exit::USAGE,
            format!("--bbox '{bbox}': expected minx,miny,maxx,maxy with min < max"),
        )),
    }
}

fn failure(file: &Path, e: TileError) -> Failure {
    match e {
        TileError::Gpkg(g) => exit::reading(file, g),
        TileError::NotAFeatureLayer(_) | TileError::BadRequest(_) | TileError::BadTile { .. } => {
            Failure::new(exit::USAGE, format!("{}: {e}", file.display()))
        }
        TileError::Crs(_) => Failure::new(exit::BAD_INPUT, format!("{}: {e}", file.display())),
        TileError::Export(_) | TileError::Stopped => Failure::new(exit::WRITE_FAILED, e),
    }
}

pub fn run(file: &Path, layers: Option<&str>, zoom: &str, bbox: Option<&str>, out: &Path) -> Result<u8, Failure> {
    let (min, max) = parse_zoom(zoom)?;
    let bbox = bbox.map(parse_bbox).transpose()?;
    let layers: Option<Vec<String>> = layers.map(|l| {
        l.split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect()
    });
    let (tiles, info) = plan(file, layers.as_deref(), min, max, bbox).map_err(|e| failure(file, e))?;
    let mut sink = TileSink::create(out, &info).map_err(|e| Failure::new(exit::WRITE_FAILED, e))?;
    let started = std::time::Instant::now();
    let written = {
        let bar = Bar::new();
        tongtin::progress::Progress::step(&bar, "tiles", tiles.len() as u64);
        make_tiles(file, layers.as_deref(), &tiles, 2, sink.encoder(), &bar, |id, bytes| {
            sink.put(id, &bytes).map_err(TileError::from)
        })
    }
    .map_err(|e| failure(file, e))?;
    sink.finish().map_err(|e| Failure::new(exit::WRITE_FAILED, e))?;
    say!(
        "{}: {written} tiles with data of {} tried, zoom {min}-{max}, layers {}, in {:.1} s",
        out.display(),
        tiles.len(),
        info.layers.iter().map(|l| l.0.as_str()).collect::<Vec<_>>().join(","),
        started.elapsed().as_secs_f64()
    );
    Ok(exit::OK)
}
