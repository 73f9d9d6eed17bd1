import { defineConfig, devices } from "@playwright/test";

// One id per run, shared by the runner and its workers (they inherit the environment).
process.env.PARLEY_E2E_RUN ??= Date.now().toString(36);
const run = process.env.PARLEY_E2E_RUN;

// Fixed, uncommon ports: the web app must know the realtime URLs before it starts.
const base = Number(process.env.PARLEY_E2E_PORT_BASE ?? 23400);
export const ports = { web: base, realtimeA: base + 1, realtimeB: base + 2 };
const database = `mysql://root@127.0.0.1:3306/parley_e2e_${run}`;
export const realtimeUrls = [ports.realtimeA, ports.realtimeB].map((p) => `http://127.0.0.1:${p}`);
export const webUrl = `http://127.0.0.1:${ports.web}`;

const realtimeEnv = {
  DATABASE_URL: database,
  KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? "127.0.0.1:9092",
  REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
  KAFKA_TOPIC: `parley.e2e.${run}`,
  KAFKA_GROUP_ID: `parley-e2e-${run}`,
  KAFKA_PARTITIONS: "4",
  JWT_SECRET: "parley-e2e-secret-0123456789abcdef0123456789",
  CORS_ORIGINS: webUrl,
  LOG_LEVEL: "warn",
};

function realtime(port: number, id: string) {
  return {
    // Both instances migrate first; the runner's lock lets one apply and the other wait.
    command: "npx tsx ../../packages/db/src/migrate/cli.ts && npx tsx src/main.ts",
    cwd: "../apps/realtime",
    url: `http://127.0.0.1:${port}/healthz`,
    env: { ...realtimeEnv, PORT: String(port), INSTANCE_ID: id },
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "ignore" as const,
    stderr: "pipe" as const,
  };
}

/** The full stack: two realtime instances, the built web app, MariaDB, Redis and Kafka. */
export default defineConfig({
  testDir: "tests",
  outputDir: "test-results",
  timeout: 120_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"], ["html", { open: "never", outputFolder: "playwright-report" }]],
  globalTeardown: "./support/global-teardown.ts",
  use: {
    baseURL: webUrl,
    screenshot: "on",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"], channel: undefined } }],
  webServer: [
    realtime(ports.realtimeA, "e2e-a"),
    realtime(ports.realtimeB, "e2e-b"),
    {
      command: `npx next start -H 127.0.0.1 -p ${ports.web}`,
      cwd: "../apps/web",
      url: `${webUrl}/`,
      env: {
        REALTIME_URL: realtimeUrls[0]!,
        REALTIME_PUBLIC_URLS: realtimeUrls.join(","),
        NEXTAUTH_URL: webUrl,
        NEXTAUTH_SECRET: "parley-e2e-nextauth-secret-0123456789abcdef",
        NODE_ENV: "production",
      },
      timeout: 120_000,
      reuseExistingServer: false,
      stdout: "ignore",
      stderr: "pipe",
    },
  ],
});

export { database };
