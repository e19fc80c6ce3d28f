import { AppError } from "../errors";

/**
 * Cross-site request forgery guard for cookie-authenticated writes. Browsers send `Origin` on
 * every cross-origin POST (and `Sec-Fetch-Site` on every request), so a write whose Origin is
 * not this site's own host, or that the browser itself labels cross-site, came from another
 * page riding the user's cookie. Clients with no browser (no Origin, no Sec-Fetch-Site) pass:
 * nothing ambient authenticates them. Server actions get the same check from Next.js itself.
 */
export function isCrossSite(headers: Headers): boolean {
  const origin = headers.get("origin");
  if (origin !== null) {
    const host = headers.get("x-forwarded-host") ?? headers.get("host");
    try {
      return origin === "null" || new URL(origin).host !== host;
    } catch {
      return true;
    }
  }
  const site = headers.get("sec-fetch-site");
  return site === "cross-site" || site === "same-site";
}

export function assertSameSite(headers: Headers): void {
  if (isCrossSite(headers)) throw new AppError("FORBIDDEN", "Cross-site requests are not allowed");
}
