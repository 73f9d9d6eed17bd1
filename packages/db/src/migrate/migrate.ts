import { type Connection, createConnection } from "mariadb";
import { type DatabaseTarget, parseDatabaseUrl, quoteIdentifier } from "../url.ts";
import { MigrateError } from "./errors.ts";
import { type MigrationFile, readMigrations } from "./files.ts";
import {
  ensureHistoryTable,
  loadHistory,
  recordFailure,
  recordStart,
  recordSuccess,
} from "./history.ts";
import { planMigrations } from "./plan.ts";
import { splitSqlStatements } from "./split-sql.ts";

export { MigrateError } from "./errors.ts";
export { MIGRATIONS_DIR } from "./paths.ts";

/** Options for {@link migrate}. */
export interface MigrateOptions {
  /** The folder holding `migration_lock.toml` and one folder per migration. */
  migrationsDir: string;
  /** Receives one short line per step; silent when omitted. */
  log?: (line: string) => void;
  /** How long to wait for another run to finish. Prisma waits 10 s. */
  lockTimeoutSeconds?: number;
}

/** What a run did. */
export interface MigrateResult {
  applied: string[];
  alreadyApplied: number;
}

// Prisma's own lock name, so this runner and `prisma migrate deploy` exclude each other too.
const LOCK_NAME = "prisma_migrate";

/** Applies pending migrations in order, once each, recording them like `prisma migrate deploy`. */
export async function migrate(url: string, options: MigrateOptions): Promise<MigrateResult> {
  const log = options.log ?? (() => {});
  const target = parseDatabaseUrl(url);
  const files = await readMigrations(options.migrationsDir);

  const conn = await openConnection(target);
  try {
    await useDatabase(conn, target.database, log);
    return await withLock(conn, options.lockTimeoutSeconds ?? 10, () =>
      applyPending(conn, target.database, files, log),
    );
  } finally {
    await conn.end();
  }
}

/** One connection for the whole run: GET_LOCK belongs to the session that took it. */
async function openConnection(target: DatabaseTarget): Promise<Connection> {
  const { host, port, user, password } = target;
  // timezone 'Z' makes the session UTC, so CURRENT_TIMESTAMP(3) records UTC.
  return createConnection({ host, port, user, password, timezone: "Z", charset: "utf8mb4" });
}

async function useDatabase(conn: Connection, database: string, log: (l: string) => void) {
  const found: unknown[] = await conn.query(
    "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?",
    [database],
  );
  if (found.length === 0) {
    await conn.query(
      `CREATE DATABASE IF NOT EXISTS ${quoteIdentifier(database)}
         CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
    log(`created database ${database} (utf8mb4_unicode_ci)`);
  }
  await conn.query(`USE ${quoteIdentifier(database)}`);
}

async function withLock<T>(conn: Connection, seconds: number, run: () => Promise<T>): Promise<T> {
  const [row]: { got: number | bigint | null }[] = await conn.query(
    "SELECT GET_LOCK(?, ?) AS got",
    [LOCK_NAME, seconds],
  );
  if (Number(row?.got) !== 1) {
    throw new MigrateError(
      `another migration run holds the lock '${LOCK_NAME}' (waited ${seconds} s); try again later`,
    );
  }
  try {
    return await run();
  } finally {
    await conn.query("SELECT RELEASE_LOCK(?)", [LOCK_NAME]);
  }
}

async function applyPending(
  conn: Connection,
  database: string,
  files: MigrationFile[],
  log: (line: string) => void,
): Promise<MigrateResult> {
  await ensureHistoryTable(conn, database);
  const plan = planMigrations(files, await loadHistory(conn));
  for (const warning of plan.warnings) log(`warning: ${warning}`);

  if (plan.pending.length === 0) {
    log(`${database}: up to date, ${plural(plan.appliedCount)} applied earlier`);
    return { applied: [], alreadyApplied: plan.appliedCount };
  }
  log(`${database}: ${plural(plan.pending.length)} to apply`);
  for (const file of plan.pending) await applyOne(conn, file, log);
  log(`${database}: done, ${plural(plan.pending.length)} applied`);
  return { applied: plan.pending.map((f) => f.name), alreadyApplied: plan.appliedCount };
}

async function applyOne(conn: Connection, file: MigrationFile, log: (line: string) => void) {
  const started = Date.now();
  const statements = parseScript(file);
  const id = await recordStart(conn, file);
  log(`applying ${file.name} (${statements.length} statements)`);

  for (const [index, statement] of statements.entries()) {
    try {
      await conn.query(statement.sql);
    } catch (error) {
      const where = `statement ${index + 1} of ${statements.length} (line ${statement.line})`;
      const reason = `${where}: ${error instanceof Error ? error.message : String(error)}`;
      await recordFailure(conn, id, reason);
      throw new MigrateError(
        `migration ${file.name} failed at ${reason}\n` +
          "statements before it stay applied (MySQL DDL does not roll back)",
      );
    }
  }
  await recordSuccess(conn, id);
  log(`applied ${file.name} in ${Date.now() - started} ms`);
}

function parseScript(file: MigrationFile) {
  try {
    return splitSqlStatements(file.script);
  } catch (error) {
    throw new MigrateError(`migration ${file.name}: ${(error as Error).message}`);
  }
}

function plural(count: number): string {
  return count === 1 ? "1 migration" : `${count} migrations`;
}
