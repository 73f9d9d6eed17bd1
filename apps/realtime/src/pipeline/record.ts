import type { IncomingMessage } from "@parley/db";

/** A message as the ingest log carries it, before the persister gives it a seq. */
export interface IngestRecord extends Omit<IncomingMessage, "createdAt"> {
  /** Milliseconds since the epoch when Send accepted it. */
  createdAt: number;
}

export function encodeRecord(record: IngestRecord): Buffer {
  return Buffer.from(JSON.stringify(record));
}

export function decodeRecord(value: Buffer): IngestRecord {
  return JSON.parse(value.toString()) as IngestRecord;
}
