import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Page } from "@playwright/test";
import {
  befriend,
  createCast,
  createGroup,
  createUser,
  sendText,
  type TestUser,
} from "../support/accounts.ts";
import {
  conversationItem,
  expectStored,
  messageBodies,
  messageWithText,
  openConversation,
} from "../support/chat.ts";
import { expect, type People, test } from "../support/people.ts";
import { rpc } from "../support/rpc.ts";

/**
 * The committed pictures of the design are refreshed with UPDATE_SCREENSHOTS=1; an ordinary
 * run writes its pictures to the test's output folder, leaving the work tree clean.
 */
const COMMITTED = path.join(import.meta.dirname, "..", "screenshots");
const updating = process.env.UPDATE_SCREENSHOTS === "1";
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

/** Ana's world: a friend with a conversation, a group with changes, a request waiting. */
async function stage(request: Parameters<typeof createUser>[0]) {
  const [ana, ben, cleo] = await createCast(request, 3);
  const dan = await createUser(request, "dan", "Dan Müller");
  const direct = await befriend(request, ana, ben);
  await befriend(request, ana, cleo);
  await rpc(
    request,
    dan.instance,
    "RelationService/SendFriendRequest",
    { toUserId: ana.id },
    dan.token,
  );
  const group = await createGroup(request, ana, "Weekend hike 🥾", [ben, cleo]);
  await rpc(
    request,
    ana.instance,
    "GroupService/SetMemberRole",
    { groupId: group.id, userId: ben.id, role: "GROUP_ROLE_ADMIN" },
    ana.token,
  );
  const say = (from: TestUser, conversationId: string, body: string) =>
    sendText(request, from, conversationId, body);
  await say(ben, direct, "Are we still on for Saturday?");
  await say(ana, direct, "Yes! Leaving at 8 from the station 🚆");
  await say(ben, direct, "Perfect. The forecast: https://weather.example.org/alps");
  await say(ben, direct, "I'll bring the map and snacks for everyone 🍫");
  await say(cleo, group.conversationId, "Who has a spare rain jacket?");
  await say(ben, group.conversationId, "I do, I'll bring it");
  await say(ana, group.conversationId, "Thanks both. Route: lake first, then the ridge.");
  return { ana: ana, ben: ben, direct, group };
}

async function capture(page: Page, name: string) {
  // Every control fits on the screen: nothing is cut off or needs sideways scrolling.
  const outside = await page
    .locator("main :is(a, button, input, select, textarea)")
    .evaluateAll((nodes) =>
      nodes
        .filter((n) => n.getBoundingClientRect().right > window.innerWidth + 1)
        .map((n) => n.outerHTML.slice(0, 80)),
    );
  expect(outside, `${name}: controls outside the screen`).toEqual([]);
  // And the people in lists keep room for their names beside their buttons.
  const squeezed = await page
    .locator("main li[data-user-id] bdi")
    .evaluateAll((nodes) =>
      nodes.filter((n) => n.getBoundingClientRect().width < 40).map((n) => n.textContent),
    );
  expect(squeezed, `${name}: names squeezed out`).toEqual([]);
  const folder = updating ? COMMITTED : test.info().outputPath("screens");
  mkdirSync(folder, { recursive: true });
  const file = path.join(folder, `${name}.png`);
  await page.screenshot({ path: file });
  await test.info().attach(name, { path: file, contentType: "image/png" });
}

async function tour(people: People, ana: TestUser, staged: Awaited<ReturnType<typeof stage>>) {
  for (const [device, viewport] of [
    ["desktop", DESKTOP],
    ["phone", PHONE],
  ] as const) {
    const person = await people.signIn(ana, { viewport });
    const page = person.page;
    // An administrator's broadcast from another scenario may be showing: dismiss it, as a
    // user would, so the pictures show the pages themselves.
    const dismiss = page.getByTestId("dismiss-notice");
    for (let i = 0; i < 5 && (await dismiss.count()) > 0; i++) await dismiss.click();
    if (device === "phone") await capture(page, "chats-phone");
    await page.goto(`/chat/${staged.direct}`);
    await expect(
      messageWithText(page, "I'll bring the map and snacks for everyone 🍫"),
    ).toBeVisible();
    await capture(page, `chat-${device}`);
    await page.goto(`/chat/${staged.group.conversationId}`);
    await expect(messageBodies(page).first()).toContainText("You created the group");
    await expect(messageBodies(page).nth(1)).toHaveText("You made Ben Okafor an admin");
    await capture(page, `group-chat-${device}`);
    await page.goto(`/groups/${staged.group.id}`);
    await expect(page.getByTestId("group-member")).toHaveCount(3);
    await capture(page, `group-${device}`);
    await page.goto("/contacts");
    await expect(page.getByTestId("incoming-request")).toContainText("Dan Müller");
    await expect(page.getByTestId("friend")).toHaveCount(2);
    await capture(page, `contacts-${device}`);
    await people.dismiss(person);
  }
}

