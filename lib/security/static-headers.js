// @ts-check
// Headers for every response, pages and assets alike, set by next.config.mjs. Plain JavaScript,
// type-checked through JSDoc, because Node loads that config as it is; the rest of the security
// headers (lib/security/headers.ts) re-exports them.

export const staticSecurityHeaders = /** @type {const} */ ([
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  // For browsers that predate frame-ancestors.
  { key: "X-Frame-Options", value: "DENY" },
  // Camera and microphone for calls on our own origin; nothing else asks for hardware.
  { key: "Permissions-Policy", value: "camera=(self), microphone=(self), display-capture=(self), geolocation=(), payment=(), usb=()" },
]);
