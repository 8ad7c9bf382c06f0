//! Excel workbooks: one sheet per table (title and subtitle lines above a bold,
//! frozen header row, real numbers and dates with number formats, a bold totals
//! row, column widths from the content, the header repeated on printed pages),
//! and a sheet of charts (native Excel column charts over their data).
//!
//! Dates are real Excel dates. Thai workbooks show them in the Buddhist era with
//! the format `[$-107041E]d mmm yyyy;@`: in Excel's `[$-NNCCLLLL]` locale prefix
//! `041E` is the th-TH locale id, `07` the calendar (Windows' `CAL_THAI`, the
//! Thai Buddhist calendar) and `01` Western digits (`0D` would be Thai digits).
//! These are the codes Excel itself offers under Format Cells → Date for Thai
//! (`[$-107041E]d mmm yy;@`, `[$-D07041E]d mmmm yyyy;@` …), and LibreOffice reads
//! them as Buddhist dates too (its svl unit tests import `[$-107041E]d/mm/yyyy;@`).
//! So a date cell stays a date (sortable, usable in formulas) and reads
//! `12 ต.ค. 2566`. English workbooks use `yyyy-mm-dd`.

use super::report::{Cell, Chart, ColumnKind, Lang, Report, Table};
use super::text::{cell_text, Style};
use super::DocumentError;
use chrono::Datelike;
use rust_xlsxwriter::{
    Chart as XChart, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};
use std::collections::HashSet;
use std::io::Write;

/// The date format of Thai workbooks (see the module documentation).
pub const THAI_DATE_FORMAT: &str = "[$-107041E]d mmm yyyy;@";
/// The date format of English workbooks.
pub const ISO_DATE_FORMAT: &str = "yyyy-mm-dd";

impl From<XlsxError> for DocumentError {
    fn from(e: XlsxError) -> DocumentError {
        DocumentError::Xlsx(e.to_string())
    }
}

/// The number format of a column.
pub(crate) fn num_format(kind: ColumnKind, lang: Lang) -> &'static str {
    match kind {
        ColumnKind::Text => "General",
        ColumnKind::Integer => "#,##0",
        ColumnKind::Money => "#,##0.00",
        ColumnKind::Decimal(0) => "#,##0",
        ColumnKind::Decimal(1) => "#,##0.0",
        ColumnKind::Decimal(2) => "#,##0.00",
        ColumnKind::Decimal(3) => "#,##0.000",
        ColumnKind::Decimal(4) => "#,##0.0000",
        ColumnKind::Decimal(5) => "#,##0.00000",
        ColumnKind::Decimal(_) => "#,##0.000000",
        ColumnKind::Percent => "0.00%",
        ColumnKind::Date => match lang {
            Lang::Th => THAI_DATE_FORMAT,
            Lang::En => ISO_DATE_FORMAT,
        },
    }
}

pub(crate) fn write(report: &Report, lang: Lang, out: &mut dyn Write) -> Result<(), DocumentError> {
    let mut book = Workbook::new();
    let mut names = SheetNames::default();
    let title_fmt = Format::new().set_bold().set_font_size(14);
    for (i, table) in report.tables.iter().enumerate() {
        let name = names.take(table.title(lang), &format!("{} {}", sheet_word(lang), i + 1));
        let sheet = book.add_worksheet();
        sheet.set_name(&name)?;
        write_table(sheet, report, table, lang, &title_fmt)?;
    }
    if !report.charts.is_empty() {
        let name = names.take(
            match lang {
                Lang::Th => "แผนภูมิ",
                Lang::En => "Charts",
            },
            "Charts",
        );
        let sheet = book.add_worksheet();
        sheet.set_name(&name)?;
        write_charts(sheet, &name, &report.charts, lang, &title_fmt)?;
    }
    if report.tables.is_empty() && report.charts.is_empty() {
        let sheet = book.add_worksheet();
        sheet.write_string_with_format(0, 0, report.title(lang), &title_fmt)?;
    }
    let props = rust_xlsxwriter::DocProperties::new()
        .set_title(report.title(lang))
        .set_subject(&report.name)
        .set_author("Tongtin");
    book.set_properties(&props);
    let bytes = book.save_to_buffer()?;
    out.write_all(&bytes)?;
    out.flush()?;
    Ok(())
}

fn sheet_word(lang: Lang) -> &'static str {
    match lang {
        Lang::Th => "ตาราง",
        Lang::En => "Table",
    }
}

