//! Documents people print or open in a spreadsheet: reports as tables with
//! charts, and label sheets. The report modules fill a [`Report`]; the
//! writers here turn it into JSON, CSV, XLSX or PDF (Sarabun, พ.ศ. dates).
//!
//! Must not know: where the figures come from (the inventory, the map), the
//! desktop shell.
//!
//! ```
//! use tongtin::document::{write, Format, Lang, Report};
//! let report = Report {
//!     name: "empty".into(),
//!     title_th: "รายงาน".into(),
//!     title_en: "Report".into(),
//!     subtitle: vec![],
//!     tables: vec![],
//!     charts: vec![],
//! };
//! let format: Format = "csv".parse().unwrap();
//! let mut out = Vec::new();
//! write(&report, format, Lang::Th, &mut out).unwrap();
//! assert!(out.starts_with(b"\xEF\xBB\xBF"));
//! ```

mod csv;
mod error;
mod json;
mod report;
mod text;
pub mod thai_date;
mod xlsx;

pub use error::DocumentError;
pub use report::{Cell, Chart, Column, ColumnKind, Lang, Report, Series, Table};
pub use xlsx::{ISO_DATE_FORMAT, THAI_DATE_FORMAT};

use std::fmt;
use std::io::Write;
use std::str::FromStr;

/// The file formats a report can be written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// JSON for programs: rows keyed by column key, ISO dates.
    Json,
    /// CSV for Excel: UTF-8 with BOM, CRLF, พ.ศ. dates in Thai.
    Csv,
    /// An Excel workbook, one sheet per table.
    Xlsx,
    /// A printable A4 PDF in Sarabun.
    Pdf,
}

impl Format {
    pub const ALL: [Format; 4] = [Format::Json, Format::Csv, Format::Xlsx, Format::Pdf];

    /// The file extension, without the dot (`"xlsx"`); also the name `parse` accepts.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::Pdf => "pdf",
        }
    }

    /// The MIME type, for a save dialog or a download.
    pub fn mime(self) -> &'static str {
        match self {
            Format::Json => "application/json",
            Format::Csv => "text/csv; charset=utf-8",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Pdf => "application/pdf",
        }
    }

    /// The format a path's extension names (case-insensitive), if any.
    pub fn from_path(path: &std::path::Path) -> Option<Format> {
        path.extension()?.to_str()?.parse().ok()
    }
}

impl FromStr for Format {
    type Err = DocumentError;

    /// `json`, `csv`, `xlsx` or `pdf`, any case, with or without a leading dot.
    fn from_str(s: &str) -> Result<Format, DocumentError> {
        let name = s.trim().trim_start_matches('.').to_ascii_lowercase();
        Format::ALL
            .into_iter()
            .find(|f| f.extension() == name)
            .ok_or_else(|| DocumentError::UnknownFormat(s.to_string()))
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.extension())
    }
}

/// Writes `report` as `format` in `lang` to `out`. The report is checked first
/// (one cell per column, one value per chart label); nothing is written if not.
pub fn write(report: &Report, format: Format, lang: Lang, out: &mut dyn Write) -> Result<(), DocumentError> {
    text::check(report)?;
    match format {
        Format::Json => json::write(report, lang, out),
        Format::Csv => csv::write(report, lang, out),
        Format::Xlsx => xlsx::write(report, lang, out),
        Format::Pdf => Err(DocumentError::Unsupported(format)),
    }
}

/// One label of a label sheet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    /// What the QR code carries, printed under it: the asset or pole number.
    pub code: String,
    /// The first line next to the code (the item's name).
    pub title: String,
    /// Further lines (department, location, date of acquisition…).
    pub lines: Vec<String>,
}

/// Writes an A4 PDF sheet of labels, each with a QR code carrying `code`.
pub fn write_labels(labels: &[Label], lang: Lang, out: &mut dyn Write) -> Result<(), DocumentError> {
    let _ = (labels, lang, out);
    Err(DocumentError::Unsupported(Format::Pdf))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        for f in Format::ALL {
            assert_eq!(f.extension().parse::<Format>().unwrap(), f);
        }
        assert_eq!("XLSX".parse::<Format>().unwrap(), Format::Xlsx);
        assert_eq!(".pdf".parse::<Format>().unwrap(), Format::Pdf);
        assert!("doc".parse::<Format>().is_err());
        assert_eq!(Format::from_path("a/b.CSV".as_ref()), Some(Format::Csv));
    }
}
