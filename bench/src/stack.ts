import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { closeSync, openSync, readdirSync, readFileSync } from "node:fs";
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
  logFile: string,
): Promise<Service> {
  // The child writes straight to a file: through a pipe, a busy load generator that reads
  // slowly would block the service's synchronous log writes and distort what is measured.
  const fd = openSync(logFile, "w");
  const child = spawn(process.execPath, args, {
    cwd,
    env: { ...process.env, PORT: "0", HOST: "127.0.0.1", ...env },
    stdio: ["ignore", fd, fd],
  });
  closeSync(fd);
  const tail = () => readFileSync(logFile, "utf8").split("\n").slice(-30).join("\n");
  let exited = false;
  child.once("exit", () => {
    exited = true;
  });
  const port = await waitForReady(logFile, readyText, () => exited);
  if (port === undefined) throw new Error(`${label} did not start:\n${tail()}`);
  let stopping = false;
  child.once("exit", (code, signal) => {
    if (stopping) return;
    process.stderr.write(
      `[bench] ${label} exited unexpectedly (${code ?? signal}); log: ${logFile}\n${tail()}\n`,
    );
  });
  return {
    label,
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    process: child,
    async stop() {
      stopping = true;
      if (child.exitCode !== null || child.signalCode !== null) return;
      const done = once(child, "exit");
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await done;
      clearTimeout(timer);
    },
  };
}

/** Polls the log for the JSON ready line and returns its port; undefined if the child died. */
async function waitForReady(logFile: string, readyText: string, dead: () => boolean) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && !dead()) {
    const line = readFileSync(logFile, "utf8")
      .split("\n")
      .find((l) => l.includes(readyText));
    if (line) return JSON.parse(line).port as number;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return undefined;
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
  /** Where the instance's output goes. */
  logDir: string;
  env?: Record<string, string>;
}

/** Starts a realtime instance with Kafka and Redis, as production runs it. */
export function startRealtime(options: RealtimeOptions): Promise<Service> {
  // As `npm start -w @parley/realtime` runs it (see its package.json).
  const args = [...options.nodeFlags, "--max-semi-space-size=32", "--import", "tsx", "src/main.ts"];
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
      REDIS_URL: options.infra.redisUrl,
      JWT_SECRET: options.jwtSecret,
      SEND_RATE_PER_SECOND: String(options.sendRate),
      SEND_BURST: String(options.sendBurst),
      ...options.env,
    },
    '"realtime ready"',
    `${options.logDir}/${options.label}.log`,
  );
}

/** Starts the Socket.IO reference server (bench/reference/server.ts). */
export function startReference(options: {
  infra: Infra;
  databaseUrl: string;
  jwtSecret: string;
  nodeFlags: string[];
  logDir: string;
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
    `${options.logDir}/reference.log`,
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
