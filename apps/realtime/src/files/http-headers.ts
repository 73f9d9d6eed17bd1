import { essenceOf } from "./validate.ts";

// Raster formats browsers decode without running anything; SVG and HTML can carry script.
const INLINE_TYPES = new Set(["image/png", "image/jpeg", "image/gif", "image/webp"]);

/** Whether a file may be shown in the page (an <img>) rather than saved. */
export function isInlineSafe(mediaType: string): boolean {
  return INLINE_TYPES.has(essenceOf(mediaType));
}

/**
 * Content-Disposition keeping the original name (RFC 6266): `filename*` carries it exactly in
 * UTF-8 (RFC 8187), `filename` an ASCII stand-in for clients that ignore the former.
 */
export function contentDisposition(kind: "inline" | "attachment", name: string): string {
  return `${kind}; filename="${asciiFallback(name)}"; filename*=UTF-8''${encodeExtValue(name)}`;
}

// RFC 8187 attr-char: everything else is percent-encoded.
const ATTR_CHAR = /^[A-Za-z0-9!#$&+\-.^_`|~]$/;

function encodeExtValue(value: string): string {
  let out = "";
  for (const byte of Buffer.from(value, "utf8")) {
    const char = String.fromCharCode(byte);
    out += ATTR_CHAR.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

// Printable ASCII except the quote and backslash of the quoted string, and the percent sign
// some clients would decode.
function asciiFallback(name: string): string {
  let out = "";
  for (const char of name) {
    const code = char.codePointAt(0) ?? 0;
    out += code >= 0x20 && code < 0x7f && !`"\\%`.includes(char) ? char : "_";
  }
  return out;
}

export type RangeAnswer =
  | { kind: "full" }
  | { kind: "partial"; start: number; end: number }
  | { kind: "unsatisfiable" };

const SINGLE_RANGE = /^bytes=(\d*)-(\d*)$/;

/**
 * Reads a Range header for one byte range (RFC 9110). A missing, malformed, multi-range or
 * non-byte Range is ignored and the whole file is served, as the RFC allows.
 */
export function parseRange(header: string | undefined, size: number): RangeAnswer {
  const match = header ? SINGLE_RANGE.exec(header.trim()) : null;
  if (!match) return { kind: "full" };
  const [, first = "", last = ""] = match;
  if (first === "" && last === "") return { kind: "full" };
  if (first === "") {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return { kind: "unsatisfiable" };
    return { kind: "partial", start: Math.max(size - suffix, 0), end: size - 1 };
  }
  const start = Number(first);
  const end = last === "" ? Number.POSITIVE_INFINITY : Number(last);
  if (end < start) return { kind: "full" };
  if (start >= size) return { kind: "unsatisfiable" };
  return { kind: "partial", start, end: Math.min(end, size - 1) };
}
