//! ISO Well-Known Binary, the body of every GeoPackage geometry blob.
//!
//! Reads both byte orders, ISO (1000/2000/3000) and EWKB-style (high bit)
//! Z/M flags, and the curve types as lines (arcs stroked); writes little-endian ISO WKB as GDAL does. Every count is
//! checked against the bytes left before anything is allocated, so a corrupt
//! blob yields an error, never a panic or a huge allocation.

use super::{stroke_arc, Coord, Dimension, Geometry, GeometryError, GeometryType, Shape};

const MAX_DEPTH: usize = 32;

/// Decodes one WKB geometry that must fill `bytes` exactly.
pub fn read_wkb(bytes: &[u8]) -> Result<Geometry, GeometryError> {
    let mut r = Reader {
        bytes,
        pos: 0,
        little: true,
    };
    let (_, g) = r.read(0)?;
    match bytes.len() - r.pos {
        0 => Ok(g),
        n => Err(GeometryError::TrailingBytes(n)),
    }
}

/// The type a WKB geometry is stored as (a curve type where [`read_wkb`]
/// gives its lines), read from its header alone.
pub fn stored_type(bytes: &[u8]) -> Result<GeometryType, GeometryError> {
    let mut r = Reader {
        bytes,
        pos: 0,
        little: true,
    };
    Ok(r.header()?.0)
}

/// Encodes `geom` as little-endian ISO WKB, appending to `out`.
pub fn write_wkb(geom: &Geometry, out: &mut Vec<u8>) {
    let dim = geom.dim;
    write_header(geom.geometry_type(), dim, out);
    match &geom.shape {
        Shape::Point(c) => write_coord(c, dim, out),
        Shape::LineString(cs) => write_coords(cs, dim, out),
        Shape::Polygon(rings) => write_rings(rings, dim, out),
        Shape::MultiPoint(cs) => {
            write_count(cs.len(), out);
            for c in cs {
                write_header(GeometryType::Point, dim, out);
                write_coord(c, dim, out);
            }
        }
        Shape::MultiLineString(lines) => {
            write_count(lines.len(), out);
            for l in lines {
                write_header(GeometryType::LineString, dim, out);
                write_coords(l, dim, out);
            }
        }
        Shape::MultiPolygon(polys) => {
            write_count(polys.len(), out);
            for p in polys {
                write_header(GeometryType::Polygon, dim, out);
                write_rings(p, dim, out);
            }
        }
        Shape::GeometryCollection(parts) => {
            write_count(parts.len(), out);
            parts.iter().for_each(|g| write_wkb(g, out));
        }
    }
}

fn write_header(ty: GeometryType, dim: Dimension, out: &mut Vec<u8>) {
    let code = ty.wkb_code()
        + match dim {
            Dimension::Xy => 0,
            Dimension::Xyz => 1000,
            Dimension::Xym => 2000,
            Dimension::Xyzm => 3000,
        };
    out.push(1);
    out.extend_from_slice(&code.to_le_bytes());
}

fn write_count(n: usize, out: &mut Vec<u8>) {
    let n = u32::try_from(n).expect("a geometry part count fits in 32 bits");
    out.extend_from_slice(&n.to_le_bytes());
}

fn write_coord(c: &Coord, dim: Dimension, out: &mut Vec<u8>) {
    out.extend_from_slice(&c.x.to_le_bytes());
    out.extend_from_slice(&c.y.to_le_bytes());
    if dim.has_z() {
        out.extend_from_slice(&c.z.to_le_bytes());
    }
    if dim.has_m() {
        out.extend_from_slice(&c.m.to_le_bytes());
    }
}

fn write_coords(cs: &[Coord], dim: Dimension, out: &mut Vec<u8>) {
    write_count(cs.len(), out);
    cs.iter().for_each(|c| write_coord(c, dim, out));
}

fn write_rings(rings: &[Vec<Coord>], dim: Dimension, out: &mut Vec<u8>) {
    write_count(rings.len(), out);
    rings.iter().for_each(|r| write_coords(r, dim, out));
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    little: bool,
}

