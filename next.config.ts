import type { NextConfig } from "next";
import { checkBuildEnv } from "./lib/env";
import { staticSecurityHeaders } from "./lib/security/headers";

// A malformed environment fails the build here rather than the first request in production.
checkBuildEnv();

const config: NextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // Native binding: loaded by Node at run time, never bundled.
  serverExternalPackages: ["argon2"],
  // The Content-Security-Policy needs a per-request nonce, so proxy.ts sets it on pages.
  async headers() {
    return [{ source: "/:path*", headers: [...staticSecurityHeaders] }];
  },
};

export default config;
