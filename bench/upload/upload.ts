/**
 * Upload throughput of one large file on loopback: a scratch database, one realtime instance
 * and a temporary FILES_DIR, then CreateUpload and sequential UploadChunk calls the way the
 * web client sends them (Connect, binary protobuf, HTTP/1.1), then a download to check the
 * SHA-256. Everything it makes is removed at the end.
 *
 *   npx tsx bench/upload/upload.ts [--mib 1024] [--chunk-kib 1024] [--protocol connect|grpc]
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createClient, type Interceptor } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import { FileService } from "@parley/proto";
import {
  type Instance,
  registerUser,
  scratchDatabase,
  startInstance,
} from "../../apps/realtime/test/harness.ts";

const MIB = 1024 * 1024;
// Bytes come from a random pool, stamped per chunk, so no two chunks are equal and the
// generator costs nothing next to the upload.
const POOL_BYTES = 64 * MIB;

const { values } = parseArgs({
  options: {
    mib: { type: "string", default: "1024" },
    "chunk-kib": { type: "string", default: "1024" },
    protocol: { type: "string", default: "connect" },
  },
});
const size = Number(values.mib) * MIB;
const chunkSize = Number(values["chunk-kib"]) * 1024;
const protocol = values.protocol === "grpc" ? "grpc" : "connect";

const pool = randomBytes(POOL_BYTES);

/** Chunk number `index` of the synthetic file: pool bytes with the index in front. */
function chunkAt(index: number): Buffer {
  const start = index * chunkSize;
  const length = Math.min(chunkSize, size - start);
  const chunk = Buffer.allocUnsafe(length);
  for (let copied = 0; copied < length; ) {
    const from = (start + copied) % POOL_BYTES;
    copied += pool.copy(chunk, copied, from, Math.min(POOL_BYTES, from + length - copied));
  }
  chunk.writeUInt32BE(index, 0);
  return chunk;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;
}

async function main() {
  const chunks = Math.ceil(size / chunkSize);
  const digest = createHash("sha256");
  for (let i = 0; i < chunks; i++) digest.update(chunkAt(i));
  const sha256 = digest.digest("hex");

  const database = await scratchDatabase();
  const filesDir = await mkdtemp(join(tmpdir(), "parley-bench-upload-"));
  let instance: Instance | undefined;
  try {
    instance = await startInstance({
      DATABASE_URL: database.url,
      FILES_DIR: filesDir,
      FILES_MAX_BYTES: String(size),
      FILES_CHUNK_BYTES: String(chunkSize),
    });
    const url = instance.url;
    const user = await registerUser(url);
    const bearer: Interceptor = (next) => (req) => {
      req.header.set("authorization", `Bearer ${user.token}`);
      return next(req);
    };
    const transport =
      protocol === "grpc"
        ? createGrpcTransport({ baseUrl: url, interceptors: [bearer] })
        : createConnectTransport({
            baseUrl: url,
            httpVersion: "1.1",
            useBinaryFormat: true,
            interceptors: [bearer],
          });
    const files = createClient(FileService, transport);

    const started = performance.now();
    const { upload } = await files.createUpload({
      name: "bench.bin",
      size: BigInt(size),
      sha256,
      mediaType: "application/octet-stream",
    });
    const latencies: number[] = [];
    let fileId = "";
    for (let i = 0; i < chunks; i++) {
      const data = chunkAt(i);
      const sent = performance.now();
      const res = await files.uploadChunk({
        uploadId: upload!.id,
        offset: BigInt(i * chunkSize),
        data,
      });
      latencies.push(performance.now() - sent);
      fileId = res.upload?.file?.id ?? "";
    }
    const uploadSeconds = (performance.now() - started) / 1000;
    if (!fileId) throw new Error("the upload did not complete");

    const fetched = performance.now();
    const res = await fetch(`${url}/files/${fileId}`, {
      headers: { authorization: `Bearer ${user.token}` },
    });
    const check = createHash("sha256");
    let received = 0;
    for await (const part of res.body as unknown as AsyncIterable<Uint8Array>) {
      check.update(part);
      received += part.length;
    }
    const downloadSeconds = (performance.now() - fetched) / 1000;
    const intact = received === size && check.digest("hex") === sha256;

    latencies.sort((a, b) => a - b);
    const lastChunk = latencies.length ? Math.max(...latencies) : 0;
    const report = {
      bench: "upload",
      protocol,
      sizeMiB: size / MIB,
      chunkKiB: chunkSize / 1024,
      chunks,
      uploadSeconds: round(uploadSeconds),
      uploadMiBps: round(size / MIB / uploadSeconds),
      chunkMs: {
        p50: round(percentile(latencies, 50)),
        p99: round(percentile(latencies, 99)),
        max: round(lastChunk),
      },
      downloadMiBps: round(size / MIB / downloadSeconds),
      intact,
    };
    process.stdout.write(`${JSON.stringify(report)}\n`);
    process.stdout.write(
      `upload ${report.sizeMiB} MiB in ${report.uploadSeconds} s = ${report.uploadMiBps} MiB/s ` +
        `(${protocol}, ${report.chunkKiB} KiB chunks, p50 ${report.chunkMs.p50} ms per chunk); ` +
        `download ${report.downloadMiBps} MiB/s; SHA-256 ${intact ? "matches" : "DIFFERS"}\n`,
    );
    if (!intact) process.exitCode = 1;
  } finally {
    await instance?.stop();
    await database.drop();
    await rm(filesDir, { recursive: true, force: true });
  }
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

await main();
