import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { MigrateError } from "./errors.ts";

/** A migration folder as `prisma migrate` lays it out: `<timestamp>_<name>/migration.sql`. */
export interface MigrationFile {
  name: string;
  script: string;
  /** sha256 hex of the file's bytes, the same checksum `prisma migrate deploy` records. */
  checksum: string;
}

/** Reads every migration under `dir`, in name order (the order Prisma applies them). */
export async function readMigrations(dir: string): Promise<MigrationFile[]> {
  await checkLockFile(dir);
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const migrations: MigrationFile[] = [];
  for (const name of names) {
    const bytes = await readFile(join(dir, name, "migration.sql")).catch(() => {
      throw new MigrateError(`migration ${name}: migration.sql is missing`);
    });
    const checksum = createHash("sha256").update(bytes).digest("hex");
    migrations.push({ name, script: bytes.toString("utf8"), checksum });
  }
  return migrations;
}

/** Prisma refuses a migrations folder written for another provider; so do we. */
async function checkLockFile(dir: string): Promise<void> {
  const text = await readFile(join(dir, "migration_lock.toml"), "utf8").catch(() => {
    throw new MigrateError(`${dir}: migration_lock.toml is missing (is this a migrations folder?)`);
  });
  const provider = /^\s*provider\s*=\s*"([^"]*)"/m.exec(text)?.[1];
  if (provider !== "mysql") {
    throw new MigrateError(`migration_lock.toml: provider is "${provider}", expected "mysql"`);
  }
}
