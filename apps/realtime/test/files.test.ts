import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { Code, ConnectError } from "@connectrpc/connect";
import { createFriendship, createGroup } from "@parley/db";
import { MessageKind, UploadSchema, UploadState } from "@parley/proto";
import {
  announce,
  asUser,
  CHUNK,
  dispositionName,
  download,
  EMPTY_SHA256,
  type Fetched,
  fileClient,
  rawGet,
  refusal,
  sendFileMessage,
  sendRange,
  sha256,
  uploadWhole,
  waitUntil,
} from "./files-helpers.ts";
import {
  Inbox,
  type Instance,
  kafkaBrokers,
  redisUrl,
  registerUser,
  scratchDatabase,
  startInstance,
  type TestUser,
  uniqueName,
} from "./harness.ts";

const MAX_BYTES = 64 * CHUNK;

let database: Awaited<ReturnType<typeof scratchDatabase>>;
let filesDir: string;
let env: Record<string, string>;
let one: Instance;
let two: Instance;
const extra: Instance[] = [];

before(async () => {
  database = await scratchDatabase();
  filesDir = await mkdtemp(join(tmpdir(), "parley-files-"));
  env = {
    DATABASE_URL: database.url,
    KAFKA_BROKERS: kafkaBrokers,
    REDIS_URL: redisUrl,
    KAFKA_TOPIC: uniqueName("parley.test"),
    KAFKA_GROUP_ID: uniqueName("persister"),
    KAFKA_PARTITIONS: "2",
    KAFKA_SESSION_TIMEOUT_MS: "6000",
    FILES_DIR: filesDir,
    FILES_MAX_BYTES: String(MAX_BYTES),
    FILES_CHUNK_BYTES: String(CHUNK),
    FILES_SWEEP_SECONDS: "1",
  };
  [one, two] = await Promise.all([
    startInstance({ ...env, INSTANCE_ID: "files-one" }),
    startInstance({ ...env, INSTANCE_ID: "files-two" }),
  ]);
});

after(async () => {
  await Promise.all([one, two, ...extra].map((instance) => instance?.stop()));
  await database?.drop();
  if (filesDir) await rm(filesDir, { recursive: true, force: true });
});

function storedPath(uploadId: string) {
  return join(filesDir, uploadId.slice(-2), uploadId);
}

// --- tests ---------------------------------------------------------------------------------

