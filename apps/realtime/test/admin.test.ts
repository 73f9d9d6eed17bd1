import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Code } from "@connectrpc/connect";
import { createFriendship, createGroup } from "@parley/db";
import { UserRole } from "@parley/proto";
import {
  adminCli,
  codeOf,
  eventually,
  kafkaEnv,
  type Member,
  onInstance,
  signUp,
  streamEnd,
} from "./admin-support.ts";
import { Inbox, type Instance, scratchDatabase, startInstance, text } from "./harness.ts";

let database: Awaited<ReturnType<typeof scratchDatabase>>;
let one: Instance;
let two: Instance;
let root: Member;
const inboxes: Inbox[] = [];

function inbox(member: Member) {
  const box = new Inbox(member.messages);
  inboxes.push(box);
  return box;
}

async function synced(box: Inbox) {
  return box.waitFor(() => box.events.find((e) => e.event.case === "sync"), "sync frame");
}

async function auditOf(targetId: string) {
  return database.db.auditLog.findMany({
    where: { targetId },
    orderBy: { id: "asc" },
    select: { actorId: true, action: true, reason: true, createdAt: true },
  });
}

before(async () => {
  database = await scratchDatabase();
  const env = { ...kafkaEnv(), DATABASE_URL: database.url };
  [one, two] = await Promise.all([
    startInstance({ ...env, INSTANCE_ID: "admin-one" }),
    startInstance({ ...env, INSTANCE_ID: "admin-two" }),
  ]);
  root = await signUp(one.url, "root");
  await adminCli(database.url, "promote", root.username);
});

after(async () => {
  await Promise.all(inboxes.map((box) => box.close()));
  await Promise.all([one?.stop(), two?.stop()]);
  await database?.drop();
});

describe("who may call AdminService", () => {
  it("refuses every admin call to a non-admin with PERMISSION_DENIED", async () => {
    const mallory = await signUp(one.url);
    const victim = await signUp(one.url);
    const { admin, messages } = mallory;
    const calls = {
      ListUsers: () => admin.listUsers({}),
      BanUser: () => admin.banUser({ userId: victim.id, reason: "x" }),
      UnbanUser: () => admin.unbanUser({ userId: victim.id, reason: "x" }),
      ForceSignOut: () => admin.forceSignOut({ userId: victim.id, reason: "x" }),
      GetStats: () => admin.getStats({}),
      Broadcast: () => admin.broadcast({ body: "hello everyone" }),
      ListAuditLog: () => admin.listAuditLog({}),
      "MessageService.Delete": () => messages.delete({ messageId: victim.id, reason: "x" }),
    };
    for (const [name, call] of Object.entries(calls)) {
      assert.equal(await codeOf(call()), Code.PermissionDenied, name);
    }
    const anonymous = onInstance({ ...mallory, token: "" }, one.url);
    assert.equal(await codeOf(anonymous.admin.getStats({})), Code.Unauthenticated);
    const victimRow = await database.db.user.findUnique({ where: { id: victim.id } });
    assert.equal(victimRow?.bannedAt, null, "nothing happened to the victim");
  });

  it("follows promote and demote from the command line at once, on every instance", async () => {
    const carol = await signUp(one.url);
    const carolTwo = onInstance(carol, two.url);
    assert.match(await adminCli(database.url, "promote", carol.username), /is now an admin/);
    // The token carol holds was issued before; the role is read from the database.
    await eventually(async () => (await codeOf(carol.admin.getStats({}))) === "ok", "admin");
    assert.equal(await codeOf(carolTwo.admin.listUsers({})), "ok");
    assert.equal((await carol.users.getMe({})).account?.role, UserRole.ADMIN);

    await adminCli(database.url, "demote", carol.username);
    for (const member of [carol, carolTwo]) {
      await eventually(
        async () => (await codeOf(member.admin.getStats({}))) === Code.PermissionDenied,
        `demotion seen at ${member.url}`,
        1_000,
      );
    }
    const actions = (await auditOf(carol.id)).map((entry) => entry.action);
    assert.deepEqual(actions, ["user.promote", "user.demote"]);
    assert.match(await adminCli(database.url, "list"), new RegExp(root.username));
  });
});

