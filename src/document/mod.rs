//! Documents people print or open in a spreadsheet: reports as tables with
//! charts, and label sheets. The report modules fill a [`Report`]; the
//! writers here turn it into CSV, XLSX or PDF (Sarabun, พ.ศ. dates).
//!
//! Must not know: where the figures come from (the inventory, the map), the
//! desktop shell.

mod report;

pub use report::{Cell, Chart, Column, ColumnKind, Lang, Report, Series, Table};
