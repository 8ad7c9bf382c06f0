//! Vector tiles from a GeoPackage: R-tree query in the layer's CRS,
//! reprojection to Web Mercator with PROJ, clipping and simplification in
//! tile units, thinning of dense points at low zoom, MVT encoding.

use std::path::Path;

use super::clip::{clip_line, clip_ring, Rect, P};
use super::grid::{tile_size, TileId};
use super::mvt::{LayerBuilder, PropValue, TileGeometry, EXTENT};
use super::simplify::simplify;
use super::thin::thin;
use super::TileError;
use crate::crs::Transformer;
use crate::geom::{Coord, Envelope, Geometry, Shape};
use crate::gpkg::{GeoPackage, Layer, LayerKind, Value};

/// Tile units around the tile kept so that lines and labels join across edges.
pub const BUFFER: f64 = 64.0;
/// From this zoom on, every feature is kept with its full geometry.
pub const FULL_DETAIL_ZOOM: u8 = 16;
/// Points in one tile above which they are thinned (below FULL_DETAIL_ZOOM).
pub const THIN_ABOVE: usize = 2000;
const WEB_MERCATOR: i32 = 3857;

/// The attributes carried in tiles for Tongtin's own layers (enough to style,
/// label and identify; the rest is fetched by fid). Other layers carry all.
fn tile_properties(layer: &str) -> Option<&'static [&'static str]> {
    Some(match layer {
        "poles" => &["pole_no", "status", "pole_type"],
        "roads" => &["road_code", "name_th", "name_en", "class", "surface"],
        "drains" => &["drain_type"],
        "landmarks" => &["name_th", "name_en", "landmark_type"],
        "boundary" => &["name_th", "name_en"],
        "equipment" => &["asset_no", "name", "status"],
        _ => return None,
    })
}

struct SourceLayer {
    layer: Layer,
    /// The attribute columns, in the order feature values follow.
    columns: Vec<String>,
    /// Their declared SQL types.
    types: Vec<String>,
    to_mercator: Transformer,
    from_mercator: Transformer,
}

/// Makes vector tiles of one GeoPackage. Holds PROJ objects, which must stay
/// on one thread: the tile service gives each worker thread its own.
pub struct VectorTiler {
    gpkg: GeoPackage,
    layers: Vec<SourceLayer>,
}

impl VectorTiler {
    /// A tiler for the named feature layers (all feature layers when `None`).
    pub fn open(path: &Path, names: Option<&[String]>) -> Result<Self, TileError> {
        let gpkg = GeoPackage::open(path)?;
        let all = gpkg.layers()?;
        let chosen: Vec<Layer> = match names {
            Some(names) => names
                .iter()
                .map(|n| {
                    all.iter()
                        .find(|l| &l.name == n && l.kind == LayerKind::Features)
                        .cloned()
                        .ok_or_else(|| TileError::NotAFeatureLayer(n.clone()))
                })
                .collect::<Result<_, _>>()?,
            None => all.into_iter().filter(|l| l.kind == LayerKind::Features).collect(),
        };
        let mut layers = Vec::new();
        for layer in chosen {
            let srs = layer
                .srs
                .as_ref()
                .map_or(4326, |s| s.code.map_or(s.srs_id, |c| c as i32));
            let (columns, types) = gpkg
                .attribute_columns(&layer)?
                .into_iter()
                .map(|c| (c.name, c.declared_type))
                .unzip();
            layers.push(SourceLayer {
                layer,
                columns,
                types,
                to_mercator: Transformer::new(srs, WEB_MERCATOR)?,
                from_mercator: Transformer::new(WEB_MERCATOR, srs)?,
            });
        }
        Ok(VectorTiler { gpkg, layers })
    }

