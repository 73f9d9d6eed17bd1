import { befriend, createCast, sendText } from "../support/accounts.ts";
import {
  conversationItem,
  expectStored,
  messageBodies,
  messageWithText,
  openConversation,
  send,
  unreadBadge,
} from "../support/chat.ts";
import { expect, signInWithForm, test } from "../support/people.ts";

test("a signed-out user gets what was sent meanwhile, in order, with unread counts", async ({
  people,
  request,
}) => {
  const [ana, ben, cleo] = await createCast(request, 3);
  await befriend(request, ana, ben);
  const cleoToBen = await befriend(request, cleo, ben);

  // Ben looks at his chats once, then signs out.
  const benBrowser = await people.signIn(ben);
  await expect(conversationItem(benBrowser.page, "Ana Lima")).toBeVisible();
  await benBrowser.page.getByTestId("nav-profile").first().click();
  await benBrowser.page.getByRole("button", { name: "Sign out" }).click();
  await expect(benBrowser.page).toHaveURL(/\/signin/);

  // Meanwhile Ana writes four messages from her browser and Cleo two from another device.
  const anaBrowser = await people.signIn(ana);
  await openConversation(anaBrowser.page, "Ben Okafor");
  const fromAna = ["one", "two", "three 😀", "four"];
  for (const text of fromAna) await send(anaBrowser.page, text);
  await expectStored(anaBrowser.page, fromAna);
  for (const text of fromAna) {
    await expect(messageWithText(anaBrowser.page, text)).toHaveAttribute("data-status", "sent");
  }
  const fromCleo = ["Cleo: first", "Cleo: second"];
  for (const text of fromCleo) await sendText(request, cleo, cleoToBen, text);

  // Ben signs in again: both conversations with their counts, the latest activity first.
  await signInWithForm(benBrowser.page, ben.username);
  const ben2 = benBrowser.page;
  await expect(unreadBadge(ben2, "Ana Lima")).toHaveText("4 unread");
  await expect(unreadBadge(ben2, "Cleo Park")).toHaveText("2 unread");
  await expect(ben2.getByTestId("conversation-item").first()).toContainText("Cleo Park");
  await expect(conversationItem(ben2, "Cleo Park")).toContainText("Cleo: second");
  await expect(ben2.getByTestId("nav-chats").first()).toContainText("2");
  await benBrowser.snap("unread");

  // Everything is there, once, in order; reading it clears the count and turns Ana's ticks.
  await openConversation(ben2, "Ana Lima");
  await expect(messageBodies(ben2)).toHaveText(fromAna);
  await expect(unreadBadge(ben2, "Ana Lima")).toHaveCount(0);
  for (const text of fromAna) {
    await expect(messageWithText(anaBrowser.page, text)).toHaveAttribute("data-status", "read");
  }
  await openConversation(ben2, "Cleo Park");
  await expect(messageBodies(ben2)).toHaveText(fromCleo);
  await expect(ben2.getByTestId("nav-chats").first()).not.toContainText(/\d/);
});
