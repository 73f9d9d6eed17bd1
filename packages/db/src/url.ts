/** Where a MySQL/MariaDB database lives, parsed from a `mysql://` or `mariadb://` URL. */
export interface DatabaseTarget {
  host: string;
  port: number;
  user: string;
  password: string | undefined;
  database: string;
}

/** Parses `mysql://user:password@host:port/database`; query parameters are ignored. */
export function parseDatabaseUrl(url: string): DatabaseTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error("DATABASE_URL: not a valid URL (expected mysql://user@host:port/database)");
  }
  if (parsed.protocol !== "mysql:" && parsed.protocol !== "mariadb:") {
    throw new Error(`DATABASE_URL: unsupported scheme ${parsed.protocol} (expected mysql:)`);
  }
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ""));
  if (!/^[A-Za-z0-9_$-]{1,64}$/.test(database)) {
    throw new Error("DATABASE_URL: the path must name one database (letters, digits, _ $ -)");
  }
  return {
    // URL keeps IPv6 hosts in brackets; the driver wants them bare.
    host: parsed.hostname.replace(/^\[(.*)\]$/, "$1"),
    port: parsed.port ? Number(parsed.port) : 3306,
    user: decodeURIComponent(parsed.username || "root"),
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    database,
  };
}

/** Quotes an identifier for MySQL (backticks doubled inside). */
export function quoteIdentifier(name: string): string {
  return `\`${name.replaceAll("`", "``")}\``;
}
