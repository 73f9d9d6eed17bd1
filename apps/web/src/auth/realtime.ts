import "server-only";
import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { UserService } from "@parley/proto";
import { env } from "@/env";

/**
 * The server's own connection to the realtime service, for the calls that happen before the
 * browser has a token: Login, Register and Refresh.
 */
const transport = createConnectTransport({
  baseUrl: env.REALTIME_URL,
  httpVersion: "1.1",
  useBinaryFormat: true,
});

export const userService = createClient(UserService, transport);