test("the chat, contacts and group pages on a desktop and a phone", async ({ people, request }) => {
  const staged = await stage(request);
  await tour(people, staged.ana, staged);
});

test("keyboard alone: sign in, open a conversation, send, reach every control", async ({
  people,
  page,
  request,
}) => {
  const [ana, ben] = await createCast(request, 2);
  await befriend(request, ana, ben);
  const b = await people.signIn(ben);
  await openConversation(b.page, "Ana Lima");
  const errors: string[] = [];
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));

  await page.goto("/signin");
  await page.keyboard.press("Tab");
  await page.keyboard.type(ana.username);
  await page.keyboard.press("Tab");
  await page.keyboard.type("correct horse battery staple");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/chat$/);

  // Tab to Ben's conversation and open it: the composer takes the focus.
  const target = conversationItem(page, "Ben Okafor");
  await expect(target).toBeVisible();
  for (let i = 0; i < 20 && !(await target.evaluate((el) => el === document.activeElement)); i++) {
    await page.keyboard.press("Tab");
  }
  await expect(target).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("composer")).toBeFocused();
  await page.keyboard.type("typed without a mouse");
  await page.keyboard.press("Enter");
  await expectStored(page, ["typed without a mouse"]);
  await expect(messageWithText(b.page, "typed without a mouse")).toBeVisible();

  // The attach button sits before the composer; the recall button is reachable from the
  // keyboard too, and shows when focused.
  await page.keyboard.press("Shift+Tab");
  await expect(page.getByTestId("attach-button")).toBeFocused();
  await page.keyboard.press("Shift+Tab");
  const recall = messageWithText(page, "typed without a mouse").getByTestId("recall-button");
  await expect(recall).toBeFocused();
  await expect(recall).toHaveCSS("opacity", "1");
  await page.keyboard.press("Enter");
  await expect(messageWithText(b.page, "This message was recalled")).toBeVisible();
  await page.screenshot({ path: test.info().outputPath("keyboard.png") });
  expect(errors).toEqual([]);
});

test("on a phone the list and the conversation take turns, with a way back", async ({
  people,
  request,
}) => {
  const [ana, ben] = await createCast(request, 2);
  const direct = await befriend(request, ana, ben);
  await sendText(request, ben, direct, "Hello from a phone-sized world");
  const a = await people.signIn(ana, { viewport: PHONE });
  const page = a.page;
  const tabs = page.getByRole("navigation", { name: "Main" }).last();
  await expect(tabs).toBeVisible();
  await conversationItem(page, "Ben Okafor").tap();
  await expect(page.getByTestId("conversation-header")).toBeVisible();
  await expect(page.getByTestId("conversation-list")).toBeHidden();
  await expect(tabs).toBeHidden();
  await page.getByTestId("composer").fill("Replying on the go");
  await page.getByTestId("send-button").tap();
  await expectStored(page, ["Replying on the go"]);
  await page.getByRole("link", { name: "Back to conversations" }).tap();
  await expect(page.getByTestId("conversation-list")).toBeVisible();
  await expect(conversationItem(page, "Ben Okafor")).toContainText("You: Replying on the go");
  await expect(tabs).toBeVisible();
  await a.snap("phone-list");
});

test("on a phone, one's own long message always scrolls into view", async ({ people, request }) => {
  const [ana, ben] = await createCast(request, 2);
  const direct = await befriend(request, ana, ben);
  for (let i = 1; i <= 30; i++) await sendText(request, ben, direct, `Earlier news ${i}`);
  const a = await people.signIn(ana, { viewport: PHONE });
  const page = a.page;
  await page.goto(`/chat/${direct}`);
  await expect(messageWithText(page, "Earlier news 30")).toBeInViewport();

  // Reading back a little, then answering with twelve lines: the answer is what shows.
  const view = page.getByTestId("message-scroll");
  await view.evaluate((el) => el.scrollBy(0, -400));
  await expect(page.getByTestId("jump-to-latest")).toBeVisible();
  const composer = page.getByTestId("composer");
  await composer.tap();
  for (let line = 1; line <= 12; line++) {
    await page.keyboard.type(`Line ${line} of a long answer`);
    if (line < 12) await page.keyboard.press("Shift+Enter");
  }
  await page.getByTestId("send-button").tap();
  const last = page.getByTestId("message").last();
  await expect(last).toContainText("Line 12 of a long answer");
  await expect(last).toHaveAttribute("data-status", /^(sent|read)$/);
  await expect(last).toBeInViewport({ ratio: 1 });
  await expect(page.getByTestId("jump-to-latest")).toBeHidden();
  const gap = await view.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight);
  expect(gap).toBeLessThan(2);
  await a.snap("own-long-message");
});
