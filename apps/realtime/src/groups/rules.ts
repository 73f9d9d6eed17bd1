import type { GroupRole } from "@parley/db";
import { denied, invalid } from "../errors.ts";
import { checkText } from "../messages/validate.ts";

export const NAME_MAX_CHARS = 64;

/** Group names: one line of 1-64 characters. */
export function validateGroupName(value: string): string {
  const name = value.trim();
  if (!name) throw invalid("name", "empty");
  checkText("name", name, NAME_MAX_CHARS, NAME_MAX_CHARS * 4);
  if (/[\n\t]/.test(name)) throw invalid("name", "must be one line");
  return name;
}

/** Refuses unless the caller's role is one of `allowed`; `action` completes "only … can". */
export function requireRole(role: GroupRole, allowed: GroupRole[], action: string) {
  if (allowed.includes(role)) return;
  const who = allowed.includes("admin") ? "the owner and admins" : "the owner";
  throw denied(`only ${who} can ${action}`);
}

/** The owner manages admins and members; an admin manages members only; nobody the owner. */
export function requireOutranks(actor: GroupRole, target: GroupRole) {
  if (target === "owner") throw denied("user_id: nobody can do this to the owner");
  if (actor === "admin" && target === "admin") {
    throw denied("user_id: admins can only manage members; ask the owner");
  }
}
