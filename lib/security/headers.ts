// Response headers that keep a page from being framed, sniffed or scripted by anyone but us.
// Pure functions of their inputs so the policy can be read and tested without a server.

/** The socket server's origin in both the forms the browser uses: HTTP polling and WebSocket. */
export function socketSources(socketUrl: string): string[] {
  const url = new URL(socketUrl);
  const ws = url.protocol === "https:" ? "wss:" : "ws:";
  return [url.origin, `${ws}//${url.host}`];
}

/**
 * The Content-Security-Policy of a page. Scripts run only with this response's nonce
 * ('strict-dynamic' lets those scripts load Next.js's chunks); injected markup can neither run
 * script nor load a stylesheet. Style attributes stay allowed: React and Next.js emit them,
 * and an attribute cannot run script.
 */
export function contentSecurityPolicy({
  nonce,
  socketUrl,
  appUrl,
  development,
}: {
  nonce: string;
  socketUrl: string;
  appUrl: string;
  development: boolean;
}): string {
  const directives = [
    "default-src 'self'",
    // React rebuilds server error stacks with eval in development only.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ""}`,
    // next dev injects <style> tags without a nonce; a nonce would switch 'unsafe-inline' off.
    development ? "style-src 'self' 'unsafe-inline'" : `style-src 'self' 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    "font-src 'self'",
    `connect-src 'self' ${socketSources(socketUrl).join(" ")}`,
    // The push service worker (public/sw.js). Without this, workers fall back to script-src, whose
    // 'strict-dynamic' ignores 'self' and would refuse it; likewise the web app manifest, stated plainly.
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ];
  // Only where the site itself is served over TLS: on plain-HTTP loopback it would break every request.
  if (new URL(appUrl).protocol === "https:") directives.push("upgrade-insecure-requests");
  return directives.join("; ");
}

export { CALL_PAGES, permissionsPolicy, securityHeaderRules, staticSecurityHeaders } from "./static-headers";

/** A fresh, unguessable nonce for one response. */
export function makeNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}
