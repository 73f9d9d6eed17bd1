import { parseDatabaseUrl } from "@parley/db";

/**
 * Instances that share a database are one deployment. One Redis may serve several (test runs,
 * staging beside production), so what Redis holds for "every instance" or "everyone" is named
 * after the deployment's database.
 */
export function deploymentName(databaseUrl: string): string {
  const { host, port, database } = parseDatabaseUrl(databaseUrl);
  return `${host}:${port}/${database}`;
}
