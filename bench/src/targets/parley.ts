import { timestampMs } from "@bufbuild/protobuf/wkt";
import type { Transport } from "@connectrpc/connect";
import { ConnectError } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import { createParleyClient, isRetryable, LiveConnection } from "@parley/client";
import { MessageKind } from "@parley/proto";
import { type BenchUser, signAccessToken } from "../fixtures.ts";
import type { ChatLink, ChatTarget, Delivery } from "./target.ts";

export interface ParleyTargetOptions {
  url: string;
  jwtSecret: string;
  /** HTTP/2 connections to spread the users over (each carries many streams). */
  connections: number;
  protocol: "connect" | "grpc";
}

// The same budget the client's outbox gives a message before marking it failed.
const GIVE_UP_MS = 30_000;
const ATTEMPT_TIMEOUT_MS = 10_000;

/**
 * Parley through @parley/client over connect-node: typed clients with token handling, and
 * LiveConnection keeping each user's Subscribe stream (sync frame, heartbeats, reconnects).
 * ChatSession's UI store is left out on purpose: it is the browser's cost, not the service's.
 */
export function parleyTarget(options: ParleyTargetOptions): ChatTarget {
  const transports: Transport[] = Array.from({ length: options.connections }, () =>
    options.protocol === "grpc"
      ? createGrpcTransport({ baseUrl: options.url })
      : createConnectTransport({ baseUrl: options.url, httpVersion: "2", useBinaryFormat: true }),
  );
  const open = new Set<LiveConnection>();
  const counters = { reconnects: 0 };
  return {
    name: "parley",
    async connect(user, onMessage) {
      const link = await connectUser(user, transports, options.jwtSecret, onMessage, counters);
      open.add(link.connection);
      return link;
    },
    async close() {
      for (const connection of open) connection.stop();
      open.clear();
    },
    reconnects: () => counters.reconnects,
  };
}

async function connectUser(
  user: BenchUser,
  transports: Transport[],
  jwtSecret: string,
  onMessage: (delivery: Delivery) => void,
  counters: { reconnects: number },
): Promise<ChatLink & { connection: LiveConnection }> {
  let token = user.token;
  const client = createParleyClient({
    transport: transports[user.index % transports.length]!,
    tokens: {
      getAccessToken: async () => token,
      refresh: async () => {
        token = await signAccessToken(jwtSecret, user.id);
        return token;
      },
    },
  });
  let live = false;
  let ready: () => void = () => {};
  const synced = new Promise<void>((resolve) => {
    ready = resolve;
  });
  const connection = new LiveConnection(client, {
    onEvent(event) {
      if (event.event.case !== "message") return;
      const message = event.event.value;
      onMessage({
        conversationId: message.conversationId,
        clientMessageId: message.clientMessageId,
        senderId: message.senderId,
        createdAtMs: message.createdAt ? timestampMs(message.createdAt) : undefined,
      });
    },
    onStatus(status) {
      if (live && status !== "live") counters.reconnects++;
      live = status === "live";
      if (live) ready();
    },
  });
  connection.start();
  await synced;
  return {
    connection,
    get live() {
      return live;
    },
    async send(conversationId, clientMessageId, body) {
      const giveUpAt = Date.now() + GIVE_UP_MS;
      for (let retries = 0; ; retries++) {
        try {
          await client.messages.send(
            { conversationId, clientMessageId, kind: MessageKind.TEXT, body },
            { timeoutMs: ATTEMPT_TIMEOUT_MS },
          );
          return { retries };
        } catch (error) {
          const failure = ConnectError.from(error);
          if (!isRetryable(failure.code) || Date.now() > giveUpAt) throw failure;
          await new Promise((resolve) => setTimeout(resolve, Math.min(100 * 2 ** retries, 2000)));
        }
      }
    },
    close: () => connection.stop(),
  };
}
