import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Code } from "@connectrpc/connect";
import { GroupEventKind, GroupRole, HistoryDirection, MessageKind } from "@parley/proto";
import { text } from "./harness.ts";
import {
  befriend,
  eventually,
  groupEvents,
  history,
  outcome,
  registerSocialUser,
  type SocialUser,
  startStack,
  stored,
  syncFrame,
} from "./social.ts";

const CAP = 6;
let stack: Awaited<ReturnType<typeof startStack>>;

before(async () => {
  stack = await startStack({ GROUP_MEMBER_CAP: String(CAP) });
});

after(async () => {
  await stack?.stop();
});

/** `n` users spread over both instances; the first is friends with all the others. */
async function circle(n: number): Promise<SocialUser[]> {
  const users = await Promise.all(
    Array.from({ length: n }, (_, i) => registerSocialUser(i % 2 ? stack.two.url : stack.one.url)),
  );
  await Promise.all(users.slice(1).map((u) => befriend(users[0]!, u)));
  return users;
}

function systemBodies(messages: Awaited<ReturnType<typeof history>>) {
  return messages
    .filter((m) => m.kind === MessageKind.SYSTEM)
    .map((m) => JSON.parse(m.body) as { type: string; actorId: string; userIds?: string[] });
}

/** Seqs 1..n, each once. */
function assertGapFree(seqs: number[]) {
  assert.deepEqual(
    seqs,
    Array.from({ length: seqs.length }, (_, i) => i + 1),
  );
}

/** What the database says about a group: rows, count, and each member's visible range. */
async function groupState(groupId: string) {
  const db = stack.database.db;
  const group = await db.group.findUniqueOrThrow({
    where: { id: groupId },
    select: { memberCount: true, conversationId: true, members: { select: { userId: true } } },
  });
  const ranges = await db.conversationMember.findMany({
    where: { conversationId: group.conversationId },
    select: { userId: true, joinedSeq: true, leftSeq: true },
  });
  const messages = await db.message.findMany({
    where: { conversationId: group.conversationId },
    orderBy: { seq: "asc" },
    select: { seq: true, senderId: true, kind: true, body: true },
  });
  return {
    memberCount: group.memberCount,
    memberIds: group.members.map((m) => m.userId).sort(),
    active: ranges
      .filter((r) => r.leftSeq === null)
      .map((r) => r.userId)
      .sort(),
    range: new Map(ranges.map((r) => [r.userId, r])),
    messages,
  };
}

