import { newId } from "@parley/db";
import type { Runtime } from "../runtime.ts";

/**
 * What a group system message says, as the JSON body clients render. `actorId` is who made
 * the change; it is also the message's sender.
 */
export type GroupChange =
  | { type: "group_created"; actorId: string; name: string; userIds: string[] }
  | { type: "member_added"; actorId: string; userIds: string[] }
  | { type: "member_removed"; actorId: string; userIds: string[] }
  | { type: "member_left"; actorId: string }
  | { type: "role_changed"; actorId: string; userId: string; role: "admin" | "member" }
  | { type: "owner_changed"; actorId: string; userId: string }
  | { type: "group_renamed"; actorId: string; name: string }
  | { type: "group_dissolved"; actorId: string };

/**
 * Puts a system message on the ingest log after the change committed, so the persister gives
 * it the conversation's next seq like any message. If the log refuses it, the change stands
 * without its history entry; that is logged for a human.
 */
export async function appendGroupChange(rt: Runtime, conversationId: string, change: GroupChange) {
  const id = newId();
  try {
    await rt.ingest.append({
      id,
      conversationId,
      senderId: change.actorId,
      clientMessageId: `system-${id}`,
      kind: "system",
      body: JSON.stringify(change),
      createdAt: Date.now(),
    });
  } catch (error) {
    rt.log.error(
      { conversationId, change: change.type, err: (error as Error).message },
      "group system message not appended",
    );
  }
}
