/** Speed and remaining time of a transfer, and how to say sizes and durations. */

interface Sample {
  at: number;
  bytes: number;
}

/**
 * Measures speed over a sliding window, so a stall shows at once and one fast burst does not
 * promise too much. `restart()` after a pause or an outage: time spent waiting is not speed.
 */
export class ProgressMeter {
  private samples: Sample[] = [];

  constructor(private readonly windowMs = 5_000) {}

  /** Records that `bytes` of the file are done at time `at` (milliseconds). */
  record(bytes: number, at: number): void {
    this.samples.push({ at, bytes });
    const from = at - this.windowMs;
    // Keep one sample older than the window so the window is always spanned.
    while (this.samples.length > 2 && (this.samples[1]?.at ?? at) <= from) this.samples.shift();
  }

  restart(): void {
    this.samples = [];
  }

  /** Bytes per second over the window; 0 until two samples at different times exist. */
  speed(): number {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (!first || !last || last.at <= first.at) return 0;
    return Math.max(0, ((last.bytes - first.bytes) * 1000) / (last.at - first.at));
  }

  /** Milliseconds left at the current speed for a file of `total` bytes; undefined if unknown. */
  remainingMs(total: number): number | undefined {
    const last = this.samples[this.samples.length - 1];
    const speed = this.speed();
    if (!last || speed <= 0) return undefined;
    return ((total - last.bytes) * 1000) / speed;
  }
}

const UNITS = ["B", "KiB", "MiB", "GiB", "TiB"];

/** 0 B, 999 B, 1.5 KiB, 20 MiB, 1.2 GiB: binary units, at most one decimal. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${Number(value.toFixed(digits))} ${UNITS[unit]}`;
}

/** A rough remaining time: "5 s", "3 min", "1 h 20 min". */
export function formatDuration(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest ? `${hours} h ${rest} min` : `${hours} h`;
}
