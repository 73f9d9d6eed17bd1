import http from "node:http";
import http2 from "node:http2";
import net from "node:net";
import { cors as connectCors } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import {
  AdminService,
  FileService,
  GroupService,
  HealthService,
  MessageService,
  RelationService,
  UserService,
} from "@parley/proto";
import { authInterceptor, PEER_HEADER } from "../auth/context.ts";
import { OFFSET_HEADER } from "../files/convert.ts";
import { fileDownloads } from "../files/download.ts";
import type { Runtime } from "../runtime.ts";
import { adminService } from "../services/admin-service.ts";
import { fileService } from "../services/file-service.ts";
import { groupService } from "../services/group-service.ts";
import { checkDependencies, healthService } from "../services/health-service.ts";
import { messageService } from "../services/message-service.ts";
import { relationService } from "../services/relation-service.ts";
import { userService } from "../services/user-service.ts";
import { writeUnaryError } from "./early-error.ts";
import { errorInterceptor } from "./error-interceptor.ts";

type Handler = (
  req: http.IncomingMessage | http2.Http2ServerRequest,
  res: http.ServerResponse | http2.Http2ServerResponse,
) => void;

/** Every RPC route, registered in one place. */
function rpcHandler(rt: Runtime): Handler {
  return connectNodeAdapter({
    // The largest request is an upload chunk, base64 in JSON: 4/3 of its bytes, plus framing.
    readMaxBytes: Math.ceil(rt.config.FILES_CHUNK_BYTES * 1.5) + 64 * 1024,
    interceptors: [errorInterceptor(rt.log, rt.metrics), authInterceptor(rt.signer, rt.guard)],
    routes(router) {
      router.service(HealthService, healthService(rt));
      router.service(UserService, userService(rt));
      router.service(MessageService, messageService(rt));
      router.service(FileService, fileService(rt));
      router.service(RelationService, relationService(rt));
      router.service(GroupService, groupService(rt));
      router.service(AdminService, adminService(rt));
    },
  }) as Handler;
}

const HTTP_ROUTES = new Set(["/healthz", "/readyz", "/metrics"]);
const SEND_PATH = `/${MessageService.typeName}/${MessageService.method.send.name}`;

function operations(rt: Runtime) {
  return async (path: string, res: http.ServerResponse | http2.Http2ServerResponse) => {
    if (path === "/healthz") return send(res, 200, "text/plain", "ok\n");
    if (path === "/metrics") {
      rt.metrics.consumerLag.set(await rt.ingest.lag().catch(() => -1));
      return send(res, 200, rt.metrics.registry.contentType, await rt.metrics.registry.metrics());
    }
    const deps = await checkDependencies(rt);
    const ready = !rt.draining && Object.values(deps).every(Boolean);
    return send(res, ready ? 200 : 503, "application/json", JSON.stringify({ ready, ...deps }));
  };
}

function send(
  res: http.ServerResponse | http2.Http2ServerResponse,
  status: number,
  type: string,
  body: string,
) {
  (res as http.ServerResponse).writeHead(status, {
    "content-type": type,
    "cache-control": "no-store",
  });
  (res as http.ServerResponse).end(body);
}

/** CORS for the web app's origins, with the headers Connect and gRPC-Web need. */
function withCors(rt: Runtime, handler: Handler, ops: ReturnType<typeof operations>): Handler {
  const allowed = new Set(rt.config.CORS_ORIGINS);
  const downloads = fileDownloads(rt);
  return (req, res) => {
    const origin = req.headers.origin;
    const r = res as http.ServerResponse;
    if (origin && allowed.has(origin)) {
      r.setHeader("access-control-allow-origin", origin);
      r.setHeader("vary", "origin");
      r.setHeader(
        "access-control-expose-headers",
        [...connectCors.exposedHeaders, OFFSET_HEADER].join(", "),
      );
    }
    if (req.method === "OPTIONS") {
      r.setHeader("access-control-allow-methods", connectCors.allowedMethods.join(", "));
      r.setHeader(
        "access-control-allow-headers",
        [...connectCors.allowedHeaders, "Authorization"].join(", "),
      );
      r.setHeader("access-control-max-age", "7200");
      r.writeHead(204);
      r.end();
      return;
    }
    req.headers[PEER_HEADER] = req.socket?.remoteAddress ?? "unknown";
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    if (req.method === "GET" && HTTP_ROUTES.has(path)) {
      void ops(path, res).catch(() => send(res, 500, "text/plain", "error\n"));
      return;
    }
    if (path.startsWith("/files/")) return void downloads(req, res);
    if (path === SEND_PATH) {
      const refused = rt.admission.refusal();
      if (refused) return writeUnaryError(req, res, refused);
    }
    handler(req, res);
  };
}

const H2_PREFACE = "PRI * HTTP/2.0";

/**
 * HTTP/1.1 and cleartext HTTP/2 on one port: the first bytes of a connection tell them apart
 * (an h2c client opens with the HTTP/2 preface).
 */
export function createServer(rt: Runtime) {
  const handler = withCors(rt, rpcHandler(rt), operations(rt));
  const h1 = http.createServer({ keepAliveTimeout: 75_000, requestTimeout: 0 }, handler);
  const h2 = http2.createServer({}, handler);
  const server = net.createServer((socket) => {
    socket.once("readable", () => {
      const head: Buffer | null = socket.read(H2_PREFACE.length) ?? socket.read();
      if (head) socket.unshift(head);
      const target = head?.toString("latin1").startsWith(H2_PREFACE) ? h2 : h1;
      target.emit("connection", socket);
    });
    socket.on("error", () => socket.destroy());
  });
  return { server, h1, h2 };
}