impl Reader<'_> {
    fn take<const N: usize>(&mut self) -> Result<[u8; N], GeometryError> {
        let end = self.pos + N;
        let slice = self.bytes.get(self.pos..end).ok_or(GeometryError::Truncated {
            offset: self.pos,
            needed: N,
            len: self.bytes.len(),
        })?;
        self.pos = end;
        Ok(slice.try_into().expect("slice has length N"))
    }

    fn u32(&mut self) -> Result<u32, GeometryError> {
        let b = self.take::<4>()?;
        Ok(if self.little {
            u32::from_le_bytes(b)
        } else {
            u32::from_be_bytes(b)
        })
    }

    fn f64(&mut self) -> Result<f64, GeometryError> {
        let b = self.take::<8>()?;
        Ok(if self.little {
            f64::from_le_bytes(b)
        } else {
            f64::from_be_bytes(b)
        })
    }

    /// Reads a count and checks that `min_item_bytes` per item can still follow.
    fn count(&mut self, min_item_bytes: usize) -> Result<usize, GeometryError> {
        let n = self.u32()? as usize;
        let left = self.bytes.len() - self.pos;
        if n.saturating_mul(min_item_bytes) > left {
            return Err(GeometryError::Truncated {
                offset: self.pos,
                needed: n.saturating_mul(min_item_bytes),
                len: self.bytes.len(),
            });
        }
        Ok(n)
    }

    fn coord(&mut self, dim: Dimension) -> Result<Coord, GeometryError> {
        let x = self.f64()?;
        let y = self.f64()?;
        let z = if dim.has_z() { self.f64()? } else { 0.0 };
        let m = if dim.has_m() { self.f64()? } else { 0.0 };
        Ok(Coord { x, y, z, m })
    }

    fn coords(&mut self, dim: Dimension) -> Result<Vec<Coord>, GeometryError> {
        let n = self.count(8 * dim.ordinates())?;
        (0..n).map(|_| self.coord(dim)).collect()
    }

    fn rings(&mut self, dim: Dimension) -> Result<Vec<Vec<Coord>>, GeometryError> {
        let n = self.count(4)?;
        (0..n).map(|_| self.coords(dim)).collect()
    }

    fn header(&mut self) -> Result<(GeometryType, Dimension), GeometryError> {
        let [order] = self.take::<1>()?;
        self.little = match order {
            0 => false,
            1 => true,
            other => return Err(GeometryError::ByteOrder(other)),
        };
        let raw = self.u32()?;
        let ewkb_z = raw & 0x8000_0000 != 0;
        let ewkb_m = raw & 0x4000_0000 != 0;
        let code = raw & 0x0FFF_FFFF;
        let (base, iso_z, iso_m) = match code / 1000 {
            0 => (code, false, false),
            1 => (code - 1000, true, false),
            2 => (code - 2000, false, true),
            3 => (code - 3000, true, true),
            _ => return Err(GeometryError::UnsupportedType(raw)),
        };
        let ty = match base {
            1 => GeometryType::Point,
            2 => GeometryType::LineString,
            3 => GeometryType::Polygon,
            4 => GeometryType::MultiPoint,
            5 => GeometryType::MultiLineString,
            6 => GeometryType::MultiPolygon,
            7 => GeometryType::GeometryCollection,
            8 => GeometryType::CircularString,
            9 => GeometryType::CompoundCurve,
            10 => GeometryType::CurvePolygon,
            11 => GeometryType::MultiCurve,
            12 => GeometryType::MultiSurface,
            _ => return Err(GeometryError::UnsupportedType(raw)),
        };
        Ok((ty, Dimension::new(iso_z || ewkb_z, iso_m || ewkb_m)))
    }

    /// A member of a `container`, which must be stored as one of `allowed`.
    fn member(
        &mut self,
        depth: usize,
        container: GeometryType,
        allowed: &[GeometryType],
    ) -> Result<Shape, GeometryError> {
        let (stored, g) = self.read(depth + 1)?;
        if allowed.contains(&stored) {
            Ok(g.shape)
        } else {
            Err(GeometryError::WrongMember {
                container,
                member: stored,
            })
        }
    }

    /// `n` members of `container` read as lines (curves stroked).
    fn lines(&mut self, depth: usize, container: GeometryType, n: usize) -> Result<Vec<Vec<Coord>>, GeometryError> {
        (0..n)
            .map(|_| match self.member(depth, container, &CURVES)? {
                Shape::LineString(l) => Ok(l),
                other => Err(GeometryError::WrongMember {
                    container,
                    member: Geometry {
                        dim: Dimension::Xy,
                        shape: other,
                    }
                    .geometry_type(),
                }),
            })
            .collect()
    }

    /// A circular string's points, stroked into a line.
    fn arcs(&mut self, dim: Dimension) -> Result<Vec<Coord>, GeometryError> {
        let points = self.coords(dim)?;
        match points.len() {
            0 => return Ok(points),
            n if n < 3 || n % 2 == 0 => return Err(GeometryError::CurvePoints(n)),
            _ => {}
        }
        let mut line = vec![points[0]];
        for arc in points.windows(3).step_by(2) {
            stroke_arc(arc[0], arc[1], arc[2], &mut line);
        }
        Ok(line)
    }

    /// Reads one geometry: the type it is stored as, and its shape (curves
    /// as the lines and polygons [`stroke_arc`] makes of them).
    fn read(&mut self, depth: usize) -> Result<(GeometryType, Geometry), GeometryError> {
        use GeometryType as T;
        if depth > MAX_DEPTH {
            return Err(GeometryError::TooDeep(MAX_DEPTH));
        }
        let (ty, dim) = self.header()?;
        let shape = match ty {
            T::Point => Shape::Point(self.coord(dim)?),
            T::LineString => Shape::LineString(self.coords(dim)?),
            T::Polygon => Shape::Polygon(self.rings(dim)?),
            T::MultiPoint => {
                let n = self.count(5)?;
                let mut pts = Vec::with_capacity(n);
                for _ in 0..n {
                    if let Shape::Point(c) = self.member(depth, ty, &[T::Point])? {
                        pts.push(c);
                    }
                }
                Shape::MultiPoint(pts)
            }
            T::MultiLineString => {
                let n = self.count(9)?;
                let mut lines = Vec::with_capacity(n);
                for _ in 0..n {
                    if let Shape::LineString(l) = self.member(depth, ty, &[T::LineString])? {
                        lines.push(l);
                    }
                }
                Shape::MultiLineString(lines)
            }
            T::MultiPolygon => {
                let n = self.count(9)?;
                let mut polys = Vec::with_capacity(n);
                for _ in 0..n {
                    if let Shape::Polygon(p) = self.member(depth, ty, &[T::Polygon])? {
                        polys.push(p);
                    }
                }
                Shape::MultiPolygon(polys)
            }
            T::GeometryCollection => {
                let n = self.count(5)?;
                let parts = (0..n)
                    .map(|_| self.read(depth + 1).map(|(_, g)| g))
                    .collect::<Result<_, _>>()?;
                Shape::GeometryCollection(parts)
            }
            T::CircularString => Shape::LineString(self.arcs(dim)?),
            T::CompoundCurve => {
                let n = self.count(9)?;
                let mut line: Vec<Coord> = Vec::new();
                for part in self.lines(depth, ty, n)? {
                    // Each part starts where the one before ended.
                    let skip = usize::from(line.last().is_some() && line.last() == part.first());
                    line.extend(part.into_iter().skip(skip));
                }
                Shape::LineString(line)
            }
            T::CurvePolygon => {
                let n = self.count(9)?;
                Shape::Polygon(self.lines(depth, ty, n)?)
            }
            T::MultiCurve => {
                let n = self.count(9)?;
                Shape::MultiLineString(self.lines(depth, ty, n)?)
            }
            T::MultiSurface => {
                let n = self.count(9)?;
                let mut polys = Vec::with_capacity(n);
                for _ in 0..n {
                    if let Shape::Polygon(p) = self.member(depth, ty, &[T::Polygon, T::CurvePolygon])? {
                        polys.push(p);
                    }
                }
                Shape::MultiPolygon(polys)
            }
            other => return Err(GeometryError::UnsupportedType(other.wkb_code())),
        };
        Ok((ty, Geometry { dim, shape }))
    }
}

