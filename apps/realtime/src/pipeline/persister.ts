import { create } from "@bufbuild/protobuf";
import {
  type FileRefRow,
  findFileRefs,
  type PrismaClient,
  persistMessages,
  type StoredMessage,
} from "@parley/db";
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
  db: PrismaClient;
  publisher: Publisher;
  log: Logger;
  metrics: Metrics;
}) {
  return async (records: IngestRecord[]): Promise<void> => {
    if (records.length === 0) return;
    const { stored, recipients, blockedBy } = await persistMessages(
      deps.db,
      records.map((r) => ({ ...r, createdAt: new Date(r.createdAt) })),
    );
    deps.metrics.persistBatch.observe(records.length);
    deps.metrics.messagesStored.inc(stored.length);
    // A live file message carries its file's name, size and type, as history does.
    const files = await findFileRefs(
      deps.db,
      stored.flatMap((m) => (m.fileId ? [m.fileId] : [])),
    );
    const shown = stored.map((m) => ({ ...m, file: m.fileId ? files.get(m.fileId) : undefined }));
    await publishStored(deps.publisher, shown, recipients, blockedBy);
  };
}

async function publishStored(
  publisher: Publisher,
  stored: Array<StoredMessage & { file: FileRefRow | undefined }>,
  recipients: Map<string, string[]>,
  blockedBy: Map<string, Set<string>>,
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
