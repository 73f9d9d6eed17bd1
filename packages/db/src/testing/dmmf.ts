import { readFile } from "node:fs/promises";
import { get_dmmf } from "@prisma/prisma-schema-wasm";

/** The parts of Prisma's DMMF datamodel the schema comparison reads. */
export interface Datamodel {
  models: DmmfModel[];
  enums: { name: string; values: { name: string; dbName: string | null }[] }[];
  indexes: DmmfIndex[];
}

export interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
}

export interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: "scalar" | "enum" | "object" | "unsupported";
  type: string;
  isRequired: boolean;
  nativeType: [string, string[]] | null;
  default?: unknown;
  isUpdatedAt: boolean;
  documentation?: string;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
  relationOnUpdate?: string;
}

export interface DmmfIndex {
  model: string;
  type: "id" | "normal" | "unique" | "fulltext";
  dbName?: string | null;
  fields: { name: string; length?: number }[];
}

/** The repository's Prisma schema. */
export const SCHEMA_PATH = new URL("../../../../prisma/schema.prisma", import.meta.url);

/** Parses a schema with Prisma's own wasm parser (the one behind `prisma generate`). */
export function parseDatamodel(schemaText: string): Datamodel {
  const dmmf = JSON.parse(get_dmmf(JSON.stringify({ prismaSchema: schemaText })));
  return dmmf.datamodel as Datamodel;
}

/** Reads and parses the repository's schema.prisma. */
export async function readSchemaText(): Promise<string> {
  return readFile(SCHEMA_PATH, "utf8");
}
