// @ts-check
// Headers for every response, pages and assets alike, set by next.config.mjs. Plain JavaScript,
// type-checked through JSDoc, because Node loads that config as it is; the rest of the security
// headers (lib/security/headers.ts) re-exports them.

/** The pages a call can be made from: only they may ask for the camera and the microphone. */
export const CALL_PAGES = /** @type {const} */ (["/chat"]);

/**
 * The Permissions-Policy of a response. Camera and microphone for calls, on our own origin, and on
 * the call pages only; nothing else asks for hardware.
 * @param {{ calls: boolean }} options
 */
export function permissionsPolicy({ calls }) {
  const media = calls ? "camera=(self), microphone=(self)" : "camera=(), microphone=()";
  return `${media}, display-capture=(self), geolocation=(), payment=(), usb=()`;
}

export const staticSecurityHeaders = /** @type {const} */ ([
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  // For browsers that predate frame-ancestors.
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Permissions-Policy", value: permissionsPolicy({ calls: false }) },
]);

/**
 * next.config.mjs's `headers()`: the headers above everywhere, then the call pages' own
 * Permissions-Policy, which replaces the general one (of two rules setting one header on a path,
 * Next.js keeps the later).
 */
export function securityHeaderRules() {
  return [
    { source: "/:path*", headers: [...staticSecurityHeaders] },
    ...CALL_PAGES.map((source) => ({ source, headers: [{ key: "Permissions-Policy", value: permissionsPolicy({ calls: true }) }] })),
  ];
}