    /// Each layer with the properties its tiles carry and their MVT kinds
    /// ("Number" or "String"), as MBTiles metadata describes them.
    pub fn tile_fields(&self) -> Vec<(String, Vec<(String, &'static str)>)> {
        self.layers
            .iter()
            .map(|l| {
                let only = tile_properties(&l.layer.name);
                let fields = l
                    .columns
                    .iter()
                    .zip(&l.types)
                    .filter(|(c, _)| only.is_none_or(|o| o.contains(&c.as_str())))
                    .map(|(c, t)| {
                        let numeric = ["INT", "REAL", "DOUBLE", "FLOAT", "BOOLEAN", "NUMERIC"]
                            .iter()
                            .any(|n| t.to_uppercase().contains(n));
                        (c.clone(), if numeric { "Number" } else { "String" })
                    })
                    .collect();
                (l.layer.name.clone(), fields)
            })
            .collect()
    }

    /// A box in the first layer's CRS, in Web Mercator.
    pub fn to_mercator(&self, bbox: &Envelope) -> Result<Option<Envelope>, TileError> {
        self.layers
            .first()
            .map(|l| transform_envelope(bbox, &l.to_mercator))
            .transpose()
    }

    /// The extent of the chosen layers in Web Mercator.
    pub fn mercator_extent(&self) -> Result<Option<Envelope>, TileError> {
        let mut out: Option<Envelope> = None;
        for l in &self.layers {
            let Some(e) = l.layer.extent.or(self.gpkg.computed_extent(&l.layer)?) else {
                continue;
            };
            let m = transform_envelope(&e, &l.to_mercator)?;
            out = Some(out.map_or(m, |o| o.union(&m)));
        }
        Ok(out)
    }

    /// The tile as MVT bytes; a tile with no features is an empty message.
    pub fn tile(&self, id: TileId) -> Result<Vec<u8>, TileError> {
        let bounds = id.bounds();
        let scale = f64::from(EXTENT) / tile_size(id.z);
        let margin = BUFFER / scale;
        let query_mercator = Envelope::new(
            bounds.min_x - margin,
            bounds.min_y - margin,
            bounds.max_x + margin,
            bounds.max_y + margin,
        );
        let clip = Rect {
            min_x: -BUFFER,
            min_y: -BUFFER,
            max_x: f64::from(EXTENT) + BUFFER,
            max_y: f64::from(EXTENT) + BUFFER,
        };
        let tolerance = if id.z >= FULL_DETAIL_ZOOM { 0.0 } else { 4.0 };
        let mut out = Vec::new();
        for source in &self.layers {
            let query = transform_envelope(&query_mercator, &source.from_mercator)?;
            let props = tile_properties(&source.layer.name);
            let mut builder = LayerBuilder::new(&source.layer.name);
            let mut points: Vec<(u64, (f64, f64), Vec<(String, PropValue)>)> = Vec::new();
            let mut failure: Option<TileError> = None;
            self.gpkg.for_each_feature(&source.layer, Some(&query), |f| {
                let Some(mut geometry) = f.geometry else {
                    return Ok(());
                };
                if let Err(e) = source.to_mercator.transform(&mut geometry) {
                    failure.get_or_insert(e.into());
                    return Ok(());
                }
                geometry.map_coords(&mut |c: &mut Coord| {
                    c.x = (c.x - bounds.min_x) * scale;
                    c.y = (bounds.max_y - c.y) * scale;
                });
                let properties = properties_of(&source.columns, &f.values, props);
                let fid = f.fid as u64;
                match to_tile_geometry(&geometry, &clip, tolerance) {
                    Some(TileGeometry::Points(ps)) => points.extend(
                        ps.into_iter()
                            .map(|p| (fid, (f64::from(p.0), f64::from(p.1)), properties.clone())),
                    ),
                    Some(g) => builder.add(fid, &g, &as_refs(&properties)),
                    None => {}
                }
                Ok(())
            })?;
            if let Some(e) = failure {
                return Err(e);
            }
            if builder.is_empty() && points.is_empty() {
                continue;
            }
            add_points(&mut builder, points, id.z);
            builder.write_to(&mut out);
        }
        Ok(out)
    }
}

impl super::source::TileSource for VectorTiler {
    fn content_type(&self) -> &'static str {
        "application/vnd.mapbox-vector-tile"
    }

    fn tile(&self, id: TileId) -> Result<Vec<u8>, TileError> {
        VectorTiler::tile(self, id)
    }
}

fn as_refs(props: &[(String, PropValue)]) -> Vec<(&str, PropValue)> {
    props.iter().map(|(k, v)| (k.as_str(), v.clone())).collect()
}

fn add_points(builder: &mut LayerBuilder, points: Vec<(u64, (f64, f64), Vec<(String, PropValue)>)>, z: u8) {
    if z >= FULL_DETAIL_ZOOM || points.len() <= THIN_ABOVE {
        for (id, p, props) in &points {
            builder.add(
                *id,
                &TileGeometry::Points(vec![(p.0 as i32, p.1 as i32)]),
                &as_refs(props),
            );
        }
        return;
    }
    let positions: Vec<(f64, f64)> = points.iter().map(|p| p.1).collect();
    let cell = f64::from(EXTENT) / 256.0;
    for (i, count) in thin(&positions, cell) {
        let (id, p, props) = &points[i];
        let mut props = as_refs(props);
        props.push(("point_count", PropValue::Int(i64::from(count))));
        builder.add(*id, &TileGeometry::Points(vec![(p.0 as i32, p.1 as i32)]), &props);
    }
}

