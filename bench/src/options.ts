import { parseArgs } from "node:util";

export const SCENARIOS = ["connections", "direct", "max-rate", "group", "two-instances"] as const;
export type Scenario = (typeof SCENARIOS)[number];
export type TargetChoice = "parley" | "reference" | "both";

/** Every option of `npm run bench -- <scenario> [options]`, with its default. */
export interface BenchOptions {
  scenario: Scenario;
  /** Use a running Parley at this URL instead of starting one (needs databaseUrl, jwtSecret). */
  url: string | undefined;
  referenceUrl: string | undefined;
  databaseUrl: string | undefined;
  jwtSecret: string;
  mysqlServer: string;
  redisUrl: string;
  kafkaBrokers: string;
  target: TargetChoice;
  users: number;
  pairs: number;
  members: number;
  rate: number;
  durationS: number;
  warmupS: number;
  steps: number[];
  stepS: number;
  drainS: number;
  rampPerSecond: number;
  holdS: number;
  connections: number;
  protocol: "connect" | "grpc";
  partitions: number;
  sendRate: number;
  sendBurst: number;
  bodyBytes: number;
  json: string | undefined;
  out: string;
  cpuProf: boolean;
}

const USAGE = `usage: npm run bench -- <scenario> [options]

scenarios: ${SCENARIOS.join(", ")}

  --target parley|reference|both   what to measure (default both; connections and
                                   two-instances measure Parley only)
  --users N          connections: concurrent streams (default 10000)
  --pairs N          direct, max-rate, two-instances: chatting pairs (default 1000)
  --members N        group: members of the one group (default 200)
  --rate N           messages per second, all users together (direct 5000, group 50,
                     two-instances 2000)
  --duration S       seconds of measured load (default 60)
  --warmup S         seconds of unmeasured load before it (default 5)
  --steps A,B,...    max-rate: rates to try in order (default 1000,2000,...,10000)
  --step-duration S  max-rate: seconds per step (default 15)
  --drain S          seconds to wait for late deliveries after the last send (default 10)
  --ramp N           connections: streams opened per second (default 1000)
  --hold S           connections: seconds to hold them open before measuring (default 10)
  --connections N    HTTP/2 connections the simulated users share (default: 1 per 250 users
                     for connections, 1 per 25 users for the scenarios that send)
  --protocol connect|grpc          wire protocol of the Parley client (default connect)
  --partitions N     Kafka partitions of the run's topic (default 12)
  --send-rate N, --send-burst N    per-user Send limit of the started instances (default 50, 100)
  --body-bytes N     message body size (default 100)
  --url URL          measure a running Parley instead of starting one; needs
                     --database-url (its database, for fixtures) and --jwt-secret
  --reference-url URL              a running reference server (same database)
  --json FILE        write the raw figures as JSON
  --out DIR          where charts go (default bench/results/<scenario>-<run id>)
  --cpu-prof         start the services under node --cpu-prof (profiles in --out)
  --mysql URL, --redis URL, --kafka BROKERS   infrastructure (defaults: local)
`;

function numberList(value: string): number[] {
  return value.split(",").map((item) => {
    const n = Number(item.trim());
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--steps: not a positive number: ${item}`);
    return n;
  });
}

/** Parses argv; throws an Error whose message is the problem plus the usage text. */
export function parseOptions(argv: string[], runId: string): BenchOptions {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      url: { type: "string" },
      "reference-url": { type: "string" },
      "database-url": { type: "string" },
      "jwt-secret": { type: "string" },
      mysql: { type: "string", default: "mysql://root@127.0.0.1:3306" },
      redis: { type: "string", default: "redis://127.0.0.1:6379" },
      kafka: { type: "string", default: "127.0.0.1:9092" },
      target: { type: "string", default: "both" },
      users: { type: "string", default: "10000" },
      pairs: { type: "string", default: "1000" },
      members: { type: "string", default: "200" },
      rate: { type: "string" },
      duration: { type: "string", default: "60" },
      warmup: { type: "string", default: "5" },
      steps: { type: "string", default: "1000,2000,3000,4000,5000,6000,7000,8000,9000,10000" },
      "step-duration": { type: "string", default: "15" },
      drain: { type: "string", default: "10" },
      ramp: { type: "string", default: "1000" },
      hold: { type: "string", default: "10" },
      connections: { type: "string" },
      protocol: { type: "string", default: "connect" },
      partitions: { type: "string", default: "12" },
      "send-rate": { type: "string", default: "50" },
      "send-burst": { type: "string", default: "100" },
      "body-bytes": { type: "string", default: "100" },
      json: { type: "string" },
      out: { type: "string" },
      "cpu-prof": { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  const fail = (problem: string): never => {
    throw new Error(`${problem}\n\n${USAGE}`);
  };
  if (values.help) fail("help");
  const scenario = positionals[0] as Scenario;
  if (!SCENARIOS.includes(scenario)) fail(`unknown scenario: ${positionals[0] ?? "(none)"}`);
  const num = (name: keyof typeof values, fallback?: number): number => {
    const raw = values[name];
    const n = raw === undefined ? fallback : Number(raw);
    if (n === undefined || !Number.isFinite(n) || n < 0) fail(`--${name}: not a number: ${raw}`);
    return n as number;
  };
  const target = values.target as TargetChoice;
  if (!["parley", "reference", "both"].includes(target)) fail(`--target: ${target}`);
  const protocol = values.protocol as "connect" | "grpc";
  if (!["connect", "grpc"].includes(protocol)) fail(`--protocol: ${protocol}`);
  const defaultRate = { group: 50, "two-instances": 2000 } as Record<string, number>;
  const jwtSecret =
    values["jwt-secret"] ?? process.env.JWT_SECRET ?? `bench-secret-${runId}-0123456789abcdef`;
  if (values.url && !values["database-url"]) fail("--url needs --database-url (for fixtures)");
  if (values.url && !values["jwt-secret"] && !process.env.JWT_SECRET) {
    fail("--url needs --jwt-secret (or JWT_SECRET) to sign the simulated users' tokens");
  }
  return {
    scenario,
    url: values.url,
    referenceUrl: values["reference-url"],
    databaseUrl: values["database-url"],
    jwtSecret,
    mysqlServer: values.mysql!,
    redisUrl: values.redis!,
    kafkaBrokers: values.kafka!,
    target,
    users: num("users"),
    pairs: num("pairs"),
    members: num("members"),
    rate: num("rate", defaultRate[scenario] ?? 5000),
    durationS: num("duration"),
    warmupS: num("warmup"),
    steps: numberList(values.steps!),
    stepS: num("step-duration"),
    drainS: num("drain"),
    rampPerSecond: num("ramp"),
    holdS: num("hold"),
    // 0: decided per scenario (scenarios/common.ts connectionsFor).
    connections: num("connections", 0),
    protocol,
    partitions: num("partitions"),
    sendRate: num("send-rate"),
    sendBurst: num("send-burst"),
    bodyBytes: num("body-bytes"),
    json: values.json,
    out: values.out ?? `bench/results/${scenario}-${runId}`,
    cpuProf: values["cpu-prof"]!,
  };
}
