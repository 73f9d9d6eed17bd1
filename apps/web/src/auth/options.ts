import "server-only";
import { Code, ConnectError } from "@connectrpc/connect";
import type { NextAuthOptions, User } from "next-auth";
import type { JWT } from "next-auth/jwt";
import CredentialsProvider from "next-auth/providers/credentials";
import { env } from "@/env";
import { userService } from "./realtime";
import { REFRESH_MARGIN_MS, refreshTokens } from "./refresh";
import { toParleyTokens } from "./session-tokens";

/** A message for the sign-in form; thrown errors reach the browser as `error`. */
function signInFailure(error: unknown): Error {
  const failure = ConnectError.from(error);
  switch (failure.code) {
    case Code.Unauthenticated:
    case Code.NotFound:
      return new Error("Wrong username or password");
    case Code.AlreadyExists:
      return new Error(failure.rawMessage || "That username or email is already taken");
    case Code.InvalidArgument:
      return new Error(failure.rawMessage || "Please check the form");
    case Code.ResourceExhausted:
      return new Error("Too many attempts. Wait a minute and try again");
    case Code.PermissionDenied:
      return new Error(failure.rawMessage || "This account is disabled");
    default:
      return new Error("Parley is unreachable right now. Try again shortly");
  }
}

function toUser(tokens: ReturnType<typeof toParleyTokens>): User {
  return { id: tokens.userId, ...tokens };
}

const loginProvider = CredentialsProvider({
  id: "login",
  name: "Username and password",
  credentials: { login: { type: "text" }, password: { type: "password" } },
  async authorize(credentials) {
    if (!credentials?.login || !credentials.password) return null;
    try {
      const response = await userService.login({
        login: credentials.login,
        password: credentials.password,
      });
      return toUser(toParleyTokens(response.account, response.session));
    } catch (error) {
      throw signInFailure(error);
    }
  },
});

/** Sign-up: `UserService.Register` creates the account and its first session in one call. */
const registerProvider = CredentialsProvider({
  id: "register",
  name: "Create an account",
  credentials: {
    username: { type: "text" },
    displayName: { type: "text" },
    email: { type: "email" },
    password: { type: "password" },
  },
  async authorize(credentials) {
    if (!credentials) return null;
    try {
      const response = await userService.register({
        username: credentials.username,
        displayName: credentials.displayName,
        email: credentials.email,
        password: credentials.password,
      });
      return toUser(toParleyTokens(response.account, response.session));
    } catch (error) {
      throw signInFailure(error);
    }
  },
});

async function keepFresh(token: JWT, force: boolean): Promise<JWT> {
  if (!token.refreshToken || token.error) return token;
  const expiresAt = token.accessTokenExpiresAt ?? 0;
  if (!force && expiresAt - Date.now() > REFRESH_MARGIN_MS) return token;
  const outcome = await refreshTokens(token.refreshToken);
  if (outcome.ok) return { ...token, ...outcome.tokens };
  // A passing fault keeps the old tokens; the next request tries again.
  return outcome.final ? { ...token, error: "RefreshFailed" } : token;
}

export const authOptions: NextAuthOptions = {
  secret: env.NEXTAUTH_SECRET,
  session: { strategy: "jwt", maxAge: 30 * 24 * 60 * 60 },
  pages: { signIn: "/signin" },
  providers: [loginProvider, registerProvider],
  callbacks: {
    async jwt({ token, user, trigger, session }) {
      if (user) {
        const { id: _id, ...tokens } = user;
        return { ...token, ...tokens, error: undefined };
      }
      // The browser forces a refresh when the realtime service refused the token it holds.
      const stale = (session as { staleAccessToken?: unknown } | undefined)?.staleAccessToken;
      const force = trigger === "update" && stale === token.accessToken;
      return keepFresh(token, force);
    },
    async session({ session, token }) {
      return {
        ...session,
        user: {
          name: token.displayName ?? null,
          image: token.avatarUrl || null,
          id: token.userId ?? "",
          username: token.username ?? "",
          displayName: token.displayName ?? "",
          avatarUrl: token.avatarUrl ?? "",
          admin: token.admin ?? false,
        },
        accessToken: token.accessToken ?? "",
        accessTokenExpiresAt: token.accessTokenExpiresAt ?? 0,
        ...(token.error ? { error: token.error } : {}),
      };
    },
  },
  events: {
    async signOut({ token }) {
      if (!token?.refreshToken) return;
      await userService.logout({ refreshToken: token.refreshToken }).catch(() => {});
    },
  },
};
