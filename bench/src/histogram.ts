/**
 * A log-linear latency histogram in the manner of HdrHistogram: values (milliseconds) fall into
 * buckets whose width is a fixed fraction of their magnitude, so every recorded value is known
 * to within 1/SUB_BUCKETS (about 1 %) whatever its size, in a few thousand counters.
 */

// 2^7 sub-buckets per power of two: relative error under 0.8 %.
const SUB_BITS = 7;
const SUB_BUCKETS = 1 << SUB_BITS;
// Values are stored in units of 1 µs; 2^40 µs is twelve days, far past any latency.
const UNITS_PER_MS = 1000;
const MAX_EXPONENT = 40;

export interface HistogramSummary {
  count: number;
  min: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

export class Histogram {
  private readonly counts = new Float64Array((MAX_EXPONENT - SUB_BITS + 1) * SUB_BUCKETS);
  private total = 0;
  private sum = 0;
  private minValue = Number.POSITIVE_INFINITY;
  private maxValue = 0;

  /** Records one value in milliseconds (negative values count as 0). */
  record(ms: number): void {
    const value = Math.max(ms, 0);
    this.counts[indexOf(value)]! += 1;
    this.total += 1;
    this.sum += value;
    if (value < this.minValue) this.minValue = value;
    if (value > this.maxValue) this.maxValue = value;
  }

  get count(): number {
    return this.total;
  }

  /** Adds every value of another histogram. */
  merge(other: Histogram): void {
    for (let i = 0; i < this.counts.length; i++) this.counts[i]! += other.counts[i]!;
    this.total += other.total;
    this.sum += other.sum;
    this.minValue = Math.min(this.minValue, other.minValue);
    this.maxValue = Math.max(this.maxValue, other.maxValue);
  }

  /** The value below which `percent` of the recorded values lie (upper edge of its bucket). */
  percentile(percent: number): number {
    if (this.total === 0) return 0;
    const rank = Math.max(1, Math.ceil((percent / 100) * this.total));
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return Math.min(upperEdge(i), this.maxValue);
    }
    return this.maxValue;
  }

  summary(): HistogramSummary {
    return {
      count: this.total,
      min: this.total ? this.minValue : 0,
      mean: this.total ? this.sum / this.total : 0,
      p50: this.percentile(50),
      p90: this.percentile(90),
      p99: this.percentile(99),
      p999: this.percentile(99.9),
      max: this.maxValue,
    };
  }

  /** Rebuilds a histogram from `buckets()` output (min, max and mean to bucket precision). */
  static fromBuckets(buckets: Array<[number, number]>): Histogram {
    const h = new Histogram();
    for (const [edge, count] of buckets) {
      const value = edge * 0.999;
      h.counts[indexOf(value)]! += count;
      h.total += count;
      h.sum += value * count;
      h.minValue = Math.min(h.minValue, value);
      h.maxValue = Math.max(h.maxValue, edge);
    }
    return h;
  }

  /** Non-empty buckets as [upper edge in ms, count], ascending: for charts and raw output. */
  buckets(): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    for (let i = 0; i < this.counts.length; i++) {
      if (this.counts[i]) out.push([upperEdge(i), this.counts[i]!]);
    }
    return out;
  }

  /** Percentile curve for charts: [percentile, ms] at 0, 50, 75, 87.5, ... 99.999. */
  percentileCurve(): Array<[number, number]> {
    const points: Array<[number, number]> = [];
    for (let nines = 0; nines <= 5; nines += 0.25) {
      const percent = 100 - 100 / 10 ** nines;
      points.push([percent, this.percentile(percent)]);
    }
    return points;
  }
}

function indexOf(ms: number): number {
  const units = Math.min(Math.floor(ms * UNITS_PER_MS), 2 ** MAX_EXPONENT - 1);
  if (units < SUB_BUCKETS) return units;
  // Row r >= 1 holds [128·2^(r-1), 256·2^(r-1)) in 128 steps of 2^(r-1); row 0 holds 0..127.
  const shift = Math.floor(Math.log2(units)) - SUB_BITS;
  const sub = Math.min(Math.floor(units / 2 ** shift), 2 * SUB_BUCKETS - 1) - SUB_BUCKETS;
  return (shift + 1) * SUB_BUCKETS + sub;
}

function upperEdge(index: number): number {
  const row = Math.floor(index / SUB_BUCKETS);
  const sub = index % SUB_BUCKETS;
  if (row === 0) return (sub + 1) / UNITS_PER_MS;
  return ((sub + SUB_BUCKETS + 1) * 2 ** (row - 1)) / UNITS_PER_MS;
}
