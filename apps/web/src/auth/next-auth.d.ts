import type { DefaultSession } from "next-auth";
import type { ParleyTokens } from "./session-tokens";

declare module "next-auth" {
  interface User extends ParleyTokens {
    id: string;
  }

  /** What the browser reads from `/api/auth/session`: never the refresh token. */
  interface Session {
    user: DefaultSession["user"] & {
      id: string;
      username: string;
      displayName: string;
      avatarUrl: string;
      admin: boolean;
    };
    accessToken: string;
    accessTokenExpiresAt: number;
    /** Set when the session could not be refreshed: the browser signs out. */
    error?: "RefreshFailed";
  }
}

declare module "next-auth/jwt" {
  interface JWT extends Partial<ParleyTokens> {
    error?: "RefreshFailed";
  }
}
