import { Code, ConnectError } from "@connectrpc/connect";
import { checkMessageBody, countCodePoints, isForbiddenControl, utf8Length } from "@parley/client";
import { MessageKind, type SendRequest } from "@parley/proto";
import { invalid } from "../errors.ts";

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
  if (countCodePoints(text) > maxChars) throw invalid(field, `longer than ${maxChars} characters`);
  if (utf8Length(text) > maxBytes) throw invalid(field, `longer than ${maxBytes} bytes of UTF-8`);
  for (const char of text) {
    const cp = char.codePointAt(0) ?? 0;
    if (isForbiddenControl(cp) || (cp >= 0xd800 && cp <= 0xdfff)) {
      throw invalid(field, "contains control or invalid characters");
    }
  }
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
  // The client runs the same check before sending, so both refuse with the same reason.
  const body = checkMessageBody(req.body);
  if (!body.ok && (kind === "text" || body.problem !== "empty")) {
    throw new ConnectError(body.reason, Code.InvalidArgument);
  }
  const fileId = kind === "file" ? requireId("file_id", req.fileId) : undefined;
  if (kind === "text" && req.fileId !== "") throw invalid("file_id", "only for kind file");
  return { conversationId, clientMessageId: req.clientMessageId, kind, body: req.body, fileId };
}
