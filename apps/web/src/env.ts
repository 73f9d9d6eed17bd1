import { parseRealtimeUrls } from "@parley/client";
import { z } from "zod";

/**
 * The web app's environment, validated once at start-up (see `instrumentation.ts`). A problem
 * stops the server with the whole list, not just the first.
 */
const DEV_SECRET = "parley-dev-secret-not-for-production";

const isProduction = process.env.NODE_ENV === "production";
// `next build` evaluates server modules too; the secret is only needed when serving.
const isBuild = process.env.NEXT_PHASE === "phase-production-build";

const schema = z.object({
  REALTIME_URL: z.url().default("http://127.0.0.1:8080"),
  // Read per request, not inlined at build time: one build serves any deployment.
  REALTIME_PUBLIC_URLS: z
    .string()
    .default("http://127.0.0.1:8080")
    .transform(parseRealtimeUrls)
    .pipe(z.array(z.url({ protocol: /^https?$/ })).min(1, "list at least one URL")),
  NEXTAUTH_URL: z.url().default("http://127.0.0.1:3000"),
  NEXTAUTH_SECRET:
    isProduction && !isBuild
      ? z.string().min(32, "set a random secret of at least 32 characters in production")
      : z.string().min(1).default(DEV_SECRET),
});

export type WebEnv = z.infer<typeof schema>;

function load(): WebEnv {
  const parsed = schema.safeParse({
    REALTIME_URL: process.env.REALTIME_URL,
    REALTIME_PUBLIC_URLS: process.env.REALTIME_PUBLIC_URLS,
    NEXTAUTH_URL: process.env.NEXTAUTH_URL,
    NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET,
  });
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
  throw new Error(`Invalid environment for @parley/web:\n${problems.join("\n")}`);
}

export const env = load();
