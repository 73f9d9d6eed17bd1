/** Runs once when the server starts: a bad environment stops it before the first request. */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === "nodejs") await import("./env");
}
