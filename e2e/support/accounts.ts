import { randomUUID } from "node:crypto";
import { pickRealtimeUrl } from "@parley/client";
import type { APIRequestContext } from "@playwright/test";
import { realtimeUrls } from "../playwright.config.ts";
import { rpc } from "./rpc.ts";

export const PASSWORD = "correct horse battery staple";

/** A test user: fresh for every scenario, with the instance its browser will use. */
export interface TestUser {
  id: string;
  username: string;
  displayName: string;
  token: string;
  /** The realtime URL the web app picks for this user (a hash of the id). */
  instance: string;
}

/** A unique username: a readable label, then enough randomness for repeated runs. */
export function uniqueUsername(label: string): string {
  return `${label}_${randomUUID().replaceAll("-", "").slice(0, 10)}`.toLowerCase();
}

export function instanceOf(userId: string): string {
  return pickRealtimeUrl(userId, realtimeUrls);
}

interface RegisterResponse {
  account: { user: { id: string; username: string; displayName: string } };
  session: { accessToken: string };
}

/** Registers a user through the API (the browser signs in as them later). */
export async function createUser(
  request: APIRequestContext,
  label: string,
  displayName = label,
): Promise<TestUser> {
  const username = uniqueUsername(label);
  const response = await rpc<RegisterResponse>(request, realtimeUrls[0]!, "UserService/Register", {
    username,
    displayName,
    email: `${username}@example.test`,
    password: PASSWORD,
  });
  const id = response.account.user.id;
  return {
    id,
    username,
    displayName,
    token: response.session.accessToken,
    instance: instanceOf(id),
  };
}

/**
 * Registers users for a scenario on alternating realtime instances (one, the other, the first
 * again...): each user is registered again, with a new id and so a new hash, until they sit on
 * another instance than the one before. Every pair of neighbours crosses instances.
 */
export async function createSpreadUsers(
  request: APIRequestContext,
  people: readonly (readonly [label: string, displayName: string])[],
): Promise<TestUser[]> {
  const users: TestUser[] = [];
  for (const [label, displayName] of people) {
    let user = await createUser(request, label, displayName);
    const before = users.at(-1);
    while (before && user.instance === before.instance) {
      user = await createUser(request, label, displayName);
    }
    users.push(user);
  }
  return users;
}

/** The people most tests need, in this order; `createCast` alternates their instances. */
const CAST = [
  ["ana", "Ana Lima"],
  ["ben", "Ben Okafor"],
  ["cleo", "Cleo Park"],
] as const;

export function createCast(request: APIRequestContext, count: 2): Promise<[TestUser, TestUser]>;
export function createCast(
  request: APIRequestContext,
  count: 3,
): Promise<[TestUser, TestUser, TestUser]>;
export function createCast(request: APIRequestContext, count: 2 | 3): Promise<TestUser[]> {
  return createSpreadUsers(request, CAST.slice(0, count));
}

/** Makes two users friends through the API: a request from `a`, accepted by `b`. */
export async function befriend(request: APIRequestContext, a: TestUser, b: TestUser) {
  const sent = await rpc<{ request?: { id: string }; friend?: { conversationId: string } }>(
    request,
    a.instance,
    "RelationService/SendFriendRequest",
    { toUserId: b.id },
    a.token,
  );
  if (sent.friend) return sent.friend.conversationId;
  const accepted = await rpc<{ friend: { conversationId: string } }>(
    request,
    b.instance,
    "RelationService/AcceptFriendRequest",
    { requestId: sent.request!.id },
    b.token,
  );
  return accepted.friend.conversationId;
}

/** Sends a text message through the API, as if from another device of `from`. */
export async function sendText(
  request: APIRequestContext,
  from: TestUser,
  conversationId: string,
  body: string,
) {
  return rpc<{ seq: number }>(
    request,
    from.instance,
    "MessageService/Send",
    { conversationId, clientMessageId: randomUUID(), kind: "MESSAGE_KIND_TEXT", body },
    from.token,
  );
}

/** Creates a group through the API, owned by `owner`, with `members` (friends of the owner). */
export async function createGroup(
  request: APIRequestContext,
  owner: TestUser,
  name: string,
  members: readonly TestUser[],
) {
  const response = await rpc<{ group: { id: string; conversationId: string } }>(
    request,
    owner.instance,
    "GroupService/CreateGroup",
    { name, memberIds: members.map((m) => m.id) },
    owner.token,
  );
  return response.group;
}
