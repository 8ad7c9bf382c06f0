//! Editing a municipality's inventory: changes checked against the data
//! model, written in one transaction with their journal ops, undoable, with
//! photos kept in the file.
//!
//! Must not know: the desktop shell or the UI (geometries arrive in the
//! layer's CRS, values typed), sync.

mod auto;
mod change;
mod editor;
mod elevations;
mod error;
mod photo;
mod places;
mod reshape;
mod restore;
mod rows;
mod rules;
mod undo;
mod working;

pub use change::{Applied, Change, Edit, Mode};
pub use editor::Editor;
pub use error::EditError;
pub use photo::{
    bytes_of as photo_bytes, data as photo_data, image_info, list as photo_list, prepare as prepare_photos, sha256_hex,
    PhotoInfo, MAX_PHOTO_BYTES,
};
pub use restore::version_after;
pub use rows::{delete as delete_row, geometry_column, insert as insert_row, update as update_row};

/// The whole row of a feature by uid (BLOB columns included), if it exists.
pub fn read_row(conn: &rusqlite::Connection, layer: &str, uid: &str) -> rusqlite::Result<Option<crate::journal::Row>> {
    Ok(rows::read(conn, layer, uid)?.map(|(_, row)| row))
}
pub use undo::UndoStack;
pub use working::{working_set, WorkingFeature};
