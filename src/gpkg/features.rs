use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::ToSql;
use serde::Serialize;

use super::{quote_ident, GeoPackage, GpkgError, Layer, Result, SqlContext};
use crate::geom::{decode_blob, Envelope, Geometry};

/// An attribute value as SQLite stores it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Value {
    Null,
    Integer(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

impl Value {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Text(s) => Some(s),
            _ => None,
        }
    }
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Integer(i) => Some(*i as f64),
            Value::Real(r) => Some(*r),
            _ => None,
        }
    }
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }
}

impl std::fmt::Display for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Value::Null => f.write_str("NULL"),
            Value::Integer(i) => write!(f, "{i}"),
            Value::Real(r) => write!(f, "{r}"),
            Value::Text(t) => f.write_str(t),
            Value::Blob(b) => write!(f, "<{} bytes>", b.len()),
        }
    }
}

impl From<ValueRef<'_>> for Value {
    fn from(v: ValueRef<'_>) -> Self {
        match v {
            ValueRef::Null => Value::Null,
            ValueRef::Integer(i) => Value::Integer(i),
            ValueRef::Real(r) => Value::Real(r),
            ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
            ValueRef::Blob(b) => Value::Blob(b.to_vec()),
        }
    }
}

impl ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            Value::Null => ToSqlOutput::Borrowed(ValueRef::Null),
            Value::Integer(i) => ToSqlOutput::Borrowed(ValueRef::Integer(*i)),
            Value::Real(r) => ToSqlOutput::Borrowed(ValueRef::Real(*r)),
            Value::Text(t) => ToSqlOutput::Borrowed(ValueRef::Text(t.as_bytes())),
            Value::Blob(b) => ToSqlOutput::Borrowed(ValueRef::Blob(b)),
        })
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::Text(s.to_string())
    }
}
impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::Text(s)
    }
}
impl From<i64> for Value {
    fn from(i: i64) -> Self {
        Value::Integer(i)
    }
}
impl From<f64> for Value {
    fn from(r: f64) -> Self {
        Value::Real(r)
    }
}
impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Null, Into::into)
    }
}

/// A column of a user table, from `PRAGMA table_info`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Column {
    pub name: String,
    pub declared_type: String,
    pub not_null: bool,
    pub primary_key: bool,
}

/// One row of a feature or attribute table. `values` follow [`FeatureSet::columns`].
#[derive(Clone, Debug, PartialEq)]
pub struct Feature {
    pub fid: i64,
    /// `None` for a NULL geometry (and always for attribute tables).
    pub geometry: Option<Geometry>,
    pub values: Vec<Value>,
}

/// Features with the attribute columns their values follow.
#[derive(Clone, Debug, PartialEq)]
pub struct FeatureSet {
    pub columns: Vec<Column>,
    pub features: Vec<Feature>,
}

impl FeatureSet {
    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }
    pub fn value<'a>(&self, feature: &'a Feature, column: &str) -> Option<&'a Value> {
        self.column_index(column).and_then(|i| feature.values.get(i))
    }
}

impl GeoPackage {
    /// Every column of a table, in table order.
    pub fn table_columns(&self, table: &str) -> Result<Vec<Column>> {
        let mut stmt = self
            .conn
            .prepare(&format!("PRAGMA table_info({})", quote_ident(table)))
            .context("reading the table layout")?;
        let columns = stmt
            .query_map([], |r| {
                Ok(Column {
                    name: r.get(1)?,
                    declared_type: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
                    not_null: r.get::<_, i64>(3)? != 0,
                    primary_key: r.get::<_, i64>(5)? != 0,
                })
            })
            .context("reading the table layout")?
            .collect::<rusqlite::Result<Vec<_>>>()
            .context("reading the table layout")?;
        if columns.is_empty() {
            return Err(GpkgError::NoSuchLayer(table.to_string()));
        }
        Ok(columns)
    }

    /// The integer primary key of a table (`rowid` when it declares none).
    pub fn primary_key(&self, table: &str) -> Result<String> {
        let columns = self.table_columns(table)?;
        Ok(columns
            .into_iter()
            .find(|c| c.primary_key)
            .map_or_else(|| "rowid".to_string(), |c| c.name))
    }

    /// The attribute columns of a layer (all but the primary key and geometry),
    /// in the order [`Feature::values`] follows.
    pub fn attribute_columns(&self, layer: &Layer) -> Result<Vec<Column>> {
        Ok(self.split_columns(layer)?.1)
    }

    fn split_columns(&self, layer: &Layer) -> Result<(String, Vec<Column>)> {
        let all = self.table_columns(&layer.name)?;
        let pk = all
            .iter()
            .find(|c| c.primary_key)
            .map_or("rowid", |c| c.name.as_str())
            .to_string();
        let attrs = all
            .into_iter()
            .filter(|c| c.name != pk && Some(&c.name) != layer.geometry_column.as_ref())
            .collect();
        Ok((pk, attrs))
    }

