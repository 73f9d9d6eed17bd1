import type { HandlerContext } from "@connectrpc/connect";
import { principalOf } from "../auth/context.ts";
import type { Principal } from "../auth/tokens.ts";
import type { Runtime } from "../runtime.ts";

/**
 * The caller of an admin call, or PERMISSION_DENIED. The role is read from the database state
 * the access guard caches, never only from the token, so a demoted admin is refused at once.
 */
export async function requireAdmin(rt: Runtime, ctx: HandlerContext): Promise<Principal> {
  const principal = principalOf(ctx);
  await rt.guard.assertAdmin(principal);
  return principal;
}
