import { COLORS, renderChart } from "../charts.ts";
import { type BenchUser, createUsers } from "../fixtures.ts";
import { Histogram } from "../histogram.ts";
import { DeliveryRouter } from "../load.ts";
import { residentBytes } from "../proc-sampler.ts";
import type { RunContext } from "../run-context.ts";
import { count, formatTable, ms } from "../table.ts";
import type { ChatLink, ChatTarget } from "../targets/target.ts";
import {
  connectionsFor,
  log,
  type ScenarioReport,
  startParleySystem,
  withSampling,
} from "./common.ts";
import { resourceTable } from "./direct.ts";

// Streams opened before the memory baseline, so code loaded by the first streams (and caches
// warmed by them) is not charged to the rest.
const WARM_STREAMS = 100;
const CONNECT_TIMEOUT_MS = 60_000;

interface Ramp {
  connectMs: Histogram;
  links: ChatLink[];
  failed: number;
  seconds: number;
}

/** Opens streams at a fixed rate; each connect is timed from its start to the sync frame. */
async function ramp(
  target: ChatTarget,
  users: BenchUser[],
  perSecond: number,
  router: DeliveryRouter,
): Promise<Ramp> {
  const connectMs = new Histogram();
  const links: ChatLink[] = [];
  let failed = 0;
  const startedAt = performance.now();
  const pending: Array<Promise<void>> = [];
  for (let i = 0; i < users.length; i++) {
    const due = startedAt + (i / perSecond) * 1000;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const user = users[i]!;
    const started = performance.now();
    const attempt = target.connect(user, router.handler(user.index));
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error("timeout")), CONNECT_TIMEOUT_MS).unref(),
    );
    pending.push(
      Promise.race([attempt, timeout]).then(
        (link) => {
          connectMs.record(performance.now() - started);
          links.push(link);
        },
        () => {
          failed++;
        },
      ),
    );
  }
  await Promise.all(pending);
  return { connectMs, links, failed, seconds: (performance.now() - startedAt) / 1000 };
}

/** N users each holding a Subscribe stream on one instance. */
export async function connectionsScenario(run: RunContext): Promise<ScenarioReport> {
  const { options } = run;
  const total = Math.max(options.users, WARM_STREAMS + 1);
  log(`fixtures: ${total} users`);
  const users = await createUsers(run.db, options.jwtSecret, total);
  const system = await startParleySystem(run, total);
  const service = system.services[0]!;
  const router = new DeliveryRouter();
  try {
    log(`warm-up: ${WARM_STREAMS} streams`);
    const warm = await ramp(
      system.target,
      users.slice(0, WARM_STREAMS),
      options.rampPerSecond,
      router,
    );
    await settle(3000);
    const rssBaseline = residentBytes(service.pid) ?? 0;
    const rest = users.slice(WARM_STREAMS);
    log(`opening ${rest.length} streams at ${options.rampPerSecond}/s`);
    const { result: opened, resources } = await withSampling(system.services, async () => {
      const result = await ramp(system.target, rest, options.rampPerSecond, router);
      log(`holding ${options.holdS} s`);
      await settle(options.holdS * 1000);
      return result;
    });
    const rssOpen = residentBytes(service.pid) ?? 0;
    const live = [...warm.links, ...opened.links].filter((l) => l.live).length;
    const perStreamKiB = (rssOpen - rssBaseline) / 1024 / Math.max(opened.links.length, 1);
    return report(run, { opened, warm, rssBaseline, rssOpen, live, perStreamKiB, resources });
  } finally {
    await system.stop();
  }
}

/** The connect-time distribution chart (also used by replot.ts). */
export function connectChart(connectMs: Histogram, streams: number, perSecond: number): string {
  return renderChart({
    title: "connections: time to a live stream",
    subtitle: `${count(streams)} streams opened at ${perSecond}/s`,
    x: { label: "percentile", scale: "percentile", min: 0, max: 99.999 },
    y: { label: "Subscribe called → sync frame (ms)", scale: "log" },
    series: [{ name: "parley", color: COLORS.parley, points: connectMs.percentileCurve() }],
    marks: [{ y: 1000, label: "1 s target" }],
  });
}

function settle(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function report(
  run: RunContext,
  figures: {
    opened: Ramp;
    warm: Ramp;
    rssBaseline: number;
    rssOpen: number;
    live: number;
    perStreamKiB: number;
    resources: Parameters<typeof resourceTable>[0][number]["resources"];
  },
): ScenarioReport {
  const { options } = run;
  const { opened, warm } = figures;
  const c = opened.connectMs.summary();
  const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);
  const text = [
    `connections: ${count(opened.links.length + warm.links.length)} streams on one instance, ` +
      `opened at ${options.rampPerSecond}/s over ${connectionsFor(run, options.users)} HTTP/2 connections`,
    formatTable(
      ["figure", "value"],
      [
        ["streams opened (after 100 warm-up)", count(opened.links.length)],
        ["failed to open (60 s)", count(opened.failed + warm.failed)],
        ["live after the hold", count(figures.live)],
        ["ramp took (s)", opened.seconds.toFixed(1)],
        ["connect p50 ms", ms(c.p50)],
        ["connect p90 ms", ms(c.p90)],
        ["connect p99 ms", ms(c.p99)],
        ["connect p99.9 ms", ms(c.p999)],
        ["connect max ms", ms(c.max)],
        ["service RSS before (MiB)", mib(figures.rssBaseline)],
        ["service RSS with all open (MiB)", mib(figures.rssOpen)],
        ["RSS per open stream (KiB)", figures.perStreamKiB.toFixed(1)],
      ],
    ),
    "",
    resourceTable([{ system: "parley", resources: figures.resources }]),
  ].join("\n");
  const svg = connectChart(opened.connectMs, opened.links.length, options.rampPerSecond);
  return {
    text,
    json: {
      connect: c,
      connectHistogram: opened.connectMs.buckets(),
      streams: opened.links.length + warm.links.length,
      failed: opened.failed + warm.failed,
      live: figures.live,
      rssBaselineBytes: figures.rssBaseline,
      rssOpenBytes: figures.rssOpen,
      perStreamKiB: figures.perStreamKiB,
      resources: figures.resources,
    },
    charts: [{ file: "connections-connect.svg", svg }],
  };
}
