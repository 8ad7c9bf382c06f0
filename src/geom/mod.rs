//! Simple-feature geometries as GeoPackage stores them, Z and M kept exactly.
//!
//! The model is deliberately plain: it carries what the file holds so that a
//! read-modify-write round trip returns the same bytes. Algorithms live in
//! other modules and convert to `geo` types when they need them.

mod arc;
mod contains;
mod envelope;
mod gpb;
mod intersects;
mod length;
mod merge;
mod nearest;
mod orient;
mod segment;
mod simple;
mod split;
mod wkb;
mod wkt;

pub use arc::{stroke_arc, ARC_STEP_DEGREES};
pub use contains::{geometry_contains_point, polygon_contains};
pub use envelope::Envelope;
pub use gpb::{decode_blob, encode_blob, read_header, GpbHeader, StoredGeometry};
pub use length::planar_length;
pub use merge::{merge_lines, MergeError};
pub use nearest::{nearest_on_line, nearest_vertex, LinePosition};
pub use segment::clip_segment;
pub use simple::self_intersection;
pub use split::{split_line, SplitError};
pub use wkb::{read_wkb, stored_type, write_wkb};
pub use wkt::to_wkt;

use thiserror::Error;

/// Which ordinates a geometry's coordinates carry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Dimension {
    Xy,
    Xyz,
    Xym,
    Xyzm,
}

impl Dimension {
    pub fn new(has_z: bool, has_m: bool) -> Self {
        match (has_z, has_m) {
            (false, false) => Dimension::Xy,
            (true, false) => Dimension::Xyz,
            (false, true) => Dimension::Xym,
            (true, true) => Dimension::Xyzm,
        }
    }
    pub fn has_z(self) -> bool {
        matches!(self, Dimension::Xyz | Dimension::Xyzm)
    }
    pub fn has_m(self) -> bool {
        matches!(self, Dimension::Xym | Dimension::Xyzm)
    }
    fn ordinates(self) -> usize {
        2 + usize::from(self.has_z()) + usize::from(self.has_m())
    }
}

/// One position. `z` and `m` are 0.0 where the geometry's [`Dimension`] lacks them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Coord {
    pub x: f64,
    pub y: f64,
    pub z: f64,
    pub m: f64,
}

impl Coord {
    pub fn xy(x: f64, y: f64) -> Self {
        Coord { x, y, z: 0.0, m: 0.0 }
    }
    /// A point is empty when its X and Y are NaN (the GeoPackage and WKB convention).
    pub fn is_empty(&self) -> bool {
        self.x.is_nan() && self.y.is_nan()
    }
    pub fn empty() -> Self {
        Coord {
            x: f64::NAN,
            y: f64::NAN,
            z: f64::NAN,
            m: f64::NAN,
        }
    }
}

