import {
  type EventLoopUtilization,
  type IntervalHistogram,
  monitorEventLoopDelay,
  performance,
} from "node:perf_hooks";
import type { ConnectError } from "@connectrpc/connect";
import { unavailable } from "../errors.ts";

export interface AdmissionLimits {
  /** Sends past validation and not yet acknowledged by the log, at most. */
  maxInFlight: number;
  /** Refuse sends while the oldest one in flight has waited longer than this (ms). */
  maxWaitMs: number;
  /** Refuse sends while the event loop's recent p99 delay is above this (ms); 0 turns it off. */
  maxLoopDelayMs: number;
  /**
   * Shed a share of sends while the event loop was busier than this (0..1) over the last
   * window: none at this utilisation, all of them at 100 %. 1 turns it off.
   */
  shedFromBusy: number;
}

export type Refusal = "in-flight" | "stalled" | "loop-delay" | "busy";

const REASONS: Record<Refusal, string> = {
  "in-flight": "too many messages in flight",
  stalled: "messages are waiting too long",
  "loop-delay": "overloaded",
  busy: "overloaded",
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
  private shedShare = 0;
  private monitor: IntervalHistogram | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly limits: AdmissionLimits,
    private readonly onRefuse: (reason: Refusal) => void = () => undefined,
    private readonly random: () => number = Math.random,
  ) {}

  /**
   * Starts judging the event loop. Its delay catches long blocking tasks; its utilisation
   * catches saturation by many short ones, where timers still fire on time while requests
   * wait in socket buffers (bench: direct at 1,000 msg/s, sends timing out on the client
   * with the loop 95 % busy and its delay low).
   */
  start(): void {
    if (this.timer) return;
    const monitor = monitorEventLoopDelay({ resolution: 10 });
    monitor.enable();
    this.monitor = monitor;
    let since: EventLoopUtilization = performance.eventLoopUtilization();
    this.timer = setInterval(() => {
      // Nanoseconds; the window's 99th percentile, so one slow tick does not trip it.
      this.loopDelayMs = monitor.count > 0 ? monitor.percentile(99) / 1e6 : 0;
      monitor.reset();
      const now = performance.eventLoopUtilization();
      const busy = performance.eventLoopUtilization(now, since).utilization;
      since = now;
      const from = this.limits.shedFromBusy;
      this.shedShare = from >= 1 ? 0 : Math.min(Math.max((busy - from) / (1 - from), 0), 1);
    }, WINDOW_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
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

  /** The share of sends being shed for a busy event loop (0..1). */
  get shedding(): number {
    return this.shedShare;
  }

  /**
   * The error to refuse a send with now, or undefined when there is room for it. Counted as a
   * refusal when it returns one. The HTTP layer asks before Connect parses the request.
   */
  refusal(): ConnectError | undefined {
    const reason = this.reason();
    if (!reason) return undefined;
    this.onRefuse(reason);
    return unavailable(`server busy (${REASONS[reason]}); retry shortly`);
  }

  /**
   * Runs an admitted send, counting it in flight while it runs. Admission itself is decided
   * once, by `refusal()` at the HTTP layer, so that a send is judged (and drawn for shedding)
   * only once.
   */
  async track<T>(work: () => Promise<T>): Promise<T> {
    const id = this.nextId++;
    this.started.set(id, performance.now());
    try {
      return await work();
    } finally {
      this.started.delete(id);
    }
  }

  private reason(): Refusal | undefined {
    if (this.started.size >= this.limits.maxInFlight) return "in-flight";
    const oldest = this.started.values().next();
    if (!oldest.done && performance.now() - oldest.value > this.limits.maxWaitMs) return "stalled";
    const { maxLoopDelayMs } = this.limits;
    if (maxLoopDelayMs > 0 && this.loopDelayMs > maxLoopDelayMs) return "loop-delay";
    if (this.shedShare > 0 && this.random() < this.shedShare) return "busy";
    return undefined;
  }
}
