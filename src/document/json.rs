//! JSON for other programs: the report with its texts in the chosen language,
//! each row an object keyed by the columns' stable keys, dates ISO 8601,
//! numbers unrounded, empty cells `null`.

use super::report::{Cell, Chart, Column, ColumnKind, Lang, Report, Table};
use super::DocumentError;
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};
use std::io::Write;

#[derive(Serialize)]
struct Doc<'a> {
    name: &'a str,
    lang: Lang,
    title: &'a str,
    subtitle: &'a [String],
    tables: Vec<TableDoc<'a>>,
    charts: Vec<ChartDoc<'a>>,
}

#[derive(Serialize)]
struct TableDoc<'a> {
    title: &'a str,
    columns: Vec<ColumnDoc<'a>>,
    rows: Rows<'a>,
    totals: Option<Row<'a>>,
}

#[derive(Serialize)]
struct ColumnDoc<'a> {
    key: &'a str,
    title: &'a str,
    kind: ColumnKind,
}

#[derive(Serialize)]
struct ChartDoc<'a> {
    title: &'a str,
    labels: &'a [String],
    series: &'a [super::Series],
}

struct Rows<'a>(&'a Table);
struct Row<'a>(&'a [Column], &'a [Cell]);

impl Serialize for Rows<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.rows.len()))?;
        for r in &self.0.rows {
            seq.serialize_element(&Row(&self.0.columns, r))?;
        }
        seq.end()
    }
}

impl Serialize for Row<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (col, cell) in self.0.iter().zip(self.1) {
            match cell {
                Cell::Empty => map.serialize_entry(&col.key, &None::<()>)?,
                Cell::Date(d) => map.serialize_entry(&col.key, &d.format("%Y-%m-%d").to_string())?,
                Cell::Num(v) if !v.is_finite() => map.serialize_entry(&col.key, &None::<()>)?,
                c => map.serialize_entry(&col.key, c)?,
            }
        }
        map.end()
    }
}

pub(crate) fn write(report: &Report, lang: Lang, out: &mut dyn Write) -> Result<(), DocumentError> {
    let doc = Doc {
        name: &report.name,
        lang,
        title: report.title(lang),
        subtitle: &report.subtitle,
        tables: report
            .tables
            .iter()
            .map(|t| TableDoc {
                title: t.title(lang),
                columns: t
                    .columns
                    .iter()
                    .map(|c| ColumnDoc {
                        key: &c.key,
                        title: c.title(lang),
                        kind: c.kind,
                    })
                    .collect(),
                rows: Rows(t),
                totals: t.totals.as_deref().map(|r| Row(&t.columns, r)),
            })
            .collect(),
        charts: report.charts.iter().map(|c| chart(c, lang)).collect(),
    };
    let mut w = std::io::BufWriter::new(out);
    serde_json::to_writer_pretty(&mut w, &doc)?;
    w.write_all(b"\n")?;
    w.flush()?;
    Ok(())
}

fn chart(c: &Chart, lang: Lang) -> ChartDoc<'_> {
    ChartDoc {
        title: c.title(lang),
        labels: &c.labels,
        series: &c.series,
    }
}
