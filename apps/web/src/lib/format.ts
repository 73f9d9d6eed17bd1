/** Dates and times in the viewer's own time zone and locale. */

export function formatTime(ms: number): string {
  return new Date(ms).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
}

export function dayKey(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`;
}

export function formatDay(ms: number, now = Date.now()): string {
  const key = dayKey(ms);
  if (key === dayKey(now)) return "Today";
  if (key === dayKey(now - 86_400_000)) return "Yesterday";
  const sameYear = new Date(ms).getFullYear() === new Date(now).getFullYear();
  return new Date(ms).toLocaleDateString(undefined, {
    weekday: "long",
    month: "long",
    day: "numeric",
    ...(sameYear ? {} : { year: "numeric" }),
  });
}

/** A short stamp for the conversation list: the time today, otherwise the date. */
export function formatListStamp(ms: number, now = Date.now()): string {
  if (!ms) return "";
  if (dayKey(ms) === dayKey(now)) return formatTime(ms);
  if (now - ms < 6 * 86_400_000)
    return new Date(ms).toLocaleDateString(undefined, { weekday: "short" });
  return new Date(ms).toLocaleDateString(undefined, { month: "short", day: "numeric" });
}

export function formatLastSeen(ms: number | undefined, now = Date.now()): string {
  if (!ms) return "offline";
  const minutes = Math.round((now - ms) / 60_000);
  if (minutes < 1) return "last seen just now";
  if (minutes < 60) return `last seen ${minutes} min ago`;
  if (dayKey(ms) === dayKey(now)) return `last seen at ${formatTime(ms)}`;
  return `last seen ${formatDay(ms, now).toLowerCase()}`;
}
