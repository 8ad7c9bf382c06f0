//! The equipment register (ครุภัณฑ์) and maintenance work: categories and
//! their useful lives, asset numbers, depreciation on the Thai fiscal year,
//! the annual inventory check, disposals, work orders, and the paged lists
//! the UI's tables show.
//!
//! Every write goes through [`crate::edit::Editor::apply`], so it is checked,
//! journaled, undoable and later synced like any other edit.
//!
//! Must not know: the map, tiles, the UI, how documents are written.

mod asset_number;
mod category;
mod check;
mod depreciation;
mod equipment;
mod error;
mod fiscal;
mod list;
mod workorder;

pub use asset_number::{asset_pattern, set_asset_pattern, AssetPattern, PatternError, Prefix, FSC, LOCAL, PATTERN_KEY};
pub use category::{
    categories, category, default_uid as default_category_uid, seed as seed_categories, Category, DEFAULT_CATEGORIES,
};
pub use check::{close_check, find_check, open_check, record_finding, unchecked, InventoryCheck, Recorded, FINDINGS};
pub use depreciation::{accumulated, for_year, months_in_service, Asset, MonthRule, YearFigures, RESIDUAL_SATANG};
pub use equipment::{
    add_equipment, asset_no_taken, dispose, equipment_by_uid, find_equipment, next_asset_no, Disposal, EquipmentItem,
    NewEquipment, Registered,
};
pub use error::InventoryError;
pub use fiscal::FiscalYear;
pub use list::{
    list, register_thai_collation, thai_cmp, Filter, FilterOp, ListPage, ListQuery, ListRow, SortKey, MAX_LIMIT, THAI,
};
pub use workorder::{
    fault_types, find_order, finish_order, history, next_order_no, open_order, start_order, Finish, LampChange,
    NewWorkOrder, Opened, WorkOrder, ASSET_KINDS,
};
