import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import {
  createBlock,
  createFriendship,
  createMessageStore,
  createPrisma,
  createUser,
  type IncomingMessage,
  type MessageStore,
  newId,
  type PrismaClient,
} from "../index.ts";
import { migrate } from "../migrate/migrate.ts";
import { MIGRATIONS_DIR, scratchDatabase } from "../testing/scratch-db.ts";

describe("MessageStore.persist", () => {
  const scratch = scratchDatabase("store");
  let db: PrismaClient;
  let store: MessageStore;

  before(async () => {
    await migrate(scratch.url, { migrationsDir: MIGRATIONS_DIR });
    db = createPrisma(scratch.url, { poolSize: 2 });
    store = createMessageStore(scratch.url, { poolSize: 2 });
  });
  after(async () => {
    await store?.close();
    await db?.$disconnect();
    await scratch.drop();
  });

  async function user(name: string) {
    const id = newId();
    const lower = id.toLowerCase();
    await createUser(db, {
      id,
      username: `${name}${lower}`.slice(0, 32),
      displayName: name,
      email: `${lower}@example.test`,
      passwordHash: "x",
    });
    return id;
  }

  function message(conversationId: string, senderId: string, body = "hi"): IncomingMessage {
    return {
      id: newId(),
      conversationId,
      senderId,
      clientMessageId: randomUUID(),
      kind: "text",
      body,
      createdAt: new Date(),
    };
  }

  it("numbers each conversation from 1 without gaps and reports who gets each message", async () => {
    const [a, b, c] = [await user("ann"), await user("bob"), await user("cid")];
    const ab = (await createFriendship(db, a, b)).conversationId;
    const ac = (await createFriendship(db, a, c)).conversationId;
    const batch = [message(ab, a, "1"), message(ac, a, "x"), message(ab, b, "2"), message(ab, a)];
    const { stored, recipients, blockedBy } = await store.persist(batch);
    assert.deepEqual(
      stored.map((m) => [m.conversationId, m.seq, m.body]),
      [
        [ab, 1, "1"],
        [ac, 1, "x"],
        [ab, 2, "2"],
        [ab, 3, "hi"],
      ],
    );
    assert.deepEqual(new Set(recipients.get(ab)), new Set([a, b]));
    assert.deepEqual(new Set(recipients.get(ac)), new Set([a, c]));
    assert.equal(blockedBy.size, 0);
    const rows = await db.conversation.findMany({
      where: { id: { in: [ab, ac] } },
      select: { id: true, lastSeq: true, lastMessageAt: true },
    });
    assert.deepEqual(
      new Map(rows.map((r) => [r.id, r.lastSeq])),
      new Map([
        [ab, 3],
        [ac, 1],
      ]),
    );
    const senderRead = await db.conversationMember.findUnique({
      where: { conversationId_userId: { conversationId: ab, userId: a } },
      select: { readSeq: true },
    });
    assert.equal(senderRead?.readSeq, 3, "sending marks everything before it read");
    // Stored bodies and times read back exactly (utf8mb4, UTC, milliseconds).
    const back = await db.message.findUnique({ where: { id: batch[0]!.id } });
    assert.equal(back?.createdAt.getTime(), batch[0]!.createdAt.getTime());
  });

  it("stores times in UTC whatever the process's time zone", async (t) => {
    const zone = process.env.TZ;
    t.after(() => {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    });
    const [a, b] = [await user("tzz"), await user("utc")];
    const ab = (await createFriendship(db, a, b)).conversationId;
    for (const tz of ["America/New_York", "Asia/Kolkata"]) {
      process.env.TZ = tz;
      const sent = { ...message(ab, a), createdAt: new Date("2026-03-28T01:30:00.123Z") };
      await store.persist([sent]);
      const back = await db.message.findUnique({ where: { id: sent.id } });
      assert.equal(back?.createdAt.toISOString(), "2026-03-28T01:30:00.123Z", tz);
      const conversation = await db.conversation.findUnique({ where: { id: ab } });
      assert.equal(conversation?.lastMessageAt?.toISOString(), "2026-03-28T01:30:00.123Z", tz);
    }
  });

  it("stores a redelivered batch once, also when it comes back mixed with new messages", async () => {
    const [a, b] = [await user("dee"), await user("eve")];
    const ab = (await createFriendship(db, a, b)).conversationId;
    const first = [message(ab, a, "😀 utf8mb4"), message(ab, b)];
    assert.equal((await store.persist(first)).stored.length, 2);
    const again = await store.persist([...first, message(ab, a, "new"), first[0]!]);
    assert.deepEqual(
      again.stored.map((m) => [m.body, m.seq]),
      [["new", 3]],
    );
    assert.equal(await db.message.count({ where: { conversationId: ab } }), 3);
    const emoji = await db.message.findUnique({ where: { id: first[0]!.id } });
    assert.equal(emoji?.body, "😀 utf8mb4");
  });

  it("drops messages nobody may post any more, and those for unknown conversations", async () => {
    const [a, b, c] = [await user("fay"), await user("gus"), await user("hal")];
    const ab = (await createFriendship(db, a, b)).conversationId;
    const ac = (await createFriendship(db, a, c)).conversationId;
    await createBlock(db, c, a);
    const { stored, blockedBy } = await store.persist([
      message(ab, a, "ok"),
      message(ac, a, "blocked"),
      message(ab, c, "not a member"),
      message(newId(), a, "no conversation"),
    ]);
    assert.deepEqual(
      stored.map((m) => m.body),
      ["ok"],
    );
    assert.deepEqual(blockedBy.get(a), new Set([c]), "the store reports who blocks the sender");
  });

  it("rolls back a failing batch and keeps working on the same pool", async () => {
    const [a, b] = [await user("ivy"), await user("jon")];
    const ab = (await createFriendship(db, a, b)).conversationId;
    const bad = { ...message(ab, a), fileId: newId() }; // no such file: the foreign key refuses it
    await assert.rejects(store.persist([message(ab, a), bad]));
    assert.equal(await db.message.count({ where: { conversationId: ab } }), 0);
    const conversation = await db.conversation.findUnique({ where: { id: ab } });
    assert.equal(conversation?.lastSeq, 0, "nothing of the failed batch stays");
    for (let i = 0; i < 3; i++) await store.persist([message(ab, b)]);
    assert.equal((await db.conversation.findUnique({ where: { id: ab } }))?.lastSeq, 3);
  });

  it("assigns gap-free seqs under concurrent batches for the same conversation", async () => {
    const [a, b] = [await user("kim"), await user("lou")];
    const ab = (await createFriendship(db, a, b)).conversationId;
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        store.persist(Array.from({ length: 5 }, () => message(ab, i % 2 ? a : b))),
      ),
    );
    const seqs = await db.message.findMany({
      where: { conversationId: ab },
      orderBy: { seq: "asc" },
      select: { seq: true },
    });
    assert.deepEqual(
      seqs.map((s) => s.seq),
      Array.from({ length: 40 }, (_, i) => i + 1),
    );
  });
});
