import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { create } from "@bufbuild/protobuf";
import { type Client, createClient, type Interceptor } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import { createPrisma, migrate, type PrismaClient } from "@parley/db";
import {
  type Message,
  MessageKind,
  MessageService,
  type SubscribeResponse,
  UserService,
} from "@parley/proto";
import { Kafka, logLevel } from "kafkajs";

const realtimeDir = fileURLToPath(new URL("..", import.meta.url));
const migrationsDir = fileURLToPath(new URL("../../../prisma/migrations", import.meta.url));
export const baseUrl = process.env.TEST_DATABASE_URL ?? "mysql://root@127.0.0.1:3306";
export const kafkaBrokers = process.env.KAFKA_BROKERS ?? "127.0.0.1:9092";
export const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}${randomBytes(3).toString("hex")}`;
}

/** A scratch database, migrated; dropped by `drop()`. */
export async function scratchDatabase() {
  const name = uniqueName("parley_test");
  const url = `${baseUrl}/${name}`;
  await migrate(url, { migrationsDir });
  const db = createPrisma(url, { poolSize: 4 });
  return {
    url,
    db,
    async drop() {
      await db.$executeRawUnsafe(`DROP DATABASE IF EXISTS \`${name}\``);
      await db.$disconnect();
    },
  };
}

export interface Instance {
  url: string;
  port: number;
  process: ChildProcess;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts a realtime instance as a child process on a free port; resolves once it is ready. */
// Instances still running when the test process exits (a failure, a timeout) go with it.
const children = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of children) child.kill("SIGKILL");
});

export async function startInstance(env: Record<string, string>): Promise<Instance> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: realtimeDir,
    env: {
      ...process.env,
      PORT: "0",
      LOG_LEVEL: "info",
      NODE_ENV: "test",
      // Tests call Send without the client's retries, on a machine that also runs Kafka,
      // MariaDB and other instances: a busy moment must not turn into a refused send here.
      // Admission control has its own tests (src/pipeline/admission.test.ts).
      SEND_SHED_FROM_BUSY: "1",
      SEND_MAX_LOOP_DELAY_MS: "0",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(child);
  child.once("exit", () => children.delete(child));
  const lines: string[] = [];
  child.stderr?.on("data", (chunk: Buffer) => lines.push(chunk.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    // An instance that never gets ready is killed, so a failed test leaves no process behind.
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`instance not ready:\n${lines.join("\n")}`));
    }, 60_000);
    createInterface({ input: child.stdout! }).on("line", (line) => {
      lines.push(line);
      if (lines.length > 200) lines.shift();
      if (!line.includes('"realtime ready"')) return;
      clearTimeout(timer);
      resolve(JSON.parse(line).port as number);
    });
    child.once("exit", (code) =>
      reject(new Error(`instance exited ${code}:\n${lines.join("\n")}`)),
    );
  });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    process: child,
    async stop(signal = "SIGTERM") {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      await once(child, "exit");
    },
  };
}

/**
 * Environment for instances on the real Kafka and Redis, with a topic and consumer group of
 * their own; send limits are raised so tests measure behaviour, not the rate limiter.
 */
export function stackEnv(extra: Record<string, string> = {}) {
  return {
    KAFKA_BROKERS: kafkaBrokers,
    REDIS_URL: redisUrl,
    KAFKA_TOPIC: uniqueName("parley.test"),
    KAFKA_GROUP_ID: uniqueName("persister"),
    KAFKA_PARTITIONS: "4",
    KAFKA_SESSION_TIMEOUT_MS: "6000",
    SEND_RATE_PER_SECOND: "1000",
    SEND_BURST: "1000",
    ...extra,
  };
}

