import { Code, ConnectError, type Transport } from "@connectrpc/connect";

/**
 * Where the client gets access tokens. The web app backs it with next-auth (the server keeps
 * the refresh token); Node code can back it with `UserService.Login` and `Refresh` directly.
 */
export interface TokenSource {
  /** The current access token. */
  getAccessToken(): Promise<string>;
  /**
   * A new access token. Rejects with `ConnectError` code `Unauthenticated` when the session is
   * gone (the user must sign in again); any other rejection is taken as a passing fault.
   */
  refresh(): Promise<string>;
}

/**
 * Shares one refresh among every caller that found the same token expired: a burst of calls
 * failing with `Unauthenticated` causes a single `refresh()`, not one per call.
 */
export class TokenGate {
  private latest: string | undefined;
  private inflight: Promise<string> | undefined;

  constructor(private readonly source: TokenSource) {}

  /** The token to send now. */
  async current(): Promise<string> {
    if (this.inflight) return this.inflight;
    if (this.latest !== undefined) return this.latest;
    const token = await this.source.getAccessToken();
    this.latest ??= token;
    return this.latest;
  }

  /**
   * A token newer than `stale`: refreshes unless another caller already did (or is doing so).
   */
  async refreshAfter(stale: string): Promise<string> {
    if (this.inflight) return this.inflight;
    if (this.latest !== undefined && this.latest !== stale) return this.latest;
    this.inflight = this.source.refresh().then(
      (token) => {
        this.latest = token;
        this.inflight = undefined;
        return token;
      },
      (error: unknown) => {
        this.inflight = undefined;
        throw error;
      },
    );
    return this.inflight;
  }

  /** Forgets the cached token, so the next call asks the source again. */
  reset(): void {
    this.latest = undefined;
  }
}

/** True when a refresh failure means the user has to sign in again. */
export function isSessionGone(error: unknown): boolean {
  const code = ConnectError.from(error).code;
  return code === Code.Unauthenticated || code === Code.PermissionDenied;
}

/**
 * Wraps a transport so every call carries `Authorization: Bearer …`. A unary call rejected
 * with `Unauthenticated` is retried once with a refreshed token; a stream is re-opened by its
 * owner instead (the live connection), since it may already have delivered events.
 */
export function withAuth(transport: Transport, gate: TokenGate): Transport {
  return {
    async unary(method, signal, timeoutMs, header, input, contextValues) {
      const token = await gate.current();
      try {
        return await transport.unary(
          method,
          signal,
          timeoutMs,
          bearer(header, token),
          input,
          contextValues,
        );
      } catch (error) {
        if (ConnectError.from(error).code !== Code.Unauthenticated) throw error;
        const fresh = await gate.refreshAfter(token);
        const retryHeader = bearer(header, fresh);
        return await transport.unary(method, signal, timeoutMs, retryHeader, input, contextValues);
      }
    },
    async stream(method, signal, timeoutMs, header, input, contextValues) {
      const token = await gate.current();
      const withToken = bearer(header, token);
      return transport.stream(method, signal, timeoutMs, withToken, input, contextValues);
    },
  };
}

function bearer(init: ConstructorParameters<typeof Headers>[0], token: string): Headers {
  const header = new Headers(init);
  header.set("Authorization", `Bearer ${token}`);
  return header;
}
