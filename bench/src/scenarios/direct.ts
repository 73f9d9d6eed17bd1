import { COLORS, renderChart, type Series } from "../charts.ts";
import { createPairs, createUsers, type Pair } from "../fixtures.ts";
import { DeliveryRouter, type LoadFigures, runLoad } from "../load.ts";
import type { RunContext } from "../run-context.ts";
import { count, formatTable, ms } from "../table.ts";
import {
  connectAll,
  log,
  outcomesJson,
  persisterFigures,
  type Resources,
  type ScenarioReport,
  startParleySystem,
  startReferenceSystem,
  storedMessages,
  systemsToRun,
  WARMUP_DRAIN_MS,
  withSampling,
} from "./common.ts";

export interface DirectOutcome {
  system: "parley" | "reference";
  load: LoadFigures;
  resources: Resources;
  acceptedTotal: number;
  stored: number;
  connectP99: number;
  persister?: { batches: number; records: number; meanBatch: number };
}

/** Pairs of friends, each conversation's two members sending in turn. */
export function pairConversations(pairs: Pair[], senderOnly = false) {
  return pairs.map((pair, i) => ({
    id: pair.conversationId,
    members: [2 * i, 2 * i + 1],
    senders: senderOnly ? [2 * i] : [2 * i, 2 * i + 1],
  }));
}

/** The direct scenario: pairs chatting at a fixed total rate for a fixed time. */
export async function directScenario(run: RunContext): Promise<ScenarioReport> {
  const { options } = run;
  log(`fixtures: ${options.pairs} pairs`);
  const users = await createUsers(run.db, options.jwtSecret, options.pairs * 2);
  const pairs = await createPairs(run.db, users);
  const outcomes: DirectOutcome[] = [];
  for (const name of systemsToRun(run)) {
    const system =
      name === "parley"
        ? await startParleySystem(run, users.length)
        : await startReferenceSystem(run);
    try {
      const router = new DeliveryRouter();
      log(`${name}: connecting ${users.length} users`);
      const { links, connectMs } = await connectAll(system.target, users, router);
      const load = {
        links,
        router,
        conversations: pairConversations(pairs),
        rate: options.rate,
        bodyBytes: options.bodyBytes,
        maxInFlight: 50_000,
        reconnects: () => system.target.reconnects(),
      };
      let acceptedTotal = 0;
      if (options.warmupS > 0) {
        log(`${name}: warm-up ${options.warmupS} s at ${options.rate}/s`);
        const warm = await runLoad({
          ...load,
          durationMs: options.warmupS * 1000,
          drainMs: WARMUP_DRAIN_MS,
        });
        acceptedTotal += warm.accepted;
      }
      log(`${name}: ${options.durationS} s at ${options.rate}/s`);
      const { result, resources } = await withSampling(system.services, () =>
        runLoad({ ...load, durationMs: options.durationS * 1000, drainMs: options.drainS * 1000 }),
      );
      acceptedTotal += result.accepted;
      const stored = await waitForStored(run, name, acceptedTotal);
      const persister = name === "parley" ? await persisterFigures(system.services) : undefined;
      outcomes.push({
        system: name,
        load: result,
        resources,
        acceptedTotal,
        stored,
        connectP99: connectMs.percentile(99),
        persister,
      });
    } finally {
      await system.stop();
    }
  }
  return directReport(run, outcomes);
}

/** Stored count once the persister caught up (or after 10 s). */
async function waitForStored(run: RunContext, system: "parley" | "reference", expected: number) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const stored = await storedMessages(run, system);
    if (stored >= expected || Date.now() > deadline) return stored;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export function latencyRows(outcomes: Array<{ system: string; load: LoadFigures }>) {
  return outcomes.map(({ system, load }) => [
    system,
    count(load.rateTarget),
    count(load.sendRateAchieved),
    count(load.sent),
    count(load.delivered),
    count(load.lost),
    count(load.duplicated),
    count(load.failed + load.skipped),
    count(load.reconnects),
    ms(load.latency.p50),
    ms(load.latency.p90),
    ms(load.latency.p99),
    ms(load.latency.p999),
    ms(load.latency.max),
  ]);
}