/** Deletes a test's Kafka topic and consumer group, so repeated runs leave nothing behind. */
export async function dropKafkaState(topic: string, groupId: string) {
  const admin = new Kafka({
    clientId: "parley-test-cleanup",
    brokers: kafkaBrokers.split(","),
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.deleteTopics({ topics: [topic] });
  } finally {
    await admin.disconnect();
  }
}

/** A scratch database and two instances on the real Kafka and Redis; `stop` cleans up. */
export async function startStack(extraEnv: Record<string, string> = {}) {
  const database = await scratchDatabase();
  const env = stackEnv({ DATABASE_URL: database.url, ...extraEnv });
  const [one, two] = await Promise.all([
    startInstance({ ...env, INSTANCE_ID: "one" }),
    startInstance({ ...env, INSTANCE_ID: "two" }),
  ]);
  const inboxes: Inbox[] = [];
  return {
    database,
    one,
    two,
    /** Opens a Subscribe stream that is closed with the stack. */
    inbox(user: Pick<TestUser, "messages">) {
      const box = new Inbox(user.messages);
      inboxes.push(box);
      return box;
    },
    async stop() {
      await Promise.all(inboxes.map((box) => box.close()));
      await Promise.all([one.stop(), two.stop()]);
      await database.drop();
      await dropKafkaState(env.KAFKA_TOPIC, env.KAFKA_GROUP_ID);
    },
  };
}

/** A signed-in test user with clients bound to one instance. */
export interface TestUser {
  id: string;
  username: string;
  token: string;
  users: Client<typeof UserService>;
  messages: Client<typeof MessageService>;
}

function bearer(token: () => string): Interceptor {
  return (next) => (req) => {
    req.header.set("authorization", `Bearer ${token()}`);
    return next(req);
  };
}

/** Clients for an instance; h2 speaks gRPC over cleartext HTTP/2, h1 Connect over HTTP/1.1. */
export function clientsFor(url: string, token: () => string, protocol: "h1" | "h2" = "h1") {
  const interceptors = [bearer(token)];
  const transport =
    protocol === "h2"
      ? createGrpcTransport({ baseUrl: url, interceptors })
      : createConnectTransport({ baseUrl: url, httpVersion: "1.1", interceptors });
  return {
    users: createClient(UserService, transport),
    messages: createClient(MessageService, transport),
  };
}

export async function registerUser(url: string, protocol: "h1" | "h2" = "h1"): Promise<TestUser> {
  const username = uniqueName("u").toLowerCase().slice(0, 32);
  const user: Partial<TestUser> & { token: string } = { token: "" };
  const clients = clientsFor(url, () => user.token, protocol);
  const res = await clients.users.register({
    username,
    displayName: `User ${username}`,
    email: `${username}@example.test`,
    password: "correct horse battery",
  });
  return Object.assign(user, {
    id: res.account!.user!.id,
    username,
    token: res.session!.accessToken,
    ...clients,
  }) as TestUser;
}

/** Collects a Subscribe stream's events in the background. */
export class Inbox {
  readonly events: SubscribeResponse[] = [];
  private readonly controller = new AbortController();
  ended: Error | undefined;
  private readonly done: Promise<void>;

  constructor(client: Client<typeof MessageService>) {
    this.done = (async () => {
      try {
        for await (const res of client.subscribe({}, { signal: this.controller.signal })) {
          this.events.push(res);
        }
      } catch (error) {
        this.ended = error as Error;
      }
    })();
  }

  messages(conversationId: string): Message[] {
    return this.events.flatMap((e) =>
      e.event.case === "message" && e.event.value.conversationId === conversationId
        ? [e.event.value]
        : [],
    );
  }

  async waitFor<T>(
    check: () => T | undefined | false,
    what: string,
    timeoutMs = 20_000,
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = check();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async close() {
    this.controller.abort();
    await this.done;
  }
}

export function text(conversationId: string, body: string, clientMessageId = crypto.randomUUID()) {
  return { conversationId, clientMessageId, kind: MessageKind.TEXT, body };
}

export { create, type PrismaClient };
