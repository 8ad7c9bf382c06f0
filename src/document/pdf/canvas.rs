//! One page's drawing: rectangles, lines and shaped text, as PDF content operators.
//! Coordinates are points from the page's top-left corner (y grows downwards);
//! they are turned into PDF's bottom-left system here.

use super::font::{Fonts, Shaped};
use super::writer::num;
use std::fmt::Write as _;

pub(crate) type Rgb = (f64, f64, f64);

pub(crate) const BLACK: Rgb = (0.0, 0.0, 0.0);

#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Align {
    Left,
    Center,
    Right,
}

pub(crate) struct Page {
    pub width: f64,
    pub height: f64,
    pub ops: String,
}

impl Page {
    pub fn new(width: f64, height: f64) -> Page {
        Page {
            width,
            height,
            ops: String::with_capacity(16 * 1024),
        }
    }

    fn y(&self, y: f64) -> f64 {
        self.height - y
    }

    pub fn fill_rect(&mut self, x: f64, y: f64, w: f64, h: f64, color: Rgb) {
        let y0 = self.y(y + h);
        writeln!(
            self.ops,
            "{} {} {} rg {} {} {} {} re f",
            num(color.0),
            num(color.1),
            num(color.2),
            num(x),
            num(y0),
            num(w),
            num(h)
        )
        .unwrap();
    }

    /// Many black squares in one path (QR modules), each `(x, y, w, h)`.
    pub fn fill_rects(&mut self, rects: &[(f64, f64, f64, f64)]) {
        self.ops.push_str("0 g\n");
        for (x, y, w, h) in rects {
            let y0 = self.y(y + h);
            writeln!(self.ops, "{} {} {} {} re", num(*x), num(y0), num(*w), num(*h)).unwrap();
        }
        self.ops.push_str("f\n");
    }

    pub fn line(&mut self, x1: f64, y1: f64, x2: f64, y2: f64, width: f64, color: Rgb) {
        writeln!(
            self.ops,
            "{} {} {} RG {} w {} {} m {} {} l S",
            num(color.0),
            num(color.1),
            num(color.2),
            num(width),
            num(x1),
            num(self.y(y1)),
            num(x2),
            num(self.y(y2))
        )
        .unwrap();
    }

    pub fn stroke_rect(&mut self, x: f64, y: f64, w: f64, h: f64, width: f64, color: Rgb) {
        writeln!(
            self.ops,
            "{} {} {} RG {} w {} {} {} {} re S",
            num(color.0),
            num(color.1),
            num(color.2),
            num(width),
            num(x),
            num(self.y(y + h)),
            num(w),
            num(h)
        )
        .unwrap();
    }

    /// Draws glyphs `range` of `text` with the baseline at `y`, starting at `x`.
    #[allow(clippy::too_many_arguments)]
    pub fn glyphs(
        &mut self,
        fonts: &Fonts,
        text: &Shaped,
        range: std::ops::Range<usize>,
        x: f64,
        y: f64,
        size: f64,
        color: Rgb,
    ) {
        if range.is_empty() {
            return;
        }
        let font = &fonts.0[text.font];
        // The text as written, for extraction and copying: shaping can reorder
        // or split characters (สระอำ), which glyph-by-glyph mapping cannot say.
        self.ops.push_str("/Span << /ActualText ");
        self.ops
            .push_str(&super::writer::text_string(text.source(range.clone())));
        self.ops.push_str(" >> BDC ");
        let k = 1000.0 / font.upem; // font units to text space thousandths
        let to_pt = size / font.upem;
        write!(
            self.ops,
            "BT {} {} {} rg /F{} {} Tf 1 0 0 1 {} {} Tm [",
            num(color.0),
            num(color.1),
            num(color.2),
            text.font + 1,
            num(size),
            num(x),
            num(self.y(y))
        )
        .unwrap();
        let mut in_hex = false;
        let mut rise = 0;
        for g in &text.glyphs[range] {
            if g.dy != rise {
                if in_hex {
                    self.ops.push('>');
                    in_hex = false;
                }
                write!(self.ops, "] TJ {} Ts [", num(g.dy as f64 * to_pt)).unwrap();
                rise = g.dy;
            }
            if g.dx != 0 {
                if in_hex {
                    self.ops.push('>');
                    in_hex = false;
                }
                write!(self.ops, " {} ", num(-(g.dx as f64) * k)).unwrap();
            }
            if !in_hex {
                self.ops.push('<');
                in_hex = true;
            }
            write!(self.ops, "{:04X}", g.cid).unwrap();
            let after = g.adv - g.dx - g.own;
            if after != 0 {
                self.ops.push('>');
                in_hex = false;
                write!(self.ops, " {} ", num(-(after as f64) * k)).unwrap();
            }
        }
        if in_hex {
            self.ops.push('>');
        }
        self.ops.push_str("] TJ");
        if rise != 0 {
            self.ops.push_str(" 0 Ts");
        }
        self.ops.push_str(" ET EMC\n");
    }

