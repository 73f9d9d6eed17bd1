import type { Upload } from "@parley/proto";
import type { ParleyClient } from "./client";
import { UploadTask, type UploadView } from "./uploads";

/** What a view of uploads shows: the running ones, and unfinished ones found on the server. */
export interface UploadsState {
  uploads: readonly UploadView[];
  /** Unfinished uploads from an earlier page (ListUploads) that no task here is sending. */
  unfinished: readonly UnfinishedUpload[];
}

export interface UnfinishedUpload {
  uploadId: string;
  name: string;
  size: number;
  offset: number;
  /** The conversation it was meant for, when this browser remembers it. */
  conversationId?: string;
}

/** Where the conversation of each upload is remembered across a reload (localStorage). */
export interface UploadMemory {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export interface FileUploadsOptions {
  client: ParleyClient;
  /** Called once per upload that completes: send the message carrying the file here. */
  onComplete: (upload: UploadView) => void;
  memory?: UploadMemory;
}

const MEMORY_KEY = "parley.uploads";

/**
 * All uploads of one signed-in tab. Each file is a task that runs on its own; a task whose
 * File is still here resumes by itself when the network returns. After a reload the File is
 * gone: `refresh()` lists the server's unfinished uploads, and adding the same file again
 * (same name, size and SHA-256) continues its upload from the server's offset.
 */
export class FileUploads {
  private tasks: UploadTask[] = [];
  private found: Upload[] = [];
  private state: UploadsState = { uploads: [], unfinished: [] };
  private readonly listeners = new Set<() => void>();
  private counter = 0;

  constructor(private readonly options: FileUploadsOptions) {}

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): UploadsState => this.state;

  /** Starts sending a file to a conversation. */
  add(conversationId: string, file: Blob, name: string): UploadView {
    const key = `upload-${++this.counter}`;
    const task = new UploadTask({
      client: this.options.client,
      key,
      conversationId,
      file,
      name,
      onChange: (t) => this.changed(t),
    });
    this.tasks.push(task);
    task.start();
    this.publish();
    return task.snapshot;
  }

  pause(key: string): void {
    this.task(key)?.pause();
  }

  resume(key: string): void {
    this.task(key)?.resume();
  }

  async cancel(key: string): Promise<void> {
    await this.task(key)?.cancel();
    this.remove(key);
  }

  /** Removes a failed upload from view. */
  dismiss(key: string): void {
    if (this.task(key)?.active) return;
    this.remove(key);
  }

  /** Finds the server's unfinished uploads again (after a reload). */
  async refresh(): Promise<void> {
    const { uploads } = await this.options.client.files.listUploads({});
    this.found = uploads;
    this.publish();
  }

  /** Deletes an unfinished upload found on the server. */
  async discard(uploadId: string): Promise<void> {
    await this.options.client.files.cancelUpload({ uploadId });
    this.settle(uploadId);
    this.publish();
  }

  /** Feed it the browser's online event: waiting uploads retry at once. */
  setNetworkAvailable(online: boolean): void {
    if (online) for (const task of this.tasks) task.nudge();
  }

  private task(key: string): UploadTask | undefined {
    return this.tasks.find((t) => t.snapshot.key === key);
  }

  private remove(key: string) {
    const uploadId = this.task(key)?.snapshot.uploadId;
    if (uploadId) this.settle(uploadId);
    this.tasks = this.tasks.filter((t) => t.snapshot.key !== key);
    this.publish();
  }

  private changed(task: UploadTask) {
    const upload = task.snapshot;
    if (upload.uploadId && !this.recall(upload.uploadId)) {
      this.remember(upload.uploadId, upload.conversationId);
    }
    if (upload.status === "complete") {
      // The message takes over from here: it shows as pending until it is stored.
      this.tasks = this.tasks.filter((t) => t !== task);
      if (upload.uploadId) this.settle(upload.uploadId);
      this.options.onComplete(upload);
    }
    this.publish();
  }

  /** An upload that is done with (complete or cancelled) is no longer listed as unfinished. */
  private settle(uploadId: string) {
    this.found = this.found.filter((u) => u.id !== uploadId);
    this.forget(uploadId);
  }

  private publish() {
    const sending = new Set(this.tasks.map((t) => t.snapshot.uploadId));
    const unfinished = this.found
      .filter((u) => !sending.has(u.id))
      .map((u) => {
        const view: UnfinishedUpload = {
          uploadId: u.id,
          name: u.name,
          size: Number(u.size),
          offset: Number(u.offset),
        };
        const conversationId = this.recall(u.id);
        if (conversationId) view.conversationId = conversationId;
        return view;
      });
    this.state = { uploads: this.tasks.map((t) => t.snapshot), unfinished };
    for (const listener of this.listeners) listener();
  }

  private memory(): Record<string, string> {
    try {
      const raw = this.options.memory?.getItem(MEMORY_KEY);
      const parsed: unknown = raw ? JSON.parse(raw) : {};
      return typeof parsed === "object" && parsed ? (parsed as Record<string, string>) : {};
    } catch {
      return {};
    }
  }

  private recall(uploadId: string): string | undefined {
    return this.memory()[uploadId];
  }

  private remember(uploadId: string, conversationId: string) {
    const memory = { ...this.memory(), [uploadId]: conversationId };
    this.options.memory?.setItem(MEMORY_KEY, JSON.stringify(memory));
  }

  private forget(uploadId: string) {
    const { [uploadId]: _, ...rest } = this.memory();
    this.options.memory?.setItem(MEMORY_KEY, JSON.stringify(rest));
  }
}