describe("group lifecycle", () => {
  it("creates with friends, tells them, and records every change as a system message", async () => {
    const [owner, a, b, stranger] = await circle(3).then(async (users) => [
      ...users,
      await registerSocialUser(stack.two.url),
    ]);
    const boxA = stack.inbox(a!);
    await syncFrame(boxA);

    const refused = await outcome(
      owner!.groups.createGroup({ name: "x", memberIds: [a!.id, stranger!.id] }),
    );
    assert.deepEqual(refused, [Code.PermissionDenied, "member_ids[1]: only friends can be added"]);
    const { group } = await owner!.groups.createGroup({
      name: "  Trip 🇯🇵 ",
      avatarUrl: "https://example.test/a.png",
      memberIds: [a!.id],
    });
    assert.ok(group);
    assert.equal(group.name, "Trip 🇯🇵");
    assert.equal(group.memberCount, 2);
    assert.equal(group.memberCap, CAP);
    assert.equal(group.myRole, GroupRole.OWNER);
    const joined = await boxA.waitFor(
      () => groupEvents(boxA).find((e) => e.kind === GroupEventKind.JOINED),
      "joined event",
    );
    assert.equal(joined.group?.id, group.id);
    assert.equal(joined.group?.myRole, GroupRole.MEMBER);
    assert.equal(joined.conversation?.conversationId, group.conversationId);

    await owner!.groups.addMembers({ groupId: group.id, userIds: [b!.id] });
    const again = await owner!.groups.addMembers({ groupId: group.id, userIds: [b!.id] });
    assert.equal(again.added.length, 0, "adding a member twice changes nothing");
    const renamed = await owner!.groups.renameGroup({ groupId: group.id, name: "Trip 2" });
    assert.equal(renamed.group?.name, "Trip 2");
    await b!.groups.leaveGroup({ groupId: group.id });

    await eventually(
      async () => systemBodies(await history(owner!, group.conversationId)).length === 4,
      "four system messages",
    );
    const all = await history(owner!, group.conversationId);
    assertGapFree(all.map((m) => m.seq));
    assert.deepEqual(
      systemBodies(all).map((s) => [s.type, s.actorId]),
      [
        ["group_created", owner!.id],
        ["member_added", owner!.id],
        ["group_renamed", owner!.id],
        ["member_left", b!.id],
      ],
    );
    assert.deepEqual(systemBodies(all)[1]?.userIds, [b!.id]);
    const mine = await a!.groups.listMyGroups({});
    assert.deepEqual(
      mine.groups.map((g) => [g.id, g.name, g.memberCount]),
      [[group.id, "Trip 2", 2]],
    );
    const got = await a!.groups.getGroup({ groupId: group.id });
    assert.deepEqual(
      got.members.map((m) => [m.user?.id, m.role]),
      [
        [owner!.id, GroupRole.OWNER],
        [a!.id, GroupRole.MEMBER],
      ],
    );
    const outsider = await outcome(b!.groups.getGroup({ groupId: group.id }));
    assert.deepEqual(outsider, [Code.NotFound, "group not found"]);
  });

  it("enforces the member cap", async () => {
    const users = await circle(CAP + 1);
    const [owner, ...friends] = users;
    const tooMany = await outcome(
      owner!.groups.createGroup({ name: "big", memberIds: friends.map((f) => f.id) }),
    );
    assert.equal(tooMany[0], Code.ResourceExhausted);
    assert.match(tooMany[1], /^member_ids: /);
    const { group } = await owner!.groups.createGroup({
      name: "big",
      memberIds: friends.slice(0, CAP - 1).map((f) => f.id),
    });
    const full = await outcome(
      owner!.groups.addMembers({ groupId: group!.id, userIds: [friends.at(-1)!.id] }),
    );
    assert.deepEqual(full, [
      Code.ResourceExhausted,
      `user_ids: the group is limited to ${CAP} members`,
    ]);
  });

  it("lets the owner and admins manage by rank, mute, transfer and dissolve", async () => {
    const [owner, admin, member, other] = await circle(4);
    await befriend(admin!, other!);
    const { group } = await owner!.groups.createGroup({
      name: "ranks",
      memberIds: [admin!.id, member!.id],
    });
    const groupId = group!.id;
    const conversationId = group!.conversationId;

    const notAllowed = await outcome(member!.groups.addMembers({ groupId, userIds: [owner!.id] }));
    assert.deepEqual(notAllowed, [
      Code.PermissionDenied,
      "only the owner and admins can add members",
    ]);
    const promoted = await owner!.groups.setMemberRole({
      groupId,
      userId: admin!.id,
      role: GroupRole.ADMIN,
    });
    assert.equal(promoted.member?.role, GroupRole.ADMIN);
    const byAdmin = await outcome(
      admin!.groups.setMemberRole({ groupId, userId: member!.id, role: GroupRole.ADMIN }),
    );
    assert.deepEqual(byAdmin, [Code.PermissionDenied, "only the owner can change roles"]);
    await admin!.groups.addMembers({ groupId, userIds: [other!.id] });
    const kickOwner = await outcome(admin!.groups.removeMember({ groupId, userId: owner!.id }));
    assert.deepEqual(kickOwner, [
      Code.PermissionDenied,
      "user_id: nobody can do this to the owner",
    ]);

    const until = timestampFromDate(new Date(Date.now() + 3_600_000));
    await admin!.groups.muteMember({ groupId, userId: member!.id, until });
    const muted = await eventually(
      async () => {
        const result = await outcome(member!.messages.send(text(conversationId, "hello?")));
        return result[0] !== "ok" && result;
      },
      "muted member refused",
      1_000,
    );
    assert.equal(muted[0], Code.PermissionDenied);
    await admin!.groups.muteMember({ groupId, userId: member!.id });
    await eventually(
      async () => {
        const result = await outcome(member!.messages.send(text(conversationId, "back")));
        return result[0] === "ok";
      },
      "unmuted member allowed",
      1_000,
    );
    const past = await outcome(
      admin!.groups.muteMember({
        groupId,
        userId: member!.id,
        until: timestampFromDate(new Date(0)),
      }),
    );
    assert.deepEqual(past, [Code.InvalidArgument, "until: must be in the future"]);

    const ownerLeaves = await outcome(owner!.groups.leaveGroup({ groupId }));
    assert.equal(ownerLeaves[0], Code.FailedPrecondition);
    await owner!.groups.transferOwnership({ groupId, userId: admin!.id });
    const view = await owner!.groups.getGroup({ groupId });
    assert.equal(view.group?.ownerId, admin!.id);
    assert.equal(view.group?.myRole, GroupRole.ADMIN);
    const oldOwner = await outcome(owner!.groups.dissolveGroup({ groupId }));
    assert.deepEqual(oldOwner, [Code.PermissionDenied, "only the owner can dissolve the group"]);

    const boxMember = stack.inbox(member!);
    await syncFrame(boxMember);
    await admin!.groups.dissolveGroup({ groupId });
    await boxMember.waitFor(
      () => groupEvents(boxMember).find((e) => e.kind === GroupEventKind.REMOVED),
      "removed event on dissolve",
    );
    const closed = await eventually(
      async () => {
        const result = await outcome(member!.messages.send(text(conversationId, "anyone?")));
        return result[0] !== "ok" && result;
      },
      "send refused after dissolve",
      1_000,
    );
    assert.deepEqual(closed, [Code.PermissionDenied, "this group was dissolved"]);
    const last = await stored(member!, conversationId, (m) => m.body.includes("group_dissolved"));
    assert.equal(last.kind, MessageKind.SYSTEM, "members keep the history, to the last message");
    const afterwards = await outcome(admin!.groups.renameGroup({ groupId, name: "again" }));
    assert.deepEqual(afterwards, [Code.FailedPrecondition, "group_id: the group was dissolved"]);
  });
});

