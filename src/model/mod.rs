//! The data model of a municipality's public works, described once in
//! `schema.toml`; tables, the GeoPackage Schema extension rows, validation
//! and forms are derived from it.

mod check;
mod create;
mod migrate;
mod road_code;
mod schema;
mod value;

pub use check::{check_model, ModelProblem};
pub use create::{create_layers, create_municipality, index_layers, MunicipalityOptions};
pub use migrate::{migrate, migrate_file, schema_version, MigrateError, MigrationReport, META_TABLE};
pub use road_code::RoadCode;
pub use schema::{
    schema, Domain, DomainValue, FieldDef, FieldType, Format, Labels, LayerDef, Reference, Schema, SYSTEM_FIELDS,
};
pub use value::FieldProblem;
