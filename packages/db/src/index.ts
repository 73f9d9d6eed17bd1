import { PrismaMariaDb } from "@prisma/adapter-mariadb";
import { PrismaClient } from "./gen/prisma/client.ts";
import { parseDatabaseUrl } from "./url.ts";

// The generated client (`npm run generate -w @parley/db`): PrismaClient, Prisma, models, enums.
export * from "./gen/prisma/client.ts";
export { newId, timeOfId } from "./ids.ts";
export { type DatabaseTarget, parseDatabaseUrl } from "./url.ts";

/** Options for {@link createPrisma}. */
export interface CreatePrismaOptions {
  /** Connections in the pool (default 10). */
  poolSize?: number;
}

/** Creates a PrismaClient over the MariaDB driver adapter (no Rust engine), in UTC and utf8mb4. */
export function createPrisma(url: string, options: CreatePrismaOptions = {}): PrismaClient {
  const { host, port, user, password, database } = parseDatabaseUrl(url);
  const adapter = new PrismaMariaDb({
    host,
    port,
    user,
    password,
    database,
    connectionLimit: options.poolSize ?? 10,
    // The adapter already writes and reads DateTime as UTC; a UTC session makes the
    // database's own CURRENT_TIMESTAMP defaults agree, whatever the server's time_zone.
    timezone: "Z",
    charset: "utf8mb4",
  });
  return new PrismaClient({ adapter });
}

export { MigrateError, migrate } from "./migrate/migrate.ts";
export * from "./queries/index.ts";
export {
  createMessageStore,
  type IncomingMessage,
  type MessageStore,
  type PersistResult,
  type StoredMessage,
} from "./store/message-store.ts";
