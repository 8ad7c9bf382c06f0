//! What can go wrong while writing a document.

use super::Format;

/// Why a document could not be written.
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    /// Writing to the output failed (disk full, closed pipe…).
    #[error("could not write the document: {0}")]
    Io(#[from] std::io::Error),
    /// A format name that is not one of json, csv, xlsx, pdf.
    #[error("unknown document format {0:?} (expected json, csv, xlsx or pdf)")]
    UnknownFormat(String),
    /// A row (or the totals row) of a table does not have one cell per column.
    #[error("table {table:?}, row {row}: {found} cells for {expected} columns")]
    RaggedRow {
        table: String,
        /// 1-based row number; 0 for the totals row.
        row: usize,
        expected: usize,
        found: usize,
    },
    /// A chart's series does not have one value per label.
    #[error("chart {chart:?}, series {series:?}: {found} values for {expected} labels")]
    RaggedSeries {
        chart: String,
        series: String,
        expected: usize,
        found: usize,
    },
    /// A label's code cannot be carried by a QR code (too long, or empty).
    #[error("label code {code:?} cannot be put in a QR code: {reason}")]
    LabelCode { code: String, reason: String },
    /// The JSON serialiser failed.
    #[error("could not write JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// The spreadsheet library refused the workbook (names, limits).
    #[error("could not write the spreadsheet: {0}")]
    Xlsx(String),
    /// The embedded font could not be read or shaped (a build defect).
    #[error("font problem: {0}")]
    Font(String),
    /// The format is not written by this build.
    #[error("{0:?} documents are not written yet")]
    Unsupported(Format),
}
