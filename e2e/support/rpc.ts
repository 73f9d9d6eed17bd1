import type { APIRequestContext } from "@playwright/test";

/**
 * One unary call in the Connect protocol's JSON form, straight to a realtime instance. Tests
 * use it to set the stage (accounts, friendships, messages from "another device") so the
 * browser part of a scenario can focus on what the user sees.
 */
export async function rpc<T = Record<string, unknown>>(
  request: APIRequestContext,
  baseUrl: string,
  method: `${string}Service/${string}`,
  body: Record<string, unknown>,
  token?: string,
): Promise<T> {
  const response = await request.post(`${baseUrl}/parley.v1.${method}`, {
    data: body,
    headers: {
      "content-type": "application/json",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
  });
  const text = await response.text();
  if (!response.ok()) throw new RpcError(method, response.status(), text);
  return JSON.parse(text) as T;
}

/** A refused call, with Connect's error code (`permission_denied`, ...) for assertions. */
export class RpcError extends Error {
  readonly code: string;
  constructor(method: string, status: number, body: string) {
    let code = "unknown";
    try {
      code = (JSON.parse(body) as { code?: string }).code ?? code;
    } catch {
      // Not a Connect error body; keep "unknown".
    }
    super(`${method}: HTTP ${status} ${code}: ${body.slice(0, 200)}`);
    this.code = code;
  }
}
