import {
  conversationItem,
  messageBodies,
  messageWithText,
  openConversation,
  send,
} from "../support/chat.ts";
import { expect, type Person, test } from "../support/people.ts";

const SCRIPTS = "ok 😀 🇯🇵 👍🏽 𝐁old — مرحبا — 你好";

/** The text of every message shown, exactly as stored (line breaks included). */
function shownTexts(person: Person) {
  return messageBodies(person.page).evaluateAll((nodes) => nodes.map((n) => n.textContent ?? ""));
}

test("two people sign up, become friends in Contacts and chat both ways live", async ({
  people,
}) => {
  const ana = await people.register("ana", "Ana Lima");
  let ben = await people.register("ben", "Ben Okafor");
  // Every scenario crosses instances: another Ben until the hash puts him on the other one.
  while (ben.user.instance === ana.user.instance) {
    await people.dismiss(ben);
    ben = await people.register("ben", "Ben Okafor");
  }

  // Ana finds Ben and asks; Ben sees the request arrive live and accepts.
  await ana.page.getByTestId("nav-contacts").first().click();
  await ana.page.getByTestId("user-search").fill(ben.user.username);
  const result = ana.page.getByTestId("search-result").filter({ hasText: ben.user.username });
  await result.getByTestId("add-friend-button").click();
  await expect(result).toContainText("Request sent");
  await expect(ben.page.getByTestId("nav-contacts").first()).toContainText("1");
  await ben.page.getByTestId("nav-contacts").first().click();
  const request = ben.page.getByTestId("incoming-request").filter({ hasText: "Ana Lima" });
  await request.getByTestId("accept-request").click();
  await expect(ben.page.getByTestId("friend").filter({ hasText: "Ana Lima" })).toBeVisible();
  await expect(ana.page.getByTestId("friend").filter({ hasText: "Ben Okafor" })).toBeVisible();
  await ana.snap("friends");

  // Both open the new conversation: Ana from Contacts, Ben from his chat list.
  await ana.page.getByTestId("friend").getByRole("link", { name: "Message" }).click();
  await expect(ana.page.getByTestId("conversation-header")).toContainText("Ben Okafor");
  await ben.page.getByTestId("nav-chats").first().click();
  await openConversation(ben.page, "Ana Lima");

  // Typing shows on the other side, then the message, then Ben's reading turns Ana's ticks.
  await ana.page.getByTestId("composer").fill("Hi Ben");
  await expect(ben.page.getByTestId("conversation-subtitle")).toHaveText("Ana Lima is typing…");
  await ana.page.getByTestId("composer").press("Enter");
  await expect(messageWithText(ben.page, "Hi Ben")).toBeVisible();
  await expect(ben.page.getByTestId("conversation-subtitle")).not.toContainText("typing");
  await expect(messageWithText(ana.page, "Hi Ben")).toHaveAttribute("data-status", "read");

  await ben.page.getByTestId("composer").fill("Hello Ana");
  await expect(ana.page.getByTestId("conversation-subtitle")).toHaveText("Ben Okafor is typing…");
  await ben.page.getByTestId("composer").press("Enter");
  await expect(messageWithText(ana.page, "Hello Ana")).toBeVisible();
  await expect(messageWithText(ben.page, "Hello Ana")).toHaveAttribute("data-status", "read");

  // Any script and emoji round-trip exactly; Shift+Enter makes a new line.
  await send(ana.page, SCRIPTS);
  const composer = ben.page.getByTestId("composer");
  await composer.fill("line one");
  await composer.press("Shift+Enter");
  await composer.pressSequentially("line two");
  await composer.press("Enter");
  const expected = ["Hi Ben", "Hello Ana", SCRIPTS, "line one\nline two"];
  for (const person of [ana, ben]) await expect.poll(() => shownTexts(person)).toEqual(expected);

  // A message over the limit is refused before it leaves, with the reason.
  await ana.page.getByTestId("composer").fill("x".repeat(4001));
  await expect(ana.page.getByTestId("composer-error")).toContainText("longer than 4000");
  await ana.page.getByTestId("composer").press("Enter");
  await expect(ana.page.getByTestId("send-button")).toBeDisabled();
  await ana.page.getByTestId("composer").fill("");

  // A recall within two minutes empties the message for both.
  await send(ana.page, "oops, wrong chat");
  await expect(messageWithText(ben.page, "oops, wrong chat")).toBeVisible();
  await messageWithText(ana.page, "oops, wrong chat").getByTestId("recall-button").click();
  await expect(messageWithText(ana.page, "You recalled a message")).toBeVisible();
  await expect(messageWithText(ben.page, "This message was recalled")).toBeVisible();
  await expect(conversationItem(ben.page, "Ana Lima")).toContainText("Message recalled");

  for (const person of [ana, ben]) {
    await expect
      .poll(() => shownTexts(person))
      .toEqual([
        ...expected,
        person === ana ? "You recalled a message" : "This message was recalled",
      ]);
    await person.snap("chat");
  }
});
