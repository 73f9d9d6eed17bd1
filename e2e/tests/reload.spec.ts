import { befriend, createCast, sendText } from "../support/accounts.ts";
import {
  conversationItem,
  messageBodies,
  messageWithText,
  openConversation,
  unreadBadge,
} from "../support/chat.ts";
import { expect, test } from "../support/people.ts";

/** More than one page of history (the web app loads 50 at a time), within the send burst. */
const COUNT = 56;
const label = (n: number) => `message ${String(n).padStart(2, "0")}`;

test("history loads on scroll, and a reload keeps the conversation and a sensible position", async ({
  people,
  request,
}) => {
  const [ana, ben] = await createCast(request, 2);
  const conversationId = await befriend(request, ana, ben);
  for (let n = 1; n <= COUNT; n++) await sendText(request, ana, conversationId, label(n));
  const all = Array.from({ length: COUNT }, (_, i) => label(i + 1));

  const b = await people.signIn(ben);
  const page = b.page;
  await expect(unreadBadge(page, "Ana Lima")).toHaveText(`${COUNT} unread`);
  await openConversation(page, "Ana Lima");

  // It opens at the newest message with one page loaded, and everything counts as read.
  await expect(messageWithText(page, label(COUNT))).toBeInViewport();
  await expect(messageBodies(page)).toHaveText(all.slice(-50));
  await expect(unreadBadge(page, "Ana Lima")).toHaveCount(0);

  // Scrolling to the top loads the rest above, without moving what the reader was looking at.
  const scroller = page.getByTestId("message-scroll");
  await scroller.evaluate((el) => el.scrollTo({ top: 0 }));
  await expect(page.getByTestId("history-start")).toBeAttached();
  await expect(messageBodies(page)).toHaveText(all);
  await expect(messageWithText(page, label(COUNT - 49))).toBeInViewport();
  await expect(page.getByTestId("day-separator")).toHaveText(["Today"]);
  await b.snap("history");

  // A message arriving while scrolled up does not yank the view; a button leads down to it.
  await sendText(request, ana, conversationId, "are you reading all that?");
  const jump = page.getByTestId("jump-to-latest");
  await expect(jump).toHaveText("1 new ↓");
  await expect(messageWithText(page, label(COUNT - 49))).toBeInViewport();
  await jump.click();
  await expect(messageWithText(page, "are you reading all that?")).toBeInViewport();
  await expect(jump).toHaveCount(0);

  // A reload comes back to the same conversation, at the newest message, nothing unread.
  const url = page.url();
  await page.reload();
  await expect(page).toHaveURL(url);
  await expect(page.getByTestId("conversation-header")).toContainText("Ana Lima");
  await expect(messageWithText(page, "are you reading all that?")).toBeInViewport();
  await expect(conversationItem(page, "Ana Lima")).toContainText("are you reading all that?");
  await expect(unreadBadge(page, "Ana Lima")).toHaveCount(0);
  await expect(page.getByTestId("composer")).toBeFocused();

  // And it is live again: a new message appears at the bottom, in view.
  await sendText(request, ana, conversationId, "welcome back");
  await expect(messageWithText(page, "welcome back")).toBeInViewport();
  const shown = await messageBodies(page).allTextContents();
  expect(shown.slice(-2)).toEqual(["are you reading all that?", "welcome back"]);
  expect(new Set(shown).size).toBe(shown.length);
});
