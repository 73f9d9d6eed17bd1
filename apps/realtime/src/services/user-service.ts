import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { ServiceImpl } from "@connectrpc/connect";
import {
  ConflictError,
  createRefreshToken,
  createUser,
  endAllSessions,
  findPresenceWatchers,
  findUserForLogin,
  findUsersByIds,
  getAccount,
  newId,
  revokeFamilyOf,
  rotateRefreshToken,
  searchUsers,
  updateProfile,
} from "@parley/db";
import { AccountSchema, SessionSchema, UserRole, type UserService } from "@parley/proto";
import { clientAddress, principalOf } from "../auth/context.ts";
import { hashPassword, verifyPassword } from "../auth/passwords.ts";
import { hashRefreshToken, newRefreshToken, type Role } from "../auth/tokens.ts";
import { conflict, denied, exhausted, invalid, unauthenticated } from "../errors.ts";
import { toUser, type UserRow } from "../messages/convert.ts";
import { requireId } from "../messages/validate.ts";
import type { Runtime } from "../runtime.ts";
import {
  validateAvatarUrl,
  validateDisplayName,
  validateEmail,
  validatePassword,
  validateUsername,
} from "./account-rules.ts";

type AccountRow = UserRow & { email: string; role: Role };

function toAccount(row: AccountRow) {
  const role = row.role === "admin" ? UserRole.ADMIN : UserRole.USER;
  return create(AccountSchema, { user: toUser(row), email: row.email, role });
}

/** Starts a session: a new refresh-token family and a first access token. */
async function startSession(rt: Runtime, userId: string, role: Role, familyId = newId()) {
  const refreshToken = newRefreshToken();
  const refreshExpires = new Date(Date.now() + rt.config.REFRESH_TOKEN_TTL_SECONDS * 1000);
  await createRefreshToken(rt.db, {
    id: newId(),
    userId,
    familyId,
    tokenHash: hashRefreshToken(refreshToken),
    expiresAt: refreshExpires,
  });
  return sessionOf(rt, userId, role, familyId, refreshToken, refreshExpires);
}

async function sessionOf(
  rt: Runtime,
  userId: string,
  role: Role,
  familyId: string,
  refreshToken: string,
  refreshExpires: Date,
) {
  const access = await rt.signer.issue(userId, role, familyId);
  return create(SessionSchema, {
    accessToken: access.token,
    accessTokenExpiresAt: timestampFromDate(new Date(access.expiresAt)),
    refreshToken,
    refreshTokenExpiresAt: timestampFromDate(refreshExpires),
  });
}

export function userService(rt: Runtime): ServiceImpl<typeof UserService> {
  return {
    async register(req) {
      const username = validateUsername(req.username);
      const displayName = validateDisplayName(req.displayName || req.username);
      const email = validateEmail(req.email);
      validatePassword(req.password);
      const passwordHash = await hashPassword(req.password);
      try {
        const row = await createUser(rt.db, {
          id: newId(),
          username,
          displayName,
          email,
          passwordHash,
        });
        const session = await startSession(rt, row.id, row.role);
        return { account: toAccount(row), session };
      } catch (error) {
        if (error instanceof ConflictError) throw conflict(`${error.field}: already taken`);
        throw error;
      }
    },

    async login(req, ctx) {
      const login = req.login.trim().toLowerCase();
      if (!login) throw invalid("login", "empty");
      const allowed = await Promise.all([
        rt.loginLimiter.hit(`user:${login}`),
        rt.addressLimiter.hit(`addr:${clientAddress(ctx, rt.config.TRUST_PROXY)}`),
      ]);
      if (allowed.includes(false)) throw exhausted("too many sign-in attempts; wait a minute");
      const row = await findUserForLogin(rt.db, login);
      const ok = await verifyPassword(row?.passwordHash, req.password);
      if (!row || !ok) throw unauthenticated("wrong username or password");
      if (row.bannedAt) throw denied("account banned");
      const session = await startSession(rt, row.id, row.role);
      return { account: toAccount(row), session };
    },

    async refresh(req) {
      const next = newRefreshToken();
      const expiresAt = new Date(Date.now() + rt.config.REFRESH_TOKEN_TTL_SECONDS * 1000);
      const rotation = await rotateRefreshToken(rt.db, hashRefreshToken(req.refreshToken), {
        id: newId(),
        tokenHash: hashRefreshToken(next),
        expiresAt,
      });
      if (rotation.outcome === "invalid")
        throw unauthenticated("refresh token: invalid or expired");
      if (rotation.outcome === "reused") {
        rt.log.warn({ userId: rotation.userId }, "refresh token reused; family revoked");
        throw unauthenticated("refresh token: already used; signed out for safety");
      }
      const account = await getAccount(rt.db, rotation.userId);
      if (account.bannedAt) throw denied("account banned");
      const session = await sessionOf(
        rt,
        account.id,
        account.role,
        rotation.familyId,
        next,
        expiresAt,
      );
      return { account: toAccount(account), session };
    },

    async logout(req) {
      const token = await revokeFamilyOf(rt.db, hashRefreshToken(req.refreshToken));
      if (token && req.allDevices) {
        await endAllSessions(rt.db, token.userId, new Date());
        await rt.publisher.control({ type: "user-changed", userId: token.userId });
        await rt.publisher.controlUser(token.userId, {
          type: "end",
          code: "unauthenticated",
          reason: "signed out",
        });
      }
      return {};
    },

    async getMe(_req, ctx) {
      return { account: toAccount(await getAccount(rt.db, principalOf(ctx).userId)) };
    },

    async updateProfile(req, ctx) {
      const changes: { displayName?: string; avatarUrl?: string | null } = {};
      if (req.displayName !== undefined) changes.displayName = validateDisplayName(req.displayName);
      if (req.avatarUrl !== undefined) changes.avatarUrl = validateAvatarUrl(req.avatarUrl);
      const row = await updateProfile(rt.db, principalOf(ctx).userId, changes);
      return { account: toAccount(row) };
    },

    async getUsers(req, ctx) {
      if (req.userIds.length > 200) throw invalid("user_ids", "at most 200");
      const ids = req.userIds.map((id, i) => requireId(`user_ids[${i}]`, id));
      const users = await findUsersByIds(rt.db, ids);
      const me = principalOf(ctx).userId;
      const visible = new Set([...(await findPresenceWatchers(rt.db, me)), me]);
      const presences = await rt.presence.describe(
        users.map((u) => u.id).filter((id) => visible.has(id)),
      );
      return { users: users.map(toUser), presences };
    },

    async searchUsers(req) {
      const query = req.query.trim().toLowerCase();
      if (query.length < 1) throw invalid("query", "empty");
      if (query.length > 64) throw invalid("query", "longer than 64 characters");
      const limit = Math.min(req.limit || 20, 50);
      return { users: (await searchUsers(rt.db, query, limit)).map(toUser) };
    },
  };
}
