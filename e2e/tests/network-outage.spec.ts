import { befriend, createCast } from "../support/accounts.ts";
import {
  expectStored,
  messageBodies,
  messageWithText,
  openConversation,
  send,
} from "../support/chat.ts";
import { expect, test } from "../support/people.ts";

const OUTAGE_MS = 30_000;

test("after a 30-second network outage every message arrives once and in order", async ({
  people,
  request,
}) => {
  test.setTimeout(150_000);
  const [ana, ben] = await createCast(request, 2);
  await befriend(request, ana, ben);
  const [a, b] = [await people.signIn(ana), await people.signIn(ben)];
  await openConversation(a.page, "Ben Okafor");
  await openConversation(b.page, "Ana Lima");
  await send(a.page, "still there?");
  await expect(messageWithText(b.page, "still there?")).toBeVisible();
  await send(b.page, "yes");
  await expect(messageWithText(a.page, "yes")).toBeVisible();

  // Ben's network goes: the browser is offline and nothing reaches either realtime instance.
  b.allowConsoleErrors(/ERR_INTERNET_DISCONNECTED|ERR_FAILED|Failed to fetch|Failed to load/);
  const cutAt = Date.now();
  await b.context.setOffline(true);
  await b.context.route(/\/parley\.v1\./, (route) => route.abort("internetdisconnected"));
  await expect(b.page.getByTestId("connection-status")).toBeVisible();

  // Ana keeps writing; Ben writes too, and his message is held, then marked not sent.
  const duringOutage = ["one", "two", "three"];
  for (const text of duringOutage) await send(a.page, text);
  await expectStored(a.page, duringOutage);
  await send(b.page, "are you getting these?");
  const held = messageWithText(b.page, "are you getting these?");
  await expect(held).toHaveAttribute("data-status", "pending");
  for (const text of duringOutage) await expect(messageWithText(b.page, text)).toHaveCount(0);
  await expect(held).toHaveAttribute("data-status", "failed", { timeout: OUTAGE_MS + 10_000 });
  await b.snap("offline");
  await b.page.waitForTimeout(Math.max(0, cutAt + OUTAGE_MS - Date.now()));

  // The network is back: the missed messages arrive without a reload, and a retry sends Ben's.
  await b.context.unroute(/\/parley\.v1\./);
  await b.context.setOffline(false);
  await expect(b.page.getByTestId("connection-status")).toHaveCount(0, { timeout: 30_000 });
  for (const text of duringOutage) await expect(messageWithText(b.page, text)).toBeVisible();
  await held.getByTestId("retry-button").click();
  await expectStored(b.page, ["are you getting these?"]);
  await expect(messageWithText(a.page, "are you getting these?")).toBeVisible();
  await send(a.page, "four");
  await expect(messageWithText(b.page, "four")).toBeVisible();

  const expected = ["still there?", "yes", ...duringOutage, "are you getting these?", "four"];
  await expect(messageBodies(a.page)).toHaveText(expected);
  await expect(messageBodies(b.page)).toHaveText(expected);
  await expect(messageWithText(a.page, "four")).toHaveAttribute("data-status", "read");
});
