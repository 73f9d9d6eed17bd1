import { invalid } from "../errors.ts";
import { checkText } from "../messages/validate.ts";

// The audit log's reason column holds 500 characters.
const REASON_CHARS = 500;

/** A reason an admin gave: required, trimmed, at most 500 characters. */
export function requireReason(field: string, value: string): string {
  const reason = value.trim();
  if (!reason) throw invalid(field, "empty");
  checkText(field, reason, REASON_CHARS, REASON_CHARS * 4);
  return reason;
}
