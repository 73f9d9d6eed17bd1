/** A message as the ingest log carries it, before the persister gives it a seq. */
export interface IngestRecord {
  id: string;
  conversationId: string;
  senderId: string;
  clientMessageId: string;
  kind: "text" | "file" | "system";
  body: string;
  fileId?: string;
  /** Milliseconds since the epoch when Send accepted it. */
  createdAt: number;
}

export function encodeRecord(record: IngestRecord): Buffer {
  return Buffer.from(JSON.stringify(record));
}

export function decodeRecord(value: Buffer): IngestRecord {
  return JSON.parse(value.toString()) as IngestRecord;
}
