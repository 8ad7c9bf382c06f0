use thiserror::Error;

use crate::gpkg::GpkgError;
use crate::journal::JournalError;
use crate::model::FieldProblem;

/// Why an edit was refused. Nothing of a refused edit is written.
#[derive(Debug, Error)]
pub enum EditError {
    /// The edit breaks rules of the data model; every broken rule is listed.
    #[error("{}", list(.0))]
    Invalid(Vec<FieldProblem>),
    /// The edit names a layer that is not part of the data model.
    #[error("no editable layer '{0}' (ไม่มีชั้นข้อมูล '{0}' ที่แก้ไขได้)")]
    UnknownLayer(String),
    /// The feature to change or delete does not exist (any more).
    #[error("{layer}: no feature {uid} (ไม่พบรายการนี้ อาจถูกลบไปแล้ว)")]
    NotFound { layer: String, uid: String },
    /// An undo or restore found the feature changed since: it is not overwritten.
    #[error("{layer} {uid} was changed since; the undo would overwrite that change (รายการถูกแก้ไขไปแล้ว ย้อนกลับไม่ได้)")]
    Stale { layer: String, uid: String },
    /// A photo that is not an image Tongtin can show, or too large.
    #[error("{en} ({th})")]
    BadPhoto { th: String, en: String },
    /// The file can be viewed but not edited by this Tongtin: it is not a
    /// Tongtin file, or its data model is newer.
    #[error("{path}: cannot be edited: {why}")]
    NotEditable { path: String, why: String },
    /// The file's data model is older than this Tongtin's: it can be viewed,
    /// and edited once migrated (`tongtin migrate`, or the app's offer).
    #[error("{path}: its data model {found} is older than {supported}; bring it up to date with `tongtin migrate` (ไฟล์ใช้โครงสร้างข้อมูลรุ่นเก่า ต้องปรับรุ่นก่อนแก้ไข)")]
    ModelOlder { path: String, found: u32, supported: u32 },
    #[error(transparent)]
    Journal(#[from] JournalError),
    #[error(transparent)]
    Gpkg(#[from] GpkgError),
}

fn list(problems: &[FieldProblem]) -> String {
    problems.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("; ")
}

impl From<rusqlite::Error> for EditError {
    fn from(source: rusqlite::Error) -> Self {
        EditError::Gpkg(GpkgError::Sqlite {
            context: "editing".into(),
            source,
        })
    }
}
