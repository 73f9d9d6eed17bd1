import { Code, ConnectError } from "@connectrpc/connect";
import { type Upload, UploadSchema, UploadState } from "@parley/proto";
import { backoffDelay, RECONNECT_BACKOFF } from "./backoff";
import type { ParleyClient } from "./client";
import type { FileView } from "./model";
import { hashBlob } from "./upload-hash";
import { ProgressMeter } from "./upload-progress";

/** The header in which a refused chunk's response carries the offset the server holds. */
export const UPLOAD_OFFSET_HEADER = "parley-upload-offset";

// One chunk is at most FILES_CHUNK_BYTES (1 MiB by default): a minute is slow even on 3G.
const CHUNK_TIMEOUT_MS = 60_000;

export type UploadStatus =
  | "hashing"
  | "uploading"
  | "retrying"
  | "paused"
  | "complete"
  | "failed"
  | "cancelled";

/** One upload as a view shows it: plain data, replaced on every change. */
export interface UploadView {
  /** Local key, stable for the life of the task. */
  key: string;
  /** The server's upload id, once announced. */
  uploadId?: string;
  conversationId: string;
  name: string;
  size: number;
  mediaType: string;
  status: UploadStatus;
  /** Bytes hashed so far (status hashing). */
  hashed: number;
  /** Bytes the server holds. */
  offset: number;
  /** Bytes per second over the last seconds; 0 while unknown. */
  speed: number;
  remainingMs?: number;
  /** Bytes put on the wire, including chunks that were lost and sent again. */
  sentBytes: number;
  /** Why it failed, or what it is waiting for; safe to show. */
  error?: string;
  /** The stored file, once complete. */
  file?: FileView;
}

/** What identifies the same file again after a reload: the server keeps these. */
export interface Fingerprint {
  name: string;
  size: number;
  sha256: string;
}

/**
 * The server's view of an upload carried by a refused chunk (FAILED_PRECONDITION): the Upload
 * in the error details, else only the offset from the `parley-upload-offset` header.
 */
export function heldOffset(error: ConnectError): bigint | undefined {
  if (error.code !== Code.FailedPrecondition) return undefined;
  const upload = error.findDetails(UploadSchema)[0];
  if (upload) return upload.offset;
  const header = error.metadata.get(UPLOAD_OFFSET_HEADER);
  return header && /^\d+$/.test(header) ? BigInt(header) : undefined;
}

/** An unfinished upload of the same file (same name, size and SHA-256), to continue. */
export function findResumable(uploads: readonly Upload[], file: Fingerprint): Upload | undefined {
  return uploads.find(
    (u) =>
      u.state === UploadState.UPLOADING &&
      u.name === file.name &&
      u.size === BigInt(file.size) &&
      u.sha256 === file.sha256,
  );
}

/** Failures after which the same request may succeed: the network, a busy or full server. */
export function isPassingFault(code: Code): boolean {
  return (
    code === Code.Unavailable ||
    code === Code.Unknown ||
    code === Code.DeadlineExceeded ||
    code === Code.Aborted ||
    code === Code.ResourceExhausted
  );
}

/** An upload the server refuses to continue (failed checksum, expired, lost bytes). */
class UploadRefused extends Error {}

export interface UploadTaskOptions {
  client: ParleyClient;
  key: string;
  conversationId: string;
  file: Blob;
  name: string;
  onChange: (task: UploadTask) => void;
  random?: () => number;
}

/**
 * Sends one file: hashes it, announces it (or finds its unfinished upload again), then sends
 * chunks at the offset the server holds. After any fault it asks GetUpload where the server
 * is and continues there, never from zero unless the server holds nothing.
 */
export class UploadTask {
  private view: UploadView;
  private sha256 = "";
  private chunkSize = 0;
  private controller: AbortController | undefined;
  private wake: (() => void) | undefined;
  private readonly meter = new ProgressMeter();

  constructor(private readonly options: UploadTaskOptions) {
    const { key, conversationId, file, name } = options;
    this.view = {
      key,
      conversationId,
      name,
      size: file.size,
      mediaType: file.type,
      status: "hashing",
      hashed: 0,
      offset: 0,
      speed: 0,
      sentBytes: 0,
    };
  }

  get snapshot(): UploadView {
    return this.view;
  }

  /** Starts (or, after a pause, continues) in the background. */
  start(): void {
    if (this.controller) return;
    const controller = new AbortController();
    this.controller = controller;
    void this.run(controller.signal).finally(() => {
      if (this.controller === controller) this.controller = undefined;
    });
  }

  pause(): void {
    if (!this.active) return;
    this.stop();
    this.patch({ status: "paused", speed: 0, remainingMs: undefined, error: undefined });
  }

  resume(): void {
    if (this.view.status !== "paused" && this.view.status !== "failed") return;
    this.patch({ status: this.sha256 ? "uploading" : "hashing", error: undefined });
    this.start();
  }

  /** Stops and deletes the server's copy; a complete upload stays (it is a file now). */
  async cancel(): Promise<void> {
    if (this.view.status === "complete" || this.view.status === "cancelled") return;
    this.stop();
    this.patch({ status: "cancelled", speed: 0, remainingMs: undefined });
    const { uploadId } = this.view;
    if (uploadId) await this.options.client.files.cancelUpload({ uploadId }).catch(() => {});
  }

  /** The network is back: retry now rather than after the backoff. */
  nudge(): void {
    this.wake?.();
  }

  get active(): boolean {
    const { status } = this.view;
    return status === "hashing" || status === "uploading" || status === "retrying";
  }

