/** A latency histogram: cumulative counts by upper bound in seconds, Infinity last. */
export type CumulativeBuckets = ReadonlyMap<number, number>;

/**
 * The q-quantile (0..1) of a cumulative histogram, interpolated linearly inside the bucket that
 * holds it, as Prometheus's histogram_quantile does. Undefined when the histogram is empty.
 * A quantile in the open-ended last bucket reports the highest finite bound.
 */
export function quantile(buckets: CumulativeBuckets, q: number): number | undefined {
  const bounds = [...buckets.keys()].sort((a, b) => a - b);
  const total = buckets.get(bounds.at(-1) ?? Number.POSITIVE_INFINITY) ?? 0;
  if (total <= 0) return undefined;
  const rank = q * total;
  let lowerBound = 0;
  let lowerCount = 0;
  for (const bound of bounds) {
    const count = buckets.get(bound) ?? 0;
    if (count >= rank && count > lowerCount) {
      if (bound === Number.POSITIVE_INFINITY) return lowerBound;
      return lowerBound + ((bound - lowerBound) * (rank - lowerCount)) / (count - lowerCount);
    }
    lowerBound = bound;
    lowerCount = count;
  }
  return lowerBound;
}

/** Adds cumulative histograms (several minutes, several instances) bound by bound. */
export function addBuckets(into: Map<number, number>, more: CumulativeBuckets): void {
  for (const [bound, count] of more) into.set(bound, (into.get(bound) ?? 0) + count);
}

/** Prometheus writes bucket bounds as text; "+Inf" is the open end. */
export function parseBound(le: string | number): number {
  return le === "+Inf" ? Number.POSITIVE_INFINITY : Number(le);
}
