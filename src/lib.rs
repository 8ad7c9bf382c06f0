//! Tongtin (ท้องถิ่น): the core of a desktop GIS for Thai local government.
//!
//! The crate knows GeoPackage, the data model of a municipality's public
//! works and how to generate a demo municipality; it knows nothing of the
//! desktop shell or the UI. See `docs/ARCHITECTURE.md` for the code map.

pub mod crs;
pub mod demo;
pub mod document;
pub mod edit;
pub mod geom;
pub mod gpkg;
pub mod hub;
pub mod identify;
pub mod info;
pub mod inventory;
pub mod journal;
pub mod model;
pub mod progress;
pub mod report;
pub mod search;
pub mod sync;
pub mod terrain;
pub mod tiles;
