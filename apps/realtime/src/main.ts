import { createRuntime, shutdown, startRuntime } from "./app.ts";
import { loadConfig } from "./config.ts";
import { createLogger } from "./logger.ts";

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(2);
}

const log = createLogger(config.LOG_LEVEL, config.INSTANCE_ID);
const app = createRuntime(config, log);
try {
  await startRuntime(app);
} catch (error) {
  log.fatal({ err: error }, `cannot start: ${(error as Error).message}`);
  process.exit(1);
}

let stopping = false;
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "shutting down");
    shutdown(app).then(
      () => process.exit(0),
      (error) => {
        log.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  });
}
