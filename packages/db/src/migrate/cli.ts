import { MigrateError, migrate } from "./migrate.ts";
import { MIGRATIONS_DIR } from "./paths.ts";

// `npm run migrate -w @parley/db`: applies prisma/migrations to DATABASE_URL.
const DEFAULT_URL = "mysql://root@127.0.0.1:3306/parley";

const write = (stream: NodeJS.WriteStream) => (line: string) => stream.write(`${line}\n`);

try {
  await migrate(process.env.DATABASE_URL || DEFAULT_URL, {
    migrationsDir: MIGRATIONS_DIR,
    log: write(process.stdout),
  });
} catch (error) {
  write(process.stderr)(`migrate failed: ${describe(error)}`);
  process.exitCode = 1;
}

/** Refusals and driver errors (no server, bad password) fit one line; bugs keep their stack. */
function describe(error: unknown): string {
  if (error instanceof MigrateError) return error.message;
  if (error instanceof Error && "code" in error) return error.message.split("\n")[0] ?? "";
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
