//! CSV that Excel opens with Thai intact: UTF-8 with a byte-order mark, CRLF
//! line ends, RFC 4180 quoting. Numbers carry no thousands separators so
//! Excel reads them as numbers; money has two decimals; dates are พ.ศ.
//! (`12/10/2566`) in Thai and ISO in English. A report with several tables
//! is written as blocks, each a title line, the header and the rows (and the
//! totals row), separated by an empty line.

use super::report::{Lang, Report};
use super::text::{cell_text, Style};
use super::DocumentError;
use std::io::Write;

/// UTF-8 byte-order mark: without it Excel reads the file in the ANSI code page.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

pub(crate) fn write(report: &Report, lang: Lang, out: &mut dyn Write) -> Result<(), DocumentError> {
    let mut w = std::io::BufWriter::new(out);
    w.write_all(BOM)?;
    for (i, t) in report.tables.iter().enumerate() {
        if i > 0 {
            w.write_all(b"\r\n")?;
        }
        record(&mut w, [t.title(lang)])?;
        record(&mut w, t.columns.iter().map(|c| c.title(lang)))?;
        for row in t.rows.iter().chain(t.totals.iter()) {
            let cells: Vec<String> = row
                .iter()
                .zip(&t.columns)
                .map(|(c, col)| cell_text(c, col.kind, lang, Style::Data))
                .collect();
            record(&mut w, cells.iter().map(|s| s.as_str()))?;
        }
    }
    w.flush()?;
    Ok(())
}

fn record<'a>(w: &mut impl Write, fields: impl IntoIterator<Item = &'a str>) -> std::io::Result<()> {
    for (i, f) in fields.into_iter().enumerate() {
        if i > 0 {
            w.write_all(b",")?;
        }
        field(w, f)?;
    }
    w.write_all(b"\r\n")
}

/// One field, quoted when RFC 4180 needs it (comma, quote, line break) or when
/// leading/trailing spaces would be lost. Text starting with `=`, `+` or `@`
/// is prefixed with `'` so Excel does not run it as a formula.
fn field(w: &mut impl Write, f: &str) -> std::io::Result<()> {
    let formula = f.starts_with(['=', '+', '@']);
    let quote = formula || f.contains([',', '"', '\r', '\n']) || f.starts_with(' ') || f.ends_with(' ');
    if !quote {
        return w.write_all(f.as_bytes());
    }
    w.write_all(b"\"")?;
    if formula {
        w.write_all(b"'")?;
    }
    w.write_all(f.replace('"', "\"\"").as_bytes())?;
    w.write_all(b"\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(f: &str) -> String {
        let mut v = Vec::new();
        field(&mut v, f).unwrap();
        String::from_utf8(v).unwrap()
    }

    #[test]
    fn quoting() {
        assert_eq!(one("ถนน"), "ถนน");
        assert_eq!(one("a,b"), "\"a,b\"");
        assert_eq!(one("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(one("two\nlines"), "\"two\nlines\"");
        assert_eq!(one("=1+1"), "\"'=1+1\"");
        assert_eq!(one("-"), "-");
    }
}
