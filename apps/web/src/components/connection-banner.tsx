"use client";

import { useEffect, useState } from "react";
import { useChatSelector } from "@/lib/parley-provider";

/** A first connection shorter than this shows no banner, so a normal page load does not flash. */
const GRACE_MS = 1_500;

/** Says so when the live connection is down; nothing while it is fine. */
export function ConnectionBanner() {
  const status = useChatSelector((s) => s.status);
  const error = useChatSelector((s) => s.lastError);
  const [graceOver, setGraceOver] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setGraceOver(true), GRACE_MS);
    return () => clearTimeout(timer);
  }, []);
  if (status === "live" || status === "idle") return null;
  if (status === "connecting" && !graceOver) return null;
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
