import { MessageKind, type SendRequest } from "@parley/proto";
import { invalid } from "../errors.ts";

export const MAX_BODY_CHARS = 4000;
export const MAX_BODY_BYTES = 16 * 1024;
// C0 and C1 controls other than tab and newline.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/u;
// Unpaired surrogates cannot be encoded as UTF-8.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/u;
const ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const CLIENT_MESSAGE_ID = /^[A-Za-z0-9_-]{8,64}$/;

export interface ValidSend {
  conversationId: string;
  clientMessageId: string;
  kind: "text" | "file";
  body: string;
  fileId: string | undefined;
}

/** Checks an id made by the server (ULID style); the error names the field. */
export function requireId(field: string, value: string): string {
  if (!ID.test(value)) throw invalid(field, "not a valid id");
  return value;
}

/** Checks text a user typed: length in characters and bytes, and no control characters. */
export function checkText(field: string, text: string, maxChars: number, maxBytes: number) {
  let chars = 0;
  for (const _ of text) chars++;
  if (chars > maxChars) throw invalid(field, `longer than ${maxChars} characters`);
  if (Buffer.byteLength(text, "utf8") > maxBytes) {
    throw invalid(field, `longer than ${maxBytes} bytes of UTF-8`);
  }
  if (CONTROL.test(text) || LONE_SURROGATE.test(text))
    throw invalid(field, "contains control characters");
}

/** Validates a Send request before anything else looks at it. */
export function validateSend(req: SendRequest): ValidSend {
  const conversationId = requireId("conversation_id", req.conversationId);
  if (!CLIENT_MESSAGE_ID.test(req.clientMessageId)) {
    throw invalid("client_message_id", "8-64 characters of A-Z, a-z, 0-9, - and _");
  }
  if (req.kind !== MessageKind.TEXT && req.kind !== MessageKind.FILE) {
    throw invalid("kind", "must be text or file");
  }
  const kind = req.kind === MessageKind.TEXT ? "text" : "file";
  if (kind === "text" && req.body.trim() === "") throw invalid("body", "empty");
  checkText("body", req.body, MAX_BODY_CHARS, MAX_BODY_BYTES);
  const fileId = kind === "file" ? requireId("file_id", req.fileId) : undefined;
  if (kind === "text" && req.fileId !== "") throw invalid("file_id", "only for kind file");
  return { conversationId, clientMessageId: req.clientMessageId, kind, body: req.body, fileId };
}
