import { createContextKey, type HandlerContext, type Interceptor } from "@connectrpc/connect";
import { unauthenticated } from "../errors.ts";
import type { AccessGuard } from "./access-guard.ts";
import type { Principal, TokenSigner } from "./tokens.ts";

const principalKey = createContextKey<Principal | undefined>(undefined);

// Calls that work without an access token: they are how a client gets one.
const PUBLIC_METHODS = new Set(["Register", "Login", "Refresh", "Logout", "Check"]);

/** Verifies the Bearer token on every call except the public ones, and refuses banned users. */
export function authInterceptor(signer: TokenSigner, guard: AccessGuard): Interceptor {
  return (next) => async (req) => {
    if (PUBLIC_METHODS.has(req.method.name)) return next(req);
    const header = req.header.get("authorization") ?? "";
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) throw unauthenticated("authorization: missing Bearer access token");
    const principal = await signer.verify(match[1]);
    await guard.assertAllowed(principal);
    req.contextValues.set(principalKey, principal);
    return next(req);
  };
}

/** The caller of an authenticated call. */
export function principalOf(ctx: HandlerContext): Principal {
  const principal = ctx.values.get(principalKey);
  if (!principal) throw unauthenticated();
  return principal;
}

/** Set by the HTTP layer from the socket; a client cannot forge it (it is overwritten). */
export const PEER_HEADER = "x-parley-peer";

/** The caller's address, for per-address limits; X-Forwarded-For only behind a trusted proxy. */
export function clientAddress(ctx: HandlerContext, trustProxy: boolean): string {
  const forwarded = ctx.requestHeader.get("x-forwarded-for")?.split(",")[0]?.trim();
  if (trustProxy && forwarded) return forwarded;
  return ctx.requestHeader.get(PEER_HEADER) ?? "unknown";
}
