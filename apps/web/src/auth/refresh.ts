import "server-only";
import { Code, ConnectError } from "@connectrpc/connect";
import { userService } from "./realtime";
import { type ParleyTokens, toParleyTokens } from "./session-tokens";

/** Refresh this long before the access token expires, so no call goes out with a stale one. */
export const REFRESH_MARGIN_MS = 60_000;

/**
 * How long the outcome of a refresh is remembered for requests still carrying the old cookie:
 * several tabs asking at once must get the same new tokens, because the refresh token is
 * single-use and presenting it twice would revoke the whole session.
 */
const REMEMBER_MS = 60_000;

export type RefreshOutcome = { ok: true; tokens: ParleyTokens } | { ok: false; final: boolean };

const inflight = new Map<string, Promise<RefreshOutcome>>();
const recent = new Map<string, { outcome: RefreshOutcome; at: number }>();

/**
 * Trades a refresh token for new tokens, once per refresh token in this server process.
 * `final` failures mean the session is over (revoked, expired, banned); others may pass.
 */
export function refreshTokens(refreshToken: string): Promise<RefreshOutcome> {
  forgetOld();
  const remembered = recent.get(refreshToken);
  if (remembered) return Promise.resolve(remembered.outcome);
  const running = inflight.get(refreshToken);
  if (running) return running;

  const attempt = callRefresh(refreshToken).then((outcome) => {
    inflight.delete(refreshToken);
    if (outcome.ok || outcome.final) recent.set(refreshToken, { outcome, at: Date.now() });
    return outcome;
  });
  inflight.set(refreshToken, attempt);
  return attempt;
}

async function callRefresh(refreshToken: string): Promise<RefreshOutcome> {
  try {
    const response = await userService.refresh({ refreshToken }, { timeoutMs: 10_000 });
    return { ok: true, tokens: toParleyTokens(response.account, response.session) };
  } catch (error) {
    const code = ConnectError.from(error).code;
    const final = code === Code.Unauthenticated || code === Code.PermissionDenied;
    return { ok: false, final };
  }
}

function forgetOld(): void {
  const cutoff = Date.now() - REMEMBER_MS;
  for (const [key, value] of recent) if (value.at < cutoff) recent.delete(key);
}
