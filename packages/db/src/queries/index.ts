/** Data access, one verb-first function per query. */
export * from "./admin.ts";
export * from "./blocks.ts";
export * from "./conversations.ts";
export * from "./errors.ts";
export * from "./friends.ts";
export * from "./groups.ts";
export * from "./messages.ts";
export * from "./refresh-tokens.ts";
export * from "./relations.ts";
export * from "./uploads.ts";
export * from "./users.ts";
