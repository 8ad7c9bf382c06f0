//! The equipment register (ครุภัณฑ์): Thai fiscal years and asset numbers.
//!
//! Must not know: the map, tiles, the UI.

mod asset_number;
mod fiscal;

pub use asset_number::{AssetPattern, PatternError};
pub use fiscal::FiscalYear;
