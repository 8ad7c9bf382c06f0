use thiserror::Error;

use crate::edit::EditError;
use crate::gpkg::GpkgError;

/// Why an inventory action was refused. Nothing of a refused action is written.
#[derive(Debug, Error)]
pub enum InventoryError {
    /// The action does not fit the item's state (a work order already done,
    /// a check already closed, an unknown category…): both languages.
    #[error("{en} ({th})")]
    Refused { th: String, en: String },
    /// No item, order or check with that number or uid.
    #[error("{en} ({th})")]
    NotFound { th: String, en: String },
    /// The asset number is already used by another item.
    #[error("asset number {0} is already used; choose another (เลขที่ครุภัณฑ์ {0} มีอยู่แล้ว)")]
    AssetNoTaken(String),
    /// The editor refused the edit (data-model rules, every problem listed).
    #[error(transparent)]
    Edit(#[from] EditError),
    #[error(transparent)]
    Gpkg(#[from] GpkgError),
}

impl InventoryError {
    pub(crate) fn refused(th: impl Into<String>, en: impl Into<String>) -> Self {
        InventoryError::Refused {
            th: th.into(),
            en: en.into(),
        }
    }

    pub(crate) fn not_found(th: impl Into<String>, en: impl Into<String>) -> Self {
        InventoryError::NotFound {
            th: th.into(),
            en: en.into(),
        }
    }
}

impl From<rusqlite::Error> for InventoryError {
    fn from(source: rusqlite::Error) -> Self {
        InventoryError::Gpkg(GpkgError::Sqlite {
            context: "reading the inventory".into(),
            source,
        })
    }
}
