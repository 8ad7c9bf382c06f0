use std::cell::RefCell;
use std::collections::HashMap;

use rusqlite::{params_from_iter, Statement, ToSql, Transaction};

use super::{quote_ident, quote_literal, GeoPackage, GeometryColumnDef, GpkgError, Result, SqlContext, TableDef};
use crate::geom::{encode_blob, Envelope, Geometry};

/// One transaction of writes. Everything done through it commits together or
/// not at all; on commit, `gpkg_contents` extents and `last_change` of every
/// table touched are brought up to date in the same transaction.
pub struct Batch<'a> {
    tx: Transaction<'a>,
    touched: RefCell<HashMap<String, Option<Envelope>>>,
}

impl GeoPackage {
    /// Runs `f` in one transaction; an error from `f` rolls everything back.
    pub fn write<T, E: From<GpkgError>>(&mut self, f: impl FnOnce(&Batch<'_>) -> Result<T, E>) -> Result<T, E> {
        if !self.is_writable() {
            return Err(GpkgError::ReadOnly {
                path: self.path().to_path_buf(),
            }
            .into());
        }
        // IMMEDIATE: take the write lock before reading, so that what a batch
        // reads cannot be changed by another writer before it commits.
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .context("starting a transaction")?;
        let batch = Batch {
            tx,
            touched: RefCell::new(HashMap::new()),
        };
        let out = f(&batch)?;
        batch.commit()?;
        Ok(out)
    }
}

impl<'a> Batch<'a> {
    /// The transaction's connection, for statements of modules that keep their own tables.
    pub fn sql(&self) -> &rusqlite::Connection {
        &self.tx
    }

    /// Creates a feature or attribute table and registers it; a feature table
    /// gets its spatial index and row count with [`Batch::index_table`] once its rows are in.
    pub fn create_table(&self, def: &TableDef) -> Result<()> {
        let exists: bool = self
            .tx
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE name = ?1)",
                [&def.name],
                |r| r.get(0),
            )
            .context("reading the schema")?;
        if exists {
            return Err(GpkgError::LayerExists(def.name.clone()));
        }
        if let Some(g) = &def.geometry {
            self.ensure_srs(g.srs_id)?;
        }
        let what = format!("creating table '{}'", def.name);
        self.tx.execute_batch(&def.create_sql()).context(what.clone())?;
        self.tx.execute_batch(&def.contents_sql()).context(what.clone())?;
        if let Some(g) = &def.geometry {
            self.tx
                .execute(
                    "INSERT INTO gpkg_geometry_columns (table_name, column_name, geometry_type_name, srs_id, z, m) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    rusqlite::params![def.name, g.name, g.geometry_type.name(), g.srs_id, g.z, g.m],
                )
                .context(what.clone())?;
        }
        Ok(())
    }

    /// Builds what a table needs once its rows are in: the R-tree of a
    /// feature table, filled from the rows, with the triggers that keep it
    /// current, and GDAL's feature count with its triggers. Doing this after a
    /// bulk load is several times faster than maintaining both row by row.
    pub fn index_table(&self, table: &str, geometry: Option<&GeometryColumnDef>) -> Result<()> {
        if let Some(g) = geometry {
            let sql = fill_template(
                include_str!("sql/rtree.sql"),
                table,
                Some((&g.name, TableDef::PRIMARY_KEY)),
            );
            self.tx
                .execute_batch(&sql)
                .context(format!("building the spatial index of '{table}'"))?;
        }
        let has_ogr_contents: bool = self
            .tx
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE name = 'gpkg_ogr_contents')",
                [],
                |r| r.get(0),
            )
            .context("reading the schema")?;
        if has_ogr_contents {
            let sql = fill_template(include_str!("sql/feature_count.sql"), table, None);
            self.tx
                .execute_batch(&sql)
                .context(format!("counting the rows of '{table}'"))?;
        }
        Ok(())
    }

    pub(super) fn ensure_srs(&self, srs_id: i32) -> Result<()> {
        let defined: bool = self
            .tx
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM gpkg_spatial_ref_sys WHERE srs_id = ?1)",
                [srs_id],
                |r| r.get(0),
            )
            .context("reading gpkg_spatial_ref_sys")?;
        if defined {
            return Ok(());
        }
        let srs = super::known_srs(srs_id).ok_or(GpkgError::UnknownSrs(srs_id))?;
        self.tx
            .execute(
                "INSERT INTO gpkg_spatial_ref_sys (srs_name, srs_id, organization, organization_coordsys_id, definition, description) VALUES (?1, ?2, 'EPSG', ?2, ?3, ?4)",
                rusqlite::params![srs.name, srs.epsg, srs.definition.trim(), srs.description],
            )
            .context("adding to gpkg_spatial_ref_sys")?;
        Ok(())
    }

    /// A prepared insert into `table`: the geometry (if the table has one) and
    /// then `columns` in order.
    pub fn inserter(&self, table: &str, geometry: Option<(&str, i32)>, columns: &[&str]) -> Result<Inserter<'_, 'a>> {
        let mut names: Vec<String> = geometry.iter().map(|(g, _)| quote_ident(g)).collect();
        names.extend(columns.iter().map(|c| quote_ident(c)));
        let placeholders = (1..=names.len())
            .map(|i| format!("?{i}"))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "INSERT INTO {} ({}) VALUES ({placeholders})",
            quote_ident(table),
            names.join(", ")
        );
        let stmt = self.tx.prepare(&sql).context(format!("preparing to write '{table}'"))?;
        Ok(Inserter {
            batch: self,
            table: table.to_string(),
            srs_id: geometry.map(|(_, s)| s),
            stmt,
            envelope: None,
            wrote: false,
        })
    }

    /// Replaces the geometry (when given) and the named values of one row.
    pub fn update(
        &self,
        table: &str,
        fid: i64,
        geometry: Option<(&str, &Geometry, i32)>,
        values: &[(&str, &dyn ToSql)],
    ) -> Result<usize> {
        let mut sets: Vec<String> = Vec::new();
        let blob = geometry.map(|(_, g, srs)| encode_blob(g, srs));
        if let Some((col, _, _)) = geometry {
            sets.push(format!("{} = ?", quote_ident(col)));
        }
        sets.extend(values.iter().map(|(c, _)| format!("{} = ?", quote_ident(c))));
        if sets.is_empty() {
            return Ok(0);
        }
        let sql = format!(
            "UPDATE {} SET {} WHERE {} = ?",
            quote_ident(table),
            sets.join(", "),
            quote_ident(TableDef::PRIMARY_KEY)
        );
        let mut params: Vec<&dyn ToSql> = Vec::new();
        if let Some(b) = &blob {
            params.push(b);
        }
        params.extend(values.iter().map(|(_, v)| *v));
        params.push(&fid);
        let n = self
            .tx
            .execute(&sql, params_from_iter(params))
            .context(format!("updating '{table}'"))?;
        self.touch(table, geometry.and_then(|(_, g, _)| g.envelope()));
        Ok(n)
    }

    pub fn delete(&self, table: &str, fid: i64) -> Result<usize> {
        let sql = format!(
            "DELETE FROM {} WHERE {} = ?1",
            quote_ident(table),
            quote_ident(TableDef::PRIMARY_KEY)
        );
        let n = self
            .tx
            .execute(&sql, [fid])
            .context(format!("deleting from '{table}'"))?;
        self.touch(table, None);
        Ok(n)
    }

    /// Records that `table` changed, growing its recorded extent by `envelope`.
    pub fn touch(&self, table: &str, envelope: Option<Envelope>) {
        let mut touched = self.touched.borrow_mut();
        let slot = touched.entry(table.to_string()).or_insert(None);
        if let Some(e) = envelope {
            *slot = Some(slot.map_or(e, |s| s.union(&e)));
        }
    }

    fn commit(self) -> Result<()> {
        let now = super::timestamp_now();
        for (table, envelope) in self.touched.take() {
            let what = format!("updating gpkg_contents for '{table}'");
            match envelope {
                Some(e) => self.tx.execute(
                    "UPDATE gpkg_contents SET last_change = ?2,
                       min_x = MIN(COALESCE(min_x, ?3), ?3), min_y = MIN(COALESCE(min_y, ?4), ?4),
                       max_x = MAX(COALESCE(max_x, ?5), ?5), max_y = MAX(COALESCE(max_y, ?6), ?6)
                     WHERE table_name = ?1",
                    rusqlite::params![table, now, e.min_x, e.min_y, e.max_x, e.max_y],
                ),
                None => self.tx.execute(
                    "UPDATE gpkg_contents SET last_change = ?2 WHERE table_name = ?1",
                    rusqlite::params![table, now],
                ),
            }
            .context(what)?;
        }
        self.tx.commit().context("committing")
    }
}

