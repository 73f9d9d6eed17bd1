"use client";

import { type FileView, formatBytes } from "@parley/client";
import type { MouseEvent } from "react";
import { DownloadIcon, FileIcon } from "./file-icons";
import { isPreviewable } from "./file-types";
import { useDownloadUrl } from "./use-download-url";

function withDownload(url: string): string {
  return `${url}&download=1`;
}

/** A file's name and size; the name is display text only, isolated from the text around it. */
function FileLabel({ file }: { file: Pick<FileView, "name" | "size"> }) {
  return (
    <span className="flex min-w-0 flex-col">
      <bdi className="truncate font-medium" data-testid="file-name" title={file.name}>
        {file.name}
      </bdi>
      <span className="text-xs opacity-80" data-testid="file-size">
        {formatBytes(file.size)}
      </span>
    </span>
  );
}

/** A file message: name, size and a download link; an image shows a preview above them. */
export function FileAttachment({ file }: { file: FileView }) {
  const { url, failed, fresh } = useDownloadUrl(file.id);

  // The shown link may have expired while the page stayed open: get a new one on click.
  async function download(event: MouseEvent<HTMLAnchorElement>) {
    event.preventDefault();
    window.location.assign(withDownload(await fresh()));
  }

  return (
    <span className="flex flex-col gap-2" data-testid="file-attachment" data-file-id={file.id}>
      {isPreviewable(file.mediaType) && url ? (
        <a href={url} target="_blank" rel="noopener noreferrer" className="block">
          {/* biome-ignore lint/performance/noImgElement: a signed link on another origin, shown as is */}
          <img
            src={url}
            alt={file.name}
            loading="lazy"
            data-testid="file-preview"
            className="max-h-72 max-w-full rounded-lg bg-canvas object-contain"
          />
        </a>
      ) : null}
      <span className="flex items-center gap-2.5">
        <FileIcon className="size-8 shrink-0 opacity-80" />
        <FileLabel file={file} />
        {url ? (
          <a
            href={withDownload(url)}
            onClick={(e) => void download(e)}
            data-testid="file-download"
            aria-label={`Download ${file.name}`}
            className="ml-auto shrink-0 rounded-full p-1.5 hover:bg-black/10"
          >
            <DownloadIcon />
          </a>
        ) : failed ? (
          <span className="ml-auto text-xs opacity-80">unavailable</span>
        ) : null}
      </span>
    </span>
  );
}

/** A file message not stored yet: no link until it is. */
export function PendingFileAttachment({ file }: { file: Pick<FileView, "name" | "size"> }) {
  return (
    <span className="flex items-center gap-2.5" data-testid="file-attachment">
      <FileIcon className="size-8 shrink-0 opacity-80" />
      <FileLabel file={file} />
    </span>
  );
}
