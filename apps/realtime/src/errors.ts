import { Code, ConnectError } from "@connectrpc/connect";

/** Bad input: names the field so the client can point at it. */
export function invalid(field: string, problem: string): ConnectError {
  return new ConnectError(`${field}: ${problem}`, Code.InvalidArgument);
}

export function notFound(what: string): ConnectError {
  return new ConnectError(`${what} not found`, Code.NotFound);
}

export function denied(reason: string): ConnectError {
  return new ConnectError(reason, Code.PermissionDenied);
}

export function unauthenticated(reason = "sign in required"): ConnectError {
  return new ConnectError(reason, Code.Unauthenticated);
}

export function exhausted(reason: string): ConnectError {
  return new ConnectError(reason, Code.ResourceExhausted);
}

export function conflict(reason: string): ConnectError {
  return new ConnectError(reason, Code.AlreadyExists);
}

export function precondition(reason: string): ConnectError {
  return new ConnectError(reason, Code.FailedPrecondition);
}

export function unavailable(reason: string): ConnectError {
  return new ConnectError(reason, Code.Unavailable);
}
