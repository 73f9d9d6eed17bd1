import { type Timestamp, timestampMs } from "@bufbuild/protobuf/wkt";

/** A stored instant in the viewer's time zone, with the UTC value for a tooltip. */
export function localTime(at: Timestamp | undefined): { text: string; utc: string } {
  if (!at) return { text: "—", utc: "" };
  const date = new Date(timestampMs(at));
  return {
    text: date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" }),
    utc: date.toISOString(),
  };
}

export function formatCount(value: number | bigint): string {
  return Number(value).toLocaleString();
}

export function formatRate(perSecond: number): string {
  if (perSecond === 0) return "0";
  return perSecond < 10 ? perSecond.toFixed(2) : Math.round(perSecond).toLocaleString();
}

export function formatMs(ms: number): string {
  if (ms === 0) return "—";
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

/** Clock time for chart axes. */
export function clock(ms: number): string {
  return new Date(ms).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
}

/** Clock time with seconds, for series sampled every few seconds. */
export function clockSeconds(ms: number): string {
  return new Date(ms).toLocaleTimeString(undefined, {
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  });
}
