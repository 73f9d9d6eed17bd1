import { create } from "@bufbuild/protobuf";
import type { MessageStore, PersistResult } from "@parley/db";
import { SubscribeResponseSchema } from "@parley/proto";
import type { Logger } from "../logger.ts";
import { toMessage } from "../messages/convert.ts";
import type { Metrics } from "../metrics.ts";
import type { Publisher } from "../streams/publisher.ts";
import type { IngestRecord } from "./record.ts";

/**
 * The consuming half of the message path: store a batch (seq assigned, duplicates skipped),
 * then publish each stored message to every active member of its conversation.
 * The log commits its offsets only after this resolves.
 */
export function createPersister(deps: {
  store: MessageStore;
  publisher: Publisher;
  log: Logger;
  metrics: Metrics;
}) {
  return async (records: IngestRecord[]): Promise<void> => {
    if (records.length === 0) return;
    const result = await deps.store.persist(
      records.map((r) => ({ ...r, createdAt: new Date(r.createdAt) })),
    );
    deps.metrics.persistBatch.observe(records.length);
    deps.metrics.messagesStored.inc(result.stored.length);
    await publishStored(deps.publisher, result);
  };
}

async function publishStored(
  publisher: Publisher,
  { stored, recipients, blockedBy }: PersistResult,
) {
  // Whoever blocks the sender does not get the message (see relations/blocked-view.ts).
  const deliveries = stored.map((message) => ({
    userIds: (recipients.get(message.conversationId) ?? []).filter(
      (id) => message.kind === "system" || !blockedBy.get(message.senderId)?.has(id),
    ),
    event: create(SubscribeResponseSchema, {
      event: { case: "message", value: toMessage(message) },
    }),
  }));
  await publisher.many(deliveries);
}