/// Inserts rows through one prepared statement.
pub struct Inserter<'b, 'a> {
    batch: &'b Batch<'a>,
    table: String,
    srs_id: Option<i32>,
    stmt: Statement<'b>,
    envelope: Option<Envelope>,
    wrote: bool,
}

impl Inserter<'_, '_> {
    /// Inserts one row and returns its fid. `geometry` is ignored for attribute tables.
    pub fn insert(&mut self, geometry: Option<&Geometry>, values: &[&dyn ToSql]) -> Result<i64> {
        self.wrote = true;
        let mut params: Vec<&dyn ToSql> = Vec::with_capacity(values.len() + 1);
        let blob;
        if let Some(srs) = self.srs_id {
            blob = geometry.map(|g| {
                if let Some(e) = g.envelope() {
                    self.envelope = Some(self.envelope.map_or(e, |s| s.union(&e)));
                }
                encode_blob(g, srs)
            });
            params.push(&blob);
        }
        params.extend_from_slice(values);
        self.stmt
            .execute(params_from_iter(params))
            .map_err(|source| GpkgError::Sqlite {
                context: format!("writing to '{}'", self.table),
                source,
            })?;
        Ok(self.batch.tx.last_insert_rowid())
    }
}

impl Drop for Inserter<'_, '_> {
    fn drop(&mut self) {
        if self.wrote {
            self.batch.touch(&self.table, self.envelope);
        }
    }
}

/// Fills the placeholders of an SQL template for one table (and column).
fn fill_template(template: &str, table: &str, column: Option<(&str, &str)>) -> String {
    let mut sql = template
        .lines()
        .filter(|l| !l.starts_with("--"))
        .collect::<Vec<_>>()
        .join("\n")
        .replace("{tq}", &quote_ident(table))
        .replace("{tl}", &quote_literal(table));
    if let Some((c, i)) = column {
        let rtree = format!("rtree_{table}_{c}");
        sql = sql
            .replace("{rtq}", &quote_ident(&rtree))
            .replace("{rtree}", &rtree.replace('"', "\"\""))
            .replace("{cq}", &quote_ident(c))
            .replace("{iq}", &quote_ident(i))
            .replace("{cl}", &quote_literal(c));
    }
    sql.replace("{t}", &table.replace('"', "\"\""))
}
