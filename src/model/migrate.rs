//! Schema versions and forward migrations.
//!
//! The version of the data model a file follows is kept in `tongtin_meta`.
//! Moving a file forward adds the layers and fields the newer schema has
//! (a change that loses nothing); a schema change that needs more than that
//! gets an explicit step here, keyed by the version it leads to.

use thiserror::Error;

use super::create::{create_layer, describe_field, describe_system_field, table_def};
use super::schema::schema;
use crate::gpkg::{quote_ident, Batch, GeoPackage, GpkgError};

/// Tongtin's own key/value table inside the GeoPackage (not a layer).
pub const META_TABLE: &str = "tongtin_meta";

#[derive(Debug, Error)]
pub enum MigrateError {
    /// The file has no Tongtin metadata: it is some other GeoPackage.
    #[error("{0}: not a Tongtin municipality file (no {META_TABLE} table)")]
    NotTongtin(String),
    /// The file was written by a newer Tongtin; it is left untouched.
    #[error("{path}: data model version {found} is newer than this Tongtin supports ({supported}); update Tongtin")]
    Newer { path: String, found: u32, supported: u32 },
    /// A stored version that is not a number.
    #[error("{path}: unreadable data model version '{found}'")]
    BadVersion { path: String, found: String },
    /// The journal could not follow the new columns; nothing was migrated.
    #[error("{0}")]
    Journal(String),
    #[error(transparent)]
    Gpkg(#[from] GpkgError),
}

/// What a migration changed.
#[derive(Debug, Default, PartialEq)]
pub struct MigrationReport {
    pub from: u32,
    pub to: u32,
    pub added_layers: Vec<String>,
    pub added_fields: Vec<String>,
}

/// The data model version recorded in the file, `None` if it has none.
pub fn schema_version(gpkg: &GeoPackage) -> Result<Option<u32>, MigrateError> {
    if !gpkg.has_table(META_TABLE)? {
        return Ok(None);
    }
    let found: Option<String> = gpkg
        .connection()
        .query_row(
            &format!("SELECT value FROM {META_TABLE} WHERE key = 'schema_version'"),
            [],
            |r| r.get(0),
        )
        .map(Some)
        .or_else(|e| {
            if e == rusqlite::Error::QueryReturnedNoRows {
                Ok(None)
            } else {
                Err(e)
            }
        })
        .map_err(|source| GpkgError::Sqlite {
            context: "reading the data model version".into(),
            source,
        })?;
    found
        .map(|v| {
            v.parse().map_err(|_| MigrateError::BadVersion {
                path: gpkg.path().display().to_string(),
                found: v,
            })
        })
        .transpose()
}

pub(crate) fn write_schema_version(b: &Batch<'_>, version: u32) -> Result<(), GpkgError> {
    b.sql()
        .execute(
            &format!("INSERT OR REPLACE INTO {META_TABLE} (key, value) VALUES ('schema_version', ?1)"),
            [version.to_string()],
        )
        .map_err(|source| GpkgError::Sqlite {
            context: "recording the data model version".into(),
            source,
        })?;
    Ok(())
}

/// Brings the file at `path` up to the current data model. The file is
/// checked read-only first: a damaged file, a file from a newer Tongtin or a
/// file already current is never opened for writing.
pub fn migrate_file(path: &std::path::Path) -> Result<MigrationReport, MigrateError> {
    let reader = GeoPackage::open(path)?;
    reader.quick_check()?;
    let version = schema_version(&reader)?.ok_or_else(|| MigrateError::NotTongtin(path.display().to_string()))?;
    let supported = schema().version;
    if version > supported {
        return Err(MigrateError::Newer {
            path: path.display().to_string(),
            found: version,
            supported,
        });
    }
    if version == supported {
        return Ok(MigrationReport {
            from: version,
            to: supported,
            ..Default::default()
        });
    }
    drop(reader);
    migrate(&mut GeoPackage::open_writable(path)?)
}

/// Brings an open Tongtin file up to the current data model, in one transaction.
pub fn migrate(gpkg: &mut GeoPackage) -> Result<MigrationReport, MigrateError> {
    let path = gpkg.path().display().to_string();
    let from = schema_version(gpkg)?.ok_or_else(|| MigrateError::NotTongtin(path.clone()))?;
    let s = schema();
    if from > s.version {
        return Err(MigrateError::Newer {
            path,
            found: from,
            supported: s.version,
        });
    }
    let mut report = MigrationReport {
        from,
        to: s.version,
        ..Default::default()
    };
    if from == s.version {
        return Ok(report);
    }
    let srs_id = municipality_srs(gpkg)?;
    let existing: Vec<String> = gpkg.layers()?.into_iter().map(|l| l.name).collect();
    let mut columns = std::collections::HashMap::new();
    for name in &existing {
        columns.insert(
            name.clone(),
            gpkg.table_columns(name)?
                .into_iter()
                .map(|c| c.name)
                .collect::<Vec<_>>(),
        );
    }
    gpkg.write(|b| -> Result<(), MigrateError> {
        for layer in &s.layers {
            match columns.get(&layer.name) {
                None => {
                    create_layer(b, s, layer, srs_id)?;
                    b.index_table(&layer.name, table_def(layer, srs_id).geometry.as_ref())?;
                    report.added_layers.push(layer.name.clone());
                }
                Some(have) => {
                    for c in table_def(layer, srs_id)
                        .columns
                        .iter()
                        .filter(|c| !have.contains(&c.name))
                    {
                        let sql = format!(
                            "ALTER TABLE {} ADD COLUMN {} {}",
                            quote_ident(&layer.name),
                            quote_ident(&c.name),
                            c.sql_type.sql()
                        );
                        b.sql().execute_batch(&sql).map_err(|source| GpkgError::Sqlite {
                            context: format!("adding {}.{}", layer.name, c.name),
                            source,
                        })?;
                        match layer.field(&c.name) {
                            Some(f) => describe_field(b, s, &layer.name, f)?,
                            None => describe_system_field(b, &layer.name, &c.name)?,
                        }
                        b.touch(&layer.name, None);
                        report.added_fields.push(format!("{}.{}", layer.name, c.name));
                    }
                }
            }
        }
        if from < 3 {
            to_3(b)?;
        }
        write_schema_version(b, s.version)?;
        if crate::journal::is_installed(b.sql()).map_err(journal_err)? {
            crate::journal::install(b.sql(), &crate::progress::Silent).map_err(journal_err)?;
        }
        Ok(())
    })?;
    Ok(report)
}

/// Data model 3: equipment categories became a table the municipality edits
/// (seeded with the defaults) instead of a fixed value domain, so the old
/// domain's Schema-extension rows go.
fn to_3(b: &Batch<'_>) -> Result<(), GpkgError> {
    let sql_err = |context: &str| {
        let context = context.to_string();
        move |source| GpkgError::Sqlite { context, source }
    };
    crate::inventory::seed_categories(b.sql()).map_err(sql_err("writing the default equipment categories"))?;
    b.sql()
        .execute_batch(
            "UPDATE gpkg_data_columns SET constraint_name = NULL
               WHERE table_name = 'equipment' AND column_name = 'category' AND constraint_name = 'equipment_category';
             DELETE FROM gpkg_data_column_constraints WHERE constraint_name = 'equipment_category';",
        )
        .map_err(sql_err("dropping the equipment category domain"))?;
    b.touch("equipment_categories", None);
    Ok(())
}

/// The journal's triggers follow the new columns in the migration's own
/// transaction; a failure there is reported as the SQLite error it is.
fn journal_err(e: crate::journal::JournalError) -> MigrateError {
    match e {
        crate::journal::JournalError::Gpkg(g) => MigrateError::Gpkg(g),
        other => MigrateError::Journal(other.to_string()),
    }
}

/// The CRS of the municipality's layers (that of `poles`, else UTM 48N).
fn municipality_srs(gpkg: &GeoPackage) -> Result<i32, GpkgError> {
    Ok(gpkg
        .layers()?
        .iter()
        .find(|l| l.name == "poles")
        .and_then(|l| l.srs.as_ref().map(|s| s.srs_id))
        .unwrap_or(32648))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{create_municipality, MunicipalityOptions};

    #[test]
    fn an_older_file_gains_the_missing_layers_and_fields() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.gpkg");
        let mut g = create_municipality(&path, &MunicipalityOptions::default()).unwrap();
        // Make it look like version 0: one layer and one field fewer.
        g.write(|b| -> Result<(), GpkgError> {
            b.sql()
                .execute_batch(
                    "DELETE FROM gpkg_data_columns WHERE table_name = 'work_orders';
                     DELETE FROM gpkg_ogr_contents WHERE table_name = 'work_orders';
                     DELETE FROM gpkg_contents WHERE table_name = 'work_orders';
                     DROP TABLE work_orders;
                     DELETE FROM gpkg_data_columns WHERE table_name = 'poles' AND column_name = 'asset_no';
                     ALTER TABLE poles DROP COLUMN asset_no;
                     UPDATE tongtin_meta SET value = '0' WHERE key = 'schema_version';",
                )
                .unwrap();
            Ok(())
        })
        .unwrap();
        let report = migrate(&mut g).unwrap();
        assert_eq!(report.from, 0);
        assert_eq!(report.added_layers, vec!["work_orders".to_string()]);
        assert_eq!(report.added_fields, vec!["poles.asset_no".to_string()]);
        assert_eq!(schema_version(&g).unwrap(), Some(schema().version));
        assert!(g.table_columns("poles").unwrap().iter().any(|c| c.name == "asset_no"));
        assert_eq!(migrate(&mut g).unwrap().added_fields.len(), 0);
    }

    #[test]
    fn a_newer_file_is_refused_and_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new.gpkg");
        let mut g = create_municipality(&path, &MunicipalityOptions::default()).unwrap();
        g.write(|b| write_schema_version(b, 99)).unwrap();
        assert!(matches!(migrate(&mut g), Err(MigrateError::Newer { found: 99, .. })));
    }
}