describe("resumable uploads", () => {
  it("resumes an interrupted upload at the server's offset and lists it meanwhile", async () => {
    const alice = await registerUser(one.url);
    const files = fileClient(one.url, alice);
    const bytes = randomBytes(5 * CHUNK + 123);
    const { upload } = await files.createUpload(announce(bytes, "holiday.mov", "video/quicktime"));
    assert.equal(upload!.state, UploadState.UPLOADING);
    assert.equal(upload!.chunkSize, CHUNK);
    assert.equal(upload!.offset, 0n);

    await sendRange(files, upload!, bytes, 0, 2 * CHUNK);
    // The connection drops; a reloaded page finds the upload and asks where to go on.
    const { uploads } = await files.listUploads({});
    const found = uploads.find((u) => u.id === upload!.id);
    assert.equal(found?.offset, BigInt(2 * CHUNK));
    assert.equal(found?.name, "holiday.mov");
    const { upload: state } = await files.getUpload({ uploadId: upload!.id });
    const done = await sendRange(files, upload!, bytes, Number(state!.offset), bytes.length);

    assert.equal(done.state, UploadState.COMPLETE);
    assert.equal(done.offset, BigInt(bytes.length));
    assert.ok(done.file?.id);
    assert.equal(done.file.sha256, sha256(bytes));
    const after = await files.listUploads({});
    assert.ok(!after.uploads.some((u) => u.id === upload!.id), "complete uploads are not listed");
    const got = await download(one.url, `/files/${done.file.id}`, asUser(alice));
    assert.equal(got.status, 200);
    assert.equal(sha256(got.body), sha256(bytes));
  });

  it("refuses a chunk at any other offset, telling the offset in a header and the details", async () => {
    const alice = await registerUser(one.url);
    const bytes = randomBytes(3 * CHUNK);
    for (const protocol of ["h1", "h2"] as const) {
      const files = fileClient(two.url, alice, protocol);
      const { upload } = await files.createUpload(announce(bytes));
      await sendRange(files, upload!, bytes, 0, CHUNK);
      for (const offset of [0, CHUNK + 1, 2 * CHUNK]) {
        const data = bytes.subarray(offset, offset + CHUNK);
        const error = await refusal(
          files.uploadChunk({ uploadId: upload!.id, offset: BigInt(offset), data }),
          Code.FailedPrecondition,
        );
        assert.match(error.rawMessage, new RegExp(`holds ${CHUNK} bytes`));
        assert.equal(error.metadata.get("parley-upload-offset"), String(CHUNK), protocol);
        assert.equal(error.findDetails(UploadSchema)[0]?.offset, BigInt(CHUNK), protocol);
      }
      const { upload: state } = await files.getUpload({ uploadId: upload!.id });
      assert.equal(state!.offset, BigInt(CHUNK));
    }
  });

  it("refuses chunks over the chunk size, before reading huge ones", async () => {
    const alice = await registerUser(one.url);
    const files = fileClient(one.url, alice);
    const bytes = randomBytes(5 * CHUNK);
    const { upload } = await files.createUpload(announce(bytes));
    const uploadId = upload!.id;
    const over = { uploadId, offset: 0n, data: bytes.subarray(0, CHUNK + 1) };
    const error = await refusal(files.uploadChunk(over), Code.InvalidArgument);
    assert.equal(error.rawMessage, `data: at most ${CHUNK} bytes per chunk`);
    const huge = { uploadId, offset: 0n, data: bytes.subarray(0, 4 * CHUNK) };
    await refusal(fileClient(one.url, alice, "h2").uploadChunk(huge), Code.ResourceExhausted);
    assert.equal((await files.getUpload({ uploadId })).upload!.offset, 0n);
  });

  it("writes one of two racing chunks for the same offset, whole, across instances", async () => {
    const alice = await registerUser(one.url);
    const clients = [fileClient(one.url, alice), fileClient(two.url, alice, "h2")];
    const bytes = randomBytes(3 * CHUNK);
    const { upload } = await clients[0]!.createUpload(announce(bytes));
    const id = upload!.id;
    await sendRange(clients[0]!, upload!, bytes, 0, CHUNK);

    // Ten different chunks for the same offset, at once, through both instances.
    const variants = Array.from({ length: 10 }, () => randomBytes(CHUNK));
    const results = await Promise.allSettled(
      variants.map((data, i) =>
        clients[i % 2]!.uploadChunk({ uploadId: id, offset: BigInt(CHUNK), data }),
      ),
    );
    const winners = results.flatMap((r, i) => (r.status === "fulfilled" ? [i] : []));
    assert.equal(winners.length, 1, `exactly one chunk wins, got ${winners.length}`);
    for (const r of results) {
      if (r.status === "fulfilled") continue;
      const code = ConnectError.from(r.reason).code;
      assert.ok([Code.Aborted, Code.FailedPrecondition].includes(code), Code[code]);
    }
    const stored = await readFile(storedPath(id));
    assert.equal(stored.length, 2 * CHUNK, "the stored length is the offset reported");
    assert.ok(stored.subarray(CHUNK).equals(variants[winners[0]!]!), "the winner's bytes, whole");
    const { upload: state } = await clients[1]!.getUpload({ uploadId: id });
    assert.equal(state!.offset, BigInt(2 * CHUNK));
    await clients[0]!.cancelUpload({ uploadId: id });
  });

  it("ignores a duplicate of a chunk already stored, and the file comes out intact", async () => {
    const alice = await registerUser(two.url);
    const clients = [fileClient(one.url, alice), fileClient(two.url, alice)];
    const bytes = randomBytes(3 * CHUNK + 10);
    const { upload } = await clients[0]!.createUpload(announce(bytes));
    const id = upload!.id;
    await sendRange(clients[0]!, upload!, bytes, 0, CHUNK);
    // A retry after a lost reply: the same chunk again, sequentially, then several at once.
    const again = { uploadId: id, offset: 0n, data: bytes.subarray(0, CHUNK) };
    await refusal(clients[1]!.uploadChunk(again), Code.FailedPrecondition);
    const second = { uploadId: id, offset: BigInt(CHUNK), data: bytes.subarray(CHUNK, 2 * CHUNK) };
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) => clients[i % 2]!.uploadChunk(second)),
    );
    assert.equal(results.filter((r) => r.status === "fulfilled").length, 1);

    const done = await sendRange(clients[1]!, upload!, bytes, 2 * CHUNK, bytes.length);
    assert.equal(done.state, UploadState.COMPLETE);
    const got = await download(two.url, `/files/${done.file!.id}`, asUser(alice));
    assert.equal(sha256(got.body), sha256(bytes));
  });

  it("never extends a finished upload; the same file again is a new upload", async () => {
    const alice = await registerUser(one.url);
    const files = fileClient(one.url, alice);
    const bytes = randomBytes(CHUNK + 1);
    const done = await uploadWhole(files, bytes);
    const extend = { uploadId: done.id, offset: done.size, data: new Uint8Array([1]) };
    const error = await refusal(files.uploadChunk(extend), Code.FailedPrecondition);
    assert.match(error.rawMessage, /complete/);
    assert.equal(error.metadata.get("parley-upload-offset"), String(bytes.length));
    await refusal(files.uploadChunk({ ...extend, offset: 0n }), Code.FailedPrecondition);
    await refusal(files.cancelUpload({ uploadId: done.id }), Code.FailedPrecondition);

    const twice = await uploadWhole(files, bytes);
    assert.notEqual(twice.id, done.id);
    assert.notEqual(twice.file!.id, done.file!.id);
    assert.equal((await readFile(storedPath(done.id))).length, bytes.length);
  });

  it("fails an upload whose bytes do not match the declared SHA-256, and removes them", async () => {
    const alice = await registerUser(one.url);
    const files = fileClient(one.url, alice);
    const bytes = randomBytes(2 * CHUNK + 7);
    const { upload } = await files.createUpload(announce(bytes));
    const corrupted = Buffer.from(bytes);
    corrupted[CHUNK + 3] = (corrupted[CHUNK + 3] ?? 0) ^ 0xff;
    await sendRange(files, upload!, corrupted, 0, 2 * CHUNK);
    const last = {
      uploadId: upload!.id,
      offset: BigInt(2 * CHUNK),
      data: corrupted.subarray(2 * CHUNK),
    };
    const error = await refusal(files.uploadChunk(last), Code.InvalidArgument);
    assert.match(
      error.rawMessage,
      /^sha256: the received bytes hash to [0-9a-f]{64}, not the declared/,
    );

    const { upload: state } = await files.getUpload({ uploadId: upload!.id });
    assert.equal(state!.state, UploadState.FAILED);
    assert.equal(state!.file, undefined);
    assert.ok(!existsSync(storedPath(upload!.id)), "the bad bytes are removed");
    await refusal(files.uploadChunk(last), Code.FailedPrecondition);
    assert.equal(await database.db.file.count({ where: { uploadId: upload!.id } }), 0);
  });

  it("completes a zero-byte file at creation and serves it as 0 bytes", async () => {
    const alice = await registerUser(one.url);
    const files = fileClient(one.url, alice);
    const { upload } = await files.createUpload({
      name: "empty.txt",
      size: 0n,
      sha256: EMPTY_SHA256,
      mediaType: "text/plain",
    });
    assert.equal(upload!.state, UploadState.COMPLETE);
    assert.equal(upload!.file?.size, 0n);
    const got = await download(two.url, `/files/${upload!.file!.id}`, asUser(alice));
    assert.equal(got.status, 200);
    assert.equal(got.body.length, 0);
    assert.equal(got.headers.get("content-length"), "0");
    const wrong = { name: "empty.txt", size: 0n, sha256: "ab".repeat(32), mediaType: "" };
    await refusal(files.createUpload(wrong), Code.InvalidArgument);
    const extend = { uploadId: upload!.id, offset: 0n, data: new Uint8Array([1]) };
    await refusal(files.uploadChunk(extend), Code.FailedPrecondition);
  });

  it("refuses files over the size limit and uploads over the per-user quota", async () => {
    const alice = await registerUser(one.url);
    const files = fileClient(one.url, alice);
    const big = {
      name: "big.iso",
      size: BigInt(MAX_BYTES + 1),
      sha256: "0".repeat(64),
      mediaType: "",
    };
    const error = await refusal(files.createUpload(big), Code.ResourceExhausted);
    assert.match(error.rawMessage, new RegExp(`limit of ${MAX_BYTES} bytes \\(4 MiB\\)`));

    const small = { name: "a.txt", size: 10n, sha256: "0".repeat(64), mediaType: "text/plain" };
    const made = await Promise.all(Array.from({ length: 5 }, () => files.createUpload(small)));
    const full = await refusal(files.createUpload(small), Code.ResourceExhausted);
    assert.match(full.rawMessage, /at most 5 unfinished uploads/);
    const empty = { name: "e", size: 0n, sha256: EMPTY_SHA256, mediaType: "" };
    await files.createUpload(empty);
    await files.cancelUpload({ uploadId: made[0]!.upload!.id });
    await files.createUpload(small);
    assert.equal((await files.listUploads({})).uploads.length, 5);
  });

  it("lets nobody else continue, read, cancel or download an upload", async () => {
    const alice = await registerUser(one.url);
    const mallory = await registerUser(two.url);
    const mine = fileClient(one.url, alice);
    const theirs = fileClient(two.url, mallory);
    const bytes = randomBytes(2 * CHUNK);
    const { upload } = await mine.createUpload(announce(bytes));
    const uploadId = upload!.id;
    await sendRange(mine, upload!, bytes, 0, CHUNK);

    const chunk = { uploadId, offset: BigInt(CHUNK), data: bytes.subarray(CHUNK) };
    await refusal(theirs.uploadChunk(chunk), Code.NotFound);
    await refusal(theirs.getUpload({ uploadId }), Code.NotFound);
    await refusal(theirs.cancelUpload({ uploadId }), Code.NotFound);
    assert.equal((await theirs.listUploads({})).uploads.length, 0);
    const done = await sendRange(mine, upload!, bytes, CHUNK, bytes.length);

    const fileId = done.file!.id;
    assert.equal((await download(two.url, `/files/${fileId}`, asUser(mallory))).status, 404);
    await refusal(theirs.getDownloadUrl({ fileId }), Code.NotFound);
    assert.equal((await download(two.url, `/files/${fileId}`)).status, 401);
    const forged = { authorization: "Bearer not-a-token" };
    assert.equal((await download(two.url, `/files/${fileId}`, forged)).status, 401);
    const link = (await mine.getDownloadUrl({ fileId })).path;
    const otherFile = await uploadWhole(theirs, randomBytes(10));
    const moved = link.replace(fileId, otherFile.file!.id);
    assert.equal((await download(one.url, moved)).status, 401, "a link names one file");
    const tampered = link.replace(/sig=[^&]+/, "sig=AAAA");
    assert.equal((await download(one.url, tampered)).status, 401);
  });

  it("keeps unicode, quote, percent and traversal names as display names only", async () => {
    const alice = await registerUser(one.url);
    const files = fileClient(one.url, alice);
    const names = [
      "报告.pdf",
      "cafe\u0301.txt",
      "../../etc/x",
      "..\\x",
      'say "hi" it\'s.txt',
      "100% done;%2e%2e.txt",
      `${"名".repeat(296)}.txt`,
      "مرحبا 👋🏽.png",
    ];
    for (const name of names) {
      const bytes = randomBytes(100);
      const done = await uploadWhole(files, bytes, name, "application/pdf");
      assert.equal(done.name, name);
      assert.equal(done.file!.name, name);
      const { upload } = await files.getUpload({ uploadId: done.id });
      assert.equal(upload!.name, name, "NFD and everything else kept as given");
      const got = await download(two.url, `/files/${done.file!.id}`, asUser(alice));
      assert.equal(got.status, 200);
      assert.ok(got.body.equals(bytes));
      const disposition = got.headers.get("content-disposition");
      assert.match(disposition ?? "", /^attachment; filename="[\x20-\x7e]*"; filename\*=UTF-8''/);
      assert.doesNotMatch(disposition!.split(";")[1]!, /[\\%]|"[^"]*"[^"]*"/);
      assert.equal(dispositionName(disposition), name);
    }
    for (const bad of ["", "  ", "a\u0000b", "line\nbreak", "gpj\u202Eexe.txt", "x".repeat(1025)]) {
      const req = { name: bad, size: 1n, sha256: "0".repeat(64), mediaType: "" };
      const error = await refusal(files.createUpload(req), Code.InvalidArgument);
      assert.match(error.rawMessage, /^name: /);
    }
    // Only server-made ids on disk, one folder level deep.
    for (const folder of await readdir(filesDir)) {
      assert.match(folder, /^[0-9A-Z]{2}$/);
      for (const entry of await readdir(join(filesDir, folder))) {
        assert.match(entry, /^[0-9A-HJKMNP-TV-Z]{26}$/);
      }
    }
  });

  it("refuses traversal in the download URL and in upload ids", async () => {
    const alice = await registerUser(one.url);
    const files = fileClient(one.url, alice);
    const done = await uploadWhole(files, randomBytes(10));
    const paths = [
      "/files/../package.json",
      "/files/..%2F..%2Fpackage.json",
      "/files/%2e%2e/%2e%2e/etc/passwd",
      "/files/..\\..\\package.json",
      `/files/${done.file!.id}/../../package.json`,
      `/files/${done.file!.id}%00`,
      "/files/",
    ];
    for (const path of paths) {
      const status = await rawGet(one.port, path, alice.token);
      assert.ok(status === 400 || status === 404, `${path}: ${status}`);
    }
    const traversal = { uploadId: "../../etc/passwd", offset: 0n, data: new Uint8Array([1]) };
    const error = await refusal(files.uploadChunk(traversal), Code.InvalidArgument);
    assert.match(error.rawMessage, /^upload_id: /);
    await refusal(files.getUpload({ uploadId: "..%2F" }), Code.InvalidArgument);
  });

  it("expires an abandoned upload and removes its bytes", async () => {
    const alice = await registerUser(one.url);
    const files = fileClient(one.url, alice);
    const bytes = randomBytes(2 * CHUNK);
    const { upload } = await files.createUpload(announce(bytes));
    await sendRange(files, upload!, bytes, 0, CHUNK);
    assert.ok(existsSync(storedPath(upload!.id)));
    // As if a day had passed since the last chunk.
    await database.db.upload.update({
      where: { id: upload!.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    // The sweeper removes the bytes, then commits the state.
    await waitUntil(async () => {
      const row = await database.db.upload.findUnique({ where: { id: upload!.id } });
      return row?.state === "expired";
    }, "the sweeper");
    assert.ok(!existsSync(storedPath(upload!.id)), "the bytes are gone");
    const { upload: state } = await files.getUpload({ uploadId: upload!.id });
    assert.equal(state!.state, UploadState.EXPIRED);
    const chunk = { uploadId: upload!.id, offset: BigInt(CHUNK), data: bytes.subarray(CHUNK) };
    await refusal(files.uploadChunk(chunk), Code.FailedPrecondition);
    assert.ok(!(await files.listUploads({})).uploads.some((u) => u.id === upload!.id));
  });
});

describe("files in conversations", () => {
  it("delivers a file message and lets the recipient download it, with ranges", async () => {
    const alice = await registerUser(one.url);
    const bob = await registerUser(two.url);
    const carol = await registerUser(two.url);
    const { conversationId } = await createFriendship(database.db, alice.id, bob.id);
    const bobBox = new Inbox(bob.messages);
    try {
      await bobBox.waitFor(() => bobBox.events.some((e) => e.event.case === "sync"), "sync");
      const bytes = randomBytes(3 * CHUNK + 5);
      const done = await uploadWhole(fileClient(one.url, alice), bytes, "photo.png", "image/png");
      const fileId = done.file!.id;
      await sendFileMessage(alice, conversationId, fileId);
      const live = await bobBox.waitFor(
        () => bobBox.messages(conversationId).find((m) => m.kind === MessageKind.FILE),
        "the live file message",
      );
      assert.equal(live.file?.id, fileId, "the live event carries the file");
      assert.equal(live.file?.name, "photo.png");
      const { messages } = await bob.messages.getHistory({ conversationId, limit: 10 });
      assert.equal(messages.at(-1)?.file?.sha256, sha256(bytes));

      const whole = await download(two.url, `/files/${fileId}`, asUser(bob));
      assert.equal(whole.status, 200);
      assert.equal(sha256(whole.body), sha256(bytes));
      assert.equal(whole.headers.get("content-type"), "image/png");
      assert.equal(whole.headers.get("x-content-type-options"), "nosniff");
      assert.equal(whole.headers.get("accept-ranges"), "bytes");
      assert.match(whole.headers.get("content-disposition") ?? "", /^inline; /);
      await checkRanges(bob, fileId, bytes);

      assert.equal((await download(two.url, `/files/${fileId}`, asUser(carol))).status, 404);
      const { path } = await fileClient(two.url, bob).getDownloadUrl({ fileId });
      const linked = await download(one.url, path);
      assert.equal(linked.status, 200, "a signed link needs no header");
      assert.equal(sha256(linked.body), sha256(bytes));
      const attached = await download(one.url, `${path}&download=1`);
      assert.match(attached.headers.get("content-disposition") ?? "", /^attachment; /);
    } finally {
      await bobBox.close();
    }
  });

  it("serves active content as an attachment, never inline", async () => {
    const alice = await registerUser(one.url);
    const files = fileClient(one.url, alice);
    for (const mediaType of ["image/svg+xml", "text/html", "application/pdf", "IMAGE/SVG+XML"]) {
      const done = await uploadWhole(files, Buffer.from("<svg onload=alert(1)>"), "x", mediaType);
      const got = await download(one.url, `/files/${done.file!.id}`, asUser(alice));
      assert.match(got.headers.get("content-disposition") ?? "", /^attachment; /, mediaType);
      assert.equal(got.headers.get("x-content-type-options"), "nosniff");
      assert.match(got.headers.get("content-security-policy") ?? "", /sandbox/);
    }
    const bad = { name: "x", size: 1n, sha256: "0".repeat(64), mediaType: "text/html\r\nx: y" };
    await refusal(files.createUpload(bad), Code.InvalidArgument);
  });

  it("shows a group file only to members who can see the message", async () => {
    const alice = await registerUser(one.url);
    const erin = await registerUser(two.url);
    const late = await registerUser(two.url);
    const group = await createGroup(database.db, {
      name: uniqueName("files"),
      ownerId: alice.id,
      memberIds: [erin.id],
    });
    const done = await uploadWhole(fileClient(one.url, alice), randomBytes(1000), "plan.pdf");
    const message = await sendFileMessage(alice, group.conversationId, done.file!.id);
    // Joins after the message: history before joinedSeq is not theirs to read.
    await database.db.conversationMember.create({
      data: { conversationId: group.conversationId, userId: late.id, joinedSeq: message.seq },
    });
    const path = `/files/${done.file!.id}`;
    assert.equal((await download(two.url, path, asUser(erin))).status, 200);
    assert.equal((await download(two.url, path, asUser(late))).status, 404);
    await refusal(
      fileClient(two.url, late).getDownloadUrl({ fileId: done.file!.id }),
      Code.NotFound,
    );
    // Nobody sends a file they did not upload.
    const erinsFile = await uploadWhole(fileClient(two.url, erin), randomBytes(5));
    const send = {
      conversationId: group.conversationId,
      clientMessageId: crypto.randomUUID(),
      kind: MessageKind.FILE,
      body: "",
      fileId: erinsFile.file!.id,
    };
    await refusal(alice.messages.send(send), Code.NotFound);
  });
});

async function checkRanges(user: TestUser, fileId: string, bytes: Buffer) {
  const size = bytes.length;
  const cases: Array<[string, number, number]> = [
    ["bytes=100-199", 100, 199],
    ["bytes=-50", size - 50, size - 1],
    [`bytes=${size - 10}-`, size - 10, size - 1],
    [`bytes=${size - 5}-${size + 100}`, size - 5, size - 1],
  ];
  for (const [range, start, end] of cases) {
    const got: Fetched = await download(two.url, `/files/${fileId}`, asUser(user, { range }));
    assert.equal(got.status, 206, range);
    assert.equal(got.headers.get("content-range"), `bytes ${start}-${end}/${size}`);
    assert.ok(got.body.equals(bytes.subarray(start, end + 1)), range);
  }
  const beyond = await download(
    two.url,
    `/files/${fileId}`,
    asUser(user, { range: `bytes=${size}-` }),
  );
  assert.equal(beyond.status, 416);
  assert.equal(beyond.headers.get("content-range"), `bytes */${size}`);
  const stale = await download(
    two.url,
    `/files/${fileId}`,
    asUser(user, { range: "bytes=0-9", "if-range": '"other"' }),
  );
  assert.equal(stale.status, 200);
  assert.equal(stale.body.length, size);
}

describe("restarts", () => {
  it("continues an upload after its instance dies, on another one and on the restarted one", async () => {
    const alice = await registerUser(one.url);
    const bytes = randomBytes(6 * CHUNK + 99);
    const first = fileClient(one.url, alice);
    const { upload } = await first.createUpload(announce(bytes, "resume.bin"));
    await sendRange(first, upload!, bytes, 0, 2 * CHUNK);
    await one.stop("SIGKILL");

    const second = fileClient(two.url, alice, "h2");
    const { upload: atTwo } = await second.getUpload({ uploadId: upload!.id });
    assert.equal(atTwo!.offset, BigInt(2 * CHUNK));
    await sendRange(second, upload!, bytes, 2 * CHUNK, 4 * CHUNK);

    const restarted = await startInstance({ ...env, INSTANCE_ID: "files-one-again" });
    extra.push(restarted);
    const third = fileClient(restarted.url, alice);
    const { upload: atThree } = await third.getUpload({ uploadId: upload!.id });
    assert.equal(atThree!.offset, BigInt(4 * CHUNK));
    const done = await sendRange(third, upload!, bytes, 4 * CHUNK, bytes.length);
    assert.equal(done.state, UploadState.COMPLETE);
    const got = await download(restarted.url, `/files/${done.file!.id}`, asUser(alice));
    assert.equal(sha256(got.body), sha256(bytes));
  });
});
