import { createBenchGroup, createUsers } from "../fixtures.ts";
import { DeliveryRouter, type LoadFigures, runLoad } from "../load.ts";
import type { RunContext } from "../run-context.ts";
import { count, formatTable } from "../table.ts";
import {
  connectAll,
  log,
  outcomesJson,
  type Resources,
  type ScenarioReport,
  startParleySystem,
  startReferenceSystem,
  systemsToRun,
  WARMUP_DRAIN_MS,
  withSampling,
} from "./common.ts";
import {
  failureLines,
  LATENCY_HEADER,
  latencyChart,
  latencyRows,
  resourceTable,
} from "./direct.ts";

interface GroupOutcome {
  system: "parley" | "reference";
  load: LoadFigures;
  resources: Resources;
}

/** One group; its members take turns posting, every message goes to every other member. */
export async function groupScenario(run: RunContext): Promise<ScenarioReport> {
  const { options } = run;
  log(`fixtures: one group of ${options.members}`);
  const users = await createUsers(run.db, options.jwtSecret, options.members);
  const conversationId = await createBenchGroup(run.db, users);
  const members = users.map((u) => u.index);
  const outcomes: GroupOutcome[] = [];
  for (const name of systemsToRun(run)) {
    const system =
      name === "parley"
        ? await startParleySystem(run, users.length)
        : await startReferenceSystem(run);
    try {
      const router = new DeliveryRouter();
      log(`${name}: connecting ${users.length} members`);
      const { links } = await connectAll(system.target, users, router);
      const load = {
        links,
        router,
        conversations: [{ id: conversationId, members }],
        rate: options.rate,
        bodyBytes: options.bodyBytes,
        maxInFlight: 50_000,
        reconnects: () => system.target.reconnects(),
      };
      if (options.warmupS > 0) {
        log(`${name}: warm-up ${options.warmupS} s`);
        await runLoad({ ...load, durationMs: options.warmupS * 1000, drainMs: WARMUP_DRAIN_MS });
      }
      log(`${name}: ${options.durationS} s at ${options.rate} msg/s`);
      const { result, resources } = await withSampling(system.services, () =>
        runLoad({ ...load, durationMs: options.durationS * 1000, drainMs: options.drainS * 1000 }),
      );
      outcomes.push({ system: name, load: result, resources });
    } finally {
      await system.stop();
    }
  }
  const fanout = options.members - 1;
  const text = [
    `group: ${options.members} members, ${options.rate} msg/s for ${options.durationS} s ` +
      `(each message to ${fanout} others: ${count(options.rate * fanout)} deliveries/s offered)`,
    formatTable(LATENCY_HEADER, latencyRows(outcomes)),
    ...outcomes.map(
      (o) =>
        `${o.system}: ${count(o.load.deliveriesPerSecond)} deliveries/s achieved, ` +
        `${count(o.load.delivered)} of ${count(o.load.expectedDeliveries)} delivered`,
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
        file: "group-latency.svg",
        svg: latencyChart(
          "group: latency distribution per delivery",
          `${options.members} members, ${options.rate} msg/s, ${count(options.rate * fanout)} deliveries/s`,
          outcomes,
        ),
      },
    ],
  };
}
