/** A query found no row where one was required. */
export class NotFoundError extends Error {
  constructor(readonly entity: string) {
    super(`${entity} not found`);
    this.name = "NotFoundError";
  }
}

/** A unique key refused a write; `field` names the key that clashed. */
export class ConflictError extends Error {
  constructor(readonly field: string) {
    super(`${field} already taken`);
    this.name = "ConflictError";
  }
}

/** Which unique field a Prisma P2002 error is about, if it is one. */
export function uniqueViolation(error: unknown, fields: string[]): string | undefined {
  const e = error as { code?: string; meta?: Record<string, unknown>; message?: string };
  if (e?.code !== "P2002") return undefined;
  const text = JSON.stringify(e.meta ?? {}) + String(e.message ?? "");
  return fields.find((field) => text.includes(field)) ?? fields[0];
}

/** `?, ?, ?` for an IN list of n values. */
export function placeholders(n: number): string {
  return Array.from({ length: n }, () => "?").join(", ");
}
