import { createPrisma } from "@parley/db";
import { database } from "../playwright.config.ts";

/** Drops this run's database once the servers have stopped. */
export default async function globalTeardown() {
  const name = new URL(database).pathname.slice(1);
  const db = createPrisma(database.replace(`/${name}`, "/mysql"), { poolSize: 1 });
  await db.$executeRawUnsafe(`DROP DATABASE IF EXISTS \`${name}\``);
  await db.$disconnect();
}
