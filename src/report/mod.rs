//! Reports as data: each builder reads the file and returns a
//! [`Report`] (tables, totals, charts) that `document::write` turns into
//! JSON, CSV, XLSX or PDF. The figures are computed here, once, so every
//! format shows the same numbers.
//!
//! Must not know: how documents are laid out, the UI, the terminal.

mod equipment;
mod maintenance;
mod roads;

use chrono::NaiveDate;
use thiserror::Error;

use crate::document::{Cell, Column, ColumnKind, Lang, Report};
use crate::gpkg::GpkgError;
use crate::inventory::{FiscalYear, MonthRule};
use crate::model::schema;

pub use equipment::{depreciation, equipment_value, inventory_check};
pub use maintenance::{pole_outages, work_orders};
pub use roads::road_register;

/// The reports, by the names the CLI and the app use.
pub const NAMES: [&str; 6] = [
    "depreciation",
    "inventory-check",
    "pole-outages",
    "road-register",
    "equipment-value",
    "work-orders",
];

/// What a report is for.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ReportOptions {
    /// The fiscal year reported on.
    pub fy: FiscalYear,
    /// The language of subtitles and chart labels (tables carry both).
    pub lang: Lang,
    /// "Today" for ages of open work orders (the end of `fy` when earlier).
    pub today: NaiveDate,
    pub month_rule: MonthRule,
}

impl ReportOptions {
    /// The current fiscal year, in Thai, as of today.
    pub fn current() -> ReportOptions {
        let today = chrono::Local::now().date_naive();
        ReportOptions {
            fy: FiscalYear::of(today),
            lang: Lang::Th,
            today,
            month_rule: MonthRule::default(),
        }
    }

    /// The day the report is as of: today, or the end of `fy` when that is earlier.
    pub fn as_of(&self) -> NaiveDate {
        self.today.min(self.fy.last_day())
    }
}

#[derive(Debug, Error)]
pub enum ReportError {
    /// Not one of [`NAMES`].
    #[error("no report '{0}' (use depreciation, inventory-check, pole-outages, road-register, equipment-value or work-orders)")]
    UnknownReport(String),
    /// The report needs data the file does not have (a check for the year…).
    #[error("{en} ({th})")]
    NoData { th: String, en: String },
    #[error(transparent)]
    Gpkg(#[from] GpkgError),
}

impl From<rusqlite::Error> for ReportError {
    fn from(source: rusqlite::Error) -> Self {
        ReportError::Gpkg(GpkgError::Sqlite {
            context: "reading the report's data".into(),
            source,
        })
    }
}

/// Builds report `name` from the open file.
pub fn build(conn: &rusqlite::Connection, name: &str, options: &ReportOptions) -> Result<Report, ReportError> {
    match name {
        "depreciation" => depreciation(conn, options),
        "inventory-check" => inventory_check(conn, options),
        "pole-outages" => pole_outages(conn, options),
        "road-register" => road_register(conn, options),
        "equipment-value" => equipment_value(conn, options),
        "work-orders" => work_orders(conn, options),
        other => Err(ReportError::UnknownReport(other.to_string())),
    }
}

/// th or en.
pub(crate) fn tr<'a>(lang: Lang, th: &'a str, en: &'a str) -> &'a str {
    match lang {
        Lang::Th => th,
        Lang::En => en,
    }
}

/// The label of a domain code in `lang` (the code itself when unknown).
pub(crate) fn domain_label(domain: &str, code: &str, lang: Lang) -> String {
    schema()
        .domain(domain)
        .and_then(|d| d.value(code))
        .map(|v| tr(lang, &v.th, &v.en).to_string())
        .unwrap_or_else(|| code.to_string())
}

/// The municipality's name from its boundary, for the lines under the title.
pub(crate) fn organisation(conn: &rusqlite::Connection, lang: Lang) -> Option<String> {
    let sql = match lang {
        Lang::Th => "SELECT name_th FROM boundary ORDER BY fid LIMIT 1",
        Lang::En => "SELECT coalesce(name_en, name_th) FROM boundary ORDER BY fid LIMIT 1",
    };
    conn.query_row(sql, [], |r| r.get::<_, Option<String>>(0))
        .ok()
        .flatten()
}

/// The standard lines under a title: the organisation and the fiscal year.
pub(crate) fn subtitle(conn: &rusqlite::Connection, o: &ReportOptions) -> Vec<String> {
    let mut lines: Vec<String> = organisation(conn, o.lang).into_iter().collect();
    lines.push(match o.lang {
        Lang::Th => format!("ปีงบประมาณ พ.ศ. {}", o.fy),
        Lang::En => format!(
            "Fiscal year {} B.E. ({} – {})",
            o.fy,
            o.fy.first_day().format("%-d %b %Y"),
            o.fy.last_day().format("%-d %b %Y")
        ),
    });
    lines
}

pub(crate) fn col(key: &str, th: &str, en: &str, kind: ColumnKind) -> Column {
    Column::new(key, th, en, kind)
}

pub(crate) fn text(s: impl Into<String>) -> Cell {
    let s = s.into();
    if s.is_empty() {
        Cell::Empty
    } else {
        Cell::Text(s)
    }
}

/// Money rounded to the satang (the sums of a report add up as printed).
pub(crate) fn money(v: f64) -> Cell {
    Cell::Num((v * 100.0).round() / 100.0)
}
