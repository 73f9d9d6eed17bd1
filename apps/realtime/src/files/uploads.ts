import { Code, ConnectError } from "@connectrpc/connect";
import {
  advanceUploadOffset,
  completeUpload,
  createCompleteUpload,
  createUploadWithinQuota,
  deleteUpload,
  failUpload,
  newId,
  UploadBusyError,
  type UploadRow,
  type UploadTx,
  withLockedUpload,
} from "@parley/db";
import type { CreateUploadRequest } from "@parley/proto";
import { exhausted, invalid, notFound, precondition } from "../errors.ts";
import type { Runtime } from "../runtime.ts";
import { BlobMissingError, type BlobStore } from "./blob-store.ts";
import { toUpload, uploadPrecondition } from "./convert.ts";
import { validateCreateUpload } from "./validate.ts";

// Long enough for the last chunk, which reads the whole file back to check its SHA-256.
const CHUNK_TRANSACTION_MS = 120_000;

type Outcome = { row: UploadRow; error?: ConnectError };

/**
 * The rules of resumable uploads. Every chunk is written under the upload's row lock: the
 * bytes reach the disk (fsync) before the offset moves in the database, so the offset a
 * client is told never runs ahead of what is stored, and two chunks for the same offset
 * cannot both be written. State lives in the database and the bytes in the blob store, so
 * any instance sharing both can continue an upload.
 */
export class Uploads {
  /** Uploads with a chunk in flight on this instance: a second one is refused at once. */
  private readonly writing = new Set<string>();

  constructor(
    private readonly rt: Runtime,
    private readonly blobs: BlobStore,
  ) {}

  get chunkSize(): number {
    return this.rt.config.FILES_CHUNK_BYTES;
  }

  /** Announces a file; a zero-byte one is stored and complete at once. */
  async create(ownerId: string, req: CreateUploadRequest): Promise<UploadRow> {
    const { config } = this.rt;
    const input = validateCreateUpload(req, config.FILES_MAX_BYTES);
    const upload = {
      id: newId(),
      ownerId,
      ...input,
      size: BigInt(input.size),
      expiresAt: this.deadline(),
    };
    if (input.size === 0) {
      await this.blobs.write(upload.id, 0, new Uint8Array());
      return createCompleteUpload(this.rt.db, upload, { id: newId(), storageKey: upload.id });
    }
    const limit = config.FILES_MAX_UNFINISHED_UPLOADS;
    const created = await createUploadWithinQuota(this.rt.db, upload, limit);
    if (!created) {
      throw exhausted(
        `uploads: at most ${limit} unfinished uploads at a time; finish or cancel one first`,
      );
    }
    return created;
  }

  /** Stores one chunk at the offset the server holds; the last one completes the file. */
  async write(userId: string, uploadId: string, offset: bigint, data: Uint8Array) {
    if (data.length === 0) throw invalid("data", "empty");
    if (data.length > this.chunkSize) {
      throw invalid("data", `at most ${this.chunkSize} bytes per chunk`);
    }
    if (this.writing.has(uploadId)) throw busy();
    this.writing.add(uploadId);
    try {
      const outcome = await withLockedUpload(
        this.rt.db,
        uploadId,
        { nowait: true, timeoutMs: CHUNK_TRANSACTION_MS },
        (tx, row) => this.apply(tx, row, { userId, offset, data }),
      );
      // Thrown only now, so that the failed state was committed first.
      if (outcome.error) throw outcome.error;
      return outcome.row;
    } catch (error) {
      if (error instanceof UploadBusyError) throw busy();
      if ((error as NodeJS.ErrnoException).code === "ENOSPC") {
        throw exhausted("the server's file storage is full; retry later");
      }
      throw error;
    } finally {
      this.writing.delete(uploadId);
    }
  }

