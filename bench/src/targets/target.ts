import type { BenchUser } from "../fixtures.ts";

/** A message as a recipient's live connection delivered it. */
export interface Delivery {
  conversationId: string;
  clientMessageId: string;
  senderId: string;
  /** When the service accepted it (its clock; the same machine's), if the system says. */
  createdAtMs?: number;
}

/** What one Send cost the client: the attempts beyond the first (same clientMessageId). */
export interface SendReceipt {
  retries: number;
}

/** One simulated user's live connection to a chat system. */
export interface ChatLink {
  /** Sends until accepted (retrying passing faults with the same id); throws when refused. */
  send(conversationId: string, clientMessageId: string, body: string): Promise<SendReceipt>;
  /** True while the live stream is open and synced. */
  readonly live: boolean;
  close(): void;
}

/**
 * The thin adapter the load generator drives: Parley through @parley/client, or the Socket.IO
 * reference. `connect` resolves once the user's live connection is ready to receive.
 */
export interface ChatTarget {
  readonly name: string;
  connect(user: BenchUser, onMessage: (delivery: Delivery) => void): Promise<ChatLink>;
  /** Closes the connections the target opened. */
  close(): Promise<void>;
  /** Streams that broke and were re-opened so far (each may have missed live events). */
  reconnects(): number;
}
