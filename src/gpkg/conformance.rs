//! Checks a file against the GeoPackage 1.0–1.4 requirements that matter to
//! readers (GDAL, QGIS, Tongtin): core tables, SRS references, primary keys,
//! geometry blobs, extents, R-tree indexes and their triggers, tile matrices.
//! Every problem is collected; nothing is written.

use rusqlite::types::ValueRef;

use super::{quote_ident, GeoPackage, GpkgError, Layer, LayerKind, Result, SqlContext};
use crate::geom::{decode_blob, Dimension, GeometryType};

/// Geometries reported one by one per layer before the rest are counted.
const EXAMPLES_PER_LAYER: usize = 50;
const RTREE_TRIGGERS: [&str; 6] = ["insert", "update1", "update2", "update3", "update4", "delete"];
const RTREE_TRIGGERS_14: [&str; 7] = [
    "insert", "update5", "update6", "update7", "update2", "update4", "delete",
];

impl GeoPackage {
    /// Every departure from the GeoPackage rules, one sentence each.
    pub fn conformance_problems(&self) -> Result<Vec<String>> {
        let mut p = Vec::new();
        if self.version().is_none() {
            p.push(format!(
                "application_id {:#010x} is not a GeoPackage one (expected 'GPKG')",
                self.application_id()
            ));
        }
        let integrity: Vec<String> = query_strings(self, "PRAGMA integrity_check").map_err(|e| match e {
            GpkgError::Sqlite { source, .. } => GpkgError::Corrupt {
                path: self.path().to_path_buf(),
                detail: source.to_string(),
            },
            other => other,
        })?;
        if integrity != ["ok"] {
            p.extend(integrity.into_iter().map(|m| format!("SQLite integrity check: {m}")));
        }
        let fk: Vec<String> = {
            let mut stmt = self
                .conn
                .prepare("PRAGMA foreign_key_check")
                .context("checking foreign keys")?;
            let rows = stmt
                .query_map([], |r| {
                    Ok(format!(
                        "foreign key violation in {} (row {:?}) referencing {}",
                        r.get::<_, String>(0)?,
                        r.get::<_, Option<i64>>(1)?,
                        r.get::<_, String>(2)?
                    ))
                })
                .context("checking foreign keys")?;
            rows.collect::<rusqlite::Result<_>>().context("checking foreign keys")?
        };
        p.extend(fk);
        for (srs_id, what) in [
            (-1, "undefined Cartesian"),
            (0, "undefined geographic"),
            (4326, "WGS 84"),
        ] {
            if !self.srs_defined(srs_id)? {
                p.push(format!(
                    "gpkg_spatial_ref_sys lacks the required {what} entry (srs_id {srs_id})"
                ));
            }
        }
        for layer in self.layers()? {
            self.check_layer(&layer, &mut p)?;
        }
        self.check_extensions(&mut p)?;
        Ok(p)
    }

    fn check_layer(&self, layer: &Layer, p: &mut Vec<String>) -> Result<()> {
        let name = &layer.name;
        if !self.has_table(name)? {
            p.push(format!(
                "layer '{name}' is registered in gpkg_contents but its table does not exist"
            ));
            return Ok(());
        }
        if let Some(srs) = &layer.srs {
            if !self.srs_defined(srs.srs_id)? {
                p.push(format!(
                    "layer '{name}': srs_id {} is not defined in gpkg_spatial_ref_sys",
                    srs.srs_id
                ));
            }
        }
        match &layer.kind {
            LayerKind::Features | LayerKind::Attributes => {
                let columns = self.table_columns(name)?;
                let pk = columns.iter().filter(|c| c.primary_key).collect::<Vec<_>>();
                if pk.len() != 1 || !pk[0].declared_type.eq_ignore_ascii_case("INTEGER") {
                    p.push(format!("layer '{name}': needs exactly one INTEGER PRIMARY KEY column"));
                }
                if layer.kind == LayerKind::Features {
                    self.check_features(layer, &columns, p)?;
                }
            }
            LayerKind::Tiles | LayerKind::Coverage => self.check_tiles(layer, p)?,
            LayerKind::Other(_) => {}
        }
        Ok(())
    }