describe("removal", () => {
  it("stops a removed member's stream, sends and history at the removal", async () => {
    const [owner, c, d] = await circle(3);
    const { group } = await owner!.groups.createGroup({ name: "mid", memberIds: [c!.id, d!.id] });
    const conversationId = group!.conversationId;
    const boxC = stack.inbox(c!);
    await syncFrame(boxC);
    await d!.messages.send(text(conversationId, "before"));
    await boxC.waitFor(
      () => boxC.messages(conversationId).some((m) => m.body === "before"),
      "message before removal",
    );

    await owner!.groups.removeMember({ groupId: group!.id, userId: c!.id });
    const removed = await boxC.waitFor(
      () => groupEvents(boxC).find((e) => e.kind === GroupEventKind.REMOVED),
      "removed event",
    );
    const leftSeq = removed.conversation?.lastSeq ?? 0;
    assert.ok(removed.conversation?.closed);
    for (let n = 0; n < 5; n++) await d!.messages.send(text(conversationId, `after ${n}`));
    await stored(owner!, conversationId, (m) => m.body === "after 4");
    const refused = await eventually(
      async () => {
        const result = await outcome(c!.messages.send(text(conversationId, "let me back")));
        return result[0] !== "ok" && result;
      },
      "send refused",
      1_000,
    );
    assert.deepEqual(refused, [
      Code.PermissionDenied,
      "you are no longer a member of this conversation",
    ]);

    const live = boxC.messages(conversationId);
    assert.ok(
      live.every((m) => m.seq <= leftSeq),
      "nothing after the removal reaches c",
    );
    const readable = await history(c!, conversationId);
    assert.ok(readable.length > 0 && readable.every((m) => m.seq <= leftSeq));
    assert.ok(
      readable.some((m) => m.body === "before"),
      "history before the removal stays",
    );
    const beyond = await c!.messages.getHistory({
      conversationId,
      anchorSeq: leftSeq,
      direction: HistoryDirection.AFTER,
    });
    assert.equal(beyond.messages.length, 0);
    const state = (await syncFrame(stack.inbox(c!))).conversations.find(
      (s) => s.conversationId === conversationId,
    );
    assert.equal(state?.closed, true);
    assert.equal(state?.lastSeq, leftSeq);

    // Back in: the history starts afresh from the return, so the gap stays unreadable.
    await owner!.groups.addMembers({ groupId: group!.id, userIds: [c!.id] });
    await d!.messages.send(text(conversationId, "welcome back"));
    await stored(c!, conversationId, (m) => m.body === "welcome back");
    const back = await history(c!, conversationId);
    assert.ok(!back.some((m) => m.body.startsWith("after ")), "the gap stays unreadable");
  });

  it("stays consistent over 20 rounds of remove C ∥ add D ∥ C sends", async () => {
    const [owner, admin1, admin2, c] = await circle(4);
    const d = await registerSocialUser(stack.two.url);
    await befriend(admin2!, d);

    for (let round = 0; round < 20; round++) {
      const { group } = await owner!.groups.createGroup({
        name: `race ${round}`,
        memberIds: [admin1!.id, admin2!.id, c!.id],
      });
      const groupId = group!.id;
      const conversationId = group!.conversationId;
      await Promise.all(
        [admin1!, admin2!].map((a) =>
          owner!.groups.setMemberRole({ groupId, userId: a.id, role: GroupRole.ADMIN }),
        ),
      );

      const sends: Array<[number | "ok", string]> = [];
      const sender = (async () => {
        for (let n = 0; n < 6; n++) {
          sends.push(await outcome(c!.messages.send(text(conversationId, `c ${n}`))));
        }
      })();
      await Promise.all([
        admin1!.groups.removeMember({ groupId, userId: c!.id }),
        admin2!.groups.addMembers({ groupId, userIds: [d.id] }),
        sender,
      ]);
      const afterRemoval = await eventually(
        async () => {
          const result = await outcome(c!.messages.send(text(conversationId, "late")));
          return result[0] !== "ok" && result;
        },
        "c refused after removal",
        1_000,
      );
      assert.equal(afterRemoval[0], Code.PermissionDenied);
      for (const [code] of sends) assert.ok(code === "ok" || code === Code.PermissionDenied);

      // The owner's marker comes after everything above in the conversation's partition.
      await owner!.messages.send(text(conversationId, "end of round"));
      await stored(owner!, conversationId, (m) => m.body === "end of round");
      const state = await groupState(groupId);
      const expected = [owner!.id, admin1!.id, admin2!.id, d.id].sort();
      assert.deepEqual(state.memberIds, expected, `round ${round}: member rows`);
      assert.equal(state.memberCount, expected.length, `round ${round}: member_count`);
      assert.deepEqual(state.active, expected, `round ${round}: who may read and post`);
      assertGapFree(state.messages.map((m) => m.seq));
      for (const message of state.messages) {
        if (message.kind === "system") continue;
        const range = state.range.get(message.senderId);
        assert.ok(range, `round ${round}: seq ${message.seq} from a stranger`);
        assert.ok(
          message.seq > range.joinedSeq && (range.leftSeq === null || message.seq <= range.leftSeq),
          `round ${round}: seq ${message.seq} stored while its sender was not a member`,
        );
      }
      const types = state.messages
        .filter((m) => m.kind === "system")
        .map((m) => JSON.parse(m.body).type);
      assert.ok(types.includes("member_removed") && types.includes("member_added"));
    }
  });
});

