import { webUrl } from "../playwright.config.ts";
import { befriend, createCast, createUser, sendText } from "../support/accounts.ts";
import { conversationItem, openConversation } from "../support/chat.ts";
import { expect, test } from "../support/people.ts";
import { rpc } from "../support/rpc.ts";

interface Account {
  account: { user: { displayName: string; avatarUrl?: string } };
}

test("the profile form shows the newest name and never writes an older one back", async ({
  people,
  request,
}) => {
  const ana = await createUser(request, "ana", "Ana Lima");
  const a = await people.signIn(ana);
  const page = a.page;
  const nameInput = page.getByTestId("display-name-input");
  const renameElsewhere = (displayName: string) =>
    rpc(request, ana.instance, "UserService/UpdateProfile", { displayName }, ana.token);
  const server = () => rpc<Account>(request, ana.instance, "UserService/GetMe", {}, ana.token);

  // Renamed here, then reloaded: the session cookie still holds the name from sign-in.
  await page.getByTestId("nav-profile").first().click();
  await expect(nameInput).toHaveValue("Ana Lima");
  await nameInput.fill("Ana Souza");
  await page.getByTestId("save-profile").click();
  await expect(page.getByText("Saved", { exact: true })).toHaveText("Saved");
  await page.reload();
  await expect(nameInput).toHaveValue("Ana Souza");

  // Renamed on another device while this form is open: saving the avatar keeps that name.
  await renameElsewhere("Ana on her phone");
  await page.reload();
  await expect(nameInput).toHaveValue("Ana on her phone");
  await renameElsewhere("Ana, renamed again");
  // A picture the app itself serves: nothing is fetched from the internet.
  const picture = `${webUrl}/icon.svg`;
  await page.getByTestId("avatar-url-input").fill(picture);
  await page.getByTestId("save-profile").click();
  await expect(page.getByText("Saved", { exact: true })).toHaveText("Saved");
  await expect(nameInput).toHaveValue("Ana, renamed again");
  const { account } = await server();
  expect(account.user.displayName).toBe("Ana, renamed again");
  expect(account.user.avatarUrl).toBe(picture);
});

test("a rename shows in a friend's open app when they next open the conversation", async ({
  people,
  request,
}) => {
  const [ana, ben, cleo] = await createCast(request, 3);
  const direct = await befriend(request, ana, ben);
  await befriend(request, ben, cleo);
  await sendText(request, ana, direct, "Guess what, new name");
  const b = await people.signIn(ben);
  // Opening the conversation looks Ana up; the rename comes after that answer.
  const lookedUp = b.page.waitForResponse((r) => r.url().endsWith("UserService/GetUsers"));
  await openConversation(b.page, "Ana Lima");
  await lookedUp;

  await rpc(
    request,
    ana.instance,
    "UserService/UpdateProfile",
    { displayName: "Ana Souza" },
    ana.token,
  );
  await openConversation(b.page, "Cleo Park");
  await conversationItem(b.page, "Ana Lima").click();
  await expect(b.page.getByTestId("conversation-header")).toContainText("Ana Souza");
  await expect(conversationItem(b.page, "Ana Souza")).toBeVisible();
});
