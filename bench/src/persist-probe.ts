/**
 * Times the persister's database step (MessageStore.persist) alone, on a scratch database: how a
 * batch's cost grows with its size and with the number of conversations in it. Evidence for
 * changes to packages/db/src/store/message-store.ts.
 *
 *   npx tsx bench/src/persist-probe.ts [--rounds 20]
 */
import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import { createMessageStore, newId } from "@parley/db";
import { createPairs, createUsers } from "./fixtures.ts";
import { Histogram } from "./histogram.ts";
import { createScratchDb } from "./stack.ts";
import { formatTable, ms } from "./table.ts";

const { values } = parseArgs({ options: { rounds: { type: "string", default: "20" } } });
const rounds = Number(values.rounds);
const scratch = await createScratchDb({
  mysqlServer: "mysql://root@127.0.0.1:3306",
  redisUrl: "",
  kafkaBrokers: "",
});
const store = createMessageStore(scratch.url, { poolSize: 1 });
try {
  const users = await createUsers(scratch.db, "probe-secret-0123456789abcdef0123456789", 400);
  const pairs = await createPairs(scratch.db, users);
  const rows: string[][] = [];
  for (const [size, spread] of [
    [1, 1],
    [10, 1],
    [10, 10],
    [100, 1],
    [100, 100],
    [500, 200],
  ] as const) {
    const timing = new Histogram();
    for (let round = 0; round < rounds; round++) {
      const batch = Array.from({ length: size }, (_, i) => {
        const pair = pairs[i % spread]!;
        return {
          id: newId(),
          conversationId: pair.conversationId,
          senderId: i % 2 ? pair.b.id : pair.a.id,
          clientMessageId: randomUUID(),
          kind: "text" as const,
          body: "x".repeat(100),
          createdAt: new Date(),
        };
      });
      const started = performance.now();
      await store.persist(batch);
      timing.record(performance.now() - started);
    }
    const s = timing.summary();
    rows.push([`${size} messages in ${spread} conversations`, ms(s.p50), ms(s.p90), ms(s.max)]);
  }
  process.stdout.write(`${formatTable(["batch", "p50 ms", "p90 ms", "max ms"], rows)}\n`);
  const [check] = await scratch.db.$queryRawUnsafe<Array<{ wrong: bigint; unread: bigint }>>(
    `SELECT
       (SELECT COUNT(*) FROM conversations c
         WHERE c.last_seq <> (SELECT COUNT(*) FROM messages m WHERE m.conversation_id = c.id)
            OR (c.last_seq > 0 AND c.last_message_at IS NULL)) AS wrong,
       (SELECT COUNT(*) FROM conversation_members cm JOIN conversations c ON c.id = cm.conversation_id
         WHERE cm.read_seq < (SELECT MAX(seq) FROM messages m
                               WHERE m.conversation_id = c.id AND m.sender_id = cm.user_id)) AS unread`,
  );
  process.stdout.write(
    `conversations whose last_seq is wrong: ${check?.wrong}; senders whose read_seq lags their own message: ${check?.unread}\n`,
  );
} finally {
  await store.close();
  await scratch.drop();
}
process.exit(0);
