import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { migrate } from "./migrate/migrate.ts";
import { actualTables, type TableInfo, tableInfo } from "./testing/actual-schema.ts";
import { parseDatamodel, readSchemaText } from "./testing/dmmf.ts";
import { expectedTables } from "./testing/expected-schema.ts";
import { MIGRATIONS_DIR, scratchDatabase, withServer } from "./testing/scratch-db.ts";
import { TABLE_COLLATION, type TableShape } from "./testing/table-shape.ts";

// The migrations are hand-written SQL, so this is what keeps them honest: a database built
// from them must be exactly the one schema.prisma describes, as Prisma's own parser reads it.
describe("a database built by the migrations matches schema.prisma", () => {
  const db = scratchDatabase("schema");
  let schemaText = "";
  let actual = new Map<string, TableShape>();
  let info: TableInfo[] = [];
  let databaseCharset = "";

  before(async () => {
    schemaText = await readSchemaText();
    await migrate(db.url, { migrationsDir: MIGRATIONS_DIR });
    await withServer(async (conn) => {
      actual = new Map((await actualTables(conn, db.name)).map((t) => [t.name, t]));
      info = await tableInfo(conn, db.name);
      const [row] = await conn.query(
        `SELECT DEFAULT_CHARACTER_SET_NAME AS cs
           FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?`,
        [db.name],
      );
      databaseCharset = row.cs;
    });
  });
  after(() => db.drop());

  it("has a table for every model and no other (besides _prisma_migrations)", () => {
    const expected = expectedTables(parseDatamodel(schemaText)).map((t) => t.name);
    const found = [...actual.keys()].filter((name) => name !== "_prisma_migrations");
    assert.deepEqual(found.sort(), expected.sort());
  });

  it("has every column, type, nullability, default, collation, key and foreign key", async (t) => {
    for (const expected of expectedTables(parseDatamodel(schemaText))) {
      await t.test(expected.name, () => assert.deepEqual(actual.get(expected.name), expected));
    }
  });

  it("stores every table as InnoDB utf8mb4_unicode_ci, in a utf8mb4 database", () => {
    assert.equal(databaseCharset, "utf8mb4");
    for (const table of info) {
      assert.deepEqual(
        { name: table.name, engine: table.engine, collation: table.collation },
        { name: table.name, engine: "InnoDB", collation: TABLE_COLLATION },
      );
    }
  });

  it("notices a field that the schema has and no migration created", () => {
    const withExtra = schemaText.replace(
      /^model User \{$/m,
      'model User {\n  nickname String? @map("nickname") @db.VarChar(40)',
    );
    const users = expectedTables(parseDatamodel(withExtra)).find((t) => t.name === "users");
    assert.ok(users?.columns.some((c) => c.name === "nickname"));
    assert.notDeepEqual(actual.get("users"), users);
  });

  it("keeps the migration history in the table layout prisma migrate uses", () => {
    const history = actual.get("_prisma_migrations");
    const columns = history?.columns.map((c) => `${c.name} ${c.type}${c.nullable ? " null" : ""}`);
    assert.deepEqual(columns, [
      "applied_steps_count int unsigned",
      "checksum varchar(64)",
      "finished_at datetime(3) null",
      "id varchar(36)",
      "logs text null",
      "migration_name varchar(255)",
      "rolled_back_at datetime(3) null",
      "started_at datetime(3)",
    ]);
    assert.deepEqual(history?.indexes, [{ name: "PRIMARY", unique: true, columns: ["id"] }]);
  });
});
