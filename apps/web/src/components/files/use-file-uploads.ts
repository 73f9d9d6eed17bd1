"use client";

import {
  type ChatSession,
  FileUploads,
  type ParleyClient,
  type UploadsState,
} from "@parley/client";
import { useEffect, useSyncExternalStore } from "react";
import { useParley } from "@/lib/parley-provider";

// One set of uploads per signed-in tab, like the session: it outlives a conversation change.
const perClient = new WeakMap<ParleyClient, FileUploads>();

function uploadsFor(client: ParleyClient, session: ChatSession): FileUploads {
  let uploads = perClient.get(client);
  if (!uploads) {
    uploads = new FileUploads({
      client,
      // Rendered on the server too, where there is nothing to remember or listen to.
      memory: typeof window === "undefined" ? undefined : window.localStorage,
      // The message takes the upload's place as soon as the file is stored.
      onComplete: (upload) => {
        if (upload.file) session.sendFile(upload.conversationId, upload.file);
      },
    });
    perClient.set(client, uploads);
    const created = uploads;
    if (typeof window !== "undefined") {
      window.addEventListener("online", () => created.setNetworkAvailable(true));
    }
  }
  return uploads;
}

const EMPTY: UploadsState = { uploads: [], unfinished: [] };

/** The tab's uploads and their live state. */
export function useFileUploads(): { uploads: FileUploads; state: UploadsState } {
  const { client, session } = useParley();
  const uploads = uploadsFor(client, session);
  const state = useSyncExternalStore(uploads.subscribe, uploads.getSnapshot, () => EMPTY);
  // Unfinished uploads of an earlier page, listed so that the user can pick the file again;
  // looked up again whenever the connection is back.
  const status = useSyncExternalStore(
    session.subscribe,
    () => session.getSnapshot().status,
    () => "idle" as const,
  );
  useEffect(() => {
    if (status === "live") uploads.refresh().catch(() => {});
  }, [status, uploads]);
  return { uploads, state };
}
