import type { NextConfig } from "next";

const config: NextConfig = {
  // The workspace packages export TypeScript source.
  transpilePackages: ["@parley/client", "@parley/proto"],
  poweredByHeader: false,
  // Another output folder (under dist/, ignored) lets a private build leave `.next` alone.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  reactStrictMode: true,
  // Nothing is fetched from the internet: no remote images, no telemetry-dependent features.
  images: { unoptimized: true },
};

export default config;
