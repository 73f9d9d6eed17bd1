import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { readdirSync, readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { createPrisma, migrate, type PrismaClient, parseDatabaseUrl } from "@parley/db";
import { createConnection } from "mariadb";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const realtimeDir = `${repoRoot}apps/realtime`;
const referenceEntry = fileURLToPath(new URL("../reference/server.ts", import.meta.url));
const migrationsDir = `${repoRoot}prisma/migrations`;

/** Every run gets its own id: the scratch database and Kafka names carry it. */
export const runId = `${Date.now().toString(36)}${randomBytes(3).toString("hex")}`;

export interface Infra {
  /** Server URL without a database, e.g. mysql://root@127.0.0.1:3306 */
  mysqlServer: string;
  redisUrl: string;
  kafkaBrokers: string;
}

export interface ScratchDb {
  name: string;
  url: string;
  db: PrismaClient;
  drop(): Promise<void>;
}

/** A migrated database named parley_bench_<run id>; `drop()` removes it and nothing else. */
export async function createScratchDb(infra: Infra): Promise<ScratchDb> {
  const name = `parley_bench_${runId}`;
  const url = `${infra.mysqlServer.replace(/\/$/, "")}/${name}`;
  await migrate(url, { migrationsDir });
  const db = createPrisma(url, { poolSize: 8 });
  return {
    name,
    url,
    db,
    async drop() {
      await db.$disconnect().catch(() => undefined);
      const { host, port, user, password } = parseDatabaseUrl(url);
      const conn = await createConnection({ host, port, user, password });
      try {
        await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await conn.end();
      }
    },
  };
}

/** A service the bench started as a child process. */
export interface Service {
  label: string;
  url: string;
  pid: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts a child process and waits for its JSON "ready" log line, which carries the port it
 * bound (PORT=0 picks a free one).
 */
async function startChild(
  label: string,
  args: string[],
  cwd: string,
  env: Record<string, string>,
  readyText: string,
): Promise<Service> {
  const child = spawn(process.execPath, args, {
    cwd,
    env: { ...process.env, PORT: "0", HOST: "127.0.0.1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  const keep = (line: string) => {
    lines.push(line);
    if (lines.length > 100) lines.shift();
  };
  createInterface({ input: child.stderr! }).on("line", keep);
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${label} not ready in 60 s:\n${lines.join("\n")}`)),
      60_000,
    );
    createInterface({ input: child.stdout! }).on("line", (line) => {
      keep(line);
      if (!line.includes(readyText)) return;
      clearTimeout(timer);
      resolve(JSON.parse(line).port as number);
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${label} exited with ${code}:\n${lines.join("\n")}`));
    });
  });
  return {
    label,
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    process: child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, "exit");
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export interface RealtimeOptions {
  label: string;
  infra: Infra;
  databaseUrl: string;
  jwtSecret: string;
  /** Shared by instances of one run so they form one persister group. */
  kafkaTopic: string;
  kafkaGroup: string;
  partitions: number;
  sendRate: number;
  sendBurst: number;
  /** Extra node flags, e.g. --cpu-prof. */
  nodeFlags: string[];
  env?: Record<string, string>;
}

/** Starts a realtime instance with Kafka and Redis, as production runs it. */
export function startRealtime(options: RealtimeOptions): Promise<Service> {
  const args = [...options.nodeFlags, "--import", "tsx", "src/main.ts"];
  return startChild(
    options.label,
    args,
    realtimeDir,
    {
      NODE_ENV: "production",
      LOG_LEVEL: "info",
      INSTANCE_ID: `bench-${options.label}-${runId}`,
      DATABASE_URL: options.databaseUrl,
      DATABASE_POOL_SIZE: "10",
      KAFKA_BROKERS: options.infra.kafkaBrokers,
      KAFKA_TOPIC: options.kafkaTopic,
      KAFKA_GROUP_ID: options.kafkaGroup,
      KAFKA_PARTITIONS: String(options.partitions),
      KAFKA_SESSION_TIMEOUT_MS: "10000",
      REDIS_URL: options.infra.redisUrl,
      JWT_SECRET: options.jwtSecret,
      SEND_RATE_PER_SECOND: String(options.sendRate),
      SEND_BURST: String(options.sendBurst),
      ...options.env,
    },
    '"realtime ready"',
  );
}

/** Starts the Socket.IO reference server (bench/reference/server.ts). */
export function startReference(options: {
  infra: Infra;
  databaseUrl: string;
  jwtSecret: string;
  nodeFlags: string[];
}): Promise<Service> {
  return startChild(
    "reference",
    [...options.nodeFlags, "--import", "tsx", referenceEntry],
    repoRoot,
    {
      NODE_ENV: "production",
      DATABASE_URL: options.databaseUrl,
      REDIS_URL: options.infra.redisUrl,
      JWT_SECRET: options.jwtSecret,
    },
    '"reference ready"',
  );
}

/** MariaDB, Redis and Kafka processes on this machine, to sample beside the services. */
export function findInfraProcesses(): Array<{ label: string; pid: number }> {
  const names: Record<string, string> = {
    mariadbd: "mariadb",
    mysqld: "mariadb",
    "redis-server": "redis",
  };
  const found: Array<{ label: string; pid: number }> = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const comm = readFileSync(`/proc/${entry}/comm`, "utf8").trim();
      const label = names[comm];
      if (label) found.push({ label, pid: Number(entry) });
    } catch {
      // The process ended while we looked.
    }
  }
  try {
    const pid = Number(readFileSync(`${repoRoot}.parley/kafka/kafka.pid`, "utf8").trim());
    if (pid > 0) found.push({ label: "kafka", pid });
  } catch {
    // Kafka started some other way: not sampled.
  }
  return found;
}
