import type { Datamodel, DmmfField, DmmfIndex, DmmfModel } from "./dmmf.ts";
import {
  type ColumnShape,
  type ForeignKeyShape,
  type IndexShape,
  sortShape,
  TABLE_COLLATION,
  type TableShape,
} from "./table-shape.ts";

// MySQL identifiers are at most 64 characters; Prisma shortens default names to fit.
const MAX_NAME = 64;

/** The tables a migrated database must have, derived from the parsed Prisma schema. */
export function expectedTables(datamodel: Datamodel): TableShape[] {
  return datamodel.models.map((model) =>
    sortShape({
      name: tableName(model),
      columns: model.fields
        .filter((f) => f.kind === "scalar" || f.kind === "enum")
        .map((f) => expectedColumn(f, datamodel)),
      indexes: datamodel.indexes
        .filter((i) => i.model === model.name)
        .map((i) => expectedIndex(i, model)),
      foreignKeys: model.fields
        .filter((f) => f.kind === "object" && (f.relationFromFields?.length ?? 0) > 0)
        .map((f) => expectedForeignKey(f, model, datamodel)),
    }),
  );
}

function tableName(model: DmmfModel): string {
  return model.dbName ?? model.name;
}

function columnName(model: DmmfModel, fieldName: string): string {
  const field = model.fields.find((f) => f.name === fieldName);
  if (!field) throw new Error(`${model.name}: no field ${fieldName}`);
  return field.dbName ?? field.name;
}

function expectedColumn(field: DmmfField, datamodel: Datamodel): ColumnShape {
  const type = expectedType(field, datamodel);
  const isText = /^(char|varchar|text|mediumtext|longtext|enum)\b/.test(type);
  // A field that needs another collation says so in its doc comment (Prisma has no attribute).
  const declared = /db\.collation:\s*(\w+)/.exec(field.documentation ?? "")?.[1];
  return {
    name: field.dbName ?? field.name,
    type,
    nullable: !field.isRequired,
    default: expectedDefault(field, type),
    collation: isText ? (declared ?? TABLE_COLLATION) : null,
  };
}

/** Prisma's MySQL type for a field, in the normalised form of {@link ColumnShape.type}. */
function expectedType(field: DmmfField, datamodel: Datamodel): string {
  if (field.kind === "enum") {
    const values = datamodel.enums.find((e) => e.name === field.type)?.values ?? [];
    return `enum(${values.map((v) => `'${v.dbName ?? v.name}'`).join(",")})`;
  }
  const [native, args = []] = field.nativeType ?? [];
  const key = native ? `${field.type}/${native}` : field.type;
  const byKey: Record<string, string> = {
    String: "varchar(191)",
    "String/Char": `char(${args[0]})`,
    "String/VarChar": `varchar(${args[0]})`,
    "String/Text": "text",
    Int: "int",
    BigInt: "bigint",
    Boolean: "tinyint(1)",
    DateTime: "datetime(3)",
    "DateTime/DateTime": `datetime(${args[0] ?? 0})`,
    Json: "json",
  };
  const type = byKey[key];
  if (!type) throw new Error(`schema type ${key} is not mapped yet: add it to expected-schema.ts`);
  return type;
}

function expectedDefault(field: DmmfField, type: string): string | null {
  const value = field.default;
  if (value === undefined || value === null) return null;
  if (typeof value === "object" && "name" in value) {
    if (value.name === "now") return `current_timestamp(${/\((\d)\)/.exec(type)?.[1] ?? 0})`;
    throw new Error(`${field.name}: default ${String(value.name)}() is not mapped yet`);
  }
  if (typeof value === "boolean") return value ? "1" : "0";
  const isQuoted = /^(char|varchar|text|enum)/.test(type);
  return isQuoted ? `'${String(value)}'` : String(value);
}

function expectedIndex(index: DmmfIndex, model: DmmfModel): IndexShape {
  const table = tableName(model);
  const columns = index.fields.map((f) => columnName(model, f.name));
  const suffix = { id: "", unique: "_key", normal: "_idx", fulltext: "_idx" }[index.type];
  const name =
    index.type === "id" ? "PRIMARY" : (index.dbName ?? defaultName(table, columns, suffix));
  return {
    name,
    unique: index.type === "id" || index.type === "unique",
    columns: index.fields.map((f, i) =>
      f.length ? `${columns[i]}(${f.length})` : `${columns[i]}`,
    ),
  };
}

function expectedForeignKey(field: DmmfField, model: DmmfModel, dm: Datamodel): ForeignKeyShape {
  const target = dm.models.find((m) => m.name === field.type);
  if (!target) throw new Error(`${model.name}.${field.name}: no model ${field.type}`);
  const columns = (field.relationFromFields ?? []).map((f) => columnName(model, f));
  // Prisma's defaults when the schema says nothing: Restrict (required) / SetNull, and Cascade.
  const onDelete = field.relationOnDelete ?? (field.isRequired ? "Restrict" : "SetNull");
  return {
    name: defaultName(tableName(model), columns, "_fkey"),
    columns,
    referencedTable: tableName(target),
    referencedColumns: (field.relationToFields ?? []).map((f) => columnName(target, f)),
    onDelete: referentialAction(onDelete),
    onUpdate: referentialAction(field.relationOnUpdate ?? "Cascade"),
  };
}

/** `SetNull` → `SET NULL`, as information_schema spells it. */
function referentialAction(action: string): string {
  return action.replace(/([a-z])([A-Z])/g, "$1 $2").toUpperCase();
}

/** Prisma's default constraint name: table and columns joined by `_`, cut to fit, then suffix. */
function defaultName(table: string, columns: string[], suffix: string): string {
  const base = [table, ...columns].join("_");
  return base.slice(0, MAX_NAME - suffix.length) + suffix;
}