describe("ListUsers", () => {
  it("searches by prefix and pages with keyset tokens, with status", async () => {
    const prefix = `pg${Date.now().toString(36)}`;
    const made = [];
    for (let i = 0; i < 5; i++) made.push(await signUp(one.url, prefix));
    const online = made[1] as Member;
    await synced(inbox(online));

    const seen: string[] = [];
    let pageToken = "";
    let pages = 0;
    do {
      const page = await root.admin.listUsers({ query: prefix, pageSize: 2, pageToken });
      seen.push(...page.users.map((u) => u.user?.id ?? ""));
      for (const user of page.users) {
        assert.equal(user.online, user.user?.id === online.id, "online only with a stream");
        assert.ok(user.user?.createdAt, "registration date");
        assert.match(user.email, /@example\.test$/);
      }
      pageToken = page.nextPageToken;
      pages++;
    } while (pageToken);
    assert.equal(pages, 3);
    // Newest first, each once.
    assert.deepEqual(seen, made.map((m) => m.id).reverse());

    const byEmail = await root.admin.listUsers({ query: made[0]?.username.toUpperCase() });
    assert.deepEqual(
      byEmail.users.map((u) => u.user?.id),
      [made[0]?.id],
    );
    assert.equal(await codeOf(root.admin.listUsers({ pageToken: "!!" })), Code.InvalidArgument);
    assert.equal(await codeOf(root.admin.listUsers({ pageSize: 101 })), Code.InvalidArgument);
  });
});

describe("BanUser and UnbanUser", () => {
  it("ends the user's streams on both instances within a second and refuses their tokens", async () => {
    const victim = await signUp(one.url);
    const victimTwo = onInstance(victim, two.url);
    const boxes = [inbox(victim), inbox(victimTwo)];
    await Promise.all(boxes.map(synced));

    const start = Date.now();
    await root.admin.banUser({ userId: victim.id, reason: "spam 🚫" });
    for (const box of boxes) {
      const end = await streamEnd(box, start);
      assert.equal(end.code, Code.PermissionDenied);
      assert.ok(end.afterMs < 1_000, `stream ended after ${end.afterMs} ms`);
    }

    assert.equal(await codeOf(victim.users.getMe({})), Code.PermissionDenied);
    assert.equal(await codeOf(victimTwo.users.getMe({})), Code.PermissionDenied);
    const refresh = victim.users.refresh({ refreshToken: victim.refreshToken });
    assert.equal(await codeOf(refresh), Code.Unauthenticated, "refresh token revoked");
    const login = victim.users.login({ login: victim.username, password: "correct horse battery" });
    assert.equal(await codeOf(login), Code.PermissionDenied);
    const reopened = inbox(victimTwo);
    assert.equal((await streamEnd(reopened, Date.now())).code, Code.PermissionDenied);

    const listed = await root.admin.listUsers({ query: victim.username });
    assert.equal(listed.users[0]?.banReason, "spam 🚫");
    assert.ok(listed.users[0]?.bannedAt);
    assert.equal(
      await codeOf(root.admin.banUser({ userId: victim.id, reason: "again" })),
      Code.FailedPrecondition,
    );

    await root.admin.unbanUser({ userId: victim.id, reason: "appeal accepted" });
    const back = await victim.users.login({
      login: victim.username,
      password: "correct horse battery",
    });
    victim.token = back.session?.accessToken ?? "";
    await eventually(async () => (await codeOf(victim.users.getMe({}))) === "ok", "access again");
    const audit = await auditOf(victim.id);
    assert.deepEqual(
      audit.map((e) => [e.actorId, e.action, e.reason]),
      [
        [root.id, "user.ban", "spam 🚫"],
        [root.id, "user.unban", "appeal accepted"],
      ],
    );
  });

  it("refuses bad requests with the right codes", async () => {
    const other = await signUp(one.url);
    const cases: Array<[() => Promise<unknown>, Code]> = [
      [() => root.admin.banUser({ userId: root.id, reason: "me" }), Code.FailedPrecondition],
      [() => root.admin.banUser({ userId: other.id, reason: "  " }), Code.InvalidArgument],
      [() => root.admin.banUser({ userId: "nope", reason: "x" }), Code.InvalidArgument],
      [
        () => root.admin.banUser({ userId: "01ARZ3NDEKTSV4RRFFQ69G5FAV", reason: "x" }),
        Code.NotFound,
      ],
      [() => root.admin.unbanUser({ userId: other.id, reason: "x" }), Code.FailedPrecondition],
      [
        () => root.admin.banUser({ userId: other.id, reason: "x".repeat(501) }),
        Code.InvalidArgument,
      ],
    ];
    for (const [call, code] of cases) assert.equal(await codeOf(call()), code);
  });
});

