import { type Client, createClient, type Transport } from "@connectrpc/connect";
import {
  AdminService,
  FileService,
  GroupService,
  HealthService,
  MessageService,
  RelationService,
  UserService,
} from "@parley/proto";
import { TokenGate, type TokenSource, withAuth } from "./auth";

export interface ParleyClientOptions {
  /** connect-web's transport in the browser, connect-node's in Node. */
  transport: Transport;
  tokens: TokenSource;
}

/** Typed clients for every Parley service, all sending the caller's access token. */
export interface ParleyClient {
  users: Client<typeof UserService>;
  relations: Client<typeof RelationService>;
  groups: Client<typeof GroupService>;
  messages: Client<typeof MessageService>;
  files: Client<typeof FileService>;
  admin: Client<typeof AdminService>;
  health: Client<typeof HealthService>;
  /** The token gate the clients use; the live connection refreshes through it too. */
  auth: TokenGate;
}

/**
 * Wraps `transport` so that every call carries the access token from `tokens`.
 *
 * The transport must not add an Authorization header of its own: this wrapper adds it, and
 * refreshes the token once when a unary call fails with `Unauthenticated`.
 */
export function createParleyClient(options: ParleyClientOptions): ParleyClient {
  const auth = new TokenGate(options.tokens);
  const transport = withAuth(options.transport, auth);
  return {
    users: createClient(UserService, transport),
    relations: createClient(RelationService, transport),
    groups: createClient(GroupService, transport),
    messages: createClient(MessageService, transport),
    files: createClient(FileService, transport),
    admin: createClient(AdminService, transport),
    health: createClient(HealthService, transport),
    auth,
  };
}
