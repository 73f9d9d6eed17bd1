"use client";

import { type RefObject, useEffect, useState } from "react";

function carriesFiles(event: DragEvent): boolean {
  return event.dataTransfer?.types.includes("Files") ?? false;
}

/**
 * Files dropped anywhere on the element around `anchor` that matches `selector` (the message
 * pane around the composer). Returns whether files are being dragged over it.
 */
export function useFileDrop(
  anchor: RefObject<HTMLElement | null>,
  selector: string,
  onFiles: (files: File[]) => void,
): boolean {
  const [dragging, setDragging] = useState(false);

  useEffect(() => {
    const target = anchor.current?.closest<HTMLElement>(selector);
    if (!target) return;
    const over = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = "copy";
      setDragging(true);
    };
    const leave = (event: DragEvent) => {
      // Moving between children fires leave too; only leaving the pane counts.
      if (!target.contains(event.relatedTarget as Node | null)) setDragging(false);
    };
    const drop = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      setDragging(false);
      onFiles([...(event.dataTransfer?.files ?? [])]);
    };
    target.addEventListener("dragover", over);
    target.addEventListener("dragleave", leave);
    target.addEventListener("drop", drop);
    return () => {
      target.removeEventListener("dragover", over);
      target.removeEventListener("dragleave", leave);
      target.removeEventListener("drop", drop);
    };
  }, [anchor, selector, onFiles]);

  return dragging;
}
