/**
 * Configuration the browser may see. Next inlines `NEXT_PUBLIC_*` at build time; the server
 * validates the same variable in `env.ts`.
 */
export const realtimeUrl = process.env.NEXT_PUBLIC_REALTIME_URL || "http://127.0.0.1:8080";
