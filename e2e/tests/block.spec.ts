import { befriend, createGroup, createSpreadUsers, sendText } from "../support/accounts.ts";
import {
  conversationItem,
  messageBodies,
  messageWithText,
  openConversation,
  send,
} from "../support/chat.ts";
import { expect, test } from "../support/people.ts";
import { RpcError, rpc } from "../support/rpc.ts";

test("a blocked user's messages never appear for the blocker", async ({ people, request }) => {
  const [ben, ana, cleo] = await createSpreadUsers(request, [
    ["ben", "Ben Okafor"],
    ["ana", "Ana Lima"],
    ["cleo", "Cleo Park"],
  ]);
  const direct = await befriend(request, ana!, ben!);
  await befriend(request, cleo!, ben!);
  await befriend(request, cleo!, ana!);
  const club = `Book club ${Date.now().toString(36)}`;
  const group = await createGroup(request, cleo!, club, [ana!, ben!]);
  const [b, a] = [await people.signIn(ben!), await people.signIn(ana!)];

  await openConversation(a.page, "Ben Okafor");
  await send(a.page, "before the block");
  await openConversation(b.page, "Ana Lima");
  await expect(messageWithText(b.page, "before the block")).toBeVisible();

  // Ben blocks Ana from Contacts; his conversation with her closes.
  await b.page.getByTestId("nav-contacts").first().click();
  const anaRow = b.page.getByTestId("friend").filter({ hasText: "Ana Lima" });
  await anaRow.getByTestId("block-button").click();
  await anaRow.getByTestId("block-button").click();
  await expect(b.page.getByTestId("blocked-user").filter({ hasText: "Ana Lima" })).toBeVisible();
  await b.page.getByTestId("nav-chats").first().click();
  await openConversation(b.page, "Ana Lima");
  await expect(b.page.getByTestId("composer-closed")).toBeVisible();

  // Ana tries every way: the chat (refused, shown as not sent), the API, a friend request.
  a.allowConsoleErrors(/status of 403/);
  await send(a.page, "can you see this?");
  await expect(messageWithText(a.page, "can you see this?")).toHaveAttribute(
    "data-status",
    "failed",
  );
  const refused = await sendText(request, ana!, direct, "through the API").catch((e) => e);
  expect(refused).toBeInstanceOf(RpcError);
  expect((refused as RpcError).code).toBe("permission_denied");
  const requestRefused = await rpc(
    request,
    ana!.instance,
    "RelationService/SendFriendRequest",
    { toUserId: ben!.id },
    ana!.token,
  ).catch((e) => e);
  expect(requestRefused).toBeInstanceOf(RpcError);

  // In the group they share, Ana's message reaches Cleo's history but never Ben's screen.
  await openConversation(a.page, club);
  await send(a.page, "Ana in the club");
  await expect(messageWithText(a.page, "Ana in the club")).toHaveAttribute("data-status", "sent");
  await sendText(request, cleo!, group.conversationId, "Cleo in the club");
  await expect(conversationItem(b.page, club)).toContainText("Cleo Park: Cleo in the club");
  await expect(conversationItem(b.page, "Ana Lima")).toContainText("Blocked");
  await expect(b.page.getByTestId("nav-contacts").first()).not.toContainText(/\d/);
  await openConversation(b.page, club);
  await expect(messageWithText(b.page, "Cleo in the club")).toBeVisible();
  await expect(messageWithText(b.page, "Ana in the club")).toHaveCount(0);
  const history = await rpc<{ messages: { body: string }[] }>(
    request,
    cleo!.instance,
    "MessageService/GetHistory",
    { conversationId: group.conversationId, anchorSeq: 0, direction: "HISTORY_DIRECTION_AFTER" },
    cleo!.token,
  );
  expect(history.messages.map((m) => m.body)).toContain("Ana in the club");

  // Not after a reload either (the gap is filled from history, which has Ana's message).
  await b.page.reload();
  await expect(messageWithText(b.page, "Cleo in the club")).toBeVisible();
  await expect(messageWithText(b.page, "Ana in the club")).toHaveCount(0);
  await b.snap("group-without-ana");
  await openConversation(b.page, "Ana Lima");
  await expect(b.page.getByTestId("composer-closed")).toContainText("You blocked this person");

  // Unblocked, Ana can write again; what she tried during the block never shows up.
  await b.page.getByTestId("nav-contacts").first().click();
  await b.page.getByTestId("blocked-user").getByTestId("unblock-button").click();
  await expect(b.page.getByTestId("friend").filter({ hasText: "Ana Lima" })).toBeVisible();
  await b.page.getByTestId("nav-chats").first().click();
  await openConversation(b.page, "Ana Lima");
  await expect(b.page.getByTestId("composer")).toBeVisible();
  await openConversation(a.page, "Ben Okafor");
  await send(a.page, "after the unblock");
  await expect(messageWithText(b.page, "after the unblock")).toBeVisible();
  await expect(messageBodies(b.page)).toHaveText(["before the block", "after the unblock"]);
});