describe("ForceSignOut", () => {
  it("ends streams with UNAUTHENTICATED and revokes the sessions without a ban", async () => {
    const dave = await signUp(two.url);
    const box = inbox(dave);
    await synced(box);

    const start = Date.now();
    await root.admin.forceSignOut({ userId: dave.id, reason: "lost phone" });
    const end = await streamEnd(box, start);
    assert.equal(end.code, Code.Unauthenticated);
    assert.ok(end.afterMs < 1_000, `stream ended after ${end.afterMs} ms`);
    assert.equal(await codeOf(dave.users.getMe({})), Code.Unauthenticated);
    const refresh = dave.users.refresh({ refreshToken: dave.refreshToken });
    assert.equal(await codeOf(refresh), Code.Unauthenticated);

    // A new session, even within the same second, is not caught by the revocation.
    const again = await dave.users.login({
      login: dave.username,
      password: "correct horse battery",
    });
    dave.token = again.session?.accessToken ?? "";
    assert.equal(await codeOf(dave.users.getMe({})), "ok", "not banned: may sign in again");
    assert.deepEqual(
      (await auditOf(dave.id)).map((e) => [e.action, e.reason]),
      [["user.sign_out", "lost phone"]],
    );
  });
});

describe("Broadcast", () => {
  it("reaches online users live on both instances and offline users in their sync", async () => {
    const [ann, ben, cid] = await Promise.all([signUp(one.url), signUp(two.url), signUp(one.url)]);
    const boxes = [inbox(ann), inbox(ben)];
    await Promise.all(boxes.map(synced));

    const body = "Maintenance tonight at 22:00 UTC 🛠️";
    const { notificationId } = await root.admin.broadcast({ body });
    for (const box of boxes) {
      const live = await box.waitFor(
        () => box.events.find((e) => e.event.case === "notification"),
        "the live notification",
        5_000,
      );
      assert.equal(live.event.case === "notification" && live.event.value.id, notificationId);
      assert.equal(live.event.case === "notification" && live.event.value.body, body);
    }

    const late = await synced(inbox(cid));
    const notices = late.event.case === "sync" ? late.event.value.notifications : [];
    assert.equal(notices[0]?.id, notificationId, "the offline user finds it in the sync");
    assert.equal(notices[0]?.body, body);
    const audit = await database.db.auditLog.findFirst({
      where: { action: "broadcast", details: { equals: { notificationId } } },
    });
    assert.equal(audit?.actorId, root.id);
  });

  it("to a group reaches its members only, live or in their sync", async () => {
    const owner = await signUp(one.url);
    const member = await signUp(two.url);
    const outsider = await signUp(one.url);
    const offline = await signUp(two.url);
    const group = await createGroup(database.db, {
      name: "Readers",
      ownerId: owner.id,
      memberIds: [member.id, offline.id],
    });
    const boxes = { owner: inbox(owner), member: inbox(member), outsider: inbox(outsider) };
    await Promise.all(Object.values(boxes).map(synced));

    const { notificationId } = await root.admin.broadcast({
      body: "Group rules",
      groupId: group.id,
    });
    for (const box of [boxes.owner, boxes.member]) {
      await box.waitFor(
        () => box.events.some((e) => e.event.case === "notification"),
        "the group notification",
        5_000,
      );
    }
    const sync = await synced(inbox(offline));
    const ids = sync.event.case === "sync" ? sync.event.value.notifications.map((n) => n.id) : [];
    assert.ok(ids.includes(notificationId));
    const outsiderSync = await synced(inbox(onInstance(outsider, two.url)));
    assert.ok(
      outsiderSync.event.case === "sync" &&
        !outsiderSync.event.value.notifications.some((n) => n.id === notificationId),
      "not in an outsider's sync",
    );
    assert.ok(!boxes.outsider.events.some((e) => e.event.case === "notification"));

    const missing = root.admin.broadcast({ body: "x", groupId: "01ARZ3NDEKTSV4RRFFQ69G5FAV" });
    assert.equal(await codeOf(missing), Code.NotFound);
    assert.equal(await codeOf(root.admin.broadcast({ body: " " })), Code.InvalidArgument);
  });
});

