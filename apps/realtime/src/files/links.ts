import { createHmac, timingSafeEqual } from "node:crypto";

// Long enough to render a conversation and start a download, short enough that a leaked
// link (history, logs, a Referer) soon stops working.
export const LINK_TTL_SECONDS = 600;

/**
 * Signed download links: /files/{id}?u={userId}&exp={unix seconds}&sig={HMAC}. A link speaks
 * for one user and one file until it expires; the download still checks that user's access.
 */
export class DownloadLinks {
  private readonly key: Buffer;

  constructor(secret: string) {
    // A key of its own, so a link signature can never pass for an access token's.
    this.key = createHmac("sha256", secret).update("parley download links v1").digest();
  }

  issue(fileId: string, userId: string, now = Date.now()) {
    const exp = Math.floor(now / 1000) + LINK_TTL_SECONDS;
    const query = new URLSearchParams({
      u: userId,
      exp: String(exp),
      sig: this.sign(fileId, userId, exp),
    });
    return { path: `/files/${fileId}?${query}`, expiresAt: new Date(exp * 1000) };
  }

  /** The user a valid, unexpired link was issued to, and when it was issued; else undefined. */
  verify(fileId: string, query: URLSearchParams, now = Date.now()) {
    const userId = query.get("u") ?? "";
    const exp = Number(query.get("exp"));
    const given = Buffer.from(query.get("sig") ?? "", "base64url");
    if (!userId || !Number.isSafeInteger(exp) || exp * 1000 <= now) return undefined;
    const expected = Buffer.from(this.sign(fileId, userId, exp), "base64url");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    return { userId, issuedAt: (exp - LINK_TTL_SECONDS) * 1000 };
  }

  private sign(fileId: string, userId: string, exp: number): string {
    return createHmac("sha256", this.key)
      .update(`${fileId}\n${userId}\n${exp}`)
      .digest("base64url");
  }
}
