use crate::geom::GeometryType;

use super::{quote_ident, quote_literal};

/// Column types of GeoPackage user tables (GeoPackage 1.2, table 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SqlType {
    Integer,
    Real,
    Text,
    Boolean,
    /// ISO-8601 date text, `YYYY-MM-DD`.
    Date,
    /// ISO-8601 UTC text, `YYYY-MM-DDTHH:MM:SS.SSSZ`.
    DateTime,
    Blob,
}

impl SqlType {
    pub fn sql(self) -> &'static str {
        match self {
            SqlType::Integer => "INTEGER",
            SqlType::Real => "REAL",
            SqlType::Text => "TEXT",
            SqlType::Boolean => "BOOLEAN",
            SqlType::Date => "DATE",
            SqlType::DateTime => "DATETIME",
            SqlType::Blob => "BLOB",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ColumnDef {
    pub name: String,
    pub sql_type: SqlType,
    pub not_null: bool,
    pub unique: bool,
    /// An SQL default expression, written after `DEFAULT`.
    pub default_sql: Option<String>,
}

impl ColumnDef {
    pub fn new(name: &str, sql_type: SqlType) -> Self {
        ColumnDef {
            name: name.to_string(),
            sql_type,
            not_null: false,
            unique: false,
            default_sql: None,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct GeometryColumnDef {
    pub name: String,
    pub geometry_type: GeometryType,
    pub srs_id: i32,
    /// 0 prohibited, 1 mandatory, 2 optional.
    pub z: u8,
    pub m: u8,
}

/// A feature table (with a geometry column) or an attribute table (without).
#[derive(Clone, Debug, PartialEq)]
pub struct TableDef {
    pub name: String,
    pub identifier: String,
    pub description: String,
    pub geometry: Option<GeometryColumnDef>,
    pub columns: Vec<ColumnDef>,
}

impl TableDef {
    /// The primary key every Tongtin table carries, as GDAL names it.
    pub const PRIMARY_KEY: &'static str = "fid";

    pub(super) fn create_sql(&self) -> String {
        let mut cols = vec![format!(
            "{} INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL",
            quote_ident(Self::PRIMARY_KEY)
        )];
        if let Some(g) = &self.geometry {
            cols.push(format!("{} {}", quote_ident(&g.name), g.geometry_type.name()));
        }
        for c in &self.columns {
            let mut s = format!("{} {}", quote_ident(&c.name), c.sql_type.sql());
            if c.not_null {
                s.push_str(" NOT NULL");
            }
            if c.unique {
                s.push_str(" UNIQUE");
            }
            if let Some(d) = &c.default_sql {
                s.push_str(" DEFAULT ");
                s.push_str(d);
            }
            cols.push(s);
        }
        format!("CREATE TABLE {} ({})", quote_ident(&self.name), cols.join(", "))
    }

    pub(super) fn contents_sql(&self) -> String {
        let data_type = if self.geometry.is_some() {
            "features"
        } else {
            "attributes"
        };
        let srs = self
            .geometry
            .as_ref()
            .map_or("NULL".to_string(), |g| g.srs_id.to_string());
        format!(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change, srs_id) VALUES ({}, '{data_type}', {}, {}, {}, {srs})",
            quote_literal(&self.name),
            quote_literal(&self.identifier),
            quote_literal(&self.description),
            quote_literal(&super::timestamp_now()),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thai_names_are_quoted() {
        let def = TableDef {
            name: "เสา \"ไฟ\"".into(),
            identifier: "x".into(),
            description: "ของ อปท.'s".into(),
            geometry: None,
            columns: vec![ColumnDef::new("หมายเลข", SqlType::Text)],
        };
        assert_eq!(
            def.create_sql(),
            "CREATE TABLE \"เสา \"\"ไฟ\"\"\" (\"fid\" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, \"หมายเลข\" TEXT)"
        );
        assert!(def.contents_sql().contains("'ของ อปท.''s'"));
    }
}
