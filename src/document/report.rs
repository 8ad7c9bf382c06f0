//! The shape every report takes before it is written out.

use chrono::NaiveDate;
use serde::Serialize;

/// The language a document is written in; Thai is the default.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Th,
    En,
}

/// A report: a title, lines under it (the organisation, the fiscal year),
/// one or more tables and the charts drawn from them.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    /// The report's name as the CLI knows it (`depreciation`, `pole-outages`…).
    pub name: String,
    pub title_th: String,
    pub title_en: String,
    /// Lines printed under the title, already in the report's language.
    pub subtitle: Vec<String>,
    pub tables: Vec<Table>,
    pub charts: Vec<Chart>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Table {
    pub title_th: String,
    pub title_en: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
    /// A totals row printed under the table (same length as `columns`).
    pub totals: Option<Vec<Cell>>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Column {
    /// A stable key (JSON field name, spreadsheet header in English).
    pub key: String,
    pub th: String,
    pub en: String,
    pub kind: ColumnKind,
}

/// How a column's cells are formatted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ColumnKind {
    Text,
    Integer,
    /// Baht with two decimals and thousands separators.
    Money,
    /// A number with this many decimals.
    Decimal(u8),
    /// Written as a พ.ศ. date in Thai documents, ISO in data exports.
    Date,
    /// A fraction shown as a percentage (0.125 → 12.50 %).
    Percent,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Cell {
    Empty,
    Text(String),
    Int(i64),
    Num(f64),
    Date(NaiveDate),
}

/// A bar chart drawn from a table: one bar group per label.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Chart {
    pub title_th: String,
    pub title_en: String,
    pub labels: Vec<String>,
    pub series: Vec<Series>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Series {
    pub name: String,
    pub values: Vec<f64>,
}

impl Column {
    pub fn new(key: &str, th: &str, en: &str, kind: ColumnKind) -> Column {
        Column {
            key: key.into(),
            th: th.into(),
            en: en.into(),
            kind,
        }
    }

    /// The header in `lang`.
    pub fn title(&self, lang: Lang) -> &str {
        match lang {
            Lang::Th => &self.th,
            Lang::En => &self.en,
        }
    }
}

impl Report {
    pub fn title(&self, lang: Lang) -> &str {
        match lang {
            Lang::Th => &self.title_th,
            Lang::En => &self.title_en,
        }
    }
}

impl Table {
    /// The table's title in `lang`.
    pub fn title(&self, lang: Lang) -> &str {
        match lang {
            Lang::Th => &self.title_th,
            Lang::En => &self.title_en,
        }
    }
}

impl Chart {
    /// The chart's title in `lang`.
    pub fn title(&self, lang: Lang) -> &str {
        match lang {
            Lang::Th => &self.title_th,
            Lang::En => &self.title_en,
        }
    }
}