    fn check_features(&self, layer: &Layer, columns: &[super::Column], p: &mut Vec<String>) -> Result<()> {
        let name = &layer.name;
        let Some(column) = &layer.geometry_column else {
            p.push(format!("feature layer '{name}' has no row in gpkg_geometry_columns"));
            return Ok(());
        };
        if !columns.iter().any(|c| &c.name == column) {
            p.push(format!("layer '{name}': geometry column '{column}' does not exist"));
            return Ok(());
        }
        let declared = match layer.geometry_type {
            Some(t) => t,
            None => {
                p.push(format!(
                    "layer '{name}': unknown geometry type '{}'",
                    layer.geometry_type_name.as_deref().unwrap_or("")
                ));
                GeometryType::Geometry
            }
        };
        if layer.z > 2 || layer.m > 2 {
            p.push(format!(
                "layer '{name}': z and m must be 0, 1 or 2 in gpkg_geometry_columns"
            ));
        }
        let srs_id = layer.srs.as_ref().map(|s| s.srs_id);
        let pk = self.primary_key(name)?;
        let sql = format!(
            "SELECT {}, {} FROM {}",
            quote_ident(&pk),
            quote_ident(column),
            quote_ident(name)
        );
        let mut stmt = self.conn.prepare(&sql).context(format!("reading layer '{name}'"))?;
        let mut rows = stmt.query([]).context(format!("reading layer '{name}'"))?;
        let mut bad = Vec::new();
        let mut non_empty = 0u64;
        let mut extent: Option<crate::geom::Envelope> = None;
        while let Some(row) = rows.next().context(format!("reading layer '{name}'"))? {
            let fid: i64 = row.get(0).unwrap_or_default();
            let blob = match row.get_ref(1).context(format!("reading layer '{name}'"))? {
                ValueRef::Null => continue,
                ValueRef::Blob(b) => b,
                _ => {
                    bad.push(format!("layer '{name}' fid {fid}: geometry is not a blob"));
                    continue;
                }
            };
            let stored = match decode_blob(blob) {
                Ok(s) => s,
                Err(e) => {
                    bad.push(format!("layer '{name}' fid {fid}: {e}"));
                    continue;
                }
            };
            let g = &stored.geometry;
            if Some(stored.srs_id) != srs_id {
                bad.push(format!(
                    "layer '{name}' fid {fid}: geometry srs_id {} differs from the layer's {:?}",
                    stored.srs_id, srs_id
                ));
            }
            if !declared.accepts(stored.stored_type) {
                bad.push(format!(
                    "layer '{name}' fid {fid}: a {} in a {} layer",
                    stored.stored_type, declared
                ));
            }
            if (layer.z == 0 && g.dim.has_z()) || (layer.m == 0 && g.dim.has_m()) {
                bad.push(format!(
                    "layer '{name}' fid {fid}: {:?} coordinates where the layer prohibits them",
                    g.dim
                ));
            }
            if (layer.z == 1 && !g.dim.has_z()) || (layer.m == 1 && !g.dim.has_m()) {
                bad.push(format!(
                    "layer '{name}' fid {fid}: {:?} coordinates where the layer requires {}",
                    g.dim,
                    Dimension::new(layer.z == 1, layer.m == 1).label()
                ));
            }
            if let Some(env) = g.envelope() {
                non_empty += 1;
                if let Some(h) = stored.envelope {
                    if !h.contains(&env, 1e-9 * (1.0 + env.max_x.abs().max(env.max_y.abs()))) {
                        bad.push(format!("layer '{name}' fid {fid}: the envelope in the geometry header does not contain the geometry"));
                    }
                }
                extent = Some(extent.map_or(env, |e| e.union(&env)));
            }
        }
        let total = bad.len();
        p.extend(bad.into_iter().take(EXAMPLES_PER_LAYER));
        if total > EXAMPLES_PER_LAYER {
            p.push(format!(
                "layer '{name}': {} more geometry problems",
                total - EXAMPLES_PER_LAYER
            ));
        }
        if let (Some(actual), Some(recorded)) = (extent, layer.extent) {
            let slack = 1e-6 * (1.0 + actual.max_x.abs().max(actual.max_y.abs()));
            if !recorded.contains(&actual, slack) {
                p.push(format!(
                    "layer '{name}': gpkg_contents extent ({}, {}, {}, {}) does not contain the data ({}, {}, {}, {})",
                    recorded.min_x,
                    recorded.min_y,
                    recorded.max_x,
                    recorded.max_y,
                    actual.min_x,
                    actual.min_y,
                    actual.max_x,
                    actual.max_y
                ));
            }
        }
        self.check_rtree(layer, non_empty, p)
    }

