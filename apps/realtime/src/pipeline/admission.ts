import { type IntervalHistogram, monitorEventLoopDelay } from "node:perf_hooks";
import { unavailable } from "../errors.ts";

export interface AdmissionLimits {
  /** Sends past validation and not yet acknowledged by the log, at most. */
  maxInFlight: number;
  /** Refuse sends while the oldest one in flight has waited longer than this (ms). */
  maxWaitMs: number;
  /** Refuse sends while the event loop's recent p99 delay is above this (ms); 0 turns it off. */
  maxLoopDelayMs: number;
}

export type Refusal = "in-flight" | "stalled" | "loop-delay";

const REASONS: Record<Refusal, string> = {
  "in-flight": "too many messages in flight",
  stalled: "messages are waiting too long",
  "loop-delay": "overloaded",
};

// The event loop's delay is judged over windows of this length.
const WINDOW_MS = 500;

/**
 * Admission control for Send. An instance that takes every message offered under overload
 * queues them in memory, stalls its event loop, misses the log's heartbeats and loses its
 * partitions: every user waits, and nothing is acknowledged (bench/REPORT.md). Refusing
 * early, before any work, with UNAVAILABLE keeps the instance responsive; clients retry with
 * backoff and the same client message id, so a refused message is delayed, not lost.
 */
export class SendAdmission {
  /** Start times of the sends in flight, oldest first (a Map keeps insertion order). */
  private readonly started = new Map<number, number>();
  private nextId = 0;
  private loopDelayMs = 0;
  private monitor: IntervalHistogram | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly limits: AdmissionLimits,
    private readonly onRefuse: (reason: Refusal) => void = () => undefined,
  ) {}

  start(): void {
    if (this.limits.maxLoopDelayMs <= 0 || this.monitor) return;
    const monitor = monitorEventLoopDelay({ resolution: 10 });
    monitor.enable();
    this.monitor = monitor;
    this.timer = setInterval(() => {
      // Nanoseconds; the window's 99th percentile, so one slow tick does not trip it.
      this.loopDelayMs = monitor.count > 0 ? monitor.percentile(99) / 1e6 : 0;
      monitor.reset();
    }, WINDOW_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.monitor?.disable();
    this.monitor = undefined;
  }

  /** Sends being worked on now. */
  get pending(): number {
    return this.started.size;
  }

  /** The event loop's p99 delay over the last window, in ms. */
  get loopDelay(): number {
    return this.loopDelayMs;
  }

  /** Runs a send if the instance has room for it; otherwise throws UNAVAILABLE at once. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    const reason = this.refusal();
    if (reason) {
      this.onRefuse(reason);
      throw unavailable(`server busy (${REASONS[reason]}); retry shortly`);
    }
    const id = this.nextId++;
    this.started.set(id, performance.now());
    try {
      return await work();
    } finally {
      this.started.delete(id);
    }
  }

  private refusal(): Refusal | undefined {
    if (this.started.size >= this.limits.maxInFlight) return "in-flight";
    const oldest = this.started.values().next();
    if (!oldest.done && performance.now() - oldest.value > this.limits.maxWaitMs) return "stalled";
    const { maxLoopDelayMs } = this.limits;
    if (maxLoopDelayMs > 0 && this.loopDelayMs > maxLoopDelayMs) return "loop-delay";
    return undefined;
  }
}
