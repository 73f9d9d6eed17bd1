import { timestampMs } from "@bufbuild/protobuf/wkt";
import type { Account, Session } from "@parley/proto";
import { UserRole } from "@parley/proto";

/** What the next-auth JWT (an encrypted, http-only cookie) keeps about a signed-in user. */
export interface ParleyTokens {
  userId: string;
  username: string;
  displayName: string;
  avatarUrl: string;
  admin: boolean;
  accessToken: string;
  /** Epoch milliseconds. */
  accessTokenExpiresAt: number;
  refreshToken: string;
}

export function toParleyTokens(account: Account | undefined, session: Session | undefined) {
  if (!account?.user || !session) throw new Error("the realtime service returned no session");
  const tokens: ParleyTokens = {
    userId: account.user.id,
    username: account.user.username,
    displayName: account.user.displayName,
    avatarUrl: account.user.avatarUrl,
    admin: account.role === UserRole.ADMIN,
    accessToken: session.accessToken,
    accessTokenExpiresAt: session.accessTokenExpiresAt
      ? timestampMs(session.accessTokenExpiresAt)
      : Date.now() + 60_000,
    refreshToken: session.refreshToken,
  };
  return tokens;
}
