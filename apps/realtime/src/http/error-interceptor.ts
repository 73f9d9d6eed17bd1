import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import { ConflictError, NotFoundError } from "@parley/db";
import type { Logger } from "../logger.ts";
import type { Metrics } from "../metrics.ts";

/**
 * The one place that turns unexpected failures into INTERNAL for the caller and logs their
 * cause once. Expected failures are ConnectErrors already and pass through untouched.
 */
export function errorInterceptor(log: Logger, metrics: Metrics): Interceptor {
  return (next) => async (req) => {
    const fail = (error: unknown) => {
      const mapped = toConnectError(error);
      metrics.errors.inc({ code: Code[mapped.code] });
      if (mapped.code === Code.Internal || mapped.code === Code.Unknown) {
        log.error({ method: req.method.name, err: error }, "call failed");
      }
      return mapped;
    };
    try {
      const res = await next(req);
      // A stream fails while it is read, after this function returned: wrap its reading.
      return res.stream ? { ...res, message: guarded(res.message, fail) } : res;
    } catch (error: unknown) {
      throw fail(error);
    }
  };
}

async function* guarded<T>(messages: AsyncIterable<T>, fail: (error: unknown) => Error) {
  try {
    yield* messages;
  } catch (error: unknown) {
    throw fail(error);
  }
}

function toConnectError(error: unknown): ConnectError {
  if (error instanceof ConnectError) return error;
  if (error instanceof NotFoundError) return new ConnectError(error.message, Code.NotFound);
  if (error instanceof ConflictError) {
    return new ConnectError(`${error.field}: already taken`, Code.AlreadyExists);
  }
  if (isDatabaseDown(error)) {
    return new ConnectError("the database is unavailable; retry", Code.Unavailable);
  }
  return new ConnectError("internal error", Code.Internal);
}

function isDatabaseDown(error: unknown): boolean {
  const text = String((error as Error)?.message ?? "");
  return /ECONNREFUSED|ETIMEDOUT|pool timeout|Connection closed|connect ECONN/i.test(text);
}