    /// Shapes and draws `text` aligned at `x` (left edge, centre or right edge).
    #[allow(clippy::too_many_arguments)]
    pub fn text(
        &mut self,
        fonts: &mut Fonts,
        font: usize,
        text: &str,
        x: f64,
        y: f64,
        size: f64,
        align: Align,
        color: Rgb,
    ) -> f64 {
        let s = fonts.shape(font, text);
        let w = fonts.pt(font, s.width_units(), size);
        let x0 = match align {
            Align::Left => x,
            Align::Center => x - w / 2.0,
            Align::Right => x - w,
        };
        self.glyphs(fonts, &s, 0..s.glyphs.len(), x0, y, size, color);
        w
    }
}

/// Whether a line may break before byte `at` of `text` (between two clusters):
/// not before a following vowel or repetition mark (ะ า ำ ๅ ๆ ฯ), not after a
/// leading vowel (เ แ โ ใ ไ). Thai writes words without spaces; without a
/// dictionary this keeps at least the syllable's letters together.
fn may_break(text: &str, at: usize) -> bool {
    let next = text[at..].chars().next();
    let prev = text[..at].chars().next_back();
    !matches!(next, Some('ะ' | 'า' | 'ำ' | 'ๅ' | 'ๆ' | 'ฯ')) && !matches!(prev, Some('เ' | 'แ' | 'โ' | 'ใ' | 'ไ'))
}

/// Lines of at most `max` points: breaks after spaces where possible, else
/// between clusters where Thai allows it (see `may_break`); a cluster (a
/// consonant with its vowels and tone marks) is never split. Returns glyph ranges.
pub(crate) fn wrap(fonts: &Fonts, text: &Shaped, size: f64, max: f64) -> Vec<std::ops::Range<usize>> {
    let n = text.glyphs.len();
    if n == 0 {
        return std::iter::once(0..0).collect();
    }
    // A unit of slack: a column exactly as wide as its text must not wrap it.
    let max_units = (max * fonts.0[text.font].upem / size).floor() as i32 + 1;
    let mut lines = Vec::new();
    let mut start = 0;
    while start < n {
        // Skip spaces at the start of a line.
        while start < n && text.glyphs[start].space {
            start += 1;
        }
        if start >= n {
            break;
        }
        let mut width = 0;
        let mut i = start;
        let mut last_space = None;
        let mut last_break = None;
        let mut last_cluster = None;
        while i < n {
            // The cluster starting at i.
            let c = text.glyphs[i].cluster;
            let mut j = i;
            let mut w = 0;
            while j < n && text.glyphs[j].cluster == c {
                w += text.glyphs[j].adv;
                j += 1;
            }
            if width + w > max_units && i > start {
                break;
            }
            width += w;
            if text.glyphs[i].space {
                last_space = Some(i);
            }
            if j < n && may_break(&text.text, text.glyphs[j].cluster as usize) {
                last_break = Some(j);
            }
            last_cluster = Some(j);
            i = j;
        }
        let end = if i >= n {
            n
        } else if let Some(s) = last_space.filter(|s| *s > start) {
            s
        } else if let Some(b) = last_break {
            b
        } else {
            last_cluster.unwrap_or(i).max(start + 1)
        };
        let mut e = end;
        while e > start && text.glyphs[e - 1].space {
            e -= 1;
        }
        lines.push(start..e);
        start = end;
    }
    if lines.is_empty() {
        lines.push(0..0);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::pdf::font::{Fonts, REGULAR};

    fn lines(text: &str, max: f64) -> Vec<String> {
        let mut fonts = Fonts::sarabun().unwrap();
        let s = fonts.shape(REGULAR, text);
        wrap(&fonts, &s, 10.0, max)
            .into_iter()
            .map(|r| s.source(r).to_string())
            .collect()
    }

    #[test]
    fn wraps_at_spaces_then_between_syllables() {
        assert_eq!(lines("ถนน ลาดยาง", 1000.0), ["ถนน ลาดยาง"]);
        let w = Fonts::sarabun().unwrap().width(REGULAR, "ลาดยาง", 10.0);
        assert_eq!(lines("ถนน ลาดยาง", w + 1.0), ["ถนน", "ลาดยาง"]);
        for l in lines("เครื่องคอมพิวเตอร์ตั้งโต๊ะ", 60.0) {
            assert!(!l.starts_with(['ะ', 'า', 'ำ']), "{l}");
            assert!(!l.ends_with(['เ', 'แ', 'โ', 'ใ', 'ไ']), "{l}");
        }
        assert_eq!(lines("เครื่องคอมพิวเตอร์ตั้งโต๊ะ", 60.0).concat(), "เครื่องคอมพิวเตอร์ตั้งโต๊ะ");
    }
}
