import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { UploadSchema, UploadState } from "@parley/proto";
import { HASH_SLICE_BYTES, hashBlob } from "./upload-hash";
import { formatBytes, formatDuration, ProgressMeter } from "./upload-progress";
import { findResumable, heldOffset, isPassingFault, UPLOAD_OFFSET_HEADER } from "./uploads";

const hex = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

describe("hashBlob", () => {
  it("matches a one-shot SHA-256 across slice boundaries, for empty and odd sizes", async () => {
    for (const size of [0, 1, HASH_SLICE_BYTES, 2 * HASH_SLICE_BYTES + 17]) {
      const bytes = randomBytes(size);
      assert.equal(await hashBlob(new Blob([bytes])), hex(bytes), `size ${size}`);
    }
  });

  it("reports progress after every slice and stops when aborted", async () => {
    const blob = new Blob([randomBytes(HASH_SLICE_BYTES + 5)]);
    const seen: number[] = [];
    await hashBlob(blob, { onProgress: (n) => seen.push(n) });
    assert.deepEqual(seen, [HASH_SLICE_BYTES, HASH_SLICE_BYTES + 5]);
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(hashBlob(blob, { signal: controller.signal }));
  });
});

describe("ProgressMeter", () => {
  it("measures speed over the window and the time left at that speed", () => {
    const meter = new ProgressMeter(5_000);
    assert.equal(meter.speed(), 0);
    assert.equal(meter.remainingMs(100), undefined);
    meter.record(0, 0);
    meter.record(1_000_000, 1_000);
    assert.equal(meter.speed(), 1_000_000);
    assert.equal(meter.remainingMs(3_000_000), 2_000);
  });

  it("forgets samples older than the window, so a slowdown shows", () => {
    const meter = new ProgressMeter(2_000);
    meter.record(0, 0);
    meter.record(10_000_000, 1_000);
    meter.record(10_100_000, 4_000);
    meter.record(10_200_000, 5_000);
    // Only the last ~2 s count: 200 kB over 1 s, from the sample just before the window.
    assert.ok(meter.speed() < 200_000, `speed ${meter.speed()}`);
  });

  it("starts afresh after a restart: waiting time is not speed", () => {
    const meter = new ProgressMeter();
    meter.record(0, 0);
    meter.record(500, 1_000);
    meter.restart();
    meter.record(500, 60_000);
    assert.equal(meter.speed(), 0);
  });
});

describe("formatting", () => {
  it("says sizes in binary units with at most one decimal", () => {
    assert.equal(formatBytes(0), "0 B");
    assert.equal(formatBytes(1023), "1023 B");
    assert.equal(formatBytes(1536), "1.5 KiB");
    assert.equal(formatBytes(20 * 1024 * 1024), "20 MiB");
    assert.equal(formatBytes(5 * 1024 ** 3), "5 GiB");
  });

  it("says remaining time roughly", () => {
    assert.equal(formatDuration(200), "1 s");
    assert.equal(formatDuration(59_000), "59 s");
    assert.equal(formatDuration(10 * 60_000), "10 min");
    assert.equal(formatDuration(80 * 60_000), "1 h 20 min");
  });
});

describe("resuming", () => {
  type Fields = {
    name?: string;
    size?: bigint;
    sha256?: string;
    state?: UploadState;
    offset?: bigint;
  };
  const upload = (fields: Fields) =>
    create(UploadSchema, {
      id: "01JABCDEFGHJKMNPQRSTVWXYZ0",
      name: "報告.pdf",
      size: 100n,
      sha256: "a".repeat(64),
      state: UploadState.UPLOADING,
      ...fields,
    });

  it("finds the unfinished upload of the same name, size and SHA-256 only", () => {
    const file = { name: "報告.pdf", size: 100, sha256: "a".repeat(64) };
    const same = upload({ offset: 40n });
    assert.equal(findResumable([same], file), same);
    assert.equal(findResumable([upload({ name: "報告 (1).pdf" })], file), undefined);
    assert.equal(findResumable([upload({ size: 101n })], file), undefined);
    assert.equal(findResumable([upload({ sha256: "b".repeat(64) })], file), undefined);
    assert.equal(findResumable([upload({ state: UploadState.EXPIRED })], file), undefined);
  });

  it("reads the server's offset from a refused chunk's details, else from the header", () => {
    const details = new ConnectError("offset", Code.FailedPrecondition, undefined, [
      { desc: UploadSchema, value: upload({ offset: 42n }) },
    ]);
    assert.equal(heldOffset(details), 42n);
    const header = new ConnectError("offset", Code.FailedPrecondition, {
      [UPLOAD_OFFSET_HEADER]: "7",
    });
    assert.equal(heldOffset(header), 7n);
    assert.equal(heldOffset(new ConnectError("offset", Code.FailedPrecondition)), undefined);
    assert.equal(
      heldOffset(new ConnectError("x", Code.Unavailable, { [UPLOAD_OFFSET_HEADER]: "7" })),
      undefined,
    );
  });

  it("retries network and busy faults, not refusals", () => {
    for (const code of [Code.Unavailable, Code.Unknown, Code.Aborted, Code.DeadlineExceeded]) {
      assert.equal(isPassingFault(code), true, Code[code]);
    }
    for (const code of [Code.InvalidArgument, Code.NotFound, Code.PermissionDenied]) {
      assert.equal(isPassingFault(code), false, Code[code]);
    }
  });
});
