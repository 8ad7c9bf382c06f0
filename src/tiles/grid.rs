//! The Web Mercator tile grid (EPSG:3857, "XYZ"/Google scheme, y down).

use crate::geom::Envelope;

/// Half the width of the Web Mercator world in metres (π × 6378137).
pub const HALF_WORLD: f64 = 20_037_508.342_789_244;

/// One tile of the XYZ scheme.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TileId {
    pub z: u8,
    pub x: u32,
    pub y: u32,
}

impl TileId {
    /// `None` when x or y lie outside the zoom level's grid or z is beyond 24.
    pub fn new(z: u8, x: u32, y: u32) -> Option<Self> {
        let n = 1u64 << z.min(24);
        (z <= 24 && u64::from(x) < n && u64::from(y) < n).then_some(TileId { z, x, y })
    }

    /// The tile's bounds in EPSG:3857 metres.
    ///
    /// ```
    /// use tongtin::tiles::{TileId, HALF_WORLD};
    /// let world = TileId::new(0, 0, 0).unwrap().bounds();
    /// assert_eq!((world.min_x, world.max_y), (-HALF_WORLD, HALF_WORLD));
    /// ```
    pub fn bounds(&self) -> Envelope {
        let size = tile_size(self.z);
        let min_x = -HALF_WORLD + f64::from(self.x) * size;
        let max_y = HALF_WORLD - f64::from(self.y) * size;
        Envelope::new(min_x, max_y - size, min_x + size, max_y)
    }

    /// The tiles of zoom `z` that meet `area` (EPSG:3857), row by row.
    pub fn covering(area: &Envelope, z: u8) -> impl Iterator<Item = TileId> {
        let n = 1u32 << z;
        let size = tile_size(z);
        let col = |x: f64| (((x + HALF_WORLD) / size).floor().max(0.0) as u32).min(n - 1);
        let row = |y: f64| (((HALF_WORLD - y) / size).floor().max(0.0) as u32).min(n - 1);
        let (x0, x1, y0, y1) = (col(area.min_x), col(area.max_x), row(area.max_y), row(area.min_y));
        (y0..=y1).flat_map(move |y| (x0..=x1).map(move |x| TileId { z, x, y }))
    }
}

impl std::fmt::Display for TileId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}/{}", self.z, self.x, self.y)
    }
}

/// The width of one tile at zoom `z`, in metres.
pub fn tile_size(z: u8) -> f64 {
    2.0 * HALF_WORLD / f64::from(1u32 << z)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiles_partition_the_world() {
        let t = TileId::new(10, 800, 480).unwrap();
        let b = t.bounds();
        assert!((b.width() - tile_size(10)).abs() < 1e-6);
        let inside = Envelope::new(b.min_x + 1.0, b.min_y + 1.0, b.max_x - 1.0, b.max_y - 1.0);
        assert_eq!(TileId::covering(&inside, 10).collect::<Vec<_>>(), vec![t]);
        assert_eq!(
            TileId::covering(&b, 11).count(),
            9,
            "edges on tile boundaries take in the next row and column"
        );
        assert!(TileId::new(2, 4, 0).is_none());
    }
}