/// What a line may be stored as inside a compound curve, curve polygon or multi-curve.
const CURVES: [GeometryType; 3] = [
    GeometryType::LineString,
    GeometryType::CircularString,
    GeometryType::CompoundCurve,
];

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(g: &Geometry) {
        let mut out = Vec::new();
        write_wkb(g, &mut out);
        let back = read_wkb(&out).unwrap();
        let mut again = Vec::new();
        write_wkb(&back, &mut again);
        assert_eq!(out, again, "bytes differ after a round trip of {g:?}");
    }

    fn c(x: f64, y: f64, z: f64, m: f64) -> Coord {
        Coord { x, y, z, m }
    }

    #[test]
    fn every_type_and_dimension_round_trips() {
        for dim in [Dimension::Xy, Dimension::Xyz, Dimension::Xym, Dimension::Xyzm] {
            let ring = vec![
                c(0., 0., 1., 2.),
                c(1., 0., 1., 2.),
                c(1., 1., 1., 2.),
                c(0., 0., 1., 2.),
            ];
            let shapes = vec![
                Shape::Point(c(1.5, 2.5, 3.5, 4.5)),
                Shape::Point(Coord::empty()),
                Shape::LineString(vec![c(0., 0., 0., 0.), c(3., 4., 5., 6.)]),
                Shape::LineString(vec![]),
                Shape::Polygon(vec![ring.clone()]),
                Shape::MultiPoint(vec![c(1., 2., 3., 4.), c(5., 6., 7., 8.)]),
                Shape::MultiLineString(vec![vec![c(0., 0., 0., 0.), c(1., 1., 1., 1.)]]),
                Shape::MultiPolygon(vec![vec![ring.clone()], vec![ring]]),
                Shape::GeometryCollection(vec![Geometry {
                    dim,
                    shape: Shape::Point(c(9., 9., 9., 9.)),
                }]),
            ];
            for shape in shapes {
                round_trip(&Geometry { dim, shape });
            }
        }
    }

    #[test]
    fn reads_big_endian_and_ewkb_flags() {
        // POINT Z (1 2 3), big endian, EWKB Z flag.
        let mut b = vec![0u8];
        b.extend_from_slice(&(0x8000_0001u32).to_be_bytes());
        for v in [1.0f64, 2.0, 3.0] {
            b.extend_from_slice(&v.to_be_bytes());
        }
        let g = read_wkb(&b).unwrap();
        assert_eq!(g.dim, Dimension::Xyz);
        assert_eq!(g.shape, Shape::Point(c(1., 2., 3., 0.)));
    }

    #[test]
    fn corrupt_input_is_an_error_not_a_panic() {
        let mut good = Vec::new();
        write_wkb(&Geometry::line_string([(0.0, 0.0), (1.0, 1.0), (2.0, 0.0)]), &mut good);
        for len in 0..good.len() {
            assert!(read_wkb(&good[..len]).is_err(), "truncated at {len} was accepted");
        }
        let mut huge = good.clone();
        huge[5..9].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(matches!(read_wkb(&huge), Err(GeometryError::Truncated { .. })));
        let mut curve = good.clone();
        curve[1..5].copy_from_slice(&13u32.to_le_bytes());
        assert_eq!(read_wkb(&curve), Err(GeometryError::UnsupportedType(13)));
        assert_eq!(read_wkb(&[7]), Err(GeometryError::ByteOrder(7)));
        good.push(0);
        assert_eq!(read_wkb(&good), Err(GeometryError::TrailingBytes(1)));
    }

    /// Little-endian WKB of a geometry given as its type code and body.
    fn wkb(code: u32, body: &[u8]) -> Vec<u8> {
        let mut b = vec![1u8];
        b.extend_from_slice(&code.to_le_bytes());
        b.extend_from_slice(body);
        b
    }

    fn points(pts: &[(f64, f64)]) -> Vec<u8> {
        let mut b = (pts.len() as u32).to_le_bytes().to_vec();
        for (x, y) in pts {
            b.extend_from_slice(&x.to_le_bytes());
            b.extend_from_slice(&y.to_le_bytes());
        }
        b
    }

    fn parts(members: &[Vec<u8>]) -> Vec<u8> {
        let mut b = (members.len() as u32).to_le_bytes().to_vec();
        members.iter().for_each(|m| b.extend_from_slice(m));
        b
    }

    fn line_of(g: &Geometry) -> &[Coord] {
        match &g.shape {
            Shape::LineString(l) => l,
            other => panic!("not a line: {other:?}"),
        }
    }

    #[test]
    fn curves_are_read_as_lines_through_their_control_points() {
        let arc = wkb(8, &points(&[(0.0, 0.0), (1.0, 1.0), (2.0, 0.0)]));
        assert_eq!(stored_type(&arc), Ok(GeometryType::CircularString));
        let g = read_wkb(&arc).unwrap();
        let line = line_of(&g);
        assert_eq!((line[0], line[line.len() - 1]), (c(0., 0., 0., 0.), c(2., 0., 0., 0.)));
        assert!(line
            .iter()
            .all(|p| ((p.x - 1.0).hypot(p.y) - 1.0).abs() < 1e-12 && p.y >= 0.0));

        let compound = wkb(
            9,
            &parts(&[
                wkb(2, &points(&[(-1.0, 0.0), (0.0, 0.0)])),
                wkb(8, &points(&[(0.0, 0.0), (1.0, 1.0), (2.0, 0.0)])),
            ]),
        );
        let g = read_wkb(&compound).unwrap();
        let joined = line_of(&g);
        assert_eq!(joined.len(), 1 + line.len(), "the shared point once");
        assert_eq!(&joined[1..], line);

        let circle = wkb(8, &points(&[(0.0, 0.0), (2.0, 0.0), (0.0, 0.0)]));
        let square = wkb(3, &parts(&[points(&[(5.0, 5.0), (6.0, 5.0), (6.0, 6.0), (5.0, 5.0)])]));
        let surfaces = wkb(12, &parts(&[square, wkb(10, &parts(&[circle]))]));
        match read_wkb(&surfaces).unwrap().shape {
            Shape::MultiPolygon(polys) => {
                assert_eq!(polys.len(), 2);
                let ring = &polys[1][0];
                assert_eq!(ring.first(), ring.last(), "the circle closes");
                assert!(ring.iter().all(|p| ((p.x - 1.0).hypot(p.y) - 1.0).abs() < 1e-12));
            }
            other => panic!("{other:?}"),
        }
        let multi = wkb(11, &parts(&[arc.clone(), compound]));
        assert!(matches!(read_wkb(&multi).unwrap().shape, Shape::MultiLineString(l) if l.len() == 2));
    }

    #[test]
    fn malformed_curves_are_errors() {
        assert_eq!(
            read_wkb(&wkb(8, &points(&[(0.0, 0.0), (1.0, 1.0)]))),
            Err(GeometryError::CurvePoints(2))
        );
        let with_point = wkb(9, &parts(&[wkb(1, &[0u8; 16])]));
        assert_eq!(
            read_wkb(&with_point),
            Err(GeometryError::WrongMember {
                container: GeometryType::CompoundCurve,
                member: GeometryType::Point
            })
        );
        assert_eq!(
            read_wkb(&wkb(
                12,
                &parts(&[wkb(8, &points(&[(0.0, 0.0), (1.0, 1.0), (2.0, 0.0)]))])
            )),
            Err(GeometryError::WrongMember {
                container: GeometryType::MultiSurface,
                member: GeometryType::CircularString
            })
        );
    }

    #[test]
    fn deep_nesting_is_refused() {
        let mut b = Vec::new();
        for _ in 0..100 {
            b.push(1);
            b.extend_from_slice(&7u32.to_le_bytes());
            b.extend_from_slice(&1u32.to_le_bytes());
        }
        assert!(read_wkb(&b).is_err());
    }
}
