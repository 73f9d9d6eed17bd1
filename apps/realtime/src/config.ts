import { hostname } from "node:os";
import { z } from "zod";

const seconds = z.coerce.number().int().positive();
const list = z.string().transform((value) =>
  value
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean),
);

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
  REDIS_URL: z.string().url().optional(),
  JWT_SECRET: z.string().min(32).optional(),
  ACCESS_TOKEN_TTL_SECONDS: seconds.default(900),
  REFRESH_TOKEN_TTL_SECONDS: seconds.default(30 * 24 * 3600),
  HEARTBEAT_SECONDS: seconds.default(25),
  CORS_ORIGINS: list.default(["http://localhost:3000", "http://127.0.0.1:3000"]),
  SEND_RATE_PER_SECOND: z.coerce.number().positive().default(20),
  SEND_BURST: z.coerce.number().int().positive().default(60),
  LOGIN_ATTEMPTS_PER_MINUTE: z.coerce.number().int().positive().default(10),
});

export type Config = Omit<z.infer<typeof schema>, "JWT_SECRET"> & { JWT_SECRET: string };

const DEV_SECRET = "parley-development-secret-do-not-use-in-production";

/** Reads and validates the environment; throws one error listing every problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
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
