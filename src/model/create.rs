use std::path::Path;

use super::migrate::{write_schema_version, META_TABLE};
use super::schema::{schema, system_default, FieldType, LayerDef, Schema, SYSTEM_FIELDS};
use crate::gpkg::{quote_ident, Batch, ColumnDef, GeoPackage, GeometryColumnDef, GpkgError, TableDef};

/// How a new municipality file is set up.
#[derive(Clone, Debug)]
pub struct MunicipalityOptions {
    /// EPSG code of the municipality's CRS: 32648 (UTM 48N, the default) or 32647 (UTM 47N).
    pub srs_id: i32,
}

impl Default for MunicipalityOptions {
    fn default() -> Self {
        MunicipalityOptions { srs_id: 32648 }
    }
}

/// Creates a new GeoPackage with every layer of the schema, empty and indexed.
pub fn create_municipality(path: &Path, options: &MunicipalityOptions) -> Result<GeoPackage, GpkgError> {
    let mut gpkg = GeoPackage::create(path)?;
    gpkg.write(|b| {
        create_layers(b, options.srs_id)?;
        index_layers(b, options.srs_id)
    })?;
    Ok(gpkg)
}

/// The GeoPackage table of one schema layer: system fields first.
pub(crate) fn table_def(layer: &LayerDef, srs_id: i32) -> TableDef {
    let mut columns: Vec<ColumnDef> = SYSTEM_FIELDS
        .iter()
        .map(|(name, ty, _, _)| ColumnDef {
            name: name.to_string(),
            sql_type: ty.sql_type(),
            not_null: system_default(name).is_some(),
            unique: *name == "uid",
            default_sql: system_default(name).map(str::to_string),
        })
        .collect();
    columns.extend(layer.fields.iter().map(|f| f.column()));
    TableDef {
        name: layer.name.clone(),
        identifier: layer.th.clone(),
        description: layer.en.clone(),
        geometry: layer.geometry_type().map(|t| geometry_column(t, srs_id)),
        columns,
    }
}

fn geometry_column(geometry_type: crate::geom::GeometryType, srs_id: i32) -> GeometryColumnDef {
    GeometryColumnDef {
        name: "geom".into(),
        geometry_type,
        srs_id,
        z: 0,
        m: 0,
    }
}

/// Creates every layer table (without spatial indexes), the Schema extension
/// rows, Tongtin's metadata table and the schema version.
///
/// Business keys (pole number, asset number) are checked by validation, not
/// by UNIQUE constraints: sync must be able to store two offices' clashing
/// numbers as a conflict instead of refusing one side's edit.
pub fn create_layers(b: &Batch<'_>, srs_id: i32) -> Result<(), GpkgError> {
    let s = schema();
    b.sql()
        .execute_batch(include_str!("../gpkg/sql/schema_extension.sql"))
        .map_err(sql_err("creating the schema extension"))?;
    b.sql()
        .execute_batch(&format!(
            "CREATE TABLE IF NOT EXISTS {META_TABLE} (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL)"
        ))
        .map_err(sql_err("creating the metadata table"))?;
    for layer in &s.layers {
        create_layer(b, s, layer, srs_id)?;
    }
    crate::inventory::seed_categories(b.sql()).map_err(sql_err("writing the default equipment categories"))?;
    write_schema_version(b, s.version)
}

pub(crate) fn create_layer(b: &Batch<'_>, s: &Schema, layer: &LayerDef, srs_id: i32) -> Result<(), GpkgError> {
    b.create_table(&table_def(layer, srs_id))?;
    if let Some(parent) = &layer.parent {
        b.sql()
            .execute_batch(&format!(
                "CREATE INDEX {} ON {} ({})",
                quote_ident(&format!("idx_{}_{}", layer.name, parent.field)),
                quote_ident(&layer.name),
                quote_ident(&parent.field)
            ))
            .map_err(sql_err("indexing a parent link"))?;
    }
    for (name, _, _, _) in SYSTEM_FIELDS {
        describe_system_field(b, &layer.name, name)?;
    }
    for f in &layer.fields {
        describe_field(b, s, &layer.name, f)?;
    }
    Ok(())
}

pub(crate) fn describe_system_field(b: &Batch<'_>, table: &str, name: &str) -> Result<(), GpkgError> {
    match SYSTEM_FIELDS.iter().find(|f| f.0 == name) {
        Some((_, _, th, en)) => describe_column(b, table, name, th, en, None),
        None => Ok(()),
    }
}

pub(crate) fn describe_field(b: &Batch<'_>, s: &Schema, table: &str, f: &super::FieldDef) -> Result<(), GpkgError> {
    let constraint = match (&f.domain, f.min, f.max) {
        (Some(domain), _, _) => {
            let d = s.domain(domain).expect("schema test checks domains");
            for v in &d.values {
                b.sql()
                    .execute(
                        "INSERT OR IGNORE INTO gpkg_data_column_constraints (constraint_name, constraint_type, value, description) VALUES (?1, 'enum', ?2, ?3)",
                        rusqlite::params![domain, v.code, format!("{} ({})", v.th, v.en)],
                    )
                    .map_err(sql_err("writing a value domain"))?;
            }
            Some(domain.clone())
        }
        (None, Some(min), Some(max)) if matches!(f.field_type, FieldType::Integer | FieldType::Real) => {
            let name = format!("{table}_{}_range", f.name);
            b.sql()
                .execute(
                    "INSERT OR REPLACE INTO gpkg_data_column_constraints (constraint_name, constraint_type, value, min, min_is_inclusive, max, max_is_inclusive, description)
                     VALUES (?1, 'range', NULL, ?2, 1, ?3, 1, ?4)",
                    rusqlite::params![name, min, max, format!("{} ({})", f.th, f.en)],
                )
                .map_err(sql_err("writing a value range"))?;
            Some(name)
        }
        _ => None,
    };
    describe_column(b, table, &f.name, &f.th, &f.en, constraint.as_deref())
}

fn describe_column(
    b: &Batch<'_>,
    table: &str,
    column: &str,
    th: &str,
    en: &str,
    constraint: Option<&str>,
) -> Result<(), GpkgError> {
    b.sql()
        .execute(
            "INSERT OR REPLACE INTO gpkg_data_columns (table_name, column_name, name, title, description, constraint_name) VALUES (?1, ?2, ?2, ?3, ?4, ?5)",
            rusqlite::params![table, column, th, en, constraint],
        )
        .map_err(sql_err("describing a column"))?;
    Ok(())
}

/// Indexes every layer (after a bulk load, or at once for an empty file):
/// R-trees for feature layers, GDAL's row counts for all.
pub fn index_layers(b: &Batch<'_>, srs_id: i32) -> Result<(), GpkgError> {
    for layer in &schema().layers {
        let geometry = layer.geometry_type().map(|t| geometry_column(t, srs_id));
        b.index_table(&layer.name, geometry.as_ref())?;
    }
    Ok(())
}

fn sql_err(context: &'static str) -> impl Fn(rusqlite::Error) -> GpkgError {
    move |source| GpkgError::Sqlite {
        context: context.to_string(),
        source,
    }
}
