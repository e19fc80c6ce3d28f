import type { NextConfig } from "next";
import { checkBuildEnv } from "./lib/env";

// A malformed environment fails the build here rather than the first request in production.
checkBuildEnv();

const config: NextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // Native binding: loaded by Node at run time, never bundled.
  serverExternalPackages: ["argon2"],
};

export default config;
