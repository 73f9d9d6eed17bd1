import "server-only";
import { Code, ConnectError } from "@connectrpc/connect";
import { UserRole } from "@parley/proto";
import { userService } from "@/auth/realtime";

export type AdminCheck = "admin" | "denied" | "unavailable";

/**
 * Asks the realtime service for the caller's current role: the session cookie only remembers
 * the role at sign-in, and a demoted admin must lose the dashboard at once.
 */
export async function checkAdmin(accessToken: string): Promise<AdminCheck> {
  try {
    const { account } = await userService.getMe(
      {},
      { headers: { authorization: `Bearer ${accessToken}` }, timeoutMs: 5_000 },
    );
    return account?.role === UserRole.ADMIN ? "admin" : "denied";
  } catch (error) {
    const code = ConnectError.from(error).code;
    return code === Code.Unauthenticated || code === Code.PermissionDenied
      ? "denied"
      : "unavailable";
  }
}
