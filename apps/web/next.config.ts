import type { NextConfig } from "next";

const config: NextConfig = {
  // The workspace packages export TypeScript source.
  transpilePackages: ["@parley/client", "@parley/proto"],
  poweredByHeader: false,
  reactStrictMode: true,
  // Nothing is fetched from the internet: no remote images, no telemetry-dependent features.
  images: { unoptimized: true },
};

export default config;
