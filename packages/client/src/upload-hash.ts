import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";

/**
 * How much of a file is read at a time while hashing: large enough that the per-slice
 * overhead is small, small enough that a 5 GB file never sits in memory.
 */
export const HASH_SLICE_BYTES = 4 * 1024 * 1024;

export interface HashOptions {
  /** Called after each slice with the bytes hashed so far. */
  onProgress?: (hashedBytes: number) => void;
  signal?: AbortSignal;
}

/**
 * Lowercase hex SHA-256 of a Blob (or File), read slice by slice: WebCrypto's digest takes
 * the whole input at once, so an incremental hash keeps memory flat for any size.
 */
export async function hashBlob(blob: Blob, options: HashOptions = {}): Promise<string> {
  const hash = sha256.create();
  for (let start = 0; start < blob.size; start += HASH_SLICE_BYTES) {
    options.signal?.throwIfAborted();
    const end = Math.min(blob.size, start + HASH_SLICE_BYTES);
    hash.update(new Uint8Array(await blob.slice(start, end).arrayBuffer()));
    options.onProgress?.(end);
  }
  return bytesToHex(hash.digest());
}
