/** A refusal or failure the operator must act on; its message is safe to print as is. */
export class MigrateError extends Error {
  override name = "MigrateError";
}
