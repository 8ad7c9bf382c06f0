//! Cells as text, shared by the CSV and PDF writers.

use super::report::{Cell, ColumnKind, Lang, Report};
use super::thai_date;
use super::DocumentError;
use chrono::NaiveDate;

/// Who reads the text: a spreadsheet importing data, or a person reading paper.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Style {
    /// Numbers without thousands separators (Excel must read them as numbers),
    /// dates as `12/10/2566` (Thai) or ISO (English).
    Data,
    /// Thousands separators, dates as `12 ต.ค. 2566` or `12 Oct 2023`.
    Print,
}

/// A cell as text in a column of `kind`.
pub(crate) fn cell_text(cell: &Cell, kind: ColumnKind, lang: Lang, style: Style) -> String {
    match cell {
        Cell::Empty => String::new(),
        Cell::Text(s) => s.clone(),
        Cell::Int(i) => match kind {
            ColumnKind::Money => number(*i as f64, 2, style),
            ColumnKind::Decimal(n) => number(*i as f64, n, style),
            ColumnKind::Percent => percent(*i as f64, style),
            _ if style == Style::Print => group(&i.to_string()),
            _ => i.to_string(),
        },
        Cell::Num(v) => match kind {
            ColumnKind::Money => number(*v, 2, style),
            ColumnKind::Decimal(n) => number(*v, n, style),
            ColumnKind::Integer => number(*v, 0, style),
            ColumnKind::Percent => percent(*v, style),
            ColumnKind::Text | ColumnKind::Date => plain(*v),
        },
        Cell::Date(d) => date(*d, lang, style),
    }
}

pub(crate) fn date(d: NaiveDate, lang: Lang, style: Style) -> String {
    match (lang, style) {
        (Lang::Th, Style::Data) => thai_date::numeric(d),
        (Lang::Th, Style::Print) => thai_date::short(d),
        (Lang::En, Style::Data) => thai_date::iso(d),
        (Lang::En, Style::Print) => d.format("%-d %b %Y").to_string(),
    }
}

/// `v` with `decimals` decimals; never `-0.00`; NaN and infinities are empty.
pub(crate) fn number(v: f64, decimals: u8, style: Style) -> String {
    if !v.is_finite() {
        return String::new();
    }
    let mut s = format!("{:.*}", decimals as usize, v);
    if s.starts_with('-') && s[1..].bytes().all(|b| b == b'0' || b == b'.') {
        s.remove(0);
    }
    match style {
        Style::Data => s,
        Style::Print => group(&s),
    }
}

fn percent(v: f64, style: Style) -> String {
    if !v.is_finite() {
        return String::new();
    }
    let n = number(v * 100.0, 2, style);
    match style {
        Style::Data => format!("{n}%"),
        Style::Print => format!("{n} %"),
    }
}

/// The shortest decimal that reads back as `v`.
fn plain(v: f64) -> String {
    if v.is_finite() {
        format!("{v}")
    } else {
        String::new()
    }
}

/// Thousands separators in the integer part of a formatted number.
fn group(s: &str) -> String {
    let (sign, rest) = match s.strip_prefix('-') {
        Some(r) => ("-", r),
        None => ("", s),
    };
    let (int, frac) = match rest.find('.') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    let mut out = String::with_capacity(s.len() + int.len() / 3);
    out.push_str(sign);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out.push_str(frac);
    out
}

/// Every row and totals row has one cell per column; every series one value per label.
pub(crate) fn check(report: &Report) -> Result<(), DocumentError> {
    for t in &report.tables {
        let expected = t.columns.len();
        let rows = t.rows.iter().enumerate().map(|(i, r)| (i + 1, r));
        for (row, cells) in rows.chain(t.totals.iter().map(|r| (0, r))) {
            if cells.len() != expected {
                return Err(DocumentError::RaggedRow {
                    table: t.title_en.clone(),
                    row,
                    expected,
                    found: cells.len(),
                });
            }
        }
    }
    for c in &report.charts {
        for s in &c.series {
            if s.values.len() != c.labels.len() {
                return Err(DocumentError::RaggedSeries {
                    chart: c.title_en.clone(),
                    series: s.name.clone(),
                    expected: c.labels.len(),
                    found: s.values.len(),
                });
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(number(1234567.891, 2, Style::Data), "1234567.89");
        assert_eq!(number(1234567.891, 2, Style::Print), "1,234,567.89");
        assert_eq!(number(-1234.5, 2, Style::Print), "-1,234.50");
        assert_eq!(number(-0.001, 2, Style::Data), "0.00");
        assert_eq!(number(123.0, 0, Style::Print), "123");
        assert_eq!(number(f64::NAN, 2, Style::Print), "");
        assert_eq!(percent(0.125, Style::Print), "12.50 %");
        assert_eq!(percent(0.125, Style::Data), "12.50%");
        assert_eq!(
            cell_text(&Cell::Int(1000000), ColumnKind::Integer, Lang::Th, Style::Print),
            "1,000,000"
        );
        assert_eq!(
            cell_text(&Cell::Int(5), ColumnKind::Money, Lang::Th, Style::Data),
            "5.00"
        );
    }

    #[test]
    fn dates() {
        let d = NaiveDate::from_ymd_opt(2023, 10, 12).unwrap();
        assert_eq!(date(d, Lang::Th, Style::Data), "12/10/2566");
        assert_eq!(date(d, Lang::Th, Style::Print), "12 ต.ค. 2566");
        assert_eq!(date(d, Lang::En, Style::Data), "2023-10-12");
        assert_eq!(date(d, Lang::En, Style::Print), "12 Oct 2023");
    }
}
