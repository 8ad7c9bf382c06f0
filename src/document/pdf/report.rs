//! A report as printed pages: the title and subtitle lines, each table with its
//! header repeated on every page and its totals row, then the charts; page
//! numbers (หน้า 1/3) at the foot. A4, landscape when a table is too wide for
//! portrait; columns as wide as their content, text wrapped when space is short.

use super::canvas::{wrap, Align, Page, Rgb, BLACK};
use super::chart;
use super::font::{Fonts, Shaped, BOLD, REGULAR};
use super::{Document, A4};
use crate::document::report::{Cell, ColumnKind, Lang, Report, Table};
use crate::document::text::{cell_text, Style};
use crate::document::DocumentError;
use std::ops::Range;

const MARGIN: f64 = 36.0;
/// Room kept at the foot of each page for the page number.
const FOOT: f64 = 28.0;
const TITLE: f64 = 16.0;
const SUBTITLE: f64 = 11.0;
const TABLE_TITLE: f64 = 12.0;
const BODY: f64 = 9.0;
const PAD_X: f64 = 3.0;
const PAD_Y: f64 = 1.5;
const CHART_HEIGHT: f64 = 250.0;
const HEADER_FILL: Rgb = (0.87, 0.91, 0.95);
const STRIPE: Rgb = (0.96, 0.96, 0.96);
const RULE: Rgb = (0.65, 0.65, 0.65);
const GREY: Rgb = (0.35, 0.35, 0.35);

/// Line height and baseline offset for `size` (the font's ascender and descender
/// leave room for Thai marks above and below).
pub(crate) fn metrics(fonts: &Fonts, size: f64) -> (f64, f64) {
    let f = &fonts.0[REGULAR];
    ((f.ascender - f.descender) / f.upem * size, f.ascender / f.upem * size)
}

/// A table's cells, shaped once (measuring and drawing share them).
struct Prepared {
    header: Vec<Shaped>,
    rows: Vec<Vec<Shaped>>,
    totals: Option<Vec<Shaped>>,
    align: Vec<Align>,
    want: Vec<f64>,
    min: Vec<f64>,
}

fn align(kind: ColumnKind) -> Align {
    match kind {
        ColumnKind::Text => Align::Left,
        ColumnKind::Date => Align::Center,
        _ => Align::Right,
    }
}

fn prepare(fonts: &mut Fonts, t: &Table, lang: Lang) -> Prepared {
    let n = t.columns.len();
    let mut content = vec![0.0f64; n];
    let shape_row = |fonts: &mut Fonts, cells: &[Cell], font: usize, content: &mut [f64]| {
        cells
            .iter()
            .zip(&t.columns)
            .enumerate()
            .map(|(i, (c, col))| {
                let s = fonts.shape(font, &cell_text(c, col.kind, lang, Style::Print));
                content[i] = content[i].max(fonts.pt(font, s.width_units(), BODY));
                s
            })
            .collect::<Vec<_>>()
    };
    let rows: Vec<Vec<Shaped>> = t
        .rows
        .iter()
        .map(|r| shape_row(fonts, r, REGULAR, &mut content))
        .collect();
    let totals = t.totals.as_ref().map(|r| shape_row(fonts, r, BOLD, &mut content));
    let header: Vec<Shaped> = t.columns.iter().map(|c| fonts.shape(BOLD, c.title(lang))).collect();
    let mut want = Vec::with_capacity(n);
    let mut min = Vec::with_capacity(n);
    for (i, col) in t.columns.iter().enumerate() {
        let full = fonts.pt(BOLD, header[i].width_units(), BODY);
        let word = col
            .title(lang)
            .split_whitespace()
            .map(|w| fonts.width(BOLD, w, BODY))
            .fold(0.0, f64::max);
        want.push(content[i].max(full) + 2.0 * PAD_X);
        let least = match col.kind {
            ColumnKind::Text => content[i].min(60.0),
            _ => content[i],
        };
        min.push(least.max(word.min(60.0)) + 2.0 * PAD_X);
    }
    Prepared {
        header,
        rows,
        totals,
        align: t.columns.iter().map(|c| align(c.kind)).collect(),
        want,
        min,
    }
}

/// Column widths filling `avail`: what the content wants when it fits, else
/// the minimum plus a share of what is left in proportion to what each wants.
fn widths(want: &[f64], min: &[f64], avail: f64) -> Vec<f64> {
    let total: f64 = want.iter().sum();
    if total <= avail {
        return want.iter().map(|w| w * avail / total).collect();
    }
    let least: f64 = min.iter().sum();
    if least >= avail {
        return min.iter().map(|w| w * avail / least).collect();
    }
    let flex = total - least;
    min.iter()
        .zip(want)
        .map(|(m, w)| m + (w - m) * (avail - least) / flex)
        .collect()
}

