"use client";

import {
  type FileUploads,
  formatBytes,
  formatDuration,
  type UnfinishedUpload,
  type UploadView,
} from "@parley/client";
import { CloseIcon, FileIcon, PauseIcon, PlayIcon } from "./file-icons";

function percent(done: number, total: number): number {
  return total === 0 ? 100 : Math.floor((done / total) * 100);
}

function describe(upload: UploadView): string {
  const { status, size } = upload;
  if (status === "hashing") return `Preparing… ${percent(upload.hashed, size)} %`;
  if (status === "paused") return `Paused at ${percent(upload.offset, size)} %`;
  if (status === "failed" || status === "retrying") return upload.error ?? "Not sent";
  const parts = [`${formatBytes(upload.offset)} of ${formatBytes(size)}`];
  if (upload.speed > 0) parts.push(`${formatBytes(upload.speed)}/s`);
  if (upload.remainingMs !== undefined) parts.push(`${formatDuration(upload.remainingMs)} left`);
  return parts.join(" · ");
}

function UploadRow({ upload, uploads }: { upload: UploadView; uploads: FileUploads }) {
  const done = upload.status === "hashing" ? upload.hashed : upload.offset;
  const value = percent(done, upload.size);
  const failed = upload.status === "failed";
  return (
    <li
      className="flex items-center gap-3 rounded-xl bg-canvas px-3 py-2 ring-1 ring-line"
      data-testid="upload-item"
      data-status={upload.status}
      data-offset={upload.offset}
    >
      <FileIcon className="size-7 shrink-0 text-muted" />
      <div className="flex min-w-0 flex-1 flex-col gap-1">
        <bdi className="truncate text-sm font-medium" title={upload.name}>
          {upload.name}
        </bdi>
        <div
          role="progressbar"
          aria-label={`Upload of ${upload.name}`}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={value}
          className="h-1.5 overflow-hidden rounded-full bg-line"
        >
          <div
            className={`h-full rounded-full transition-[width] ${failed ? "bg-red-600" : upload.status === "hashing" ? "bg-accent-200" : "bg-accent-600"}`}
            style={{ width: `${value}%` }}
          />
        </div>
        <span
          className={`text-xs ${failed ? "text-red-700" : "text-muted"}`}
          data-testid="upload-status"
          role={failed ? "alert" : undefined}
        >
          {describe(upload)}
        </span>
      </div>
      {upload.status === "paused" || failed ? (
        <button
          type="button"
          className="btn-ghost p-1.5"
          aria-label="Resume"
          data-testid="upload-resume"
          onClick={() => uploads.resume(upload.key)}
        >
          <PlayIcon />
        </button>
      ) : (
        <button
          type="button"
          className="btn-ghost p-1.5"
          aria-label="Pause"
          data-testid="upload-pause"
          onClick={() => uploads.pause(upload.key)}
        >
          <PauseIcon />
        </button>
      )}
      <button
        type="button"
        className="btn-ghost p-1.5"
        aria-label="Cancel upload"
        data-testid="upload-cancel"
        onClick={() => void uploads.cancel(upload.key)}
      >
        <CloseIcon />
      </button>
    </li>
  );
}

function UnfinishedRow(props: {
  upload: UnfinishedUpload;
  uploads: FileUploads;
  onChoose: () => void;
}) {
  const { upload, uploads } = props;
  return (
    <li
      className="flex items-center gap-3 rounded-xl px-3 py-2 ring-1 ring-line ring-dashed"
      data-testid="unfinished-upload"
    >
      <FileIcon className="size-7 shrink-0 text-muted" />
      <div className="flex min-w-0 flex-1 flex-col">
        <bdi className="truncate text-sm font-medium" title={upload.name}>
          {upload.name}
        </bdi>
        <span className="text-xs text-muted">
          Interrupted at {percent(upload.offset, upload.size)} % of {formatBytes(upload.size)}.
          Choose the same file to continue.
        </span>
      </div>
      <button type="button" className="btn-secondary px-3 py-1 text-xs" onClick={props.onChoose}>
        Choose file
      </button>
      <button
        type="button"
        className="btn-ghost p-1.5"
        aria-label="Discard upload"
        onClick={() => void uploads.discard(upload.uploadId).catch(() => {})}
      >
        <CloseIcon />
      </button>
    </li>
  );
}

/** The uploads of one conversation above the composer, and unfinished ones to pick up again. */
export function UploadTray(props: {
  conversationId: string;
  uploads: FileUploads;
  list: readonly UploadView[];
  unfinished: readonly UnfinishedUpload[];
  onChoose: () => void;
}) {
  const { conversationId, uploads } = props;
  const own = props.list.filter((u) => u.conversationId === conversationId);
  const found = props.unfinished.filter(
    (u) => u.conversationId === undefined || u.conversationId === conversationId,
  );
  if (own.length === 0 && found.length === 0) return null;
  return (
    <ul className="mb-2 flex flex-col gap-1.5" aria-label="Uploads" data-testid="upload-tray">
      {own.map((upload) => (
        <UploadRow key={upload.key} upload={upload} uploads={uploads} />
      ))}
      {found.map((upload) => (
        <UnfinishedRow
          key={upload.uploadId}
          upload={upload}
          uploads={uploads}
          onChoose={props.onChoose}
        />
      ))}
    </ul>
  );
}