describe("moderation and the audit log", () => {
  it("removes a message for every member, keeps the reason and logs who did it", async () => {
    const [eve, fay] = await Promise.all([signUp(one.url), signUp(two.url)]);
    const { conversationId } = await createFriendship(database.db, eve.id, fay.id);
    const box = inbox(fay);
    await synced(box);
    const sent = await eve.messages.send(text(conversationId, "buy cheap pills"));
    await box.waitFor(() => box.messages(conversationId).length === 1, "the message");

    await root.messages.delete({ messageId: sent.messageId, reason: "spam" });
    const deleted = await box.waitFor(
      () => box.events.find((e) => e.event.case === "deleted"),
      "the removal",
      5_000,
    );
    assert.equal(deleted.event.case === "deleted" && deleted.event.value.messageId, sent.messageId);
    const row = await database.db.message.findUnique({ where: { id: sent.messageId } });
    assert.equal(row?.deleteReason, "spam");
    assert.equal(row?.body, "");

    const page = await root.admin.listAuditLog({ pageSize: 1 });
    assert.equal(page.entries.length, 1);
    const [latest] = page.entries;
    assert.equal(latest?.action, "message.delete");
    assert.equal(latest?.actor?.id, root.id);
    assert.equal(latest?.targetId, sent.messageId);
    assert.equal(latest?.reason, "spam");
    assert.ok(
      latest?.createdAt && Math.abs(Number(latest.createdAt.seconds) * 1000 - Date.now()) < 60_000,
    );

    const next = await root.admin.listAuditLog({ pageToken: page.nextPageToken, pageSize: 200 });
    assert.ok(next.entries.length > 0, "older entries on the next page");
    assert.ok(
      next.entries.every((e) => e.id < (latest?.id ?? "")),
      "newest first, no repeats",
    );
  });
});

describe("GetStats", () => {
  it("reports each instance, the message rate, latency percentiles, lag and health", async () => {
    const [gus, hal] = await Promise.all([signUp(one.url), signUp(two.url)]);
    const { conversationId } = await createFriendship(database.db, gus.id, hal.id);
    const box = inbox(hal);
    await Promise.all([synced(box), synced(inbox(gus))]);
    for (let i = 0; i < 20; i++) await gus.messages.send(text(conversationId, `m${i}`));
    await box.waitFor(() => box.messages(conversationId).length === 20, "all 20 delivered");

    // Instances report every five seconds.
    const stats = await eventually(
      async () => {
        const s = await root.admin.getStats({});
        const sent = s.messageRate.reduce((sum, p) => sum + p.messagesPerSecond, 0);
        const totals = s.totalMessages >= 20n;
        return s.instances.length === 2 && s.latencyP50Ms > 0 && sent > 0 && totals && s;
      },
      "both instances' reports",
      20_000,
    );
    assert.deepEqual(
      stats.instances.map((i) => i.instanceId),
      ["admin-one", "admin-two"],
    );
    for (const instance of stats.instances) {
      assert.ok(instance.openStreams >= 1 && instance.onlineUsers >= 1, instance.instanceId);
      assert.ok(instance.reportedAt);
    }
    assert.ok(stats.onlineUsers >= 2);
    assert.equal(stats.messageRate.length, 60, "one point a minute for an hour");
    assert.ok(stats.latencyP50Ms <= stats.latencyP90Ms && stats.latencyP90Ms <= stats.latencyP99Ms);
    assert.ok(stats.latencyP99Ms < 1_000, `p99 ${stats.latencyP99Ms} ms`);
    assert.ok(stats.consumerLag >= 0n);
    assert.deepEqual(
      stats.dependencies.map((d) => [d.name, d.healthy]),
      [
        ["MariaDB", true],
        ["Redis", true],
        ["Kafka", true],
      ],
    );
    assert.ok(stats.totalUsers >= 3n && stats.totalMessages >= 20n);
  });
});

