import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { pickRealtimeUrl } from "@parley/client";
import {
  type APIRequestContext,
  type Browser,
  devices,
  expect,
  type Page,
  test,
} from "@playwright/test";
import { database, realtimeUrls } from "../playwright.config.ts";

const PASSWORD = "correct horse battery staple";
const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

interface Account {
  id: string;
  username: string;
  displayName: string;
  token: string;
}

/** One Connect JSON call to a realtime instance. */
async function rpc<T>(
  request: APIRequestContext,
  method: string,
  body: object,
  token?: string,
): Promise<T> {
  const response = await request.post(`${realtimeUrls[0]}/parley.v1.${method}`, {
    data: body,
    headers: {
      "content-type": "application/json",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
  });
  const text = await response.text();
  if (!response.ok()) throw new Error(`${method}: HTTP ${response.status()} ${text}`);
  return JSON.parse(text) as T;
}

async function register(request: APIRequestContext, label: string, displayName: string) {
  const username = `${label}_${randomUUID().replaceAll("-", "").slice(0, 10)}`;
  const res = await rpc<{ account: { user: { id: string } }; session: { accessToken: string } }>(
    request,
    "UserService/Register",
    { username, displayName, email: `${username}@example.test`, password: PASSWORD },
  );
  return { id: res.account.user.id, username, displayName, token: res.session.accessToken };
}

async function befriend(request: APIRequestContext, a: Account, b: Account): Promise<string> {
  const sent = await rpc<{ request: { id: string } }>(
    request,
    "RelationService/SendFriendRequest",
    { toUserId: b.id },
    a.token,
  );
  const accepted = await rpc<{ friend: { conversationId: string } }>(
    request,
    "RelationService/AcceptFriendRequest",
    { requestId: sent.request.id },
    b.token,
  );
  return accepted.friend.conversationId;
}

/** The operator's documented command, against this run's database. */
async function promote(username: string) {
  await promisify(execFile)(
    process.execPath,
    ["--import", "tsx", "apps/realtime/src/admin/cli.ts", "promote", username],
    { cwd: repoRoot, env: { ...process.env, DATABASE_URL: database } },
  );
}

async function signIn(browser: Browser, account: Account, options = {}): Promise<Page> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  await page.goto("/signin");
  await page.getByLabel("Username or email").fill(account.username);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/chat/);
  return page;
}

