import { NextResponse, type NextRequest } from "next/server";
import { getServerEnv } from "@/lib/env";
import { contentSecurityPolicy, makeNonce } from "@/lib/security/headers";

// A fresh nonce per page request. Next.js reads it back from the request's
// Content-Security-Policy header while rendering and puts it on its own scripts and styles,
// which is why every page is rendered per request (see app/layout.tsx).
export function proxy(request: NextRequest) {
  const env = getServerEnv();
  const policy = contentSecurityPolicy({
    nonce: makeNonce(),
    socketUrl: env.SOCKET_PUBLIC_URL,
    appUrl: env.NEXTAUTH_URL,
    development: env.NODE_ENV === "development",
  });

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("Content-Security-Policy", policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", policy);
  return response;
}

export const config = {
  matcher: [
    {
      // Pages only: JSON routes, hashed assets and the icons are never rendered as documents
      // (the pages' img-src 'self' is what lets a browser load the icons).
      // The service worker and the manifest are not documents either (a worker takes its CSP from its
      // own response, and public/sw.js needs none of a page's).
      source: "/((?!api|_next/static|_next/image|favicon.ico|icon.svg|apple-icon.png|sw.js|manifest.webmanifest).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
