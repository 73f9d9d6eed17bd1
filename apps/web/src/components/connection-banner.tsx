"use client";

import { useEffect, useState } from "react";
import { useChatSelector } from "@/lib/parley-provider";

/** A connection that comes back within this time shows no banner: no flash on a page load. */
const GRACE_MS = 1_500;

/** Says so when the live connection has been down for a moment; nothing while it is fine. */
export function ConnectionBanner() {
  const status = useChatSelector((s) => s.status);
  const error = useChatSelector((s) => s.lastError);
  const down = status !== "live" && status !== "idle";
  const [shown, setShown] = useState(false);
  useEffect(() => {
    if (!down) {
      setShown(false);
      return;
    }
    const timer = setTimeout(() => setShown(true), GRACE_MS);
    return () => clearTimeout(timer);
  }, [down]);
  if (!down || !shown) return null;
  const text =
    status === "connecting"
      ? "Connecting…"
      : status === "reconnecting"
        ? "Connection lost. Reconnecting…"
        : "Signing out…";
  return (
    <div
      role="status"
      data-testid="connection-status"
      data-status={status}
      title={error || undefined}
      className="flex items-center justify-center gap-2 bg-amber-50 px-4 py-1.5 text-xs font-medium text-amber-800"
    >
      <span className="size-1.5 animate-pulse rounded-full bg-amber-500" />
      {text}
    </div>
  );
}
