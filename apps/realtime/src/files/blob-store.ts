import { createHash } from "node:crypto";
import { once } from "node:events";
import { createReadStream } from "node:fs";
import { type FileHandle, mkdir, open, rm } from "node:fs/promises";
import { dirname, join, resolve, sep } from "node:path";
import type { Readable } from "node:stream";

/**
 * Where upload bytes live, keyed by server-made ids only. Writes are sequential appends at
 * the offset the caller holds under the upload's lock, so an S3-compatible backend can map
 * each chunk to a multipart part and `hash` to a read-back of the assembled object.
 */
export interface BlobStore {
  /**
   * Writes data at offset, drops anything stored past its end, and resolves only once the
   * bytes are durable. Offset 0 starts the object afresh (empty data makes an empty one);
   * any other offset throws BlobMissingError when fewer than `offset` bytes are stored.
   */
  write(key: string, offset: number, data: Uint8Array): Promise<void>;
  /** Lowercase hex SHA-256 of the first `length` stored bytes, read back from storage. */
  hash(key: string, length: number): Promise<string>;
  /** Bytes start..end, both inclusive; resolves once the object is known to be there. */
  read(key: string, start: number, end: number): Promise<Readable>;
  /** Removes the object; a missing one is not an error. */
  remove(key: string): Promise<void>;
}

/** The configured store: local disk under FILES_DIR (the only backend so far). */
export function blobStoreFor(config: { FILES_DIR: string }): BlobStore {
  return new DiskBlobStore(config.FILES_DIR);
}

/** The stored bytes an upload's offset promises are not there (deleted or lost). */
export class BlobMissingError extends Error {
  constructor(readonly key: string) {
    super(`stored bytes of ${key} are missing`);
    this.name = "BlobMissingError";
  }
}

// Keys are the server's ULID-style ids: nothing a user typed ever reaches a path.
const KEY = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/** Local-disk store: FILES_DIR/<last two id characters>/<id>, fsynced before a write returns. */
export class DiskBlobStore implements BlobStore {
  private readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  /** The file path of a key; refuses anything that is not an id or lands outside the root. */
  pathOf(key: string): string {
    if (!KEY.test(key)) throw new Error(`blob key is not an id: ${JSON.stringify(key)}`);
    // The time prefix of an id changes slowly; its random tail spreads files over 1024 folders.
    const path = join(this.root, key.slice(-2), key);
    if (!path.startsWith(this.root + sep)) throw new Error("blob path escapes the store");
    return path;
  }

  async write(key: string, offset: number, data: Uint8Array): Promise<void> {
    const path = this.pathOf(key);
    const file = offset === 0 ? await this.start(path) : await openExisting(path, key);
    try {
      const stored = (await file.stat()).size;
      if (stored < offset) throw new BlobMissingError(key);
      let written = 0;
      while (written < data.length) {
        const left = data.length - written;
        const { bytesWritten } = await file.write(data, written, left, offset + written);
        written += bytesWritten;
      }
      // A write that died half-way before may have left bytes past this chunk: drop them.
      if (stored > offset + data.length) await file.truncate(offset + data.length);
      await file.datasync();
    } finally {
      await file.close();
    }
  }

  /** Opens a fresh, empty file; its directory entry is made durable at once. */
  private async start(path: string): Promise<FileHandle> {
    const made = await mkdir(dirname(path), { recursive: true });
    if (made) await syncDirectory(dirname(dirname(path)));
    const file = await open(path, "w");
    await syncDirectory(dirname(path));
    return file;
  }

  async hash(key: string, length: number): Promise<string> {
    const digest = createHash("sha256");
    if (length === 0) return digest.digest("hex");
    for await (const chunk of await this.read(key, 0, length - 1)) digest.update(chunk as Buffer);
    return digest.digest("hex");
  }

  async read(key: string, start: number, end: number): Promise<Readable> {
    const stream = createReadStream(this.pathOf(key), { start, end, highWaterMark: 1024 * 1024 });
    try {
      await once(stream, "ready");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new BlobMissingError(key);
      throw error;
    }
    return stream;
  }

  async remove(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }
}

async function openExisting(path: string, key: string): Promise<FileHandle> {
  try {
    return await open(path, "r+");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new BlobMissingError(key);
    throw error;
  }
}

/** Makes a new directory entry durable, so a crash cannot lose a file created just now. */
async function syncDirectory(path: string) {
  const dir = await open(path, "r");
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}
