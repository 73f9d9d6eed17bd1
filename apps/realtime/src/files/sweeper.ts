import { expireUpload, findExpiredUploadIds, UploadBusyError, withLockedUpload } from "@parley/db";
import type { Runtime } from "../runtime.ts";
import type { BlobStore } from "./blob-store.ts";

const BATCH = 100;

/**
 * Expires uploads whose deadline passed and removes their bytes, once at start and then every
 * FILES_SWEEP_SECONDS until the instance drains. Every instance sweeps; the row lock makes
 * each upload's expiry happen once, and a row being written is left for the next round.
 */
export function startUploadSweeper(rt: Runtime, blobs: BlobStore): void {
  const round = async () => {
    if (rt.draining) return;
    try {
      const swept = await sweepExpiredUploads(rt, blobs, new Date());
      if (swept > 0) rt.log.info({ swept }, "expired uploads removed");
    } catch (error) {
      rt.log.warn({ err: (error as Error).message }, "upload sweep failed; retrying next round");
    }
    if (!rt.draining) setTimeout(round, rt.config.FILES_SWEEP_SECONDS * 1000).unref();
  };
  void round();
}

/** One sweep: returns how many uploads it expired. */
export async function sweepExpiredUploads(rt: Runtime, blobs: BlobStore, now: Date) {
  let swept = 0;
  for (const id of await findExpiredUploadIds(rt.db, now, BATCH)) {
    const options = { nowait: true, timeoutMs: 30_000 };
    const expired = await withLockedUpload(rt.db, id, options, async (tx, row) => {
      if (row?.state !== "uploading" || row.expiresAt >= now) return false;
      // Bytes first: if the commit fails, the row is still due and the next round retries.
      await blobs.remove(id);
      return expireUpload(tx, id, now);
    }).catch((error: unknown) => {
      if (error instanceof UploadBusyError) return false;
      throw error;
    });
    if (expired) swept++;
  }
  return swept;
}
