import { hostname } from "node:os";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";

const seconds = z.coerce.number().int().positive();
const list = z.string().transform((value) =>
  value
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean),
);

const KIB = 1024;
const MIB = 1024 * KIB;
const MAX_CHUNK_BYTES = 16 * MIB;
const bytes = z.coerce.number().int().positive();
const REPO_FILES_DIR = fileURLToPath(new URL("../../../.parley/files", import.meta.url));

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  HOST: z.string().default("127.0.0.1"),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  INSTANCE_ID: z.string().min(1).default(`${hostname()}-${process.pid}`),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  DATABASE_URL: z.string().url().default("mysql://root@127.0.0.1:3306/parley"),
  DATABASE_POOL_SIZE: z.coerce.number().int().positive().default(10),
  KAFKA_BROKERS: list.optional(),
  KAFKA_TOPIC: z.string().default("parley.messages"),
  KAFKA_PARTITIONS: z.coerce.number().int().positive().default(12),
  KAFKA_GROUP_ID: z.string().default("parley-persister"),
  // How long a silent persister keeps its partitions before the group hands them on.
  KAFKA_SESSION_TIMEOUT_MS: z.coerce.number().int().min(6000).default(30_000),
  REDIS_URL: z.string().url().optional(),
  JWT_SECRET: z.string().min(32).optional(),
  ACCESS_TOKEN_TTL_SECONDS: seconds.default(900),
  REFRESH_TOKEN_TTL_SECONDS: seconds.default(30 * 24 * 3600),
  HEARTBEAT_SECONDS: seconds.default(25),
  CORS_ORIGINS: list.default(["http://localhost:3000", "http://127.0.0.1:3000"]),
  SEND_RATE_PER_SECOND: z.coerce.number().positive().default(20),
  SEND_BURST: z.coerce.number().int().positive().default(60),
  // Admission control (pipeline/admission.ts): past either bound, Send answers UNAVAILABLE.
  SEND_MAX_IN_FLIGHT: z.coerce.number().int().positive().default(1000),
  SEND_MAX_WAIT_MS: z.coerce.number().int().positive().default(2000),
  SEND_MAX_LOOP_DELAY_MS: z.coerce.number().int().min(0).default(500),
  SEND_SHED_FROM_BUSY: z.coerce.number().min(0.5).max(1).default(0.9),
  LOGIN_ATTEMPTS_PER_MINUTE: z.coerce.number().int().positive().default(10),
  // Higher: many people can share one address (offices, carrier NAT).
  LOGIN_ATTEMPTS_PER_ADDRESS_PER_MINUTE: z.coerce.number().int().positive().default(100),
  // Believe X-Forwarded-For only behind a proxy that sets it.
  TRUST_PROXY: z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true"),
  GROUP_MEMBER_CAP: z.coerce.number().int().min(2).max(100_000).default(500),
  FILES_DIR: z
    .string()
    .min(1)
    .default(REPO_FILES_DIR)
    .transform((dir) => resolve(dir)),
  FILES_MAX_BYTES: bytes.default(512 * MIB),
  // The chunk size offered to clients; a chunk may be smaller, never larger. 1 MiB: a dropped
  // connection costs at most 1 MiB of resending and progress moves every MiB even on a slow
  // uplink, while the fixed cost of a chunk (an fsync and a row-locked transaction, a few ms)
  // stays small next to moving the bytes.
  FILES_CHUNK_BYTES: bytes.min(KIB).max(MAX_CHUNK_BYTES).default(MIB),
  FILES_MAX_UNFINISHED_UPLOADS: z.coerce.number().int().positive().default(5),
  FILES_UPLOAD_TTL_SECONDS: seconds.default(24 * 3600),
  FILES_SWEEP_SECONDS: seconds.default(300),
});

export type Config = Omit<z.infer<typeof schema>, "JWT_SECRET"> & { JWT_SECRET: string };

const DEV_SECRET = "parley-development-secret-do-not-use-in-production";

/** Reads and validates the environment; throws one error listing every problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable (`REDIS_URL=` in a .env file) means unset.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ""));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join(".")}: ${issue.message}`,
    );
    throw new Error(`invalid configuration:\n  ${problems.join("\n  ")}`);
  }
  const config = parsed.data;
  if (!config.JWT_SECRET && config.NODE_ENV === "production") {
    throw new Error("invalid configuration:\n  JWT_SECRET: required in production (32+ chars)");
  }
  return { ...config, JWT_SECRET: config.JWT_SECRET ?? DEV_SECRET };
}
