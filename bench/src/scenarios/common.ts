import { type BenchUser, inParallel } from "../fixtures.ts";
import { Histogram } from "../histogram.ts";
import type { DeliveryRouter } from "../load.ts";
import { type MachineFigures, type ProcessFigures, startSampling } from "../proc-sampler.ts";
import type { RunContext } from "../run-context.ts";
import { findInfraProcesses, type Service } from "../stack.ts";
import { parleyTarget } from "../targets/parley.ts";
import { copyMemberships, referenceTarget } from "../targets/reference.ts";
import type { ChatLink, ChatTarget } from "../targets/target.ts";

/** What a scenario hands back: the text to print, raw figures, and charts to write. */
export interface ScenarioReport {
  text: string;
  json: Record<string, unknown>;
  charts: Array<{ file: string; svg: string }>;
}

export interface Resources {
  processes: ProcessFigures[];
  machine: MachineFigures;
  /** The sampled phase on the monotonic clock in µs, as --cpu-prof profiles time samples. */
  window: [number, number];
}

const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

/** Runs `work` while sampling the services, the infrastructure and the load generator. */
export async function withSampling<T>(
  services: Service[],
  work: () => Promise<T>,
): Promise<{ result: T; resources: Resources }> {
  const sampler = startSampling([
    ...services.filter((s) => s.pid > 0).map((s) => ({ label: s.label, pid: s.pid })),
    ...findInfraProcesses(),
    { label: "bench (load generator)", pid: process.pid },
  ]);
  const startUs = monotonicUs();
  try {
    const result = await work();
    return { result, resources: { ...sampler.stop(), window: [startUs, monotonicUs()] } };
  } catch (error) {
    sampler.stop();
    throw error;
  }
}

/** A started system under test: its services and the adapter the generator drives. */
export interface System {
  name: "parley" | "reference";
  services: Service[];
  target: ChatTarget;
  stop(): Promise<void>;
}

export async function startParleySystem(run: RunContext, users: number): Promise<System> {
  const [service] = await run.startParley(1);
  const target = parleyTarget({
    url: service!.url,
    jwtSecret: run.options.jwtSecret,
    connections: connectionsFor(run, users),
    protocol: run.options.protocol,
  });
  return {
    name: "parley",
    services: [service!],
    target,
    async stop() {
      await target.close();
      await run.stop(service!);
    },
  };
}

export async function startReferenceSystem(run: RunContext): Promise<System> {
  const service = await run.startReference();
  await copyMemberships(run.db);
  const target = referenceTarget(service.url);
  return {
    name: "reference",
    services: [service],
    target,
    async stop() {
      await target.close();
      await run.stop(service);
    },
  };
}

/**
 * HTTP/2 connections for `users` simulated users. A browser holds one user per connection;
 * the generator multiplexes to save sockets, but not too far: the server's HTTP/2 session
 * counts the data queued for all of a connection's streams against maxSessionMemory (10 MB by
 * default), and when a busy generator reads slowly, 250 active streams on one connection went
 * past it, had new streams refused and then the whole session closed (INTERNAL_ERROR).
 * Idle streams (connections scenario) queue nothing and can share more.
 */
export function connectionsFor(run: RunContext, users: number): number {
  const perConnection = run.options.scenario === "connections" ? 250 : 25;
  return run.options.connections || Math.max(1, Math.ceil(users / perConnection));
}

/** Which systems the scenario measures, in order (Parley first). */
export function systemsToRun(run: RunContext): Array<"parley" | "reference"> {
  const choice = run.options.target;
  if (choice === "both") return ["parley", "reference"];
  return [choice];
}

/**
 * Connects every user (at most `limit` at once); returns links in the order of `users`.
 * Deliveries reach `router` under each user's own index.
 */
export async function connectAll(
  target: ChatTarget,
  users: BenchUser[],
  router: DeliveryRouter,
  limit = 100,
): Promise<{ links: ChatLink[]; connectMs: Histogram }> {
  const links: ChatLink[] = new Array(users.length);
  const connectMs = new Histogram();
  await inParallel(users, limit, async (user, index) => {
    const started = performance.now();
    links[index] = await target.connect(user, router.handler(user.index));
    connectMs.record(performance.now() - started);
  });
  return { links, connectMs };
}

/** Counts the messages a system stored in the run's database. */
export async function storedMessages(run: RunContext, system: "parley" | "reference") {
  const table = system === "parley" ? "messages" : "ref_messages";
  const rows = await run.db.$queryRawUnsafe<Array<{ n: bigint }>>(
    `SELECT COUNT(*) AS n FROM ${table}`,
  );
  return Number(rows[0]?.n ?? 0);
}

export function log(line: string) {
  process.stderr.write(`[bench] ${line}\n`);
}

/** The persister's own view from GET /metrics: batches and records, for Parley instances. */
export async function persisterFigures(services: Service[]) {
  let batches = 0;
  let records = 0;
  for (const service of services) {
    const text = await fetch(`${service.url}/metrics`)
      .then((r) => r.text())
      .catch(() => "");
    batches += Number(/^parley_persister_batch_size_count (\S+)$/m.exec(text)?.[1] ?? 0);
    records += Number(/^parley_persister_batch_size_sum (\S+)$/m.exec(text)?.[1] ?? 0);
  }
  return { batches, records, meanBatch: batches ? records / batches : 0 };
}

/** After a warm-up, wait this long at most for its messages, so a step starts with none. */
export const WARMUP_DRAIN_MS = 30_000;

/** Outcomes as the --json file keeps them: each histogram as its buckets. */
export function outcomesJson<L extends { histogram: Histogram }>(outcomes: Array<{ load: L }>) {
  return outcomes.map((o) => ({
    ...o,
    load: { ...o.load, histogram: o.load.histogram.buckets() },
  }));
}