  private async apply(
    tx: UploadTx,
    row: UploadRow | undefined,
    chunk: { userId: string; offset: bigint; data: Uint8Array },
  ): Promise<Outcome> {
    if (!row || row.ownerId !== chunk.userId) throw notFound("upload");
    this.assertAccepts(row, chunk.offset);
    const end = row.offset + BigInt(chunk.data.length);
    if (end > row.size) {
      throw invalid("data", `ends at byte ${end}, past the declared size of ${row.size} bytes`);
    }

    try {
      await this.blobs.write(row.id, Number(row.offset), chunk.data);
    } catch (error) {
      if (!(error instanceof BlobMissingError)) throw error;
      this.rt.log.error({ uploadId: row.id }, "stored upload bytes are missing");
      await this.blobs.remove(row.id);
      await failUpload(tx, row.id);
      const lost = precondition("upload: the stored bytes were lost; start a new upload");
      return { row: { ...row, state: "failed" }, error: lost };
    }

    if (end < row.size) {
      const expiresAt = this.deadline();
      if (!(await advanceUploadOffset(tx, row.id, { from: row.offset, to: end, expiresAt }))) {
        throw new Error(`upload ${row.id} moved while locked`);
      }
      return { row: { ...row, offset: end, expiresAt } };
    }
    return this.finish(tx, row);
  }

  /** Refuses a chunk for an upload that is finished, failed, expired, or elsewhere. */
  private assertAccepts(row: UploadRow, offset: bigint) {
    const current = toUpload(row, this.chunkSize);
    if (row.state === "complete") {
      throw uploadPrecondition("upload: complete; a finished upload is never extended", current);
    }
    if (row.state === "failed") {
      throw uploadPrecondition("upload: failed; start a new upload", current);
    }
    if (row.state === "expired" || row.expiresAt <= new Date()) {
      throw uploadPrecondition("upload: expired; start a new upload", current);
    }
    if (offset !== row.offset) {
      throw uploadPrecondition(
        `offset: the server holds ${row.offset} bytes; send the chunk at offset ${row.offset}`,
        current,
      );
    }
  }

  /** The last byte is stored: check the whole file's SHA-256, then make it a file. */
  private async finish(tx: UploadTx, row: UploadRow): Promise<Outcome> {
    const digest = await this.blobs.hash(row.id, Number(row.size));
    if (digest !== row.sha256) {
      // Bytes first: if the commit fails, the next chunk finds them missing and fails then.
      await this.blobs.remove(row.id);
      await failUpload(tx, row.id);
      this.rt.log.warn({ uploadId: row.id, userId: row.ownerId }, "upload failed its checksum");
      const mismatch = invalid(
        "sha256",
        `the received bytes hash to ${digest}, not the declared ${row.sha256}; ` +
          "the upload failed, start a new one",
      );
      return { row: { ...row, state: "failed", offset: row.size }, error: mismatch };
    }
    const fileId = newId();
    await completeUpload(tx, row, { id: fileId, storageKey: row.id });
    return { row: { ...row, state: "complete", offset: row.size, file: { id: fileId } } };
  }

  /** Deletes an unfinished upload and its bytes; a complete one stays. */
  async cancel(userId: string, uploadId: string): Promise<void> {
    const options = { nowait: false, timeoutMs: 30_000 };
    await withLockedUpload(this.rt.db, uploadId, options, async (tx, row) => {
      if (!row || row.ownerId !== userId) throw notFound("upload");
      if (row.state === "complete") {
        throw precondition("upload: complete; the file stays, only unfinished uploads cancel");
      }
      await this.blobs.remove(row.id);
      await deleteUpload(tx, row.id);
    });
  }

  /** An upload left alone this long expires; every chunk pushes the deadline back. */
  private deadline(): Date {
    return new Date(Date.now() + this.rt.config.FILES_UPLOAD_TTL_SECONDS * 1000);
  }
}

function busy(): ConnectError {
  return new ConnectError(
    "upload: another chunk of this upload is being written; ask GetUpload for the offset",
    Code.Aborted,
  );
}
