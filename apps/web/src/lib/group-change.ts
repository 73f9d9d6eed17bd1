/**
 * Group system messages: the realtime service stores each group change as a system message
 * whose body is JSON (`{"type": "member_added", "actorId": ..., ...}`, see
 * apps/realtime/src/groups/system-messages.ts). This turns one into a sentence. People are
 * kept as ids so the view can isolate each (user-chosen, possibly right-to-left) name.
 */

/** A piece of a sentence: plain text, or a person to name. */
export type ChangePart = string | { userId: string };

interface GroupChangeBody {
  type: string;
  actorId?: string;
  userId?: string;
  userIds?: string[];
  name?: string;
  role?: string;
}

function parse(body: string): GroupChangeBody | undefined {
  if (!body.startsWith("{")) return undefined;
  try {
    const value: unknown = JSON.parse(body);
    if (
      value &&
      typeof value === "object" &&
      typeof (value as { type?: unknown }).type === "string"
    )
      return value as GroupChangeBody;
  } catch {
    // Not JSON: shown as it is.
  }
  return undefined;
}

/** "A", "A and B", "A, B and C" as parts. */
function people(ids: readonly string[]): ChangePart[] {
  const parts: ChangePart[] = [];
  ids.forEach((userId, index) => {
    if (index > 0) parts.push(index === ids.length - 1 ? " and " : ", ");
    parts.push({ userId });
  });
  return parts;
}

function quoted(name: string | undefined): string {
  return `“${name ?? ""}”`;
}

/**
 * The sentence for a system message body. Bodies that are not a known group change (plain
 * text from an administrator, or a change this version does not know) stay readable.
 */
export function describeSystemMessage(body: string): ChangePart[] {
  const change = parse(body);
  if (!change) return [body];
  const actor: ChangePart = { userId: change.actorId ?? "" };
  const others = change.userIds ?? [];
  switch (change.type) {
    case "group_created":
      return others.length
        ? [actor, ` created the group ${quoted(change.name)} with `, ...people(others)]
        : [actor, ` created the group ${quoted(change.name)}`];
    case "member_added":
      return [actor, " added ", ...people(others)];
    case "member_removed":
      return [actor, " removed ", ...people(others)];
    case "member_left":
      return [actor, " left the group"];
    case "role_changed":
      return [
        actor,
        " made ",
        { userId: change.userId ?? "" },
        change.role === "admin" ? " an admin" : " a member",
      ];
    case "owner_changed":
      return [actor, " made ", { userId: change.userId ?? "" }, " the owner"];
    case "group_renamed":
      return [actor, ` renamed the group to ${quoted(change.name)}`];
    case "group_dissolved":
      return [actor, " dissolved the group"];
    default:
      return ["The group was changed"];
  }
}

/** Every person a system message names, for looking their names up. */
export function peopleIn(parts: readonly ChangePart[]): string[] {
  return parts.flatMap((p) => (typeof p === "string" || !p.userId ? [] : [p.userId]));
}

/** The sentence as plain text, for the conversation list; `first` is true at its start. */
export function systemMessageText(
  parts: readonly ChangePart[],
  nameOf: (userId: string, first: boolean) => string,
): string {
  return parts.map((p, i) => (typeof p === "string" ? p : nameOf(p.userId, i === 0))).join("");
}