describe("bad input", () => {
  it("names the field with the right code", async () => {
    const [owner, a] = await circle(2);
    const { group } = await owner!.groups.createGroup({ name: "inputs", memberIds: [a!.id] });
    const groupId = group!.id;
    const cases: Array<[() => Promise<unknown>, [number, string]]> = [
      [() => owner!.groups.createGroup({ name: " " }), [Code.InvalidArgument, "name: empty"]],
      [
        () => owner!.groups.createGroup({ name: "x".repeat(65) }),
        [Code.InvalidArgument, "name: longer than 64 characters"],
      ],
      [
        () => owner!.groups.createGroup({ name: "x", avatarUrl: "javascript:alert(1)" }),
        [Code.InvalidArgument, "avatar_url: must be http or https"],
      ],
      [
        () => owner!.groups.createGroup({ name: "x", memberIds: ["bad"] }),
        [Code.InvalidArgument, "member_ids[0]: not a valid id"],
      ],
      [
        () => owner!.groups.createGroup({ name: "x", memberIds: [owner!.id] }),
        [Code.InvalidArgument, "member_ids[0]: cannot be yourself"],
      ],
      [
        () => owner!.groups.getGroup({ groupId: "" }),
        [Code.InvalidArgument, "group_id: not a valid id"],
      ],
      [
        () => owner!.groups.getGroup({ groupId: "01ARZ3NDEKTSV4RRFFQ69G5FAV" }),
        [Code.NotFound, "group not found"],
      ],
      [
        () => owner!.groups.addMembers({ groupId, userIds: [] }),
        [Code.InvalidArgument, "user_ids: empty"],
      ],
      [
        () => owner!.groups.removeMember({ groupId, userId: owner!.id }),
        [Code.InvalidArgument, "user_id: use LeaveGroup to leave"],
      ],
      [
        () => owner!.groups.removeMember({ groupId, userId: "01ARZ3NDEKTSV4RRFFQ69G5FAV" }),
        [Code.NotFound, "member not found"],
      ],
      [
        () => owner!.groups.setMemberRole({ groupId, userId: a!.id, role: GroupRole.OWNER }),
        [Code.InvalidArgument, "role: use TransferOwnership"],
      ],
      [
        () => owner!.groups.setMemberRole({ groupId, userId: a!.id }),
        [Code.InvalidArgument, "role: must be admin or member"],
      ],
      [
        () => owner!.groups.transferOwnership({ groupId, userId: owner!.id }),
        [Code.InvalidArgument, "user_id: you are the owner already"],
      ],
      [
        () => owner!.groups.renameGroup({ groupId, name: "two\nlines" }),
        [Code.InvalidArgument, "name: must be one line"],
      ],
    ];
    for (const [call, expected] of cases) assert.deepEqual(await outcome(call()), expected);
  });
});
