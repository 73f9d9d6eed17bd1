import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { ServiceImpl } from "@connectrpc/connect";
import {
  findBlockerIds,
  findMessageByClientId,
  findMessageById,
  findMessages,
  markRead,
  newId,
  recallMessage,
} from "@parley/db";
import {
  HistoryDirection,
  MessageDeletedSchema,
  MessageRecalledSchema,
  type MessageService,
  type SubscribeResponse,
  SubscribeResponseSchema,
} from "@parley/proto";
import { requireAdmin } from "../admin/require-admin.ts";
import { principalOf } from "../auth/context.ts";
import { exhausted, invalid, notFound, precondition, unavailable } from "../errors.ts";
import { toMessage } from "../messages/convert.ts";
import { checkText, requireId, validateSend } from "../messages/validate.ts";
import { countHiddenUnread } from "../relations/blocked-view.ts";
import type { Runtime } from "../runtime.ts";
import { subscribe } from "./subscribe.ts";

const RECALL_WINDOW_MS = 2 * 60 * 1000;
const TYPING_INTERVAL_MS = 2_000;

export function messageService(rt: Runtime): ServiceImpl<typeof MessageService> {
  const typingSent = new Map<string, number>();

  return {
    async send(req, ctx) {
      const { userId } = principalOf(ctx);
      const input = validateSend(req);
      // Overload was judged before the request was parsed (http/server.ts), so a refused send
      // never used up the user's rate; this counts the admitted one in flight.
      return rt.admission.track(async () => {
        if (!rt.sendLimiter.take(userId)) {
          throw exhausted(
            `sending too fast: at most ${rt.config.SEND_RATE_PER_SECOND} messages a second`,
          );
        }
        await rt.access.assertCanPost(input.conversationId, userId);
        if (input.fileId) await assertOwnFile(rt, userId, input.fileId);
        const claim = await rt.idempotency.claim(userId, input.clientMessageId, {
          id: newId(),
          createdAt: Date.now(),
        });
        if (claim.existing) {
          const stored = await findMessageByClientId(rt.db, userId, input.clientMessageId);
          if (stored) {
            return {
              messageId: stored.id,
              seq: stored.seq,
              createdAt: timestampFromDate(stored.createdAt),
            };
          }
        }
        try {
          await rt.ingest.append({
            ...input,
            id: claim.id,
            senderId: userId,
            createdAt: claim.createdAt,
          });
        } catch (error) {
          rt.log.warn({ userId, err: (error as Error).message }, "ingest append failed");
          throw unavailable("message not accepted: the log is unavailable; retry");
        }
        rt.metrics.messagesIn.inc();
        return {
          messageId: claim.id,
          seq: 0,
          createdAt: timestampFromDate(new Date(claim.createdAt)),
        };
      });
    },

    async getHistory(req, ctx) {
      const { userId } = principalOf(ctx);
      const conversationId = requireId("conversation_id", req.conversationId);
      if (req.limit > 200) throw invalid("limit", "at most 200");
      const { afterSeq, upToSeq } = await rt.access.visibleRange(conversationId, userId);
      const direction = req.direction === HistoryDirection.AFTER ? "after" : "before";
      const page = await findMessages(rt.db, {
        conversationId,
        direction,
        anchorSeq: req.anchorSeq,
        limit: req.limit || 50,
        afterSeq,
        upToSeq,
      });
      return { messages: page.messages.map(toMessage), hasMore: page.hasMore };
    },

    subscribe: (_req, ctx) => subscribe(rt, ctx),

    async markRead(req, ctx) {
      const { userId } = principalOf(ctx);
      const conversationId = requireId("conversation_id", req.conversationId);
      const { access } = await rt.access.visibleRange(conversationId, userId);
      const result = await markRead(rt.db, conversationId, userId, req.seq);
      if (!result) throw notFound("conversation");
      const range = { conversationId, afterSeq: result.readSeq, upToSeq: result.lastSeq };
      const hidden = await countHiddenUnread(rt.db, userId, range);
      const unreadCount = Math.max(result.lastSeq - result.readSeq - hidden, 0);
      const receipt = { conversationId, userId, readSeq: result.readSeq, unreadCount };
      // Direct chats show read receipts to the peer; in groups only the reader's devices care.
      // Not across a block: the blocker hears nothing from the blocked user.
      const shared = access.kind === "direct" && !access.blocked;
      const audience = shared ? [...access.members.keys()] : [userId];
      const event = create(SubscribeResponseSchema, { event: { case: "read", value: receipt } });
      await rt.publisher.toUsers(audience, event);
      return { readSeq: result.readSeq, unreadCount };
    },

    async setTyping(req, ctx) {
      const { userId } = principalOf(ctx);
      const conversationId = requireId("conversation_id", req.conversationId);
      const access = await rt.access.assertCanPost(conversationId, userId);
      const key = `${userId}:${conversationId}`;
      const now = Date.now();
      // Throttled: a burst of keystrokes becomes one event every two seconds.
      if (req.typing && now - (typingSent.get(key) ?? 0) < TYPING_INTERVAL_MS) return {};
      typingSent.set(key, req.typing ? now : 0);
      if (typingSent.size > 100_000) typingSent.clear();
      const blockers = new Set(await findBlockerIds(rt.db, userId));
      const others = [...access.members].filter(
        ([id, m]) => id !== userId && m.leftSeq === null && !blockers.has(id),
      );
      const value = { conversationId, userId, typing: req.typing };
      await rt.publisher.toUsers(
        others.map(([id]) => id),
        create(SubscribeResponseSchema, { event: { case: "typing", value } }),
      );
      return {};
    },

    async recall(req, ctx) {
      const { userId } = principalOf(ctx);
      const messageId = requireId("message_id", req.messageId);
      const message = await findMessageById(rt.db, messageId);
      if (!message || message.senderId !== userId) throw notFound("message");
      if (Date.now() - message.createdAt.getTime() > RECALL_WINDOW_MS) {
        throw precondition("recall window of two minutes has passed");
      }
      const at = new Date();
      if (await recallMessage(rt.db, messageId, at)) {
        await publishRemoval(
          rt,
          message.conversationId,
          {
            case: "recalled",
            value: create(MessageRecalledSchema, {
              conversationId: message.conversationId,
              messageId,
              seq: message.seq,
              recalledAt: timestampFromDate(at),
            }),
          },
          await findBlockerIds(rt.db, userId),
        );
      }
      return {};
    },

    async delete(req, ctx) {
      const principal = await requireAdmin(rt, ctx);
      const messageId = requireId("message_id", req.messageId);
      checkText("reason", req.reason, 500, 2000);
      if (!req.reason.trim()) throw invalid("reason", "empty");
      const message = await findMessageById(rt.db, messageId);
      if (!message) throw notFound("message");
      const at = new Date();
      await rt.db.$transaction([
        rt.db.message.update({
          where: { id: messageId },
          data: {
            deletedAt: at,
            deletedById: principal.userId,
            deleteReason: req.reason,
            body: "",
          },
        }),
        rt.db.auditLog.create({
          data: {
            id: newId(),
            actorId: principal.userId,
            action: "message.delete",
            targetType: "message",
            targetId: messageId,
            reason: req.reason,
          },
        }),
      ]);
      await publishRemoval(rt, message.conversationId, {
        case: "deleted",
        value: create(MessageDeletedSchema, {
          conversationId: message.conversationId,
          messageId,
          seq: message.seq,
          deletedAt: timestampFromDate(at),
        }),
      });
      return {};
    },
  };
}

async function publishRemoval(
  rt: Runtime,
  conversationId: string,
  value: Extract<SubscribeResponse["event"], { case: "recalled" | "deleted" }>,
  hideFrom: string[] = [],
) {
  const access = await rt.access.get(conversationId);
  const members = [...access.members]
    .filter(([id, m]) => m.leftSeq === null && !hideFrom.includes(id))
    .map(([id]) => id);
  await rt.publisher.toUsers(members, create(SubscribeResponseSchema, { event: value }));
}

async function assertOwnFile(rt: Runtime, userId: string, fileId: string) {
  const file = await rt.db.file.findUnique({ where: { id: fileId }, select: { ownerId: true } });
  if (!file || file.ownerId !== userId) throw notFound("file");
}
