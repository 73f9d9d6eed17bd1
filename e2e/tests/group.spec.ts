import { befriend, createCast, sendText } from "../support/accounts.ts";
import {
  conversationItem,
  messageBodies,
  messageWithText,
  openConversation,
  send,
  unreadBadge,
} from "../support/chat.ts";
import { expect, type Person, test } from "../support/people.ts";

test("a group of three chats; a removed member stops seeing new messages", async ({
  people,
  request,
}) => {
  const [ana, ben, cleo] = await createCast(request, 3);
  await befriend(request, ana, ben);
  const anaToCleo = await befriend(request, ana, cleo);
  const [a, b, c] = [await people.signIn(ana), await people.signIn(ben), await people.signIn(cleo)];

  // A mistyped group address says so plainly, without the server's error or an empty card.
  a.allowConsoleErrors(/status of 400/);
  await a.page.goto("/groups/not-a-group");
  await expect(a.page.getByTestId("group-unavailable")).toHaveText("This group is not available.");
  await expect(a.page.getByTestId("members-list")).toHaveCount(0);
  await expect(a.page.getByText("invalid_argument")).toHaveCount(0);

  // Ana creates the group in the Groups page and lands in its conversation.
  const name = "Trip 🏔️ planning";
  await a.page.getByTestId("nav-groups").first().click();
  await a.page.getByTestId("group-name-input").fill(name);
  await a.page.getByRole("checkbox", { name: /Ben Okafor/ }).check();
  await a.page.getByRole("checkbox", { name: /Cleo Park/ }).check();
  await a.page.getByTestId("create-group-button").click();
  await expect(a.page.getByTestId("conversation-header")).toContainText(name);
  await expect(messageBodies(a.page).first()).toHaveText(
    `You created the group “${name}” with Ben Okafor and Cleo Park`,
  );
  for (const person of [b, c]) await openConversation(person.page, name);
  await expect(messageBodies(b.page).first()).toHaveText(
    `Ana Lima created the group “${name}” with you and Cleo Park`,
  );

  // Everyone talks in turn; everyone sees the same conversation in the same order.
  const said: string[] = [];
  for (const [person, text] of [
    [a, "Shall we go in June?"],
    [b, "June works 👍"],
    [c, "Same for me"],
  ] as const) {
    await send(person.page, text);
    said.push(text);
    for (const other of [a, b, c]) await expect(messageWithText(other.page, text)).toBeVisible();
  }
  const shown = (p: Person) => messageBodies(p.page).allTextContents();
  expect((await shown(a)).slice(1)).toEqual(said);
  expect((await shown(b)).slice(1)).toEqual(said);
  expect((await shown(c)).slice(1)).toEqual(said);
  await b.snap("group-chat");

  // Ana removes Cleo from the members panel. Every friend of hers is a member: the page says
  // so rather than offering an Invite button, and she cannot leave while she owns the group.
  await a.page.getByTestId("group-info-link").click();
  await expect(a.page.getByTestId("invite-nobody")).toHaveText(
    "Every one of your friends is already a member.",
  );
  await expect(a.page.getByTestId("invite-button")).toHaveCount(0);
  await expect(a.page.getByTestId("leave-group")).toBeDisabled();
  await expect(a.page.getByText("You own this group. To leave, first make")).toBeVisible();
  const cleoRow = a.page.getByTestId("group-member").filter({ hasText: "Cleo Park" });
  await cleoRow.getByTestId("remove-member").click();
  await cleoRow.getByTestId("remove-member").click();
  await expect(a.page.getByTestId("group-member")).toHaveCount(2);
  await a.snap("members");
  await expect(c.page.getByTestId("composer-closed")).toHaveText(
    "You are no longer a member of this group.",
  );
  await a.page.getByRole("link", { name: "Open chat" }).click();
  await expect(messageBodies(a.page).last()).toHaveText("You removed Cleo Park");
  await expect(messageBodies(b.page).last()).toHaveText("Ana Lima removed Cleo Park");

  // New group messages reach Ben but not Cleo. Cleo's stream is shown to be past them by a
  // direct message Ana sends afterwards, which Cleo does get.
  await send(a.page, "Booking the cabin now");
  await expect(messageWithText(b.page, "Booking the cabin now")).toBeVisible();
  await sendText(request, ana, anaToCleo, "Sorry, the cabin only takes two");
  await expect(conversationItem(c.page, "Ana Lima")).toContainText("the cabin only takes two");
  await expect(messageWithText(c.page, "Booking the cabin now")).toHaveCount(0);
  await expect(unreadBadge(c.page, name)).toHaveCount(0);
  expect((await shown(c)).slice(1)).toEqual(said);
  await c.snap("removed");

  // Not after a reload either.
  await c.page.reload();
  await expect(c.page.getByTestId("conversation-header")).toContainText(name);
  await expect(c.page.getByTestId("composer-closed")).toBeVisible();
  await expect(messageWithText(c.page, "Same for me")).toBeVisible();
  await expect(messageWithText(c.page, "Booking the cabin now")).toHaveCount(0);

  // Ana hands the group to Ben (asked twice), then leaves it.
  await a.page.getByTestId("group-info-link").click();
  const benRow = a.page.getByTestId("group-member").filter({ hasText: "Ben Okafor" });
  await benRow.getByTestId("transfer-ownership").click();
  await expect(benRow.getByTestId("transfer-ownership")).toHaveText(
    "Make owner? You become an admin",
  );
  await benRow.getByTestId("transfer-ownership").click();
  await expect(benRow).toContainText("Owner");
  await expect(messageBodies(b.page).last()).toHaveText("Ana Lima made you the owner");
  // The page may ask for the group once more as she leaves; a former member gets a 404.
  a.allowConsoleErrors(/status of 404/);
  await a.page.getByTestId("leave-group").click();
  await a.page.getByTestId("leave-group").click();
  await expect(a.page).toHaveURL(/\/groups$/);
  await expect(messageBodies(b.page).last()).toHaveText("Ana Lima left the group");
});
