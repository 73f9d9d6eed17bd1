import { invalid } from "../errors.ts";
import { requireId } from "../messages/validate.ts";

/**
 * Keyset paging: a page token is the last id of the previous page, base64url-encoded so that
 * clients treat it as opaque.
 */
export function encodePageToken(lastId: string | undefined): string {
  return lastId ? Buffer.from(lastId).toString("base64url") : "";
}

/** The id a page token stands for, or undefined for the first page. */
export function decodePageToken(field: string, token: string): string | undefined {
  if (!token) return undefined;
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(token)) throw invalid(field, "not a valid page token");
  try {
    return requireId(field, Buffer.from(token, "base64url").toString());
  } catch {
    throw invalid(field, "not a valid page token");
  }
}

/** Page sizes: `fallback` when unset, at most `max`. */
export function pageSize(field: string, requested: number, fallback: number, max: number): number {
  if (requested > max) throw invalid(field, `at most ${max}`);
  return requested || fallback;
}
