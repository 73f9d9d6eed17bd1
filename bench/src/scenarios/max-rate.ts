import { COLORS, renderChart, type Series } from "../charts.ts";
import { createPairs, createUsers } from "../fixtures.ts";
import { DeliveryRouter, type LoadFigures, runLoad } from "../load.ts";
import type { RunContext } from "../run-context.ts";
import { count, formatTable, ms } from "../table.ts";
import {
  connectAll,
  log,
  type Resources,
  type ScenarioReport,
  startParleySystem,
  startReferenceSystem,
  systemsToRun,
  WARMUP_DRAIN_MS,
  withSampling,
} from "./common.ts";
import { failureLines, LATENCY_HEADER, latencyRows, pairConversations } from "./direct.ts";

const P99_LIMIT_MS = 100;

interface Step {
  load: LoadFigures;
  resources: Resources;
  passed: boolean;
  why: string;
}

interface Climb {
  system: "parley" | "reference";
  steps: Step[];
  /** The highest rate that passed, 0 when none did. */
  maxRate: number;
}

/** A step passes when p99 < 100 ms, nothing is lost, failed or skipped, and the rate held. */
function judge(load: LoadFigures): { passed: boolean; why: string } {
  if (load.lost > 0) return { passed: false, why: `${load.lost} lost` };
  if (load.failed + load.skipped > 0) {
    return { passed: false, why: `${load.failed + load.skipped} sends failed` };
  }
  if (load.sendRateAchieved < load.rateTarget * 0.95) {
    return { passed: false, why: `generator reached only ${Math.round(load.sendRateAchieved)}/s` };
  }
  if (load.latency.p99 >= P99_LIMIT_MS) {
    return { passed: false, why: `p99 ${ms(load.latency.p99)} ms` };
  }
  return { passed: true, why: "" };
}

/**
 * Raises the rate step by step; the answer is the last rate before the first step whose p99
 * reaches 100 ms (or loses a message). One more step is run after that for the chart.
 */
export async function maxRateScenario(run: RunContext): Promise<ScenarioReport> {
  const { options } = run;
  log(`fixtures: ${options.pairs} pairs`);
  const users = await createUsers(run.db, options.jwtSecret, options.pairs * 2);
  const pairs = await createPairs(run.db, users);
  const climbs: Climb[] = [];
  for (const name of systemsToRun(run)) {
    const system =
      name === "parley"
        ? await startParleySystem(run, users.length)
        : await startReferenceSystem(run);
    const climb: Climb = { system: name, steps: [], maxRate: 0 };
    climbs.push(climb);
    try {
      const router = new DeliveryRouter();
      log(`${name}: connecting ${users.length} users`);
      const { links } = await connectAll(system.target, users, router);
      const base = {
        links,
        router,
        conversations: pairConversations(pairs),
        bodyBytes: options.bodyBytes,
        maxInFlight: 50_000,
        reconnects: () => system.target.reconnects(),
      };
      const first = options.steps[0]!;
      if (options.warmupS > 0) {
        log(`${name}: warm-up ${options.warmupS} s at ${first}/s`);
        await runLoad({
          ...base,
          rate: first,
          durationMs: options.warmupS * 1000,
          drainMs: WARMUP_DRAIN_MS,
        });
      }
      let failures = 0;
      for (const rate of options.steps) {
        log(`${name}: step ${rate}/s for ${options.stepS} s`);
        const { result, resources } = await withSampling(system.services, () =>
          runLoad({
            ...base,
            rate,
            durationMs: options.stepS * 1000,
            drainMs: options.drainS * 1000,
          }),
        );
        const verdict = judge(result);
        climb.steps.push({ load: result, resources, ...verdict });
        log(`${name}: ${rate}/s p99 ${ms(result.latency.p99)} ms ${verdict.why || "ok"}`);
        if (verdict.passed && failures === 0) climb.maxRate = rate;
        // One step past the first failure, for the shape of the curve; then stop.
        if (!verdict.passed && ++failures === 2) break;
      }
    } finally {
      await system.stop();
    }
  }
  return maxRateReport(run, climbs);
}

function maxRateReport(run: RunContext, climbs: Climb[]): ScenarioReport {
  const { options } = run;
  const rows = climbs.flatMap((climb) =>
    latencyRows(climb.steps.map((s) => ({ system: climb.system, load: s.load }))).map((row, i) => {
      const step = climb.steps[i]!;
      const service = step.resources.processes[0];
      return [
        ...row,
        service ? service.cpuMean.toFixed(0) : "",
        step.passed ? "pass" : `FAIL ${step.why}`,
      ];
    }),
  );
  const verdicts = climbs.map((c) => {
    const top = options.steps.at(-1)!;
    const capped = c.maxRate === top ? ` (the highest step tried; raise --steps)` : "";
    return `${c.system}: highest rate with p99 < ${P99_LIMIT_MS} ms and nothing lost: ${count(c.maxRate)} msg/s${capped}`;
  });
  const series: Series[] = climbs.flatMap((climb) => {
    const color = climb.system === "parley" ? COLORS.parley : COLORS.reference;
    const points = (pick: (l: LoadFigures) => number) =>
      climb.steps.map((s) => [s.load.rateTarget, pick(s.load)] as [number, number]);
    return [
      { name: `${climb.system} p99`, color, points: points((l) => l.latency.p99) },
      { name: `${climb.system} p50`, color, dashed: true, points: points((l) => l.latency.p50) },
    ];
  });
  const svg = renderChart({
    title: "max-rate: latency against rate",
    subtitle: `${options.pairs} pairs, ${options.stepS} s per step, one instance each`,
    x: { label: "messages per second (offered)", scale: "log" },
    y: { label: "latency, Send called → recipient's stream (ms)", scale: "log" },
    series,
    marks: [{ y: P99_LIMIT_MS, label: "100 ms" }],
  });
  const text = [
    `max-rate: ${options.pairs} pairs, steps ${options.steps.join(", ")} msg/s, ` +
      `${options.stepS} s each`,
    formatTable([...LATENCY_HEADER, "svc CPU %", "verdict"], rows),
    ...verdicts,
    ...failureLines(
      climbs.flatMap((c) =>
        c.steps.map((s) => ({ system: `${c.system} ${s.load.rateTarget}/s`, load: s.load })),
      ),
    ),
  ].join("\n");
  return {
    text,
    json: {
      climbs: climbs.map((c) => ({
        ...c,
        steps: c.steps.map((s) => ({
          ...s,
          load: { ...s.load, histogram: s.load.histogram.buckets() },
        })),
      })),
    },
    charts: [{ file: "max-rate-latency.svg", svg }],
  };
}
