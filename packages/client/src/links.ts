/**
 * Splits message text into plain text and links. Only http, https and mailto targets become
 * links; everything else (javascript:, data:, markup) stays inert text.
 */
export type LinkSegment =
  | { kind: "text"; text: string }
  | { kind: "link"; text: string; href: string };

const CANDIDATE = /\b(?:https?:\/\/|mailto:)[^\s<>"']+/gi;
const ALLOWED_PROTOCOLS = new Set(["http:", "https:", "mailto:"]);
/** Punctuation that usually ends a sentence rather than a URL. */
const TRAILING = /[.,;:!?)\]}'"]+$/;

/** The URL as it should be put in `href`, or undefined when it must not be clickable. */
export function safeHref(candidate: string): string | undefined {
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return undefined;
  }
  if (!ALLOWED_PROTOCOLS.has(url.protocol)) return undefined;
  if (url.protocol !== "mailto:" && !url.hostname) return undefined;
  return url.href;
}

export function splitLinks(text: string): LinkSegment[] {
  const segments: LinkSegment[] = [];
  let last = 0;
  for (const match of text.matchAll(CANDIDATE)) {
    const start = match.index ?? 0;
    const raw = match[0].replace(TRAILING, "");
    const href = safeHref(raw);
    if (!href || raw.length === 0) continue;
    if (start > last) segments.push({ kind: "text", text: text.slice(last, start) });
    segments.push({ kind: "link", text: raw, href });
    last = start + raw.length;
  }
  if (last < text.length) segments.push({ kind: "text", text: text.slice(last) });
  return segments;
}
