import { parseDatabaseUrl } from "@parley/db";

/**
 * Instances that share a database are one deployment. One Redis may serve several (test runs,
 * staging beside production), so what Redis holds for "every instance" or "everyone" is named
 * after the deployment's database. The name only: instances may reach the same database by
 * different hosts (a proxy, a DNS alias).
 */
export function deploymentName(databaseUrl: string): string {
  return parseDatabaseUrl(databaseUrl).database;
}
