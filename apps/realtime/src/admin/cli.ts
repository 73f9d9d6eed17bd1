import { userInfo } from "node:os";
import {
  createPrisma,
  listAdmins,
  NotFoundError,
  type PrismaClient,
  setUserRole,
} from "@parley/db";
import { Redis } from "ioredis";
import { z } from "zod";
import { CONTROL_CHANNEL } from "../bus/bus.ts";
import type { ControlMessage } from "../streams/publisher.ts";

// `npm run admin -- promote <username>`: role changes for operators, from the command line.
const USAGE = `usage: npm run admin -- <command>
  promote <username>   make the user an admin
  demote <username>    make an admin a plain user again
  list                 list the admins

environment: DATABASE_URL (default mysql://root@127.0.0.1:3306/parley), REDIS_URL (default
redis://127.0.0.1:6379; set it empty when the service runs without Redis)`;

const env = z
  .object({
    DATABASE_URL: z.string().url().default("mysql://root@127.0.0.1:3306/parley"),
    REDIS_URL: z.union([z.literal(""), z.string().url()]).default("redis://127.0.0.1:6379"),
  })
  .parse(process.env);

const out = (line: string) => process.stdout.write(`${line}\n`);
const fail = (line: string) => {
  process.stderr.write(`${line}\n`);
  process.exitCode = 1;
};

/** Applies a role change and tells running instances to drop their cached view of the user. */
async function changeRole(db: PrismaClient, username: string, role: "user" | "admin") {
  const details = { source: "cli", operator: userInfo().username };
  const result = await setUserRole(db, { username: username.toLowerCase(), role, details });
  if (!result.changed)
    return out(`${username} is already ${role === "admin" ? "an admin" : "a user"}`);
  out(`${username} is now ${role === "admin" ? "an admin" : "a user"}`);
  if (!(await notifyInstances({ type: "user-changed", userId: result.id }))) {
    out("note: Redis did not answer; running instances apply the change within a minute");
  }
}

async function notifyInstances(message: ControlMessage): Promise<boolean> {
  if (!env.REDIS_URL) return false;
  const redis = new Redis(env.REDIS_URL, {
    lazyConnect: true,
    connectTimeout: 2_000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on("error", () => undefined);
  try {
    await redis.connect();
    await redis.publish(CONTROL_CHANNEL, JSON.stringify(message));
    return true;
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

async function run(db: PrismaClient, [command, username]: string[]) {
  if ((command === "promote" || command === "demote") && username) {
    return changeRole(db, username, command === "promote" ? "admin" : "user");
  }
  if (command === "list") {
    const admins = await listAdmins(db);
    if (admins.length === 0) return out("no admins yet: npm run admin -- promote <username>");
    for (const admin of admins) out(`${admin.username}${admin.bannedAt ? " (banned)" : ""}`);
    return;
  }
  fail(USAGE);
}

const db = createPrisma(env.DATABASE_URL, { poolSize: 1 });
try {
  await run(db, process.argv.slice(2));
} catch (error) {
  if (error instanceof NotFoundError) fail(`no user named ${process.argv[3] ?? ""}`);
  else fail(`admin: ${(error as Error).message.split("\n")[0]}`);
} finally {
  await db.$disconnect();
}
