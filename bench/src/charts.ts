/**
 * Line charts written directly as SVG: no browser, no canvas, nothing to install. Axes may be
 * linear or logarithmic; the percentile axis of a latency distribution is "log of 1/(1-p)",
 * the usual HdrHistogram picture in which 90 %, 99 % and 99.9 % are equally spaced.
 */

export interface Series {
  name: string;
  color: string;
  points: Array<[number, number]>;
  dashed?: boolean;
}

export interface Axis {
  label: string;
  scale: "linear" | "log" | "percentile";
  min?: number;
  max?: number;
  ticks?: number[];
  format?: (value: number) => string;
}

export interface ChartSpec {
  title: string;
  subtitle?: string;
  x: Axis;
  y: Axis;
  series: Series[];
  /** Horizontal reference lines, e.g. a 100 ms target. */
  marks?: Array<{ y: number; label: string }>;
}

const WIDTH = 760;
const HEIGHT = 440;
const PAD = { left: 70, right: 170, top: 56, bottom: 56 };

export const COLORS = { parley: "#2563eb", reference: "#dc2626", extra: "#059669" };

function transform(axis: Axis, value: number): number {
  if (axis.scale === "log") return Math.log10(Math.max(value, 1e-9));
  if (axis.scale === "percentile") return Math.log10(1 / Math.max(1 - value / 100, 1e-7));
  return value;
}

function extent(axis: Axis, values: number[]): [number, number] {
  const positive = axis.scale === "log" ? values.filter((v) => v > 0) : values;
  let min = axis.min ?? Math.min(...positive);
  let max = axis.max ?? Math.max(...positive);
  if (!Number.isFinite(min) || !Number.isFinite(max)) [min, max] = [0, 1];
  if (axis.scale === "log") {
    min = axis.min ?? 10 ** Math.floor(Math.log10(min));
    max = axis.max ?? 10 ** Math.ceil(Math.log10(max));
  } else if (axis.scale === "linear") {
    min = axis.min ?? 0;
    if (max === min) max = min + 1;
  }
  return [min, max];
}

function defaultTicks(axis: Axis, [min, max]: [number, number]): number[] {
  if (axis.ticks) return axis.ticks;
  if (axis.scale === "log") {
    const out: number[] = [];
    for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++) {
      for (const m of [1, 2, 5]) {
        const v = m * 10 ** e;
        if (v >= min && v <= max) out.push(v);
      }
    }
    return out;
  }
  if (axis.scale === "percentile") return [0, 90, 99, 99.9, 99.99, 99.999].filter((p) => p <= max);
  const step = niceStep((max - min) / 6);
  const out: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + 1e-9; v += step) out.push(v);
  return out;
}

function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(raw));
  const scaled = raw / power;
  return (scaled <= 1 ? 1 : scaled <= 2 ? 2 : scaled <= 5 ? 5 : 10) * power;
}

function defaultFormat(axis: Axis): (value: number) => string {
  if (axis.format) return axis.format;
  if (axis.scale === "percentile") return (v) => `${v}%`;
  return (v) => (Math.abs(v) >= 1000 ? `${v / 1000}k` : `${Number(v.toPrecision(3))}`);
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Renders a chart as a standalone SVG document. */
export function renderChart(spec: ChartSpec): string {
  const xs = spec.series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = spec.series.flatMap((s) => s.points.map((p) => p[1]));
  for (const mark of spec.marks ?? []) ys.push(mark.y);
  const [xMin, xMax] = extent(spec.x, xs);
  const [yMin, yMax] = extent(spec.y, ys);
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const tx = (v: number) => {
    const [a, b] = [transform(spec.x, xMin), transform(spec.x, xMax)];
    return PAD.left + ((transform(spec.x, v) - a) / (b - a || 1)) * plotW;
  };
  const ty = (v: number) => {
    const [a, b] = [transform(spec.y, yMin), transform(spec.y, yMax)];
    const clamped = Math.min(Math.max(v, yMin), yMax);
    return PAD.top + plotH - ((transform(spec.y, clamped) - a) / (b - a || 1)) * plotH;
  };
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" ` +
      `viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${PAD.left}" y="24" font-size="16" font-weight="bold">${escapeXml(spec.title)}</text>`,
  );
  if (spec.subtitle) {
    out.push(`<text x="${PAD.left}" y="42" fill="#555">${escapeXml(spec.subtitle)}</text>`);
  }
  const fx = defaultFormat(spec.x);
  const fy = defaultFormat(spec.y);
  for (const tick of defaultTicks(spec.x, [xMin, xMax])) {
    const x = tx(tick).toFixed(1);
    out.push(
      `<line x1="${x}" x2="${x}" y1="${PAD.top}" y2="${PAD.top + plotH}" stroke="#e5e7eb"/>`,
      `<text x="${x}" y="${PAD.top + plotH + 18}" text-anchor="middle">${fx(tick)}</text>`,
    );
  }
  for (const tick of defaultTicks(spec.y, [yMin, yMax])) {
    const y = ty(tick).toFixed(1);
    out.push(
      `<line x1="${PAD.left}" x2="${PAD.left + plotW}" y1="${y}" y2="${y}" stroke="#e5e7eb"/>`,
      `<text x="${PAD.left - 8}" y="${y}" text-anchor="end" dominant-baseline="middle">` +
        `${fy(tick)}</text>`,
    );
  }
  out.push(
    `<rect x="${PAD.left}" y="${PAD.top}" width="${plotW}" height="${plotH}" fill="none" ` +
      `stroke="#9ca3af"/>`,
    `<text x="${PAD.left + plotW / 2}" y="${HEIGHT - 14}" text-anchor="middle">` +
      `${escapeXml(spec.x.label)}</text>`,
    `<text transform="translate(18 ${PAD.top + plotH / 2}) rotate(-90)" text-anchor="middle">` +
      `${escapeXml(spec.y.label)}</text>`,
  );
  for (const mark of spec.marks ?? []) {
    const y = ty(mark.y).toFixed(1);
    out.push(
      `<line x1="${PAD.left}" x2="${PAD.left + plotW}" y1="${y}" y2="${y}" stroke="#111" ` +
        `stroke-dasharray="2 3"/>`,
      `<text x="${PAD.left + plotW - 4}" y="${Number(y) - 4}" text-anchor="end" fill="#111">` +
        `${escapeXml(mark.label)}</text>`,
    );
  }
  spec.series.forEach((series, i) => {
    const inside = series.points.filter(([x]) => x >= xMin && x <= xMax);
    const path = inside.map(([x, y]) => `${tx(x).toFixed(1)},${ty(y).toFixed(1)}`).join(" ");
    const dash = series.dashed ? ' stroke-dasharray="6 4"' : "";
    out.push(
      `<polyline points="${path}" fill="none" stroke="${series.color}" stroke-width="2"${dash}/>`,
    );
    for (const [x, y] of inside.length <= 30 ? inside : []) {
      out.push(
        `<circle cx="${tx(x).toFixed(1)}" cy="${ty(y).toFixed(1)}" r="3" fill="${series.color}"/>`,
      );
    }
    const ly = PAD.top + 10 + i * 20;
    const lx = PAD.left + plotW + 14;
    out.push(
      `<line x1="${lx}" x2="${lx + 22}" y1="${ly}" y2="${ly}" stroke="${series.color}" ` +
        `stroke-width="2"${dash}/>`,
      `<text x="${lx + 28}" y="${ly}" dominant-baseline="middle">${escapeXml(series.name)}</text>`,
    );
  });
  out.push("</svg>");
  return `${out.join("\n")}\n`;
}
