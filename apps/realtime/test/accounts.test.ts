import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Code, ConnectError } from "@connectrpc/connect";
import { createFriendship } from "@parley/db";
import {
  clientsFor,
  Inbox,
  type Instance,
  registerUser,
  scratchDatabase,
  startInstance,
  text,
  uniqueName,
} from "./harness.ts";

// One instance in single-instance mode (no Kafka, no Redis): the in-process path.
let database: Awaited<ReturnType<typeof scratchDatabase>>;
let node: Instance;

before(async () => {
  database = await scratchDatabase();
  node = await startInstance({
    DATABASE_URL: database.url,
    KAFKA_BROKERS: "",
    REDIS_URL: "",
    LOGIN_ATTEMPTS_PER_MINUTE: "5",
  });
});

after(async () => {
  await node?.stop();
  await database?.drop();
});

async function failure(call: Promise<unknown>) {
  try {
    await call;
  } catch (error) {
    const e = ConnectError.from(error);
    return { code: e.code, message: e.rawMessage };
  }
  return { code: undefined, message: "succeeded" };
}

function anonymous() {
  return clientsFor(node.url, () => "");
}

describe("accounts", () => {
  it("validates registration and keeps usernames unique regardless of case", async () => {
    const { users } = anonymous();
    const name = uniqueName("Mixed").slice(0, 30);
    const base = { displayName: "𝐁old 👍🏽", password: "long enough" };
    const ok = await users.register({ ...base, username: name, email: `${name}@x.test` });
    assert.equal(ok.account?.user?.username, name.toLowerCase());
    assert.equal(ok.account?.user?.displayName, "𝐁old 👍🏽");
    const cases = [
      [{ username: "ab", email: "a@x.test" }, "username: 3-32 characters of a-z, 0-9 and _"],
      [{ username: "bad-name!", email: "a@x.test" }, "username: 3-32 characters of a-z, 0-9 and _"],
      [{ username: uniqueName("e"), email: "not-an-email" }, "email: not an email address"],
      [{ username: name.toUpperCase(), email: "b@x.test" }, "username: already taken"],
      [
        { username: uniqueName("d"), email: `${name.toUpperCase()}@X.TEST` },
        "email: already taken",
      ],
    ] as const;
    for (const [fields, message] of cases) {
      const got = await failure(users.register({ ...base, ...fields }));
      assert.equal(got.message, message);
    }
    const short = await failure(
      users.register({ ...base, username: uniqueName("p"), email: "p@x.test", password: "short" }),
    );
    assert.deepEqual(short, {
      code: Code.InvalidArgument,
      message: "password: at least 8 characters",
    });
  });

  it("gives one generic error for a wrong password or an unknown user, and rate-limits", async () => {
    const user = await registerUser(node.url);
    const { users } = anonymous();
    const wrong = await failure(users.login({ login: user.username, password: "wrong password" }));
    const unknown = await failure(
      users.login({ login: uniqueName("ghost"), password: "whatever1" }),
    );
    assert.deepEqual(wrong, { code: Code.Unauthenticated, message: "wrong username or password" });
    assert.deepEqual(unknown, wrong);
    const good = await users.login({
      login: `${user.username}@example.test`,
      password: "correct horse battery",
    });
    assert.ok(good.session?.accessToken, "email works as the login too");
    let limited: Awaited<ReturnType<typeof failure>> | undefined;
    for (let i = 0; i < 6 && limited?.code !== Code.ResourceExhausted; i++) {
      limited = await failure(users.login({ login: user.username, password: "wrong password" }));
    }
    assert.equal(limited?.code, Code.ResourceExhausted);
  });

  it("rotates refresh tokens and revokes the family when an old one is reused", async () => {
    const user = await registerUser(node.url);
    const { users } = anonymous();
    const login = await users.login({ login: user.username, password: "correct horse battery" });
    const first = login.session!.refreshToken;
    const second = (await users.refresh({ refreshToken: first })).session!.refreshToken;
    assert.notEqual(second, first);
    const reuse = await failure(users.refresh({ refreshToken: first }));
    assert.equal(reuse.code, Code.Unauthenticated);
    const after = await failure(users.refresh({ refreshToken: second }));
    assert.equal(after.code, Code.Unauthenticated, "the whole family is revoked");

    const other = await users.login({ login: user.username, password: "correct horse battery" });
    await users.logout({ refreshToken: other.session!.refreshToken });
    const loggedOut = await failure(users.refresh({ refreshToken: other.session!.refreshToken }));
    assert.equal(loggedOut.code, Code.Unauthenticated);
  });

  it("ends a stream with UNAUTHENTICATED when its token expires", async (t) => {
    // Its own instance with 2-second tokens, so slow machines do not trip the other tests.
    const shortLived = await startInstance({
      DATABASE_URL: database.url,
      KAFKA_BROKERS: "",
      REDIS_URL: "",
      ACCESS_TOKEN_TTL_SECONDS: "2",
    });
    t.after(() => shortLived.stop());
    const user = await registerUser(shortLived.url);
    const box = new Inbox(user.messages);
    await box.waitFor(() => box.ended, "the stream to end", 15_000);
    assert.equal(ConnectError.from(box.ended).code, Code.Unauthenticated);
    const expired = await failure(user.users.getMe({}));
    assert.equal(expired.code, Code.Unauthenticated);
  });

  it("signing out everywhere refuses old access tokens, also on an instance started later", async (t) => {
    const { users } = anonymous();
    const name = uniqueName("out");
    const signup = await users.register({
      username: name,
      displayName: "Out",
      email: `${name}@x.test`,
      password: "long enough",
    });
    const oldToken = signup.session!.accessToken;
    await users.logout({ refreshToken: signup.session!.refreshToken, allDevices: true });
    const here = await failure(clientsFor(node.url, () => oldToken).users.getMe({}));
    assert.equal(here.code, Code.Unauthenticated);

    const later = await startInstance({
      DATABASE_URL: database.url,
      KAFKA_BROKERS: "",
      REDIS_URL: "",
    });
    t.after(() => later.stop());
    const there = await failure(clientsFor(later.url, () => oldToken).users.getMe({}));
    assert.deepEqual(there, { code: Code.Unauthenticated, message: "session ended" });
    const again = await users.login({ login: name, password: "long enough" });
    const fresh = again.session!.accessToken;
    assert.ok((await clientsFor(later.url, () => fresh).users.getMe({})).account);
  });

  it("updates the profile and finds users by prefix", async () => {
    const user = await registerUser(node.url);
    const me = await user.users.updateProfile({
      displayName: "  Ünïcødé مرحبا  ",
      avatarUrl: "https://example.test/a.png",
    });
    assert.equal(me.account?.user?.displayName, "Ünïcødé مرحبا");
    const bad = await failure(user.users.updateProfile({ avatarUrl: "javascript:alert(1)" }));
    assert.deepEqual(bad, {
      code: Code.InvalidArgument,
      message: "avatar_url: must be http or https",
    });
    const found = await user.users.searchUsers({ query: user.username.slice(0, 8) });
    assert.ok(found.users.some((u) => u.id === user.id));
    const got = await user.users.getUsers({ userIds: [user.id] });
    assert.equal(got.users[0]?.displayName, "Ünïcødé مرحبا");
  });
});

