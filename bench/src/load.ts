import { randomUUID } from "node:crypto";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { Histogram, type HistogramSummary } from "./histogram.ts";
import type { ChatLink, Delivery } from "./targets/target.ts";

/** A conversation the generator posts in: who may send, who must receive. */
export interface LoadConversation {
  id: string;
  /** Indexes into `links`; every member receives every message except its own. */
  members: number[];
  /** The members that take turns sending (default all). */
  senders?: number[];
}

/** Routes every user's deliveries to the tracker of the load running now. */
export class DeliveryRouter {
  tracker: DeliveryTracker | undefined;

  /** The onMessage callback for user `index`. */
  handler(index: number): (delivery: Delivery) => void {
    return (delivery) => this.tracker?.onDelivery(index, delivery);
  }
}

export interface LoadOptions {
  links: ChatLink[];
  router: DeliveryRouter;
  conversations: LoadConversation[];
  /** Messages per second, all conversations together. */
  rate: number;
  durationMs: number;
  bodyBytes: number;
  /** After the last send, how long to wait for deliveries still on their way. */
  drainMs: number;
  /** Sends in flight beyond this are skipped and counted, so a stalled server cannot OOM us. */
  maxInFlight: number;
  /** The target's count of re-opened streams, to report those during this load. */
  reconnects?: () => number;
}

export interface LoadFigures {
  rateTarget: number;
  durationS: number;
  sent: number;
  accepted: number;
  failed: number;
  skipped: number;
  retries: number;
  /** Deliveries expected: accepted messages times their recipients. */
  expectedDeliveries: number;
  delivered: number;
  lost: number;
  duplicated: number;
  /** Deliveries of messages this run did not send, or to users outside the conversation. */
  unexpected: number;
  /** Live streams that broke and were re-opened during the load (events may be missed). */
  reconnects: number;
  sendRateAchieved: number;
  deliveriesPerSecond: number;
  /** Why sends failed: message → count. */
  failures: Record<string, number>;
  latency: HistogramSummary;
  /** Send call to Send's reply (the service accepted the message). */
  acceptLatency: HistogramSummary;
  /** The message's createdAt (stamped by the service in Send) to the recipient's stream. */
  sinceCreatedAt: HistogramSummary;
  /** How late the generator issued sends (its own event loop lag), ms. */
  generatorLagP99: number;
  generatorLagMax: number;
  histogram: Histogram;
  /** Per second of the run: deliveries, p50 and p99 (ms) of those delivered in it. */
  timeline: Array<{ second: number; delivered: number; p50: number; p99: number }>;
}

interface InFlight {
  sentAt: number;
  conversation: Slots;
  senderSlot: number;
  accepted: boolean;
  seen: Uint8Array;
  pendingRecipients: number;
}

interface Slots {
  id: string;
  members: number[];
  senders: number[];
  slotOf: Map<number, number>;
  turn: number;
}

/** Tracks every message from Send to each recipient's delivery; counts losses and doubles. */
export class DeliveryTracker {
  readonly latency = new Histogram();
  /** From the service's acceptance time (createdAt) to the delivery: the pipeline's share. */
  readonly sinceAccepted = new Histogram();
  /** Latency by the second the delivery arrived in, from `startedAt`. */
  readonly perSecond: Histogram[] = [];
  startedAt = performance.now();
  private readonly inFlight = new Map<string, InFlight>();
  delivered = 0;
  duplicated = 0;
  unexpected = 0;
  private deliveredAt = 0;

  track(clientMessageId: string, message: InFlight) {
    this.inFlight.set(clientMessageId, message);
  }

  /** Called by recipient `userIndex`'s connection for every message event. */
  onDelivery(userIndex: number, delivery: Delivery) {
    const now = performance.now();
    const message = this.inFlight.get(delivery.clientMessageId);
    const slot = message?.conversation.slotOf.get(userIndex);
    if (!message || slot === undefined) {
      this.unexpected++;
      return;
    }
    // The sender's own copy is for its other devices, not a delivery.
    if (slot === message.senderSlot) return;
    if (message.seen[slot]) {
      this.duplicated++;
      return;
    }
    message.seen[slot] = 1;
    message.pendingRecipients--;
    this.delivered++;
    this.deliveredAt = now;
    this.latency.record(now - message.sentAt);
    if (delivery.createdAtMs) this.sinceAccepted.record(Date.now() - delivery.createdAtMs);
    const second = Math.floor((now - this.startedAt) / 1000);
    while (this.perSecond.length <= second) this.perSecond.push(new Histogram());
    this.perSecond[second]!.record(now - message.sentAt);
  }