/// The seven simple-feature shapes.
#[derive(Clone, Debug, PartialEq)]
pub enum Shape {
    /// An empty point has NaN coordinates.
    Point(Coord),
    LineString(Vec<Coord>),
    /// Rings: the exterior first, then the holes.
    Polygon(Vec<Vec<Coord>>),
    MultiPoint(Vec<Coord>),
    MultiLineString(Vec<Vec<Coord>>),
    MultiPolygon(Vec<Vec<Vec<Coord>>>),
    GeometryCollection(Vec<Geometry>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Geometry {
    pub dim: Dimension,
    pub shape: Shape,
}

impl Geometry {
    pub fn point(x: f64, y: f64) -> Self {
        Geometry {
            dim: Dimension::Xy,
            shape: Shape::Point(Coord::xy(x, y)),
        }
    }
    pub fn line_string(coords: impl IntoIterator<Item = (f64, f64)>) -> Self {
        let coords = coords.into_iter().map(|(x, y)| Coord::xy(x, y)).collect();
        Geometry {
            dim: Dimension::Xy,
            shape: Shape::LineString(coords),
        }
    }
    pub fn polygon(rings: Vec<Vec<(f64, f64)>>) -> Self {
        let rings = rings
            .into_iter()
            .map(|r| r.into_iter().map(|(x, y)| Coord::xy(x, y)).collect())
            .collect();
        Geometry {
            dim: Dimension::Xy,
            shape: Shape::Polygon(rings),
        }
    }

    pub fn geometry_type(&self) -> GeometryType {
        match self.shape {
            Shape::Point(_) => GeometryType::Point,
            Shape::LineString(_) => GeometryType::LineString,
            Shape::Polygon(_) => GeometryType::Polygon,
            Shape::MultiPoint(_) => GeometryType::MultiPoint,
            Shape::MultiLineString(_) => GeometryType::MultiLineString,
            Shape::MultiPolygon(_) => GeometryType::MultiPolygon,
            Shape::GeometryCollection(_) => GeometryType::GeometryCollection,
        }
    }

    pub fn is_empty(&self) -> bool {
        match &self.shape {
            Shape::Point(c) => c.is_empty(),
            Shape::LineString(v) | Shape::MultiPoint(v) => v.is_empty(),
            Shape::Polygon(v) | Shape::MultiLineString(v) => v.is_empty(),
            Shape::MultiPolygon(v) => v.is_empty(),
            Shape::GeometryCollection(v) => v.iter().all(Geometry::is_empty),
        }
    }

    /// Calls `f` on every coordinate, in storage order.
    pub fn for_each_coord(&self, f: &mut impl FnMut(&Coord)) {
        match &self.shape {
            Shape::Point(c) => f(c),
            Shape::LineString(v) | Shape::MultiPoint(v) => v.iter().for_each(f),
            Shape::Polygon(rings) | Shape::MultiLineString(rings) => rings.iter().flatten().for_each(f),
            Shape::MultiPolygon(polys) => polys.iter().flatten().flatten().for_each(f),
            Shape::GeometryCollection(parts) => parts.iter().for_each(|g| g.for_each_coord(f)),
        }
    }

    /// Applies `f` to every coordinate in place (reprojection, offsets).
    pub fn map_coords(&mut self, f: &mut impl FnMut(&mut Coord)) {
        match &mut self.shape {
            Shape::Point(c) => f(c),
            Shape::LineString(v) | Shape::MultiPoint(v) => v.iter_mut().for_each(f),
            Shape::Polygon(rings) | Shape::MultiLineString(rings) => rings.iter_mut().flatten().for_each(f),
            Shape::MultiPolygon(polys) => polys.iter_mut().flatten().flatten().for_each(f),
            Shape::GeometryCollection(parts) => parts.iter_mut().for_each(|g| g.map_coords(f)),
        }
    }

    /// The XY envelope of the non-empty coordinates; `None` for an empty geometry.
    pub fn envelope(&self) -> Option<Envelope> {
        let mut env: Option<Envelope> = None;
        self.for_each_coord(&mut |c| {
            if !c.is_empty() {
                match env.as_mut() {
                    Some(e) => e.expand_xy(c.x, c.y),
                    None => env = Some(Envelope::from_xy(c.x, c.y)),
                }
            }
        });
        env
    }
}

/// Geometry type names as `gpkg_geometry_columns.geometry_type_name` spells them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum GeometryType {
    /// The generic `GEOMETRY`: any of the others.
    Geometry,
    Point,
    LineString,
    Polygon,
    MultiPoint,
    MultiLineString,
    MultiPolygon,
    GeometryCollection,
    /// Curve types from the GeoPackage non-linear geometry extension: read
    /// as lines (arcs stroked, [`stroke_arc`]), never written.
    CircularString,
    CompoundCurve,
    CurvePolygon,
    MultiCurve,
    MultiSurface,
    Curve,
    Surface,
}

impl GeometryType {
    const ALL: [GeometryType; 15] = [
        GeometryType::Geometry,
        GeometryType::Point,
        GeometryType::LineString,
        GeometryType::Polygon,
        GeometryType::MultiPoint,
        GeometryType::MultiLineString,
        GeometryType::MultiPolygon,
        GeometryType::GeometryCollection,
        GeometryType::CircularString,
        GeometryType::CompoundCurve,
        GeometryType::CurvePolygon,
        GeometryType::MultiCurve,
        GeometryType::MultiSurface,
        GeometryType::Curve,
        GeometryType::Surface,
    ];

    pub fn name(self) -> &'static str {
        match self {
            GeometryType::Geometry => "GEOMETRY",
            GeometryType::Point => "POINT",
            GeometryType::LineString => "LINESTRING",
            GeometryType::Polygon => "POLYGON",
            GeometryType::MultiPoint => "MULTIPOINT",
            GeometryType::MultiLineString => "MULTILINESTRING",
            GeometryType::MultiPolygon => "MULTIPOLYGON",
            GeometryType::GeometryCollection => "GEOMETRYCOLLECTION",
            GeometryType::CircularString => "CIRCULARSTRING",
            GeometryType::CompoundCurve => "COMPOUNDCURVE",
            GeometryType::CurvePolygon => "CURVEPOLYGON",
            GeometryType::MultiCurve => "MULTICURVE",
            GeometryType::MultiSurface => "MULTISURFACE",
            GeometryType::Curve => "CURVE",
            GeometryType::Surface => "SURFACE",
        }
    }