fn write_table(
    sheet: &mut Worksheet,
    report: &Report,
    table: &Table,
    lang: Lang,
    title_fmt: &Format,
) -> Result<(), DocumentError> {
    let ncols = table.columns.len() as u16;
    let mut row: u32 = 0;
    sheet.write_string_with_format(row, 0, report.title(lang), title_fmt)?;
    row += 1;
    for line in &report.subtitle {
        sheet.write_string(row, 0, line)?;
        row += 1;
    }
    if table.title(lang) != report.title(lang) {
        sheet.write_string_with_format(row, 0, table.title(lang), &Format::new().set_bold())?;
        row += 1;
    }
    row += 1;
    let header_row = row;

    let header = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_background_color(0xE8EEF4)
        .set_border(FormatBorder::Thin);
    let body: Vec<Format> = table
        .columns
        .iter()
        .map(|c| Format::new().set_num_format(num_format(c.kind, lang)))
        .collect();
    let totals: Vec<Format> = body
        .iter()
        .map(|f| {
            f.clone()
                .set_bold()
                .set_border_top(FormatBorder::Thin)
                .set_border_bottom(FormatBorder::Double)
        })
        .collect();

    let mut widths: Vec<usize> = vec![6; table.columns.len()];
    for (c, col) in table.columns.iter().enumerate() {
        sheet.write_string_with_format(header_row, c as u16, col.title(lang), &header)?;
        widths[c] = widths[c].max(col.title(lang).split_whitespace().map(display_width).max().unwrap_or(0));
    }
    row += 1;
    for cells in &table.rows {
        write_row(sheet, row, cells, table, lang, &body, &mut widths)?;
        row += 1;
    }
    let last_data = row.saturating_sub(1);
    if let Some(cells) = &table.totals {
        write_row(sheet, row, cells, table, lang, &totals, &mut widths)?;
        for (c, cell) in cells.iter().enumerate() {
            if matches!(cell, Cell::Empty) {
                sheet.write_blank(row, c as u16, &totals[c])?;
            }
        }
    }
    for (c, w) in widths.iter().enumerate() {
        sheet.set_column_width(c as u16, (*w as f64 + 2.0).min(60.0))?;
    }
    if ncols > 0 {
        sheet.set_freeze_panes(header_row + 1, 0)?;
        sheet.set_repeat_rows(header_row, header_row)?;
        if !table.rows.is_empty() {
            sheet.autofilter(header_row, 0, last_data, ncols - 1)?;
        }
    }
    sheet.set_paper_size(9); // A4
    if widths.iter().sum::<usize>() > 110 {
        sheet.set_landscape();
    }
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_footer(match lang {
        Lang::Th => "&Cหน้า &P/&N",
        Lang::En => "&CPage &P/&N",
    });
    Ok(())
}

fn write_row(
    sheet: &mut Worksheet,
    row: u32,
    cells: &[Cell],
    table: &Table,
    lang: Lang,
    formats: &[Format],
    widths: &mut [usize],
) -> Result<(), DocumentError> {
    for (c, cell) in cells.iter().enumerate() {
        let col = c as u16;
        let fmt = &formats[c];
        match cell {
            Cell::Empty => {}
            Cell::Text(s) => {
                sheet.write_string_with_format(row, col, s, fmt)?;
            }
            Cell::Int(i) => {
                sheet.write_number_with_format(row, col, *i as f64, fmt)?;
            }
            Cell::Num(v) if v.is_finite() => {
                sheet.write_number_with_format(row, col, *v, fmt)?;
            }
            Cell::Num(_) => {}
            Cell::Date(d) => {
                let dt = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
                sheet.write_datetime_with_format(row, col, dt, fmt)?;
            }
        }
        let kind = table.columns[c].kind;
        let w = display_width(&cell_text(cell, kind, lang, Style::Print));
        widths[c] = widths[c].max(w);
    }
    Ok(())
}

