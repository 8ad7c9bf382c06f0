//! The GeoPackage binary geometry header (GeoPackage 1.2, clause 2.1.3).
//!
//! `GP`, version 0, a flags byte (envelope kind, empty, byte order), the SRS
//! id and an optional envelope, followed by ISO WKB.

use super::{read_wkb, stored_type, write_wkb, Envelope, Geometry, GeometryError, GeometryType, Shape};

/// What the header says, read without decoding the WKB body.
#[derive(Clone, Debug, PartialEq)]
pub struct GpbHeader {
    pub srs_id: i32,
    pub empty: bool,
    pub envelope: Option<Envelope>,
    /// Offset of the WKB body in the blob.
    pub wkb_offset: usize,
}

/// A decoded geometry blob.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredGeometry {
    pub srs_id: i32,
    pub envelope: Option<Envelope>,
    pub geometry: Geometry,
    /// The type the blob holds: a curve type where `geometry` has its lines.
    pub stored_type: GeometryType,
}

pub fn read_header(blob: &[u8]) -> Result<GpbHeader, GeometryError> {
    if blob.len() < 8 {
        return Err(GeometryError::Truncated {
            offset: 0,
            needed: 8,
            len: blob.len(),
        });
    }
    if &blob[0..2] != b"GP" {
        return Err(GeometryError::NoMagic);
    }
    if blob[2] != 0 {
        return Err(GeometryError::Version(blob[2]));
    }
    let flags = blob[3];
    if flags & 0b0010_0000 != 0 {
        return Err(GeometryError::Extended);
    }
    let empty = flags & 0b0001_0000 != 0;
    let indicator = (flags >> 1) & 0b111;
    let little = flags & 1 == 1;
    let doubles = match indicator {
        0 => 0,
        1 => 4,
        2 | 3 => 6,
        4 => 8,
        other => return Err(GeometryError::EnvelopeIndicator(other)),
    };
    let srs_bytes: [u8; 4] = blob[4..8].try_into().expect("4 bytes");
    let srs_id = if little {
        i32::from_le_bytes(srs_bytes)
    } else {
        i32::from_be_bytes(srs_bytes)
    };
    let wkb_offset = 8 + doubles * 8;
    if blob.len() < wkb_offset {
        return Err(GeometryError::Truncated {
            offset: 8,
            needed: doubles * 8,
            len: blob.len(),
        });
    }
    let read = |i: usize| {
        let b: [u8; 8] = blob[8 + i * 8..16 + i * 8].try_into().expect("8 bytes");
        if little {
            f64::from_le_bytes(b)
        } else {
            f64::from_be_bytes(b)
        }
    };
    // The envelope is stored as minx, maxx, miny, maxy (then z and m ranges).
    let envelope = (doubles > 0).then(|| Envelope::new(read(0), read(2), read(1), read(3)));
    Ok(GpbHeader {
        srs_id,
        empty,
        envelope,
        wkb_offset,
    })
}

pub fn decode_blob(blob: &[u8]) -> Result<StoredGeometry, GeometryError> {
    let header = read_header(blob)?;
    let wkb = &blob[header.wkb_offset..];
    let geometry = read_wkb(wkb)?;
    Ok(StoredGeometry {
        srs_id: header.srs_id,
        envelope: header.envelope,
        geometry,
        stored_type: stored_type(wkb)?,
    })
}

/// Encodes a geometry as GDAL does: little endian, no envelope for points,
/// an XY envelope for everything else, the empty flag for empty geometries.
pub fn encode_blob(geometry: &Geometry, srs_id: i32) -> Vec<u8> {
    let empty = geometry.is_empty();
    let envelope = match geometry.shape {
        Shape::Point(_) => None,
        _ if empty => None,
        _ => geometry.envelope(),
    };
    let mut out = Vec::with_capacity(64);
    out.extend_from_slice(b"GP");
    out.push(0);
    let mut flags = 1u8;
    if empty {
        flags |= 0b0001_0000;
    }
    if envelope.is_some() {
        flags |= 0b0000_0010;
    }
    out.push(flags);
    out.extend_from_slice(&srs_id.to_le_bytes());
    if let Some(e) = envelope {
        for v in [e.min_x, e.max_x, e.min_y, e.max_y] {
            out.extend_from_slice(&v.to_le_bytes());
        }
    }
    write_wkb(geometry, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geom::{Coord, Dimension};

    #[test]
    fn blob_round_trip_keeps_srs_and_envelope() {
        let line = Geometry::line_string([(800_000.0, 1_880_000.0), (800_100.0, 1_879_950.0)]);
        let blob = encode_blob(&line, 32648);
        let header = read_header(&blob).unwrap();
        assert_eq!(header.srs_id, 32648);
        assert!(!header.empty);
        assert_eq!(
            header.envelope,
            Some(Envelope::new(800_000.0, 1_879_950.0, 800_100.0, 1_880_000.0))
        );
        let back = decode_blob(&blob).unwrap();
        assert_eq!(back.geometry, line);
        assert_eq!(encode_blob(&back.geometry, back.srs_id), blob);
    }

    #[test]
    fn empty_point_sets_the_empty_flag() {
        let g = Geometry {
            dim: Dimension::Xy,
            shape: Shape::Point(Coord::empty()),
        };
        let header = read_header(&encode_blob(&g, 4326)).unwrap();
        assert!(header.empty);
        assert_eq!(header.envelope, None);
    }

    #[test]
    fn bad_headers_are_errors() {
        assert_eq!(read_header(b"XX\0\x01\0\0\0\0"), Err(GeometryError::NoMagic));
        assert_eq!(read_header(b"GP\x01\x01\0\0\0\0"), Err(GeometryError::Version(1)));
        assert_eq!(
            read_header(b"GP\0\x0b\0\0\0\0"),
            Err(GeometryError::EnvelopeIndicator(5))
        );
        assert!(matches!(
            read_header(b"GP\0\x03\0\0\0\0"),
            Err(GeometryError::Truncated { .. })
        ));
        assert!(read_header(b"GP").is_err());
    }
}
