import { defineConfig } from "prisma/config";

// Paths are relative to this file. The URL is only read by commands that touch a database;
// `prisma generate` works without it.
export default defineConfig({
  schema: "../../prisma/schema.prisma",
  migrations: { path: "../../prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "mysql://root@127.0.0.1:3306/parley" },
});