fn write_charts(
    sheet: &mut Worksheet,
    name: &str,
    charts: &[Chart],
    lang: Lang,
    title_fmt: &Format,
) -> Result<(), DocumentError> {
    let bold = Format::new().set_bold();
    let mut row: u32 = 0;
    let mut label_width = 10;
    for chart in charts {
        sheet.write_string_with_format(row, 0, chart.title(lang), title_fmt)?;
        let head = row + 1;
        for (s, series) in chart.series.iter().enumerate() {
            sheet.write_string_with_format(head, s as u16 + 1, &series.name, &bold)?;
        }
        for (i, label) in chart.labels.iter().enumerate() {
            let r = head + 1 + i as u32;
            sheet.write_string(r, 0, label)?;
            label_width = label_width.max(display_width(label));
            for (s, series) in chart.series.iter().enumerate() {
                let v = series.values[i];
                if v.is_finite() {
                    sheet.write_number(r, s as u16 + 1, v)?;
                }
            }
        }
        let n = chart.labels.len() as u32;
        let height_rows = 16u32;
        if n > 0 && !chart.series.is_empty() {
            let mut x = XChart::new_column();
            x.title().set_name(chart.title(lang));
            for (s, _) in chart.series.iter().enumerate() {
                let col = s as u16 + 1;
                x.add_series()
                    .set_name((name, head, col))
                    .set_categories((name, head + 1, 0, head + n, 0))
                    .set_values((name, head + 1, col, head + n, col));
            }
            if chart.series.len() == 1 {
                x.legend().set_hidden();
            }
            x.set_width(640).set_height(height_rows * 20);
            sheet.insert_chart(head, chart.series.len() as u16 + 2, &x)?;
        }
        row = head + 1 + n.max(height_rows) + 2;
    }
    sheet.set_column_width(0, (label_width as f64 + 2.0).min(60.0))?;
    Ok(())
}

/// The width of text in character cells: Thai marks above and below take none.
pub(crate) fn display_width(s: &str) -> usize {
    s.chars().filter(|c| !is_thai_mark(*c)).count()
}

/// Thai vowels and tone marks that sit above or below the consonant before them.
pub(crate) fn is_thai_mark(c: char) -> bool {
    matches!(c, '\u{0E31}' | '\u{0E34}'..='\u{0E3A}' | '\u{0E47}'..='\u{0E4E}')
}

/// Sheet names as Excel accepts them: at most 31 characters, none of `[]:*?/\`,
/// no leading or trailing apostrophe, unique ignoring case, not "History".
#[derive(Default)]
struct SheetNames(HashSet<String>);

impl SheetNames {
    fn take(&mut self, wanted: &str, fallback: &str) -> String {
        let clean: String = wanted
            .chars()
            .map(|c| {
                if "[]:*?/\\".contains(c) || c.is_control() {
                    ' '
                } else {
                    c
                }
            })
            .collect();
        let clean = clean.split_whitespace().collect::<Vec<_>>().join(" ");
        let clean = clean.trim_matches('\'').to_string();
        let base = if clean.is_empty() || clean.eq_ignore_ascii_case("history") {
            fallback.to_string()
        } else {
            clean
        };
        for n in 1.. {
            let suffix = if n == 1 { String::new() } else { format!(" ({n})") };
            let name = format!("{}{}", truncate(&base, 31 - suffix.chars().count()), suffix);
            if self.0.insert(name.to_lowercase()) {
                return name;
            }
        }
        unreachable!()
    }
}

/// At most `max` characters, never separating a Thai mark from its consonant.
fn truncate(s: &str, max: usize) -> String {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() <= max {
        return s.to_string();
    }
    let mut end = max;
    while end > 0 && is_thai_mark(chars[end]) {
        end -= 1;
    }
    chars[..end]
        .iter()
        .collect::<String>()
        .trim_end()
        .trim_end_matches('\'')
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names() {
        let mut n = SheetNames::default();
        assert_eq!(n.take("ค่าเสื่อมราคา", "x"), "ค่าเสื่อมราคา");
        assert_eq!(n.take("ค่าเสื่อมราคา", "x"), "ค่าเสื่อมราคา (2)");
        assert_eq!(n.take("a/b [c]: d?", "x"), "a b c d");
        assert_eq!(n.take("History", "Table 1"), "Table 1");
        let long = "รายงานค่าเสื่อมราคาครุภัณฑ์ประจำปีงบประมาณ พ.ศ. 2566";
        let t = n.take(long, "x");
        assert!(t.chars().count() <= 31, "{t}");
        assert!(long.starts_with(&t));
        let next = long.chars().nth(t.chars().count()).unwrap();
        assert!(!is_thai_mark(next));
        assert_eq!(n.take("'quoted'", "x"), "quoted");
    }
}
