import assert from "node:assert/strict";
import http from "node:http";
import http2 from "node:http2";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { Code, ConnectError, createClient, type Transport } from "@connectrpc/connect";
import {
  createConnectTransport,
  createGrpcTransport,
  createGrpcWebTransport,
} from "@connectrpc/connect-node";
import { MessageService } from "@parley/proto";
import { unavailable } from "../errors.ts";
import { writeUnaryError } from "./early-error.ts";

// Real Connect clients, each protocol, against servers that refuse every call early.
describe("writeUnaryError", () => {
  const refuse = (
    req: http.IncomingMessage | http2.Http2ServerRequest,
    res: http.ServerResponse | http2.Http2ServerResponse,
  ) => writeUnaryError(req, res, unavailable("server busy (test); retry shortly"));
  const h2 = http2.createServer(refuse);
  const h1 = http.createServer(refuse);
  const sessions = new Set<http2.ServerHttp2Session>();
  h2.on("session", (session) => sessions.add(session));
  let h2Url = "";
  let h1Url = "";

  before(async () => {
    await new Promise<void>((resolve) => h2.listen(0, "127.0.0.1", resolve));
    await new Promise<void>((resolve) => h1.listen(0, "127.0.0.1", resolve));
    h2Url = `http://127.0.0.1:${(h2.address() as AddressInfo).port}`;
    h1Url = `http://127.0.0.1:${(h1.address() as AddressInfo).port}`;
  });
  after(async () => {
    // The clients keep their HTTP/2 sessions open; close would wait for them.
    for (const session of sessions) session.destroy();
    await new Promise((resolve) => h2.close(resolve));
    h1.closeAllConnections();
    await new Promise((resolve) => h1.close(resolve));
  });

  const transports: Array<[string, () => Transport]> = [
    [
      "Connect, binary, HTTP/2",
      () => createConnectTransport({ baseUrl: h2Url, httpVersion: "2", useBinaryFormat: true }),
    ],
    [
      "Connect, JSON, HTTP/1.1",
      () => createConnectTransport({ baseUrl: h1Url, httpVersion: "1.1" }),
    ],
    ["gRPC, HTTP/2", () => createGrpcTransport({ baseUrl: h2Url })],
    ["gRPC-Web, HTTP/1.1", () => createGrpcWebTransport({ baseUrl: h1Url, httpVersion: "1.1" })],
  ];
  it("ends a gRPC call over HTTP/2 with the status in a headers frame that ends the stream", async () => {
    const session = http2.connect(h2Url);
    try {
      const call = session.request({
        ":method": "POST",
        ":path": "/parley.v1.MessageService/Send",
        "content-type": "application/grpc+proto",
        te: "trailers",
      });
      call.end();
      const [headers, flags] = await new Promise<[http2.IncomingHttpHeaders, number]>((resolve) =>
        call.once("response", (h, f) => resolve([h, f])),
      );
      assert.equal(headers["grpc-status"], String(Code.Unavailable));
      assert.equal(
        flags & http2.constants.NGHTTP2_FLAG_END_STREAM,
        http2.constants.NGHTTP2_FLAG_END_STREAM,
      );
    } finally {
      session.close();
    }
  });

  for (const [name, transport] of transports) {
    it(`reaches a ${name} client as UNAVAILABLE with its message`, async () => {
      const client = createClient(MessageService, transport());
      const error = await client
        .send({ conversationId: "c", clientMessageId: "m", body: "hello" })
        .then(
          () => assert.fail("the call succeeded"),
          (e: unknown) => ConnectError.from(e),
        );
      assert.equal(error.code, Code.Unavailable);
      assert.equal(error.rawMessage, "server busy (test); retry shortly");
    });
  }
});
