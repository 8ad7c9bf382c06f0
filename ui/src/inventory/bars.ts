// The layout of a report's bar chart (SVG, drawn in reports.ts): grouped
// bars per label, one colour per series, a value axis with round ticks.
// Pure: tested in bars.test.ts.

import { niceTicks } from "../terrain/chart";

export const SERIES_COLOURS = ["#0b5cad", "#e07b00", "#2e7d32", "#8e24aa", "#c62828", "#00838f"] as const;

export interface Bar {
  x: number;
  y: number;
  width: number;
  height: number;
  colour: string;
  value: number;
  label: string;
  series: string;
}

export interface BarLayout {
  bars: Bar[];
  ticks: { value: number; y: number }[];
  /** Where each label's group is centred. */
  groups: { label: string; x: number }[];
  baseline: number;
}

export interface ChartData {
  labels: string[];
  series: { name: string; values: number[] }[];
}

export function layoutBars(
  data: ChartData,
  size: { width: number; height: number; left: number; bottom: number; top: number },
): BarLayout {
  const values = data.series.flatMap((s) => s.values.filter(Number.isFinite));
  const max = Math.max(0, ...values);
  const min = Math.min(0, ...values);
  const ticks = niceTicks(min, max > min ? max : min + 1, 5);
  const lo = Math.min(min, ticks[0] ?? 0);
  const hi = Math.max(max, ticks[ticks.length - 1] ?? 1);
  const plotTop = size.top;
  const plotBottom = size.height - size.bottom;
  const y = (v: number) => plotBottom - ((v - lo) / (hi - lo || 1)) * (plotBottom - plotTop);
  const n = Math.max(1, data.labels.length);
  const groupWidth = (size.width - size.left) / n;
  const seriesCount = Math.max(1, data.series.length);
  const barWidth = Math.max(1, (groupWidth * 0.8) / seriesCount);
  const bars: Bar[] = [];
  data.labels.forEach((label, i) => {
    data.series.forEach((s, j) => {
      const value = s.values[i] ?? 0;
      if (!Number.isFinite(value)) return;
      const top = y(Math.max(0, value));
      const bottom = y(Math.min(0, value));
      bars.push({
        x: size.left + i * groupWidth + groupWidth * 0.1 + j * barWidth,
        y: top,
        width: barWidth,
        height: Math.max(0, bottom - top),
        colour: SERIES_COLOURS[j % SERIES_COLOURS.length] ?? "#0b5cad",
        value,
        label,
        series: s.name,
      });
    });
  });
  return {
    bars,
    ticks: ticks.map((v) => ({ value: v, y: y(v) })),
    groups: data.labels.map((label, i) => ({ label, x: size.left + (i + 0.5) * groupWidth })),
    baseline: y(0),
  };
}