describe("operations endpoints", () => {
  it("serve health, readiness and the Prometheus metrics the issue lists", async () => {
    assert.equal(await (await fetch(`${one.url}/healthz`)).text(), "ok\n");
    const ready = await fetch(`${one.url}/readyz`);
    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json(), { ready: true, database: true, redis: true, kafka: true });

    // A stream that ends with an error counts under its code too.
    const ida = await signUp(one.url);
    const box = inbox(ida);
    await synced(box);
    await root.admin.forceSignOut({ userId: ida.id, reason: "metrics test" });
    await streamEnd(box, Date.now());
    const metrics = await (await fetch(`${one.url}/metrics`)).text();
    for (const name of [
      "parley_streams_open",
      "parley_messages_in_total",
      'parley_events_out_total{kind="message"}',
      "parley_delivery_latency_seconds_bucket",
      "parley_persister_batch_size_bucket",
      "parley_persister_lag",
      'parley_rpc_errors_total{code="PermissionDenied"}',
      'parley_rpc_errors_total{code="Unauthenticated"}',
    ]) {
      assert.ok(metrics.includes(name), name);
    }
  });
});

describe("graceful shutdown", () => {
  it("loses no accepted message when an instance gets SIGTERM under load, and says GoAway", async () => {
    const env = { ...kafkaEnv(), DATABASE_URL: database.url };
    const [doomed, survivor] = await Promise.all([
      startInstance({ ...env, INSTANCE_ID: "doomed" }),
      startInstance({ ...env, INSTANCE_ID: "survivor" }),
    ]);
    try {
      const sender = await signUp(doomed.url);
      const reader = await signUp(doomed.url);
      const { conversationId } = await createFriendship(database.db, sender.id, reader.id);
      const onDoomed = inbox(reader);
      const onSurvivor = inbox(onInstance(reader, survivor.url));
      await Promise.all([synced(onDoomed), synced(onSurvivor)]);
      const fallback = onInstance(sender, survivor.url);

      // Ten senders in parallel, thirty messages each; a send that fails is retried with the
      // same clientMessageId on the other instance, as the client's outbox does.
      const bodies = Array.from({ length: 300 }, (_, i) => `m${i}`);
      let accepted = 0;
      let retried = 0;
      const sendOne = async (body: string) => {
        const request = text(conversationId, body);
        try {
          await sender.messages.send(request);
        } catch {
          retried++;
          await eventually(
            async () => (await codeOf(fallback.messages.send(request))) === "ok",
            `${body} accepted by the survivor`,
          );
        }
        accepted++;
      };
      const workers = Array.from({ length: 10 }, async (_, w) => {
        for (let i = w; i < bodies.length; i += 10) await sendOne(bodies[i] ?? "");
      });
      await eventually(() => accepted >= 60, "the first sends");
      doomed.process.kill("SIGTERM");
      await Promise.all(workers);
      const exitCode = await new Promise((resolve) => {
        if (doomed.process.exitCode !== null) resolve(doomed.process.exitCode);
        else doomed.process.once("exit", resolve);
      });

      assert.equal(exitCode, 0, "a clean exit");
      assert.ok(retried > 0, "sends were cut off by the shutdown and retried");
      assert.ok(
        onDoomed.events.some((e) => e.event.case === "goAway"),
        "GoAway before the end",
      );
      const stored = await eventually(
        async () => {
          const rows = await database.db.message.findMany({
            where: { conversationId },
            orderBy: { seq: "asc" },
            select: { seq: true, body: true },
          });
          return rows.length >= bodies.length && rows;
        },
        "every message stored",
        60_000,
      );
      assert.equal(stored.length, bodies.length, "each stored once");
      assert.deepEqual(new Set(stored.map((r) => r.body)), new Set(bodies));
      assert.deepEqual(
        stored.map((row) => row.seq),
        bodies.map((_, i) => i + 1),
        "seq without gaps",
      );
      await onSurvivor.waitFor(
        () => onSurvivor.messages(conversationId).length === bodies.length,
        "the survivor's stream to deliver all",
        30_000,
      );
    } finally {
      await Promise.all([doomed.stop("SIGKILL"), survivor.stop()]);
    }
  });
});