  private stop() {
    this.controller?.abort();
    this.controller = undefined;
    this.wake?.();
  }

  private async run(signal: AbortSignal): Promise<void> {
    try {
      if (!this.sha256) {
        const onProgress = (hashed: number) => this.patch({ hashed });
        this.sha256 = await hashBlob(this.options.file, { signal, onProgress });
      }
      if (!this.view.uploadId) await this.retrying(signal, () => this.announce(signal));
      await this.sendChunks(signal, this.view.offset > 0);
    } catch (error) {
      if (signal.aborted) return;
      const message =
        error instanceof UploadRefused ? error.message : describeFailure(ConnectError.from(error));
      this.patch({ status: "failed", error: message, speed: 0, remainingMs: undefined });
    }
  }

  /** Continues this file's unfinished upload if the server has one, else creates one. */
  private async announce(signal: AbortSignal): Promise<void> {
    const { files } = this.options.client;
    const fingerprint = { name: this.view.name, size: this.view.size, sha256: this.sha256 };
    const { uploads } = await files.listUploads({}, { signal });
    let upload = findResumable(uploads, fingerprint);
    if (!upload) {
      const request = { ...fingerprint, size: BigInt(fingerprint.size) };
      const created = await files.createUpload(
        { ...request, mediaType: this.view.mediaType },
        {
          signal,
        },
      );
      upload = created.upload;
    }
    if (!upload) throw new Error("CreateUpload answered without an upload");
    this.chunkSize = upload.chunkSize || 1024 * 1024;
    this.patch({ uploadId: upload.id });
    this.accept(upload);
  }

  /** Sends chunk after chunk; after a fault asks the server for its offset first. */
  private async sendChunks(signal: AbortSignal, resumed: boolean): Promise<void> {
    const { files } = this.options.client;
    const uploadId = this.view.uploadId ?? "";
    let ask = resumed;
    let attempt = 0;
    this.meter.restart();
    while (!this.complete) {
      try {
        if (ask) this.accept((await files.getUpload({ uploadId }, { signal })).upload);
        ask = false;
        if (this.complete) return;
        await this.sendChunk(uploadId, signal);
        attempt = 0;
      } catch (error) {
        if (signal.aborted || error instanceof UploadRefused) throw error;
        const failure = ConnectError.from(error);
        const held = failure.findDetails(UploadSchema)[0];
        // The usual refusal after a lost response: the chunk was stored, go on from there.
        if (failure.code === Code.FailedPrecondition && held) {
          this.accept(held);
          continue;
        }
        if (failure.code !== Code.FailedPrecondition && !isPassingFault(failure.code)) throw error;
        await this.backOff(attempt++, signal);
        ask = true;
      }
    }
  }

  private get complete(): boolean {
    return this.view.status === "complete";
  }

  private async sendChunk(uploadId: string, signal: AbortSignal): Promise<void> {
    const start = this.view.offset;
    const end = Math.min(this.view.size, start + this.chunkSize);
    const data = new Uint8Array(await this.options.file.slice(start, end).arrayBuffer());
    this.patch({ sentBytes: this.view.sentBytes + data.length });
    const response = await this.options.client.files.uploadChunk(
      { uploadId, offset: BigInt(start), data },
      { signal, timeoutMs: CHUNK_TIMEOUT_MS },
    );
    this.accept(response.upload);
  }

  /** Takes the server's word on where the upload is. */
  private accept(upload: Upload | undefined): void {
    if (!upload) throw new Error("the server answered without the upload");
    if (upload.state === UploadState.FAILED) {
      throw new UploadRefused("The upload failed on the server; send the file again");
    }
    if (upload.state === UploadState.EXPIRED) {
      throw new UploadRefused("The upload expired; send the file again");
    }
    const offset = Number(upload.offset);
    const now = Date.now();
    this.meter.record(offset, now);
    if (upload.state === UploadState.COMPLETE && upload.file) {
      const { id, name, size, mediaType } = upload.file;
      const file = { id, name, size: Number(size), mediaType };
      this.patch({ status: "complete", offset, file, speed: 0, remainingMs: undefined });
      return;
    }
    const speed = this.meter.speed();
    const remainingMs = this.meter.remainingMs(this.view.size);
    this.patch({ status: "uploading", offset, speed, remainingMs, error: undefined });
  }

  private async retrying(signal: AbortSignal, step: () => Promise<void>): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await step();
      } catch (error) {
        if (signal.aborted || !isPassingFault(ConnectError.from(error).code)) throw error;
        await this.backOff(attempt, signal);
      }
    }
  }

  /** Waits before the next attempt; `nudge()` or `pause()` ends the wait early. */
  private async backOff(attempt: number, signal: AbortSignal): Promise<void> {
    this.meter.restart();
    const error = "Connection lost; the upload continues when it is back";
    this.patch({ status: "retrying", speed: 0, remainingMs: undefined, error });
    const random = this.options.random ?? Math.random;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, backoffDelay(attempt, RECONNECT_BACKOFF, random()));
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
    this.wake = undefined;
    signal.throwIfAborted();
  }

  private patch(change: Partial<UploadView>): void {
    this.view = { ...this.view, ...change };
    this.options.onChange(this);
  }
}

/** A reason that is safe to show for a failure the upload cannot get past by retrying. */
export function describeFailure(failure: ConnectError): string {
  switch (failure.code) {
    case Code.Unauthenticated:
      return "Not sent: your session has ended";
    case Code.Canceled:
      return "Stopped";
    default:
      return failure.rawMessage ? `Not sent: ${failure.rawMessage}` : "Not sent";
  }
}
