import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { MessageKind, SendRequestSchema } from "@parley/proto";
import { validateSend } from "./validate.ts";

const conversationId = "01JABCDEFGHJKMNPQRSTVWXYZ0";

function send(body: string, extra: Record<string, unknown> = {}) {
  return validateSend(
    create(SendRequestSchema, {
      conversationId,
      clientMessageId: "3f1c9a5e-8b7d-4c2a-9e6f-1a2b3c4d5e6f",
      kind: MessageKind.TEXT,
      body,
      ...extra,
    }),
  );
}

function refused(body: string, field: string, extra: Record<string, unknown> = {}) {
  assert.throws(
    () => send(body, extra),
    (error: unknown) =>
      error instanceof ConnectError &&
      error.code === Code.InvalidArgument &&
      error.rawMessage.startsWith(`${field}:`),
  );
}

describe("validateSend", () => {
  it("keeps emoji, flags, skin tones, math letters and RTL text byte for byte", () => {
    const text = "ok 😀 🇯🇵 👍🏽 𝐁old مرحبا שלום\n\ttab";
    assert.equal(send(text).body, text);
  });

  it("accepts exactly 4000 characters, also when each is a 4-byte emoji", () => {
    assert.equal(send("a".repeat(4000)).body.length, 4000);
    assert.equal([...send("😀".repeat(4000)).body].length, 4000);
  });

  it("refuses 4001 characters and empty text, naming the body", () => {
    refused("a".repeat(4001), "body");
    refused("", "body");
    refused("   \n", "body");
  });

  it("refuses control characters and lone surrogates", () => {
    refused("bell\u0007", "body");
    refused("esc\u001b[31m", "body");
    refused("half \uD83D", "body");
  });

  it("refuses unknown kinds, bad ids and a file id on text", () => {
    refused("hi", "kind", { kind: MessageKind.SYSTEM });
    refused("hi", "kind", { kind: 42 });
    refused("hi", "conversation_id", { conversationId: "../etc" });
    refused("hi", "client_message_id", { clientMessageId: "" });
    refused("hi", "file_id", { fileId: conversationId });
  });
});
