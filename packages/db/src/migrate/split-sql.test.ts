import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { splitSqlStatements } from "./split-sql.ts";

const sqlOf = (script: string) => splitSqlStatements(script).map((s) => s.sql);

describe("splitSqlStatements", () => {
  it("splits at top-level semicolons and drops heading line comments", () => {
    const script =
      "-- CreateTable\nCREATE TABLE a (x INT);\n\n-- AddIndex\nCREATE INDEX i ON a(x);\n";
    assert.deepEqual(splitSqlStatements(script), [
      { sql: "CREATE TABLE a (x INT)", line: 2 },
      { sql: "CREATE INDEX i ON a(x)", line: 5 },
    ]);
  });

  it("keeps semicolons inside strings, identifiers and comments", () => {
    const script = [
      "INSERT INTO t VALUES ('a;b', \"c;d\", 'it''s;', 'back\\';slash');",
      "SELECT `odd;name` FROM t /* x; y */ WHERE 1 -- trailing; comment",
      "  AND 2; # hash; comment",
      "SELECT 3",
    ].join("\n");
    assert.deepEqual(sqlOf(script), [
      "INSERT INTO t VALUES ('a;b', \"c;d\", 'it''s;', 'back\\';slash')",
      "SELECT `odd;name` FROM t /* x; y */ WHERE 1 -- trailing; comment\n  AND 2",
      "SELECT 3",
    ]);
  });

  it("treats `--` without a following space as an operator, not a comment", () => {
    assert.deepEqual(sqlOf("SELECT 1--1; SELECT 2;"), ["SELECT 1--1", "SELECT 2"]);
  });

  it("drops chunks that hold only comments or whitespace", () => {
    assert.deepEqual(sqlOf("-- only a comment;\n/* and; this */ ;\n  ;\n"), []);
  });

  it("keeps executable comments as code", () => {
    assert.deepEqual(sqlOf("/*!40101 SET NAMES utf8mb4 */;"), ["/*!40101 SET NAMES utf8mb4 */"]);
  });

  it("refuses unterminated quotes and comments, and DELIMITER", () => {
    assert.throws(() => splitSqlStatements("SELECT 'abc;"), /line 1: unterminated ' quote/);
    assert.throws(() => splitSqlStatements("SELECT 1;\n/* open"), /line 2: unterminated \/\*/);
    assert.throws(() => splitSqlStatements("DELIMITER $$\nSELECT 1$$"), /DELIMITER/);
  });
});
