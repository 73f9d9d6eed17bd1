import type { ServiceImpl } from "@connectrpc/connect";
import { type HealthService, ServingStatus } from "@parley/proto";
import type { Runtime } from "../runtime.ts";

export function healthService(rt: Runtime): ServiceImpl<typeof HealthService> {
  return {
    async check() {
      const status = rt.draining ? ServingStatus.NOT_SERVING : ServingStatus.SERVING;
      return { status, instanceId: rt.config.INSTANCE_ID, version: "0.1.0" };
    },
  };
}

/** Whether each dependency answers now; /readyz and the admin dashboard use it. */
export async function checkDependencies(rt: Runtime) {
  const timeout = <T>(p: Promise<T>) =>
    Promise.race([p, new Promise<false>((resolve) => setTimeout(() => resolve(false), 2000))]);
  const [database, redis, log] = await Promise.all([
    timeout(
      rt.db.$queryRawUnsafe("SELECT 1").then(
        () => true,
        () => false,
      ),
    ),
    timeout(rt.bus.ping()),
    timeout(rt.ingest.healthy()),
  ]);
  return { database, redis, [rt.ingest.name]: log } as Record<string, boolean>;
}
