import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { describeSystemMessage, peopleIn, systemMessageText } from "./group-change.ts";

const names: Record<string, string> = { a: "Ann", b: "Bob", c: "Cy" };
const say = (body: string) =>
  systemMessageText(describeSystemMessage(body), (id, first) =>
    id === "me" ? (first ? "You" : "you") : (names[id] ?? "Someone"),
  );

describe("describeSystemMessage", () => {
  it("names everyone a group change involves", () => {
    const created = { type: "group_created", actorId: "a", name: "Trip", userIds: ["b", "c"] };
    assert.equal(say(JSON.stringify(created)), "Ann created the group “Trip” with Bob and Cy");
    assert.equal(
      say(JSON.stringify({ type: "member_added", actorId: "a", userIds: ["b", "c", "me"] })),
      "Ann added Bob, Cy and you",
    );
    assert.equal(
      say(JSON.stringify({ type: "member_removed", actorId: "me", userIds: ["c"] })),
      "You removed Cy",
    );
    assert.equal(say(JSON.stringify({ type: "member_left", actorId: "c" })), "Cy left the group");
    const role = { type: "role_changed", actorId: "a", userId: "b", role: "admin" };
    assert.equal(say(JSON.stringify(role)), "Ann made Bob an admin");
    assert.equal(
      say(JSON.stringify({ type: "owner_changed", actorId: "a", userId: "b" })),
      "Ann made Bob the owner",
    );
    assert.equal(
      say(JSON.stringify({ type: "group_renamed", actorId: "b", name: "Trip 🏔️" })),
      "Bob renamed the group to “Trip 🏔️”",
    );
    assert.equal(
      say(JSON.stringify({ type: "group_dissolved", actorId: "a" })),
      "Ann dissolved the group",
    );
  });

  it("keeps people as ids so the view can isolate their names", () => {
    const parts = describeSystemMessage(
      JSON.stringify({ type: "member_added", actorId: "a", userIds: ["b"] }),
    );
    assert.deepEqual(peopleIn(parts), ["a", "b"]);
  });

  it("shows plain text as it is, and an unknown change generically", () => {
    assert.equal(say("Maintenance tonight at 22:00"), "Maintenance tonight at 22:00");
    assert.equal(say("{not json"), "{not json");
    assert.equal(say(JSON.stringify({ type: "something_new" })), "The group was changed");
  });
});
