import { MigrateError } from "./errors.ts";
import type { MigrationFile } from "./files.ts";
import type { HistoryRow } from "./history.ts";

/** What a run will do: the migrations still to apply, and how many are already in place. */
export interface MigrationPlan {
  pending: MigrationFile[];
  appliedCount: number;
  warnings: string[];
}

/**
 * Compares the folder with the recorded history. Refuses when an earlier attempt failed
 * (MySQL DDL cannot roll back, so the schema may be half changed) or when an applied
 * migration's file no longer matches its checksum.
 */
export function planMigrations(files: MigrationFile[], history: HistoryRow[]): MigrationPlan {
  const failed = history.find((row) => row.finishedAt === null && row.rolledBackAt === null);
  if (failed) {
    throw new MigrateError(
      `migration ${failed.migrationName} failed in an earlier run (started ` +
        `${failed.startedAt.toISOString()}); the database may be half migrated. Repair it by ` +
        "hand, then set finished_at (done) or rolled_back_at (retry) on its _prisma_migrations row",
    );
  }

  const applied = history.filter((row) => row.rolledBackAt === null);
  const byName = new Map(files.map((file) => [file.name, file]));
  const warnings: string[] = [];
  for (const row of applied) {
    const file = byName.get(row.migrationName);
    if (!file) {
      warnings.push(`migration ${row.migrationName} is applied but not in the migrations folder`);
    } else if (file.checksum !== row.checksum) {
      throw new MigrateError(
        `migration ${row.migrationName} was changed after it was applied (checksum ` +
          `${row.checksum.slice(0, 12)}… recorded, ${file.checksum.slice(0, 12)}… on disk); ` +
          "restore the file and put the change in a new migration",
      );
    }
  }

  const appliedNames = new Set(applied.map((row) => row.migrationName));
  const pending = files.filter((file) => !appliedNames.has(file.name));
  return { pending, appliedCount: files.length - pending.length, warnings };
}
