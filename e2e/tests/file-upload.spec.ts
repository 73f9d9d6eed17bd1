import { createHash, randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { fromBinary } from "@bufbuild/protobuf";
import { UploadChunkRequestSchema } from "@parley/proto";
import { befriend, createCast } from "../support/accounts.ts";
import { openConversation } from "../support/chat.ts";
import { expect, test } from "../support/people.ts";
import { rpc } from "../support/rpc.ts";

const MIB = 1024 * 1024;
const SIZE = 20 * MIB;
// The server's chunks are 1 MiB: the cut comes as the chunk at 8 MiB (40 %) is sent.
const CUT_AT = 8 * MIB;

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

interface ListedUploads {
  uploads?: { id: string; name: string; offset?: string }[];
}

test("a 20 MiB upload cut at 40 % resumes at the server's offset and arrives intact", async ({
  people,
  request,
}) => {
  test.setTimeout(90_000);
  const [ana, ben] = await createCast(request, 2);
  await befriend(request, ana, ben);
  const [a, b] = [await people.signIn(ana), await people.signIn(ben)];
  await openConversation(a.page, "Ben Okafor");
  await openConversation(b.page, "Ana Lima");

  // Every chunk Ana's browser sends passes here, slowed a little so the progress shows; at
  // 8 MiB her network to the file service goes (every call refused) until the test restores it.
  const offsets: number[] = [];
  let network: "up" | "down" | "restored" = "up";
  let refused = 0;
  a.allowConsoleErrors(/ERR_INTERNET_DISCONNECTED|ERR_FAILED|Failed to fetch|Failed to load/);
  await a.context.route(/\/parley\.v1\.FileService\//, async (route) => {
    const call = route.request();
    if (call.url().endsWith("/UploadChunk")) {
      const chunk = fromBinary(UploadChunkRequestSchema, call.postDataBuffer() ?? Buffer.alloc(0));
      offsets.push(Number(chunk.offset));
      if (network === "up" && chunk.offset >= BigInt(CUT_AT)) {
        network = "down";
      }
      await new Promise((resolve) => setTimeout(resolve, 60));
    }
    if (network !== "down") return route.continue();
    refused++;
    return route.abort("internetdisconnected");
  });

  const original = randomBytes(SIZE);
  await a.page.getByTestId("file-input").setInputFiles({
    name: "holiday 🏖️.bin",
    mimeType: "application/octet-stream",
    buffer: original,
  });
  const upload = a.page.getByTestId("upload-item");
  await expect(upload).toHaveAttribute("data-status", "uploading");
  await expect(upload.getByTestId("upload-status")).toContainText(/MiB\/s · .* left/);
  await a.snap("uploading");

  // Cut: the upload waits, and the server holds exactly the 8 MiB sent before.
  await expect(upload).toHaveAttribute("data-status", "retrying", { timeout: 30_000 });
  await expect(upload).toHaveAttribute("data-offset", String(CUT_AT));
  await a.snap("network-cut");
  const { uploads } = await rpc<ListedUploads>(
    request,
    ana.instance,
    "FileService/ListUploads",
    {},
    ana.token,
  );
  const held = uploads?.find((u) => u.name === "holiday 🏖️.bin");
  expect(Number(held?.offset ?? 0)).toBe(CUT_AT);
  const sentBeforeCut = offsets.length;

  // Restored once the uploader has asked again (GetUpload) and been refused: it goes on from
  // 8 MiB, never from zero, and completes.
  await expect.poll(() => refused, { timeout: 15_000 }).toBeGreaterThan(1);
  network = "restored";
  await expect(upload).toHaveCount(0, { timeout: 30_000 });
  const resumed = offsets.slice(sentBeforeCut);
  expect(resumed[0]).toBe(CUT_AT);
  const everyChunk = Array.from({ length: SIZE / MIB }, (_, i) => i * MIB);
  expect(offsets).toEqual([...everyChunk.slice(0, 9), ...everyChunk.slice(8)]);

  // Ben gets the message and downloads the very same bytes.
  const sent = a.page.getByTestId("file-attachment").filter({ hasText: "holiday 🏖️.bin" });
  await expect(sent).toBeVisible();
  await expect(sent.locator("xpath=ancestor::li[1]")).toHaveAttribute("data-status", /sent|read/);
  const received = b.page.getByTestId("file-attachment").filter({ hasText: "holiday 🏖️.bin" });
  await expect(received.getByTestId("file-size")).toHaveText("20 MiB");
  const [download] = await Promise.all([
    b.page.waitForEvent("download"),
    received.getByTestId("file-download").click(),
  ]);
  expect(download.suggestedFilename()).toBe("holiday 🏖️.bin");
  expect(sha256(await readFile(await download.path()))).toBe(sha256(original));

  // An image shows as a preview on both sides.
  const picture = await a.page.screenshot({ clip: { x: 0, y: 0, width: 480, height: 300 } });
  await a.page.getByTestId("file-input").setInputFiles({
    name: "screen.png",
    mimeType: "image/png",
    buffer: picture,
  });
  const preview = b.page.getByTestId("file-preview");
  await expect(preview).toBeVisible();
  await expect
    .poll(() => preview.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
    .toBe(480);
  await b.snap("image-preview");
});
