// How one HTTP route is described: the shape every entry of lib/contract/routes/ takes, and the
// builders that fill in what follows from the rest (scope from the method, the errors every
// authenticated route can answer, a 24-hex id for every {param} of the path).
import type { z } from "../schemas/zod";
import { idSchema } from "../schemas/common";
import type { ErrorCode } from "../errors";
import type { ServerToClientEvents } from "../realtime/events";
import { AUTHENTICATED_ERRORS } from "./errors";

export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** The documents' sections, in the order the page shows them. */
export const AREAS = ["Account", "Conversations", "Messages", "Files", "Rooms", "Calls", "Service"] as const;
export type Area = (typeof AREAS)[number];

/**
 * Who may call a route: "user" a signed-in user by session cookie or bearer token (runRoute);
 * "session" the session cookie only (a browser); "none" anyone.
 */
export type Auth = "user" | "session" | "none";
/** What a personal access token must be allowed to do to call the route. */
export type Scope = "read" | "write";

/**
 * An input read from the query or a JSON body: the same zod schema the domain core parses.
 * `fromPath`: fields of that schema the route fills in from the URL path (they are not in the
 * body or the query, and the path wins over anything sent).
 */
export type InputSpec = { schema: z.ZodType; fromPath?: readonly string[] };

/** A body that is not JSON: the raw bytes of a file. */
export type RawBodySpec = { raw: true; description: string };

export type ResponseSpec = {
  status: number;
  description: string;
  /** A JSON body. */
  schema?: z.ZodType;
  /** Not JSON (a file): its media types. */
  media?: readonly string[];
  headers?: Record<string, string>;
};

export type HttpRoute = {
  method: HttpMethod;
  /** With OpenAPI's {params}: "/api/conversations/{id}/messages". */
  path: string;
  area: Area;
  summary: string;
  description?: string;
  auth: Auth;
  scope: Scope | null;
  params: Record<string, z.ZodType>;
  query?: InputSpec;
  body?: InputSpec | RawBodySpec;
  responses: ResponseSpec[];
  /** Every code the route can answer with, the authenticated ones included. */
  errors: ErrorCode[];
  /** What the route makes the socket server say, and to whom. */
  announces?: readonly (keyof ServerToClientEvents)[];
};

export type RouteSpec = Omit<HttpRoute, "method" | "path" | "auth" | "scope" | "params" | "errors"> & {
  auth?: Auth;
  /** The token scope it needs, when not the method's ("read" for GET, "write" otherwise). */
  scope?: Scope;
  params?: Record<string, z.ZodType>;
  /** What this route can answer besides the errors every authenticated route can (AUTHENTICATED_ERRORS). */
  errors?: readonly ErrorCode[];
};

const ORDER: readonly ErrorCode[] = ["VALIDATION", "UNAUTHORIZED", "FORBIDDEN", "FORBIDDEN_ORIGIN", "NOT_FOUND", "CONFLICT", "TOO_LARGE", "RATE_LIMITED", "INTERNAL", "UNAVAILABLE"];

export function route(method: HttpMethod, path: string, spec: RouteSpec): HttpRoute {
  // Not `auth`: eslint-plugin-security reads a comparison of a variable so named as a secret's.
  const caller = spec.auth ?? "user";
  const names = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]!);
  const params = Object.fromEntries(names.map((name) => [name, spec.params?.[name] ?? idSchema]));
  const codes = new Set<ErrorCode>(spec.errors ?? []);
  if (caller !== "none") for (const code of AUTHENTICATED_ERRORS) codes.add(code);
  // A write authenticated by the (ambient) cookie must come from the site itself (lib/auth/csrf.ts).
  if (caller !== "none" && method !== "GET") codes.add("FORBIDDEN");
  return {
    ...spec,
    method,
    path,
    auth: caller,
    scope: caller === "none" ? null : (spec.scope ?? (method === "GET" ? "read" : "write")),
    params,
    errors: ORDER.filter((code) => codes.has(code)),
  };
}

export const json = (status: number, schema: z.ZodType, description: string): ResponseSpec => ({ status, schema, description });
export const noContent = (description: string): ResponseSpec => ({ status: 204, description });
