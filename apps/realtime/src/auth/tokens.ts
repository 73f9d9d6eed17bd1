import { createHash, randomBytes } from "node:crypto";
import { errors, jwtVerify, SignJWT } from "jose";
import { unauthenticated } from "../errors.ts";

export type Role = "user" | "admin";

/** What a verified access token says about its bearer. */
export interface Principal {
  userId: string;
  role: Role;
  /** Session family, so a logout can be tied to the tokens it issued. */
  familyId: string;
  issuedAt: number;
  /** Expiry in milliseconds since the epoch. */
  expiresAt: number;
}

const ISSUER = "parley";
const AUDIENCE = "parley-realtime";
// Verified tokens remembered; at this size the oldest go first.
const VERIFIED_MAX = 100_000;

export class TokenSigner {
  private readonly key: Uint8Array;
  /**
   * Tokens already verified, until they expire. Every call carries the token, and checking
   * its HMAC through WebCrypto was the largest single cost of Send (13 % of the service's CPU
   * under bench direct). The answer cannot change before expiry: revocation and bans are
   * checked per call by AccessGuard, not here.
   */
  private readonly verified = new Map<string, Principal>();

  constructor(
    secret: string,
    private readonly ttlSeconds: number,
  ) {
    this.key = new TextEncoder().encode(secret);
  }

  /** Issues a short-lived access token (HS256 JWT). */
  async issue(userId: string, role: Role, familyId: string) {
    const nowMs = Date.now();
    const now = Math.floor(nowMs / 1000);
    const expiresAt = (now + this.ttlSeconds) * 1000;
    // `iat` has whole seconds; revocation compares milliseconds, so a session started in the
    // same second after a sign-out-everywhere is not refused with the old ones.
    const token = await new SignJWT({ role, fam: familyId, iatms: nowMs })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(userId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(now + this.ttlSeconds)
      .sign(this.key);
    return { token, expiresAt };
  }

  /** Verifies signature, issuer, audience and expiry; any failure is UNAUTHENTICATED. */
  async verify(token: string): Promise<Principal> {
    const known = this.verified.get(token);
    if (known) {
      if (Date.now() < known.expiresAt) return known;
      this.verified.delete(token);
      throw unauthenticated("access token: expired");
    }
    const principal = await this.verifySignature(token);
    if (this.verified.size >= VERIFIED_MAX) {
      const oldest = this.verified.keys().next().value;
      if (oldest !== undefined) this.verified.delete(oldest);
    }
    this.verified.set(token, principal);
    return principal;
  }

  private async verifySignature(token: string): Promise<Principal> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: ["HS256"],
      });
      const role = payload.role === "admin" ? "admin" : "user";
      if (!payload.sub || typeof payload.fam !== "string" || !payload.exp || !payload.iat) {
        throw unauthenticated("access token: missing claims");
      }
      return {
        userId: payload.sub,
        role,
        familyId: payload.fam,
        issuedAt: typeof payload.iatms === "number" ? payload.iatms : payload.iat * 1000,
        expiresAt: payload.exp * 1000,
      };
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw unauthenticated("access token: expired");
      if (error instanceof errors.JOSEError) throw unauthenticated("access token: invalid");
      throw error;
    }
  }
}

/** A new opaque refresh token: 256 random bits, URL-safe. */
export function newRefreshToken(): string {
  return randomBytes(32).toString("base64url");
}

/** Refresh tokens are stored only as their SHA-256. */
export function hashRefreshToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
