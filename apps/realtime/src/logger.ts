import { pino } from "pino";

export type Logger = pino.Logger;

/** The service's one logger: JSON lines, with the instance id on every line. */
export function createLogger(level: string, instance: string): Logger {
  return pino({
    level,
    base: { instance },
    redact: ["password", "token", "accessToken", "refreshToken", "body", "*.password"],
  });
}
