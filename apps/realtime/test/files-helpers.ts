import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import http from "node:http";
import {
  type Client,
  Code,
  ConnectError,
  createClient,
  type Interceptor,
} from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import { FileService, MessageKind, type Upload } from "@parley/proto";
import type { TestUser } from "./harness.ts";

/** Chunk size the file tests configure: small, so that files of a few chunks stay small. */
export const CHUNK = 64 * 1024;
export const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

export function fileClient(url: string, user: TestUser, protocol: "h1" | "h2" = "h1") {
  const bearer: Interceptor = (next) => (req) => {
    req.header.set("authorization", `Bearer ${user.token}`);
    return next(req);
  };
  const interceptors = [bearer];
  const transport =
    protocol === "h2"
      ? createGrpcTransport({ baseUrl: url, interceptors })
      : createConnectTransport({ baseUrl: url, httpVersion: "1.1", interceptors });
  return createClient(FileService, transport);
}

export type Files = Client<typeof FileService>;

export function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

export function announce(
  bytes: Uint8Array,
  name = "notes.bin",
  mediaType = "application/octet-stream",
) {
  return { name, size: BigInt(bytes.length), sha256: sha256(bytes), mediaType };
}

/** Sends bytes from `from` to `to` in CHUNK pieces; returns the last Upload. */
export async function sendRange(
  files: Files,
  upload: Upload,
  bytes: Uint8Array,
  from: number,
  to: number,
) {
  let last = upload;
  for (let offset = from; offset < to; offset += CHUNK) {
    const data = bytes.subarray(offset, Math.min(offset + CHUNK, to));
    last = (await files.uploadChunk({ uploadId: upload.id, offset: BigInt(offset), data })).upload!;
  }
  return last;
}

export async function uploadWhole(
  files: Files,
  bytes: Uint8Array,
  name?: string,
  mediaType?: string,
) {
  const { upload } = await files.createUpload(announce(bytes, name, mediaType));
  return sendRange(files, upload!, bytes, 0, bytes.length);
}

export async function refusal(promise: Promise<unknown>, code: Code): Promise<ConnectError> {
  const error = await promise.then(
    () => assert.fail(`expected ${Code[code]}`),
    (e: unknown) => ConnectError.from(e),
  );
  assert.equal(Code[error.code], Code[code], error.message);
  return error;
}

export interface Fetched {
  status: number;
  headers: Headers;
  body: Buffer;
}

export async function download(url: string, path: string, headers: Record<string, string> = {}) {
  const res = await fetch(url + path, { headers });
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}

export function asUser(user: TestUser, extra: Record<string, string> = {}) {
  return { authorization: `Bearer ${user.token}`, ...extra };
}

/** A raw GET, so that dot segments and escapes reach the server exactly as written. */
export function rawGet(port: number, path: string, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      { host: "127.0.0.1", port, path, headers: { authorization: `Bearer ${token}` } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on("error", reject);
  });
}

/** The name in a Content-Disposition's filename* parameter, decoded. */
export function dispositionName(header: string | null): string {
  const encoded = /filename\*=UTF-8''([^;]+)/.exec(header ?? "")?.[1];
  assert.ok(encoded, `no filename* in ${header}`);
  return decodeURIComponent(encoded);
}

export async function waitUntil<T>(check: () => Promise<T | undefined | false>, what: string) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function sendFileMessage(sender: TestUser, conversationId: string, fileId: string) {
  const clientMessageId = crypto.randomUUID();
  await sender.messages.send({
    conversationId,
    clientMessageId,
    kind: MessageKind.FILE,
    body: "",
    fileId,
  });
  // Stored once the persister has it; the seq makes it visible to the members.
  return waitUntil(async () => {
    const { messages } = await sender.messages.getHistory({ conversationId, limit: 50 });
    return messages.find((m) => m.clientMessageId === clientMessageId);
  }, "the file message to be stored");
}
