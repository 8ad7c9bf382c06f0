use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::geom::GeometryType;
use crate::gpkg::{ColumnDef, SqlType};

/// A label in both languages of the UI.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
pub struct Labels {
    pub th: String,
    pub en: String,
}

#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
pub struct DomainValue {
    pub code: String,
    pub th: String,
    pub en: String,
}

/// A closed list of values a field may take.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
pub struct Domain {
    pub th: String,
    pub en: String,
    pub values: Vec<DomainValue>,
}

impl Domain {
    pub fn contains(&self, code: &str) -> bool {
        self.values.iter().any(|v| v.code == code)
    }
    pub fn value(&self, code: &str) -> Option<&DomainValue> {
        self.values.iter().find(|v| v.code == code)
    }
}

#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum FieldType {
    Text,
    Integer,
    Real,
    Date,
    Datetime,
    Boolean,
}

impl FieldType {
    pub fn sql_type(self) -> SqlType {
        match self {
            FieldType::Text => SqlType::Text,
            FieldType::Integer => SqlType::Integer,
            FieldType::Real => SqlType::Real,
            FieldType::Date => SqlType::Date,
            FieldType::Datetime => SqlType::DateTime,
            FieldType::Boolean => SqlType::Boolean,
        }
    }
}

/// Text formats checked beyond the type.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// A Department of Rural Roads local road code, e.g. `นภ.ถ 1-0012`.
    RoadCode,
}

#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
pub struct FieldDef {
    pub name: String,
    #[serde(rename = "type")]
    pub field_type: FieldType,
    pub th: String,
    pub en: String,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub unique: bool,
    pub domain: Option<String>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub format: Option<Format>,
    /// The value must be the `field` of some row of `layer` (an equipment
    /// item's category code names a row of `equipment_categories`).
    pub references: Option<Reference>,
}

/// A field holding another layer's key (not its uid): the list of values
/// is data a municipality edits, not a fixed domain.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
pub struct Reference {
    pub layer: String,
    pub field: String,
}

impl FieldDef {
    pub fn column(&self) -> ColumnDef {
        ColumnDef {
            name: self.name.clone(),
            sql_type: self.field_type.sql_type(),
            not_null: false,
            unique: false,
            default_sql: None,
        }
    }
}

/// A child table's link to its parent (lamps belong to poles).
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
pub struct ParentLink {
    pub layer: String,
    pub field: String,
}

#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
pub struct LayerDef {
    pub name: String,
    pub th: String,
    pub en: String,
    /// `None` for attribute tables.
    pub geometry: Option<String>,
    pub parent: Option<ParentLink>,
    pub fields: Vec<FieldDef>,
}

impl LayerDef {
    pub fn geometry_type(&self) -> Option<GeometryType> {
        self.geometry.as_deref().and_then(GeometryType::from_name)
    }
    pub fn field(&self, name: &str) -> Option<&FieldDef> {
        self.fields.iter().find(|f| f.name == name)
    }
}

#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
pub struct CoverageDef {
    pub th: String,
    pub en: String,
    pub uom: String,
}

#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
pub struct Schema {
    pub version: u32,
    pub domains: BTreeMap<String, Domain>,
    pub layers: Vec<LayerDef>,
    pub coverages: BTreeMap<String, CoverageDef>,
}

impl Schema {
    pub fn layer(&self, name: &str) -> Option<&LayerDef> {
        self.layers.iter().find(|l| l.name == name)
    }
    pub fn domain(&self, name: &str) -> Option<&Domain> {
        self.domains.get(name)
    }
}

/// Fields every layer carries before its own, in this order.
pub const SYSTEM_FIELDS: [(&str, FieldType, &str, &str); 5] = [
    ("uid", FieldType::Text, "รหัสอ้างอิง (UUID)", "Unique id (UUID)"),
    ("created_at", FieldType::Datetime, "สร้างเมื่อ", "Created at"),
    ("created_by", FieldType::Text, "สร้างโดย", "Created by"),
    ("updated_at", FieldType::Datetime, "แก้ไขเมื่อ", "Updated at"),
    ("updated_by", FieldType::Text, "แก้ไขโดย", "Updated by"),
];

/// SQL defaults of the system fields, so that a row another tool (QGIS, a
/// script) adds without them still gets a UUID and its times.
pub fn system_default(name: &str) -> Option<&'static str> {
    match name {
        "uid" => Some(
            "(lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6))))",
        ),
        "created_at" | "updated_at" => Some("(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))"),
        _ => None,
    }
}

/// The built-in schema, parsed once.
pub fn schema() -> &'static Schema {
    static SCHEMA: OnceLock<Schema> = OnceLock::new();
    SCHEMA.get_or_init(|| toml::from_str(include_str!("schema.toml")).expect("schema.toml is checked by a unit test"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_is_consistent() {
        let s: Schema = toml::from_str(include_str!("schema.toml")).unwrap();
        for layer in &s.layers {
            if let Some(g) = &layer.geometry {
                assert!(GeometryType::from_name(g).is_some(), "{}: bad geometry {g}", layer.name);
            }
            let mut names: Vec<&str> = layer.fields.iter().map(|f| f.name.as_str()).collect();
            names.extend(SYSTEM_FIELDS.iter().map(|f| f.0));
            let count = names.len();
            names.sort_unstable();
            names.dedup();
            assert_eq!(names.len(), count, "{}: duplicate field names", layer.name);
            for f in &layer.fields {
                if let Some(d) = &f.domain {
                    assert!(
                        s.domains.contains_key(d),
                        "{}.{}: unknown domain {d}",
                        layer.name,
                        f.name
                    );
                }
                if let Some(r) = &f.references {
                    assert!(
                        s.layer(&r.layer)
                            .and_then(|l| l.field(&r.field))
                            .is_some_and(|t| t.unique),
                        "{}.{}: references {}.{}, which is not a unique field",
                        layer.name,
                        f.name,
                        r.layer,
                        r.field
                    );
                }
                if let (Some(lo), Some(hi)) = (f.min, f.max) {
                    assert!(lo < hi, "{}.{}: empty range", layer.name, f.name);
                }
                assert!(
                    !f.th.is_empty() && !f.en.is_empty(),
                    "{}.{}: missing label",
                    layer.name,
                    f.name
                );
            }
            if let Some(p) = &layer.parent {
                assert!(s.layer(&p.layer).is_some() && layer.field(&p.field).is_some());
            }
        }
        for (name, d) in &s.domains {
            let mut codes: Vec<&str> = d.values.iter().map(|v| v.code.as_str()).collect();
            codes.sort_unstable();
            codes.dedup();
            assert_eq!(codes.len(), d.values.len(), "domain {name}: duplicate codes");
        }
        for name in [
            "poles",
            "lamps",
            "roads",
            "drains",
            "landmarks",
            "boundary",
            "equipment",
            "work_orders",
            "equipment_categories",
            "inventory_checks",
            "inventory_findings",
            "disposals",
        ] {
            assert!(s.layer(name).is_some(), "layer {name} missing");
        }
    }
}
