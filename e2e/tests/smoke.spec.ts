import { expect, test } from "@playwright/test";
import { realtimeUrls } from "../playwright.config.ts";

test("the sign-in page renders and both realtime instances answer", async ({ page, request }) => {
  for (const url of realtimeUrls) {
    const check = await request.post(`${url}/parley.v1.HealthService/Check`, {
      data: {},
      headers: { "content-type": "application/json" },
    });
    expect(check.ok()).toBe(true);
    expect((await check.json()).status).toBe("SERVING_STATUS_SERVING");
  }
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  await page.goto("/");
  await expect(page).toHaveURL(/sign-?in|login/);
  await expect(page.getByRole("button", { name: /sign in/i })).toBeVisible();
  await page.screenshot({ path: test.info().outputPath("sign-in.png"), fullPage: true });
  expect(errors).toEqual([]);
});

test("an unknown address shows Parley's own page with a way back", async ({ page }) => {
  const response = await page.goto("/no/such/page");
  expect(response?.status()).toBe(404);
  await expect(page.getByTestId("not-found-title")).toHaveText("Page not found");
  await page.getByRole("link", { name: "Go to Parley" }).click();
  await expect(page).toHaveURL(/\/signin/);
});