    /// Parses a `geometry_type_name`, case-insensitively as GDAL does.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.name().eq_ignore_ascii_case(name))
    }

    /// The ISO WKB type code without the Z/M thousands.
    fn wkb_code(self) -> u32 {
        match self {
            GeometryType::Geometry => 0,
            GeometryType::Point => 1,
            GeometryType::LineString => 2,
            GeometryType::Polygon => 3,
            GeometryType::MultiPoint => 4,
            GeometryType::MultiLineString => 5,
            GeometryType::MultiPolygon => 6,
            GeometryType::GeometryCollection => 7,
            GeometryType::CircularString => 8,
            GeometryType::CompoundCurve => 9,
            GeometryType::CurvePolygon => 10,
            GeometryType::MultiCurve => 11,
            GeometryType::MultiSurface => 12,
            GeometryType::Curve => 13,
            GeometryType::Surface => 14,
        }
    }

    /// Whether a geometry of type `actual` may be stored in a column declared
    /// as `self`: the type itself or one below it in the GeoPackage's
    /// hierarchy (a curve column takes line strings, a multi-surface column
    /// multi-polygons), as GDAL judges it.
    pub fn accepts(self, actual: GeometryType) -> bool {
        use GeometryType as T;
        self == actual
            || match self {
                T::Geometry => true,
                T::Curve => matches!(actual, T::LineString | T::CircularString | T::CompoundCurve),
                T::Surface => matches!(actual, T::Polygon | T::CurvePolygon),
                T::CurvePolygon => actual == T::Polygon,
                T::MultiCurve => actual == T::MultiLineString,
                T::MultiSurface => actual == T::MultiPolygon,
                T::GeometryCollection => matches!(
                    actual,
                    T::MultiPoint | T::MultiLineString | T::MultiPolygon | T::MultiCurve | T::MultiSurface
                ),
                _ => false,
            }
    }
}

impl std::fmt::Display for GeometryType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Why a geometry blob could not be read or written.
#[derive(Debug, Error, PartialEq)]
pub enum GeometryError {
    /// The blob ended before the structure it announced.
    #[error("geometry blob is truncated (needed {needed} bytes at offset {offset}, have {len})")]
    Truncated { offset: usize, needed: usize, len: usize },
    /// The blob does not start with the GeoPackage magic `GP`.
    #[error("not a GeoPackage geometry blob (no 'GP' magic)")]
    NoMagic,
    /// A GeoPackage binary header version other than 0.
    #[error("unsupported GeoPackage geometry blob version {0}")]
    Version(u8),
    /// An envelope-contents indicator outside 0–4.
    #[error("invalid envelope indicator {0} in geometry header")]
    EnvelopeIndicator(u8),
    /// The extended-geometry flag: a vendor geometry type this reader does not know.
    #[error("extended (non-standard) GeoPackage geometry types are not supported")]
    Extended,
    /// A WKB byte-order byte other than 0 or 1.
    #[error("invalid WKB byte order {0}")]
    ByteOrder(u8),
    /// A WKB type code this reader does not decode (TIN, the abstract
    /// curve and surface, unknown numbers).
    #[error("unsupported WKB geometry type code {0}")]
    UnsupportedType(u32),
    /// A circular string whose point count is not odd and at least 3.
    #[error("a circular string needs an odd number of points, at least 3; this one has {0}")]
    CurvePoints(usize),
    /// A collection member whose type does not fit its container.
    #[error("{container} contains a {member}")]
    WrongMember {
        container: GeometryType,
        member: GeometryType,
    },
    /// Collections nested deeper than any real data.
    #[error("geometry collections nested more than {0} deep")]
    TooDeep(usize),
    /// Bytes left after the geometry ended.
    #[error("{0} unexpected bytes after the geometry")]
    TrailingBytes(usize),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names_round_trip() {
        for t in GeometryType::ALL {
            assert_eq!(GeometryType::from_name(t.name()), Some(t));
        }
        assert_eq!(
            GeometryType::from_name("multiPolygon"),
            Some(GeometryType::MultiPolygon)
        );
        assert_eq!(GeometryType::from_name("TIN"), None);
    }

    #[test]
    fn empty_geometries_have_no_envelope() {
        let g = Geometry {
            dim: Dimension::Xy,
            shape: Shape::Point(Coord::empty()),
        };
        assert!(g.is_empty());
        assert_eq!(g.envelope(), None);
        let line = Geometry::line_string([(1.0, 5.0), (-2.0, 3.0)]);
        let e = line.envelope().unwrap();
        assert_eq!((e.min_x, e.min_y, e.max_x, e.max_y), (-2.0, 3.0, 1.0, 5.0));
    }
}
