import { expect, type Locator, type Page } from "@playwright/test";

/** What the chat pages show, read the way a user reads them. */

export function conversationItem(page: Page, title: string): Locator {
  return page.getByTestId("conversation-item").filter({
    has: page.getByTestId("conversation-title").getByText(title, { exact: true }),
  });
}

/** Opens a conversation from the list and waits for its pane. */
export async function openConversation(page: Page, title: string) {
  await conversationItem(page, title).click();
  await expect(page.getByTestId("message-pane")).toBeVisible();
  await expect(page.getByTestId("conversation-header")).toContainText(title);
}

export function messageRows(page: Page): Locator {
  return page.getByTestId("message-list").getByTestId("message");
}

/** The text of every message on screen, in the order shown (system messages included). */
export function messageBodies(page: Page): Locator {
  return page.getByTestId("message-list").getByTestId("message-body");
}

export function messageWithText(page: Page, text: string): Locator {
  return messageRows(page).filter({
    has: page.getByTestId("message-body").getByText(text, { exact: true }),
  });
}

/** Types a message the way a user does and sends it with Enter. */
export async function send(page: Page, text: string) {
  const composer = page.getByTestId("composer");
  await composer.fill(text);
  await composer.press("Enter");
  await expect(composer).toHaveValue("");
}

/** Waits until every listed message is shown as stored by the server (not pending). */
export async function expectStored(page: Page, texts: readonly string[]) {
  for (const text of texts) {
    await expect(messageWithText(page, text)).toHaveAttribute("data-status", /^(sent|read)$/);
  }
}

export function unreadBadge(page: Page, title: string): Locator {
  return conversationItem(page, title).getByTestId("unread-badge");
}
