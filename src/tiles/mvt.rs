//! Mapbox Vector Tile 2.1 encoding (protobuf written by hand: the format is
//! four messages and needs no code generator).

use std::collections::HashMap;

/// Tile coordinates span 0..EXTENT on each axis.
pub const EXTENT: u32 = 4096;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GeomType {
    Point = 1,
    LineString = 2,
    Polygon = 3,
}

/// A property value as MVT stores it.
#[derive(Clone, Debug, PartialEq)]
pub enum PropValue {
    Text(String),
    Int(i64),
    Double(f64),
    Bool(bool),
}

impl PropValue {
    /// The key of a value in the layer's value table (text is keyed by itself).
    fn scalar_key(&self) -> (u8, u64) {
        match self {
            PropValue::Text(_) => (1, 0),
            PropValue::Int(i) => (4, *i as u64),
            PropValue::Double(d) => (3, d.to_bits()),
            PropValue::Bool(b) => (7, u64::from(*b)),
        }
    }
}

/// Geometry in tile coordinates: points, lines or rings (rings closed or not; the
/// encoder closes them with ClosePath).
#[derive(Clone, Debug, PartialEq)]
pub enum TileGeometry {
    Points(Vec<(i32, i32)>),
    Lines(Vec<Vec<(i32, i32)>>),
    /// Polygons, each with its exterior ring first; orientation is fixed by the encoder.
    Polygons(Vec<Vec<Vec<(i32, i32)>>>),
}

/// One layer of a tile under construction.
pub struct LayerBuilder {
    name: String,
    keys: Vec<String>,
    key_index: HashMap<String, u32>,
    values: Vec<PropValue>,
    text_index: HashMap<String, u32>,
    scalar_index: HashMap<(u8, u64), u32>,
    features: Vec<u8>,
    count: usize,
}

