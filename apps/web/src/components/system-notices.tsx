"use client";

import { useEffect, useState } from "react";
import { useChatSelector } from "@/lib/parley-provider";

const DISMISSED_KEY = "parley:dismissed-notices";

function readDismissed(): string[] {
  try {
    const value = JSON.parse(localStorage.getItem(DISMISSED_KEY) ?? "[]");
    return Array.isArray(value) ? value.filter((id) => typeof id === "string") : [];
  } catch {
    return [];
  }
}

/**
 * The newest system notification (an admin broadcast) the user has not dismissed, above every
 * page. Dismissals are remembered in this browser.
 */
export function SystemNotices() {
  const notices = useChatSelector((s) => s.notices);
  const [dismissed, setDismissed] = useState<string[]>([]);
  useEffect(() => setDismissed(readDismissed()), []);
  const notice = notices.find((n) => !dismissed.includes(n.id));
  if (!notice) return null;

  function dismiss(id: string) {
    // Only the ids of recent notices matter: the server sends a week's worth.
    const next = [id, ...dismissed].slice(0, 100);
    setDismissed(next);
    try {
      localStorage.setItem(DISMISSED_KEY, JSON.stringify(next));
    } catch {
      // Private mode or a full storage: dismissed for this page only.
    }
  }

  return (
    <div
      role="status"
      data-testid="system-notice"
      data-notice-id={notice.id}
      className="flex items-start gap-3 border-b border-accent-100 bg-accent-50 px-4 py-2 text-sm text-accent-700"
    >
      <span className="shrink-0 font-semibold">Notice</span>
      <p className="min-w-0 flex-1 break-words whitespace-pre-wrap">{notice.body}</p>
      <button
        type="button"
        className="shrink-0 text-xs font-medium underline-offset-2 hover:underline"
        onClick={() => dismiss(notice.id)}
        data-testid="dismiss-notice"
      >
        Dismiss
      </button>
    </div>
  );
}
