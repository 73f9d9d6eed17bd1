import type http from "node:http";
import type http2 from "node:http2";
import type { ConnectError } from "@connectrpc/connect";
import { codeToHttpStatus, errorToJson } from "@connectrpc/connect/protocol-connect";

/**
 * Answers a unary call with an error without running it, in the protocol the caller speaks:
 * for refusing work before Connect parses the request (see pipeline/admission.ts). Under
 * overload, a refusal that first went through Connect's request pipeline cost nearly as much
 * CPU as the work it refused.
 */
export function writeUnaryError(
  req: http.IncomingMessage | http2.Http2ServerRequest,
  res: http.ServerResponse | http2.Http2ServerResponse,
  error: ConnectError,
): void {
  const r = res as http.ServerResponse;
  const type = String(req.headers["content-type"] ?? "");
  if (type.startsWith("application/grpc")) {
    // gRPC and gRPC-Web: a "trailers-only" response, the status in the headers.
    const headers = {
      "content-type": type,
      "grpc-status": String(error.code),
      "grpc-message": encodeURIComponent(error.rawMessage),
    };
    const stream = (res as http2.Http2ServerResponse).stream;
    if (stream) {
      // Over HTTP/2 the headers frame must end the stream, or strict gRPC clients see a
      // call that ended without a status (INTERNAL) instead of UNAVAILABLE.
      stream.respond({ ":status": 200, ...headers }, { endStream: true });
      req.resume();
      return;
    }
    r.writeHead(200, headers);
  } else {
    // Connect unary: the HTTP status for the code and the error as JSON.
    const body = JSON.stringify(errorToJson(error, undefined));
    r.writeHead(codeToHttpStatus(error.code), { "content-type": "application/json" });
    r.write(body);
  }
  r.end();
  // The request body is not wanted: let it drain instead of holding the stream open.
  req.resume();
}