    /// Reads every feature of `layer`, or those whose envelope meets `bbox`.
    pub fn read_features(&self, layer: &Layer, bbox: Option<&Envelope>) -> Result<FeatureSet> {
        let mut features = Vec::new();
        let columns = self.for_each_feature(layer, bbox, |f| {
            features.push(f);
            Ok(())
        })?;
        Ok(FeatureSet { columns, features })
    }

    /// Streams the features of `layer` (those meeting `bbox` if given) to `visit`
    /// and returns the attribute columns their values follow.
    ///
    /// With an R-tree the index proposes candidates; every candidate (or,
    /// without an index, every row) is then tested exactly against the box,
    /// as GDAL does, so the result is the same either way.
    pub fn for_each_feature(
        &self,
        layer: &Layer,
        bbox: Option<&Envelope>,
        visit: impl FnMut(Feature) -> Result<()>,
    ) -> Result<Vec<Column>> {
        let query = self.feature_query(layer, None)?;
        self.run_query(&query, bbox, visit)?;
        Ok(query.columns)
    }

    /// Prepares the reading of a layer once, for callers that read it often
    /// (a tile per request): the column list, the SQL and whether an R-tree exists.
    /// `columns` limits the attributes read (all when `None`; unknown names are skipped).
    pub fn feature_query(&self, layer: &Layer, columns: Option<&[&str]>) -> Result<FeatureQuery> {
        let (pk, attrs) = self.split_columns(layer)?;
        let attrs: Vec<Column> = attrs
            .into_iter()
            .filter(|c| columns.is_none_or(|only| only.contains(&c.name.as_str())))
            .collect();
        let mut select = vec![
            quote_ident(&pk),
            layer.geometry_column.as_deref().map_or("NULL".into(), quote_ident),
        ];
        select.extend(attrs.iter().map(|c| quote_ident(&c.name)));
        let table = quote_ident(&layer.name);
        let all = format!("SELECT {} FROM {table}", select.join(", "));
        let indexed = self.has_spatial_index(layer)?.then(|| {
            format!(
                "{all} WHERE {} IN (SELECT id FROM {} WHERE minx <= ?3 AND maxx >= ?1 AND miny <= ?4 AND maxy >= ?2)",
                quote_ident(&pk),
                quote_ident(&layer.rtree_name().unwrap_or_default())
            )
        });
        Ok(FeatureQuery {
            layer: layer.name.clone(),
            columns: attrs,
            all,
            indexed,
        })
    }

    /// Runs a prepared [`FeatureQuery`]; see [`GeoPackage::for_each_feature`].
    pub fn run_query(
        &self,
        query: &FeatureQuery,
        bbox: Option<&Envelope>,
        mut visit: impl FnMut(Feature) -> Result<()>,
    ) -> Result<()> {
        let read_err = |e: rusqlite::Error| GpkgError::Corrupt {
            path: self.path().to_path_buf(),
            detail: format!("reading layer '{}': {e}", query.layer),
        };
        let (sql, params) = match (bbox, &query.indexed) {
            (Some(b), Some(sql)) => (sql.as_str(), vec![b.min_x, b.min_y, b.max_x, b.max_y]),
            _ => (query.all.as_str(), Vec::new()),
        };
        let mut stmt = self.conn.prepare_cached(sql).map_err(read_err)?;
        let mut rows = stmt.query(rusqlite::params_from_iter(params)).map_err(read_err)?;
        let n = query.columns.len();
        while let Some(row) = rows.next().map_err(read_err)? {
            let fid: i64 = row.get(0).map_err(read_err)?;
            let geometry = match row.get_ref(1).map_err(read_err)? {
                ValueRef::Blob(b) => Some(
                    decode_blob(b)
                        .map_err(|source| GpkgError::BadGeometry {
                            table: query.layer.clone(),
                            fid,
                            source,
                        })?
                        .geometry,
                ),
                _ => None,
            };
            // The R-tree holds float32 bounds rounded outwards and only
            // envelopes: its candidates are refined with the exact geometry.
            if let Some(b) = bbox {
                if !geometry.as_ref().is_some_and(|g| g.intersects_envelope(b)) {
                    continue;
                }
            }
            let values = (0..n)
                .map(|i| row.get_ref(i + 2).map(Value::from))
                .collect::<rusqlite::Result<Vec<_>>>()
                .map_err(read_err)?;
            visit(Feature { fid, geometry, values })?;
        }
        Ok(())
    }
}

/// A layer's reading prepared once: see [`GeoPackage::feature_query`].
#[derive(Clone, Debug)]
pub struct FeatureQuery {
    layer: String,
    /// The attribute columns read, in the order [`Feature::values`] follows.
    pub columns: Vec<Column>,
    all: String,
    indexed: Option<String>,
}
