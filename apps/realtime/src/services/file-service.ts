import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { ServiceImpl } from "@connectrpc/connect";
import { findUnfinishedUploads, findUpload } from "@parley/db";
import type { FileService } from "@parley/proto";
import { principalOf } from "../auth/context.ts";
import { notFound } from "../errors.ts";
import { findReadableFile } from "../files/access.ts";
import { blobStoreFor } from "../files/blob-store.ts";
import { toUpload } from "../files/convert.ts";
import { DownloadLinks } from "../files/links.ts";
import { Uploads } from "../files/uploads.ts";
import { requireId } from "../messages/validate.ts";
import type { Runtime } from "../runtime.ts";

/**
 * Resumable uploads in chunks at explicit offsets. The bytes are served by the plain HTTP
 * route GET /files/{fileId} (files/download.ts), which GetDownloadUrl signs links for.
 */
export function fileService(rt: Runtime): ServiceImpl<typeof FileService> {
  const uploads = new Uploads(rt, blobStoreFor(rt.config));
  const links = new DownloadLinks(rt.config.JWT_SECRET);
  const chunkSize = rt.config.FILES_CHUNK_BYTES;

  async function ownUpload(userId: string, uploadId: string) {
    const row = await findUpload(rt.db, requireId("upload_id", uploadId));
    // Someone else's upload reads exactly like one that does not exist.
    if (!row || row.ownerId !== userId) throw notFound("upload");
    return row;
  }

  return {
    async createUpload(req, ctx) {
      const { userId } = principalOf(ctx);
      const row = await uploads.create(userId, req);
      return { upload: toUpload(row, chunkSize) };
    },

    async uploadChunk(req, ctx) {
      const { userId } = principalOf(ctx);
      const uploadId = requireId("upload_id", req.uploadId);
      const row = await uploads.write(userId, uploadId, req.offset, req.data);
      return { upload: toUpload(row, chunkSize) };
    },

    async getUpload(req, ctx) {
      const { userId } = principalOf(ctx);
      return { upload: toUpload(await ownUpload(userId, req.uploadId), chunkSize) };
    },

    async listUploads(_req, ctx) {
      const { userId } = principalOf(ctx);
      const now = new Date();
      const rows = await findUnfinishedUploads(rt.db, userId, now);
      return { uploads: rows.map((row) => toUpload(row, chunkSize, now)) };
    },

    async cancelUpload(req, ctx) {
      const { userId } = principalOf(ctx);
      await uploads.cancel(userId, requireId("upload_id", req.uploadId));
      return {};
    },

    async getDownloadUrl(req, ctx) {
      const { userId } = principalOf(ctx);
      const fileId = requireId("file_id", req.fileId);
      if (!(await findReadableFile(rt.db, fileId, userId))) throw notFound("file");
      const link = links.issue(fileId, userId);
      return { path: link.path, expiresAt: timestampFromDate(link.expiresAt) };
    },
  };
}
