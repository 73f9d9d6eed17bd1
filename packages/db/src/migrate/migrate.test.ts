import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import {
  MIGRATIONS_DIR,
  type ScratchDatabase,
  scratchDatabase,
  withServer,
} from "../testing/scratch-db.ts";
import { quoteIdentifier } from "../url.ts";
import { MigrateError, migrate } from "./migrate.ts";

// Every migration the project has, in order: the tests must not need editing for a new one.
const ALL = (await readdir(MIGRATIONS_DIR, { withFileTypes: true }))
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();
const FIRST = ALL[0] ?? "";

const scratch: ScratchDatabase[] = [];
const tempDirs: string[] = [];

function newDatabase(label: string): ScratchDatabase {
  const db = scratchDatabase(label);
  scratch.push(db);
  return db;
}

/** A private copy of the real migrations folder, plus extra migrations by name. */
async function migrationsCopy(extra: Record<string, string> = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "parley-migrations-"));
  tempDirs.push(dir);
  await cp(MIGRATIONS_DIR, dir, { recursive: true });
  for (const [name, sql] of Object.entries(extra)) {
    await mkdir(join(dir, name));
    await writeFile(join(dir, name, "migration.sql"), sql);
  }
  return dir;
}

async function historyOf(db: ScratchDatabase) {
  return withServer((conn) =>
    conn.query(
      `SELECT migration_name AS name, checksum, finished_at AS finishedAt, logs,
              applied_steps_count AS steps
         FROM ${quoteIdentifier(db.name)}._prisma_migrations ORDER BY started_at, migration_name`,
    ),
  );
}

after(async () => {
  await Promise.all(scratch.map((db) => db.drop()));
  await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe("migrate", () => {
  it("creates a missing database as utf8mb4 and records each migration like Prisma", async () => {
    const db = newDatabase("fresh");
    const lines: string[] = [];
    const result = await migrate(db.url, {
      migrationsDir: MIGRATIONS_DIR,
      log: (l) => lines.push(l),
    });

    assert.deepEqual(result, { applied: ALL, alreadyApplied: 0 });
    assert.match(lines[0] ?? "", /^created database parley_test_fresh_/);
    const [schema] = await withServer((conn) =>
      conn.query(
        `SELECT DEFAULT_COLLATION_NAME AS collation
           FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?`,
        [db.name],
      ),
    );
    assert.equal(schema.collation, "utf8mb4_unicode_ci");

    const file = await readFile(join(MIGRATIONS_DIR, FIRST, "migration.sql"));
    const [row] = await historyOf(db);
    assert.equal(row.checksum, createHash("sha256").update(file).digest("hex"));
    assert.ok(row.finishedAt instanceof Date);
    assert.equal(row.logs, null);
    assert.equal(Number(row.steps), 1);
  });

  it("does nothing the second time, and applies only what is new", async () => {
    const db = newDatabase("twice");
    await migrate(db.url, { migrationsDir: MIGRATIONS_DIR });
    const again = await migrate(db.url, { migrationsDir: MIGRATIONS_DIR });
    assert.deepEqual(again, { applied: [], alreadyApplied: ALL.length });
    assert.equal((await historyOf(db)).length, ALL.length);

    const dir = await migrationsCopy({ "29990101000000_more": "CREATE TABLE extra (id INT);\n" });
    const more = await migrate(db.url, { migrationsDir: dir });
    assert.deepEqual(more, { applied: ["29990101000000_more"], alreadyApplied: ALL.length });
  });

  it("refuses to go on when an applied migration's file has changed", async () => {
    const db = newDatabase("changed");
    const dir = await migrationsCopy();
    await migrate(db.url, { migrationsDir: dir });
    const file = join(dir, FIRST, "migration.sql");
    await writeFile(file, `${await readFile(file, "utf8")}\n-- an edit after the fact\n`);

    await assert.rejects(
      migrate(db.url, { migrationsDir: dir }),
      (error: Error) =>
        error instanceof MigrateError && error.message.includes(`${FIRST} was changed`),
    );
  });

  it("records a failed migration and refuses to run past it", async () => {
    const db = newDatabase("failed");
    const broken = "CREATE TABLE half (id INT);\nINSERT INTO no_such_table VALUES (1);\n";
    const dir = await migrationsCopy({ "29990101000000_broken": broken });

    await assert.rejects(migrate(db.url, { migrationsDir: dir }), (error: Error) => {
      assert.ok(error instanceof MigrateError);
      assert.match(error.message, /29990101000000_broken failed at statement 2 of 2 \(line 2\)/);
      return true;
    });
    const rows = await historyOf(db);
    const failed = rows[ALL.length];
    assert.equal(failed.name, "29990101000000_broken");
    assert.equal(failed.finishedAt, null);
    assert.match(failed.logs, /no_such_table/);

    await assert.rejects(
      migrate(db.url, { migrationsDir: dir }),
      /migration 29990101000000_broken failed in an earlier run/,
    );
  });

  it("refuses a database that has tables but no migration history", async () => {
    const db = newDatabase("foreign");
    await withServer(async (conn) => {
      await conn.query(`CREATE DATABASE ${quoteIdentifier(db.name)}`);
      await conn.query(`CREATE TABLE ${quoteIdentifier(db.name)}.someone_elses (id INT)`);
    });
    await assert.rejects(
      migrate(db.url, { migrationsDir: MIGRATIONS_DIR }),
      /has 1 tables but no _prisma_migrations table/,
    );
  });

  it("lets one runner at a time work: the second waits, then finds nothing to do", async () => {
    const db = newDatabase("race");
    const results = await Promise.all([
      migrate(db.url, { migrationsDir: MIGRATIONS_DIR }),
      migrate(db.url, { migrationsDir: MIGRATIONS_DIR }),
    ]);
    const applied = results.flatMap((r) => r.applied);
    assert.deepEqual(applied, ALL);
    assert.equal((await historyOf(db)).length, ALL.length);
  });

  it("gives up with a clear message while another session holds the lock", async () => {
    const db = newDatabase("locked");
    await withServer(async (holder) => {
      await holder.query("SELECT GET_LOCK('prisma_migrate', 10)");
      await assert.rejects(
        migrate(db.url, { migrationsDir: MIGRATIONS_DIR, lockTimeoutSeconds: 1 }),
        /another migration run holds the lock 'prisma_migrate'/,
      );
    });
  });
});
