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

/** Which unique field a Prisma P2002 error is about, if it is one (read from the key's name). */
export function uniqueViolation(error: unknown, fields: string[]): string | undefined {
  const e = error as { code?: string; meta?: Record<string, unknown> };
  if (e?.code !== "P2002") return undefined;
  const adapter = e.meta?.driverAdapterError as { cause?: { constraint?: unknown } } | undefined;
  // Only the key, never the message: Prisma's message quotes the calling source code.
  const key = JSON.stringify([e.meta?.target ?? null, adapter?.cause?.constraint ?? null]);
  return fields.find((f) => key.includes(`_${f}_`) || key.includes(`"${f}"`)) ?? fields[0];
}

/** `?, ?, ?` for an IN list of n values. */
export function placeholders(n: number): string {
  return Array.from({ length: n }, () => "?").join(", ");
}