export const LATENCY_HEADER = [
  "system",
  "rate",
  "achieved",
  "sent",
  "delivered",
  "lost",
  "dup",
  "failed",
  "reconn",
  "p50 ms",
  "p90 ms",
  "p99 ms",
  "p99.9 ms",
  "max ms",
];

/** One line per distinct reason sends failed, per system. */
export function failureLines(outcomes: Array<{ system: string; load: LoadFigures }>): string[] {
  return outcomes.flatMap((o) =>
    Object.entries(o.load.failures).map(([why, n]) => `${o.system}: ${n} sends failed: ${why}`),
  );
}

export function resourceTable(rows: Array<{ system: string; resources: Resources }>): string {
  const body = rows.flatMap(({ system, resources }) =>
    resources.processes.map((p) => [
      `${system}: ${p.label}`,
      p.cpuMean.toFixed(0),
      p.cpuMax.toFixed(0),
      p.rssStartMiB.toFixed(0),
      p.rssEndMiB.toFixed(0),
      p.rssMaxMiB.toFixed(0),
    ]),
  );
  const machine = rows.map(
    ({ system, resources }) =>
      `${system}: machine CPU busy ${resources.machine.cpuBusy.toFixed(0)} % of 2 cores, ` +
      `load average up to ${resources.machine.loadAverageMax.toFixed(2)}, profile window ` +
      `${resources.window.join(",")}`,
  );
  return [
    formatTable(["process", "CPU % mean", "CPU % max", "RSS start MiB", "end", "max"], body),
    ...machine,
  ].join("\n");
}

export function latencyChart(
  title: string,
  subtitle: string,
  outcomes: Array<{ system: string; load: LoadFigures }>,
) {
  const series: Series[] = outcomes.map(({ system, load }) => ({
    name: system,
    color: system === "parley" ? COLORS.parley : COLORS.reference,
    points: load.histogram.percentileCurve().filter(([p]) => p <= 100 - 100 / load.delivered),
  }));
  return renderChart({
    title,
    subtitle,
    x: { label: "percentile", scale: "percentile", min: 0, max: 99.999 },
    y: { label: "latency, Send called → recipient's stream (ms)", scale: "log" },
    series,
    marks: [{ y: 100, label: "100 ms target" }],
  });
}

function directReport(run: RunContext, outcomes: DirectOutcome[]): ScenarioReport {
  const { options } = run;
  const stores = outcomes.map(
    (o) =>
      `${o.system}: accepted ${count(o.acceptedTotal)} (warm-up included), stored ` +
      `${count(o.stored)}, retried sends ${count(o.load.retries)}, unexpected deliveries ` +
      `${count(o.load.unexpected)}, Send reply p50/p99 ${ms(o.load.acceptLatency.p50)}/` +
      `${ms(o.load.acceptLatency.p99)} ms, createdAt→stream p50/p99 ` +
      `${ms(o.load.sinceCreatedAt.p50)}/${ms(o.load.sinceCreatedAt.p99)} ms, connect p99 ` +
      `${ms(o.connectP99)} ms, generator lag p99 ${ms(o.load.generatorLagP99)} ms`,
  );
  const text = [
    `direct: ${options.pairs} pairs, ${options.rate} msg/s for ${options.durationS} s, ` +
      `${options.bodyBytes}-byte bodies`,
    formatTable(LATENCY_HEADER, latencyRows(outcomes)),
    ...stores,
    ...outcomes.flatMap((o) =>
      o.persister
        ? [
            `${o.system}: persister stored ${count(o.persister.records)} records in ` +
              `${count(o.persister.batches)} batches (mean ${o.persister.meanBatch.toFixed(1)})`,
          ]
        : [],
    ),
    ...failureLines(outcomes),
    "",
    resourceTable(outcomes),
  ].join("\n");
  return {
    text,
    json: { outcomes: outcomesJson(outcomes) },
    charts: [
      {
        file: "direct-latency.svg",
        svg: latencyChart(
          "direct: latency distribution",
          `${options.pairs} pairs, ${options.rate} msg/s for ${options.durationS} s`,
          outcomes,
        ),
      },
    ],
  };
}
