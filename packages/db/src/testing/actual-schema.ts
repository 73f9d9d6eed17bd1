import type { Connection } from "mariadb";
import {
  type ColumnShape,
  type ForeignKeyShape,
  type IndexShape,
  sortShape,
  type TableShape,
} from "./table-shape.ts";

/** Table-level facts that the Prisma schema does not describe but Parley requires. */
export interface TableInfo {
  name: string;
  engine: string;
  collation: string;
}

type Row = Record<string, string | number | bigint | null>;

/** Reads every base table of `database` from information_schema. */
export async function actualTables(conn: Connection, database: string): Promise<TableShape[]> {
  const q = (sql: string): Promise<Row[]> => conn.query(sql, [database]);
  const [tables, columns, checks, stats, fkColumns, fkRules] = await Promise.all([
    q(`SELECT TABLE_NAME FROM information_schema.TABLES
        WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE'`),
    q("SELECT * FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? ORDER BY ORDINAL_POSITION"),
    q(`SELECT TABLE_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS
        WHERE CONSTRAINT_SCHEMA = ?`),
    q(`SELECT * FROM information_schema.STATISTICS
        WHERE TABLE_SCHEMA = ? ORDER BY INDEX_NAME, SEQ_IN_INDEX`),
    q(`SELECT * FROM information_schema.KEY_COLUMN_USAGE
        WHERE TABLE_SCHEMA = ? AND REFERENCED_TABLE_NAME IS NOT NULL ORDER BY ORDINAL_POSITION`),
    q("SELECT * FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ?"),
  ]);
  return tables.map(({ TABLE_NAME }) => {
    const of = (rows: Row[]) => rows.filter((r) => r.TABLE_NAME === TABLE_NAME);
    return sortShape({
      name: String(TABLE_NAME),
      columns: of(columns).map((c) => actualColumn(c, of(checks))),
      indexes: groupIndexes(of(stats)),
      foreignKeys: groupForeignKeys(of(fkColumns), of(fkRules)),
    });
  });
}

/** Engine and default collation of every base table. */
export async function tableInfo(conn: Connection, database: string): Promise<TableInfo[]> {
  return conn.query(
    `SELECT TABLE_NAME AS name, ENGINE AS engine, TABLE_COLLATION AS collation
       FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE'`,
    [database],
  );
}

function actualColumn(c: Row, checks: Row[]): ColumnShape {
  const name = String(c.COLUMN_NAME);
  // MariaDB stores JSON as LONGTEXT with a json_valid() check; MySQL has a real JSON type.
  const isJson =
    c.DATA_TYPE === "json" ||
    (c.DATA_TYPE === "longtext" &&
      checks.some((k) => String(k.CHECK_CLAUSE).replaceAll("`", "") === `json_valid(${name})`));
  return {
    name,
    type: isJson ? "json" : actualType(c),
    nullable: c.IS_NULLABLE === "YES",
    default: actualDefault(c),
    collation: isJson ? null : (c.COLLATION_NAME as string | null),
  };
}

function actualType(c: Row): string {
  const type = String(c.DATA_TYPE);
  const unsigned = String(c.COLUMN_TYPE).includes("unsigned") ? " unsigned" : "";
  if (type === "char" || type === "varchar") return `${type}(${c.CHARACTER_MAXIMUM_LENGTH})`;
  if (type === "datetime" || type === "timestamp") return `${type}(${c.DATETIME_PRECISION})`;
  if (type === "enum" || c.COLUMN_TYPE === "tinyint(1)")
    return String(c.COLUMN_TYPE).replaceAll(", ", ",");
  return type + unsigned;
}

/** MariaDB reports "no default" on a nullable column as the string NULL. */
function actualDefault(c: Row): string | null {
  const value = c.COLUMN_DEFAULT;
  if (value === null || value === "NULL") return null;
  const text = String(value);
  if (/^current_timestamp/i.test(text)) return text.toLowerCase();
  // MySQL 8 leaves string defaults unquoted; MariaDB quotes them.
  const isText = /char|text|enum/.test(String(c.DATA_TYPE));
  return isText && !text.startsWith("'") ? `'${text}'` : text;
}

function groupIndexes(stats: Row[]): IndexShape[] {
  const byName = new Map<string, IndexShape>();
  for (const s of stats) {
    const name = String(s.INDEX_NAME);
    const index = byName.get(name) ?? { name, unique: Number(s.NON_UNIQUE) === 0, columns: [] };
    index.columns.push(s.SUB_PART ? `${s.COLUMN_NAME}(${s.SUB_PART})` : String(s.COLUMN_NAME));
    byName.set(name, index);
  }
  return [...byName.values()];
}

function groupForeignKeys(columns: Row[], rules: Row[]): ForeignKeyShape[] {
  return rules.map((rule) => {
    const parts = columns.filter((c) => c.CONSTRAINT_NAME === rule.CONSTRAINT_NAME);
    return {
      name: String(rule.CONSTRAINT_NAME),
      columns: parts.map((p) => String(p.COLUMN_NAME)),
      referencedTable: String(rule.REFERENCED_TABLE_NAME),
      referencedColumns: parts.map((p) => String(p.REFERENCED_COLUMN_NAME)),
      onDelete: String(rule.DELETE_RULE),
      onUpdate: String(rule.UPDATE_RULE),
    };
  });
}
