"use client";

import { type RefObject, useCallback, useRef } from "react";
import { PaperclipIcon } from "./file-icons";
import { UploadTray } from "./upload-tray";
import { useFileDrop } from "./use-file-drop";
import { useFileUploads } from "./use-file-uploads";

/**
 * What the composer shows for files: the attach button, the uploads of this conversation,
 * and the hint while files are dragged over the message pane around `anchor`.
 */
export function useComposerFiles(conversationId: string, anchor: RefObject<HTMLElement | null>) {
  const { uploads, state } = useFileUploads();
  const picker = useRef<HTMLInputElement>(null);
  const add = useCallback(
    (files: File[]) => {
      for (const file of files) uploads.add(conversationId, file, file.name);
    },
    [uploads, conversationId],
  );
  const dragging = useFileDrop(anchor, '[data-testid="message-pane"]', add);
  const choose = () => picker.current?.click();

  const attach = (
    <>
      <input
        ref={picker}
        type="file"
        multiple
        hidden
        data-testid="file-input"
        onChange={(event) => {
          add([...(event.target.files ?? [])]);
          event.target.value = "";
        }}
      />
      <button
        type="button"
        className="btn-ghost size-11 shrink-0 rounded-full p-0"
        aria-label="Attach files"
        data-testid="attach-button"
        onClick={choose}
      >
        <PaperclipIcon />
      </button>
    </>
  );
  const tray = (
    <UploadTray
      conversationId={conversationId}
      uploads={uploads}
      list={state.uploads}
      unfinished={state.unfinished}
      onChoose={choose}
    />
  );
  const overlay = dragging ? (
    <div
      className={[
        "pointer-events-none absolute inset-0 z-10 flex items-center justify-center",
        "bg-accent-50/80 ring-2 ring-accent-500 ring-inset",
      ].join(" ")}
      data-testid="drop-hint"
    >
      <span className="rounded-xl bg-white px-4 py-2 text-sm font-medium text-accent-700 shadow">
        Drop files to send them here
      </span>
    </div>
  ) : null;
  return { attach, tray, overlay };
}
