import { randomUUID } from "node:crypto";
import type { Connection } from "mariadb";
import { MigrateError } from "./errors.ts";
import type { MigrationFile } from "./files.ts";

/** One row of `_prisma_migrations`. */
export interface HistoryRow {
  id: string;
  checksum: string;
  migrationName: string;
  startedAt: Date;
  finishedAt: Date | null;
  rolledBackAt: Date | null;
}

// The same table `prisma migrate deploy` creates on MySQL, so either tool can take over.
const CREATE_HISTORY_TABLE = `CREATE TABLE IF NOT EXISTS \`_prisma_migrations\` (
    \`id\` VARCHAR(36) NOT NULL,
    \`checksum\` VARCHAR(64) NOT NULL,
    \`finished_at\` DATETIME(3) NULL,
    \`migration_name\` VARCHAR(255) NOT NULL,
    \`logs\` TEXT NULL,
    \`rolled_back_at\` DATETIME(3) NULL,
    \`started_at\` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    \`applied_steps_count\` INTEGER UNSIGNED NOT NULL DEFAULT 0,

    PRIMARY KEY (\`id\`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`;

/** Creates the history table; refuses a database that has tables but no history (baseline it). */
export async function ensureHistoryTable(conn: Connection, database: string): Promise<void> {
  const tables: { name: string }[] = await conn.query(
    "SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?",
    [database],
  );
  if (tables.some((t) => t.name === "_prisma_migrations")) return;
  if (tables.length > 0) {
    throw new MigrateError(
      `database ${database} has ${tables.length} tables but no _prisma_migrations table: ` +
        "it was not created by these migrations; baseline it or use an empty database",
    );
  }
  await conn.query(CREATE_HISTORY_TABLE);
}

/** Every recorded attempt, oldest first. */
export async function loadHistory(conn: Connection): Promise<HistoryRow[]> {
  return conn.query(
    `SELECT id, checksum, migration_name AS migrationName, started_at AS startedAt,
            finished_at AS finishedAt, rolled_back_at AS rolledBackAt
       FROM _prisma_migrations ORDER BY started_at, migration_name`,
  );
}

/** Records that a migration has started; returns the row id. */
export async function recordStart(conn: Connection, migration: MigrationFile): Promise<string> {
  const id = randomUUID();
  await conn.query(
    `INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, applied_steps_count)
     VALUES (?, ?, ?, CURRENT_TIMESTAMP(3), 0)`,
    [id, migration.checksum, migration.name],
  );
  return id;
}

/** Marks the attempt finished; like Prisma, a whole script counts as one step. */
export async function recordSuccess(conn: Connection, id: string): Promise<void> {
  await conn.query(
    `UPDATE _prisma_migrations
        SET finished_at = CURRENT_TIMESTAMP(3), applied_steps_count = 1 WHERE id = ?`,
    [id],
  );
}

/** Keeps the error in `logs` and leaves `finished_at` NULL, which blocks later runs. */
export async function recordFailure(conn: Connection, id: string, logs: string): Promise<void> {
  await conn.query("UPDATE _prisma_migrations SET logs = ? WHERE id = ?", [logs, id]);
}
