import type { Runtime } from "../runtime.ts";
import { parseBound } from "./percentiles.ts";
import { REPORT_MS } from "./stats-board.ts";

/**
 * Every few seconds, writes this instance's numbers to the stats board. The counts come from
 * the Prometheus metrics the hot path already keeps, read as differences since the last
 * report, so sending and delivering pay nothing extra.
 */
export class StatsReporter {
  private timer: NodeJS.Timeout | undefined;
  private reported = { sent: 0, latency: new Map<number, number>() };
  private running: Promise<void> | undefined;

  constructor(private readonly rt: Runtime) {}

  start(): void {
    this.timer = setInterval(() => void this.tick(), REPORT_MS);
    this.timer.unref();
    void this.tick();
  }

  /** Reports once more (nothing counted is lost), then takes the instance off the board. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
    await this.report().catch(() => undefined);
    await this.rt.stats.retire(this.rt.config.INSTANCE_ID).catch(() => undefined);
  }

  private tick(): Promise<void> {
    this.running ??= this.report()
      .catch((error: Error) => this.rt.log.warn({ err: error.message }, "stats report failed"))
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  private async report(): Promise<void> {
    const { rt } = this;
    const now = Date.now();
    const sent = (await rt.metrics.messagesIn.get()).values[0]?.value ?? 0;
    const latency = await this.latencyTotals();
    const latencyDelta = new Map(
      [...latency].map(([bound, count]) => [
        bound,
        count - (this.reported.latency.get(bound) ?? 0),
      ]),
    );
    await rt.stats.write({
      instance: {
        instanceId: rt.config.INSTANCE_ID,
        onlineUsers: rt.hub.users,
        openStreams: rt.hub.streams,
        reportedAt: now,
      },
      userIds: [...rt.hub.userIds()],
      minute: Math.floor(now / 60_000),
      sent: sent - this.reported.sent,
      latency: latencyDelta,
    });
    // Only after the write: a failed report's counts go into the next one.
    this.reported = { sent, latency };
  }

  private async latencyTotals(): Promise<Map<number, number>> {
    const metric = await this.rt.metrics.deliveryLatency.get();
    const totals = new Map<number, number>();
    for (const value of metric.values) {
      const le = value.labels.le;
      if (value.metricName?.endsWith("_bucket") && le !== undefined) {
        totals.set(parseBound(le), value.value);
      }
    }
    return totals;
  }
}
