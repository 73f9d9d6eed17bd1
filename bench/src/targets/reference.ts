import type { PrismaClient } from "@parley/db";
import { io, type Socket } from "socket.io-client";
import type { ChatLink, ChatTarget, Delivery } from "./target.ts";

const GIVE_UP_MS = 30_000;
const ATTEMPT_TIMEOUT_MS = 10_000;
const CONNECT_TIMEOUT_MS = 30_000;

/**
 * The Socket.IO reference (bench/reference/server.ts) behind the same adapter: one WebSocket
 * per user, sends acknowledged with an ack callback, retried with the same clientMessageId.
 */
export function referenceTarget(url: string): ChatTarget {
  const sockets = new Set<Socket>();
  let reconnects = 0;
  return {
    name: "reference",
    async connect(user, onMessage) {
      const socket = io(url, {
        transports: ["websocket"],
        auth: { token: user.token },
        forceNew: true,
        reconnectionDelayMax: 10_000,
      });
      sockets.add(socket);
      socket.io.on("reconnect", () => {
        reconnects++;
      });
      socket.on("message", (message: Delivery & { createdAt: string }) =>
        onMessage({ ...message, createdAtMs: Date.parse(message.createdAt) }),
      );
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error("reference: no ready")),
          CONNECT_TIMEOUT_MS,
        );
        socket.once("ready", () => {
          clearTimeout(timer);
          resolve();
        });
      });
      return linkOf(socket);
    },
    async close() {
      for (const socket of sockets) socket.disconnect();
      sockets.clear();
    },
    reconnects: () => reconnects,
  };
}

function linkOf(socket: Socket): ChatLink {
  return {
    get live() {
      return socket.connected;
    },
    async send(conversationId, clientMessageId, body) {
      const giveUpAt = Date.now() + GIVE_UP_MS;
      for (let retries = 0; ; retries++) {
        try {
          const reply = (await socket
            .timeout(ATTEMPT_TIMEOUT_MS)
            .emitWithAck("send", { conversationId, clientMessageId, body })) as {
            ok?: boolean;
            error?: string;
          };
          if (reply.ok) return { retries };
          if (reply.error !== "unavailable") throw new Error(`refused: ${reply.error}`);
        } catch (error) {
          if ((error as Error).message.startsWith("refused")) throw error;
        }
        if (Date.now() > giveUpAt) throw new Error("reference: send timed out");
        await new Promise((resolve) => setTimeout(resolve, Math.min(100 * 2 ** retries, 2000)));
      }
    },
    close: () => socket.disconnect(),
  };
}

/** Gives the reference the same memberships as Parley's fixtures, in its own table. */
export async function copyMemberships(db: PrismaClient): Promise<void> {
  await db.$executeRawUnsafe(
    `INSERT IGNORE INTO ref_members (conversation_id, user_id)
     SELECT conversation_id, user_id FROM conversation_members WHERE left_seq IS NULL`,
  );
}
