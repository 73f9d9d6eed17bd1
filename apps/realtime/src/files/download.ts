import type http from "node:http";
import type http2 from "node:http2";
import { pipeline } from "node:stream/promises";
import { Code, ConnectError } from "@connectrpc/connect";
import type { Principal } from "../auth/tokens.ts";
import type { Runtime } from "../runtime.ts";
import { findReadableFile, type StoredFile } from "./access.ts";
import { type BlobStore, blobStoreFor } from "./blob-store.ts";
import { contentDisposition, isInlineSafe, parseRange } from "./http-headers.ts";
import { DownloadLinks } from "./links.ts";

type Request = http.IncomingMessage | http2.Http2ServerRequest;
type Response = http.ServerResponse | http2.Http2ServerResponse;

const FILE_PATH = /^\/files\/([0-9A-HJKMNP-TV-Z]{26})$/;
// Dot segments, encoded characters and backslashes never belong in a file URL.
const SUSPICIOUS = /\.\.|%|\\/;
const EXPOSED = "content-disposition, content-range, content-length, accept-ranges, etag";

/**
 * GET /files/{fileId}: the bytes of a stored file to its uploader and to members who can see
 * a message carrying it. Credentials: `Authorization: Bearer <access token>`, or a signed
 * link from FileService.GetDownloadUrl (for <img src>, which cannot send headers).
 * One byte range per request (206, or 416 with the size); HEAD works too.
 */
export function fileDownloads(rt: Runtime) {
  const blobs = blobStoreFor(rt.config);
  const links = new DownloadLinks(rt.config.JWT_SECRET);
  return async (req: Request, res: Response): Promise<void> => {
    const r = res as http.ServerResponse;
    try {
      await serve(rt, blobs, links, req, r);
    } catch (error) {
      // A reader that goes away mid-file (a closed tab, a cancelled <img>) is no fault.
      if ((error as NodeJS.ErrnoException).code === "ERR_STREAM_PREMATURE_CLOSE") return;
      rt.log.error({ err: error, path: req.url?.split("?")[0] }, "file download failed");
      if (!r.headersSent) reply(r, 500, "download failed");
      else r.destroy();
    }
  };
}

async function serve(
  rt: Runtime,
  blobs: BlobStore,
  links: DownloadLinks,
  req: Request,
  res: http.ServerResponse,
) {
  const [path = "", search = ""] = (req.url ?? "").split("?", 2);
  const fileId = FILE_PATH.exec(path)?.[1];
  if (!fileId) return reply(res, SUSPICIOUS.test(path) ? 400 : 404, "no such file");
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.setHeader("allow", "GET, HEAD");
    return reply(res, 405, "method not allowed");
  }
  const query = new URLSearchParams(search);
  const caller = await authenticate(rt, links, req, fileId, query);
  if (caller instanceof ConnectError) {
    res.setHeader("www-authenticate", 'Bearer realm="parley"');
    return reply(res, caller.code === Code.PermissionDenied ? 403 : 401, caller.rawMessage);
  }
  const file = await findReadableFile(rt.db, fileId, caller.userId);
  if (!file) return reply(res, 404, "no such file");
  await sendFile(blobs, req, res, file, query.get("download") === "1");
}

/** The caller from a Bearer token or a signed link; a ConnectError says why not. */
async function authenticate(
  rt: Runtime,
  links: DownloadLinks,
  req: Request,
  fileId: string,
  query: URLSearchParams,
): Promise<Principal | ConnectError> {
  try {
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "")?.[1];
    let principal: Principal;
    if (bearer) {
      principal = await rt.signer.verify(bearer);
    } else if (query.has("sig")) {
      const link = links.verify(fileId, query);
      if (!link) return new ConnectError("download link: invalid or expired", Code.Unauthenticated);
      principal = { ...link, role: "user", familyId: "", expiresAt: link.issuedAt };
    } else {
      const missing = "authorization: missing Bearer access token or signed link";
      return new ConnectError(missing, Code.Unauthenticated);
    }
    await rt.guard.assertAllowed(principal);
    return principal;
  } catch (error) {
    if (error instanceof ConnectError) return error;
    throw error;
  }
}

async function sendFile(
  blobs: BlobStore,
  req: Request,
  res: http.ServerResponse,
  file: StoredFile,
  forceDownload: boolean,
) {
  const size = Number(file.size);
  const etag = `"${file.sha256}"`;
  const inline = isInlineSafe(file.mediaType) && !forceDownload;
  const headers: Record<string, string> = {
    "content-type": file.mediaType,
    "content-disposition": contentDisposition(inline ? "inline" : "attachment", file.name),
    "x-content-type-options": "nosniff",
    // Even if a browser were talked into rendering it, a file runs no script and loads nothing.
    "content-security-policy": "default-src 'none'; sandbox",
    "referrer-policy": "no-referrer",
    "accept-ranges": "bytes",
    etag,
    // A file id always names the same bytes; only the caller's own browser may keep them.
    "cache-control": "private, max-age=86400",
  };
  if (res.hasHeader("access-control-allow-origin")) {
    headers["access-control-expose-headers"] = EXPOSED;
  }
  if (req.headers["if-none-match"] === etag) return void res.writeHead(304, headers).end();

  const stale = req.headers["if-range"] !== undefined && req.headers["if-range"] !== etag;
  const range = stale ? { kind: "full" as const } : parseRange(req.headers.range, size);
  if (range.kind === "unsatisfiable") {
    headers["content-range"] = `bytes */${size}`;
    return void res.writeHead(416, headers).end();
  }
  const [start, end] = range.kind === "partial" ? [range.start, range.end] : [0, size - 1];
  const length = end - start + 1;
  if (range.kind === "partial") headers["content-range"] = `bytes ${start}-${end}/${size}`;
  headers["content-length"] = String(length);
  const body =
    req.method === "HEAD" || length === 0
      ? undefined
      : await blobs.read(file.storageKey, start, end);
  res.writeHead(range.kind === "partial" ? 206 : 200, headers);
  if (body) await pipeline(body, res);
  else res.end();
}

function reply(res: http.ServerResponse, status: number, message: string) {
  res.setHeader("content-type", "text/plain; charset=utf-8");
  res.setHeader("cache-control", "no-store");
  res.setHeader("x-content-type-options", "nosniff");
  res.writeHead(status);
  res.end(`${message}\n`);
}
