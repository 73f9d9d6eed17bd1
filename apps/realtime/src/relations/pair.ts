import { ensureDirectConversation, lockDirectConversation, type Prisma } from "@parley/db";
import type { Runtime } from "../runtime.ts";

/**
 * Runs `work` in a transaction that holds the pair's lock (their direct conversation row), so
 * crossing requests, double accepts, blocks and in-flight direct messages of two users happen
 * one after the other. READ COMMITTED: each read after the lock sees what the previous
 * holder committed.
 */
export async function withPairLocked<T>(
  rt: Runtime,
  a: string,
  b: string,
  work: (tx: Prisma.TransactionClient, conversationId: string) => Promise<T>,
): Promise<T> {
  await ensureDirectConversation(rt.db, a, b);
  return rt.db.$transaction(async (tx) => work(tx, await lockDirectConversation(tx, a, b)), {
    isolationLevel: "ReadCommitted",
    maxWait: 5_000,
    timeout: 10_000,
  });
}
