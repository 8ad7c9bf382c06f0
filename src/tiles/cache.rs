//! Recently made tiles, bounded in bytes, dropped by area when data changes.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use super::vector::BUFFER;
use super::{mvt::EXTENT, tile_size, TileId};
use crate::geom::Envelope;

/// A least-recently-used cache of tile bytes.
pub struct TileCache {
    capacity: usize,
    bytes: usize,
    clock: u64,
    tiles: HashMap<TileId, (Arc<Vec<u8>>, u64)>,
    by_age: BTreeMap<u64, TileId>,
}

impl TileCache {
    pub fn new(capacity_bytes: usize) -> Self {
        TileCache {
            capacity: capacity_bytes,
            bytes: 0,
            clock: 0,
            tiles: HashMap::new(),
            by_age: BTreeMap::new(),
        }
    }

    pub fn get(&mut self, id: TileId) -> Option<Arc<Vec<u8>>> {
        self.clock += 1;
        let (data, stamp) = self.tiles.get_mut(&id)?;
        self.by_age.remove(stamp);
        *stamp = self.clock;
        self.by_age.insert(self.clock, id);
        Some(data.clone())
    }

    pub fn put(&mut self, id: TileId, data: Arc<Vec<u8>>) {
        self.remove(id);
        self.clock += 1;
        self.bytes += data.len();
        self.tiles.insert(id, (data, self.clock));
        self.by_age.insert(self.clock, id);
        while self.bytes > self.capacity {
            let Some((_, oldest)) = self.by_age.pop_first() else {
                break;
            };
            if let Some((d, _)) = self.tiles.remove(&oldest) {
                self.bytes -= d.len();
            }
        }
    }

    fn remove(&mut self, id: TileId) {
        if let Some((d, stamp)) = self.tiles.remove(&id) {
            self.bytes -= d.len();
            self.by_age.remove(&stamp);
        }
    }

    /// Drops every tile whose area, buffer included, meets `area` (EPSG:3857).
    /// Returns how many were dropped.
    pub fn invalidate(&mut self, area: &Envelope) -> usize {
        let stale: Vec<TileId> = self
            .tiles
            .keys()
            .filter(|id| {
                let b = id.bounds();
                let m = BUFFER * tile_size(id.z) / f64::from(EXTENT);
                Envelope::new(b.min_x - m, b.min_y - m, b.max_x + m, b.max_y + m).intersects(area)
            })
            .copied()
            .collect();
        for id in &stale {
            self.remove(*id);
        }
        stale.len()
    }

    pub fn len(&self) -> usize {
        self.tiles.len()
    }

    pub fn is_empty(&self) -> bool {
        self.tiles.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evicts_the_least_recently_used_and_invalidates_by_area() {
        let mut cache = TileCache::new(10);
        let a = TileId::new(1, 0, 0).unwrap();
        let b = TileId::new(1, 1, 0).unwrap();
        let c = TileId::new(1, 1, 1).unwrap();
        cache.put(a, Arc::new(vec![0; 4]));
        cache.put(b, Arc::new(vec![0; 4]));
        assert!(cache.get(a).is_some());
        cache.put(c, Arc::new(vec![0; 4]));
        assert!(cache.get(b).is_none(), "b was the least recently used");
        assert!(cache.get(a).is_some() && cache.get(c).is_some());
        // A change in the north-west quarter drops a (and nothing in the south-east).
        let nw = a.bounds();
        let spot = Envelope::new(nw.min_x + 1.0, nw.max_y - 2.0, nw.min_x + 2.0, nw.max_y - 1.0);
        assert_eq!(cache.invalidate(&spot), 1);
        assert!(cache.get(a).is_none() && cache.get(c).is_some());
    }
}
