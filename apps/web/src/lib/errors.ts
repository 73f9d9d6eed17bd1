import { Code, ConnectError } from "@connectrpc/connect";

/** A failed call's message, safe to show: the server writes these for users. */
export function errorMessage(error: unknown): string {
  const failure = ConnectError.from(error);
  if (failure.code === Code.Unimplemented) return "This is not available on the server yet.";
  if (failure.code === Code.Unavailable)
    return "Parley is unreachable right now. Try again shortly.";
  return failure.rawMessage || "Something went wrong. Try again.";
}
