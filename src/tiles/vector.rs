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
use crate::gpkg::{Column, FeatureQuery, GeoPackage, Layer, LayerKind, Value};

/// Tile units around the tile kept so that lines and labels join across edges.
pub const BUFFER: f64 = 64.0;

/// A tile's bounds in Web Mercator grown by [`BUFFER`]: what a vector tile
/// (features or contours) reads, so lines continue across tile edges.
pub fn buffered_bounds(id: TileId) -> Envelope {
    let bounds = id.bounds();
    let margin = BUFFER * tile_size(id.z) / f64::from(EXTENT);
    Envelope::new(
        bounds.min_x - margin,
        bounds.min_y - margin,
        bounds.max_x + margin,
        bounds.max_y + margin,
    )
}
/// From this zoom on, every feature is kept with its full geometry.
pub const FULL_DETAIL_ZOOM: u8 = 16;
/// The side of the thinning cell in screen pixels: one point per 3 × 3 px
/// still shows where every group of poles is, with a ninth of the points
/// for the renderer to hold (a million-pole overview otherwise takes over a
/// gigabyte in the web view).
pub const THIN_CELL_PIXELS: f64 = 3.0;
/// Points in one tile above which they are thinned (below FULL_DETAIL_ZOOM).
pub const THIN_ABOVE: usize = 2000;
/// Points in one tile above which only their positions are read (below FULL_DETAIL_ZOOM).
pub const DENSE_POINTS: i64 = 50_000;
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
    /// The reading of the layer, prepared once: only the tile properties.
    query: FeatureQuery,
    /// The layer's CRS (EPSG code).
    srs: i32,
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
            let query = gpkg.feature_query(&layer, tile_properties(&layer.name))?;
            layers.push(SourceLayer {
                layer,
                query,
                srs,
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
                let fields = l
                    .query
                    .columns
                    .iter()
                    .map(|c| {
                        let t = c.declared_type.to_uppercase();
                        let numeric = ["INT", "REAL", "DOUBLE", "FLOAT", "BOOLEAN", "NUMERIC"]
                            .iter()
                            .any(|n| t.contains(n));
                        (c.name.clone(), if numeric { "Number" } else { "String" })
                    })
                    .collect();
                (l.layer.name.clone(), fields)
            })
            .collect()
    }

    /// Calls `visit` with the Web Mercator envelope of every feature, padded
    /// so that it surely covers the feature (corners only are transformed;
    /// the grid convergence of UTM in Thailand stays under 2°).
    pub fn feature_envelopes(&self, mut visit: impl FnMut(Envelope)) -> Result<(), TileError> {
        for source in &self.layers {
            let mut emit = |e: Envelope| -> Result<(), TileError> {
                let (ax, ay) = source.to_mercator.convert(e.min_x, e.min_y)?;
                let (bx, by) = source.to_mercator.convert(e.max_x, e.max_y)?;
                let m = Envelope::new(ax.min(bx), ay.min(by), ax.max(bx), ay.max(by));
                let pad = 0.04 * m.width().max(m.height()) + 1.0;
                visit(Envelope::new(
                    m.min_x - pad,
                    m.min_y - pad,
                    m.max_x + pad,
                    m.max_y + pad,
                ));
                Ok(())
            };
            match (self.gpkg.has_spatial_index(&source.layer)?, source.layer.rtree_name()) {
                (true, Some(rtree)) => {
                    let sql = format!(
                        "SELECT minx, miny, maxx, maxy FROM {}",
                        crate::gpkg::quote_ident(&rtree)
                    );
                    let context = || format!("reading the spatial index of '{}'", source.layer.name);
                    let conn = self.gpkg.connection();
                    let mut stmt = conn.prepare(&sql).map_err(|e| crate::gpkg::GpkgError::Sqlite {
                        context: context(),
                        source: e,
                    })?;
                    let mut rows = stmt.query([]).map_err(|e| crate::gpkg::GpkgError::Sqlite {
                        context: context(),
                        source: e,
                    })?;
                    while let Some(r) = rows.next().map_err(|e| crate::gpkg::GpkgError::Sqlite {
                        context: context(),
                        source: e,
                    })? {
                        let v = |i| r.get::<_, f64>(i).unwrap_or(f64::NAN);
                        emit(Envelope::new(v(0), v(1), v(2), v(3)))?;
                    }
                }
                _ => {
                    let mut failure = None;
                    self.gpkg.run_query(&source.query, None, |f| {
                        if let Some(e) = f.geometry.as_ref().and_then(Geometry::envelope) {
                            if let Err(err) = emit(e) {
                                failure.get_or_insert(err);
                            }
                        }
                        Ok(())
                    })?;
                    if let Some(e) = failure {
                        return Err(e);
                    }
                }
            }
        }
        Ok(())
    }

    /// A box in the first layer's CRS, in Web Mercator.
    pub fn to_mercator(&self, bbox: &Envelope) -> Result<Option<Envelope>, TileError> {
        self.layers
            .first()
            .map(|l| l.to_mercator.transform_envelope(bbox))
            .transpose()
            .map_err(TileError::from)
    }

    /// The extent of the chosen layers in Web Mercator.
    pub fn mercator_extent(&self) -> Result<Option<Envelope>, TileError> {
        let mut out: Option<Envelope> = None;
        for l in &self.layers {
            let Some(e) = l.layer.extent.or(self.gpkg.computed_extent(&l.layer)?) else {
                continue;
            };
            let m = l.to_mercator.transform_envelope(&e)?;
            out = Some(out.map_or(m, |o| o.union(&m)));
        }
        Ok(out)
    }

    /// The tile as MVT bytes; a tile with no features is an empty message.
    pub fn tile(&self, id: TileId) -> Result<Vec<u8>, TileError> {
        let bounds = id.bounds();
        let scale = f64::from(EXTENT) / tile_size(id.z);
        let query_mercator = buffered_bounds(id);
        let clip = Rect {
            min_x: -BUFFER,
            min_y: -BUFFER,
            max_x: f64::from(EXTENT) + BUFFER,
            max_y: f64::from(EXTENT) + BUFFER,
        };
        let tolerance = if id.z >= FULL_DETAIL_ZOOM { 0.0 } else { 4.0 };
        let mut out = Vec::new();
        let mut boxes: Vec<(i32, Envelope)> = Vec::with_capacity(1);
        for source in &self.layers {
            let query = match boxes.iter().find(|(srs, _)| *srs == source.srs) {
                Some((_, b)) => *b,
                None => {
                    let b = source.from_mercator.transform_envelope(&query_mercator)?;
                    boxes.push((source.srs, b));
                    b
                }
            };
            let mut builder = LayerBuilder::new(&source.layer.name);
            if id.z < FULL_DETAIL_ZOOM && self.dense_points(source, &query, &bounds, scale, &clip, &mut builder)? {
                if !builder.is_empty() {
                    builder.write_to(&mut out);
                }
                continue;
            }
            let mut points: Vec<(u64, (f64, f64), Props<'_>)> = Vec::new();
            let mut failure: Option<TileError> = None;
            self.gpkg.run_query(&source.query, Some(&query), |f| {
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
                let properties = properties_of(&source.query.columns, f.values);
                let fid = f.fid as u64;
                match to_tile_geometry(&geometry, &clip, tolerance) {
                    Some(TileGeometry::Points(ps)) => points.extend(
                        ps.into_iter()
                            .map(|p| (fid, (f64::from(p.0), f64::from(p.1)), properties.clone())),
                    ),
                    Some(g) => builder.add(fid, &g, &properties),
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

impl VectorTiler {
    /// For a point layer with more than [`DENSE_POINTS`] points in the tile:
    /// positions straight from the R-tree, thinned to one per screen pixel
    /// before reprojection, carrying only `point_count`. Returns false (and
    /// does nothing) when the layer is not that dense here.
    fn dense_points(
        &self,
        source: &SourceLayer,
        query: &Envelope,
        bounds: &Envelope,
        scale: f64,
        clip: &Rect,
        builder: &mut LayerBuilder,
    ) -> Result<bool, TileError> {
        if source.layer.geometry_type != Some(crate::geom::GeometryType::Point) {
            return Ok(false);
        }
        let Some(rtree) = source
            .layer
            .rtree_name()
            .filter(|_| self.gpkg.has_spatial_index(&source.layer).unwrap_or(false))
        else {
            return Ok(false);
        };
        let conn = self.gpkg.connection();
        let sql_err = |e| {
            TileError::Gpkg(crate::gpkg::GpkgError::Sqlite {
                context: format!("reading the spatial index of '{}'", source.layer.name),
                source: e,
            })
        };
        let range = "WHERE minx <= ?3 AND maxx >= ?1 AND miny <= ?4 AND maxy >= ?2";
        let params = [query.min_x, query.min_y, query.max_x, query.max_y];
        let count: i64 = conn
            .prepare_cached(&format!(
                "SELECT COUNT(*) FROM {} {range}",
                crate::gpkg::quote_ident(&rtree)
            ))
            .and_then(|mut s| s.query_row(params, |r| r.get(0)))
            .map_err(sql_err)?;
        if count <= DENSE_POINTS {
            return Ok(false);
        }
        // The thinning cell in the layer's metres.
        let cell = query.width().max(query.height()) / (f64::from(EXTENT) + 2.0 * BUFFER)
            * (f64::from(EXTENT) / 256.0)
            * THIN_CELL_PIXELS;
        let mut stmt = conn
            .prepare_cached(&format!(
                "SELECT id, minx, miny FROM {} {range}",
                crate::gpkg::quote_ident(&rtree)
            ))
            .map_err(sql_err)?;
        let rows = stmt
            .query_map(params, |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, f64>(1)?, r.get::<_, f64>(2)?))
            })
            .map_err(sql_err)?;
        let mut ids = Vec::with_capacity(count as usize);
        let mut positions = Vec::with_capacity(count as usize);
        for row in rows {
            let (fid, x, y) = row.map_err(sql_err)?;
            ids.push(fid);
            positions.push((x, y));
        }
        for (i, n) in thin(&positions, cell) {
            let (x, y) = source.to_mercator.convert(positions[i].0, positions[i].1)?;
            let p = ((x - bounds.min_x) * scale, (bounds.max_y - y) * scale);
            if clip.contains(p) {
                builder.add(
                    ids[i] as u64,
                    &TileGeometry::Points(vec![(p.0.round() as i32, p.1.round() as i32)]),
                    &[("point_count", PropValue::Int(i64::from(n)))],
                );
            }
        }
        Ok(true)
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

fn add_points(builder: &mut LayerBuilder, points: Vec<(u64, (f64, f64), Props<'_>)>, z: u8) {
    if z >= FULL_DETAIL_ZOOM || points.len() <= THIN_ABOVE {
        for (id, p, props) in &points {
            builder.add(*id, &TileGeometry::Points(vec![(p.0 as i32, p.1 as i32)]), props);
        }
        return;
    }
    let positions: Vec<(f64, f64)> = points.iter().map(|p| p.1).collect();
    let cell = f64::from(EXTENT) / 256.0 * THIN_CELL_PIXELS;
    for (i, count) in thin(&positions, cell) {
        let (id, p, props) = &points[i];
        let mut props = props.clone();
        props.push(("point_count", PropValue::Int(i64::from(count))));
        builder.add(*id, &TileGeometry::Points(vec![(p.0 as i32, p.1 as i32)]), &props);
    }
}

/// A feature's tile properties, keyed by the column names of the query.
type Props<'a> = Vec<(&'a str, PropValue)>;

fn properties_of(columns: &[Column], values: Vec<Value>) -> Props<'_> {
    columns
        .iter()
        .zip(values)
        .filter_map(|(c, v)| {
            let p = match v {
                Value::Text(t) => PropValue::Text(t),
                Value::Integer(i) => PropValue::Int(i),
                Value::Real(r) => PropValue::Double(r),
                Value::Null | Value::Blob(_) => return None,
            };
            Some((c.name.as_str(), p))
        })
        .collect()
}

/// Whether a line reaches beyond one screen pixel; shorter ones are invisible
/// below full detail and only weigh on the renderer (a million-pole overview
/// has 200,000 road sections).
fn spans_a_pixel(line: &[(i32, i32)]) -> bool {
    let pixel = (EXTENT / 256) as i32;
    let (mut min, mut max) = (line[0], line[0]);
    for &(x, y) in line {
        min = (min.0.min(x), min.1.min(y));
        max = (max.0.max(x), max.1.max(y));
    }
    max.0 - min.0 >= pixel || max.1 - min.1 >= pixel
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
            .filter(|l| l.len() >= 2 && (tolerance == 0.0 || spans_a_pixel(l)))
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
