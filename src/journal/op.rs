use std::collections::BTreeMap;

use serde::Serialize;

use super::Hlc;
use crate::gpkg::Value;

/// A row as the journal sees it: column name to value, without the fid
/// (local to one file) and without BLOB columns kept elsewhere (photo data).
pub type Row = BTreeMap<String, Value>;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OpKind {
    Insert,
    Update,
    Delete,
}

impl OpKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OpKind::Insert => "insert",
            OpKind::Update => "update",
            OpKind::Delete => "delete",
        }
    }

    pub fn parse(text: &str) -> Option<OpKind> {
        match text {
            "insert" => Some(OpKind::Insert),
            "update" => Some(OpKind::Update),
            "delete" => Some(OpKind::Delete),
            _ => None,
        }
    }
}

/// Where an op was made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// Through Tongtin (the app or the CLI) by a named user.
    App,
    /// By another tool writing the file (QGIS, GDAL, a script), found by the
    /// capture triggers or by `journal check`.
    External,
    /// Pulled from a sync hub: the hub has it, it is never pushed back.
    Hub,
    /// Imported from a sync package: sent on to the hub like this file's own.
    Package,
}

impl Origin {
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::App => "app",
            Origin::External => "external",
            Origin::Hub => "hub",
            Origin::Package => "package",
        }
    }

    pub fn parse(text: &str) -> Option<Origin> {
        match text {
            "app" => Some(Origin::App),
            "external" => Some(Origin::External),
            "hub" => Some(Origin::Hub),
            "package" => Some(Origin::Package),
            _ => None,
        }
    }
}

/// One field of a change. `old` is `None` for an insert and where the value
/// before is unknown (an edit found by `journal check` after the capture
/// triggers had been removed); `new` is `None` for a delete.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FieldChange {
    pub field: String,
    pub old: Option<Value>,
    pub new: Option<Value>,
}

/// One change of one feature: the unit the journal records and sync sends.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Op {
    /// Position in this file's journal (`None` before it is written).
    pub seq: Option<i64>,
    pub op_id: String,
    /// The user action the op belongs to (one undo step).
    pub edit_id: String,
    pub hlc: Hlc,
    pub user: String,
    pub device: String,
    pub origin: Origin,
    pub layer: String,
    pub uid: String,
    pub kind: OpKind,
    pub fields: Vec<FieldChange>,
}

impl Op {
    /// The values after the op, for the fields it names (`None` for a delete).
    pub fn after(&self) -> Option<Row> {
        (self.kind != OpKind::Delete).then(|| {
            self.fields
                .iter()
                .filter_map(|f| f.new.clone().map(|v| (f.field.clone(), v)))
                .collect()
        })
    }

    /// The values before the op, where known (`None` for an insert).
    pub fn before(&self) -> Option<Row> {
        (self.kind != OpKind::Insert).then(|| {
            self.fields
                .iter()
                .filter_map(|f| f.old.clone().map(|v| (f.field.clone(), v)))
                .collect()
        })
    }
}

/// The change between two states of one row, field by field: insert when
/// there was no row, delete when there is none after, update otherwise
/// (`None` when nothing changed). Fields follow name order.
///
/// ```
/// use tongtin::gpkg::Value;
/// use tongtin::journal::{diff_rows, OpKind, Row};
/// let before: Row = [("status".to_string(), Value::from("normal"))].into();
/// let after: Row = [("status".to_string(), Value::from("damaged"))].into();
/// let (kind, fields) = diff_rows(Some(&before), Some(&after)).unwrap();
/// assert_eq!(kind, OpKind::Update);
/// assert_eq!(fields[0].new, Some(Value::from("damaged")));
/// assert!(diff_rows(Some(&before), Some(&before)).is_none());
/// ```
pub fn diff_rows(before: Option<&Row>, after: Option<&Row>) -> Option<(OpKind, Vec<FieldChange>)> {
    let present = |row: &Row| -> Vec<FieldChange> {
        row.iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| FieldChange {
                field: k.clone(),
                old: None,
                new: Some(v.clone()),
            })
            .collect()
    };
    match (before, after) {
        (None, None) => None,
        (None, Some(a)) => Some((OpKind::Insert, present(a))),
        (Some(b), None) => Some((
            OpKind::Delete,
            present(b)
                .into_iter()
                .map(|f| FieldChange {
                    field: f.field,
                    old: f.new,
                    new: None,
                })
                .collect(),
        )),
        (Some(b), Some(a)) => {
            let mut names: Vec<&String> = b.keys().chain(a.keys()).collect();
            names.sort_unstable();
            names.dedup();
            let fields: Vec<FieldChange> = names
                .into_iter()
                .filter_map(|k| {
                    let old = b.get(k).cloned().unwrap_or(Value::Null);
                    let new = a.get(k).cloned().unwrap_or(Value::Null);
                    (!same_value(&old, &new)).then(|| FieldChange {
                        field: k.clone(),
                        old: Some(old),
                        new: Some(new),
                    })
                })
                .collect();
            (!fields.is_empty()).then_some((OpKind::Update, fields))
        }
    }
}

/// Equality that tells 0.0 from -0.0 and never calls a value unequal to itself.
pub fn same_value(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Real(x), Value::Real(y)) => x.to_bits() == y.to_bits(),
        _ => a == b,
    }
}
