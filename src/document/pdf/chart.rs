//! Bar charts as vector graphics: one group of bars per label, one colour per
//! series, a value axis with round ticks and grid lines, labels under the
//! groups and a legend when there are several series.

use super::canvas::{wrap, Align, Page, Rgb, BLACK};
use super::font::{Fonts, BOLD, REGULAR};
use super::report::metrics;
use crate::document::report::{Chart, Lang};
use crate::document::text::{number, Style};

const PALETTE: [Rgb; 6] = [
    (0.16, 0.42, 0.69),
    (0.93, 0.55, 0.17),
    (0.27, 0.62, 0.32),
    (0.80, 0.25, 0.23),
    (0.53, 0.39, 0.70),
    (0.50, 0.50, 0.50),
];
const GRID: Rgb = (0.85, 0.85, 0.85);
const TICK: f64 = 8.0;
const LABEL: f64 = 8.0;

/// A round step giving about `n` intervals over `span`: 1, 2 or 5 × 10ⁿ.
pub(crate) fn nice_step(span: f64, n: f64) -> f64 {
    let raw = span / n;
    let mag = 10f64.powf(raw.log10().floor());
    let f = raw / mag;
    mag * if f <= 1.0 {
        1.0
    } else if f <= 2.0 {
        2.0
    } else if f <= 5.0 {
        5.0
    } else {
        10.0
    }
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn draw(page: &mut Page, fonts: &mut Fonts, chart: &Chart, lang: Lang, x: f64, y: f64, w: f64, h: f64) {
    let (tlh, tbase) = metrics(fonts, 11.0);
    page.text(
        fonts,
        BOLD,
        chart.title(lang),
        x + w / 2.0,
        y + tbase,
        11.0,
        Align::Center,
        BLACK,
    );
    let mut top = y + tlh + 4.0;

    let (llh, lbase) = metrics(fonts, LABEL);
    if chart.series.len() > 1 {
        let widths: Vec<f64> = chart
            .series
            .iter()
            .map(|s| fonts.width(REGULAR, &s.name, LABEL))
            .collect();
        let total: f64 = widths.iter().map(|w| w + 22.0).sum();
        let mut lx = x + (w - total) / 2.0;
        for (i, (s, sw)) in chart.series.iter().zip(&widths).enumerate() {
            page.fill_rect(lx, top + (llh - 8.0) / 2.0, 8.0, 8.0, PALETTE[i % PALETTE.len()]);
            page.text(
                fonts,
                REGULAR,
                &s.name,
                lx + 11.0,
                top + lbase,
                LABEL,
                Align::Left,
                BLACK,
            );
            lx += sw + 22.0;
        }
        top += llh + 4.0;
    }

    let values = chart
        .series
        .iter()
        .flat_map(|s| s.values.iter())
        .copied()
        .filter(|v| v.is_finite());
    let (lo, hi) = values.fold((0.0f64, 0.0f64), |(a, b), v| (a.min(v), b.max(v)));
    let hi = if hi - lo <= 0.0 { lo + 1.0 } else { hi };
    let step = nice_step(hi - lo, 5.0);
    let (lo, hi) = ((lo / step).floor() * step, (hi / step).ceil() * step);
    let decimals = if step >= 1.0 { 0 } else { (-step.log10()).ceil() as u8 };
    let ticks: Vec<f64> = (0..=((hi - lo) / step).round() as i64)
        .map(|k| lo + k as f64 * step)
        .collect();
    let tick_w = ticks
        .iter()
        .map(|t| fonts.width(REGULAR, &number(*t, decimals, Style::Print), TICK))
        .fold(0.0, f64::max);

    let left = x + tick_w + 6.0;
    let right = x + w - 4.0;
    let bottom = y + h - 2.0 * llh - 6.0;
    let at = |v: f64| bottom - (v - lo) / (hi - lo) * (bottom - top);

    let (_, tkbase) = metrics(fonts, TICK);
    for t in &ticks {
        let ty = at(*t);
        page.line(left, ty, right, ty, 0.4, GRID);
        let label = number(*t, decimals, Style::Print);
        page.text(
            fonts,
            REGULAR,
            &label,
            left - 4.0,
            ty + tkbase / 2.0 - 1.0,
            TICK,
            Align::Right,
            BLACK,
        );
    }

    let n = chart.labels.len().max(1);
    let ns = chart.series.len().max(1);
    let group = (right - left) / n as f64;
    let bar = group * 0.8 / ns as f64;
    let zero = at(0.0);
    let show_values = n * ns <= 16;
    for (i, label) in chart.labels.iter().enumerate() {
        let gx = left + i as f64 * group;
        for (s, series) in chart.series.iter().enumerate() {
            let v = series.values.get(i).copied().unwrap_or(f64::NAN);
            if !v.is_finite() {
                continue;
            }
            let bx = gx + group * 0.1 + s as f64 * bar;
            let vy = at(v);
            page.fill_rect(bx, vy.min(zero), bar, (vy - zero).abs(), PALETTE[s % PALETTE.len()]);
            if show_values {
                let text = number(v, decimals.max(if v.fract() != 0.0 { 2 } else { 0 }), Style::Print);
                let ty = if v >= 0.0 { vy - 2.0 } else { vy + lbase + 1.0 };
                page.text(fonts, REGULAR, &text, bx + bar / 2.0, ty, 7.0, Align::Center, BLACK);
            }
        }
        let shaped = fonts.shape(REGULAR, label);
        for (k, r) in wrap(fonts, &shaped, LABEL, group - 2.0).into_iter().take(2).enumerate() {
            let lw = fonts.pt(REGULAR, shaped.units(r.clone()), LABEL);
            let ly = bottom + 3.0 + lbase + k as f64 * llh;
            page.glyphs(fonts, &shaped, r, gx + (group - lw) / 2.0, ly, LABEL, BLACK);
        }
    }
    page.line(left, top, left, bottom, 0.6, BLACK);
    page.line(left, zero, right, zero, 0.8, BLACK);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_round() {
        assert_eq!(nice_step(450_000.0, 5.0), 100_000.0);
        assert_eq!(nice_step(7.0, 5.0), 2.0);
        assert_eq!(nice_step(0.3, 5.0), 0.1);
    }
}
