import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { resolve } from "node:path";
import { createPrisma, type PrismaClient } from "@parley/db";
import { Kafka, logLevel } from "kafkajs";
import type { BenchOptions } from "./options.ts";
import {
  createScratchDb,
  type Infra,
  runId,
  type ScratchDb,
  type Service,
  startRealtime,
  startReference,
} from "./stack.ts";

/**
 * What one benchmark run owns: the scratch database (or the running stack's), the services it
 * started, the Kafka topic it named. `teardown()` removes exactly those.
 */
export class RunContext {
  readonly infra: Infra;
  readonly kafkaTopic = `parley.bench.${runId}`;
  readonly kafkaGroup = `parley-bench-${runId}`;
  private scratch: ScratchDb | undefined;
  private external: PrismaClient | undefined;
  private readonly services = new Set<Service>();
  private topicUsed = false;

  constructor(readonly options: BenchOptions) {
    this.infra = {
      mysqlServer: options.mysqlServer,
      redisUrl: options.redisUrl,
      kafkaBrokers: options.kafkaBrokers,
    };
  }

  get db(): PrismaClient {
    const db = this.scratch?.db ?? this.external;
    if (!db) throw new Error("run context: setup() first");
    return db;
  }

  get databaseUrl(): string {
    return this.scratch?.url ?? this.options.databaseUrl!;
  }

  get databaseName(): string {
    return this.scratch?.name ?? new URL(this.databaseUrl).pathname.slice(1);
  }

  async setup(): Promise<void> {
    if (this.options.url) {
      this.external = createPrisma(this.options.databaseUrl!, { poolSize: 8 });
    } else {
      this.scratch = await createScratchDb(this.infra);
    }
  }

  /** Parley instances: started here, or the running one given by --url. */
  async startParley(count: number): Promise<Service[]> {
    if (this.options.url) {
      if (count > 1) throw new Error("--url gives one instance; this scenario needs two");
      const url = this.options.url;
      const pid = pidListeningOn(Number(new URL(url).port || 80));
      return [{ label: "parley", url, pid: pid ?? 0, process: undefined!, stop: async () => {} }];
    }
    this.topicUsed = true;
    const started = await Promise.all(
      Array.from({ length: count }, (_, i) =>
        startRealtime({
          label: count === 1 ? "parley" : `parley-${i + 1}`,
          infra: this.infra,
          databaseUrl: this.databaseUrl,
          jwtSecret: this.options.jwtSecret,
          kafkaTopic: this.kafkaTopic,
          kafkaGroup: this.kafkaGroup,
          partitions: this.options.partitions,
          sendRate: this.options.sendRate,
          sendBurst: this.options.sendBurst,
          nodeFlags: this.profileFlags(),
          logDir: this.options.out,
        }),
      ),
    );
    for (const service of started) this.services.add(service);
    return started;
  }

  async startReference(): Promise<Service> {
    if (this.options.referenceUrl) {
      const url = this.options.referenceUrl;
      const pid = pidListeningOn(Number(new URL(url).port || 80));
      return { label: "reference", url, pid: pid ?? 0, process: undefined!, stop: async () => {} };
    }
    const service = await startReference({
      infra: this.infra,
      databaseUrl: this.databaseUrl,
      jwtSecret: this.options.jwtSecret,
      nodeFlags: this.profileFlags(),
      logDir: this.options.out,
    });
    this.services.add(service);
    return service;
  }

  async stop(service: Service): Promise<void> {
    await service.stop();
    this.services.delete(service);
  }

  async teardown(): Promise<void> {
    await Promise.allSettled([...this.services].map((s) => s.stop()));
    this.services.clear();
    if (this.topicUsed) await this.deleteKafkaNames().catch(() => undefined);
    await this.external?.$disconnect();
    await this.scratch?.drop();
  }

  private profileFlags(): string[] {
    if (!this.options.cpuProf) return [];
    return ["--cpu-prof", `--cpu-prof-dir=${resolve(this.options.out, "profiles")}`];
  }

  /** The run's topic and consumer group, so runs leave nothing behind in the broker. */
  private async deleteKafkaNames() {
    const kafka = new Kafka({
      clientId: `bench-${runId}`,
      brokers: this.infra.kafkaBrokers.split(","),
      logLevel: logLevel.NOTHING,
    });
    const admin = kafka.admin();
    await admin.connect();
    try {
      await admin.deleteGroups([this.kafkaGroup]).catch(() => undefined);
      await admin.deleteTopics({ topics: [this.kafkaTopic] });
    } finally {
      await admin.disconnect();
    }
  }
}

/** The pid of the process listening on a local TCP port, from /proc (Linux only). */
export function pidListeningOn(port: number): number | undefined {
  const inodes = new Set<string>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text = "";
    try {
      text = readFileSync(table, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const fields = line.trim().split(/\s+/);
      const localPort = Number.parseInt(fields[1]?.split(":")[1] ?? "", 16);
      // State 0A is LISTEN.
      if (localPort === port && fields[3] === "0A" && fields[9]) inodes.add(fields[9]);
    }
  }
  if (inodes.size === 0) return undefined;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let fds: string[] = [];
    try {
      fds = readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const target = readlinkSync(`/proc/${entry}/fd/${fd}`);
        if (inodes.has(target.slice(8, -1)) && target.startsWith("socket:[")) return Number(entry);
      } catch {
        // Closed meanwhile.
      }
    }
  }
  return undefined;
}
