import { invalid } from "../errors.ts";
import { checkText } from "../messages/validate.ts";

const USERNAME = /^[a-z0-9_]{3,32}$/;
// Deliberately plain: one @, no spaces, a dot in the domain. Delivery proves the rest.
const EMAIL = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]+$/;

/** Usernames are 3-32 of a-z, 0-9 and _, compared without case (stored lowercase). */
export function validateUsername(value: string): string {
  const username = value.trim().toLowerCase();
  if (!USERNAME.test(username)) throw invalid("username", "3-32 characters of a-z, 0-9 and _");
  return username;
}

export function validateDisplayName(value: string): string {
  const name = value.trim();
  if (!name) throw invalid("display_name", "empty");
  checkText("display_name", name, 64, 256);
  if (/[\n\t]/.test(name)) throw invalid("display_name", "must be one line");
  return name;
}

export function validateEmail(value: string): string {
  const email = value.trim().toLowerCase();
  if (email.length > 254 || !EMAIL.test(email)) throw invalid("email", "not an email address");
  return email;
}

export function validatePassword(value: string): void {
  if ([...value].length < 8) throw invalid("password", "at least 8 characters");
  if (Buffer.byteLength(value) > 1024) throw invalid("password", "longer than 1024 bytes");
}

/** Only http(s) avatars, so a profile can never carry a javascript: or data: URL. */
export function validateAvatarUrl(value: string): string | null {
  const url = value.trim();
  if (!url) return null;
  if (url.length > 1024) throw invalid("avatar_url", "longer than 1024 characters");
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalid("avatar_url", "not a URL");
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    throw invalid("avatar_url", "must be http or https");
  }
  return parsed.toString();
}
