"use client";

import { timestampMs } from "@bufbuild/protobuf/wkt";
import type { ParleyClient } from "@parley/client";
import { useCallback, useEffect, useState } from "react";
import { useParley } from "@/lib/parley-provider";

interface Link {
  url: string;
  expiresAt: number;
}

// Signed links last minutes; one link per file serves every message that shows it meanwhile.
const links = new Map<string, Promise<Link>>();
// A link this close to its expiry is renewed before use: a download may start late.
const MARGIN_MS = 60_000;

async function signedLink(client: ParleyClient, baseUrl: string, fileId: string): Promise<Link> {
  const cached = links.get(fileId);
  if (cached) {
    const link = await cached.catch(() => undefined);
    if (link && link.expiresAt - MARGIN_MS > Date.now()) return link;
  }
  const fresh = client.files.getDownloadUrl({ fileId }).then((response) => ({
    url: new URL(response.path, baseUrl).toString(),
    expiresAt: response.expiresAt ? timestampMs(response.expiresAt) : Date.now() + MARGIN_MS,
  }));
  links.set(fileId, fresh);
  fresh.catch(() => links.delete(fileId));
  return fresh;
}

/**
 * A signed link to a file (no Authorization header needed, so it works in <img> and plain
 * links), and `fresh()` for one that is surely still valid at the moment of a click.
 */
export function useDownloadUrl(fileId: string) {
  const { client, realtimeUrl } = useParley();
  const [url, setUrl] = useState<string>();
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let live = true;
    signedLink(client, realtimeUrl, fileId)
      .then((link) => live && setUrl(link.url))
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
    };
  }, [client, realtimeUrl, fileId]);

  const fresh = useCallback(
    async () => (await signedLink(client, realtimeUrl, fileId)).url,
    [client, realtimeUrl, fileId],
  );
  return { url, failed, fresh };
}