  /** Deliveries still missing, of accepted messages. */
  missing(): number {
    let missing = 0;
    for (const message of this.inFlight.values()) {
      if (message.accepted) missing += message.pendingRecipients;
    }
    return missing;
  }

  get lastDeliveryAt() {
    return this.deliveredAt;
  }
}

/**
 * Open-loop load: sends are issued on a fixed schedule whatever the replies do (a closed loop
 * would slow down with the server and hide its latency), spread over the conversations in turn,
 * each conversation's senders taking turns.
 */
export async function runLoad(options: LoadOptions): Promise<LoadFigures> {
  const tracker = new DeliveryTracker();
  const conversations: Slots[] = options.conversations.map((c) => ({
    id: c.id,
    members: c.members,
    senders: c.senders ?? c.members,
    slotOf: new Map(c.members.map((member, slot) => [member, slot])),
    turn: 0,
  }));
  const accept = new Histogram();
  const lag = monitorEventLoopDelay({ resolution: 5 });
  const body = "x".repeat(Math.max(options.bodyBytes, 1));
  const counts = { sent: 0, accepted: 0, failed: 0, skipped: 0, retries: 0, expected: 0 };
  const failures: Record<string, number> = {};
  let outstanding = 0;
  let next = 0;

  options.router.tracker = tracker;
  const sendOne = (conversation: Slots) => {
    const sender = conversation.senders[conversation.turn++ % conversation.senders.length]!;
    const clientMessageId = randomUUID();
    const message: InFlight = {
      sentAt: performance.now(),
      conversation,
      senderSlot: conversation.slotOf.get(sender)!,
      accepted: false,
      seen: new Uint8Array(conversation.members.length),
      pendingRecipients: conversation.members.length - 1,
    };
    tracker.track(clientMessageId, message);
    counts.sent++;
    outstanding++;
    options.links[sender]!.send(conversation.id, clientMessageId, body).then(
      (receipt) => {
        outstanding--;
        message.accepted = true;
        counts.accepted++;
        counts.expected += conversation.members.length - 1;
        counts.retries += receipt.retries;
        accept.record(performance.now() - message.sentAt);
      },
      (error: Error) => {
        outstanding--;
        counts.failed++;
        const reason = error.message.slice(0, 120);
        failures[reason] = (failures[reason] ?? 0) + 1;
      },
    );
  };

  const reconnectsBefore = options.reconnects?.() ?? 0;
  lag.enable();
  const startedAt = performance.now();
  tracker.startedAt = startedAt;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const elapsed = performance.now() - startedAt;
      const due = Math.min(
        Math.floor((Math.min(elapsed, options.durationMs) * options.rate) / 1000),
        Math.floor((options.durationMs * options.rate) / 1000),
      );
      while (counts.sent + counts.skipped < due) {
        const conversation = conversations[next++ % conversations.length]!;
        if (outstanding >= options.maxInFlight) counts.skipped++;
        else sendOne(conversation);
      }
      if (elapsed >= options.durationMs) {
        clearInterval(timer);
        resolve();
      }
    };
    const timer = setInterval(tick, 2);
  });
  const sendingMs = performance.now() - startedAt;
  lag.disable();

  await waitForDrain(tracker, () => outstanding, options.drainMs);
  options.router.tracker = undefined;
  const lost = tracker.missing();
  return {
    rateTarget: options.rate,
    durationS: sendingMs / 1000,
    sent: counts.sent,
    accepted: counts.accepted,
    failed: counts.failed,
    skipped: counts.skipped,
    retries: counts.retries,
    expectedDeliveries: counts.expected,
    delivered: tracker.delivered,
    lost,
    failures,
    duplicated: tracker.duplicated,
    unexpected: tracker.unexpected,
    reconnects: (options.reconnects?.() ?? 0) - reconnectsBefore,
    sendRateAchieved: counts.sent / (sendingMs / 1000),
    deliveriesPerSecond:
      tracker.delivered / (Math.max(tracker.lastDeliveryAt - startedAt, 1) / 1000),
    latency: tracker.latency.summary(),
    acceptLatency: accept.summary(),
    sinceCreatedAt: tracker.sinceAccepted.summary(),
    generatorLagP99: lag.percentile(99) / 1e6,
    generatorLagMax: lag.max / 1e6,
    histogram: tracker.latency,
    timeline: tracker.perSecond.map((h, second) => ({
      second,
      delivered: h.count,
      p50: h.percentile(50),
      p99: h.percentile(99),
    })),
  };
}

async function waitForDrain(tracker: DeliveryTracker, outstanding: () => number, drainMs: number) {
  const deadline = performance.now() + drainMs;
  while (performance.now() < deadline) {
    if (outstanding() === 0 && tracker.missing() === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
