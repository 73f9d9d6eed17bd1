import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import net from "node:net";
import { after, describe, it } from "node:test";
import { createFriendship, type PrismaClient } from "@parley/db";
import { HistoryDirection } from "@parley/proto";
import {
  dropKafkaState,
  Inbox,
  type Instance,
  redisUrl,
  registerUser,
  scratchDatabase,
  stackEnv,
  startInstance,
  text,
} from "./harness.ts";
import { startProxy } from "./tcp-proxy.ts";

const cleanups: Array<() => Promise<unknown>> = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

function kafkaEnv() {
  const env = stackEnv({ SEND_RATE_PER_SECOND: "10000", SEND_BURST: "10000" });
  cleanups.push(() => dropKafkaState(env.KAFKA_TOPIC, env.KAFKA_GROUP_ID));
  return env;
}

async function instance(env: Record<string, string>): Promise<Instance> {
  const started = await startInstance(env);
  cleanups.push(() => started.stop("SIGKILL"));
  return started;
}

async function database() {
  const db = await scratchDatabase();
  cleanups.push(() => db.drop());
  return db;
}

function inbox(user: { messages: ConstructorParameters<typeof Inbox>[0] }) {
  const box = new Inbox(user.messages);
  cleanups.push(() => box.close());
  return box;
}

/** Stored bodies of a conversation in seq order, read straight from the database. */
async function storedBodies(db: PrismaClient, conversationId: string) {
  const rows = await db.message.findMany({
    where: { conversationId },
    orderBy: { seq: "asc" },
    select: { seq: true, body: true },
  });
  for (const [i, row] of rows.entries()) assert.equal(row.seq, i + 1, "seq without gaps");
  return rows.map((row) => row.body);
}

async function eventually<T>(check: () => Promise<T | false>, what: string, ms = 60_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("the database goes away", () => {
  it("keeps accepting sends; all 200 are stored in order, once, when it returns", async () => {
    const scratch = await database();
    const proxy = await startProxy(3306);
    cleanups.push(() => proxy.close());
    const url = scratch.url.replace(":3306/", `:${proxy.port}/`);
    const node = await instance({ ...kafkaEnv(), DATABASE_URL: url, REDIS_URL: redisUrl });
    const alice = await registerUser(node.url);
    const bob = await registerUser(node.url);
    const { conversationId } = await createFriendship(scratch.db, alice.id, bob.id);
    const box = inbox(bob);
    await alice.messages.send(text(conversationId, "before"));
    await box.waitFor(() => box.messages(conversationId).length === 1, "the first message");

    proxy.cut();
    const sent = Array.from({ length: 200 }, (_, i) => `during ${i}`);
    for (const body of sent) await alice.messages.send(text(conversationId, body));
    assert.deepEqual(await storedBodies(scratch.db, conversationId), ["before"]);

    proxy.restore();
    const bodies = await eventually(async () => {
      const stored = await storedBodies(scratch.db, conversationId);
      return stored.length === 201 && stored;
    }, "the backlog to drain");
    assert.deepEqual(bodies, ["before", ...sent]);
    await box.waitFor(() => box.messages(conversationId).length === 201, "live delivery of all");
  });

  it("loses nothing when a persister dies mid-batch and its partitions move", async () => {
    const scratch = await database();
    const proxy = await startProxy(3306);
    cleanups.push(() => proxy.close());
    const env = { ...kafkaEnv(), REDIS_URL: redisUrl };
    const doomed = await instance({
      ...env,
      INSTANCE_ID: "doomed",
      DATABASE_URL: scratch.url.replace(":3306/", `:${proxy.port}/`),
    });
    const survivor = await instance({ ...env, INSTANCE_ID: "survivor", DATABASE_URL: scratch.url });
    const pairs = await Promise.all(
      Array.from({ length: 8 }, async () => {
        const a = await registerUser(survivor.url);
        const b = await registerUser(doomed.url);
        return {
          a,
          conversationId: (await createFriendship(scratch.db, a.id, b.id)).conversationId,
        };
      }),
    );

    proxy.cut();
    await Promise.all(
      pairs.map(async ({ a, conversationId }) => {
        for (let n = 0; n < 25; n++) await a.messages.send(text(conversationId, `m${n}`));
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await doomed.stop("SIGKILL");

    const expected = Array.from({ length: 25 }, (_, n) => `m${n}`);
    for (const { conversationId } of pairs) {
      const bodies = await eventually(async () => {
        const stored = await storedBodies(scratch.db, conversationId);
        return stored.length >= 25 && stored;
      }, "the survivor to store the dead persister's partitions");
      assert.deepEqual(bodies, expected);
    }
  });
});

async function freePort() {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    { stdio: "ignore" },
  );
  await eventually(
    () =>
      new Promise<boolean>((resolve) => {
        const socket = net.connect(port, "127.0.0.1", () => {
          socket.destroy();
          resolve(true);
        });
        socket.on("error", () => resolve(false));
      }),
    "redis to listen",
    10_000,
  );
  return child;
}

describe("Redis restarts", () => {
  it("crashes nothing, resyncs the streams and resumes live delivery", async () => {
    const scratch = await database();
    const port = await freePort();
    let redis = await startRedis(port);
    cleanups.push(async () => redis.kill("SIGKILL"));
    const env = {
      ...kafkaEnv(),
      DATABASE_URL: scratch.url,
      REDIS_URL: `redis://127.0.0.1:${port}`,
    };
    const [one, two] = await Promise.all([
      instance({ ...env, INSTANCE_ID: "r1" }),
      instance({ ...env, INSTANCE_ID: "r2" }),
    ]);
    const alice = await registerUser(one.url);
    const bob = await registerUser(two.url);
    const { conversationId } = await createFriendship(scratch.db, alice.id, bob.id);
    const box = inbox(bob);
    await alice.messages.send(text(conversationId, "m1"));
    await box.waitFor(() => box.messages(conversationId).length === 1, "m1 live");

    redis.kill("SIGTERM");
    await once(redis, "exit");
    await alice.messages.send(text(conversationId, "m2"));
    await alice.messages.send(text(conversationId, "m3"));
    await eventually(
      async () => (await storedBodies(scratch.db, conversationId)).length === 3,
      "m2, m3 stored",
    );
    const syncsBefore = box.events.filter((e) => e.event.case === "sync").length;
    redis = await startRedis(port);

    const resync = await box.waitFor(() => {
      const syncs = box.events.filter((e) => e.event.case === "sync");
      return syncs.length > syncsBefore && syncs.at(-1);
    }, "a resync frame after Redis returned");
    assert.equal(resync.event.case, "sync");
    const state = resync.event.value.conversations.find((c) => c.conversationId === conversationId);
    assert.equal(state?.lastSeq, 3, "the resync tells the client what it missed");
    const gap = await bob.messages.getHistory({
      conversationId,
      anchorSeq: 1,
      direction: HistoryDirection.AFTER,
    });
    assert.deepEqual(
      gap.messages.map((m) => m.body),
      ["m2", "m3"],
    );

    await alice.messages.send(text(conversationId, "m4"));
    await box.waitFor(() => box.messages(conversationId).some((m) => m.body === "m4"), "m4 live");
    assert.equal(one.process.exitCode, null, "instance one still running");
    assert.equal(two.process.exitCode, null, "instance two still running");
    assert.equal(box.ended, undefined, "the stream stayed open");
  });
});
