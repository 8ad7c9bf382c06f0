//! A4 sheets of QR labels, 3 × 8 labels of 70 × 37 mm (the common
//! self-adhesive sheet). Each label: a QR code carrying exactly the code (an
//! asset or pole number, so a scanner types it into the search box), the code
//! printed under it, the title and lines beside it in Sarabun.

use super::pdf::canvas::{wrap, Align, BLACK};
use super::pdf::font::{BOLD, REGULAR};
use super::pdf::{Document, A4};
use super::{DocumentError, Label, Lang};
use qrcode::{Color, EcLevel, QrCode};

const COLUMNS: usize = 3;
const ROWS: usize = 8;
const MM: f64 = 72.0 / 25.4;
/// Room inside the label's edge kept free (printers do not reach the edge).
const PAD: f64 = 3.5 * MM;
/// Light modules around the code that scanners need (ISO/IEC 18004: 4 modules).
const QUIET: usize = 4;
const GUIDE: (f64, f64, f64) = (0.85, 0.85, 0.85);

/// A QR code's dark modules as rectangles (runs along each row merged), in a
/// square of `size` points at (x, y) including the quiet zone.
fn qr_rects(code: &str, x: f64, y: f64, size: f64) -> Result<Vec<(f64, f64, f64, f64)>, DocumentError> {
    if code.is_empty() {
        return Err(DocumentError::LabelCode {
            code: code.into(),
            reason: "empty".into(),
        });
    }
    let qr =
        QrCode::with_error_correction_level(code.as_bytes(), EcLevel::M).map_err(|e| DocumentError::LabelCode {
            code: code.into(),
            reason: e.to_string(),
        })?;
    let n = qr.width();
    let colors = qr.to_colors();
    let m = size / (n + 2 * QUIET) as f64;
    let mut rects = Vec::new();
    for row in 0..n {
        let mut col = 0;
        while col < n {
            if colors[row * n + col] == Color::Dark {
                let start = col;
                while col < n && colors[row * n + col] == Color::Dark {
                    col += 1;
                }
                rects.push((
                    x + (QUIET + start) as f64 * m,
                    y + (QUIET + row) as f64 * m,
                    (col - start) as f64 * m,
                    m,
                ));
            } else {
                col += 1;
            }
        }
    }
    Ok(rects)
}

pub(crate) fn write(labels: &[Label], lang: Lang, out: &mut dyn std::io::Write) -> Result<(), DocumentError> {
    let mut doc = Document::new()?;
    let (lw, lh) = (A4.0 / COLUMNS as f64, A4.1 / ROWS as f64);
    let qr_size = lh - 2.0 * PAD - 9.0;
    if labels.is_empty() {
        doc.add_page(A4.0, A4.1);
    }
    for (i, label) in labels.iter().enumerate() {
        let slot = i % (COLUMNS * ROWS);
        if slot == 0 {
            doc.add_page(A4.0, A4.1);
        }
        let page_index = doc.pages.len() - 1;
        let (x, y) = ((slot % COLUMNS) as f64 * lw, (slot / COLUMNS) as f64 * lh);
        let rects = qr_rects(&label.code, x + PAD - 4.0, y + PAD - 4.0, qr_size + 8.0)?;
        let Document { fonts, pages } = &mut doc;
        let page = &mut pages[page_index];
        page.stroke_rect(x + 1.0, y + 1.0, lw - 2.0, lh - 2.0, 0.3, GUIDE);
        page.fill_rects(&rects);

        // The code under the QR code, shrunk to fit its width.
        let code_x = x + PAD - 4.0 + (qr_size + 8.0) / 2.0;
        let mut size = 8.0;
        while size > 5.0 && fonts.width(BOLD, &label.code, size) > qr_size + 12.0 {
            size -= 0.5;
        }
        page.text(
            fonts,
            BOLD,
            &label.code,
            code_x,
            y + lh - PAD - 1.0,
            size,
            Align::Center,
            BLACK,
        );

        // Title and lines beside it, wrapped, as many as fit.
        let tx = x + PAD + qr_size + 8.0;
        let tw = x + lw - PAD - tx;
        let mut ty = y + PAD;
        let bottom = y + lh - PAD;
        // The title on one line if a slightly smaller size allows it.
        let title_size = [9.5, 9.0, 8.5, 8.0]
            .into_iter()
            .find(|s| fonts.width(BOLD, &label.title, *s) <= tw)
            .unwrap_or(9.5);
        let mut items: Vec<(usize, f64, &str)> = vec![(BOLD, title_size, label.title.as_str())];
        items.extend(label.lines.iter().map(|l| (REGULAR, 7.5, l.as_str())));
        'items: for (font, size, text) in items {
            let f = &fonts.0[font];
            let (line_h, base) = ((f.ascender - f.descender) / f.upem * size, f.ascender / f.upem * size);
            let shaped = fonts.shape(font, text);
            for r in wrap(fonts, &shaped, size, tw) {
                if ty + line_h > bottom + 2.0 {
                    break 'items;
                }
                page.glyphs(fonts, &shaped, r, tx, ty + base, size, BLACK);
                ty += line_h * 0.92;
            }
            ty += 1.0;
        }
    }
    let title = match lang {
        Lang::Th => "ป้ายรหัสคิวอาร์",
        Lang::En => "QR labels",
    };
    let tag = match lang {
        Lang::Th => "th-TH",
        Lang::En => "en",
    };
    doc.finish(title, tag, out)
}
