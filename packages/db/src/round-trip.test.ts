import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createPrisma, newId, type PrismaClient } from "./index.ts";
import { migrate } from "./migrate/migrate.ts";
import { MIGRATIONS_DIR, scratchDatabase, withServer } from "./testing/scratch-db.ts";
import { quoteIdentifier } from "./url.ts";

// 4-byte characters (emoji, a flag pair, a skin-tone modifier, mathematical bold) are what a
// utf8mb3 column or connection silently mangles or rejects.
const TEXT = "ok 😀 🇯🇵 👍🏽 𝐁old";
const TEXT_HEX = Buffer.from(TEXT, "utf8").toString("hex").toUpperCase();

describe("values round-trip through Prisma Client and raw SQL", () => {
  const db = scratchDatabase("roundtrip");
  let prisma: PrismaClient;

  before(async () => {
    await migrate(db.url, { migrationsDir: MIGRATIONS_DIR });
    prisma = createPrisma(db.url, { poolSize: 2 });
  });
  after(async () => {
    await prisma?.$disconnect();
    await db.drop();
  });

  /** Runs SQL in the scratch database on a plain driver connection, outside Prisma. */
  const raw = (sql: string, values: unknown[] = []) =>
    withServer(async (conn) => {
      await conn.query(`USE ${quoteIdentifier(db.name)}`);
      return conn.query(sql, values);
    });

  async function createUser(displayName: string) {
    const id = newId();
    const user = {
      id,
      username: `u${id.toLowerCase()}`,
      email: `${id.toLowerCase()}@example.test`,
    };
    return prisma.user.create({ data: { ...user, displayName, passwordHash: "x" } });
  }

  async function createConversation() {
    return prisma.conversation.create({ data: { id: newId(), kind: "group" } });
  }

  it("keeps 4-byte characters in a display name, byte for byte", async () => {
    const user = await createUser(TEXT);
    const read = await prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    assert.equal(Buffer.from(read.displayName).toString("hex").toUpperCase(), TEXT_HEX);

    const [row] = await raw("SELECT HEX(display_name) AS hex FROM users WHERE id = ?", [user.id]);
    assert.equal(row.hex, TEXT_HEX);
  });

  it("keeps 4-byte characters in a message body, group name and file name", async () => {
    const sender = await createUser("sender");
    const conversation = await createConversation();
    const group = await prisma.group.create({
      data: { id: newId(), name: TEXT, ownerId: sender.id, conversationId: conversation.id },
    });
    const upload = await prisma.upload.create({
      data: uploadData(sender.id, TEXT),
    });
    const message = await prisma.message.create({
      data: messageData(conversation.id, sender.id, 1, "c-1", TEXT),
    });

    const [row] = await raw(
      `SELECT HEX(m.body) AS body, HEX(g.name) AS groupName, HEX(u.name) AS fileName
         FROM messages m, \`groups\` g, uploads u WHERE m.id = ? AND g.id = ? AND u.id = ?`,
      [message.id, group.id, upload.id],
    );
    assert.deepEqual(row, { body: TEXT_HEX, groupName: TEXT_HEX, fileName: TEXT_HEX });
    const read = await prisma.message.findUniqueOrThrow({ where: { id: message.id } });
    assert.equal(read.body, TEXT);
  });

  it("reads through Prisma what raw SQL wrote", async () => {
    const sender = await createUser("raw writer");
    const conversation = await createConversation();
    const id = newId();
    await raw(
      `INSERT INTO messages
         (id, conversation_id, seq, sender_id, client_message_id, kind, body, created_at)
       VALUES (?, ?, 1, ?, 'raw-1', 'text', ?, '2026-01-02 03:04:05.678')`,
      [id, conversation.id, sender.id, TEXT],
    );
    const read = await prisma.message.findUniqueOrThrow({ where: { id } });
    assert.equal(read.body, TEXT);
    assert.equal(read.createdAt.toISOString(), "2026-01-02T03:04:05.678Z");
  });

  it("stores DateTime as the UTC instant, to the millisecond", async () => {
    const sender = await createUser("clock");
    const conversation = await createConversation();
    const createdAt = new Date("2026-03-29T01:30:00.123Z");
    const message = await prisma.message.create({
      data: { ...messageData(conversation.id, sender.id, 1, "t-1", "hi"), createdAt },
    });
    const [row] = await raw("SELECT CAST(created_at AS CHAR) AS at FROM messages WHERE id = ?", [
      message.id,
    ]);
    assert.equal(row.at, "2026-03-29 01:30:00.123");
  });

  it("compares client message ids case-sensitively, and refuses a repeat", async () => {
    const sender = await createUser("idempotent");
    const conversation = await createConversation();
    await prisma.message.create({ data: messageData(conversation.id, sender.id, 1, "abc", "1") });
    await prisma.message.create({ data: messageData(conversation.id, sender.id, 2, "ABC", "2") });
    await assert.rejects(
      prisma.message.create({ data: messageData(conversation.id, sender.id, 3, "abc", "3") }),
      (error: { code?: string }) => error.code === "P2002",
    );
  });
});

function messageData(
  conversationId: string,
  senderId: string,
  seq: number,
  cmid: string,
  body: string,
) {
  return {
    id: newId(),
    conversationId,
    senderId,
    seq,
    clientMessageId: cmid,
    kind: "text" as const,
    body,
    createdAt: new Date(),
  };
}

function uploadData(ownerId: string, name: string) {
  const expiresAt = new Date(Date.now() + 86_400_000);
  return {
    id: newId(),
    ownerId,
    name,
    size: 0n,
    sha256: "0".repeat(64),
    mediaType: "text/plain",
    state: "uploading" as const,
    expiresAt,
  };
}