describe("single-instance mode", () => {
  it("delivers, recalls, and tells the reader's other devices about reads", async () => {
    const alice = await registerUser(node.url);
    const bob = await registerUser(node.url);
    const { conversationId } = await createFriendship(database.db, alice.id, bob.id);
    const bobPhone = new Inbox(bob.messages);
    const aliceBox = new Inbox(alice.messages);
    await Promise.all([
      bobPhone.waitFor(() => bobPhone.events.length > 0, "sync"),
      aliceBox.waitFor(() => aliceBox.events.length > 0, "sync"),
    ]);
    const sent = await alice.messages.send(text(conversationId, "oops"));
    await bobPhone.waitFor(() => bobPhone.messages(conversationId).length === 1, "delivery");
    await alice.messages.setTyping({ conversationId, typing: true });
    await bobPhone.waitFor(() => bobPhone.events.some((e) => e.event.case === "typing"), "typing");

    await alice.messages.recall({ messageId: sent.messageId });
    const recalled = await bobPhone.waitFor(
      () => bobPhone.events.find((e) => e.event.case === "recalled"),
      "the recall",
    );
    assert.equal(recalled.event.case === "recalled" && recalled.event.value.seq, 1);
    const history = await bob.messages.getHistory({ conversationId });
    assert.equal(history.messages[0]?.body, "", "the body is gone everywhere");
    assert.ok(history.messages[0]?.recalledAt);
    const notMine = await failure(bob.messages.recall({ messageId: sent.messageId }));
    assert.equal(notMine.code, Code.NotFound);

    await bob.messages.markRead({ conversationId, seq: 1 });
    const read = await bobPhone.waitFor(
      () => bobPhone.events.find((e) => e.event.case === "read"),
      "read",
    );
    assert.equal(read.event.case === "read" && read.event.value.unreadCount, 0);
    await aliceBox.waitFor(() => aliceBox.events.some((e) => e.event.case === "read"), "receipt");
    await Promise.all([bobPhone.close(), aliceBox.close()]);
  });
});
