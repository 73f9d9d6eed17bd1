/** A table as both sides of the schema comparison describe it, in MySQL's own terms. */
export interface TableShape {
  name: string;
  columns: ColumnShape[];
  indexes: IndexShape[];
  foreignKeys: ForeignKeyShape[];
}

export interface ColumnShape {
  name: string;
  /** Normalised type: `char(26)`, `varchar(64)`, `int`, `datetime(3)`, `enum('a','b')`, `json`. */
  type: string;
  nullable: boolean;
  /** The default as MariaDB reports it (`0`, `'user'`, `current_timestamp(3)`), or null. */
  default: string | null;
  /** Column collation for text columns, null otherwise (and for JSON). */
  collation: string | null;
}

export interface IndexShape {
  name: string;
  unique: boolean;
  columns: string[];
}

export interface ForeignKeyShape {
  name: string;
  columns: string[];
  referencedTable: string;
  referencedColumns: string[];
  onDelete: string;
  onUpdate: string;
}

/** The collation every table and text column has unless the schema says otherwise. */
export const TABLE_COLLATION = "utf8mb4_unicode_ci";

/** Sorts a shape's lists by name, so order in the file or the database does not matter. */
export function sortShape(table: TableShape): TableShape {
  const byName = <T extends { name: string }>(a: T, b: T) => a.name.localeCompare(b.name);
  return {
    name: table.name,
    columns: [...table.columns].sort(byName),
    indexes: [...table.indexes].sort(byName),
    foreignKeys: [...table.foreignKeys].sort(byName),
  };
}
