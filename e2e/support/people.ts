import {
  type Browser,
  type BrowserContext,
  test as base,
  expect,
  type Page,
  type TestInfo,
  type ViewportSize,
} from "@playwright/test";
import { realtimeUrls } from "../playwright.config.ts";
import { instanceOf, PASSWORD, type TestUser, uniqueUsername } from "./accounts.ts";
import { rpc } from "./rpc.ts";

/** A signed-in browser: its own context (cookies, storage), one page, its console errors. */
export class Person {
  readonly errors: string[] = [];
  private readonly allowed: RegExp[] = [];
  private shots = 0;

  constructor(
    readonly user: TestUser,
    readonly context: BrowserContext,
    readonly page: Page,
    private readonly info: TestInfo,
  ) {
    page.on("console", (message) => {
      if (message.type() === "error") this.errors.push(message.text());
    });
    page.on("pageerror", (error) => this.errors.push(`uncaught: ${error.message}`));
  }

  get name() {
    return this.user.displayName;
  }

  /** Console errors the scenario causes on purpose (a refused send, a cut network). */
  allowConsoleErrors(pattern: RegExp) {
    this.allowed.push(pattern);
  }

  unexpectedErrors(): string[] {
    return this.errors.filter((e) => !this.allowed.some((p) => p.test(e)));
  }

  /** Saves a screenshot as an artifact of the test, named after the person and the step. */
  async snap(step: string) {
    const name = `${String(++this.shots).padStart(2, "0")}-${this.user.displayName}-${step}.png`;
    const path = this.info.outputPath(name.replace(/[^\w.-]+/g, "-"));
    await this.page.screenshot({ path });
    await this.info.attach(name, { path, contentType: "image/png" });
  }
}

/** Opens browsers for users of a scenario and checks them when the test ends. */
export class People {
  private readonly opened: Person[] = [];

  constructor(
    private readonly browser: Browser,
    private readonly info: TestInfo,
  ) {}

  /** A new browser context signed in as `user` through the sign-in form. */
  async signIn(user: TestUser, options: { viewport?: ViewportSize } = {}): Promise<Person> {
    const context = await this.newContext(options.viewport);
    const person = new Person(user, context, await context.newPage(), this.info);
    this.opened.push(person);
    await signInWithForm(person.page, user.username);
    await expect(person.page.getByTestId("app-shell")).toHaveAttribute(
      "data-realtime-url",
      user.instance,
    );
    return person;
  }

  /** A new browser context that creates an account through the sign-up form. */
  async register(label: string, displayName: string): Promise<Person> {
    const context = await this.newContext();
    const page = await context.newPage();
    const username = uniqueUsername(label);
    await page.goto("/signup");
    await page.getByLabel("Username", { exact: true }).fill(username);
    await page.getByLabel("Display name").fill(displayName);
    await page.getByLabel("Email").fill(`${username}@example.test`);
    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByLabel("Repeat password").fill(PASSWORD);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page).toHaveURL(/\/chat$/);
    // The new account's id and a token, for the checks that go through the API.
    const login = await rpc<{
      account: { user: { id: string } };
      session: { accessToken: string };
    }>(context.request, realtimeUrls[0]!, "UserService/Login", {
      login: username,
      password: PASSWORD,
    });
    const id = login.account.user.id;
    const user = {
      id,
      username,
      displayName,
      token: login.session.accessToken,
      instance: instanceOf(id),
    };
    const person = new Person(user, context, page, this.info);
    this.opened.push(person);
    await expect(page.getByTestId("app-shell")).toHaveAttribute("data-realtime-url", user.instance);
    return person;
  }

  /** Closes a browser the scenario does not need after all. */
  async dismiss(person: Person) {
    this.opened.splice(this.opened.indexOf(person), 1);
    await person.context.close();
  }

  /** A phone-sized viewport also gets touch and a mobile browser's behaviour. */
  private newContext(viewport: ViewportSize = { width: 1280, height: 800 }) {
    const phone = viewport.width < 600;
    return this.browser.newContext({
      viewport,
      baseURL: this.info.project.use.baseURL,
      ...(phone ? { isMobile: true, hasTouch: true } : {}),
    });
  }

  /** Every person's last screen as an artifact, then no unexpected console errors anywhere. */
  async finish() {
    for (const person of this.opened) {
      if (!person.page.isClosed()) await person.snap("end").catch(() => {});
    }
    const problems = this.opened.flatMap((p) => p.unexpectedErrors().map((e) => `${p.name}: ${e}`));
    await Promise.all(this.opened.map((p) => p.context.close()));
    expect(problems, "console errors in the browsers").toEqual([]);
  }
}

export async function signInWithForm(page: Page, login: string) {
  await page.goto("/signin");
  await page.getByLabel("Username or email").fill(login);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/chat$/);
  await expect(page.getByTestId("session-status")).toHaveAttribute("data-status", "live");
}

export const test = base.extend<{ people: People }>({
  people: async ({ browser }, use, info) => {
    const people = new People(browser, info);
    await use(people);
    await people.finish();
  },
});

export { expect };