fn properties_of(columns: &[String], values: &[Value], only: Option<&[&str]>) -> Vec<(String, PropValue)> {
    columns
        .iter()
        .zip(values)
        .filter(|(c, _)| only.is_none_or(|o| o.contains(&c.as_str())))
        .filter_map(|(c, v)| {
            let p = match v {
                Value::Text(t) => PropValue::Text(t.clone()),
                Value::Integer(i) => PropValue::Int(*i),
                Value::Real(r) => PropValue::Double(*r),
                Value::Null | Value::Blob(_) => return None,
            };
            Some((c.clone(), p))
        })
        .collect()
}

/// Transforms a box by sampling its edges (projections bend straight edges).
pub(crate) fn transform_envelope(e: &Envelope, t: &Transformer) -> Result<Envelope, TileError> {
    let mut out: Option<Envelope> = None;
    const STEPS: usize = 8;
    for i in 0..=STEPS {
        let f = i as f64 / STEPS as f64;
        for (x, y) in [
            (e.min_x + f * e.width(), e.min_y),
            (e.min_x + f * e.width(), e.max_y),
            (e.min_x, e.min_y + f * e.height()),
            (e.max_x, e.min_y + f * e.height()),
        ] {
            let (tx, ty) = t.convert(x, y)?;
            match out.as_mut() {
                Some(o) => o.expand_xy(tx, ty),
                None => out = Some(Envelope::from_xy(tx, ty)),
            }
        }
    }
    Ok(out.expect("a box has corners"))
}

/// Clips, simplifies and rounds a geometry already in tile units.
fn to_tile_geometry(g: &Geometry, clip: &Rect, tolerance: f64) -> Option<TileGeometry> {
    let pt = |c: &Coord| -> P { (c.x, c.y) };
    let round = |ps: &[P]| -> Vec<(i32, i32)> {
        let mut out: Vec<(i32, i32)> = Vec::with_capacity(ps.len());
        for p in ps {
            let q = (p.0.round() as i32, p.1.round() as i32);
            if out.last() != Some(&q) {
                out.push(q);
            }
        }
        out
    };
    let lines = |parts: Vec<&Vec<Coord>>| -> Vec<Vec<(i32, i32)>> {
        parts
            .into_iter()
            .flat_map(|l| clip_line(&l.iter().map(pt).collect::<Vec<_>>(), clip))
            .map(|l| round(&simplify(&l, tolerance)))
            .filter(|l| l.len() >= 2)
            .collect()
    };
    let polygon = |rings: &Vec<Vec<Coord>>| -> Vec<Vec<(i32, i32)>> {
        let mut out = Vec::new();
        for (i, ring) in rings.iter().enumerate() {
            let clipped = clip_ring(&ring.iter().map(pt).collect::<Vec<_>>(), clip);
            let r = round(&simplify(&clipped, tolerance));
            if r.len() < 4 {
                if i == 0 {
                    return Vec::new();
                }
                continue;
            }
            out.push(r);
        }
        out
    };
    let keep = |ps: Vec<(i32, i32)>| (!ps.is_empty()).then_some(ps);
    match &g.shape {
        Shape::Point(c) => keep(
            round(&[pt(c)])
                .into_iter()
                .filter(|p| clip.contains((f64::from(p.0), f64::from(p.1))))
                .collect(),
        )
        .map(TileGeometry::Points),
        Shape::MultiPoint(cs) => keep(
            cs.iter()
                .map(|c| (c.x.round() as i32, c.y.round() as i32))
                .filter(|p| clip.contains((f64::from(p.0), f64::from(p.1))))
                .collect(),
        )
        .map(TileGeometry::Points),
        Shape::LineString(l) => Some(lines(vec![l])).filter(|v| !v.is_empty()).map(TileGeometry::Lines),
        Shape::MultiLineString(ls) => Some(lines(ls.iter().collect()))
            .filter(|v| !v.is_empty())
            .map(TileGeometry::Lines),
        Shape::Polygon(rings) => Some(polygon(rings))
            .filter(|p| !p.is_empty())
            .map(|p| TileGeometry::Polygons(vec![p])),
        Shape::MultiPolygon(polys) => {
            let ps: Vec<_> = polys.iter().map(polygon).filter(|p| !p.is_empty()).collect();
            (!ps.is_empty()).then_some(TileGeometry::Polygons(ps))
        }
        // MVT has no collections: a collection is drawn by its first drawable part.
        Shape::GeometryCollection(parts) => parts.iter().find_map(|p| to_tile_geometry(p, clip, tolerance)),
    }
}
