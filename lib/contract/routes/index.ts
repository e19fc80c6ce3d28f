// Every HTTP route of the API, described once for the OpenAPI document and the /docs/api page.
// test/unit/contract.test.ts holds this list to app/api/**/route.ts both ways: a route file's
// exported method without an entry here, or an entry without its file and method, fails it.
// Adding a route is one `route(...)` entry in the file of its area.
import { accountRoutes } from "./account";
import { conversationRoutes } from "./conversations";
import { fileRoutes } from "./files";
import { messageRoutes } from "./messages";
import { roomRoutes } from "./rooms";
import { serviceRoutes } from "./service";
import { tokenRoutes } from "./tokens";
import type { HttpMethod, HttpRoute } from "../http-route";

export const HTTP_ROUTES: readonly HttpRoute[] = [...accountRoutes, ...conversationRoutes, ...messageRoutes, ...fileRoutes, ...roomRoutes, ...tokenRoutes, ...serviceRoutes];

/**
 * Route files left out of the documents on purpose, with why. next-auth's endpoints (sign-in,
 * sign-out, session, CSRF) are its own protocol of redirects and cookies for browsers, not this
 * API's shapes; a script holds a session or a token and never needs them.
 */
export const UNDOCUMENTED_ROUTES: readonly { file: string; methods: readonly HttpMethod[]; why: string }[] = [
  { file: "app/api/auth/[...nextauth]/route.ts", methods: ["GET", "POST"], why: "next-auth's own endpoints, for browsers: sign-in, sign-out, session, CSRF" },
];
