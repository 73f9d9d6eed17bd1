import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import type { UploadRow } from "@parley/db";
import { type Upload, UploadSchema, UploadState } from "@parley/proto";

const STATES = {
  uploading: UploadState.UPLOADING,
  complete: UploadState.COMPLETE,
  failed: UploadState.FAILED,
  expired: UploadState.EXPIRED,
};

/** An upload as its owner sees it; one whose time ran out reads as expired before the sweep. */
export function toUpload(row: UploadRow, chunkSize: number, now = new Date()): Upload {
  const lapsed = row.state === "uploading" && row.expiresAt <= now;
  return create(UploadSchema, {
    id: row.id,
    name: row.name,
    size: row.size,
    sha256: row.sha256,
    mediaType: row.mediaType,
    offset: row.offset,
    state: lapsed ? UploadState.EXPIRED : STATES[row.state],
    file: row.file
      ? {
          id: row.file.id,
          name: row.name,
          size: row.size,
          mediaType: row.mediaType,
          sha256: row.sha256,
        }
      : undefined,
    expiresAt: timestampFromDate(row.expiresAt),
    chunkSize,
  });
}

/**
 * The response header (and gRPC trailer) that carries the server's offset on an
 * offset mismatch, besides the Upload in the error details.
 */
export const OFFSET_HEADER = "parley-upload-offset";

/**
 * FAILED_PRECONDITION for a chunk the upload cannot take. The client reads where to resume
 * from the `parley-upload-offset` header or from the parley.v1.Upload in the error details.
 */
export function uploadPrecondition(reason: string, upload: Upload): ConnectError {
  return new ConnectError(
    reason,
    Code.FailedPrecondition,
    { [OFFSET_HEADER]: upload.offset.toString() },
    [{ desc: UploadSchema, value: upload }],
  );
}
