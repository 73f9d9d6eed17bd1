import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { type Client, ConnectError, createClient, type Interceptor } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { AdminService, MessageService, type Session, UserService } from "@parley/proto";
import { type Inbox, kafkaBrokers, redisUrl, uniqueName } from "./harness.ts";

const realtimeDir = fileURLToPath(new URL("..", import.meta.url));

/** A user with clients for one instance and the refresh token of their session. */
export interface Member {
  id: string;
  username: string;
  token: string;
  refreshToken: string;
  url: string;
  users: Client<typeof UserService>;
  messages: Client<typeof MessageService>;
  admin: Client<typeof AdminService>;
}

/** Clients for `url` that send whatever token `token()` returns at the time of the call. */
export function clientsAt(url: string, token: () => string) {
  const bearer: Interceptor = (next) => (req) => {
    const value = token();
    if (value) req.header.set("authorization", `Bearer ${value}`);
    return next(req);
  };
  const transport = createConnectTransport({
    baseUrl: url,
    httpVersion: "1.1",
    interceptors: [bearer],
  });
  return {
    users: createClient(UserService, transport),
    messages: createClient(MessageService, transport),
    admin: createClient(AdminService, transport),
  };
}

export async function signUp(url: string, prefix = "u"): Promise<Member> {
  const username = uniqueName(prefix).toLowerCase().slice(0, 32);
  const member = { token: "" } as Member;
  const clients = clientsAt(url, () => member.token);
  const res = await clients.users.register({
    username,
    displayName: `User ${username}`,
    email: `${username}@example.test`,
    password: "correct horse battery",
  });
  return Object.assign(member, clients, {
    id: res.account?.user?.id ?? "",
    username,
    url,
    ...tokensOf(res.session),
  });
}

/** The same account with clients for another instance (another device, or a load balancer). */
export function onInstance(member: Member, url: string): Member {
  const other = { ...member, url } as Member;
  return Object.assign(
    other,
    clientsAt(url, () => other.token),
  );
}

export function tokensOf(session: Session | undefined) {
  return { token: session?.accessToken ?? "", refreshToken: session?.refreshToken ?? "" };
}

/** Runs the operator's command (`npm run admin -- ...`) against a test database. */
export async function adminCli(databaseUrl: string, ...args: string[]) {
  const run = promisify(execFile);
  const { stdout } = await run(process.execPath, ["--import", "tsx", "src/admin/cli.ts", ...args], {
    cwd: realtimeDir,
    env: { ...process.env, DATABASE_URL: databaseUrl, REDIS_URL: redisUrl },
  });
  return stdout;
}

/** The Connect code of a failed call, or "ok". */
export async function codeOf(call: Promise<unknown>): Promise<number | "ok"> {
  try {
    await call;
    return "ok";
  } catch (error) {
    return ConnectError.from(error).code;
  }
}

/** Polls until `check` gives something truthy; fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Waits for a stream to end; the error it ended with and how long that took. */
export async function streamEnd(box: Inbox, since: number, timeoutMs = 5_000) {
  const error = await eventually(() => box.ended, "the stream to end", timeoutMs);
  return { code: ConnectError.from(error).code, afterMs: Date.now() - since };
}

export function kafkaEnv() {
  return {
    KAFKA_BROKERS: kafkaBrokers,
    REDIS_URL: redisUrl,
    KAFKA_TOPIC: uniqueName("parley.test"),
    KAFKA_GROUP_ID: uniqueName("persister"),
    KAFKA_PARTITIONS: "4",
    KAFKA_SESSION_TIMEOUT_MS: "6000",
    SEND_RATE_PER_SECOND: "10000",
    SEND_BURST: "10000",
  };
}