    fn check_rtree(&self, layer: &Layer, non_empty: u64, p: &mut Vec<String>) -> Result<()> {
        let name = &layer.name;
        let column = layer.geometry_column.clone().unwrap_or_default();
        let registered: bool = self
            .conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM gpkg_extensions WHERE table_name = ?1 AND column_name = ?2 AND extension_name = 'gpkg_rtree_index')",
                [name, &column],
                |r| r.get(0),
            )
            .unwrap_or(false);
        let rtree = layer.rtree_name().unwrap_or_default();
        let exists = self.has_table(&rtree)?;
        match (registered, exists) {
            (false, false) => return Ok(()),
            (true, false) => {
                p.push(format!(
                    "layer '{name}': gpkg_extensions registers an R-tree index but {rtree} does not exist"
                ));
                return Ok(());
            }
            (false, true) => p.push(format!(
                "layer '{name}': {rtree} exists but gpkg_extensions does not register it"
            )),
            (true, true) => {}
        }
        let triggers = query_strings(
            self,
            &format!(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '{}%'",
                rtree.replace('\'', "''")
            ),
        )?;
        let has_all = |set: &[&str]| set.iter().all(|s| triggers.contains(&format!("{rtree}_{s}")));
        if !has_all(&RTREE_TRIGGERS) && !has_all(&RTREE_TRIGGERS_14) {
            let missing: Vec<&str> = RTREE_TRIGGERS
                .iter()
                .filter(|s| !triggers.contains(&format!("{rtree}_{s}")))
                .copied()
                .collect();
            p.push(format!(
                "layer '{name}': R-tree triggers missing: {}",
                missing.join(", ")
            ));
        }
        let indexed: i64 = self
            .conn
            .query_row(&format!("SELECT COUNT(*) FROM {}", quote_ident(&rtree)), [], |r| {
                r.get(0)
            })
            .context(format!("reading {rtree}"))?;
        if indexed as u64 != non_empty {
            p.push(format!(
                "layer '{name}': the R-tree indexes {indexed} geometries, the table has {non_empty} non-empty ones"
            ));
        }
        Ok(())
    }

    fn check_tiles(&self, layer: &Layer, p: &mut Vec<String>) -> Result<()> {
        let name = &layer.name;
        if !self.has_table("gpkg_tile_matrix_set")? {
            p.push(format!("tile layer '{name}': gpkg_tile_matrix_set is missing"));
            return Ok(());
        }
        let in_set: bool = self
            .conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM gpkg_tile_matrix_set WHERE table_name = ?1)",
                [name],
                |r| r.get(0),
            )
            .context("reading gpkg_tile_matrix_set")?;
        if !in_set {
            p.push(format!("tile layer '{name}' has no row in gpkg_tile_matrix_set"));
        }
        let outside: i64 = self
            .conn
            .query_row(
                &format!(
                    "SELECT COUNT(*) FROM {} t LEFT JOIN gpkg_tile_matrix m ON m.table_name = ?1 AND m.zoom_level = t.zoom_level
                     WHERE m.zoom_level IS NULL OR t.tile_column < 0 OR t.tile_row < 0 OR t.tile_column >= m.matrix_width OR t.tile_row >= m.matrix_height",
                    quote_ident(name)
                ),
                [name],
                |r| r.get(0),
            )
            .context(format!("reading tiles of '{name}'"))?;
        if outside > 0 {
            p.push(format!(
                "tile layer '{name}': {outside} tiles lie outside their tile matrix"
            ));
        }
        if layer.kind == LayerKind::Coverage {
            if !self.srs_defined(4979)? {
                p.push(format!("coverage '{name}': the 2D gridded coverage extension requires srs_id 4979 (WGS 84 3D) in gpkg_spatial_ref_sys"));
            }
            let described: bool = self.has_table("gpkg_2d_gridded_coverage_ancillary")?
                && self
                    .conn
                    .query_row("SELECT EXISTS (SELECT 1 FROM gpkg_2d_gridded_coverage_ancillary WHERE tile_matrix_set_name = ?1)", [name], |r| r.get(0))
                    .context("reading gpkg_2d_gridded_coverage_ancillary")?;
            if !described {
                p.push(format!(
                    "coverage '{name}' has no row in gpkg_2d_gridded_coverage_ancillary"
                ));
            }
        }
        Ok(())
    }

    fn check_extensions(&self, p: &mut Vec<String>) -> Result<()> {
        if !self.has_table("gpkg_extensions")? {
            return Ok(());
        }
        let rows: Vec<(Option<String>, Option<String>, String)> = {
            let mut stmt = self
                .conn
                .prepare("SELECT table_name, column_name, extension_name FROM gpkg_extensions")
                .context("reading gpkg_extensions")?;
            let rows = stmt
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .context("reading gpkg_extensions")?;
            rows.collect::<rusqlite::Result<_>>()
                .context("reading gpkg_extensions")?
        };
        for (table, column, extension) in rows {
            let Some(table) = table else { continue };
            if !self.has_table(&table)? {
                p.push(format!(
                    "gpkg_extensions: {extension} refers to missing table '{table}'"
                ));
                continue;
            }
            if let Some(column) = column {
                if !self.table_columns(&table)?.iter().any(|c| c.name == column) {
                    p.push(format!(
                        "gpkg_extensions: {extension} refers to missing column '{table}.{column}'"
                    ));
                }
            }
        }
        Ok(())
    }
}

impl Dimension {
    fn label(self) -> &'static str {
        match self {
            Dimension::Xy => "XY",
            Dimension::Xyz => "Z",
            Dimension::Xym => "M",
            Dimension::Xyzm => "Z and M",
        }
    }
}

fn query_strings(gpkg: &GeoPackage, sql: &str) -> Result<Vec<String>> {
    let mut stmt = gpkg.conn.prepare(sql).context(sql.to_string())?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0)).context(sql.to_string())?;
    rows.collect::<rusqlite::Result<_>>().context(sql.to_string())
}
