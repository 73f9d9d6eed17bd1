import { type BenchUser, createPairs, createUsers } from "../fixtures.ts";
import { DeliveryRouter, runLoad } from "../load.ts";
import type { RunContext } from "../run-context.ts";
import { count, formatTable, ms } from "../table.ts";
import { parleyTarget } from "../targets/parley.ts";
import type { ChatLink, ChatTarget } from "../targets/target.ts";
import {
  connectAll,
  connectionsFor,
  log,
  type ScenarioReport,
  WARMUP_DRAIN_MS,
  withSampling,
} from "./common.ts";
import {
  failureLines,
  LATENCY_HEADER,
  latencyChart,
  latencyRows,
  pairConversations,
  resourceTable,
} from "./direct.ts";

/**
 * Two Parley instances sharing Kafka, Redis and MariaDB: in every pair the sender is on the
 * first instance and the recipient on the second, so every message crosses instances.
 */
export async function twoInstancesScenario(run: RunContext): Promise<ScenarioReport> {
  const { options } = run;
  log(`fixtures: ${options.pairs} pairs`);
  const users = await createUsers(run.db, options.jwtSecret, options.pairs * 2);
  const pairs = await createPairs(run.db, users);
  const services = await run.startParley(2);
  const [one, two] = services.map((service) =>
    parleyTarget({
      url: service.url,
      jwtSecret: options.jwtSecret,
      connections: connectionsFor(run, options.pairs),
      protocol: options.protocol,
    }),
  );
  try {
    const router = new DeliveryRouter();
    log(`connecting ${options.pairs} senders to one, ${options.pairs} recipients to two`);
    const senders = users.filter((u) => u.index % 2 === 0);
    const recipients = users.filter((u) => u.index % 2 === 1);
    const links: ChatLink[] = new Array(users.length);
    const connectSide = async (target: ChatTarget, side: BenchUser[]) => {
      const { links: sideLinks } = await connectAll(target, side, router);
      side.forEach((user, i) => {
        links[user.index] = sideLinks[i]!;
      });
    };
    await Promise.all([connectSide(one!, senders), connectSide(two!, recipients)]);
    const reconnects = () => one!.reconnects() + two!.reconnects();
    return await measure(run, links, router, pairs, services, reconnects);
  } finally {
    await one!.close();
    await two!.close();
    for (const service of services) await run.stop(service);
  }
}

async function measure(
  run: RunContext,
  links: ChatLink[],
  router: DeliveryRouter,
  pairs: Awaited<ReturnType<typeof createPairs>>,
  services: Awaited<ReturnType<RunContext["startParley"]>>,
  reconnects: () => number,
): Promise<ScenarioReport> {
  const { options } = run;
  const load = {
    links,
    router,
    conversations: pairConversations(pairs, true),
    rate: options.rate,
    bodyBytes: options.bodyBytes,
    maxInFlight: 50_000,
    reconnects,
  };
  if (options.warmupS > 0) {
    log(`warm-up ${options.warmupS} s`);
    await runLoad({ ...load, durationMs: options.warmupS * 1000, drainMs: WARMUP_DRAIN_MS });
  }
  log(`${options.durationS} s at ${options.rate}/s`);
  const { result, resources } = await withSampling(services, () =>
    runLoad({ ...load, durationMs: options.durationS * 1000, drainMs: options.drainS * 1000 }),
  );
  const outcomes = [{ system: "parley ×2", load: result, resources }];
  return {
    text: [
      `two-instances: ${options.pairs} pairs, senders on ${services[0]!.label}, recipients on ` +
        `${services[1]!.label}, ${options.rate} msg/s for ${options.durationS} s`,
      formatTable(LATENCY_HEADER, latencyRows(outcomes)),
      `Send reply p50/p99 ${ms(result.acceptLatency.p50)}/${ms(result.acceptLatency.p99)} ms, ` +
        `createdAt→stream p50/p99 ${ms(result.sinceCreatedAt.p50)}/` +
        `${ms(result.sinceCreatedAt.p99)} ms, retried sends ${count(result.retries)}`,
      ...failureLines(outcomes),
      "",
      resourceTable(outcomes),
    ].join("\n"),
    json: {
      outcomes: [{ ...outcomes[0], load: { ...result, histogram: result.histogram.buckets() } }],
    },
    charts: [
      {
        file: "two-instances-latency.svg",
        svg: latencyChart(
          "two instances: latency distribution",
          `${options.pairs} pairs across two instances, ${options.rate} msg/s`,
          outcomes.map((o) => ({ system: "parley", load: o.load })),
        ),
      },
    ],
  };
}