test("an admin bans a chatting user and broadcasts a notice that others see live", async ({
  browser,
  request,
}) => {
  test.setTimeout(180_000);
  const boss = await register(request, "boss", "Operator Olu");
  const spammer = await register(request, "spam", "Sam Spammer");
  const pal = await register(request, "pal", "Pat Pal");
  const other = await register(request, "other", "Oona Other");
  await promote(boss.username);
  const conversationId = await befriend(request, spammer, pal);
  // Users spread over both instances by a hash of their id; say where each one is.
  test.info().annotations.push({
    type: "instances",
    description: [boss, spammer, pal, other]
      .map((a) => `${a.username}: ${pickRealtimeUrl(a.id, realtimeUrls)}`)
      .join(", "),
  });

  const spammerPage = await signIn(browser, spammer);
  const palPage = await signIn(browser, pal);
  const otherPage = await signIn(browser, other);
  const adminPage = await signIn(browser, boss, { viewport: { width: 1360, height: 1000 } });

  // The spammer is chatting with Pat.
  await spammerPage.goto(`/chat/${conversationId}`);
  await spammerPage.getByTestId("composer").fill("Cheap pills, click here");
  await spammerPage.getByTestId("composer").press("Enter");
  await palPage.goto(`/chat/${conversationId}`);
  const pillsOnPal = palPage.getByTestId("message-body").filter({ hasText: "Cheap pills" });
  await expect(pillsOnPal).toBeVisible();

  // Only the admin sees the dashboard; the others are refused on the server.
  await otherPage.goto("/admin");
  await expect(otherPage.getByTestId("admin-refused")).toHaveText("Admins only");
  await expect(otherPage.getByTestId("promote-command")).toHaveText(
    "npm run admin -- promote <username>",
  );
  await otherPage.goto("/chat");

  // The overview is live: both instances report, and the dependencies are healthy.
  await adminPage.getByTestId("nav-admin").first().click();
  await expect(adminPage).toHaveURL(/\/admin$/);
  await expect(adminPage.getByTestId("health-mariadb")).toHaveAttribute("data-healthy", "true");
  await expect(adminPage.getByTestId("health-kafka")).toHaveAttribute("data-healthy", "true");
  await expect(adminPage.getByTestId("tile-open-streams")).not.toHaveText("0");
  await expect(adminPage.locator(".recharts-bar-rectangle").first()).toBeVisible();

  // It refreshes live: traffic shows up without a reload.
  const stored = adminPage.getByTestId("tile-total-messages");
  await expect(stored).toHaveText("1");
  // Oona has a page open, so these are delivered live and their latency is measured.
  const a = await register(request, "load", "Load Bot");
  const loadConversation = await befriend(request, a, other);
  for (let i = 0; i < 50; i++) {
    const message = { conversationId: loadConversation, clientMessageId: randomUUID() };
    await rpc(
      request,
      "MessageService/Send",
      { ...message, kind: "MESSAGE_KIND_TEXT", body: `load ${i}` },
      a.token,
    );
  }
  await expect(stored).toHaveText("51", { timeout: 30_000 });
  await expect(adminPage.getByTestId("tile-latency-p50")).not.toHaveText("—");
  await adminPage.screenshot({ path: test.info().outputPath("dashboard-desktop.png") });

  // Ban: the spammer's page signs them out within seconds.
  await adminPage.getByTestId("admin-tab-users").click();
  await adminPage.getByTestId("admin-user-search").fill(spammer.username);
  const row = adminPage.getByTestId("admin-user").filter({ hasText: spammer.username });
  await expect(row).toHaveCount(1);
  await row.getByTestId("admin-ban").click();
  await row.getByTestId("admin-reason").fill("Selling pills to strangers");
  const bannedAt = Date.now();
  await row.getByTestId("admin-confirm").click();
  await expect(row).toContainText("Banned");
  await expect(spammerPage).toHaveURL(/\/signin/, { timeout: 10_000 });
  test.info().annotations.push({
    type: "signed out after",
    description: `${Date.now() - bannedAt} ms`,
  });
  await adminPage.screenshot({ path: test.info().outputPath("dashboard-users.png") });

  // Moderation: the message goes away on Pat's screen; the reason is kept.
  const history = await rpc<{ messages: { id: string; body: string }[] }>(
    request,
    "MessageService/GetHistory",
    { conversationId },
    pal.token,
  );
  const pills = history.messages.find((m) => m.body === "Cheap pills, click here");
  await adminPage.getByTestId("admin-tab-moderation").click();
  await adminPage.getByTestId("moderation-message-id").fill(pills?.id ?? "");
  await adminPage.getByTestId("moderation-reason").fill("Spam");
  await adminPage.getByTestId("moderation-submit").click();
  await expect(adminPage.getByText(`Removed ${pills?.id}`)).toBeVisible();
  await expect(palPage.getByText("Cheap pills, click here")).toHaveCount(0);

  // Broadcast: Pat (mid-chat) and Oona see it live.
  const notice = `Maintenance tonight at 23:00 UTC (${randomUUID().slice(0, 8)})`;
  await adminPage.getByTestId("admin-tab-broadcast").click();
  await adminPage.getByTestId("broadcast-body").fill(notice);
  await adminPage.getByTestId("broadcast-submit").click();
  await expect(adminPage.getByTestId("broadcast-sent")).toBeVisible();
  for (const page of [palPage, otherPage]) {
    await expect(page.getByTestId("system-notice")).toContainText(notice, { timeout: 10_000 });
  }
  await palPage.screenshot({ path: test.info().outputPath("notice-seen.png") });

  // The audit log says who did what, and why.
  await adminPage.getByTestId("admin-tab-audit-log").click();
  const entries = adminPage.getByTestId("audit-entry");
  await expect(entries.filter({ hasText: "Selling pills to strangers" })).toHaveAttribute(
    "data-action",
    "user.ban",
  );
  await expect(entries.filter({ hasText: notice })).toHaveAttribute("data-action", "broadcast");
  await expect(adminPage.locator('[data-action="message.delete"]')).toContainText("Spam");
  await adminPage.screenshot({ path: test.info().outputPath("dashboard-audit.png") });

  // The dashboard on a phone.
  const phone = await signIn(browser, boss, { ...devices["Pixel 7"] });
  await phone.goto("/admin");
  await expect(phone.getByTestId("health-redis")).toHaveAttribute("data-healthy", "true");
  await expect(phone.locator(".recharts-surface").first()).toBeVisible();
  await phone.screenshot({
    path: test.info().outputPath("dashboard-phone.png"),
    fullPage: true,
  });

  for (const page of [spammerPage, palPage, otherPage, adminPage, phone]) {
    await page.context().close();
  }
});
