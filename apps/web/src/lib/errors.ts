import { ConnectError } from "@connectrpc/connect";

/** A failed call's message, safe to show: the server writes these for users. */
export function errorMessage(error: unknown): string {
  const failure = ConnectError.from(error);
  return failure.rawMessage || "Something went wrong. Try again.";
}
