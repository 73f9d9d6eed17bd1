import { randomBytes } from "node:crypto";
import { type Connection, createConnection } from "mariadb";
import { parseDatabaseUrl, quoteIdentifier } from "../url.ts";

/** The test server: local MariaDB unless TEST_DATABASE_SERVER_URL names another. */
export const SERVER_URL = process.env.TEST_DATABASE_SERVER_URL || "mysql://root@127.0.0.1:3306";

export { MIGRATIONS_DIR } from "../migrate/paths.ts";

// Every scratch database starts with this, so `drop` can never touch anything else.
const PREFIX = "parley_test_";

/** A uniquely named database that a test owns; `drop` removes it (if it was created). */
export interface ScratchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** Names a scratch database without creating it (the migrator creates it when missing). */
export function scratchDatabase(label: string): ScratchDatabase {
  const name = `${PREFIX}${label}_${process.pid}_${randomBytes(4).toString("hex")}`;
  const url = `${SERVER_URL.replace(/\/$/, "")}/${name}`;
  const drop = () =>
    withServer((conn) => conn.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)}`));
  return { name, url, drop: async () => void (await drop()) };
}

/** Runs `fn` on a fresh connection to the test server (no default database), then closes it. */
export async function withServer<T>(fn: (conn: Connection) => Promise<T>): Promise<T> {
  const { host, port, user, password } = parseDatabaseUrl(`${SERVER_URL.replace(/\/$/, "")}/mysql`);
  const conn = await createConnection({ host, port, user, password, timezone: "Z" });
  try {
    return await fn(conn);
  } finally {
    await conn.end();
  }
}
