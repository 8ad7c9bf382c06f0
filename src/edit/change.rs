use crate::geom::{Envelope, Geometry};
use crate::journal::{Op, Row};

/// How the values of a change are taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// A user's edit: checked against the data model, with automatic values
    /// (uid, who and when, village, elevation, length) filled in.
    Checked,
    /// Values written exactly as given, after checking that the feature is
    /// still as expected: how undo, redo and restore put a state back.
    Exact,
}

/// One change of one feature. Values are keyed by column name; a geometry,
/// in the layer's CRS, goes to the layer's geometry column.
#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    Insert {
        layer: String,
        /// A uid chosen by the caller (so that a lamp can name its new pole
        /// in the same edit); a new one when `None`.
        uid: Option<String>,
        values: Row,
        geometry: Option<Geometry>,
    },
    Update {
        layer: String,
        uid: String,
        values: Row,
        geometry: Option<Geometry>,
        /// In [`Mode::Exact`], the values the feature must still have.
        expect: Row,
    },
    Delete {
        layer: String,
        uid: String,
    },
}

impl Change {
    pub fn layer(&self) -> &str {
        match self {
            Change::Insert { layer, .. } | Change::Update { layer, .. } | Change::Delete { layer, .. } => layer,
        }
    }
}

/// One user action: what one undo step takes back.
#[derive(Clone, Debug, PartialEq)]
pub struct Edit {
    /// What the user did, for the undo menu ("move pole", "แก้ไขโคม").
    pub label: String,
    pub mode: Mode,
    pub changes: Vec<Change>,
}

impl Edit {
    pub fn checked(label: impl Into<String>, changes: Vec<Change>) -> Edit {
        Edit {
            label: label.into(),
            mode: Mode::Checked,
            changes,
        }
    }
}

/// What an applied edit did.
#[derive(Clone, Debug)]
pub struct Applied {
    pub label: String,
    /// The journal ops written, in order.
    pub ops: Vec<Op>,
    /// The edit that takes this one back exactly.
    pub inverse: Edit,
    /// Per layer, the area whose map needs redrawing: old and new positions.
    pub extents: Vec<(String, Envelope)>,
    /// The uids of features the edit inserted, in order.
    pub inserted: Vec<(String, String)>,
}