struct Layout {
    doc: Document,
    width: f64,
    height: f64,
    page: usize,
    y: f64,
}

impl Layout {
    fn page(&mut self) -> &mut Page {
        &mut self.doc.pages[self.page]
    }

    fn bottom(&self) -> f64 {
        self.height - MARGIN - FOOT
    }

    fn new_page(&mut self) {
        self.page = self.doc.add_page(self.width, self.height);
        self.y = MARGIN;
    }

    /// Centred text lines (title, subtitle), wrapped to the page width.
    fn centred(&mut self, font: usize, text: &str, size: f64) {
        let (lh, base) = metrics(&self.doc.fonts, size);
        let shaped = self.doc.fonts.shape(font, text);
        let avail = self.width - 2.0 * MARGIN;
        for r in wrap(&self.doc.fonts, &shaped, size, avail) {
            let w = self.doc.fonts.pt(font, shaped.units(r.clone()), size);
            let (x, y) = ((self.width - w) / 2.0, self.y + base);
            let Layout { doc, page, .. } = self;
            doc.pages[*page].glyphs(&doc.fonts, &shaped, r, x, y, size, BLACK);
            self.y += lh;
        }
    }

    fn table(&mut self, p: &Prepared, title: Option<&str>, lang: Lang) {
        let avail = self.width - 2.0 * MARGIN;
        // A table too wide even at its narrowest is set smaller (down to 70 %)
        // rather than squeezing numbers onto two lines.
        let least: f64 = p.min.iter().sum();
        let k = if least > avail { (avail / least).max(0.7) } else { 1.0 };
        let size = BODY * k;
        let scale = |v: &[f64]| v.iter().map(|x| x * k).collect::<Vec<f64>>();
        let w = widths(&scale(&p.want), &scale(&p.min), avail);
        let (lh, base) = metrics(&self.doc.fonts, size);
        let (tlh, tbase) = metrics(&self.doc.fonts, TABLE_TITLE);

        let lines = |fonts: &Fonts, cells: &[Shaped]| -> Vec<Vec<Range<usize>>> {
            cells
                .iter()
                .zip(&w)
                .map(|(s, w)| wrap(fonts, s, size, w - 2.0 * PAD_X))
                .collect()
        };
        let height = |l: &[Vec<Range<usize>>]| l.iter().map(|x| x.len()).max().unwrap_or(1) as f64 * lh + 2.0 * PAD_Y;

        let header_lines = lines(&self.doc.fonts, &p.header);
        let header_h = height(&header_lines);
        let first_h = p.rows.first().map(|r| height(&lines(&self.doc.fonts, r))).unwrap_or(lh);

        let continued = match lang {
            Lang::Th => " (ต่อ)",
            Lang::En => " (continued)",
        };
        // Title, header and a first row stay together.
        let title_h = if title.is_some() { tlh + 4.0 } else { 0.0 };
        if self.y + title_h + header_h + first_h > self.bottom() {
            self.new_page();
        }
        let start_page = |l: &mut Layout, cont: bool| {
            if let Some(title) = title {
                let text = if cont {
                    format!("{title}{continued}")
                } else {
                    title.to_string()
                };
                let y = l.y + tbase;
                l.doc.pages[l.page].text(
                    &mut l.doc.fonts,
                    BOLD,
                    &text,
                    MARGIN,
                    y,
                    TABLE_TITLE,
                    Align::Left,
                    BLACK,
                );
                l.y += tlh + 4.0;
            }
            let y = l.y;
            l.page().fill_rect(MARGIN, y, avail, header_h, HEADER_FILL);
            l.cells(&p.header, &header_lines, &w, &vec![Align::Center; w.len()], y, size);
            l.y += header_h;
        };
        start_page(self, false);
        let mut seg_top = self.y - header_h;

        for (i, row) in p.rows.iter().enumerate() {
            let l = lines(&self.doc.fonts, row);
            let h = height(&l);
            if self.y + h > self.bottom() {
                self.grid(&w, seg_top, self.y);
                self.new_page();
                start_page(self, true);
                seg_top = self.y - header_h;
            }
            let y = self.y;
            if i % 2 == 1 {
                self.page().fill_rect(MARGIN, y, avail, h, STRIPE);
            }
            self.cells(row, &l, &w, &p.align, y, size);
            self.y += h;
            let y = self.y;
            self.page().line(MARGIN, y, MARGIN + avail, y, 0.3, RULE);
        }
        if p.rows.is_empty() {
            let y = self.y;
            let text = match lang {
                Lang::Th => "ไม่มีข้อมูล",
                Lang::En => "No data",
            };
            let h = lh + 2.0 * PAD_Y;
            self.doc.pages[self.page].text(
                &mut self.doc.fonts,
                REGULAR,
                text,
                MARGIN + avail / 2.0,
                y + PAD_Y + base,
                size,
                Align::Center,
                GREY,
            );
            self.y += h;
        }
        if let Some(totals) = &p.totals {
            let l = lines(&self.doc.fonts, totals);
            let h = height(&l);
            if self.y + h > self.bottom() {
                self.grid(&w, seg_top, self.y);
                self.new_page();
                start_page(self, true);
                seg_top = self.y - header_h;
            }
            let y = self.y;
            self.page().fill_rect(MARGIN, y, avail, h, HEADER_FILL);
            self.cells(totals, &l, &w, &p.align, y, size);
            self.page().line(MARGIN, y, MARGIN + avail, y, 0.8, BLACK);
            self.y += h;
        }
        self.grid(&w, seg_top, self.y);
        let y = self.y;
        self.page().line(MARGIN, y, MARGIN + avail, y, 0.8, BLACK);
        self.y += 14.0;
    }

