import { Code, ConnectError } from "@connectrpc/connect";
import type { TokenSource } from "@parley/client";
import type { Session } from "next-auth";

/** Ask for a new token when the one held expires within this margin. */
const EXPIRY_MARGIN_MS = 30_000;

/**
 * Access tokens for the browser, from next-auth's session endpoint. The refresh token never
 * leaves the server: next-auth's `jwt` callback refreshes it, once for all tabs.
 */
export class SessionTokenSource implements TokenSource {
  private token = "";
  private expiresAt = 0;

  constructor(initial?: { accessToken: string; accessTokenExpiresAt: number }) {
    if (initial) this.remember(initial.accessToken, initial.accessTokenExpiresAt);
  }

  async getAccessToken(): Promise<string> {
    if (this.token && this.expiresAt - Date.now() > EXPIRY_MARGIN_MS) return this.token;
    return this.load(await fetchSession());
  }

  async refresh(): Promise<string> {
    const stale = this.token;
    const csrf = await fetchJson<{ csrfToken: string }>("/api/auth/csrf");
    const session = await fetchJson<Session | null>("/api/auth/session", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ csrfToken: csrf.csrfToken, data: { staleAccessToken: stale } }),
    });
    return this.load(session);
  }

  private load(session: Session | null): string {
    if (!session?.accessToken || session.error) {
      throw new ConnectError("your session has ended", Code.Unauthenticated);
    }
    this.remember(session.accessToken, session.accessTokenExpiresAt);
    return this.token;
  }

  private remember(token: string, expiresAt: number): void {
    this.token = token;
    this.expiresAt = expiresAt;
  }
}

function fetchSession(): Promise<Session | null> {
  return fetchJson<Session | null>("/api/auth/session", { cache: "no-store" });
}

async function fetchJson<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, { credentials: "same-origin", ...init });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  const body = (await response.json()) as T | Record<string, never>;
  // next-auth answers `{}` when there is no session.
  if (body && typeof body === "object" && Object.keys(body).length === 0) return null as T;
  return body as T;
}
