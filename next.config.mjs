// @ts-check
// Plain JavaScript: Node loads this file as it is, so what it imports (lib/env.js,
// lib/security/static-headers.js) is plain JavaScript too, type-checked through JSDoc.
import { checkBuildEnv } from "./lib/env.js";
import { securityHeaderRules } from "./lib/security/static-headers.js";

// A malformed environment fails the build here rather than the first request in production.
checkBuildEnv();

/** @type {import("next").NextConfig} */
const config = {
  poweredByHeader: false,
  reactStrictMode: true,
  // Native binding: loaded by Node at run time, never bundled.
  serverExternalPackages: ["argon2"],
  // The Content-Security-Policy needs a per-request nonce, so proxy.ts sets it on pages.
  async headers() {
    return securityHeaderRules();
  },
};

export default config;