    fn cells(&mut self, cells: &[Shaped], lines: &[Vec<Range<usize>>], w: &[f64], align: &[Align], y: f64, size: f64) {
        let (lh, base) = metrics(&self.doc.fonts, size);
        let Layout { doc, page, .. } = self;
        let page = &mut doc.pages[*page];
        let mut x = MARGIN;
        for ((s, ls), (cw, a)) in cells.iter().zip(lines).zip(w.iter().zip(align)) {
            for (k, r) in ls.iter().enumerate() {
                let tw = doc.fonts.pt(s.font, s.units(r.clone()), size);
                let tx = match a {
                    Align::Left => x + PAD_X,
                    Align::Center => x + (cw - tw) / 2.0,
                    Align::Right => x + cw - PAD_X - tw,
                };
                page.glyphs(
                    &doc.fonts,
                    s,
                    r.clone(),
                    tx,
                    y + PAD_Y + base + k as f64 * lh,
                    size,
                    BLACK,
                );
            }
            x += cw;
        }
    }

    /// The table's outline and column rules from `top` to `bottom` on this page.
    fn grid(&mut self, w: &[f64], top: f64, bottom: f64) {
        let page = self.page();
        let mut x = MARGIN;
        page.line(x, top, x, bottom, 0.5, RULE);
        for cw in w {
            x += cw;
            page.line(x, top, x, bottom, 0.5, RULE);
        }
        page.line(MARGIN, top, x, top, 0.8, BLACK);
    }
}

pub(crate) fn write(report: &Report, lang: Lang, out: &mut dyn std::io::Write) -> Result<(), DocumentError> {
    let mut doc = Document::new()?;
    let prepared: Vec<Prepared> = report.tables.iter().map(|t| prepare(&mut doc.fonts, t, lang)).collect();
    let portrait = A4.0 - 2.0 * MARGIN;
    let landscape = prepared.iter().any(|p| p.want.iter().sum::<f64>() > portrait);
    let (width, height) = if landscape { (A4.1, A4.0) } else { A4 };
    let mut l = Layout {
        doc,
        width,
        height,
        page: 0,
        y: MARGIN,
    };
    l.new_page();

    l.centred(BOLD, report.title(lang), TITLE);
    l.y += 2.0;
    for line in &report.subtitle {
        l.centred(REGULAR, line, SUBTITLE);
    }
    l.y += 10.0;

    let many = report.tables.len() > 1;
    for (t, p) in report.tables.iter().zip(&prepared) {
        let title = (many || t.title(lang) != report.title(lang)).then(|| t.title(lang));
        l.table(p, title, lang);
    }
    for c in &report.charts {
        if l.y + CHART_HEIGHT > l.bottom() {
            l.new_page();
        }
        let y = l.y;
        let w = l.width - 2.0 * MARGIN;
        let Layout { doc, page, .. } = &mut l;
        chart::draw(
            &mut doc.pages[*page],
            &mut doc.fonts,
            c,
            lang,
            MARGIN,
            y,
            w,
            CHART_HEIGHT,
        );
        l.y += CHART_HEIGHT + 14.0;
    }

    // Page numbers, now that the count is known.
    let total = l.doc.pages.len();
    let (_, base) = metrics(&l.doc.fonts, BODY);
    for i in 0..total {
        let text = match lang {
            Lang::Th => format!("หน้า {}/{}", i + 1, total),
            Lang::En => format!("Page {}/{}", i + 1, total),
        };
        let Document { fonts, pages } = &mut l.doc;
        let page = &mut pages[i];
        let y = page.height - MARGIN - FOOT / 2.0 + base / 2.0;
        let w = page.width;
        page.text(fonts, REGULAR, &text, w / 2.0, y, BODY, Align::Center, GREY);
        page.text(fonts, REGULAR, report.title(lang), MARGIN, y, 7.0, Align::Left, GREY);
    }
    let lang_tag = match lang {
        Lang::Th => "th-TH",
        Lang::En => "en",
    };
    l.doc.finish(report.title(lang), lang_tag, out)
}