impl LayerBuilder {
    pub fn new(name: &str) -> Self {
        LayerBuilder {
            name: name.to_string(),
            keys: Vec::new(),
            key_index: HashMap::new(),
            values: Vec::new(),
            text_index: HashMap::new(),
            scalar_index: HashMap::new(),
            features: Vec::new(),
            count: 0,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    pub fn len(&self) -> usize {
        self.count
    }

    /// Adds a feature; geometries that encode to nothing are skipped.
    pub fn add(&mut self, id: u64, geometry: &TileGeometry, properties: &[(&str, PropValue)]) {
        let (kind, commands) = encode_geometry(geometry);
        if commands.is_empty() {
            return;
        }
        let mut tags = Vec::with_capacity(properties.len() * 2);
        for (k, v) in properties {
            let ki = match self.key_index.get(*k) {
                Some(&i) => i,
                None => {
                    let i = self.keys.len() as u32;
                    self.keys.push(k.to_string());
                    self.key_index.insert(k.to_string(), i);
                    i
                }
            };
            let vi = match v {
                PropValue::Text(t) => match self.text_index.get(t.as_str()) {
                    Some(&i) => i,
                    None => {
                        let i = self.values.len() as u32;
                        self.values.push(v.clone());
                        self.text_index.insert(t.clone(), i);
                        i
                    }
                },
                scalar => *self.scalar_index.entry(scalar.scalar_key()).or_insert_with(|| {
                    self.values.push(scalar.clone());
                    self.values.len() as u32 - 1
                }),
            };
            tags.push(ki);
            tags.push(vi);
        }
        let mut f = Vec::new();
        field_varint(&mut f, 1, id);
        field_packed(&mut f, 2, &tags);
        field_varint(&mut f, 3, kind as u64);
        field_packed(&mut f, 4, &commands);
        field_bytes(&mut self.features, 2, &f);
        self.count += 1;
    }

    /// Appends this layer to `tile` (the bytes of a Tile message).
    pub fn write_to(&self, tile: &mut Vec<u8>) {
        let mut l = Vec::with_capacity(self.features.len() + 256);
        field_varint(&mut l, 15, 2);
        field_bytes(&mut l, 1, self.name.as_bytes());
        l.extend_from_slice(&self.features);
        for k in &self.keys {
            field_bytes(&mut l, 3, k.as_bytes());
        }
        for v in &self.values {
            let mut m = Vec::new();
            match v {
                PropValue::Text(s) => field_bytes(&mut m, 1, s.as_bytes()),
                PropValue::Double(d) => {
                    key(&mut m, 3, 1);
                    m.extend_from_slice(&d.to_le_bytes());
                }
                PropValue::Int(i) => field_varint(&mut m, 6, zigzag(*i)),
                PropValue::Bool(b) => field_varint(&mut m, 7, u64::from(*b)),
            }
            field_bytes(&mut l, 4, &m);
        }
        field_varint(&mut l, 5, u64::from(EXTENT));
        field_bytes(tile, 3, &l);
    }
}

fn encode_geometry(g: &TileGeometry) -> (GeomType, Vec<u32>) {
    let mut out = Vec::new();
    let mut cursor = (0i32, 0i32);
    match g {
        TileGeometry::Points(points) => {
            if !points.is_empty() {
                out.push(command(1, points.len()));
                for &p in points {
                    push_delta(&mut out, &mut cursor, p);
                }
            }
            (GeomType::Point, out)
        }
        TileGeometry::Lines(lines) => {
            for line in lines.iter().filter(|l| l.len() >= 2) {
                out.push(command(1, 1));
                push_delta(&mut out, &mut cursor, line[0]);
                out.push(command(2, line.len() - 1));
                for &p in &line[1..] {
                    push_delta(&mut out, &mut cursor, p);
                }
            }
            (GeomType::LineString, out)
        }
        TileGeometry::Polygons(polygons) => {
            for polygon in polygons {
                for (i, ring) in polygon.iter().enumerate() {
                    let mut ring: Vec<(i32, i32)> = ring.clone();
                    if ring.len() > 1 && ring.first() == ring.last() {
                        ring.pop();
                    }
                    if ring.len() < 3 || signed_area(&ring) == 0 {
                        if i == 0 {
                            break;
                        }
                        continue;
                    }
                    // Exterior rings have positive area in tile space (y down), holes negative.
                    if (signed_area(&ring) > 0) != (i == 0) {
                        ring.reverse();
                    }
                    out.push(command(1, 1));
                    push_delta(&mut out, &mut cursor, ring[0]);
                    out.push(command(2, ring.len() - 1));
                    for &p in &ring[1..] {
                        push_delta(&mut out, &mut cursor, p);
                    }
                    out.push(command(7, 1));
                }
            }
            (GeomType::Polygon, out)
        }
    }
}

/// Twice the signed area by the surveyor's formula.
pub fn signed_area(ring: &[(i32, i32)]) -> i64 {
    let n = ring.len();
    (0..n)
        .map(|i| {
            let (a, b) = (ring[i], ring[(i + 1) % n]);
            i64::from(a.0) * i64::from(b.1) - i64::from(b.0) * i64::from(a.1)
        })
        .sum()
}

fn command(id: u32, count: usize) -> u32 {
    (id & 0x7) | ((count as u32) << 3)
}

fn push_delta(out: &mut Vec<u32>, cursor: &mut (i32, i32), p: (i32, i32)) {
    out.push(zigzag(i64::from(p.0 - cursor.0)) as u32);
    out.push(zigzag(i64::from(p.1 - cursor.1)) as u32);
    *cursor = p;
}

fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

fn varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn key(out: &mut Vec<u8>, field: u32, wire: u8) {
    varint(out, (u64::from(field) << 3) | u64::from(wire));
}

fn field_varint(out: &mut Vec<u8>, field: u32, v: u64) {
    key(out, field, 0);
    varint(out, v);
}

fn field_bytes(out: &mut Vec<u8>, field: u32, bytes: &[u8]) {
    key(out, field, 2);
    varint(out, bytes.len() as u64);
    out.extend_from_slice(bytes);
}

fn field_packed(out: &mut Vec<u8>, field: u32, values: &[u32]) {
    let mut packed = Vec::with_capacity(values.len() * 2);
    for &v in values {
        varint(&mut packed, u64::from(v));
    }
    field_bytes(out, field, &packed);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn geometry_commands_follow_the_specification() {
        // Examples from the MVT 2.1 specification, section 4.3.5.
        let (_, point) = encode_geometry(&TileGeometry::Points(vec![(25, 17)]));
        assert_eq!(point, vec![9, 50, 34]);
        let (_, line) = encode_geometry(&TileGeometry::Lines(vec![vec![(2, 2), (2, 10), (10, 10)]]));
        assert_eq!(line, vec![9, 4, 4, 18, 0, 16, 16, 0]);
        let (_, polygon) = encode_geometry(&TileGeometry::Polygons(vec![vec![vec![
            (3, 6),
            (8, 12),
            (20, 34),
            (3, 6),
        ]]]));
        assert_eq!(polygon, vec![9, 6, 12, 18, 10, 12, 24, 44, 15]);
    }

    #[test]
    fn values_are_shared_between_features() {
        let mut layer = LayerBuilder::new("poles");
        layer.add(
            1,
            &TileGeometry::Points(vec![(1, 1)]),
            &[("status", PropValue::Text("normal".into()))],
        );
        layer.add(
            2,
            &TileGeometry::Points(vec![(2, 2)]),
            &[("status", PropValue::Text("normal".into()))],
        );
        layer.add(3, &TileGeometry::Lines(vec![vec![(0, 0)]]), &[]);
        assert_eq!(layer.len(), 2, "a one-point line encodes to nothing and is skipped");
        assert_eq!((layer.keys.len(), layer.values.len()), (1, 1));
        let mut tile = Vec::new();
        layer.write_to(&mut tile);
        assert_eq!(tile[0], 0x1A, "field 3 (layers), length-delimited");
    }
}
