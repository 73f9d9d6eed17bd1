import type { CreateUploadRequest } from "@parley/proto";
import { exhausted, invalid } from "../errors.ts";

export const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
/** The names column holds 1024 characters; a name is display text, so it is kept as given. */
export const MAX_NAME_CHARS = 1024;
export const DEFAULT_MEDIA_TYPE = "application/octet-stream";

// All C0 and C1 controls (a name has no use for tab or newline), and the bidi embedding,
// override and isolate marks that can make "gpj.exe" read as "exe.jpg".
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const CONTROL = /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/u;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/u;
const TOKEN = "[a-z0-9][a-z0-9!#$&^_.+-]{0,126}";
const PARAMETER = `;\\s*[a-z0-9!#$&^_.+-]+=(?:[a-z0-9!#$&^_.+-]+|"[^"\\\\\\r\\n]*")`;
const MEDIA_TYPE = new RegExp(`^${TOKEN}/${TOKEN}(?:\\s*${PARAMETER})*$`, "i");
const SHA256 = /^[0-9a-f]{64}$/;

export interface ValidUpload {
  name: string;
  size: number;
  sha256: string;
  mediaType: string;
}

/** Checks a CreateUpload request; the name is returned exactly as the user gave it. */
export function validateCreateUpload(req: CreateUploadRequest, maxBytes: number): ValidUpload {
  const name = checkFileName(req.name);
  if (req.size > BigInt(maxBytes)) {
    throw exhausted(`size: larger than the limit of ${maxBytes} bytes (${describe(maxBytes)})`);
  }
  const sha256 = req.sha256.toLowerCase();
  if (!SHA256.test(sha256)) throw invalid("sha256", "must be 64 hexadecimal characters");
  if (req.size === 0n && sha256 !== EMPTY_SHA256) {
    throw invalid("sha256", `a zero-byte file has SHA-256 ${EMPTY_SHA256}`);
  }
  return { name, size: Number(req.size), sha256, mediaType: checkMediaType(req.mediaType) };
}

/** A display name: 1 to 1024 characters, no control characters, never used as a path. */
export function checkFileName(name: string): string {
  if (name.trim() === "") throw invalid("name", "empty");
  let chars = 0;
  for (const _ of name) chars++;
  if (chars > MAX_NAME_CHARS) throw invalid("name", `longer than ${MAX_NAME_CHARS} characters`);
  if (CONTROL.test(name) || LONE_SURROGATE.test(name)) {
    throw invalid("name", "contains control characters");
  }
  return name;
}

/** A media type such as image/png, optionally with parameters; empty means unknown. */
export function checkMediaType(value: string): string {
  const trimmed = value.trim();
  if (trimmed === "") return DEFAULT_MEDIA_TYPE;
  if (trimmed.length > 255 || !MEDIA_TYPE.test(trimmed)) {
    throw invalid("media_type", "not a media type such as image/png");
  }
  const cut = trimmed.includes(";") ? trimmed.indexOf(";") : trimmed.length;
  return trimmed.slice(0, cut).toLowerCase() + trimmed.slice(cut);
}

/** The type/subtype part of a media type, lowercase. */
export function essenceOf(mediaType: string): string {
  return (mediaType.split(";")[0] ?? "").trim().toLowerCase();
}

function describe(bytes: number): string {
  const units = ["bytes", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${Number(value.toFixed(1))} ${units[unit]}`;
}
